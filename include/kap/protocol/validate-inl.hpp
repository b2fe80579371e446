#pragma once

// The definitions of kap/protocol/validate.hpp. Not a public header: compiled into kap::core by
// src/protocol/validate.cpp, or included by validate.hpp when KAP_HEADER_ONLY is defined.

#include <kap/protocol/validate.hpp>

namespace kap {

namespace detail {

template <class M>
inline constexpr bool is_optional_quantity = false;
template <Quantity Q>
inline constexpr bool is_optional_quantity<std::optional<Q>> = true;

/// A problem for every amount of `x` (a described struct of optional quantities: dose or vitals
/// limits) that is NaN, infinite or negative. Only the C++ API makes one (the JSON readers
/// refuse it), and since no comparison with NaN is true, a NaN limit would hold nothing back.
template <class T>
void check_amounts(const T& x, const std::string& path, std::vector<problem>& out) {
  boost::mp11::mp_for_each<boost::describe::describe_members<T, boost::describe::mod_public>>([&](auto m) {
    if constexpr (is_optional_quantity<std::remove_cvref_t<decltype(x.*m.pointer)>>) {
      const auto& v = x.*m.pointer;
      if (v && !std::isfinite(v->count())) {
        out.push_back({path + "/" + m.name, "must be a finite number"});
      } else if (v && v->count() < 0) {
        out.push_back({path + "/" + m.name, "must not be negative"});
      }
    }
  });
}

template <class T>
inline constexpr bool is_vector = false;
template <class T, class A>
inline constexpr bool is_vector<std::vector<T, A>> = true;
template <class T>
inline constexpr bool is_variant = false;
template <class... T>
inline constexpr bool is_variant<std::variant<T...>> = true;

/// A problem for every enum value in `x` that has no name: a contraindication tier, phase kind,
/// route, drug, role, event type or severity that only C++ code can make (the JSON readers
/// refuse an unknown name). Such a value would be judged as no tier is (an unnamed tier is not
/// `absolute`, so it could be overridden) and written as `null`, which no reader accepts back.
/// Walks described structs, vectors, optionals and variants; anything else holds no enum.
template <class T>
void check_enums(const T& x, const std::string& path, std::vector<problem>& out) {
  if constexpr (DescribedEnum<T>) {
    if (enum_name(x).empty()) {
      out.push_back({path, unnamed_value_text("value", x)});
    }
  } else if constexpr (is_optional_quantity<T>) {
    // an amount: check_amounts judges it
  } else if constexpr (is_vector<T>) {
    for (std::size_t i = 0; i < x.size(); ++i) check_enums(x[i], path + "/" + std::to_string(i), out);
  } else if constexpr (is_variant<T>) {
    std::visit([&](const auto& alt) { check_enums(alt, path, out); }, x);
  } else if constexpr (requires { x.has_value(); *x; }) {
    if (x.has_value()) check_enums(*x, path, out);
  } else if constexpr (boost::describe::has_describe_members<T>::value) {
    boost::mp11::mp_for_each<boost::describe::describe_members<T, boost::describe::mod_public>>(
        [&](auto m) { check_enums(x.*m.pointer, path + "/" + m.name, out); });
  }
}

KAP_FUNC void check_requirements(const std::vector<requirement>& reqs, const std::string& path,
                               const protocol& p, std::vector<problem>& out) {
  (void)p;
  for (std::size_t i = 0; i < reqs.size(); ++i) {
    const std::string at = path + "/" + std::to_string(i);
    std::visit(
        [&](const auto& r) {
          using R = std::remove_cvref_t<decltype(r)>;
          if constexpr (std::is_same_v<R, requirements::checklist_done>) {
            if (r.item.empty()) out.push_back({at + "/item", "checklist item must not be empty"});
          } else if constexpr (std::is_same_v<R, requirements::measure_recorded> ||
                               std::is_same_v<R, requirements::measure_at_most>) {
            if (r.instrument.empty()) out.push_back({at + "/instrument", "instrument must not be empty"});
          } else if constexpr (std::is_same_v<R, requirements::signed_off>) {
            if (r.what.empty()) out.push_back({at + "/what", "sign-off name must not be empty"});
          } else if constexpr (std::is_same_v<R, requirements::vitals_within>) {
            if (r.max_age.count() <= 0) out.push_back({at + "/max_age", "max_age must be positive"});
            if (r.limits) check_amounts(*r.limits, at + "/limits", out);
          } else if constexpr (std::is_same_v<R, requirements::predicate>) {
            if (!r.check) out.push_back({at, "predicate has no function"});
          }
        },
        reqs[i]);
  }
}

}  // namespace detail

KAP_FUNC std::vector<problem> check_protocol(const protocol& p) {
  std::vector<problem> out;
  const auto n = p.phases.size();
  if (p.id.empty()) out.push_back({"/id", "protocol id must not be empty"});
  detail::check_enums(p, "", out);
  if (n == 0) {
    out.push_back({"/phases", "a protocol needs at least one phase"});
    return out;
  }
  auto index = [&](std::string_view id) -> int {
    for (std::size_t i = 0; i < n; ++i) {
      if (p.phases[i].id == id) return static_cast<int>(i);
    }
    return -1;
  };
  bool has_aborted = false;
  bool has_dosing = false;
  for (std::size_t i = 0; i < n; ++i) {
    const auto& ph = p.phases[i];
    const std::string at = "/phases/" + std::to_string(i);
    if (ph.id.empty()) out.push_back({at + "/id", "phase id must not be empty"});
    if (index(ph.id) != static_cast<int>(i)) out.push_back({at + "/id", "duplicate phase id \"" + ph.id + "\""});
    if (ph.min_duration && ph.max_duration && *ph.min_duration > *ph.max_duration) {
      out.push_back({at + "/min_duration", "min_duration " + std::to_string(ph.min_duration->count()) +
                                               " min is longer than max_duration " +
                                               std::to_string(ph.max_duration->count()) + " min"});
    }
    if (ph.min_duration && ph.min_duration->count() < 0) out.push_back({at + "/min_duration", "must not be negative"});
    if (ph.max_duration && ph.max_duration->count() <= 0) out.push_back({at + "/max_duration", "must be positive"});
    has_aborted = has_aborted || ph.kind == phase_kind::aborted;
    has_dosing = has_dosing || ph.kind == phase_kind::dosing;
    detail::check_requirements(ph.entry, at + "/entry", p, out);
  }
  if (!has_aborted) out.push_back({"/phases", "no phase of kind \"aborted\" (an abort must have somewhere to go)"});
  const int start = index(p.initial);
  if (start < 0) out.push_back({"/initial", "no phase \"" + p.initial + "\""});

  // Transitions: references, then reachability both ways.
  std::vector<std::vector<std::size_t>> next(n);
  for (std::size_t i = 0; i < p.transitions.size(); ++i) {
    const auto& t = p.transitions[i];
    const std::string at = "/transitions/" + std::to_string(i);
    const int from = index(t.from);
    const int to = index(t.to);
    if (from < 0) out.push_back({at + "/from", "no phase \"" + t.from + "\""});
    if (to < 0) out.push_back({at + "/to", "no phase \"" + t.to + "\""});
    if (from >= 0 && is_terminal(p.phases[static_cast<std::size_t>(from)].kind)) {
      out.push_back({at + "/from", "phase \"" + t.from + "\" is terminal; nothing leaves it"});
    }
    if (from >= 0 && from == to) out.push_back({at, "a transition from a phase to itself"});
    for (std::size_t j = 0; j < i; ++j) {
      if (p.transitions[j].from == t.from && p.transitions[j].to == t.to) {
        out.push_back({at, "duplicate transition " + t.from + " -> " + t.to});
      }
    }
    if (from >= 0 && to >= 0) next[static_cast<std::size_t>(from)].push_back(static_cast<std::size_t>(to));
    detail::check_requirements(t.require, at + "/require", p, out);
  }
  if (start >= 0) {
    std::vector<bool> seen(n, false);
    std::vector<std::size_t> stack{static_cast<std::size_t>(start)};
    seen[static_cast<std::size_t>(start)] = true;
    while (!stack.empty()) {
      const auto i = stack.back();
      stack.pop_back();
      for (auto j : next[i]) {
        if (!seen[j]) {
          seen[j] = true;
          stack.push_back(j);
        }
      }
    }
    for (std::size_t i = 0; i < n; ++i) {
      // The aborted phase is reached by an abort event from anywhere, not by a transition.
      if (!seen[i] && p.phases[i].kind != phase_kind::aborted) {
        out.push_back({"/phases/" + std::to_string(i), "phase \"" + p.phases[i].id + "\" is unreachable from \"" +
                                                           p.initial + "\""});
      }
    }
  }
  // A terminal phase must be reachable from every phase (other than by abort).
  const std::vector<bool> ends = detail::reaches_discharge(p.phases, next);
  for (std::size_t i = 0; i < n; ++i) {
    if (!ends[i] && !is_terminal(p.phases[i].kind)) {
      out.push_back({"/phases/" + std::to_string(i),
                     "no discharge phase can be reached from \"" + p.phases[i].id + "\" (only an abort ends it)"});
    }
  }

  // Dosing: limits, and vitals monitoring of every dosing phase.
  for (std::size_t i = 0; i < p.limits.size(); ++i) {
    const auto& l = p.limits[i];
    const std::string at = "/limits/" + std::to_string(i);
    if (!l.max_mg && !l.max_mg_per_kg) {
      out.push_back({at, "route has no limit: give max_mg or max_mg_per_kg"});
    }
    if (l.max_doses < 1) out.push_back({at + "/max_doses", "must be at least 1"});
    detail::check_amounts(l, at, out);
    if (l.step_mg && l.step_mg->count() == 0) out.push_back({at + "/step_mg", "must be positive"});
    if (l.min_interval.count() < 0) out.push_back({at + "/min_interval", "must not be negative"});
    for (std::size_t j = 0; j < i; ++j) {
      if (p.limits[j].route == l.route) out.push_back({at + "/route", "a second limit for the same route"});
    }
  }
  if (has_dosing && p.limits.empty()) out.push_back({"/limits", "the protocol has a dosing phase but no dose limits"});
  for (std::size_t i = 0; i < n; ++i) {
    if (p.phases[i].kind != phase_kind::dosing) continue;
    bool covered = false;
    for (const auto& s : p.schedules.vitals) {
      for (const auto& ph : s.phases) covered = covered || ph == p.phases[i].id;
    }
    if (!covered) {
      out.push_back({"/phases/" + std::to_string(i), "dosing phase \"" + p.phases[i].id + "\" has no vitals schedule"});
    }
  }
  detail::check_requirements(p.dose_requires, "/dose_requires", p, out);

  // Vitals limits: amounts that hold something back.
  detail::check_amounts(p.vitals.hold, "/vitals/hold", out);
  detail::check_amounts(p.vitals.critical, "/vitals/critical", out);
  // Hold limits by age: youngest first, within the plausible ages, each changing something.
  for (std::size_t i = 0; i < p.vitals.hold_by_age.size(); ++i) {
    const auto& band = p.vitals.hold_by_age[i];
    const std::string at = "/vitals/hold_by_age/" + std::to_string(i);
    detail::check_amounts(band.hold, at + "/hold", out);
    if (band.from_age < 0 || band.from_age > max_plausible_age) {
      out.push_back({at + "/from_age", "must be between 0 and " + std::to_string(max_plausible_age) + " years"});
    } else if (i > 0 && band.from_age <= p.vitals.hold_by_age[i - 1].from_age) {
      out.push_back({at + "/from_age", "bands go youngest first: " + std::to_string(band.from_age) + " is not above " +
                                           std::to_string(p.vitals.hold_by_age[i - 1].from_age)});
    }
    if (band.hold == vitals_limits{}) out.push_back({at + "/hold", "a band needs at least one limit"});
  }

  // Schedules.
  for (std::size_t i = 0; i < p.schedules.vitals.size(); ++i) {
    const auto& s = p.schedules.vitals[i];
    const std::string at = "/schedules/vitals/" + std::to_string(i);
    if (s.every.count() <= 0) out.push_back({at + "/every", "must be positive"});
    if (s.phases.empty()) out.push_back({at + "/phases", "a vitals schedule needs at least one phase"});
    for (std::size_t j = 0; j < s.phases.size(); ++j) {
      if (index(s.phases[j]) < 0) out.push_back({at + "/phases/" + std::to_string(j), "no phase \"" + s.phases[j] + "\""});
    }
  }
  for (std::size_t i = 0; i < p.schedules.dose_checks.size(); ++i) {
    const auto& c = p.schedules.dose_checks[i];
    const std::string at = "/schedules/dose_checks/" + std::to_string(i);
    if (c.name.empty()) out.push_back({at + "/name", "must not be empty"});
    if (c.after.count() <= 0) out.push_back({at + "/after", "must be positive"});
    if (c.tolerance.count() < 0 || c.tolerance > c.after) {
      out.push_back({at + "/tolerance", "must be between 0 and the offset"});
    }
  }
  for (std::size_t i = 0; i < p.schedules.measures.size(); ++i) {
    const auto& m = p.schedules.measures[i];
    const std::string at = "/schedules/measures/" + std::to_string(i);
    if (m.instrument.empty()) out.push_back({at + "/instrument", "must not be empty"});
    if (index(m.phase) < 0) out.push_back({at + "/phase", "no phase \"" + m.phase + "\""});
  }
  if (p.schedules.grace.count() < 0) out.push_back({"/schedules/grace", "must not be negative"});

  // Permissions, roster, screening.
  for (std::size_t i = 0; i < p.permissions.size(); ++i) {
    for (std::size_t j = 0; j < i; ++j) {
      if (p.permissions[j].event == p.permissions[i].event) {
        out.push_back({"/permissions/" + std::to_string(i) + "/event", "a second permission for the same event type"});
      }
    }
  }
  if (p.roster) {
    for (std::size_t i = 0; i < p.roster->size(); ++i) {
      if ((*p.roster)[i].roles.empty()) out.push_back({"/roster/" + std::to_string(i) + "/roles", "must not be empty"});
    }
  }
  for (std::size_t i = 0; i < p.contraindications.size(); ++i) {
    const auto& c = p.contraindications[i];
    const std::string at = "/contraindications/" + std::to_string(i);
    if (c.name.empty()) out.push_back({at + "/name", "must not be empty"});
    for (std::size_t j = 0; j < i; ++j) {
      if (p.contraindications[j].name == c.name) out.push_back({at + "/name", "duplicate contraindication \"" + c.name + "\""});
    }
  }
  return out;
}

KAP_FUNC validated_protocol::validated_protocol(protocol p) : p_(std::move(p)) {
  for (std::size_t i = 0; i < event_type_count; ++i) {
    permissions_[i] = default_permission(static_cast<event_type>(i));
  }
  for (const auto& perm : p_.permissions) permissions_[static_cast<std::size_t>(perm.event)] = perm;
  for (std::size_t i = 0; i < p_.phases.size(); ++i) {
    if (p_.phases[i].kind == phase_kind::aborted) {
      aborted_ = i;
      break;
    }
  }
  auto has_predicate = [](const std::vector<requirement>& rs) {
    for (const auto& r : rs) {
      if (std::holds_alternative<requirements::predicate>(r)) return true;
    }
    return false;
  };
  serialisable_ = !has_predicate(p_.dose_requires);
  for (const auto& ph : p_.phases) serialisable_ = serialisable_ && !has_predicate(ph.entry);
  for (const auto& t : p_.transitions) serialisable_ = serialisable_ && !has_predicate(t.require);

  auto& tab = tables_;
  tab.initial = phase_index(p_.initial);
  for (std::size_t t = 0; t < event_type_count; ++t) {
    for (const role r : permissions_[t].roles) {
      if (static_cast<unsigned>(r) < 32) tab.may_record[t] |= 1U << static_cast<unsigned>(r);
    }
  }
  // Schedule tables by phase index, so the per-event schedule walk compares integers only.
  const auto& sched = p_.schedules;
  const std::size_t phases = p_.phases.size();
  tab.vitals_active.assign(sched.vitals.size() * phases, 0);
  for (std::size_t i = 0; i < sched.vitals.size(); ++i) {
    for (const auto& ph : sched.vitals[i].phases) {
      const int k = phase_index(ph);
      if (k >= 0) tab.vitals_active[i * phases + static_cast<std::size_t>(k)] = 1;
    }
  }
  for (const auto& m : sched.measures) tab.measure_phase.push_back(phase_index(m.phase));
  auto name_id = [&](std::string_view name) {
    for (std::size_t k = 0; k < tab.check_names.size(); ++k) {
      if (tab.check_names[k] == name) return static_cast<std::uint32_t>(k);
    }
    tab.check_names.emplace_back(name);
    return static_cast<std::uint32_t>(tab.check_names.size() - 1);
  };
  tab.vitals_check = name_id("vitals");
  for (const auto& c : sched.dose_checks) tab.dose_check_id.push_back(name_id(c.name));
  for (const auto& m : sched.measures) tab.measure_id.push_back(name_id(m.instrument));
}

KAP_FUNC result<validated_protocol> validate(protocol p) {
  auto problems = check_protocol(p);
  if (!problems.empty()) {
    std::string msg;
    for (const auto& pr : problems) {
      if (!msg.empty()) msg += '\n';
      msg += pr.path + ": " + pr.message;
    }
    return error{errc::invalid_protocol, std::move(msg)};
  }
  return validated_protocol(std::move(p));
}

}  // namespace kap
