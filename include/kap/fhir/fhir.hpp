#pragma once

/// @file
/// HL7 FHIR R4 export: a session's (or a subject's) accepted events as one FHIR R4 Bundle.
///
/// Why it is shaped this way. EHRs and research warehouses speak FHIR R4; kap speaks events. The
/// export is a pure function from plain input (the events with their decisions, the protocol's
/// phases, the subject's pseudonym) to the Bundle's JSON text: no clock, no file, no network, so
/// the same input always gives byte-identical output. Every resource id is a name-based UUID
/// (version 5) derived from the session and event ids, so a re-export updates the same resources
/// instead of duplicating them. Only accepted events are exported. Free text is never exported:
/// notes, override justifications and abort reasons are dropped, and every other string an event
/// carries (adverse event kind, sign-off, instrument answer tokens) is exported only when it is a
/// token (`A-Z a-z 0-9 . _ : -`, at most 64 characters), else replaced by `unspecified`. The
/// patient appears by pseudonymous identifier only: no name, no birth date.
///
/// docs/fhir.md has the mapping table (resources, code systems, codes and their sources) and
/// the decisions taken where FHIR leaves a choice.

#include <kap/core/ids.hpp>
#include <kap/core/result.hpp>
#include <kap/reports/report.hpp>
#include <kap/export_export.hpp>
#include <kap/events/decision.hpp>
#include <kap/events/event.hpp>

#include <boost/describe/enum.hpp>

#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace kap::fhir {

/// The Bundle's type.
enum class bundle_type {
  collection,   ///< a set of resources (the default): for files, warehouses, validators
  transaction,  ///< a FHIR transaction a server applies whole: each entry has `request`
};
BOOST_DESCRIBE_ENUM(bundle_type, collection, transaction)

/// How to export.
struct export_options {
  bundle_type type = bundle_type::collection;  ///< collection or transaction
  /// The identifier system of the patient's pseudonym (`Patient.identifier.system`). A clinic
  /// sets its own URI so the EHR can match the pseudonym; kap's default is `urn:kap:subject`.
  std::string subject_system = "urn:kap:subject";
};

/// One session to export: its events with their decisions and the protocol it ran under.
///
/// `decisions[i]` is the decision on `events[i]`; an empty `decisions` takes every event as
/// accepted (a store that keeps accepted events only). Only accepted events are exported.
struct session_input {
  session_id session;                  ///< the session's id
  reports::protocol_summary protocol;  ///< its protocol: id, phases and their kinds (`reports::summarize_protocol`)
  std::string protocol_version;        ///< the protocol's version ("" leaves it out)
  std::vector<event> events;           ///< every event recorded, in order
  std::vector<decision> decisions;     ///< the decision on each event, or empty
};

/// Exports one session of a subject as a FHIR R4 Bundle.
/// @param subject the subject's pseudonymous id (the Patient's identifier)
/// @param session the session
/// @param options bundle type and identifier system
/// @return the Bundle's JSON text (one line, ending in a newline), or `errc::invalid_id` (an
///         empty subject or session id, an empty `subject_system`), `errc::missing_field` (no
///         accepted event; `decisions` not as many as `events`), `errc::unknown_session` (an
///         event of another session, naming its index), `errc::duplicate` (an event id twice
///         among the accepted events), or the reader's code (`wrong_type`, `invalid_quantity`,
///         `parse_error`, ...) for an accepted event whose JSON would not read back (only C++
///         code makes one: a NaN dose, an enum value with no name)
[[nodiscard]] KAP_EXPORT_EXPORT result<std::string> session_bundle(const subject_id& subject,
                                                                   const session_input& session,
                                                                   const export_options& options = {});

/// Exports several sessions of one subject as one FHIR R4 Bundle: one Patient, and per session
/// an Encounter with its resources, in the order given.
/// @param subject the subject's pseudonymous id
/// @param sessions the sessions (at least one; no session id twice)
/// @param options bundle type and identifier system
/// @return the Bundle's JSON text, or the errors of `session_bundle` (naming the session), and
///         `errc::missing_field` (no session), `errc::duplicate` (a session id twice)
[[nodiscard]] KAP_EXPORT_EXPORT result<std::string> subject_bundle(const subject_id& subject,
                                                                   std::span<const session_input> sessions,
                                                                   const export_options& options = {});

/// The name-based (version 5, SHA-1) UUID kap gives the resource named `name`, in kap's own
/// namespace (itself the version 5 UUID of `urn:kap:fhir` in the URL namespace of RFC 4122).
/// @param name e.g. "Encounter|S-1"
/// @return the UUID in lower-case 8-4-4-4-12 form
[[nodiscard]] KAP_EXPORT_EXPORT std::string name_uuid(std::string_view name);

/// The subject a session id names by kap's convention: `SUBJECT-sN` (what `kapctl simulate`
/// writes: the N-th session of SUBJECT) names SUBJECT.
/// @param session the session id
/// @return the subject, or `errc::invalid_id` when the id does not follow the convention
[[nodiscard]] KAP_EXPORT_EXPORT result<subject_id> subject_of(const session_id& session);

}  // namespace kap::fhir
