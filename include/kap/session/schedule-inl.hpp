#pragma once

// The schedule of kap/session/session.hpp: which checks fall due when (vitals every N minutes
// while a phase runs, checks after each dose, measures in a phase), the cache of what is due at
// the last event, and the alerts for overdue checks and overrun phases. Not a public header:
// part of session-inl.hpp.

#include <kap/session/session_private-inl.hpp>

namespace kap {

KAP_FUNC unsigned session::parts_changed_by(event_type type) noexcept {
  switch (type) {
    case event_type::vitals: return part_vitals | part_dose_checks;  // the last reading anchors both
    case event_type::dose: return part_dose_checks;
    case event_type::measure: return part_measures;
    case event_type::phase:
    case event_type::abort: return all_parts;
    default: return 0;
  }
}

template <class F>
void session::walk_schedule(unsigned parts, F&& f) const {
  if (st_.closed) return;
  const auto& def = definition();
  const minutes grace = def.schedules.grace;
  if ((parts & part_vitals) != 0) {
    for (std::size_t i = 0; i < def.schedules.vitals.size(); ++i) {
      if (!schedule_since_[i]) continue;
      timestamp anchor = *schedule_since_[i];
      if (last_vitals_at_ && *last_vitals_at_ > anchor) anchor = *last_vitals_at_;
      const timestamp due_at = anchor + def.schedules.vitals[i].every;
      f(part_vitals, tables().vitals_check, due_at, due_at, due_at + grace);
    }
  }
  if ((parts & part_dose_checks) != 0 && !def.schedules.dose_checks.empty()) {
    const timestamp last_bp = st_.systolic ? st_.systolic->at : timestamp::min();
    for (const auto& d : st_.doses) {
      for (std::size_t k = 0; k < def.schedules.dose_checks.size(); ++k) {
        const auto& c = def.schedules.dose_checks[k];
        const timestamp window = d.at + c.after - c.tolerance;
        if (last_bp >= window) continue;  // done
        f(part_dose_checks, tables().dose_check_id[k], window, d.at + c.after, d.at + c.after + c.tolerance);
      }
    }
  }
  if ((parts & part_measures) == 0 || !st_.phase_since) return;
  for (std::size_t k = 0; k < tables().measure_phase.size(); ++k) {
    if (tables().measure_phase[k] != phase_index_) continue;
    if (measure_last_at_[k] && *measure_last_at_[k] >= *st_.phase_since) continue;  // done in this phase
    f(part_measures, tables().measure_id[k], timestamp::min(), *st_.phase_since, *st_.phase_since + grace);
  }
}

KAP_FUNC void session::refresh_due(timestamp t, unsigned parts) {
  due_checked_at_ = t;
  std::erase_if(due_hits_, [&](const due_hit& hit) { return (hit.part & parts) != 0; });
  for (unsigned k = 0; k < 3; ++k) {
    if ((parts & (1U << k)) != 0) part_until_[k] = timestamp::max();
  }
  walk_schedule(parts, [&](unsigned part, std::uint32_t check, timestamp from, timestamp at, timestamp after) {
    timestamp& until = part_until_[part == part_vitals ? 0 : part == part_dose_checks ? 1 : 2];
    if (t < from) {
      until = std::min(until, from);  // falls due then
      return;
    }
    const bool overdue = t > after;
    if (!overdue) until = std::min(until, after + timestamp::duration{1});  // turns overdue then
    due_hits_.push_back({part, check, at, overdue});
  });
  due_until_ = std::min({part_until_[0], part_until_[1], part_until_[2]});
}

KAP_FUNC std::vector<due_item> session::due(timestamp t) const {
  std::vector<due_item> out;
  walk_schedule(all_parts, [&](unsigned part, std::uint32_t check, timestamp from, timestamp at, timestamp after) {
    if (t < from) return;
    const char* kind = part == part_vitals ? "vitals" : part == part_dose_checks ? "dose_check" : "measure";
    out.push_back({kind, tables().check_names[check], at, t > after});
  });
  std::stable_sort(out.begin(), out.end(), [](const due_item& a, const due_item& b) { return a.due_at < b.due_at; });
  return out;
}

// Raises an alert for each check overdue at the event (one per check name, and none while one is
// open).
KAP_FUNC void session::overdue_alerts(const event& e, pending& p, std::vector<alert>& out) {
  if (e.at >= due_until_ || e.at < due_checked_at_) refresh_due(e.at, all_parts);
  for (const due_hit& hit : due_hits_) {
    if (!hit.overdue || has_open(p, {alert_kind::check_overdue, hit.check})) continue;
    // One alert per check name: it quotes the earliest due instant among that name's schedules.
    timestamp due_at = hit.due_at;
    for (const due_hit& other : due_hits_) {
      if (other.check == hit.check && other.overdue && other.due_at < due_at) due_at = other.due_at;
    }
    const std::string& what = tables().check_names[hit.check];
    raise(p, out, e, {alert_kind::check_overdue, hit.check}, alert_severity::warning, what,
          what + " check was due at " + format_rfc3339(due_at) + " and is overdue");
  }
  const kap::phase& current = definition().phases[phase_index()];
  if (current.max_duration && st_.phase_since && e.at - *st_.phase_since > *current.max_duration &&
      !has_open(p, {alert_kind::phase_overrun, static_cast<std::uint32_t>(phase_index_)})) {
    raise(p, out, e, {alert_kind::phase_overrun, static_cast<std::uint32_t>(phase_index_)}, alert_severity::warning,
          current.id,
          "phase " + current.id + " has lasted " + detail::minutes_text(e.at - *st_.phase_since) + ", over its " +
              std::to_string(current.max_duration->count()) + " min maximum");
  }
}

}  // namespace kap
