// kapctl run PROTOCOL.json EVENTS.jsonl [--at RFC3339]
#include "command.hpp"
#include "files.hpp"
#include "summary.hpp"

#include <kap/json.hpp>
#include <kap/session/session.hpp>

#include <map>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

namespace kapctl {

constexpr std::string_view run_help =
    "Usage: kapctl run PROTOCOL.json EVENTS.jsonl [--at RFC3339]\n\n"
    "Runs the events (JSON Lines, docs/events.md; \"-\" reads standard input) through the session\n"
    "engine under the protocol (a file, or the name of a reference protocol built into kap when\n"
    "no file of that name exists: kapctl protocols). The first event of a new session id opens\n"
    "that session. Prints one JSON line per event with its decision:\n"
    "  {\"event\":\"e-3\",\"session\":\"S-1\",\"decision\":\"rejected\",\"code\":\"requirement_unmet\",\n"
    "   \"message\":\"...\",\"unmet\":[...],\"alerts\":[...]}\n"
    "then one summary line per session: phase, closed, open alerts, blockers for each next\n"
    "phase, and the checks due at --at (default: the session's last event).\n"
    "A line that cannot be decoded gets {\"line\":N,\"decision\":\"invalid\",\"code\":...,\"message\":...}.\n"
    "Exit status: 0 every event accepted (or a harmless duplicate), 1 any event rejected or\n"
    "invalid, 2 unreadable input or usage error.\n";

namespace {

struct run_line {
  std::optional<std::string> event;
  std::optional<std::string> session;
  std::optional<std::size_t> line;
  std::string decision;
  std::optional<std::string> code;
  std::optional<std::string> message;
  std::vector<kap::unmet> unmet;
  std::vector<kap::alert> alerts;
};
BOOST_DESCRIBE_STRUCT(run_line, (), (event, session, line, decision, code, message, unmet, alerts))

int cmd_run(std::span<const std::string_view> args, io& io) {
  arg_parser p(args, {"--at"}, {});
  if (!p.error().empty()) return usage_error(io, "run", p.error());
  if (p.positional().size() != 2) return usage_error(io, "run", "give a protocol file and an events file");
  std::optional<kap::timestamp> at;
  if (const auto text = p.value("--at")) {
    auto t = kap::parse_rfc3339(*text);
    if (!t) return usage_error(io, "run", "--at: " + t.error().message);
    at = *t;
  }
  auto loaded = load_protocol("run", p.positional()[0], io, io.err);
  if (!loaded.protocol) return loaded.status;
  auto events_text = read_input("run", p.positional()[1], io, std::size_t{64} << 20);  // 64 MiB of events
  if (!events_text) return exit_usage;

  struct tracked {
    std::unique_ptr<kap::session> session;
    std::size_t accepted = 0;
    std::size_t rejected = 0;
  };
  std::map<std::string, tracked> sessions;
  std::vector<std::string> order;
  int status = exit_ok;
  for (auto& l : kap::json::read_events_jsonl(*events_text)) {
    run_line out;
    if (!l.event) {
      out.line = l.line;
      out.decision = "invalid";
      out.code = std::string(kap::to_string(l.event.error().code));
      out.message = l.event.error().message;
      io.out << kap::json::to_string(out) << "\n";
      status = exit_invalid;
      continue;
    }
    const kap::event& e = *l.event;
    auto [it, fresh] = sessions.try_emplace(e.session.str());
    if (fresh) {
      it->second.session = std::make_unique<kap::session>(loaded.protocol, e.session);
      order.push_back(e.session.str());
    }
    auto d = it->second.session->apply(e);
    out.event = e.id.str();
    out.session = e.session.str();
    out.decision = std::string(kap::enum_name(d.outcome));
    if (d.code) out.code = std::string(kap::to_string(*d.code));
    if (!d.message.empty()) out.message = d.message;
    out.unmet = std::move(d.unmet);
    out.alerts = std::move(d.alerts);
    if (d.outcome == kap::outcome::rejected) {
      ++it->second.rejected;
      status = exit_invalid;
    } else {
      ++it->second.accepted;
    }
    io.out << kap::json::to_string(out) << "\n";
  }
  for (const auto& id : order) {
    const auto& t = sessions.at(id);
    const kap::session& s = *t.session;
    io.out << summary_line(s, t.accepted, t.rejected, at) << "\n";
  }
  return status;
}

}  // namespace

const command run_command{"run", "run events through the session engine under a protocol", run_help, cmd_run};

}  // namespace kapctl
