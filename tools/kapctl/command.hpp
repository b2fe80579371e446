#pragma once

// kapctl's subcommand interface. Each subcommand is one `command` value, defined in its own
// cmd_<name>.cpp and declared once below; the registry in commands.cpp lists them in the order
// `kapctl --help` shows, and both the help and the dispatch come from it. Adding a command is one
// file, its declaration here and its line in the registry.
//
// What needs kap::journal is chosen in one place, tools/kapctl/CMakeLists.txt: cmd_journal.cpp
// and the journal_*.cpp files (journal_parts.hpp) are compiled only with the journal, and
// without_journal.cpp, which stands in for them, only without it. No source file tests for the
// journal itself.
//
// Exit status: 0 success, 1 input read and found invalid (or an event rejected), 2 usage error or
// unreadable input.

#include <kap/core/result.hpp>

#include <iosfwd>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace kapctl {

inline constexpr int exit_ok = 0;
inline constexpr int exit_invalid = 1;
inline constexpr int exit_usage = 2;

/// The exit status for an error from the library, one rule for every command (docs/errors.md,
/// the "kapctl exit" column, which ctest docs.errors_table checks against this switch): input
/// that could not be read at all is 2 (the operating system failed, or a protocol name names
/// neither a file nor a reference protocol); input that was read and found wrong is 1, whatever
/// is wrong with it (not JSON, too large for the library's limits, an unknown field, a rule).
/// kapctl's own usage errors and its input-size refusals before reading are 2 as well.
inline int error_status(const kap::error& e) noexcept {
  switch (e.code) {
    case kap::errc::io_error:
    case kap::errc::unknown_protocol:
      return exit_usage;
    default:
      return exit_invalid;
  }
}

/// The streams a subcommand talks to (so tests can run it in-process).
struct io {
  std::istream& in;
  std::ostream& out;
  std::ostream& err;
};

using handler = int (*)(std::span<const std::string_view> args, io& io);

/// One subcommand: its name, a one-line summary, its full help text, and its entry point.
/// A command with no entry point is not built into this kapctl (without_journal.cpp defines the
/// journal's so): `commands()` leaves it out.
struct command {
  std::string_view name;
  std::string_view summary;
  std::string_view help;
  handler run = nullptr;
};

// Every subcommand, each defined in cmd_<name>.cpp; `commands()` lists them.
extern const command dose_command;
extern const command validate_command;
extern const command lint_command;
extern const command graph_command;
extern const command run_command;
extern const command journal_command;  // cmd_journal.cpp, or absent (without_journal.cpp)
extern const command protocols_command;
extern const command protocol_command;
extern const command time_command;
extern const command instruments_command;
extern const command score_command;
extern const command change_command;
extern const command simulate_command;
extern const command cohort_command;
extern const command fhir_command;
extern const command report_command;

/// Every subcommand built into this kapctl, in the order `kapctl --help` lists them.
std::span<const command> commands();

/// Runs kapctl with `args` (without the program name). The whole CLI, testable in-process.
/// Ends with `finish_output`, so no command can lose its output silently.
int run(std::span<const std::string_view> args, io& io);

/// Flushes io.out. When that or any earlier write to it failed, prints "kapctl: cannot write to
/// standard output: <reason>" on io.err and returns exit_usage; otherwise returns `status`.
/// A command that must stop at a failed write (journal append, after each acknowledgement)
/// checks `io.out` itself and returns; the message is printed here, once.
int finish_output(io& io, int status);

/// Simple option scanner: positional arguments and `--name value` / `--flag` options.
class arg_parser {
 public:
  /// @param value_options options that take a value (e.g. "--baseline")
  /// @param flag_options options that take none (e.g. "--json")
  arg_parser(std::span<const std::string_view> args, std::vector<std::string_view> value_options,
             std::vector<std::string_view> flag_options);
  /// Empty when the arguments parsed; otherwise the usage error to print.
  [[nodiscard]] const std::string& error() const noexcept { return error_; }
  [[nodiscard]] const std::vector<std::string_view>& positional() const noexcept { return positional_; }
  [[nodiscard]] std::optional<std::string_view> value(std::string_view name) const;
  /// Every value given for a repeatable option, in order.
  [[nodiscard]] std::vector<std::string_view> values(std::string_view name) const;
  [[nodiscard]] bool flag(std::string_view name) const;

 private:
  std::vector<std::string_view> positional_;
  std::vector<std::pair<std::string_view, std::string_view>> values_;
  std::vector<std::string_view> flags_;
  std::string error_;
};

/// Parses a whole number that fits an int; the error message completes "\"<s>\" ..." ("is not an
/// integer", "is out of range").
kap::result<int> parse_int(std::string_view s);

/// Parses a finite decimal number; nullopt when `s` is not one.
std::optional<double> parse_number(std::string_view s);

/// Prints a usage error with a pointer to --help, returns exit_usage.
int usage_error(io& io, std::string_view command, std::string_view message);

}  // namespace kapctl
