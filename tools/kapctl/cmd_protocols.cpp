// kapctl protocols - the reference protocols built into kap.
#include "command.hpp"

#include <kap/json/reference.hpp>

#include <algorithm>
#include <iomanip>
#include <ostream>
#include <string>

namespace kapctl {

constexpr std::string_view protocols_help =
    "Usage: kapctl protocols\n\n"
    "Lists the reference protocols built into kap, one per line: its name and its title.\n"
    "Any command that takes PROTOCOL.json (validate, run) also takes one of these names, and\n"
    "'kapctl protocol show NAME' prints its JSON. They illustrate published practice and are\n"
    "not medical advice; docs/protocols.md describes each with its sources.\n"
    "Exit status: 0 success, 2 usage error.\n";

namespace {

int cmd_protocols(std::span<const std::string_view> args, io& io) {
  arg_parser p(args, {}, {});
  if (!p.error().empty()) return usage_error(io, "protocols", p.error());
  if (!p.positional().empty()) return usage_error(io, "protocols", "takes no arguments");
  const auto names = kap::json::reference_protocol_names();
  std::size_t width = 0;
  for (auto n : names) width = std::max(width, n.size());
  for (auto n : names) {
    auto proto = kap::json::reference_protocol(n);
    if (!proto) {  // a build-time defect; the tests make it impossible
      io.err << "kapctl protocols: " << n << ": " << proto.error().message << "\n";
      return exit_invalid;
    }
    io.out << std::left << std::setw(static_cast<int>(width + 2)) << n << proto->title << "\n";
  }
  return exit_ok;
}

}  // namespace

const command protocols_command{"protocols", "list the reference protocols built into kap", protocols_help,
                                cmd_protocols};

}  // namespace kapctl
