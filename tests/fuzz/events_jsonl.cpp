// Fuzz target: the event JSON Lines reader (kap::json::read_events_jsonl).
//
// Invariants: every non-blank line gets exactly one result, numbered in order; a bad line names
// itself; an event that reads passes check_event and is written (write_event) to canonical text
// that reads back to the same canonical text.

#include "fuzz_check.hpp"

#include <kap/json.hpp>

#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto lines = kap::json::read_events_jsonl(kap::fuzz::text(data, size));
  std::size_t previous = 0;
  for (const auto& l : lines) {
    KAP_FUZZ_CHECK(l.line > previous);
    previous = l.line;
    if (!l.event) {
      KAP_FUZZ_CHECK(l.event.error().message.rfind("line " + std::to_string(l.line) + ": ", 0) == 0);
      continue;
    }
    KAP_FUZZ_CHECK(kap::json::check_event(*l.event).has_value());  // what reads, checks
    const std::string canonical = kap::json::write_event(*l.event);
    auto again = kap::json::read_event(canonical);
    KAP_FUZZ_CHECK(again.has_value());
    KAP_FUZZ_CHECK(kap::json::write_event(*again) == canonical);
  }
  return 0;
}
