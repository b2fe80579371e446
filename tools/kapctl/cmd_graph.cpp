// kapctl graph PROTOCOL [--format dot|mermaid] [--events EVENTS.jsonl] [--no-notes]
#include "command.hpp"
#include "files.hpp"

#include <kap/graph/graph.hpp>
#include <kap/json.hpp>
#include <kap/session/session.hpp>

#include <memory>
#include <ostream>
#include <string>

namespace kapctl {

constexpr std::string_view graph_help =
    "Usage: kapctl graph PROTOCOL [--format dot|mermaid] [--events EVENTS.jsonl] [--no-notes]\n\n"
    "Prints the protocol as a diagram: Graphviz dot (the default; render it with 'dot -Tsvg') or a\n"
    "Mermaid flowchart. Phases are nodes (shape and colour by kind, durations and entry\n"
    "requirements inside), transitions are edges labelled with their requirements, an abort is a\n"
    "dashed edge from \"any phase\", and the dose rules and schedules are notes (--no-notes drops\n"
    "them). PROTOCOL is a kap.protocol/1 file or the name of a reference protocol (kapctl\n"
    "protocols) when no file of that name exists.\n"
    "--events replays one session's events (JSON Lines, docs/events.md; \"-\" reads standard\n"
    "input) through the session engine and highlights the phase the session is in; rejected\n"
    "events change nothing, as in 'kapctl run'.\n"
    "Exit status: 0 printed, 1 invalid protocol or events (a bad line, more than one session),\n"
    "2 unreadable file or usage error.\n";

namespace {

int cmd_graph(std::span<const std::string_view> args, io& io) {
  arg_parser a(args, {"--format", "--events"}, {"--no-notes"});
  if (!a.error().empty()) return usage_error(io, "graph", a.error());
  if (a.positional().size() != 1) return usage_error(io, "graph", "give one protocol file or reference name");
  kap::graph::options o;
  if (const auto f = a.value("--format")) {
    auto parsed = kap::graph::parse_format(*f);
    if (!parsed) return usage_error(io, "graph", "--format: " + parsed.error().message);
    o.format = *parsed;
  }
  o.notes = !a.flag("--no-notes");
  auto loaded = load_protocol("graph", a.positional()[0], io, io.err);
  if (!loaded.protocol) return loaded.status;
  if (const auto events_path = a.value("--events")) {
    auto text = read_input("graph", *events_path, io);
    if (!text) return exit_usage;
    std::unique_ptr<kap::session> s;
    for (auto& l : kap::json::read_events_jsonl(*text)) {
      if (!l.event) {
        io.err << "kapctl graph: " << *events_path << ": " << l.event.error().message << "\n";
        return exit_invalid;
      }
      if (!s) {
        s = std::make_unique<kap::session>(loaded.protocol, l.event->session);
      } else if (s->id() != l.event->session) {
        io.err << "kapctl graph: " << *events_path << ": line " << l.line << ": session " << l.event->session.str()
               << " after session " << s->id().str() << "; give one session's events\n";
        return exit_invalid;
      }
      (void)s->apply(*l.event);
    }
    if (!s) {
      io.err << "kapctl graph: " << *events_path << ": no events\n";
      return exit_invalid;
    }
    io.out << kap::graph::render(*s, o);
    return exit_ok;
  }
  io.out << kap::graph::render(loaded.protocol->definition(), o);
  return exit_ok;
}

}  // namespace

const command graph_command{"graph", "draw a protocol as Graphviz dot or Mermaid", graph_help, cmd_graph};

}  // namespace kapctl
