// Conan's test_package, also built by kap's package test against a moved install: links
// kap::kap and calls into every component the package holds.
#include <kap/kap.hpp>
#include <kap/log/spdlog.hpp>
#if KAP_TEST_PACKAGE_HAS_JSON
#include <kap/json.hpp>
#include <kap/json/reference.hpp>
#include <kap/protocol/validate.hpp>
#endif
#if KAP_TEST_PACKAGE_HAS_JOURNAL
#include <kap/journal/journal.hpp>
#endif
#if KAP_TEST_PACKAGE_HAS_EXPORT
#include <kap/reports/report.hpp>
#endif

#include <iostream>

int main() {
  using namespace kap::literals;
  if (0.5_mg_per_kg * 70_kg != 35_mg) return 1;  // kap::core
  kap::log::spdlog_logger log;                    // kap::log, silent: no sinks
  log.write(kap::log_level::info, "not shown");
#if KAP_TEST_PACKAGE_HAS_JSON
  auto protocol = kap::json::reference_protocol("im-kap");  // kap::json
  if (!protocol || !kap::validate(*protocol)) return 2;
#endif
#if KAP_TEST_PACKAGE_HAS_JOURNAL
  auto sha = kap::protocol_sha256(*protocol);  // kap::journal
  if (!sha || sha->size() != 64) return 3;
#endif
#if KAP_TEST_PACKAGE_HAS_EXPORT
  kap::reports::session_report_input report;  // kap::export
  report.session = "S-1";
  report.protocol = kap::reports::summarize_protocol(*protocol);
  if (kap::reports::render_session_text(report).empty()) return 4;
#endif
  std::cout << "kap " << kap::version_string << " test_package ok\n";
  return 0;
}
