// Fuzz target: the protocol file reader (kap::json::read_protocol) and kap::validate.
//
// Invariants beyond "no crash, no leak, no undefined behaviour, no escaping exception": a protocol
// that reads is written back (write_protocol) to text that reads again, to the same protocol
// text, and validates the same way.

#include "fuzz_check.hpp"

#include <kap/json.hpp>
#include <kap/protocol/validate.hpp>

#include <utility>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto p = kap::json::read_protocol(kap::fuzz::text(data, size));
  if (!p) {
    KAP_FUZZ_CHECK(!p.error().message.empty());
    return 0;
  }
  auto written = kap::json::write_protocol(*p);
  KAP_FUZZ_CHECK(written.has_value());  // read from JSON, so it has a JSON form
  auto again = kap::json::read_protocol(*written);
  KAP_FUZZ_CHECK(again.has_value());
  auto rewritten = kap::json::write_protocol(*again);
  KAP_FUZZ_CHECK(rewritten.has_value() && *rewritten == *written);

  const bool valid = kap::validate(std::move(*p)).has_value();
  KAP_FUZZ_CHECK(kap::validate(std::move(*again)).has_value() == valid);
  return 0;
}
