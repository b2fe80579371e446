#pragma once

// What every `kapctl report` verb shares: its error line and its output (cmd_report.cpp, and
// journal_report.cpp for the verbs that read a journal).

#include "command.hpp"
#include "files.hpp"

#include <filesystem>
#include <ostream>
#include <string>
#include <string_view>

namespace kapctl {

/// Prints "kapctl report VERB: MESSAGE" on io.err and returns `status`.
inline int report_fail(io& io, std::string_view verb, const std::string& message, int status) {
  io.err << "kapctl report " << verb << ": " << message << "\n";
  return status;
}

/// Prints the text summary and, with --html, writes the page. Returns the exit status.
inline int report_emit(io& io, std::string_view verb, const arg_parser& p, const std::string& text,
                       const std::string& html) {
  io.out << text;
  if (const auto out = p.value("--html")) {
    const std::string problem = write_atomically(std::filesystem::path(std::string(*out)), html);
    if (!problem.empty()) return report_fail(io, verb, problem, exit_usage);
    io.out << "wrote " << *out << "\n";
  }
  return exit_ok;
}

/// True for the simulator's ids (SYN-...), which the reports mark SYNTHETIC DATA.
inline bool synthetic_id(std::string_view id) { return id.rfind("SYN-", 0) == 0; }

}  // namespace kapctl
