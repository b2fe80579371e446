// kapctl time RFC3339...
#include "command.hpp"

#include <kap/core/time.hpp>

#include <ostream>

namespace kapctl {

constexpr std::string_view time_help =
    "Usage: kapctl time TIMESTAMP...\n\n"
    "Checks each RFC 3339 timestamp strictly and prints it normalised to UTC, one per line\n"
    "(2026-11-26T11:15:00+01:00 -> 2026-11-26T10:15:00Z). kap stores every instant this way.\n"
    "Exit status: 0 all valid, 1 any invalid (named on stderr), 2 usage error.\n";

namespace {

int cmd_time(std::span<const std::string_view> args, io& io) {
  arg_parser p(args, {}, {});
  if (!p.error().empty()) return usage_error(io, "time", p.error());
  if (p.positional().empty()) return usage_error(io, "time", "give at least one timestamp");
  int status = exit_ok;
  for (const auto text : p.positional()) {
    auto t = kap::parse_rfc3339(text);
    if (!t) {
      io.err << "kapctl time: " << t.error().message << "\n";
      status = exit_invalid;
      continue;
    }
    io.out << kap::format_rfc3339(*t) << "\n";
  }
  return status;
}

}  // namespace

const command time_command{"time", "check an RFC 3339 timestamp and print it normalised to UTC", time_help, cmd_time};

}  // namespace kapctl
