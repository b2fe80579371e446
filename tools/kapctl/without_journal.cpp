// The stand-ins for kapctl's journal parts in a kapctl built without kap::journal
// (KAP_WITH_JOURNAL=OFF): tools/kapctl/CMakeLists.txt compiles this file instead of
// cmd_journal.cpp and the journal_*.cpp files (journal_parts.hpp).
#include "command.hpp"
#include "journal_parts.hpp"

#include <string>

namespace kapctl {

namespace {

constexpr std::string_view without_journal = "this kapctl was built without kap::journal";

}  // namespace

// No entry point: `commands()` leaves the journal command out, so it is neither listed nor run.
const command journal_command{};

int export_fhir(const fhir_request&, io& io) { return usage_error(io, "fhir", without_journal); }

int report_course(std::span<const std::string_view>, io& io) {
  return usage_error(io, "report", "course: " + std::string(without_journal));
}

int report_session(std::span<const std::string_view>, io& io) {
  return usage_error(io, "report", "session: " + std::string(without_journal));
}

std::unique_ptr<simulation_journal> open_simulation_journal(std::string_view, const std::vector<kap::course::arm_spec>&,
                                                            io& io) {
  usage_error(io, "simulate", "--journal: " + std::string(without_journal));
  return nullptr;
}

}  // namespace kapctl
