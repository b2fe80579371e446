// kapctl protocols  |  kapctl protocol show NAME|PROTOCOL.json
#include "command.hpp"
#include "files.hpp"

#include <kap/json/reference.hpp>

#include <algorithm>
#include <filesystem>
#include <iomanip>
#include <ostream>
#include <string>

namespace kapctl {

extern const std::string_view protocols_help;
const std::string_view protocols_help =
    "Usage: kapctl protocols\n\n"
    "Lists the reference protocols built into kap, one per line: its name and its title.\n"
    "Any command that takes PROTOCOL.json (validate, run) also takes one of these names, and\n"
    "'kapctl protocol show NAME' prints its JSON. They illustrate published practice and are\n"
    "not medical advice; docs/protocols.md describes each with its sources.\n"
    "Exit status: 0 success, 2 usage error.\n";

extern const std::string_view protocol_help;
const std::string_view protocol_help =
    "Usage: kapctl protocol show NAME|PROTOCOL.json\n\n"
    "Prints a protocol's kap.protocol/1 JSON on stdout: the text of the reference protocol NAME\n"
    "(see 'kapctl protocols'), or of the file PROTOCOL.json (\"-\" reads standard input) after\n"
    "reading and validating it. A file that exists wins over a reference name.\n"
    "Exit status: 0 success, 1 the file is not a valid protocol (problems on stdout, as\n"
    "'kapctl validate' prints them), 2 usage error, unknown name or unreadable file.\n";

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

int cmd_protocol(std::span<const std::string_view> args, io& io) {
  arg_parser p(args, {}, {});
  if (!p.error().empty()) return usage_error(io, "protocol", p.error());
  const auto& pos = p.positional();
  if (pos.empty() || pos[0] != "show") return usage_error(io, "protocol", "the only subcommand is 'show NAME'");
  if (pos.size() != 2) return usage_error(io, "protocol", "give one reference protocol name or protocol file");
  const std::string_view what = pos[1];
  std::error_code ec;
  const bool is_file = what == "-" || std::filesystem::exists(std::filesystem::path(std::string(what)), ec);
  auto text = read_protocol_input("protocol show", what, io);
  if (!text) return exit_usage;
  if (is_file) {  // a reference protocol is valid by construction (the tests check it); a file may not be
    auto loaded = load_protocol_text("protocol show", what, *text, io, io.err);  // stdout is for the protocol
    if (!loaded.protocol) return loaded.status;
  }
  io.out << *text;
  if (!text->empty() && text->back() != '\n') io.out << "\n";
  return exit_ok;
}

}  // namespace kapctl
