#pragma once

/// @file
/// The events a session is made of: an envelope (id, session, instant, actor) and one typed
/// payload from a closed set.
///
/// These are the wire format of docs/events.md: one JSON object per event, with
/// the envelope fields, `"type"` naming the payload, and the payload's fields beside them.
/// Each payload struct names its type in `static constexpr std::string_view type`. Adding a
/// payload or an optional field is compatible; renaming one needs a format version bump.

#include <kap/clinical/dosing.hpp>
#include <kap/clinical/vitals.hpp>
#include <kap/core/actor.hpp>
#include <kap/core/ids.hpp>
#include <kap/core/quantities.hpp>
#include <kap/core/time.hpp>

#include <boost/describe/class.hpp>
#include <boost/describe/enum.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace kap {

/// One item answer of a measure: a number (`2`) or a token (`"1a"`, `"y"`), kept as text.
struct item_answer {
  std::string text;  ///< the answer as written
  friend bool operator==(const item_answer&, const item_answer&) = default;
};

namespace events {

/// Screening answers: weight, age and one yes/no per contraindication the protocol asks.
struct screening {
  static constexpr std::string_view type = "screening";  ///< the event's "type" on the wire
  kilograms weight_kg;  ///< body weight
  int age = 0;  ///< age in years
  std::map<std::string, bool> answers;  ///< contraindication name -> present
  friend bool operator==(const screening&, const screening&) = default;
};
BOOST_DESCRIBE_STRUCT(screening, (), (weight_kg, age, answers))

/// A clinician's override of a relative contraindication, with the reason (never logged).
struct override_contraindication {
  static constexpr std::string_view type = "override";  ///< the event's "type" on the wire
  std::string contraindication;  ///< the contraindication overridden
  std::string justification;  ///< why (stored, never logged)
  friend bool operator==(const override_contraindication&, const override_contraindication&) = default;
};
BOOST_DESCRIBE_STRUCT(override_contraindication, (), (contraindication, justification))

/// Informed consent signed.
struct consent {
  static constexpr std::string_view type = "consent";  ///< the event's "type" on the wire
  std::string scope;  ///< what the consent covers
  friend bool operator==(const consent&, const consent&) = default;
};
BOOST_DESCRIBE_STRUCT(consent, (), (scope))

/// A checklist item done (`intention_set`, `fasting_confirmed`, `driver_arranged`, ...).
struct checklist {
  static constexpr std::string_view type = "checklist";  ///< the event's "type" on the wire
  std::string item;  ///< the item done
  friend bool operator==(const checklist&, const checklist&) = default;
};
BOOST_DESCRIBE_STRUCT(checklist, (), (item))

/// A move to another phase of the protocol.
struct phase {
  static constexpr std::string_view type = "phase";  ///< the event's "type" on the wire
  std::string to;  ///< the phase id to enter
  friend bool operator==(const phase&, const phase&) = default;
};
BOOST_DESCRIBE_STRUCT(phase, (), (to))

/// Vital signs measured.
struct vitals {
  static constexpr std::string_view type = "vitals";  ///< the event's "type" on the wire
  std::optional<mmhg> systolic;  ///< systolic blood pressure
  std::optional<mmhg> diastolic;  ///< diastolic blood pressure
  std::optional<bpm> heart_rate;  ///< heart rate
  std::optional<spo2_percent> spo2;  ///< oxygen saturation
  std::optional<breaths_per_min> respiratory_rate;  ///< respiratory rate

