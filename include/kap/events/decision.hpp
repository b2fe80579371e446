#pragma once

/// @file
/// The decision vocabulary: what `session::apply` answers: accepted, duplicate or rejected - with a code, a sentence, the
/// unmet requirements each explained, and the alerts the event raised.

#include <kap/core/error.hpp>
#include <kap/core/ids.hpp>
#include <kap/core/time.hpp>

#include <boost/describe/class.hpp>
#include <boost/describe/enum.hpp>

#include <optional>
#include <string>
#include <vector>

namespace kap {

/// Severity of an alert.
enum class alert_severity { warning, critical };
BOOST_DESCRIBE_ENUM(alert_severity, warning, critical)

/// An unmet requirement, explained.
struct unmet {
  std::string requirement;  ///< its kind, e.g. "vitals_within"
  std::string message;      ///< e.g. "blood pressure 152/94 mmHg is above the 140/90 limit"
  friend bool operator==(const unmet&, const unmet&) = default;
};
BOOST_DESCRIBE_STRUCT(unmet, (), (requirement, message))

/// What an alert is about.
enum class alert_kind { vitals_hold, vitals_critical, dose_limit, check_overdue, phase_overrun, adverse_event };
BOOST_DESCRIBE_ENUM(alert_kind, vitals_hold, vitals_critical, dose_limit, check_overdue, phase_overrun, adverse_event)

/// An alert: a vitals threshold crossed, a dose refused for a limit, a scheduled check overdue,
/// a phase overrun, a serious adverse event. Alerts are data in the decision, never a log line
/// alone.
struct alert {
  alert_kind kind{};         ///< what it is about
  alert_severity severity{};  ///< warning or critical
  std::string key;           ///< what the alert is about (e.g. "blood_pressure", "bp_40min"); one open alert per kind+key
  std::string message;       ///< e.g. "blood pressure 182/112 mmHg is above the 180/110 limit"
  timestamp at;              ///< the instant of the event that raised it
  event_id event;            ///< the event that raised it
  bool open = true;          ///< closed when the condition clears (a later reading in range, the check done)
  friend bool operator==(const alert&, const alert&) = default;
};
BOOST_DESCRIBE_STRUCT(alert, (), (kind, severity, key, message, at, event, open))

/// The outcome of applying one event.
enum class outcome { accepted, duplicate, rejected };
BOOST_DESCRIBE_ENUM(outcome, accepted, duplicate, rejected)

/// The decision on one event. A rejected or duplicate event changed nothing in the session.
struct decision {
  event_id event;  ///< the event decided on
  kap::outcome outcome = kap::outcome::accepted;  ///< accepted, duplicate or rejected
  std::optional<errc> code;      ///< why it was rejected (or errc::duplicate)
  std::string message;           ///< a sentence, when rejected or duplicate
  std::vector<kap::unmet> unmet;  ///< the requirements that did not hold
  std::vector<kap::alert> alerts;  ///< alerts this event raised (kept only when accepted)

  /// True when the event was accepted.
  [[nodiscard]] bool accepted() const noexcept { return outcome == kap::outcome::accepted; }
  friend bool operator==(const decision&, const decision&) = default;
};

}  // namespace kap
