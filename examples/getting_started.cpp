// The program in docs/getting-started.md: a dose from a weight-based rate, a built-in reference
// protocol, one event through the session engine. Built and run as the ctest example.getting_started.
// [snippet:getting-started]
#include <kap/json.hpp>
#include <kap/session.hpp>

#include <iostream>
#include <memory>

int main() {
  using namespace kap::literals;
  const kap::milligrams dose = 0.5_mg_per_kg * 70_kg;  // mg/kg x kg = mg; mg + kg does not compile

  auto protocol = kap::json::reference_protocol("im-kap");  // built in, no file read
  if (!protocol) { std::cerr << protocol.error().message << "\n"; return 1; }
  auto checked = kap::validate(*protocol);
  if (!checked) { std::cerr << checked.error().message << "\n"; return 1; }

  kap::session s(std::make_shared<const kap::validated_protocol>(std::move(*checked)),
                 kap::session_id{"S-0001"});
  auto e = kap::json::read_event(
      R"({"id":"e-1","session":"S-0001","at":"2026-11-26T10:00:00Z",)"
      R"("actor":{"id":"N-7","role":"nurse","licensed":true},)"
      R"("type":"vitals","systolic":128,"diastolic":82,"heart_rate":74,"spo2":98})");
  if (!e) { std::cerr << e.error().message << "\n"; return 1; }  // names the JSON path
  const kap::decision d = s.apply(*e);
  std::cout << "dose " << dose.count() << " mg; e-1 " << kap::enum_name(d.outcome) << "\n";
  return d.accepted() ? 0 : 1;
}
// [/snippet:getting-started]