  /// The readings as a `vitals_reading`, for the limit checks.
  [[nodiscard]] vitals_reading reading() const { return {systolic, diastolic, heart_rate, spo2, respiratory_rate}; }
  friend bool operator==(const vitals&, const vitals&) = default;
};
BOOST_DESCRIBE_STRUCT(vitals, (), (systolic, diastolic, heart_rate, spo2, respiratory_rate))

/// A dose given.
struct dose {
  static constexpr std::string_view type = "dose";  ///< the event's "type" on the wire
  kap::drug drug{};  ///< ketamine or esketamine
  kap::route route{};  ///< how it was given
  milligrams mg;  ///< the amount given
  std::optional<std::string> lot;  ///< the batch, when recorded
  friend bool operator==(const dose&, const dose&) = default;
};
BOOST_DESCRIBE_STRUCT(dose, (), (drug, route, mg, lot))

/// An outcome measure completed (items as the instrument defines them).
struct measure {
  static constexpr std::string_view type = "measure";  ///< the event's "type" on the wire
  std::string instrument;  ///< the instrument id (see `kapctl instruments`)
  std::vector<item_answer> items;  ///< one answer per item
  friend bool operator==(const measure&, const measure&) = default;
};
BOOST_DESCRIBE_STRUCT(measure, (), (instrument, items))

/// A therapeutic intervention during the session.
struct intervention {
  static constexpr std::string_view type = "intervention";  ///< the event's "type" on the wire
  std::string kind;  ///< guided_meditation, visualization, music, breathwork, integration_dialogue, ...
  kap::minutes minutes{0};  ///< how long it lasted
  friend bool operator==(const intervention&, const intervention&) = default;
};
BOOST_DESCRIBE_STRUCT(intervention, (), (kind, minutes))

/// Severity of an adverse event.
enum class severity { mild, moderate, severe };
BOOST_DESCRIBE_ENUM(severity, mild, moderate, severe)

/// Where an adverse event stands (FHIR R4 AdverseEvent.outcome's codes).
enum class adverse_outcome { ongoing, resolved };
BOOST_DESCRIBE_ENUM(adverse_outcome, ongoing, resolved)

/// An adverse event observed, or (with `outcome` `resolved`) the resolution of one recorded
/// earlier in the session with the same `kind`.
struct adverse_event {
  static constexpr std::string_view type = "adverse_event";  ///< the event's "type" on the wire
  std::string kind;  ///< nausea, dissociation, hypertension, ...
  kap::events::severity severity{};  ///< mild, moderate or severe (for a resolution: the severity it reached)
  std::optional<adverse_outcome> outcome;  ///< absent or `ongoing`: a report; `resolved`: it has resolved
  friend bool operator==(const adverse_event&, const adverse_event&) = default;
  /// True when this event records the resolution of an earlier adverse event.
  [[nodiscard]] bool resolves() const noexcept { return outcome == adverse_outcome::resolved; }
};
BOOST_DESCRIBE_STRUCT(adverse_event, (), (kind, severity, outcome))

/// A sign-off (`dose_order`, `discharge`, ...) by the actor's role.
struct signoff {
  static constexpr std::string_view type = "signoff";  ///< the event's "type" on the wire
  std::string what;  ///< what is signed off
  friend bool operator==(const signoff&, const signoff&) = default;
};
BOOST_DESCRIBE_STRUCT(signoff, (), (what))

/// A free-text note. Stored, never logged.
struct note {
  static constexpr std::string_view type = "note";  ///< the event's "type" on the wire
  std::string text;  ///< the note (stored, never logged)
  friend bool operator==(const note&, const note&) = default;
};
BOOST_DESCRIBE_STRUCT(note, (), (text))

/// The session is stopped early.
struct abort {
  static constexpr std::string_view type = "abort";  ///< the event's "type" on the wire
  std::string reason;  ///< why the session stopped (stored, never logged)
  friend bool operator==(const abort&, const abort&) = default;
};
BOOST_DESCRIBE_STRUCT(abort, (), (reason))

}  // namespace events

/// Any payload.
using payload = std::variant<events::screening, events::override_contraindication, events::consent, events::checklist,
                             events::phase, events::vitals, events::dose, events::measure, events::intervention,
                             events::adverse_event, events::signoff, events::note, events::abort>;

/// The kind of an event, one per payload alternative, in the same order.
enum class event_type {
  screening,
  override_contraindication,
  consent,
  checklist,
  phase,
  vitals,
  dose,
  measure,
  intervention,
  adverse_event,
  signoff,
  note,
  abort
};
BOOST_DESCRIBE_ENUM(event_type, screening, override_contraindication, consent, checklist, phase, vitals, dose, measure,
                    intervention, adverse_event, signoff, note, abort)

/// The number of event types.
inline constexpr std::size_t event_type_count = std::variant_size_v<payload>;

/// The wire name of an event type ("override" for override_contraindication).
[[nodiscard]] constexpr std::string_view wire_name(event_type t) noexcept {
  constexpr std::string_view names[] = {"screening", "override", "consent",      "checklist",     "phase",
                                        "vitals",    "dose",     "measure",      "intervention",  "adverse_event",
                                        "signoff",   "note",     "abort"};
  return names[static_cast<std::size_t>(t)];
}

/// The envelope every event carries.
struct event_header {
  event_id id;  ///< unique within the session
  session_id session;  ///< the session it belongs to
  timestamp at;  ///< when it happened (UTC)
  kap::actor actor;  ///< who recorded it
  friend bool operator==(const event_header&, const event_header&) = default;
};
BOOST_DESCRIBE_STRUCT(event_header, (), (id, session, at, actor))

/// One recorded event: envelope plus payload.
struct event : event_header {
  kap::payload body;  ///< the payload; its alternative is the event's type

  /// The event's type.
  [[nodiscard]] event_type type() const noexcept { return static_cast<event_type>(body.index()); }
  friend bool operator==(const event&, const event&) = default;
};

}  // namespace kap
