#pragma once

/// @file
/// Requirements: what must hold before a phase is entered or a dose is given.
///
/// A closed set of typed kinds, so that a requirement serialises (`{"kind":"consent_signed"}`),
/// explains itself when unmet ("consent not signed", "blood pressure 152/94 mmHg is above the
/// 140/90 limit") and can be checked statically by `validate()`. A builder-made protocol may add
/// a C++ predicate; such a protocol is marked as not serialisable.

#include <kap/clinical/vitals.hpp>
#include <kap/core/actor.hpp>
#include <kap/core/time.hpp>
#include <kap/events/decision.hpp>

#include <boost/describe/class.hpp>
#include <boost/describe/enum.hpp>

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

namespace kap {

class session;  ///< defined in <kap/session/session.hpp>

namespace requirements {

/// Informed consent has been recorded.
struct consent_signed {
  static constexpr std::string_view kind = "consent_signed";  ///< the requirement's "kind" in JSON
  friend bool operator==(const consent_signed&, const consent_signed&) = default;
};
BOOST_DESCRIBE_STRUCT(consent_signed, (), ())

/// Screening was recorded and is eligible (every relative contraindication overridden).
struct screening_passed {
  static constexpr std::string_view kind = "screening_passed";  ///< the requirement's "kind" in JSON
  friend bool operator==(const screening_passed&, const screening_passed&) = default;
};
BOOST_DESCRIBE_STRUCT(screening_passed, (), ())

/// A checklist item has been done.
struct checklist_done {
  static constexpr std::string_view kind = "checklist_done";  ///< the requirement's "kind" in JSON
  std::string item;  ///< the checklist item that must be done
  friend bool operator==(const checklist_done&, const checklist_done&) = default;
};
BOOST_DESCRIBE_STRUCT(checklist_done, (), (item))

/// The latest blood pressure (and each other limited sign) was taken within `max_age` and is
/// within `limits` (the protocol's hold limits when absent).
struct vitals_within {
  static constexpr std::string_view kind = "vitals_within";  ///< the requirement's "kind" in JSON
  std::optional<vitals_limits> limits;  ///< the bounds; absent: the protocol's hold thresholds
  minutes max_age{15};  ///< the newest reading may be at most this old
  friend bool operator==(const vitals_within&, const vitals_within&) = default;
};
BOOST_DESCRIBE_STRUCT(vitals_within, (), (limits, max_age))

/// At least `duration` spent in the current phase.
struct min_time_in_phase {
  static constexpr std::string_view kind = "min_time_in_phase";  ///< the requirement's "kind" in JSON
  minutes duration{0};  ///< the time the session must have spent in its current phase
  friend bool operator==(const min_time_in_phase&, const min_time_in_phase&) = default;
};
BOOST_DESCRIBE_STRUCT(min_time_in_phase, (), (duration))

/// At least `duration` since the last dose (holds trivially when no dose was given).
struct min_time_since_dose {
  static constexpr std::string_view kind = "min_time_since_dose";  ///< the requirement's "kind" in JSON
  minutes duration{0};  ///< the time that must have passed since the last dose
  friend bool operator==(const min_time_since_dose&, const min_time_since_dose&) = default;
};
BOOST_DESCRIBE_STRUCT(min_time_since_dose, (), (duration))

/// A measure with this instrument id was recorded in the session.
struct measure_recorded {
  static constexpr std::string_view kind = "measure_recorded";  ///< the requirement's "kind" in JSON
  std::string instrument;  ///< the instrument id
  friend bool operator==(const measure_recorded&, const measure_recorded&) = default;
};
BOOST_DESCRIBE_STRUCT(measure_recorded, (), (instrument))

/// The latest total of this instrument is at most `value`.
struct measure_at_most {
  static constexpr std::string_view kind = "measure_at_most";  ///< the requirement's "kind" in JSON
  std::string instrument;  ///< the instrument id
  int value = 0;  ///< the highest total that passes
  friend bool operator==(const measure_at_most&, const measure_at_most&) = default;
};
BOOST_DESCRIBE_STRUCT(measure_at_most, (), (instrument, value))

/// A sign-off of `what` by an actor in `role`.
struct signed_off {
  static constexpr std::string_view kind = "signed_off";  ///< the requirement's "kind" in JSON
  kap::role role{};  ///< the role that must sign off
  std::string what;  ///< what is signed off (`dose_order`, `discharge`, ...)
  friend bool operator==(const signed_off&, const signed_off&) = default;
};
BOOST_DESCRIBE_STRUCT(signed_off, (), (role, what))

/// No open alert at or above `severity`.
struct no_open_alerts {
  static constexpr std::string_view kind = "no_open_alerts";  ///< the requirement's "kind" in JSON
  alert_severity severity = alert_severity::critical;  ///< alerts at this severity or above block
  friend bool operator==(const no_open_alerts&, const no_open_alerts&) = default;
};
BOOST_DESCRIBE_STRUCT(no_open_alerts, (), (severity))

/// At least one dose has been given.
struct dose_given {
  static constexpr std::string_view kind = "dose_given";  ///< the requirement's "kind" in JSON
  friend bool operator==(const dose_given&, const dose_given&) = default;
};
BOOST_DESCRIBE_STRUCT(dose_given, (), ())

/// A C++ check from a builder-made protocol: returns an explanation when unmet, nothing when
/// met. Not serialisable: a protocol holding one cannot be written as kap.protocol/1.
struct predicate {
  static constexpr std::string_view kind = "predicate";  ///< the requirement's "kind" in JSON
  std::string name;  ///< a name for explanations (the predicate itself is not serialisable)
  /// The check: an explanation when it does not hold, nullopt when it does.
  std::shared_ptr<const std::function<std::optional<std::string>(const session&, timestamp)>> check;
  friend bool operator==(const predicate& a, const predicate& b) { return a.name == b.name && a.check == b.check; }
};

}  // namespace requirements

/// Any requirement.
using requirement =
    std::variant<requirements::consent_signed, requirements::screening_passed, requirements::checklist_done,
                 requirements::vitals_within, requirements::min_time_in_phase, requirements::min_time_since_dose,
                 requirements::measure_recorded, requirements::measure_at_most, requirements::signed_off,
                 requirements::no_open_alerts, requirements::dose_given, requirements::predicate>;

/// The kind name of a requirement ("consent_signed").
[[nodiscard]] inline std::string_view kind_of(const requirement& r) noexcept {
  return std::visit([](const auto& x) -> std::string_view { return std::remove_cvref_t<decltype(x)>::kind; }, r);
}

}  // namespace kap
