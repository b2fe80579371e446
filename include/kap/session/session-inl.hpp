#pragma once

// The definitions of kap/session/session.hpp's out-of-line members. Not a public header: it is
// compiled into kap::core by src/session/session.cpp, or included by session.hpp when
// KAP_HEADER_ONLY is defined (fmt's format-inl.h model). KAP_FUNC is `inline` only then.

#include <kap/session/session.hpp>

namespace kap {

namespace detail {
/// Appends "a word" or "an word".
KAP_FUNC void append_a_or_an(std::string& out, std::string_view word) {
  const bool vowel = !word.empty() && std::string_view("aeiou").find(word.front()) != std::string_view::npos;
  out.append(vowel ? "an " : "a ");
  out.append(word);
}
/// "a word" or "an word".
KAP_FUNC std::string a_or_an(std::string_view word) {
  std::string out;
  append_a_or_an(out, word);
  return out;
}
/// "no phase "x" in the protocol" for a phase id shaped like a code; otherwise a sentence that
/// does not echo it (kap/detail/code_text.hpp).
KAP_FUNC std::string unknown_phase_text(std::string_view target) {
  if (!is_code(target)) return "unknown phase (not a phase id of this protocol)";
  return "no phase " + quoted_if_code(target) + " in the protocol";
}
/// "a therapist may not record a dose event", for every role and event type, built once: the
/// most common refusal costs one string copy.
KAP_FUNC std::string build_unauthorized_message(role r, event_type t) {
  std::string m;
  append_a_or_an(m, to_string(r));
  m.append(" may not record ");
  append_a_or_an(m, wire_name(t));
  m.append(" event");
  return m;
}
KAP_FUNC std::string unauthorized_message(role r, event_type t) {
  constexpr std::size_t roles = boost::mp11::mp_size<boost::describe::describe_enumerators<role>>::value;
  static const std::vector<std::string> table = [] {
    std::vector<std::string> v;
    v.reserve(roles * event_type_count);
    for (std::size_t i = 0; i < roles; ++i) {
      for (std::size_t k = 0; k < event_type_count; ++k) {
        v.push_back(build_unauthorized_message(static_cast<role>(i), static_cast<event_type>(k)));
      }
    }
    return v;
  }();
  const auto i = static_cast<std::size_t>(r);
  const auto k = static_cast<std::size_t>(t);
  if (i >= roles || k >= event_type_count) return build_unauthorized_message(r, t);
  return table[i * event_type_count + k];
}
}  // namespace detail

KAP_FUNC std::optional<std::string> session::explain(const requirement& req, timestamp t) const {
  using namespace requirements;
  return std::visit(
      [&](const auto& r) -> std::optional<std::string> {
        using R = std::remove_cvref_t<decltype(r)>;
        if constexpr (std::is_same_v<R, consent_signed>) {
          if (!st_.consent) return "consent not signed";
        } else if constexpr (std::is_same_v<R, screening_passed>) {
          switch (st_.screening.status) {
            case screening_status::not_screened: return "screening not recorded";
            case screening_status::excluded:
              return "screening excluded the subject (" + st_.screening.absolute_present.front() + ")";
            case screening_status::needs_review:
              return "relative contraindication " + st_.screening.relative_pending.front() +
                     " needs a recorded override";
            case screening_status::eligible: break;
          }
        } else if constexpr (std::is_same_v<R, checklist_done>) {
          if (std::find(st_.checklist.begin(), st_.checklist.end(), r.item) == st_.checklist.end()) {
            return "checklist item " + r.item + " not done";
          }
        } else if constexpr (std::is_same_v<R, vitals_within>) {
          const vitals_limits& lim = r.limits ? *r.limits : hold_;
          const timestamp oldest = t - r.max_age;
          const bool bp_limited = lim.systolic_max || lim.diastolic_max || lim.systolic_min;
          auto fresh = [&](const std::optional<last_reading>& x, std::string_view name,
                           bool limited) -> std::optional<std::string> {
            if (!limited) return std::nullopt;
            if (!x || x->at < oldest) {
              return "no " + std::string(name) + " recorded in the last " + std::to_string(r.max_age.count()) + " min";
            }
            return std::nullopt;
          };
          if (auto why = fresh(st_.systolic, "blood pressure", bp_limited)) return why;
          if (auto why = fresh(st_.heart_rate, "heart rate", lim.heart_rate_min || lim.heart_rate_max)) return why;
          if (auto why = fresh(st_.spo2, "SpO2", lim.spo2_min.has_value())) return why;
          if (auto why = fresh(st_.respiratory_rate, "respiratory rate",
                               lim.respiratory_rate_min || lim.respiratory_rate_max)) {
            return why;
          }
          const vitals_reading latest = latest_readings();
          if (!within(latest, lim)) return check(latest, lim).front().message;
        } else if constexpr (std::is_same_v<R, min_time_in_phase>) {
          const timestamp since = st_.phase_since.value_or(t);
          if (t - since < r.duration) {
            return minutes_text(t - since) + " in phase " + st_.phase + "; " +
                   ceil_minutes_text(r.duration - (t - since)) + " more required";
          }
        } else if constexpr (std::is_same_v<R, min_time_since_dose>) {
          if (const auto last = last_dose_at(); last && t - *last < r.duration) {
            return minutes_text(t - *last) + " since the last dose; " + ceil_minutes_text(r.duration - (t - *last)) +
                   " more required";
          }
        } else if constexpr (std::is_same_v<R, measure_recorded>) {
          for (const auto& m : st_.measures) {
            if (m.instrument == r.instrument) return std::nullopt;
          }
          return "no " + r.instrument + " recorded";
        } else if constexpr (std::is_same_v<R, measure_at_most>) {
          for (const auto& m : st_.measures) {
            if (m.instrument != r.instrument) continue;
            if (!m.total) return r.instrument + " has no total to compare";
            if (*m.total > r.value) {
              return r.instrument + " total " + std::to_string(*m.total) + " is above " + std::to_string(r.value);
            }
            return std::nullopt;
          }
          return "no " + r.instrument + " recorded";
        } else if constexpr (std::is_same_v<R, signed_off>) {
          for (const auto& s : st_.signoffs) {
            if (s.what == r.what && s.role == r.role) return std::nullopt;
          }
          return r.what + " not signed off by a " + std::string(to_string(r.role));
        } else if constexpr (std::is_same_v<R, no_open_alerts>) {
          for (const std::uint32_t i : open_) {
            const alert& a = st_.alerts[i];
            if (a.severity >= r.severity) return "open alert: " + a.message;
          }
        } else if constexpr (std::is_same_v<R, dose_given>) {
          if (st_.doses.empty()) return "no dose given";
        } else if constexpr (std::is_same_v<R, predicate>) {
          if (r.check) {
            if (auto why = (*r.check)(*this, t)) return r.name + ": " + *why;
          }
        }
        return std::nullopt;
      },
      req);
}

KAP_FUNC void session::collect_move(std::string_view target, timestamp t, std::vector<unmet>& out) const {
  const auto& def = definition();
  const kap::phase& current = def.phases[phase_index()];
  if (const auto since = st_.phase_since; current.min_duration && since && t - *since < *current.min_duration) {
    out.push_back({"min_time_in_phase", minutes_text(t - *since) + " in phase " + current.id + "; " +
                                            ceil_minutes_text(*current.min_duration - (t - *since)) +
                                            " more required"});
  }
  if (const transition* tr = protocol_->find_transition(current.id, target)) collect(tr->require, t, out);
  if (const kap::phase* p = def.find_phase(target)) collect(p->entry, t, out);
}

KAP_FUNC std::vector<unmet> session::blockers(std::string_view target, timestamp t) const {
  std::vector<unmet> out;
  if (st_.closed) {
    out.push_back({"session_open", "the session is closed"});
    return out;
  }
  if (!definition().find_phase(target)) {
    out.push_back({"transition", detail::unknown_phase_text(target)});
    return out;
  }
  if (!protocol_->find_transition(st_.phase, target)) {
    out.push_back({"transition", "no transition from " + st_.phase + " to " + std::string(target)});
    return out;
  }
  if (is_excluded() && definition().find_phase(target)->kind != phase_kind::aborted) {
    out.push_back({"screening_passed", "screening excluded the subject (" + st_.screening.absolute_present.front() + ")"});
  }
  collect_move(target, t, out);
  return out;
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
  visit_due(t, [&](unsigned part, std::uint32_t check, timestamp at, bool overdue) {
    const char* kind = part == part_vitals ? "vitals" : part == part_dose_checks ? "dose_check" : "measure";
    out.push_back({kind, tables().check_names[check], at, overdue});
  });
  std::stable_sort(out.begin(), out.end(), [](const due_item& a, const due_item& b) { return a.due_at < b.due_at; });
  return out;
}

// Raises an alert for each check overdue at the event (one per check name, and none while one is
// open).
KAP_FUNC void session::overdue_alerts(const event& e, std::vector<alert>& out) {
  if (e.at >= due_until_ || e.at < due_checked_at_) refresh_due(e.at, all_parts);
  for (const due_hit& hit : due_hits_) {
    if (!hit.overdue || has_open(alert_kind::check_overdue, hit.check)) continue;
    // One alert per check name: it quotes the earliest due instant among that name's schedules.
    timestamp due_at = hit.due_at;
    for (const due_hit& other : due_hits_) {
      if (other.check == hit.check && other.overdue && other.due_at < due_at) due_at = other.due_at;
    }
    const std::string& what = tables().check_names[hit.check];
    raise(out, e, alert_kind::check_overdue, alert_severity::warning, hit.check, what,
          what + " check was due at " + format_rfc3339(due_at) + " and is overdue");
  }
  const kap::phase& current = definition().phases[phase_index()];
  if (current.max_duration && st_.phase_since && e.at - *st_.phase_since > *current.max_duration &&
      !has_open(alert_kind::phase_overrun, static_cast<std::uint32_t>(phase_index_))) {
    raise(out, e, alert_kind::phase_overrun, alert_severity::warning, static_cast<std::uint32_t>(phase_index_),
          current.id,
          "phase " + current.id + " has lasted " + minutes_text(e.at - *st_.phase_since) + ", over its " +
              std::to_string(current.max_duration->count()) + " min maximum");
  }
}

KAP_FUNC screening_outcome session::evaluate_screening(const std::map<std::string, bool>& answers,
                                                     const std::vector<std::string>& overridden) const {
  screening_outcome o;
  for (const auto& c : definition().contraindications) {
    const auto it = answers.find(c.name);
    if (it == answers.end() || !it->second) continue;
    if (c.tier != tier::relative) {  // fail safe: only a relative contraindication may be overridden
      o.absolute_present.push_back(c.name);
    } else if (std::find(overridden.begin(), overridden.end(), c.name) != overridden.end()) {
      o.relative_overridden.push_back(c.name);
    } else {
      o.relative_pending.push_back(c.name);
    }
  }
  o.status = !o.absolute_present.empty()   ? screening_status::excluded
             : !o.relative_pending.empty() ? screening_status::needs_review
                                           : screening_status::eligible;
  return o;
}

KAP_FUNC bool session::check_screening(const event& e, const events::screening& s, decision& out) const {
  if (!st_.doses.empty()) {
    return reject(out, e, errc::requirement_unmet, "screening cannot change after a dose has been given");
  }
  if (!std::isfinite(s.weight_kg.count())) {  // only the C++ API makes one; the JSON readers refuse it
    return reject(out, e, errc::invalid_quantity, "weight_kg is not a finite number");
  }
  if (s.weight_kg.count() <= 0 || s.weight_kg.count() > max_plausible_weight_kg) {
    return reject(out, e, errc::out_of_range, "weight_kg " + detail::num(s.weight_kg.count()) + " is outside 0-500");
  }
  if (s.age < 0 || s.age > max_plausible_age) {
    return reject(out, e, errc::out_of_range, "age " + std::to_string(s.age) + " is outside 0-" +
                                                  std::to_string(max_plausible_age));
  }
  for (const auto& [name, yes] : s.answers) {
    (void)yes;
    bool known = false;
    for (const auto& c : definition().contraindications) known = known || c.name == name;
    if (!known) {
      return reject(out, e, errc::unknown_field,
                    detail::is_code(name) ? "screening answer for " + detail::quoted_if_code(name) +
                                                ", which this protocol does not ask about"
                                          : std::string("screening answer for an unknown name (not a contraindication "
                                                        "this protocol asks about)"));
    }
  }
  for (const auto& c : definition().contraindications) {
    if (!s.answers.contains(c.name)) return reject(out, e, errc::missing_field, "screening has no answer for " + c.name);
  }
  return true;
}

KAP_FUNC bool session::check_dose(const event& e, const events::dose& d, std::optional<mg_per_kg>& per_kg,
                                decision& out) const {
  if (enum_name(d.drug).empty()) return reject(out, e, errc::unknown_enum, unnamed_value_text("dose drug", d.drug));
  if (enum_name(d.route).empty()) return reject(out, e, errc::unknown_enum, unnamed_value_text("dose route", d.route));
  if (is_excluded()) {
    return reject(out, e, errc::excluded,
                  "screening excluded the subject (" + st_.screening.absolute_present.front() + "); no dose may be given");
  }
  if (current_kind() != phase_kind::dosing) {
    return reject(out, e, errc::requirement_unmet, "doses are recorded in a dosing phase, not in " + st_.phase);
  }
  std::vector<unmet> missing;
  collect(definition().dose_requires, e.at, missing);
  if (!missing.empty()) {
    std::string msg = "dose requirements not met: " + missing.front().message;
    return reject(out, e, errc::requirement_unmet, std::move(msg), std::move(missing));
  }
  const dose_limit* lim = definition().find_limit(d.route);
  const std::string route_name(enum_name(d.route));
  std::vector<alert> alerts;
  auto refuse = [&](std::string why) {
    add_alert(alerts, e, alert_kind::dose_limit, alert_severity::critical, route_name, why);
    return reject(out, e, errc::dose_limit, std::move(why), {}, std::move(alerts));
  };
  if (!lim) return refuse("route " + route_name + " is not allowed by this protocol");
  if (d.drug != lim->drug) {
    return refuse(std::string(enum_name(d.drug)) + " is not allowed by the " + route_name + " route of this protocol");
  }
  if (!std::isfinite(d.mg.count())) {  // only the C++ API makes one; the JSON readers refuse it
    return reject(out, e, errc::invalid_quantity, "dose mg is not a finite number");
  }
  if (d.mg.count() <= 0) return reject(out, e, errc::out_of_range, "dose must be more than 0 mg");
  // Built only for a refusal's sentence.
  const auto mg_text = [&] { return detail::num(d.mg.count()) + " mg"; };
  if (lim->max_mg && d.mg > *lim->max_mg) {
    return refuse(mg_text() + " is above the " + detail::num(lim->max_mg->count()) + " mg limit per dose");
  }
  if (lim->min_mg && d.mg < *lim->min_mg) {
    return refuse(mg_text() + " is below the " + detail::num(lim->min_mg->count()) + " mg minimum per dose");
  }
  if (st_.weight) per_kg = d.mg / *st_.weight;
  if (lim->max_mg_per_kg) {
    if (!st_.weight) {
      return reject(out, e, errc::requirement_unmet, "a weight-based limit needs a screening weight",
                    {{"screening_passed", "no screening weight recorded"}});
    }
    const milligrams allowed = *lim->max_mg_per_kg * *st_.weight;
    if (d.mg > allowed * (1 + 1e-9)) {
      return refuse(mg_text() + " is " + detail::num(std::round(per_kg->count() * 1000) / 1000) + " mg/kg, above the " +
                    detail::num(lim->max_mg_per_kg->count()) + " mg/kg limit (" +
                    detail::num(std::round(allowed.count() * 100) / 100) + " mg for " +
                    detail::num(st_.weight->count()) + " kg)");
    }
  }
  if (lim->step_mg) {
    const double steps = d.mg / *lim->step_mg;
    if (std::abs(steps - std::round(steps)) > 1e-9) {
      return refuse(mg_text() + " is not a whole number of " + detail::num(lim->step_mg->count()) + " mg steps");
    }
  }
  int same_route = 0;
  milligrams route_total{0};
  std::optional<timestamp> last_on_route;
  for (const auto& g : st_.doses) {
    if (g.route != d.route) continue;
    ++same_route;
    route_total += g.mg;
    last_on_route = g.at;
  }
  if (same_route >= lim->max_doses) {
    return refuse("a dose by " + route_name + " would be number " + std::to_string(same_route + 1) + "; the limit is " +
                  std::to_string(lim->max_doses) + " per session");
  }
  if (lim->max_cumulative_mg && route_total + d.mg > *lim->max_cumulative_mg * (1 + 1e-9)) {
    return refuse(mg_text() + " would bring the session total to " + detail::num((route_total + d.mg).count()) +
                  " mg, above the " + detail::num(lim->max_cumulative_mg->count()) + " mg cumulative limit");
  }
  if (last_on_route && e.at - *last_on_route < lim->min_interval) {
    return refuse(minutes_text(e.at - *last_on_route) + " since the last " + route_name + " dose; the minimum interval is " +
                  std::to_string(lim->min_interval.count()) + " min");
  }
  return true;
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

KAP_FUNC decision session::apply(const event& e) {
  decision d;  // one decision, filled in place: no copy of it on the way out
  d.event = e.id;
  decide(e, d);
  return d;
}

KAP_FUNC bool session::decide(const event& e, decision& d) {
  const auto& def = definition();
  const event_type type = e.type();
  if (e.session != st_.id) {
    return reject(d, e, errc::unknown_session, "event for session " + e.session.str() + " applied to session " + st_.id.str());
  }
  new_tags_.clear();
  // One pass gives both hashes: the content hash starts with the id (the header's first member),
  // and its state after the id is the id's own hash.
  detail::fnv1a h;
  h.str(e.id.str());
  const std::uint64_t id_hash = h.finish();
  const std::uint64_t bloom_h = bloom_.empty() ? 0 : bloom_hash(id_hash);
  // In a long session the id index outgrows the caches: start loading the Bloom word while the
  // rest of the content hash is computed.
  if (!bloom_.empty()) prefetch(&bloom_word(bloom_h));
  static_assert(boost::mp11::mp_size<boost::describe::describe_members<event_header, boost::describe::mod_public>>::value == 4,
                "the content hash names every header member: id, session, at, actor");
  detail::hash_append(h, e.session);
  detail::hash_append(h, e.at);
  detail::hash_append(h, e.actor);
  detail::hash_append(h, e.body);
  if (const auto pos = maybe_seen(bloom_h) ? find_id(e.id, id_hash) : std::nullopt) {
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
    return reject(d, e, errc::out_of_order, "event at " + format_rfc3339(e.at) + " is earlier than the last event at " +
                                             format_rfc3339(*st_.last_event_at));
  }
  // Only named roles hold a bit (validate refuses a protocol listing any other value), so an
  // unnamed one (only the C++ API makes one) may record nothing; it is refused as such.
  const auto role_bit = static_cast<unsigned>(e.actor.role);
  const bool may = role_bit < 32 && (may_record_[static_cast<std::size_t>(type)] >> role_bit & 1U) != 0;
  if (!may && enum_name(e.actor.role).empty()) {
    return reject(d, e, errc::unknown_enum, unnamed_value_text("actor role", e.actor.role));
  }
  if (def.roster) {
    bool on = false;
    for (const auto& r : *def.roster) {
      on = on || (r.id == e.actor.id && std::find(r.roles.begin(), r.roles.end(), e.actor.role) != r.roles.end());
    }
    if (!on && e.actor.role != role::patient && e.actor.role != role::system) {
      return reject(d, e, errc::unauthorized, "actor " + e.actor.id.str() + " is not on the roster as a " +
                                               std::string(to_string(e.actor.role)));
    }
  }
  if (!may) return reject(d, e, errc::unauthorized, detail::unauthorized_message(e.actor.role, type));
  if (protocol_->permission_for(type).licensed && !e.actor.licensed) {
    return reject(d, e, errc::unauthorized, detail::a_or_an(wire_name(type)) + " event needs a licensed " +
                                             std::string(to_string(e.actor.role)));
  }
  // The quiet path: the usual reading, plausible and within both sets of limits, while no
  // vitals alert is open and nothing but measures is due (see update_quiet). Such a reading
  // raises and closes no alert and changes no schedule answer: the full path below would only
  // keep its values.
  if (type == event_type::vitals && e.at < quiet_until_) {
    const auto& v = std::get<events::vitals>(e.body);
    const vitals_values r = values_of(v);
    if (r.present != 0 && within_bounds(r, quiet_bounds_)) {
      st_.last_event_at = e.at;
      keep_reading(v, e.at);
      remember(e, type, h.h, id_hash);
      return true;
    }
  }

  // Type-specific checks: nothing below mutates the state until the commit section.
  std::vector<alert>& alerts = d.alerts;
  std::optional<mg_per_kg> per_kg;
  std::optional<int> measure_total;
  const std::string* target = nullptr;
  vitals_values reading;  // a vitals event's values: they may clear open alerts
  std::optional<std::uint32_t> adverse_resolved;  // the adverse event kind this event resolves
  bool hold_changed = false;  // a screening moved the subject to other hold limits

  switch (type) {
    case event_type::screening: {
      if (!check_screening(e, std::get<events::screening>(e.body), d)) return false;
      break;
    }
    case event_type::override_contraindication: {
      const auto& o = std::get<events::override_contraindication>(e.body);
      const contraindication* c = nullptr;
      for (const auto& x : def.contraindications) {
        if (x.name == o.contraindication) c = &x;
      }
      if (!c) {
        return reject(d, e, errc::unknown_field,
                      detail::is_code(o.contraindication)
                          ? "this protocol has no contraindication " + detail::quoted_if_code(o.contraindication)
                          : std::string("unknown contraindication (not a contraindication of this protocol)"));
      }
      if (c->tier == tier::absolute) {
        return reject(d, e, errc::excluded, "absolute contraindication " + c->name + " cannot be overridden");
      }
      if (o.justification.empty()) return reject(d, e, errc::missing_field, "an override needs a justification");
      if (st_.screening.status == screening_status::not_screened) {
        return reject(d, e, errc::requirement_unmet, "no screening recorded to override");
      }
      if (std::find(st_.screening.relative_pending.begin(), st_.screening.relative_pending.end(), c->name) ==
          st_.screening.relative_pending.end()) {
        return reject(d, e, errc::requirement_unmet, "screening did not report " + c->name + " as present and pending");
      }
      break;
    }
    case event_type::consent:
    case event_type::note:
    case event_type::abort:
      break;
    case event_type::checklist:
      if (std::get<events::checklist>(e.body).item.empty()) {
        return reject(d, e, errc::missing_field, "checklist item must not be empty");
      }
      break;
    case event_type::phase: {
      target = &std::get<events::phase>(e.body).to;
      const kap::phase* p = def.find_phase(*target);
      if (!p) return reject(d, e, errc::invalid_transition, detail::unknown_phase_text(*target));
      if (p->kind == phase_kind::aborted) break;  // an abort by phase event is always allowed
      if (!protocol_->find_transition(st_.phase, *target)) {
        return reject(d, e, errc::invalid_transition, "no transition from " + st_.phase + " to " + *target);
      }
      if (is_excluded()) {
        return reject(d, e, errc::excluded, "screening excluded the subject (" + st_.screening.absolute_present.front() +
                                             "); only an abort is allowed");
      }
      std::vector<unmet> missing;
      collect_move(*target, e.at, missing);
      if (!missing.empty()) {
        std::string msg = "cannot move to " + *target + ": " + missing.front().message;
        if (missing.size() > 1) msg += " (and " + std::to_string(missing.size() - 1) + " more)";
        return reject(d, e, errc::requirement_unmet, std::move(msg), std::move(missing));
      }
      break;
    }
    case event_type::vitals: {
      const auto& v = std::get<events::vitals>(e.body);
      reading = values_of(v);
      if (reading.present == 0) return reject(d, e, errc::missing_field, "a vitals event needs at least one value");
      static constexpr vitals_bounds plausible = plausible_bounds();
      static constexpr std::array<const char*, 5> names{"systolic", "diastolic", "heart_rate", "spo2",
                                                        "respiratory_rate"};
      if (const unsigned implausible = outside_bounds(reading, plausible); implausible != 0) {
        const auto i = static_cast<std::size_t>(std::countr_zero(implausible));  // the first, in reading order
        if (!std::isfinite(reading.v[i])) {  // only the C++ API makes one; the JSON readers refuse it
          return reject(d, e, errc::invalid_quantity, std::string(names[i]) + " is not a finite number");
        }
        return reject(d, e, errc::out_of_range,
                      std::string(names[i]) + " " + detail::num(reading.v[i]) + " is outside 0-" +
                          detail::num(plausible.hi[i]));
      }
      // A sign outside the critical limits raises (or keeps) a critical alert; a sign outside
      // only the hold limits raises a hold warning, also while an earlier critical alert for it
      // is being closed by this very reading.
      if (within_bounds(reading, calm_bounds_)) break;  // the usual reading: within both sets of limits
      std::vector<vitals_violation> critical;
      if (!within_bounds(reading, critical_bounds_)) critical = check(v.reading(), def.vitals.critical);
      for (auto& viol : critical) {
        const auto sign = static_cast<std::uint32_t>(viol.sign);
        if (!has_open(alert_kind::vitals_critical, sign)) {
          raise(alerts, e, alert_kind::vitals_critical, alert_severity::critical, sign, std::string(enum_name(viol.sign)),
                viol.message);
        }
      }
      if (!within_bounds(reading, hold_bounds_)) {
        for (auto& viol : check(v.reading(), hold_)) {
          const bool critical_too = std::any_of(critical.begin(), critical.end(),
                                                [&](const vitals_violation& c) { return c.sign == viol.sign; });
          const auto sign = static_cast<std::uint32_t>(viol.sign);
          if (!critical_too && !has_open(alert_kind::vitals_hold, sign)) {
            raise(alerts, e, alert_kind::vitals_hold, alert_severity::warning, sign, std::string(enum_name(viol.sign)),
                  std::move(viol.message));
          }
        }
      }
      break;
    }
    case event_type::dose: {
      if (!check_dose(e, std::get<events::dose>(e.body), per_kg, d)) return false;
      break;
    }
    case event_type::measure: {
      const auto& m = std::get<events::measure>(e.body);
      std::vector<std::string_view> tokens;
      tokens.reserve(m.items.size());
      for (const auto& it : m.items) tokens.emplace_back(it.text);
      auto scored = measures::score_tokens(m.instrument, tokens);
      if (!scored) return reject(d, e, scored.error().code, scored.error().message);
      measure_total = scored->total;
      if (e.actor.role == role::patient && !detail::is_self_report(m.instrument)) {
        return reject(d, e, errc::unauthorized, "a patient may record self-report measures only; " +
                                                 m.instrument.substr(0, 32) + " is clinician-rated");
      }
      break;
    }
    case event_type::intervention:
      if (std::get<events::intervention>(e.body).kind.empty()) {
        return reject(d, e, errc::missing_field, "intervention kind must not be empty");
      }
      if (std::get<events::intervention>(e.body).minutes < minutes{0}) {  // only the C++ API makes one
        return reject(d, e, errc::out_of_range, "intervention minutes must not be negative");
      }
      break;
    case event_type::adverse_event: {
      const auto& a = std::get<events::adverse_event>(e.body);
      if (enum_name(a.severity).empty()) {
        return reject(d, e, errc::unknown_enum, unnamed_value_text("adverse event severity", a.severity));
      }
      if (a.outcome && enum_name(*a.outcome).empty()) {
        return reject(d, e, errc::unknown_enum, unnamed_value_text("adverse event outcome", *a.outcome));
      }
      if (a.kind.empty()) return reject(d, e, errc::missing_field, "adverse event kind must not be empty");
      // The kind is meant to be a code (nausea, dissociation); free text typed into it stays in
      // the event and never reaches an alert or a message, which reports and logs show.
      const std::string kind = detail::is_code(a.kind) ? a.kind : std::string("unspecified");
      const std::uint32_t k = adverse_kind_number(a.kind);
      if (k == adverse_kinds_.size() && k >= max_adverse_kinds && !a.resolves()) {
        return reject(d, e, errc::out_of_range,
                      "a session records at most " + std::to_string(max_adverse_kinds) + " distinct adverse event kinds");
      }
      const bool unresolved = k < adverse_unresolved_.size() && adverse_unresolved_[k] != 0;
      if (a.resolves()) {
        if (!unresolved) {
          return reject(d, e, errc::requirement_unmet, "no unresolved adverse event " + kind + " to resolve");
        }
        adverse_resolved = k;
      } else if (a.severity != events::severity::mild) {
        // One open alert per kind and level: a moderate and a severe report of the same kind
        // raise one alert each; a repeated report while its alert is open raises none.
        const bool severe = a.severity == events::severity::severe;
        const std::uint32_t key = k * 2 + (severe ? 1U : 0U);
        if (!has_open(alert_kind::adverse_event, key)) {
          raise(alerts, e, alert_kind::adverse_event, severe ? alert_severity::critical : alert_severity::warning, key,
                kind, std::string(enum_name(a.severity)) + " adverse event: " + kind);
        }
      }
      break;
    }
    case event_type::signoff:
      if (std::get<events::signoff>(e.body).what.empty()) {
        return reject(d, e, errc::missing_field, "sign-off must name what is signed off");
      }
      break;
  }
  overdue_alerts(e, alerts);

  // Commit: the event is accepted.
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
    enter_phase(def.initial, e.at);
    changed = all_parts;
  }
  st_.last_event_at = e.at;
  switch (type) {
    case event_type::screening: {
      const auto& s = std::get<events::screening>(e.body);
      st_.screening = evaluate_screening(s.answers, overridden_);
      st_.screening_answers = s.answers;
      st_.weight = s.weight_kg;
      st_.age = s.age;
      const vitals_limits hold = hold_for_age(def.vitals, s.age);
      hold_changed = hold != hold_;
      hold_ = hold;
      hold_bounds_ = bounds_of(hold_);
      calm_bounds_ = tighter(hold_bounds_, critical_bounds_);
      quiet_bounds_ = tighter(calm_bounds_, plausible_bounds());
      break;
    }
    case event_type::override_contraindication:
      overridden_.push_back(std::get<events::override_contraindication>(e.body).contraindication);
      st_.screening = evaluate_screening(st_.screening_answers, overridden_);
      break;
    case event_type::consent: st_.consent = true; break;
    case event_type::checklist: {
      const auto& item = std::get<events::checklist>(e.body).item;
      if (std::find(st_.checklist.begin(), st_.checklist.end(), item) == st_.checklist.end()) {
        if (st_.checklist.empty()) st_.checklist.reserve(checklist_room);  // one allocation for a usual checklist
        st_.checklist.push_back(item);
      }
      break;
    }
    case event_type::phase: enter_phase(*target, e.at); break;
    case event_type::abort: enter_phase(protocol_->aborted_phase(), e.at); break;
    case event_type::vitals: keep_reading(std::get<events::vitals>(e.body), e.at); break;
    case event_type::dose: {
      const auto& dose = std::get<events::dose>(e.body);
      st_.doses.push_back(dose_record{e.at, dose.drug, dose.route, dose.mg, per_kg});
      st_.cumulative_mg += dose.mg;
      break;
    }
    case event_type::measure: {
      const auto& m = std::get<events::measure>(e.body);
      bool found = false;
      for (auto& rec : st_.measures) {
        if (rec.instrument == m.instrument) {
          rec.total = measure_total;
          rec.at = e.at;
          found = true;
        }
      }
      if (!found) st_.measures.push_back(measure_record{m.instrument, measure_total, e.at});
      for (std::size_t k = 0; k < measure_last_at_.size(); ++k) {
        if (def.schedules.measures[k].instrument == m.instrument) measure_last_at_[k] = e.at;
      }
      break;
    }
    case event_type::signoff:
      st_.signoffs.push_back(signoff_record{std::get<events::signoff>(e.body).what, e.actor.role, e.at});
      break;
    case event_type::adverse_event: {
      const auto& a = std::get<events::adverse_event>(e.body);
      const std::uint32_t k = adverse_kind_number(a.kind);
      if (k == adverse_kinds_.size()) {
        adverse_kinds_.emplace(a.kind, k);
        adverse_unresolved_.push_back(0);
      }
      adverse_unresolved_[k] = adverse_resolved ? 0 : 1;
      break;
    }
    case event_type::note:
    case event_type::intervention: break;
  }
  // Keep the new alerts, then close every alert whose condition this event cleared (an overdue
  // check that this very reading satisfies is recorded, already closed).
  const std::size_t first_new = st_.alerts.size();
  assert(new_tags_.size() == alerts.size() && "every alert of an accepted event comes through raise()");
  for (std::size_t i = 0; i < alerts.size(); ++i) {
    open_.push_back(static_cast<std::uint32_t>(st_.alerts.size()));
    open_tag_.push_back(new_tags_[i]);
    st_.alerts.push_back(alerts[i]);
  }
  bool overdue_open = false;
  for (std::size_t j = 0; j < open_.size(); ++j) {
    alert& a = st_.alerts[open_[j]];
    const alert_kind kind = kind_of_tag(open_tag_[j]);
    const std::uint32_t key = key_of_tag(open_tag_[j]);
    if (kind == alert_kind::check_overdue) {
      overdue_open = true;
    } else if (kind == alert_kind::phase_overrun) {
      if (key != static_cast<std::uint32_t>(phase_index_)) a.open = false;
    } else if (kind == alert_kind::adverse_event) {
      if (adverse_resolved && key / 2 == *adverse_resolved) a.open = false;  // both levels of the kind
    } else if (kind == alert_kind::vitals_hold || kind == alert_kind::vitals_critical) {
      // A reading of the same sign within the alert's limits clears it. Other hold limits (a
      // screening with another age) judge the latest reading of the sign again; a reading that
      // the new limits put outside raises its alert when the next reading comes, and until then
      // `vitals_within` already refuses it.
      const bool hold = kind == alert_kind::vitals_hold;
      const vitals_bounds& bounds = hold ? hold_bounds_ : critical_bounds_;
      const unsigned bits = sign_bits(static_cast<vital_sign>(key));
      auto clears = [&](const vitals_values& x) { return (x.present & bits) != 0 && within_bounds(x, bounds, bits); };
      if (reading.present != 0 ? clears(reading) : hold && hold_changed && clears(values_of(latest_readings()))) {
        a.open = false;
      }
    }
  }
  // The parts of the schedule this event changed are walked again; the others keep their answer.
  if (changed != 0) refresh_due(e.at, changed);
  if (overdue_open) {
    // An overdue alert stays open while its check is still due after this event.
    for (std::size_t j = 0; j < open_.size(); ++j) {
      if (kind_of_tag(open_tag_[j]) != alert_kind::check_overdue) continue;
      const std::uint32_t key = key_of_tag(open_tag_[j]);
      const bool still = std::any_of(due_hits_.begin(), due_hits_.end(), [&](const due_hit& hit) { return hit.check == key; });
      if (!still) st_.alerts[open_[j]].open = false;
    }
  }
  std::size_t kept = 0;
  for (std::size_t j = 0; j < open_.size(); ++j) {
    if (!st_.alerts[open_[j]].open) continue;
    open_[kept] = open_[j];
    open_tag_[kept] = open_tag_[j];
    ++kept;
  }
  if (kept != open_.size()) {
    open_.erase(open_.begin() + static_cast<std::ptrdiff_t>(kept), open_.end());
    open_tag_.erase(open_tag_.begin() + static_cast<std::ptrdiff_t>(kept), open_tag_.end());
  }
  for (std::size_t i = 0; i < alerts.size(); ++i) alerts[i].open = st_.alerts[first_new + i].open;
  update_quiet();
  remember(e, type, h.h, id_hash);
  return true;
}

KAP_FUNC void session::keep_reading(const events::vitals& v, timestamp at) {
  auto keep = [&](std::optional<last_reading>& slot, const auto& x) {
    if (x) slot = last_reading{x->count(), at};
  };
  keep(st_.systolic, v.systolic);
  keep(st_.diastolic, v.diastolic);
  keep(st_.heart_rate, v.heart_rate);
  keep(st_.spo2, v.spo2);
  keep(st_.respiratory_rate, v.respiratory_rate);
  last_vitals_at_ = at;
}

KAP_FUNC void session::remember(const event& e, event_type type, std::uint64_t content, std::uint64_t id_hash) {
  if (index_.empty() || (st_.timeline.size() + 1) * 2 > index_.size()) grow_index((st_.timeline.size() + 1) * 2);
  timeline_entry& entry = st_.timeline.emplace_back();  // in place: the id is copied once, not moved again
  entry.id = e.id;
  entry.type = type;
  entry.at = e.at;
  entry.role = e.actor.role;
  hashes_.push_back(content);
  index_newest(id_hash);
  if (logging_ && log_->enabled(log_level::debug)) {
    log_->write(log_level::debug, "session " + st_.id.str() + " event " + e.id.str() + " (" +
                                      std::string(wire_name(type)) + ") accepted; phase " + st_.phase);
  }
}

// A reading may skip the full path while the full path could do nothing but keep its values:
//  - no vitals alert is open (a reading could close it);
//  - every check due is a measure (a reading re-walks the vitals and dose-check parts of the
//    schedule when one of theirs is due), and each overdue one has its alert open already (a
//    check turns overdue only as time passes, which due_until_ bounds, so the full path has
//    raised that alert by now; the test below only guards this);
//  - the cached schedule answer holds (before due_until_: nothing falls due or turns overdue);
//  - the phase has not run over its maximum, or its overrun alert is open already.
// A reading within quiet_bounds_ is plausible and raises no vitals alert, so under these
// conditions the full path would raise no alert, close none and walk no part of the schedule.
KAP_FUNC void session::update_quiet() {
  quiet_until_ = timestamp::min();
  if (!quiet_path_) return;
  // Open now, after the commit (not has_open, which also counts this event's alerts, some of
  // which the commit may have closed at once).
  auto open = [&](alert_kind kind, std::uint32_t key) {
    return std::find(open_tag_.begin(), open_tag_.end(), tag_of(kind, key)) != open_tag_.end();
  };
  for (const std::uint32_t tag : open_tag_) {
    const alert_kind kind = kind_of_tag(tag);
    if (kind == alert_kind::vitals_hold || kind == alert_kind::vitals_critical) return;
  }
  for (const due_hit& hit : due_hits_) {
    if (hit.part != part_measures || (hit.overdue && !open(alert_kind::check_overdue, hit.check))) return;
  }
  timestamp until = due_until_;
  const kap::phase& current = definition().phases[phase_index()];
  if (current.max_duration && st_.phase_since &&
      !open(alert_kind::phase_overrun, static_cast<std::uint32_t>(phase_index_))) {
    // The full path raises the overrun alert once more than max_duration has passed.
    until = std::min(until, *st_.phase_since + *current.max_duration + duration{1});
  }
  quiet_until_ = until;
}

}  // namespace kap
