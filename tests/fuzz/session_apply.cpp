// Fuzz target: kap::session::apply over decoded event streams, against each reference protocol.
//
// Input: the first line names the protocol (a reference protocol's name, e.g. `im-kap`; any other
// first line picks one by its bytes), the rest is a JSON Lines event stream. The session's id is
// the first decoded event's, so most events reach the engine's own rules.
//
// Invariants: a rejected (or duplicate) event leaves the state exactly as it was; a rejection
// carries a code and a message; the cumulative dose is the sum of the recorded doses; a second
// session fed the same events gives the same decisions and the same final state (replay).

#include "fuzz_check.hpp"

#include <kap/json.hpp>
#include <kap/protocol/validate.hpp>
#include <kap/session/session.hpp>

#include <algorithm>
#include <memory>
#include <string_view>
#include <vector>

namespace {

const std::vector<std::shared_ptr<const kap::validated_protocol>>& protocols() {
  static const auto all = [] {
    std::vector<std::shared_ptr<const kap::validated_protocol>> out;
    for (const auto name : kap::json::reference_protocol_names()) {
      auto p = kap::json::reference_protocol(name);
      KAP_FUZZ_CHECK(p.has_value());
      auto v = kap::validate(std::move(*p));
      KAP_FUZZ_CHECK(v.has_value());
      out.push_back(std::make_shared<const kap::validated_protocol>(std::move(*v)));
    }
    return out;
  }();
  return all;
}

std::shared_ptr<const kap::validated_protocol> pick(std::string_view first_line) {
  const auto& all = protocols();
  const auto names = kap::json::reference_protocol_names();
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (names[i] == first_line) return all[i];
  }
  std::size_t h = 0;
  for (const char c : first_line) h = h * 31 + static_cast<unsigned char>(c);
  return all[h % all.size()];
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input = kap::fuzz::text(data, size);
  const std::size_t nl = std::min(input.find('\n'), input.size());
  const auto protocol = pick(input.substr(0, nl));
  const std::string_view stream = nl < input.size() ? input.substr(nl + 1) : std::string_view{};

  std::vector<kap::event> events;
  for (auto& l : kap::json::read_events_jsonl(stream)) {
    if (l.event) events.push_back(std::move(*l.event));
  }
  if (events.empty()) return 0;

  kap::session s(protocol, events.front().session);
  std::vector<kap::decision> decisions;
  for (const auto& e : events) {
    const kap::session_state before = s.snapshot();
    kap::decision d = s.apply(e);
    KAP_FUZZ_CHECK(d.event == e.id);
    if (!d.accepted()) {
      KAP_FUZZ_CHECK(d.code.has_value() && !d.message.empty());
      KAP_FUZZ_CHECK(s.snapshot() == before);
    }
    kap::milligrams sum{};
    for (const auto& dose : s.snapshot().doses) sum += dose.mg;
    KAP_FUZZ_CHECK(sum == s.snapshot().cumulative_mg);
    decisions.push_back(std::move(d));
  }

  kap::session replay(protocol, events.front().session);
  for (std::size_t i = 0; i < events.size(); ++i) KAP_FUZZ_CHECK(replay.apply(events[i]) == decisions[i]);
  KAP_FUZZ_CHECK(replay.snapshot() == s.snapshot());
  return 0;
}
