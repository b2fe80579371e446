// A KAP session under a built-in reference protocol: each event gets a decision, a refused
// one says why and changes nothing. kap models published protocols; it is not medical advice.
#include <kap/json.hpp>
#include <kap/session.hpp>

#include <iostream>
#include <memory>

int main() {
  const char* events[] = {
      R"({"id":"e-1","session":"S-0001","at":"2026-11-26T09:30:00Z","actor":{"id":"P-7","role":"prescriber","licensed":true},"type":"consent","scope":"kap-session"})",
      R"({"id":"e-2","session":"S-0001","at":"2026-11-26T09:31:00Z","actor":{"id":"P-7","role":"prescriber","licensed":true},"type":"phase","to":"preparation"})",
      R"({"id":"e-3","session":"S-0001","at":"2026-11-26T09:32:00Z","actor":{"id":"T-2","role":"therapist","licensed":true},"type":"dose","drug":"ketamine","route":"im","mg":50})",
  };
  const auto at = kap::parse_rfc3339("2026-11-26T09:40:00Z").value();

  // [snippet:first-session]
  auto protocol = kap::validate(kap::json::reference_protocol("im-kap").value()).value();
  kap::session s(std::make_shared<const kap::validated_protocol>(std::move(protocol)), kap::session_id{"S-0001"});

  for (const char* text : events) {          // JSON lines as in docs/events.md
    auto e = kap::json::read_event(text);    // strict: a bad field is an error naming its path
    if (!e) { std::cerr << e.error().message << "\n"; return 1; }
    const kap::decision d = s.apply(*e);     // accepted, duplicate, or rejected with reasons
    std::cout << e->id.str() << ": " << kap::enum_name(d.outcome);
    if (!d.accepted()) std::cout << " (" << kap::to_string(*d.code) << ") " << d.message;
    for (const auto& u : d.unmet) std::cout << "\n   unmet " << u.requirement << ": " << u.message;
    std::cout << "\n";
  }
  for (const auto& b : s.blockers("preparation", at)) std::cout << "blocker: " << b.message << "\n";
  // [/snippet:first-session]
  std::cout << "phase: " << s.phase() << "\n";
  return 0;
}
