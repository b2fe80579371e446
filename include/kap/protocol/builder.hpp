#pragma once

/// @file
/// A fluent builder for protocols written in C++ (researchers' protocols, tests).
///
/// @code
/// auto p = kap::protocol_builder("demo")
///              .phase("preparation", kap::phase_kind::preparation)
///              .phase("dosing", kap::phase_kind::dosing)
///              .phase("discharge", kap::phase_kind::discharge)
///              .phase("aborted", kap::phase_kind::aborted)
///              .transition("preparation", "dosing", {kap::requirements::consent_signed{}})
///              .transition("dosing", "discharge")
///              .limit(im_limit)  // a kap::dose_limit
///              .vitals_every(kap::minutes{15}, {"dosing"})
///              .build();  // result<validated_protocol>
/// @endcode
/// The first phase added is the initial one unless `initial()` says otherwise. `predicate()`
/// adds a C++ check; such a protocol runs but cannot be written as JSON.

#include <kap/protocol/protocol.hpp>
#include <kap/protocol/validate.hpp>

#include <functional>
#include <initializer_list>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace kap {

/// Builds a `protocol` in C++ (the alternative to a JSON file); `build()` validates it.
class protocol_builder {
 public:
  /// Starts a protocol with this id (checked when built).
  explicit protocol_builder(std::string id) { p_.id = protocol_id{std::move(id)}; }

  /// Sets the title.
  protocol_builder& title(std::string t) { p_.title = std::move(t); return *this; }
  /// Sets the version.
  protocol_builder& version(std::string v) { p_.version = std::move(v); return *this; }
  /// Adds a citation for the protocol's values.
  protocol_builder& source(std::string s) { p_.sources.push_back(std::move(s)); return *this; }
  /// Sets the disclaimer.
  protocol_builder& disclaimer(std::string d) { p_.disclaimer = std::move(d); return *this; }
  /// Sets the phase sessions open in.
  protocol_builder& initial(std::string id) { p_.initial = std::move(id); return *this; }

  /// Adds a phase.
  protocol_builder& phase(std::string id, phase_kind kind, std::vector<requirement> entry = {},
                          std::optional<minutes> min_duration = std::nullopt,
                          std::optional<minutes> max_duration = std::nullopt) {
    if (p_.initial.empty()) p_.initial = id;
    p_.phases.push_back(kap::phase{std::move(id), kind, min_duration, max_duration, std::move(entry)});
    return *this;
  }
  /// Allows a move between two phases, with requirements of its own.
  protocol_builder& transition(std::string from, std::string to, std::vector<requirement> require = {}) {
    p_.transitions.push_back(kap::transition{std::move(from), std::move(to), std::move(require)});
    return *this;
  }
  /// Adds requirements that every dose must meet.
  protocol_builder& dose_requires(std::vector<requirement> reqs) {
    for (auto& r : reqs) p_.dose_requires.push_back(std::move(r));
    return *this;
  }
  /// Adds a per-route dose limit.
  protocol_builder& limit(dose_limit l) { p_.limits.push_back(l); return *this; }
  /// Sets the hold (dosing waits) vitals limits.
  protocol_builder& vitals_hold(vitals_limits l) { p_.vitals.hold = l; return *this; }
  /// Sets the critical vitals limits.
  protocol_builder& vitals_critical(vitals_limits l) { p_.vitals.critical = l; return *this; }
  /// Adds an age band: from `from_age` years on, the limits given in `l` replace the same limits
  /// of the hold level (bands go youngest first; `validate` checks the order).
  protocol_builder& vitals_hold_from_age(int from_age, vitals_limits l) {
    p_.vitals.hold_by_age.push_back({from_age, l});
    return *this;
  }
  /// Schedules vitals every `every` while in any of `phases`.
  protocol_builder& vitals_every(minutes every, std::vector<std::string> phases) {
    p_.schedules.vitals.push_back(vitals_schedule{std::move(phases), every});
    return *this;
  }
  /// Schedules a vitals check at `after` each dose (met from `after - tolerance`).
  protocol_builder& dose_check(std::string name, minutes after, minutes tolerance = minutes{5}) {
    p_.schedules.dose_checks.push_back(kap::dose_check{std::move(name), after, tolerance});
    return *this;
  }
  /// Schedules a measure on entering a phase.
  protocol_builder& measure_at(std::string instrument, std::string phase) {
    p_.schedules.measures.push_back(measure_point{std::move(instrument), std::move(phase)});
    return *this;
  }
  /// Sets how long after falling due a check becomes overdue.
  protocol_builder& grace(minutes g) { p_.schedules.grace = g; return *this; }
  /// Sets which roles may record an event type.
  protocol_builder& permission(event_type t, std::vector<role> roles, bool licensed = false) {
    p_.permissions.push_back(kap::permission{t, std::move(roles), licensed});
    return *this;
  }
  /// Adds a staff member to the roster (a protocol with a roster rejects staff not on it).
  protocol_builder& staff(std::string id, std::vector<role> roles) {
    if (!p_.roster) p_.roster.emplace();
    p_.roster->push_back(roster_entry{actor_id{std::move(id)}, std::move(roles)});
    return *this;
  }
  /// Adds a screening question.
  protocol_builder& contraindication(std::string name, kap::tier t, std::string source = {}) {
    p_.contraindications.push_back(kap::contraindication{std::move(name), t, std::move(source)});
    return *this;
  }
  /// Makes a C++ check (explanation when unmet, nothing when met) a requirement.
  [[nodiscard]] static requirement predicate(std::string name,
                                             std::function<std::optional<std::string>(const session&, timestamp)> f) {
    return requirements::predicate{
        std::move(name),
        std::make_shared<const std::function<std::optional<std::string>(const session&, timestamp)>>(std::move(f))};
  }

  /// The definition so far (not validated).
  [[nodiscard]] const protocol& definition() const noexcept { return p_; }
  /// Validates and returns the protocol (errc::invalid_protocol lists every problem).
  [[nodiscard]] result<validated_protocol> build() const { return validate(p_); }

 private:
  protocol p_;
};

}  // namespace kap
