#pragma once

// The definitions of kap/protocol/lint.hpp's functions. Not a public header: compiled into
// kap::core by src/protocol/lint.cpp, or included by lint.hpp when KAP_HEADER_ONLY is defined
// (kap/core/config.hpp). KAP_FUNC is `inline` only then.

#include <kap/protocol/lint.hpp>

#include <boost/mp11/algorithm.hpp>

#include <array>
#include <cstddef>
#include <optional>
#include <type_traits>
#include <variant>

namespace kap {

namespace detail::lint {

inline constexpr std::size_t role_count = boost::mp11::mp_size<boost::describe::describe_enumerators<role>>::value;
static_assert(role_count == 6, "a role was added: check lint's role rules");

struct context {
  const protocol& p;
  std::vector<lint_finding>& out;
  std::array<bool, role_count> available{};  // roles some actor may act in
  std::vector<std::size_t> dosing;           // indices of dosing phases

  [[nodiscard]] int index(std::string_view id) const noexcept {
    for (std::size_t i = 0; i < p.phases.size(); ++i) {
      if (p.phases[i].id == id) return static_cast<int>(i);
    }
    return -1;
  }
  [[nodiscard]] permission perm(event_type t) const {
    for (const auto& x : p.permissions) {
      if (x.event == t) return x;
    }
    return default_permission(t);
  }
  [[nodiscard]] std::string perm_path(event_type t) const {
    for (std::size_t i = 0; i < p.permissions.size(); ++i) {
      if (p.permissions[i].event == t) return "/permissions/" + std::to_string(i) + "/roles";
    }
    return "/permissions";
  }
  /// True when some actor may record an event of this type.
  [[nodiscard]] bool recordable(event_type t) const {
    const auto pm = perm(t);
    return std::any_of(pm.roles.begin(), pm.roles.end(),
                       [&](role r) { return available[static_cast<std::size_t>(r)]; });
  }
  /// Why an instrument can never be recorded, or nothing.
  [[nodiscard]] std::optional<std::string> measure_blocker(const std::string& instrument) const {
    auto found = measures::find_instrument(instrument);
    if (!found) return "instrument \"" + instrument + "\" is not in kap's catalogue, so no measure of it is accepted";
    const auto pm = perm(event_type::measure);
    const bool self_report = found->administration == "self-report";
    for (role r : pm.roles) {
      if (!available[static_cast<std::size_t>(r)]) continue;
      if (r != role::patient || self_report) return std::nullopt;
    }
    if (std::find(pm.roles.begin(), pm.roles.end(), role::patient) != pm.roles.end()) {
      return "only a patient may record a measure, and " + instrument + " is clinician-rated";
    }
    return "no actor may record a measure (" + perm_path(event_type::measure) + (p.roster ? ", /roster" : "") + ")";
  }
  void add(std::string code, lint_severity s, std::string path, std::string message) {
    out.push_back({std::move(code), s, std::move(path), std::move(message)});
  }
};

KAP_FUNC std::string event_word(event_type t) {
  switch (t) {
    case event_type::consent: return "consent";
    case event_type::screening: return "screening";
    case event_type::checklist: return "checklist";
    case event_type::vitals: return "vitals";
    case event_type::signoff: return "signoff";
    case event_type::dose: return "dose";
    default: return std::string(enum_name(t));
  }
}

/// The event type a requirement needs recorded, if any.
KAP_FUNC std::optional<event_type> needs(const requirement& r) {
  using namespace requirements;
  return std::visit(
      [](const auto& x) -> std::optional<event_type> {
        using R = std::remove_cvref_t<decltype(x)>;
        if constexpr (std::is_same_v<R, consent_signed>) return event_type::consent;
        if constexpr (std::is_same_v<R, screening_passed>) return event_type::screening;
        if constexpr (std::is_same_v<R, checklist_done>) return event_type::checklist;
        if constexpr (std::is_same_v<R, vitals_within>) return event_type::vitals;
        if constexpr (std::is_same_v<R, dose_given>) return event_type::dose;
        return std::nullopt;
      },
      r);
}

/// Reports requirements that can never hold. `in` lists the phases the requirements are
/// evaluated in (for min_time_in_phase). Returns true when one of them (other than a
/// min_time_in_phase beyond a max, which holds once the phase overruns) can never hold.
KAP_FUNC bool never_holds(context& c, const std::vector<requirement>& reqs, const std::string& path,
                        const std::vector<std::size_t>& in, std::string_view where) {
  bool blocked = false;
  for (std::size_t i = 0; i < reqs.size(); ++i) {
    const std::string at = path + "/" + std::to_string(i);
    const auto& r = reqs[i];
    if (const auto* m = std::get_if<requirements::measure_recorded>(&r)) {
      if (auto why = c.measure_blocker(m->instrument)) {
        c.add("never_recorded", lint_severity::error, at,
              "measure_recorded(" + m->instrument + ") " + std::string(where) + " can never hold: " + *why + ".");
        blocked = true;
      }
    } else if (const auto* m2 = std::get_if<requirements::measure_at_most>(&r)) {
      if (auto why = c.measure_blocker(m2->instrument)) {
        c.add("never_recorded", lint_severity::error, at,
              "measure_at_most(" + m2->instrument + ") " + std::string(where) + " can never hold: " + *why + ".");
        blocked = true;
      }
    } else if (const auto* s = std::get_if<requirements::signed_off>(&r)) {
      const auto pm = c.perm(event_type::signoff);
      const std::string role_name(to_string(s->role));
      const bool permitted = std::find(pm.roles.begin(), pm.roles.end(), s->role) != pm.roles.end();
      if (!permitted) {
        c.add("signoff_role_unavailable", lint_severity::error, at + "/role",
              "signed_off(" + role_name + ", " + s->what + ") " + std::string(where) + " can never hold: a " +
                  role_name + " may not record a sign-off (" + c.perm_path(event_type::signoff) + ").");
        blocked = true;
      } else if (!c.available[static_cast<std::size_t>(s->role)]) {
        c.add("signoff_role_unavailable", lint_severity::error, at + "/role",
              "signed_off(" + role_name + ", " + s->what + ") " + std::string(where) +
                  " can never hold: no one on the roster acts as a " + role_name + ".");
        blocked = true;
      }
    } else if (const auto* t = std::get_if<requirements::min_time_in_phase>(&r)) {
      for (auto k : in) {
        const auto& ph = c.p.phases[k];
        if (ph.max_duration && t->duration > *ph.max_duration) {
          c.add("min_time_beyond_max", lint_severity::error, at + "/duration",
                "min_time_in_phase " + std::to_string(t->duration.count()) + " min " + std::string(where) +
                    " exceeds the " + std::to_string(ph.max_duration->count()) + " min max_duration of phase \"" +
                    ph.id + "\": it holds only after the phase has overrun.");
        }
      }
    } else if (std::holds_alternative<requirements::dose_given>(r) && c.dosing.empty()) {
      c.add("never_recorded", lint_severity::error, at,
            "dose_given " + std::string(where) + " can never hold: the protocol has no dosing phase.");
      blocked = true;
    } else if (auto t2 = needs(r); t2 && !c.recordable(*t2)) {
      c.add("never_recorded", lint_severity::error, at,
            std::string(kind_of(r)) + " " + std::string(where) + " can never hold: no actor may record a " + event_word(*t2) + " event (" + c.perm_path(*t2) +
                (c.p.roster ? ", /roster" : "") + ").");
      blocked = true;
    }
  }
  return blocked;
}

/// The longest min_time_since_dose in a list (0 when none).
KAP_FUNC minutes dose_wait(const std::vector<requirement>& reqs) {
  minutes m{0};
  for (const auto& r : reqs) {
    if (const auto* w = std::get_if<requirements::min_time_since_dose>(&r)) m = std::max(m, w->duration);
  }
  return m;
}

}  // namespace detail::lint

KAP_FUNC std::vector<lint_finding> lint(const protocol& p) {
  using detail::lint::context;
  std::vector<lint_finding> out;
  context c{p, out, {}, {}};
  const auto n = p.phases.size();
  for (std::size_t r = 0; r < detail::lint::role_count; ++r) {
    const auto rr = static_cast<role>(r);
    // The roster binds staff only: patients and devices act without being listed (session.hpp).
    c.available[r] = !p.roster || rr == role::patient || rr == role::system;
  }
  if (p.roster) {
    for (const auto& e : *p.roster) {
      for (role r : e.roles) c.available[static_cast<std::size_t>(r)] = true;
    }
  }
  for (std::size_t i = 0; i < n; ++i) {
    if (p.phases[i].kind == phase_kind::dosing) c.dosing.push_back(i);
  }
  const bool doses = !c.dosing.empty() && c.recordable(event_type::dose);

  // 1. Requirements that can never hold, and which transitions they block.
  std::vector<std::vector<std::size_t>> into(n);  // phases with a transition into each phase
  for (const auto& t : p.transitions) {
    const int from = c.index(t.from);
    const int to = c.index(t.to);
    if (from >= 0 && to >= 0) into[static_cast<std::size_t>(to)].push_back(static_cast<std::size_t>(from));
  }
  std::vector<bool> entry_blocked(n, false);
  for (std::size_t i = 0; i < n; ++i) {
    entry_blocked[i] = detail::lint::never_holds(c, p.phases[i].entry, "/phases/" + std::to_string(i) + "/entry",
                                                 into[i], "to enter \"" + p.phases[i].id + "\"");
  }
  std::vector<std::vector<std::size_t>> next(n);  // usable transitions
  for (std::size_t i = 0; i < p.transitions.size(); ++i) {
    const auto& t = p.transitions[i];
    const int from = c.index(t.from);
    const int to = c.index(t.to);
    std::vector<std::size_t> in;
    if (from >= 0) in.push_back(static_cast<std::size_t>(from));
    const bool blocked = detail::lint::never_holds(c, t.require, "/transitions/" + std::to_string(i) + "/require",
                                                   in, "for " + t.from + " -> " + t.to);
    if (from >= 0 && to >= 0 && !blocked && !entry_blocked[static_cast<std::size_t>(to)]) {
      next[static_cast<std::size_t>(from)].push_back(static_cast<std::size_t>(to));
    }
  }
  detail::lint::never_holds(c, p.dose_requires, "/dose_requires", c.dosing, "before a dose");
  for (std::size_t i = 0; i < p.schedules.measures.size(); ++i) {
    const auto& m = p.schedules.measures[i];
    if (auto why = c.measure_blocker(m.instrument)) {
      c.add("never_recorded", lint_severity::error, "/schedules/measures/" + std::to_string(i) + "/instrument",
            "the " + m.instrument + " measure scheduled in \"" + m.phase + "\" can never be recorded: " + *why + ".");
    }
  }
  const bool vitals_recordable = c.recordable(event_type::vitals);
  if (!vitals_recordable && (!p.schedules.vitals.empty() || !p.schedules.dose_checks.empty())) {
    c.add("never_recorded", lint_severity::error, "/schedules",
          "vitals are scheduled but no actor may record a vitals event (" + c.perm_path(event_type::vitals) +
              (p.roster ? ", /roster" : "") + ").");
  }

  // 2. Monitoring from any dose to discharge.
  auto covered = [&](std::size_t i) {
    for (const auto& s : p.schedules.vitals) {
      if (std::find(s.phases.begin(), s.phases.end(), p.phases[i].id) != s.phases.end()) return true;
    }
    return false;
  };
  std::vector<bool> after_dose(n, false);  // reachable from a dosing phase, through any transition
  if (doses) {
    std::vector<std::vector<std::size_t>> any_next(n);
    for (const auto& t : p.transitions) {
      const int from = c.index(t.from);
      const int to = c.index(t.to);
      if (from >= 0 && to >= 0) any_next[static_cast<std::size_t>(from)].push_back(static_cast<std::size_t>(to));
    }
    std::vector<std::size_t> stack = c.dosing;
    for (auto d : c.dosing) after_dose[d] = true;
    while (!stack.empty()) {
      const auto i = stack.back();
      stack.pop_back();
      if (is_terminal(p.phases[i].kind)) continue;
      for (auto j : any_next[i]) {
        if (!after_dose[j]) {
          after_dose[j] = true;
          stack.push_back(j);
        }
      }
    }
    for (std::size_t i = 0; i < n; ++i) {
      if (after_dose[i] && !is_terminal(p.phases[i].kind) && !covered(i)) {
        c.add("unmonitored_after_dose", lint_severity::error, "/phases/" + std::to_string(i),
              "phase \"" + p.phases[i].id +
                  "\" can follow a dose before discharge, but no vitals schedule covers it: add it to "
                  "/schedules/vitals.");
      }
    }
  }
  // The shortest time since the last dose each discharge phase guarantees (its entry, else the
  // weakest transition into it).
  std::vector<std::optional<minutes>> discharge_wait(n);
  for (std::size_t i = 0; i < n; ++i) {
    if (p.phases[i].kind != phase_kind::discharge || !after_dose[i]) continue;
    minutes w = detail::lint::dose_wait(p.phases[i].entry);
    if (w.count() == 0) {
      std::optional<minutes> weakest;
      for (const auto& t : p.transitions) {
        if (t.to != p.phases[i].id) continue;
        const int from = c.index(t.from);
        if (from < 0 || !after_dose[static_cast<std::size_t>(from)]) continue;
        const minutes tw = detail::lint::dose_wait(t.require);
        if (!weakest || tw < *weakest) weakest = tw;
      }
      w = weakest.value_or(minutes{0});
    }
    discharge_wait[i] = w;
    if (w.count() == 0) {
      c.add("discharge_without_dose_wait", lint_severity::error, "/phases/" + std::to_string(i) + "/entry",
            "discharge phase \"" + p.phases[i].id +
                "\" can be entered after a dose without a minimum time since the last dose: add min_time_since_dose to "
                "its entry.");
    }
  }

  // 3. Ways out: discharge through usable transitions, abort from anywhere.
  const bool phase_changes = c.recordable(event_type::phase);
  // Without anyone allowed to record a phase event, only a discharge phase itself "reaches" one.
  std::vector<bool> ends(n);
  if (phase_changes) {
    ends = kap::detail::reaches_discharge(p.phases, next);
  } else {
    for (std::size_t i = 0; i < n; ++i) ends[i] = p.phases[i].kind == phase_kind::discharge;
  }
  const bool can_abort = c.recordable(event_type::abort);
  for (std::size_t i = 0; i < n; ++i) {
    if (ends[i] || is_terminal(p.phases[i].kind)) continue;
    std::string why = phase_changes ? "every path to a discharge is missing or needs a requirement that can never hold"
                                    : "no actor may record a phase event (" + c.perm_path(event_type::phase) + ")";
    c.add("dead_end", lint_severity::error, "/phases/" + std::to_string(i),
          "no discharge can be reached from \"" + p.phases[i].id + "\": " + why +
              (can_abort ? "; only an abort ends the session." : ", and no abort either."));
  }
  if (!can_abort) {
    c.add("abort_unavailable", lint_severity::error, c.perm_path(event_type::abort),
          "no actor may record an abort event, so no phase can reach the aborted phase.");
  }

  // 4. Schedules that cannot be satisfied within their phases.
  for (std::size_t s = 0; s < p.schedules.vitals.size(); ++s) {
    const auto& sch = p.schedules.vitals[s];
    auto in_schedule = [&](const std::string& id) {
      return std::find(sch.phases.begin(), sch.phases.end(), id) != sch.phases.end();
    };
    for (std::size_t k = 0; k < sch.phases.size(); ++k) {
      const int i = c.index(sch.phases[k]);
      if (i < 0) continue;
      const auto& ph = p.phases[static_cast<std::size_t>(i)];
      if (!ph.max_duration || sch.every <= *ph.max_duration) continue;
      // The interval runs on across adjacent phases of the same schedule.
      bool joined = false;
      for (const auto& t : p.transitions) {
        joined = joined || (t.from == ph.id && in_schedule(t.to)) || (t.to == ph.id && in_schedule(t.from));
      }
      if (joined) continue;
      c.add("schedule_never_due", lint_severity::warning,
            "/schedules/vitals/" + std::to_string(s) + "/phases/" + std::to_string(k),
            "vitals every " + std::to_string(sch.every.count()) + " min never fall due in phase \"" + ph.id +
                "\", which lasts at most " + std::to_string(ph.max_duration->count()) +
                " min: a patient can pass through it without a reading.");
    }
  }
  for (std::size_t k = 0; k < p.schedules.dose_checks.size() && doses; ++k) {
    const auto& dc = p.schedules.dose_checks[k];
    const minutes opens = dc.after - dc.tolerance;
    for (std::size_t i = 0; i < n; ++i) {
      // A discharge with no wait at all is already an error above.
      if (!discharge_wait[i] || discharge_wait[i]->count() == 0 || *discharge_wait[i] >= opens) continue;
      c.add("dose_check_after_discharge", lint_severity::warning,
            "/schedules/dose_checks/" + std::to_string(k),
            "dose check \"" + dc.name + "\" opens " + std::to_string(opens.count()) + " min after a dose, but \"" +
                p.phases[i].id + "\" can be entered " + std::to_string(discharge_wait[i]->count()) +
                " min after it: the session can close before the check.");
    }
  }
  return out;
}

}  // namespace kap
