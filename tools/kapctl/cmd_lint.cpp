// kapctl lint PROTOCOL [--json] [--strict]
#include "command.hpp"
#include "files.hpp"

#include <kap/json.hpp>
#include <kap/protocol/lint.hpp>

#include <ostream>
#include <string>
#include <vector>

namespace kapctl {

constexpr std::string_view lint_help =
    "Usage: kapctl lint PROTOCOL [--json] [--strict]\n\n"
    "Statically verifies a protocol beyond 'kapctl validate' (docs/protocol-format.md, \"Lint\"):\n"
    "requirements that can never hold (an event no permitted role may record, a sign-off role no\n"
    "one holds, min_time_in_phase beyond the phase's max_duration), monitoring from any dose to\n"
    "discharge (a vitals schedule in every phase, a minimum time since the last dose to enter\n"
    "discharge), phases with no way to discharge or abort, and schedules that cannot be met.\n"
    "PROTOCOL is a kap.protocol/1 file (\"-\" reads standard input) or the name of a reference\n"
    "protocol (kapctl protocols) when no file of that name exists. Structural problems are\n"
    "reported too, with the code \"invalid\".\n"
    "Prints one line per finding, \"severity code path: sentence\", then a count; --json prints\n"
    "one object {\"protocol\",\"version\",\"errors\",\"warnings\",\"findings\":[{\"code\",\"severity\",\n"
    "\"path\",\"message\"}]} instead.\n"
    "Exit status: 0 no error (warnings allowed unless --strict), 1 any error (or, with --strict,\n"
    "any warning), 2 unreadable file or usage error.\n";

namespace {

struct lint_report {
  std::string protocol;
  std::string version;
  std::size_t errors = 0;
  std::size_t warnings = 0;
  std::vector<kap::lint_finding> findings;
};
BOOST_DESCRIBE_STRUCT(lint_report, (), (protocol, version, errors, warnings, findings))

int cmd_lint(std::span<const std::string_view> args, io& io) {
  arg_parser a(args, {}, {"--json", "--strict"});
  if (!a.error().empty()) return usage_error(io, "lint", a.error());
  if (a.positional().size() != 1) return usage_error(io, "lint", "give one protocol file or reference name");
  const std::string_view path = a.positional()[0];
  const auto text = read_protocol_input("lint", path, io);
  if (!text) return exit_usage;
  auto p = kap::json::read_protocol(*text);
  if (!p) {  // read and found not to be a protocol: exit 1, as for validate
    io.err << "kapctl lint: " << path << ": " << p.error().message << "\n";
    return error_status(p.error());
  }
  lint_report r;
  r.protocol = p->id.str();
  r.version = p->version;
  for (auto& pr : kap::check_protocol(*p)) {
    r.findings.push_back({"invalid", kap::lint_severity::error, std::move(pr.path), std::move(pr.message)});
  }
  for (auto& f : kap::lint(*p)) r.findings.push_back(std::move(f));
  for (const auto& f : r.findings) (f.severity == kap::lint_severity::error ? r.errors : r.warnings) += 1;
  if (a.flag("--json")) {
    io.out << kap::json::to_string(r) << "\n";
  } else {
    for (const auto& f : r.findings) {
      io.out << kap::enum_name(f.severity) << " " << f.code << " " << f.path << ": " << f.message << "\n";
    }
    io.out << "protocol " << r.protocol << " version " << r.version << ": " << r.errors
           << (r.errors == 1 ? " error, " : " errors, ") << r.warnings << (r.warnings == 1 ? " warning" : " warnings")
           << "\n";
  }
  const bool failed = r.errors > 0 || (a.flag("--strict") && r.warnings > 0);
  return failed ? exit_invalid : exit_ok;
}

}  // namespace

const command lint_command{"lint",
                           "statically verify a protocol: dead ends, unmonitored doses, requirements that never hold",
                           lint_help, cmd_lint};

}  // namespace kapctl
