#include "command.hpp"

#include <array>
#include <vector>

namespace kapctl {

std::span<const command> commands() {
  // The registry: one line per command, in the order `kapctl --help` lists them. Built on first
  // use, after every command's (constant-initialised) definition, and never changed after.
  static const std::vector<command> built = [] {
    // clang-format off
    const std::array all{
        &dose_command,
        &validate_command,
        &lint_command,
        &graph_command,
        &run_command,
        &journal_command,
        &protocols_command,
        &protocol_command,
        &time_command,
        &instruments_command,
        &score_command,
        &change_command,
        &simulate_command,
        &cohort_command,
        &fhir_command,
        &report_command,
    };
    // clang-format on
    std::vector<command> out;
    for (const command* c : all) {
      if (c->run != nullptr) out.push_back(*c);
    }
    return out;
  }();
  return built;
}

}  // namespace kapctl
