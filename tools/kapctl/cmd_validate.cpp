// kapctl validate PROTOCOL.json
#include "command.hpp"
#include "files.hpp"

#include <ostream>

namespace kapctl {

constexpr std::string_view validate_help =
    "Usage: kapctl validate PROTOCOL.json\n\n"
    "Reads a kap.protocol/1 file strictly and checks the definition: dangling phase references,\n"
    "phases unreachable from the initial one, phases from which no discharge can be reached,\n"
    "min_duration > max_duration, a dosing phase without a vitals schedule, a route without an\n"
    "amount limit, and more (docs/protocol-format.md). Prints one line per problem on stdout,\n"
    "as \"path: text\" with a JSON pointer into the file. PROTOCOL.json may also be the name of a\n"
    "reference protocol built into kap (kapctl protocols) when no file of that name exists.\n"
    "Exit status: 0 valid, 1 invalid (every problem listed), 2 unreadable file or usage error.\n";

namespace {

int cmd_validate(std::span<const std::string_view> args, io& io) {
  arg_parser p(args, {}, {});
  if (!p.error().empty()) return usage_error(io, "validate", p.error());
  if (p.positional().size() != 1) return usage_error(io, "validate", "give one protocol file");
  auto loaded = load_protocol("validate", p.positional()[0], io, io.out);
  if (!loaded.protocol) return loaded.status;
  const auto& def = loaded.protocol->definition();
  io.out << "protocol " << def.id.str() << " version " << def.version << " is valid: " << def.phases.size()
         << " phases, " << def.transitions.size() << " transitions\n";
  return exit_ok;
}

}  // namespace

const command validate_command{"validate", "check a kap.protocol/1 file and list every problem", validate_help,
                               cmd_validate};

}  // namespace kapctl
