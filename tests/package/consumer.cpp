// A program outside kap's tree that uses the installed package.
#include <kap/json.hpp>
#include <kap/json/reference.hpp>
#include <kap/kap.hpp>
#if KAP_CONSUMER_LOG
#include <kap/log/spdlog.hpp>
#endif
#include <kap/protocol/validate.hpp>

#include <iostream>

int main() {
  using namespace kap::literals;
  const kap::milligrams dose = 0.5_mg_per_kg * 70_kg;
  auto actor = kap::json::from_string<kap::actor>(R"({"id":"N-7","role":"nurse","licensed":true})");
#if KAP_CONSUMER_LOG
  kap::log::spdlog_logger log;  // silent: no sinks
  log.write(kap::log_level::info, "not shown");
  const bool logged = log.enabled(kap::log_level::error);
#else
  const bool logged = false;  // an install without kap::log (KAP_WITH_LOG=OFF)
#endif
  // The reference protocols are compiled in: found after the prefix moved, no file read.
  auto reference = kap::json::reference_protocol("esketamine-rems");
  if (!actor || dose != 35_mg || logged || !reference || !kap::validate(*reference)) {
    std::cout << "consumer failed\n";
    return 1;
  }
  std::cout << "consumer ok " << kap::json::to_string(*actor) << " " << kap::version_string << "\n";
  return 0;
}
