#pragma once

// The definitions of kap/session/session.hpp's out-of-line members: the steps every event takes
// (this file), the rules of each event type (rules-inl.hpp), the requirements
// (requirements-inl.hpp) and the schedule (schedule-inl.hpp). Not a public header: compiled into
// kap::core by src/session/session.cpp, or included by session.hpp when KAP_HEADER_ONLY is
// defined (fmt's format-inl.h model). KAP_FUNC is `inline` only then.

#include <kap/session/session_private-inl.hpp>
#include <kap/core/detail/hash.hpp>

#include <boost/describe/members.hpp>
#include <boost/mp11/algorithm.hpp>

#include <kap/session/requirements-inl.hpp>
#include <kap/session/rules-inl.hpp>
#include <kap/session/schedule-inl.hpp>

#include <algorithm>
#include <cassert>

namespace kap {

KAP_FUNC session::session(std::shared_ptr<const validated_protocol> protocol, session_id id, logger& log)
    : protocol_(std::move(protocol)), log_(&log), logging_(&log != &no_logger()) {
  st_.id = std::move(id);
  st_.protocol = protocol_->definition().id;
  st_.phase = protocol_->definition().initial;
  phase_index_ = tables().initial;
  critical_bounds_ = detail::bounds_of(protocol_->definition().vitals.critical);
  set_hold(protocol_->definition().vitals.hold);
  const auto& sched = protocol_->definition().schedules;
  schedule_since_.assign(sched.vitals.size(), std::nullopt);
  measure_last_at_.assign(sched.measures.size(), std::nullopt);
}

KAP_FUNC void session::reserve(std::size_t events) {
  st_.timeline.reserve(events);
  hashes_.reserve(events);
  ids_.reserve(events);
}

KAP_FUNC void session::set_hold(const vitals_limits& hold) {
  hold_ = hold;
  hold_bounds_ = detail::bounds_of(hold_);
  calm_bounds_ = detail::tighter(hold_bounds_, critical_bounds_);
}

KAP_FUNC decision session::apply(const event& e) {
  decision d;  // one decision, filled in place: no copy of it on the way out
  d.event = e.id;
  decide(e, d);
  return d;
}

KAP_FUNC bool session::reject(decision& d, const event& e, errc code, std::string message, std::vector<unmet> unmet,
                              std::vector<alert> alerts) const {
  if (logging_ && log_->enabled(log_level::debug)) {
    log_->write(log_level::debug, "session " + st_.id.str() + " event " + e.id.str() + " (" +
                                      std::string(wire_name(e.type())) + ") rejected: " + std::string(to_string(code)));
  }
  d.outcome = outcome::rejected;
  d.code = code;
  d.message = std::move(message);
  d.unmet = std::move(unmet);
  d.alerts = std::move(alerts);
  return false;
}

KAP_FUNC bool session::check_actor(const event& e, decision& d) const {
  const event_type type = e.type();
  // Only named roles hold a bit (validate refuses a protocol listing any other value), so an
  // unnamed one (only the C++ API makes one) may record nothing; it is refused as such.
  const auto role_bit = static_cast<unsigned>(e.actor.role);
  const bool may = role_bit < 32 && (tables().may_record[static_cast<std::size_t>(type)] >> role_bit & 1U) != 0;
  if (!may && enum_name(e.actor.role).empty()) {
    return reject(d, e, errc::unknown_enum, unnamed_value_text("actor role", e.actor.role));
  }
  if (const auto& roster = definition().roster) {
    bool on = false;
    for (const auto& r : *roster) {
      on = on || (r.id == e.actor.id && std::find(r.roles.begin(), r.roles.end(), e.actor.role) != r.roles.end());
    }
    if (!on && e.actor.role != role::patient && e.actor.role != role::system) {
      return reject(d, e, errc::unauthorized,
                    "actor " + e.actor.id.str() + " is not on the roster as a " + std::string(to_string(e.actor.role)));
    }
  }
  if (!may) return reject(d, e, errc::unauthorized, detail::unauthorized_message(e.actor.role, type));
  if (protocol_->permission_for(type).licensed && !e.actor.licensed) {
    return reject(d, e, errc::unauthorized,
                  detail::a_or_an(wire_name(type)) + " event needs a licensed " + std::string(to_string(e.actor.role)));
  }
  return true;
}

KAP_FUNC bool session::decide(const event& e, decision& d) {
  if (e.session != st_.id) {
    return reject(d, e, errc::unknown_session, "event for session " + e.session.str() + " applied to session " + st_.id.str());
  }
  // One pass gives both hashes: the content hash starts with the id (the header's first member),
  // and its state after the id is the id's own hash.
  detail::fnv1a h;
  h.str(e.id.str());
  const std::uint64_t id_hash = h.finish();
  static_assert(boost::mp11::mp_size<boost::describe::describe_members<event_header, boost::describe::mod_public>>::value == 4,
                "the content hash names every header member: id, session, at, actor");
  detail::hash_append(h, e.session);
  detail::hash_append(h, e.at);
  detail::hash_append(h, e.actor);
  detail::hash_append(h, e.body);
  if (const auto pos = ids_.find(id_hash, [&](std::size_t k) { return st_.timeline[k].id == e.id; })) {
    if (hashes_[*pos] == h.h) {
      d.outcome = outcome::duplicate;
      d.code = errc::duplicate;
      d.message = "event " + e.id.str() + " was already applied; nothing changed";
      return false;
    }
    return reject(d, e, errc::conflicting_duplicate, "event id " + e.id.str() + " was already used for a different event");
  }
  if (st_.closed) return reject(d, e, errc::session_closed, "the session is closed (phase " + st_.phase + ")");
  if (st_.last_event_at && e.at < *st_.last_event_at) {
    return reject(d, e, errc::out_of_order,
                  "event at " + format_rfc3339(e.at) + " is earlier than the last event at " +
                      format_rfc3339(*st_.last_event_at));
  }
  if (!check_actor(e, d)) return false;

  // The event type's rule checks it; nothing before the commit below changes the session.
  pending p;
  if (!std::visit([&](const auto& body) { return check(e, body, p, d); }, e.body)) return false;
  overdue_alerts(e, p, d.alerts);

  // Commit: the event is accepted.
  const event_type type = e.type();
  unsigned changed = parts_changed_by(type);
  if (type == event_type::vitals) {
    // A reading only moves the vitals schedules' due instants later and only completes dose
    // checks: while nothing of such a part is due, the cached answer for it (nothing due before
    // its part_until_) stays true, so it is not walked again.
    for (const unsigned part : {part_vitals, part_dose_checks}) {
      if (std::none_of(due_hits_.begin(), due_hits_.end(), [&](const due_hit& hit) { return hit.part == part; })) {
        changed &= ~part;
      }
    }
  }
  if (!st_.phase_since) st_.phase_since = e.at;  // the first event starts the initial phase
  if (st_.timeline.empty()) {
    enter_phase(definition().initial, e.at);
    changed = all_parts;
  }
  st_.last_event_at = e.at;
  std::visit([&](const auto& body) { commit(e, body, p); }, e.body);
  settle_alerts(p, d.alerts, changed, e.at);
  remember(e, h.h, id_hash);
  return true;
}

KAP_FUNC bool session::has_open(const pending& p, detail::alert_key key) const noexcept {
  return open_.contains(key) || std::find(p.raised.begin(), p.raised.end(), key) != p.raised.end();
}

KAP_FUNC void session::raise(pending& p, std::vector<alert>& out, const event& e, detail::alert_key key,
                             alert_severity sev, std::string subject, std::string message) const {
  out.push_back(alert{key.kind, sev, std::move(subject), std::move(message), e.at, e.id, true});
  p.raised.push_back(key);
}

// Keeps the new alerts, then closes every alert whose condition this event cleared (an overdue
// check that this very reading satisfies is recorded, already closed).
KAP_FUNC void session::settle_alerts(const pending& p, std::vector<alert>& raised, unsigned changed_parts,
                                     timestamp at) {
  const std::size_t first_new = st_.alerts.size();
  assert(p.raised.size() == raised.size() && "every alert of an accepted event comes through raise()");
  for (std::size_t i = 0; i < raised.size(); ++i) {
    open_.add(static_cast<std::uint32_t>(st_.alerts.size()), p.raised[i]);
    st_.alerts.push_back(raised[i]);
  }
  bool overdue_open = false;
  for (const auto& [position, key] : open_.entries()) {
    alert& a = st_.alerts[position];
    switch (key.kind) {
      case alert_kind::check_overdue: overdue_open = true; break;
      case alert_kind::phase_overrun:
        if (key.subject != static_cast<std::uint32_t>(phase_index_)) a.open = false;
        break;
      case alert_kind::adverse_event:
        if (p.adverse_resolved && key.subject / 2 == *p.adverse_resolved) a.open = false;  // both levels of the kind
        break;
      case alert_kind::vitals_hold:
      case alert_kind::vitals_critical: {
        // A reading of the same sign within the alert's limits clears it. Other hold limits (a
        // screening with another age) judge the latest reading of the sign again; a reading
        // that the new limits put outside raises its alert when the next reading comes, and
        // until then `vitals_within` already refuses it.
        const bool hold = key.kind == alert_kind::vitals_hold;
        const detail::vitals_bounds& bounds = hold ? hold_bounds_ : critical_bounds_;
        const unsigned bits = detail::sign_bits(static_cast<vital_sign>(key.subject));
        auto clears = [&](const detail::vitals_values& x) {
          return (x.present & bits) != 0 && detail::within_bounds(x, bounds, bits);
        };
        if (p.reading.present != 0 ? clears(p.reading)
                                   : hold && p.hold_changed && clears(detail::values_of(latest_readings()))) {
          a.open = false;
        }
        break;
      }
      case alert_kind::dose_limit: break;  // never open: a dose limit alert comes only with a refusal
    }
  }
  // The parts of the schedule this event changed are walked again; the others keep their answer.
  if (changed_parts != 0) refresh_due(at, changed_parts);
  if (overdue_open) {
    // An overdue alert stays open while its check is still due after this event.
    for (const auto& open : open_.entries()) {
      if (open.key.kind != alert_kind::check_overdue) continue;
      const std::uint32_t check = open.key.subject;
      const bool still =
          std::any_of(due_hits_.begin(), due_hits_.end(), [&](const due_hit& hit) { return hit.check == check; });
      if (!still) st_.alerts[open.position].open = false;
    }
  }
  open_.remove_if([&](const detail::open_alerts::entry& x) { return !st_.alerts[x.position].open; });
  for (std::size_t i = 0; i < raised.size(); ++i) raised[i].open = st_.alerts[first_new + i].open;
}

KAP_FUNC void session::enter_phase(std::string_view id, timestamp t) {
  const auto& def = definition();
  const int next = protocol_->phase_index(id);
  const std::size_t phases = def.phases.size();
  for (std::size_t i = 0; i < def.schedules.vitals.size(); ++i) {
    const bool active = tables().vitals_active[i * phases + static_cast<std::size_t>(next)] != 0;
    if (!active) {
      schedule_since_[i].reset();
    } else if (!schedule_since_[i]) {
      schedule_since_[i] = t;
    }
  }
  st_.phase.assign(id.data(), id.size());
  st_.phase_since = t;
  phase_index_ = next;
  if (is_terminal(def.phases[static_cast<std::size_t>(next)].kind)) {
    st_.closed = true;
    for (auto& s : schedule_since_) s.reset();
  }
}

KAP_FUNC void session::remember(const event& e, std::uint64_t content, std::uint64_t id_hash) {
  timeline_entry& entry = st_.timeline.emplace_back();  // in place: the id is copied once, not moved again
  entry.id = e.id;
  entry.type = e.type();
  entry.at = e.at;
  entry.role = e.actor.role;
  hashes_.push_back(content);
  ids_.push_back(id_hash);
  if (logging_ && log_->enabled(log_level::debug)) {
    log_->write(log_level::debug, "session " + st_.id.str() + " event " + e.id.str() + " (" +
                                      std::string(wire_name(entry.type)) + ") accepted; phase " + st_.phase);
  }
}

KAP_FUNC vitals_reading session::latest_readings() const {
  vitals_reading r;
  if (st_.systolic) r.systolic = mmhg{st_.systolic->value};
  if (st_.diastolic) r.diastolic = mmhg{st_.diastolic->value};
  if (st_.heart_rate) r.heart_rate = bpm{st_.heart_rate->value};
  if (st_.spo2) r.spo2 = spo2_percent{st_.spo2->value};
  if (st_.respiratory_rate) r.respiratory_rate = breaths_per_min{st_.respiratory_rate->value};
  return r;
}

}  // namespace kap
