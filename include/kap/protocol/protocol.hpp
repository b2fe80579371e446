#pragma once

/// @file
/// A protocol: the data that governs a session.
///
/// Phases (each of a kind, with optional minimum and maximum durations and entry requirements),
/// the transitions allowed between them (each with its own requirements), what must hold before
/// a dose, per-route dose limits, two levels of vitals thresholds, schedules of checks, which
/// roles may record which events, an optional staff roster, and the screening questions. It is
/// plain data: build it in C++ (`protocol_builder`), read it from a `kap.protocol/1` JSON file
/// (`kap/json/protocol.hpp`) or take a reference protocol. The engine only runs a protocol that
/// `validate()` accepted (`validated_protocol`).

#include <kap/clinical/dosing.hpp>
#include <kap/clinical/screening.hpp>
#include <kap/clinical/vitals.hpp>
#include <kap/core/actor.hpp>
#include <kap/core/ids.hpp>
#include <kap/core/time.hpp>
#include <kap/protocol/requirement.hpp>
#include <kap/events/event.hpp>

#include <boost/describe/class.hpp>
#include <boost/describe/enum.hpp>
#include <boost/describe/members.hpp>
#include <boost/mp11/algorithm.hpp>

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kap {

/// What a phase is for. `aborted` is terminal; so is `discharge` once entered. `psychotherapy`
/// is the therapy hour of a session without a drug (the comparison protocols).
enum class phase_kind {
  screening,
  preparation,
  dosing,
  guided_meditation,
  monitoring,
  integration,
  discharge,
  aborted,
  psychotherapy
};
BOOST_DESCRIBE_ENUM(phase_kind, screening, preparation, dosing, guided_meditation, monitoring, integration, discharge,
                    aborted, psychotherapy)

/// True for phases that end a session.
[[nodiscard]] constexpr bool is_terminal(phase_kind k) noexcept {
  return k == phase_kind::discharge || k == phase_kind::aborted;
}

/// One phase of a session.
struct phase {
  std::string id;                          ///< unique within the protocol, e.g. "monitoring"
  phase_kind kind{};                       ///< what the phase is for
  std::optional<minutes> min_duration;     ///< leaving earlier is refused
  std::optional<minutes> max_duration;     ///< staying longer raises an alert
  std::vector<requirement> entry;          ///< must hold to enter this phase (from any phase)
  friend bool operator==(const phase&, const phase&) = default;
};
BOOST_DESCRIBE_STRUCT(phase, (), (id, kind, min_duration, max_duration, entry))

/// An allowed move between phases, with requirements of its own.
struct transition {
  std::string from;  ///< the phase moved from
  std::string to;  ///< the phase moved to
  std::vector<requirement> require;  ///< must hold for this move (besides the target's entry requirements)
  friend bool operator==(const transition&, const transition&) = default;
};
BOOST_DESCRIBE_STRUCT(transition, (), (from, to, require))

/// Hold limits for subjects from an age on: each limit given here replaces the same limit of
/// `vitals_thresholds::hold` (for example the EU SmPC's 150/90 from 65 years).
struct age_hold {
  int from_age = 0;   ///< the youngest screening age, in years, the band applies to
  vitals_limits hold;  ///< the limits that differ from the protocol's `hold` at that age
  friend bool operator==(const age_hold&, const age_hold&) = default;
};
BOOST_DESCRIBE_STRUCT(age_hold, (), (from_age, hold))

/// The two levels of vitals thresholds.
struct vitals_thresholds {
  vitals_limits hold;      ///< outside these, dosing waits (a warning alert)
  vitals_limits critical;  ///< outside these, a critical alert
  /// Hold limits by age, youngest band first: the last band whose `from_age` the screening age
  /// reaches applies (see `hold_for_age`); before screening, and below the first band, `hold` does.
  std::vector<age_hold> hold_by_age;
  friend bool operator==(const vitals_thresholds&, const vitals_thresholds&) = default;
};
BOOST_DESCRIBE_STRUCT(vitals_thresholds, (), (hold, critical, hold_by_age))

/// The hold limits for a subject of the given screening age (none yet: the protocol's `hold`).
/// @param t the protocol's thresholds
/// @param age the screening age in years, when screening recorded one
/// @return `t.hold` with the limits of the last band of `t.hold_by_age` that `age` reaches put in
[[nodiscard]] inline vitals_limits hold_for_age(const vitals_thresholds& t, std::optional<int> age) {
  vitals_limits out = t.hold;
  if (!age) return out;
  const age_hold* band = nullptr;
  for (const auto& b : t.hold_by_age) {
    if (*age >= b.from_age) band = &b;
  }
  if (!band) return out;
  boost::mp11::mp_for_each<boost::describe::describe_members<vitals_limits, boost::describe::mod_public>>([&](auto m) {
    if (band->hold.*m.pointer) out.*m.pointer = band->hold.*m.pointer;
  });
  return out;
}

/// Vitals every `every` while in any of `phases`.
struct vitals_schedule {
  std::vector<std::string> phases;  ///< the phases the schedule applies in
  minutes every{15};  ///< the interval between readings
  friend bool operator==(const vitals_schedule&, const vitals_schedule&) = default;
};
BOOST_DESCRIBE_STRUCT(vitals_schedule, (), (phases, every))

/// A vitals check at a fixed offset after each dose (e.g. blood pressure at +40 min): met by a
/// reading taken no earlier than `after - tolerance`; overdue after `after + tolerance`.
struct dose_check {
  std::string name;        ///< e.g. "bp_40min"
  minutes after{40};  ///< the offset after each dose
  minutes tolerance{5};  ///< how far either side of `after` a reading counts
  friend bool operator==(const dose_check&, const dose_check&) = default;
};
BOOST_DESCRIBE_STRUCT(dose_check, (), (name, after, tolerance))

/// A measure due on entering `phase`, until recorded in it.
struct measure_point {
  std::string instrument;  ///< the instrument id
  std::string phase;  ///< the phase whose entry makes it due
  friend bool operator==(const measure_point&, const measure_point&) = default;
};
BOOST_DESCRIBE_STRUCT(measure_point, (), (instrument, phase))

/// All schedules of a protocol.
struct schedules {
  std::vector<vitals_schedule> vitals;  ///< periodic vitals
  std::vector<dose_check> dose_checks;  ///< checks at fixed offsets after each dose
  std::vector<measure_point> measures;  ///< measures due on entering a phase
  minutes grace{5};  ///< a scheduled check is overdue this long after it falls due
  friend bool operator==(const schedules&, const schedules&) = default;
};
BOOST_DESCRIBE_STRUCT(schedules, (), (vitals, dose_checks, measures, grace))

/// Which roles may record one event type.
struct permission {
  event_type event{};  ///< the event type
  std::vector<role> roles;  ///< the roles that may record it
  bool licensed = false;  ///< the actor must also be licensed
  friend bool operator==(const permission&, const permission&) = default;
};
BOOST_DESCRIBE_STRUCT(permission, (), (event, roles, licensed))

/// A member of staff allowed to act in a session (when the protocol has a roster).
struct roster_entry {
  actor_id id;  ///< the staff member's id
  std::vector<role> roles;  ///< the roles they may act in
  friend bool operator==(const roster_entry&, const roster_entry&) = default;
};
BOOST_DESCRIBE_STRUCT(roster_entry, (), (id, roles))

/// A protocol definition.
struct protocol {
  protocol_id id;  ///< the protocol's id
  std::string version = "1";  ///< the protocol's own version
  std::string title;  ///< a human-readable title
  std::vector<std::string> sources;     ///< citations for its values
  std::string disclaimer;               ///< e.g. "Illustration of published practice, not medical advice."
  std::string initial;                  ///< the phase a session opens in
  std::vector<kap::phase> phases;  ///< every phase, the initial one included
  std::vector<transition> transitions;  ///< abort is always allowed and needs no transition
  std::vector<requirement> dose_requires;  ///< must hold for every dose
  std::vector<dose_limit> limits;  ///< dose limits, per drug and route
  vitals_thresholds vitals;  ///< hold and critical thresholds for vitals
  kap::schedules schedules;  ///< vitals, dose-check and measure schedules
  std::vector<permission> permissions;  ///< absent event types use kap's defaults (docs/protocol-format.md)
  std::optional<std::vector<roster_entry>> roster;  ///< who may act in a session; absent: anyone with a permitted role
  std::vector<contraindication> contraindications;  ///< what screening asks about, each absolute or relative

  friend bool operator==(const protocol&, const protocol&) = default;

  /// The phase with this id, or nullptr.
  [[nodiscard]] const kap::phase* find_phase(std::string_view phase_id) const noexcept {
    for (const auto& p : phases) {
      if (p.id == phase_id) return &p;
    }
    return nullptr;
  }
  /// The limit for this route, or nullptr.
  [[nodiscard]] const dose_limit* find_limit(kap::route r) const noexcept {
    for (const auto& l : limits) {
      if (l.route == r) return &l;
    }
    return nullptr;
  }
};
BOOST_DESCRIBE_STRUCT(protocol, (),
                      (id, version, title, sources, disclaimer, initial, phases, transitions, dose_requires, limits,
                       vitals, schedules, permissions, roster, contraindications))

/// kap's default permissions, used for event types a protocol does not list: doses by a licensed
/// prescriber or nurse; screening and overrides by a prescriber; consent by a prescriber or
/// therapist; checklist by nurse or therapist; phase changes by therapist or prescriber; vitals
/// by nurse, monitor or system (a device); measures by patient or any clinical role;
/// interventions by therapist; adverse events, notes and aborts by any clinical role; sign-offs
/// by any clinical role (the requirement names which role counts).
[[nodiscard]] inline permission default_permission(event_type t) {
  using r = role;
  switch (t) {
    case event_type::screening: return {t, {r::prescriber}, false};
    case event_type::override_contraindication: return {t, {r::prescriber}, true};
    case event_type::consent: return {t, {r::prescriber, r::therapist}, false};
    case event_type::checklist: return {t, {r::nurse, r::therapist, r::prescriber}, false};
    case event_type::phase: return {t, {r::therapist, r::prescriber}, false};
    case event_type::vitals: return {t, {r::nurse, r::monitor, r::system}, false};
    case event_type::dose: return {t, {r::prescriber, r::nurse}, true};
    case event_type::measure: return {t, {r::patient, r::prescriber, r::nurse, r::therapist}, false};
    case event_type::intervention: return {t, {r::therapist}, false};
    case event_type::adverse_event:
    case event_type::note:
    case event_type::abort:
    case event_type::signoff: return {t, {r::prescriber, r::nurse, r::therapist, r::monitor}, false};
  }
  return {t, {}, false};
}

namespace detail {
/// For each phase, whether a discharge phase can be reached from it along `next` (for each phase
/// index, the indices of the phases a transition leads to). Shared by `validate` and `lint`.
inline std::vector<bool> reaches_discharge(const std::vector<phase>& phases,
                                           const std::vector<std::vector<std::size_t>>& next) {
  const std::size_t n = phases.size();
  std::vector<bool> ends(n, false);
  for (std::size_t i = 0; i < n; ++i) ends[i] = phases[i].kind == phase_kind::discharge;
  for (bool changed = true; changed;) {
    changed = false;
    for (std::size_t i = 0; i < n; ++i) {
      if (ends[i]) continue;
      for (auto j : next[i]) {
        if (ends[j]) {
          ends[i] = true;
          changed = true;
          break;
        }
      }
    }
  }
  return ends;
}
}  // namespace detail

}  // namespace kap
