#pragma once

/// @file
/// The events a session is made of: an envelope (id, session, instant, actor) and one typed
/// payload from a closed set.
///
/// These are the wire format of docs/events.md and DESIGN.md: one JSON object per event, with
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
  std::string text;
  friend bool operator==(const item_answer&, const item_answer&) = default;
};

namespace events {

/// Screening answers: weight, age and one yes/no per contraindication the protocol asks.
struct screening {
  static constexpr std::string_view type = "screening";
  kilograms weight_kg;
  int age = 0;
  std::map<std::string, bool> answers;
  friend bool operator==(const screening&, const screening&) = default;
};
BOOST_DESCRIBE_STRUCT(screening, (), (weight_kg, age, answers))

/// A clinician's override of a relative contraindication, with the reason (never logged).
struct override_contraindication {
  static constexpr std::string_view type = "override";
  std::string contraindication;
  std::string justification;
  friend bool operator==(const override_contraindication&, const override_contraindication&) = default;
};
BOOST_DESCRIBE_STRUCT(override_contraindication, (), (contraindication, justification))

/// Informed consent signed.
struct consent {
  static constexpr std::string_view type = "consent";
  std::string scope;
  friend bool operator==(const consent&, const consent&) = default;
};
BOOST_DESCRIBE_STRUCT(consent, (), (scope))

/// A checklist item done (`intention_set`, `fasting_confirmed`, `driver_arranged`, ...).
struct checklist {
  static constexpr std::string_view type = "checklist";
  std::string item;
  friend bool operator==(const checklist&, const checklist&) = default;
};
BOOST_DESCRIBE_STRUCT(checklist, (), (item))

/// A move to another phase of the protocol.
struct phase {
  static constexpr std::string_view type = "phase";
  std::string to;
  friend bool operator==(const phase&, const phase&) = default;
};
BOOST_DESCRIBE_STRUCT(phase, (), (to))

/// Vital signs measured.
struct vitals {
  static constexpr std::string_view type = "vitals";
  std::optional<mmhg> systolic;
  std::optional<mmhg> diastolic;
  std::optional<bpm> heart_rate;
  std::optional<spo2_percent> spo2;
  std::optional<breaths_per_min> respiratory_rate;

  [[nodiscard]] vitals_reading reading() const { return {systolic, diastolic, heart_rate, spo2, respiratory_rate}; }
  friend bool operator==(const vitals&, const vitals&) = default;
};
BOOST_DESCRIBE_STRUCT(vitals, (), (systolic, diastolic, heart_rate, spo2, respiratory_rate))

/// A dose given.
struct dose {
  static constexpr std::string_view type = "dose";
  kap::drug drug{};
  kap::route route{};
  milligrams mg;
  std::optional<std::string> lot;
  friend bool operator==(const dose&, const dose&) = default;
};
BOOST_DESCRIBE_STRUCT(dose, (), (drug, route, mg, lot))

/// An outcome measure completed (items as the instrument defines them).
struct measure {
  static constexpr std::string_view type = "measure";
  std::string instrument;
  std::vector<item_answer> items;
  friend bool operator==(const measure&, const measure&) = default;
};
BOOST_DESCRIBE_STRUCT(measure, (), (instrument, items))

/// A therapeutic intervention during the session.
struct intervention {
  static constexpr std::string_view type = "intervention";
  std::string kind;  ///< guided_meditation, visualization, music, breathwork, integration_dialogue, ...
  kap::minutes minutes{0};
  friend bool operator==(const intervention&, const intervention&) = default;
};
BOOST_DESCRIBE_STRUCT(intervention, (), (kind, minutes))

/// Severity of an adverse event.
enum class severity { mild, moderate, severe };
BOOST_DESCRIBE_ENUM(severity, mild, moderate, severe)

/// An adverse event observed.
struct adverse_event {
  static constexpr std::string_view type = "adverse_event";
  std::string kind;  ///< nausea, dissociation, hypertension, ...
  kap::events::severity severity{};
  friend bool operator==(const adverse_event&, const adverse_event&) = default;
};
BOOST_DESCRIBE_STRUCT(adverse_event, (), (kind, severity))

/// A sign-off (`dose_order`, `discharge`, ...) by the actor's role.
struct signoff {
  static constexpr std::string_view type = "signoff";
  std::string what;
  friend bool operator==(const signoff&, const signoff&) = default;
};
BOOST_DESCRIBE_STRUCT(signoff, (), (what))

/// A free-text note. Stored, never logged.
struct note {
  static constexpr std::string_view type = "note";
  std::string text;
  friend bool operator==(const note&, const note&) = default;
};
BOOST_DESCRIBE_STRUCT(note, (), (text))

/// The session is stopped early.
struct abort {
  static constexpr std::string_view type = "abort";
  std::string reason;
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
  event_id id;
  session_id session;
  timestamp at;
  kap::actor actor;
  friend bool operator==(const event_header&, const event_header&) = default;
};
BOOST_DESCRIBE_STRUCT(event_header, (), (id, session, at, actor))

/// One recorded event: envelope plus payload.
struct event : event_header {
  kap::payload body;

  /// The event's type.
  [[nodiscard]] event_type type() const noexcept { return static_cast<event_type>(body.index()); }
  friend bool operator==(const event&, const event&) = default;
};

}  // namespace kap
