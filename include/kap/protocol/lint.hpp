#pragma once

/// @file
/// Static verification of a protocol, beyond `check_protocol()`'s structural checks.
///
/// `validate()` answers "can the engine run this?"; `lint()` answers "will a session under it
/// behave as its author meant, before a patient is in the chair?". It reads only the definition
/// (no session, no clock) and reports each finding with a stable code, a severity, a JSON pointer
/// into the definition and one sentence. The rules (docs/protocol-format.md, "Lint"):
///
/// | code | severity | finding |
/// |---|---|---|
/// | `never_recorded` | error | a requirement or schedule needs an event no one may record: no permitted role any actor may hold (permissions, roster), an instrument not in the catalogue, a clinician-rated instrument only a patient may record, `dose_given` without a dosing phase |
/// | `signoff_role_unavailable` | error | `signed_off(role)` where that role may not record a sign-off, or no actor on the roster holds it |
/// | `min_time_beyond_max` | error | `min_time_in_phase` longer than the `max_duration` of the phase it is measured in |
/// | `unmonitored_after_dose` | error | a phase that can follow a dose, before discharge, that no vitals schedule covers |
/// | `discharge_without_dose_wait` | error | a discharge reachable after a dose whose entry (or every transition into it) does not require `min_time_since_dose` |
/// | `dead_end` | error | a non-terminal phase from which no discharge can be reached through transitions whose requirements can hold |
/// | `abort_unavailable` | error | no actor may record an `abort`, so the aborted phase cannot be reached |
/// | `schedule_never_due` | warning | a vitals schedule whose interval is longer than the maximum duration of a phase it alone covers |
/// | `dose_check_after_discharge` | warning | discharge may be entered before a dose check's window opens |
///
/// A protocol that fails `check_protocol()` may still be linted (dangling references are
/// skipped, not reported: that is validation's job).

#include <kap/core/actor.hpp>
#include <kap/core/config.hpp>
#include <kap/core/enum_name.hpp>
#include <kap/measures/catalog.hpp>
#include <kap/protocol/protocol.hpp>

#include <boost/describe/class.hpp>
#include <boost/describe/enum.hpp>

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

namespace kap {

/// How serious a lint finding is: an `error` is a session that cannot go as written (a
/// requirement that never holds, an unmonitored patient); a `warning` is likely a mistake.
enum class lint_severity { warning, error };
BOOST_DESCRIBE_ENUM(lint_severity, warning, error)

/// One lint finding.
struct lint_finding {
  std::string code;             ///< stable rule code, e.g. "unmonitored_after_dose"
  lint_severity severity{};     ///< error or warning
  std::string path;             ///< JSON pointer into the definition, e.g. "/transitions/2/require/0"
  std::string message;          ///< one sentence naming the phase or requirement
  friend bool operator==(const lint_finding&, const lint_finding&) = default;
};
BOOST_DESCRIBE_STRUCT(lint_finding, (), (code, severity, path, message))

/// Every lint finding for a protocol, in rule order then definition order (empty when clean).
[[nodiscard]] KAP_CORE_API std::vector<lint_finding> lint(const protocol& p);

/// True when any finding is an error.
[[nodiscard]] inline bool has_errors(const std::vector<lint_finding>& findings) noexcept {
  return std::any_of(findings.begin(), findings.end(),
                     [](const lint_finding& f) { return f.severity == lint_severity::error; });
}

}  // namespace kap

// The definitions: compiled into kap::core (src/protocol/lint.cpp), or, with KAP_HEADER_ONLY,
// included here.
#if defined(KAP_HEADER_ONLY)
#include <kap/protocol/lint-inl.hpp>
#endif
