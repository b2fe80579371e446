#pragma once

// The rules of kap/session/session.hpp, one event type after another: a check that reads the
// state and either notes what it found in the pending change or rejects the event, and a commit
// that applies an accepted event. A check changes nothing; a commit refuses nothing. A type
// missing here has the rule of session.hpp's templates (nothing to check, nothing to keep): a
// note, an intervention's commit, a consent's check. Not a public header: part of
// session-inl.hpp.

#include <kap/session/session_private-inl.hpp>

#include <kap/measures/score.hpp>

#include <algorithm>
#include <bit>
#include <cmath>

namespace kap {

// --- screening ----------------------------------------------------------------------------------

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

KAP_FUNC bool session::check(const event& e, const events::screening& s, pending&, decision& out) const {
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

KAP_FUNC void session::commit(const event&, const events::screening& s, pending& p) {
  st_.screening = evaluate_screening(s.answers, overridden_);
  st_.screening_answers = s.answers;
  st_.weight = s.weight_kg;
  st_.age = s.age;
  const vitals_limits hold = hold_for_age(definition().vitals, s.age);
  p.hold_changed = hold != hold_;
  set_hold(hold);
}

// --- override of a relative contraindication -----------------------------------------------------

KAP_FUNC bool session::check(const event& e, const events::override_contraindication& o, pending&, decision& d) const {
  const contraindication* c = nullptr;
  for (const auto& x : definition().contraindications) {
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
  return true;
}

KAP_FUNC void session::commit(const event&, const events::override_contraindication& o, pending&) {
  overridden_.push_back(o.contraindication);
  st_.screening = evaluate_screening(st_.screening_answers, overridden_);
}

// --- consent and checklist ------------------------------------------------------------------------

KAP_FUNC void session::commit(const event&, const events::consent&, pending&) { st_.consent = true; }

KAP_FUNC bool session::check(const event& e, const events::checklist& c, pending&, decision& d) const {
  if (c.item.empty()) return reject(d, e, errc::missing_field, "checklist item must not be empty");
  return true;
}

KAP_FUNC void session::commit(const event&, const events::checklist& c, pending&) {
  if (std::find(st_.checklist.begin(), st_.checklist.end(), c.item) != st_.checklist.end()) return;
  constexpr std::size_t checklist_room = 8;  // a clinical checklist has a handful: one allocation
  if (st_.checklist.empty()) st_.checklist.reserve(checklist_room);
  st_.checklist.push_back(c.item);
}

// --- phase moves and abort ------------------------------------------------------------------------

KAP_FUNC bool session::check(const event& e, const events::phase& ph, pending&, decision& d) const {
  const std::string& target = ph.to;
  const kap::phase* next = definition().find_phase(target);
  if (!next) return reject(d, e, errc::invalid_transition, detail::unknown_phase_text(target));
  if (next->kind == phase_kind::aborted) return true;  // an abort by phase event is always allowed
  if (!protocol_->find_transition(st_.phase, target)) {
    return reject(d, e, errc::invalid_transition, "no transition from " + st_.phase + " to " + target);
  }
  if (is_excluded()) {
    return reject(d, e, errc::excluded,
                  "screening excluded the subject (" + st_.screening.absolute_present.front() + "); only an abort is allowed");
  }
  std::vector<unmet> missing;
  collect_move(target, e.at, missing);
  if (!missing.empty()) {
    std::string msg = "cannot move to " + target + ": " + missing.front().message;
    if (missing.size() > 1) msg += " (and " + std::to_string(missing.size() - 1) + " more)";
    return reject(d, e, errc::requirement_unmet, std::move(msg), std::move(missing));
  }
  return true;
}

KAP_FUNC void session::commit(const event& e, const events::phase& ph, pending&) { enter_phase(ph.to, e.at); }

KAP_FUNC void session::commit(const event& e, const events::abort&, pending&) {
  enter_phase(protocol_->aborted_phase(), e.at);
}

// --- vitals -------------------------------------------------------------------------------------------

// A reading must be plausible. A sign outside the critical limits raises (or keeps) a critical
// alert; a sign outside only the hold limits raises a hold warning, also while an earlier
// critical alert for it is being closed by this very reading.
KAP_FUNC bool session::check(const event& e, const events::vitals& v, pending& p, decision& d) const {
  p.reading = detail::values_of(v);
  const detail::vitals_values& reading = p.reading;
  if (reading.present == 0) return reject(d, e, errc::missing_field, "a vitals event needs at least one value");
  static constexpr detail::vitals_bounds plausible = detail::plausible_bounds();
  static constexpr std::array<const char*, 5> names{"systolic", "diastolic", "heart_rate", "spo2", "respiratory_rate"};
  if (const unsigned implausible = detail::outside_bounds(reading, plausible); implausible != 0) {
    const auto i = static_cast<std::size_t>(std::countr_zero(implausible));  // the first, in reading order
    if (!std::isfinite(reading.v[i])) {  // only the C++ API makes one; the JSON readers refuse it
      return reject(d, e, errc::invalid_quantity, std::string(names[i]) + " is not a finite number");
    }
    return reject(d, e, errc::out_of_range,
                  std::string(names[i]) + " " + detail::num(reading.v[i]) + " is outside 0-" + detail::num(plausible.hi[i]));
  }
  if (detail::within_bounds(reading, calm_bounds_)) return true;  // the usual reading: within both sets of limits
  std::vector<vitals_violation> critical;
  if (!detail::within_bounds(reading, critical_bounds_)) critical = kap::check(v.reading(), definition().vitals.critical);
  for (auto& viol : critical) {
    const detail::alert_key key{alert_kind::vitals_critical, static_cast<std::uint32_t>(viol.sign)};
    if (!has_open(p, key)) {
      raise(p, d.alerts, e, key, alert_severity::critical, std::string(enum_name(viol.sign)), viol.message);
    }
  }
  if (!detail::within_bounds(reading, hold_bounds_)) {
    for (auto& viol : kap::check(v.reading(), hold_)) {
      const bool critical_too =
          std::any_of(critical.begin(), critical.end(), [&](const vitals_violation& c) { return c.sign == viol.sign; });
      const detail::alert_key key{alert_kind::vitals_hold, static_cast<std::uint32_t>(viol.sign)};
      if (!critical_too && !has_open(p, key)) {
        raise(p, d.alerts, e, key, alert_severity::warning, std::string(enum_name(viol.sign)), std::move(viol.message));
      }
    }
  }
  return true;
}

KAP_FUNC void session::commit(const event& e, const events::vitals& v, pending&) {
  auto keep = [&](std::optional<last_reading>& slot, const auto& x) {
    if (x) slot = last_reading{x->count(), e.at};
  };
  keep(st_.systolic, v.systolic);
  keep(st_.diastolic, v.diastolic);
  keep(st_.heart_rate, v.heart_rate);
  keep(st_.spo2, v.spo2);
  keep(st_.respiratory_rate, v.respiratory_rate);
  last_vitals_at_ = e.at;
}

// --- doses ------------------------------------------------------------------------------------------

KAP_FUNC bool session::check(const event& e, const events::dose& d, pending& p, decision& out) const {
  std::optional<mg_per_kg>& per_kg = p.per_kg;
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
    alerts.push_back(alert{alert_kind::dose_limit, alert_severity::critical, route_name, why, e.at, e.id, true});
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
    return refuse(detail::minutes_text(e.at - *last_on_route) + " since the last " + route_name + " dose; the minimum interval is " +
                  std::to_string(lim->min_interval.count()) + " min");
  }
  return true;
}

KAP_FUNC void session::commit(const event& e, const events::dose& dose, pending& p) {
  st_.doses.push_back(dose_record{e.at, dose.drug, dose.route, dose.mg, p.per_kg});
  st_.cumulative_mg += dose.mg;
}

// --- measures ---------------------------------------------------------------------------------------

KAP_FUNC bool session::check(const event& e, const events::measure& m, pending& p, decision& d) const {
  std::vector<std::string_view> tokens;
  tokens.reserve(m.items.size());
  for (const auto& it : m.items) tokens.emplace_back(it.text);
  auto scored = measures::score_tokens(m.instrument, tokens);
  if (!scored) return reject(d, e, scored.error().code, scored.error().message);
  p.measure_total = scored->total;
  if (e.actor.role == role::patient && !detail::is_self_report(m.instrument)) {
    return reject(d, e, errc::unauthorized,
                  "a patient may record self-report measures only; " + m.instrument.substr(0, 32) + " is clinician-rated");
  }
  return true;
}

KAP_FUNC void session::commit(const event& e, const events::measure& m, pending& p) {
  bool found = false;
  for (auto& rec : st_.measures) {
    if (rec.instrument == m.instrument) {
      rec.total = p.measure_total;
      rec.at = e.at;
      found = true;
    }
  }
  if (!found) st_.measures.push_back(measure_record{m.instrument, p.measure_total, e.at});
  for (std::size_t k = 0; k < measure_last_at_.size(); ++k) {
    if (definition().schedules.measures[k].instrument == m.instrument) measure_last_at_[k] = e.at;
  }
}

// --- interventions --------------------------------------------------------------------------------

KAP_FUNC bool session::check(const event& e, const events::intervention& i, pending&, decision& d) const {
  if (i.kind.empty()) return reject(d, e, errc::missing_field, "intervention kind must not be empty");
  if (i.minutes < minutes{0}) {  // only the C++ API makes one
    return reject(d, e, errc::out_of_range, "intervention minutes must not be negative");
  }
  return true;
}

// --- adverse events -------------------------------------------------------------------------------

KAP_FUNC bool session::check(const event& e, const events::adverse_event& a, pending& p, decision& d) const {
  if (enum_name(a.severity).empty()) {
    return reject(d, e, errc::unknown_enum, unnamed_value_text("adverse event severity", a.severity));
  }
  if (a.outcome && enum_name(*a.outcome).empty()) {
    return reject(d, e, errc::unknown_enum, unnamed_value_text("adverse event outcome", *a.outcome));
  }
  if (a.kind.empty()) return reject(d, e, errc::missing_field, "adverse event kind must not be empty");
  // The kind is meant to be a code (nausea, dissociation); free text typed into it stays in the
  // event and never reaches an alert or a message, which reports and logs show.
  const std::string kind = detail::is_code(a.kind) ? a.kind : std::string("unspecified");
  const std::uint32_t k = adverse_kind_number(a.kind);
  if (k == adverse_kinds_.size() && k >= max_adverse_kinds && !a.resolves()) {
    return reject(d, e, errc::out_of_range,
                  "a session records at most " + std::to_string(max_adverse_kinds) + " distinct adverse event kinds");
  }
  const bool unresolved = k < adverse_unresolved_.size() && adverse_unresolved_[k] != 0;
  if (a.resolves()) {
    if (!unresolved) return reject(d, e, errc::requirement_unmet, "no unresolved adverse event " + kind + " to resolve");
    p.adverse_resolved = k;
  } else if (a.severity != events::severity::mild) {
    // One open alert per kind and level: a moderate and a severe report of the same kind raise
    // one alert each; a repeated report while its alert is open raises none.
    const bool severe = a.severity == events::severity::severe;
    const detail::alert_key key{alert_kind::adverse_event, k * 2 + (severe ? 1U : 0U)};
    if (!has_open(p, key)) {
      raise(p, d.alerts, e, key, severe ? alert_severity::critical : alert_severity::warning, kind,
            std::string(enum_name(a.severity)) + " adverse event: " + kind);
    }
  }
  return true;
}

KAP_FUNC void session::commit(const event&, const events::adverse_event& a, pending& p) {
  const std::uint32_t k = adverse_kind_number(a.kind);
  if (k == adverse_kinds_.size()) {
    adverse_kinds_.emplace(a.kind, k);
    adverse_unresolved_.push_back(0);
  }
  adverse_unresolved_[k] = p.adverse_resolved ? 0 : 1;
}

// --- sign-offs ------------------------------------------------------------------------------------

KAP_FUNC bool session::check(const event& e, const events::signoff& s, pending&, decision& d) const {
  if (s.what.empty()) return reject(d, e, errc::missing_field, "sign-off must name what is signed off");
  return true;
}

KAP_FUNC void session::commit(const event& e, const events::signoff& s, pending&) {
  st_.signoffs.push_back(signoff_record{s.what, e.actor.role, e.at});
}

}  // namespace kap
