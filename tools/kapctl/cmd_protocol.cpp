// kapctl protocol show NAME|PROTOCOL.json
#include "command.hpp"
#include "files.hpp"

#include <filesystem>
#include <ostream>
#include <string>
#include <system_error>

namespace kapctl {

constexpr std::string_view protocol_help =
    "Usage: kapctl protocol show NAME|PROTOCOL.json\n\n"
    "Prints a protocol's kap.protocol/1 JSON on stdout: the text of the reference protocol NAME\n"
    "(see 'kapctl protocols'), or of the file PROTOCOL.json (\"-\" reads standard input) after\n"
    "reading and validating it. A file that exists wins over a reference name.\n"
    "Exit status: 0 success, 1 the file is not a valid protocol (problems on stdout, as\n"
    "'kapctl validate' prints them), 2 usage error, unknown name or unreadable file.\n";

namespace {

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

}  // namespace

const command protocol_command{"protocol", "print a protocol's JSON (protocol show NAME|FILE)", protocol_help,
                               cmd_protocol};

}  // namespace kapctl
