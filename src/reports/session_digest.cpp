// The session report's digest of a session (session_report_private.hpp), and how its times and
// doses are written.
#include "session_report_private.hpp"

#include "svg.hpp"

#include <kap/core/enum_name.hpp>
#include <kap/core/time.hpp>

#include <algorithm>
#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace kap::reports::detail {

namespace {

std::optional<phase_kind> kind_of(const protocol_summary& p, std::string_view id) {
  for (const auto& ph : p.phases) {
    if (ph.id == id) return ph.kind;
  }
  return std::nullopt;
}

}  // namespace

digest digest_session(const session_report_input& in) {
  digest g;
  std::map<std::string, const decision*> by_id;
  const bool aligned = in.decisions.size() == in.events.size();
  if (!aligned) {
    for (const auto& d : in.decisions) by_id.emplace(d.event.str(), &d);
  }
  std::string current = in.protocol.initial;
  auto enter = [&](const std::string& to, timestamp at) {
    if (!g.phases.empty() && g.phases.back().id == to) return;
    if (!g.phases.empty()) g.phases.back().end = at;
    g.phases.push_back({to, kind_of(in.protocol, to), at, at});
  };
  for (std::size_t i = 0; i < in.events.size(); ++i) {
    const event& e = in.events[i];
    const decision* d = nullptr;
    if (aligned) {
      d = &in.decisions[i];
    } else if (auto it = by_id.find(e.id.str()); it != by_id.end()) {
      d = it->second;
    }
    const outcome o = d ? d->outcome : outcome::accepted;
    if (o == outcome::duplicate) {
      ++g.duplicate;
      continue;
    }
    if (o == outcome::rejected) {
      ++g.rejected;
      g.rejections.push_back({&e, d});
      // A refused dose over the limit raises an alert on a rejected decision.
      if (d) g.alerts.insert(g.alerts.end(), d->alerts.begin(), d->alerts.end());
      continue;
    }
    ++g.accepted;
    if (!g.first) {
      g.first = e.at;
      enter(current.empty() ? std::string("(initial)") : current, e.at);
    }
    g.last = g.last ? std::max(*g.last, e.at) : e.at;
    if (d) g.alerts.insert(g.alerts.end(), d->alerts.begin(), d->alerts.end());
    if (const auto* ph = std::get_if<events::phase>(&e.body)) {
      enter(ph->to, e.at);
    } else if (std::holds_alternative<events::abort>(e.body)) {
      std::string aborted = "aborted";
      for (const auto& ph2 : in.protocol.phases) {
        if (ph2.kind == phase_kind::aborted) aborted = ph2.id;
      }
      enter(aborted, e.at);
    } else if (const auto* v = std::get_if<events::vitals>(&e.body)) {
      ++g.vitals_events;
      if (v->systolic) g.systolic.push_back({e.at, v->systolic->count()});
      if (v->diastolic) g.diastolic.push_back({e.at, v->diastolic->count()});
      if (v->heart_rate) g.heart_rate.push_back({e.at, v->heart_rate->count()});
      if (v->spo2) g.spo2.push_back({e.at, v->spo2->count()});
    } else if (const auto* sc = std::get_if<events::screening>(&e.body)) {
      g.age = sc->age;
    } else if (const auto* ds = std::get_if<events::dose>(&e.body)) {
      g.doses.push_back({e.at, std::string(enum_name(ds->drug)), std::string(enum_name(ds->route)), ds->mg.count()});
    }
  }
  if (!g.phases.empty()) g.phases.back().end = *g.last;
  return g;
}

// --- time formatting ------------------------------------------------------------------------------

std::string hhmm(timestamp t) { return format_rfc3339(t).substr(11, 5); }
std::string ymd(timestamp t) { return format_rfc3339(t).substr(0, 10); }

double minutes_between(timestamp a, timestamp b) {
  return std::chrono::duration<double, std::ratio<60>>(b - a).count();
}

std::string dose_text(const dose_mark& d) { return num(d.mg, 2) + " mg " + d.drug + " " + d.route; }

}  // namespace kap::reports::detail
