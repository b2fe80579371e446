#pragma once

/// @file
/// Who records an event: an actor with a role and a licence flag.
///
/// Every event names its actor. A protocol says which roles may record which events; a dose
/// needs a licensed clinical role. `role` travels as its name in JSON.

#include <kap/core/ids.hpp>

#include <boost/describe/enum.hpp>
#include <boost/describe/class.hpp>

#include <string_view>

namespace kap {

/// The role an actor acts in.
enum class role {
  prescriber,  ///< a licensed prescriber (physician, nurse practitioner)
  nurse,       ///< a nurse
  therapist,   ///< the therapist guiding the session
  monitor,     ///< staff monitoring vitals
  patient,     ///< the patient (self-report only)
  system,      ///< a device or the host application
};
BOOST_DESCRIBE_ENUM(role, prescriber, nurse, therapist, monitor, patient, system)

/// True for roles that are clinical staff (all but patient and system).
[[nodiscard]] constexpr bool is_clinical(role r) noexcept {
  return r == role::prescriber || r == role::nurse || r == role::therapist || r == role::monitor;
}

/// The name of a role, as used in JSON ("nurse").
[[nodiscard]] constexpr std::string_view to_string(role r) noexcept {
  switch (r) {
    case role::prescriber: return "prescriber";
    case role::nurse: return "nurse";
    case role::therapist: return "therapist";
    case role::monitor: return "monitor";
    case role::patient: return "patient";
    case role::system: return "system";
  }
  return "unknown";
}

/// Someone (or something) who records an event.
struct actor {
  actor_id id;            ///< pseudonymous staff or patient id
  kap::role role{};       ///< the role they act in
  bool licensed = false;  ///< holds a licence for clinical acts (required for a dose)

  friend bool operator==(const actor&, const actor&) = default;
};
BOOST_DESCRIBE_STRUCT(actor, (), (id, role, licensed))

}  // namespace kap
