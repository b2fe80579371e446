#pragma once

// The FHIR R4 exporter's internals: shared by the src/fhir/fhir*.cpp files, not installed
// (date's tz_private.h is the model, a private header shared by the .cpp files of one component).
// The mapping and its sources are in docs/fhir.md.
//
// One `exporter` collects a subject's resources, in order, and writes them as a Bundle. Each
// resource is built in a file of its own:
//
//   fhir.cpp                         the public functions (kap/fhir/fhir.hpp) and the walk over a
//                                    session's events: which are exported, which builder each goes to
//   fhir_builders.cpp                the small builders (codings, quantities, references, identifiers)
//                                    and what every resource and every Observation starts with
//   fhir_patient.cpp                 Patient
//   fhir_encounter.cpp               Encounter
//   fhir_vitals.cpp                  Observation: body weight and the vital signs
//   fhir_questionnaire_response.cpp  QuestionnaireResponse, and its total-score Observation
//   fhir_medication.cpp              MedicationAdministration (the route and drug codes)
//   fhir_adverse_event.cpp           AdverseEvent
//   fhir_provenance.cpp              Provenance
//   fhir_bundle.cpp                  Bundle, and its JSON text

#include <kap/core/time.hpp>
#include <kap/fhir/fhir.hpp>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/string.hpp>
#include <boost/json/value.hpp>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace kap::fhir::detail {

using boost::json::array;
using boost::json::object;
using boost::json::value;

// --- code systems (docs/fhir.md cites each) ------------------------------------------------------
inline constexpr std::string_view loinc = "http://loinc.org";
inline constexpr std::string_view snomed = "http://snomed.info/sct";
inline constexpr std::string_view rxnorm = "http://www.nlm.nih.gov/research/umls/rxnorm";
inline constexpr std::string_view ucum = "http://unitsofmeasure.org";
inline constexpr std::string_view obs_category = "http://terminology.hl7.org/CodeSystem/observation-category";
inline constexpr std::string_view act_code = "http://terminology.hl7.org/CodeSystem/v3-ActCode";
inline constexpr std::string_view absent_reason = "http://terminology.hl7.org/CodeSystem/data-absent-reason";
inline constexpr std::string_view ae_severity = "http://terminology.hl7.org/CodeSystem/adverse-event-severity";
inline constexpr std::string_view ae_outcome = "http://terminology.hl7.org/CodeSystem/adverse-event-outcome";
inline constexpr std::string_view participant_type =
    "http://terminology.hl7.org/CodeSystem/provenance-participant-type";
// kap's own systems, for what has no standard code.
inline constexpr std::string_view kap_session = "urn:kap:session";
inline constexpr std::string_view kap_event = "urn:kap:event";
inline constexpr std::string_view kap_actor = "urn:kap:actor";
inline constexpr std::string_view kap_role = "urn:kap:role";
inline constexpr std::string_view kap_protocol = "urn:kap:protocol";
inline constexpr std::string_view kap_measure = "urn:kap:measure";
inline constexpr std::string_view kap_band = "urn:kap:severity-band";
inline constexpr std::string_view kap_adverse = "urn:kap:adverse-event";
inline constexpr std::string_view kap_signoff = "urn:kap:signoff";
inline constexpr std::string_view kap_answer = "urn:kap:answer";
inline constexpr std::string_view kap_questionnaire = "urn:kap:questionnaire:";

// --- small builders (fhir_builders.cpp) ----------------------------------------------------------

std::string str(std::string_view s);

/// A JSON string value (Boost.JSON takes no std::string rvalue).
boost::json::string js(std::string_view s);

/// An instant as FHIR's dateTime/instant: RFC 3339 in UTC.
boost::json::string when(timestamp t);

object coding(std::string_view system, std::string_view code, std::string_view display = {});

object concept_of(object c, std::string_view text = {});

object quantity(double v, std::string_view unit, std::string_view code);

object urn_ref(const std::string& uuid);

/// A logical reference to a member of staff or a device by pseudonymous actor id (no resource).
object actor_ref(const actor& a, const std::string& patient_uuid);

object identifier(std::string_view system, std::string_view v);

/// True for strings that are safe to export: an id-like token, never prose.
bool is_token(std::string_view s);

std::string token_or_unspecified(std::string_view s);

std::string words(std::string_view name);

// --- the exporter --------------------------------------------------------------------------------

struct entry {
  std::string uuid;
  std::string type;
  object resource;
};

/// A subject's resources, in the order they are added, and the Bundle that holds them.
class exporter {
 public:
  /// Starts with the subject's Patient (fhir_patient.cpp).
  exporter(const subject_id& subject, const export_options& options);

  /// Adds a session's resources: its Encounter, then the resources of each accepted event and
  /// their Provenance (fhir.cpp).
  result<void> add_session(const session_input& in);

  /// The Bundle's JSON text (fhir_bundle.cpp).
  std::string finish(std::string_view scope);

 private:
  // fhir_encounter.cpp
  void add_encounter(const session_input& in, const std::vector<const event*>& accepted);

  // fhir_builders.cpp
  /// resourceType, id, meta.profile (when given) and the identifier naming the event (and the
  /// part of it, for an event that gives several resources).
  object base(std::string_view type, const std::string& uuid, const std::string& key, std::string_view part,
              std::string_view profile = {}, bool single_identifier = false);
  void push(std::string_view type, std::string uuid, object r, timestamp at);
  object observation(const event& e, const std::string& uuid, const std::string& key, std::string_view part,
                     object code, std::string_view profile);

  // One add() per event body; an event whose body has none adds no resource.
  template <class Body>
  void add(const event&, const std::string&, const Body&, std::optional<std::string>&) {}
  // fhir_vitals.cpp
  void vital(const event& e, const std::string& key, std::string_view part, std::string_view code,
             std::string_view display, std::string_view profile, object q);
  void add(const event& e, const std::string& key, const events::screening& s, std::optional<std::string>&);
  void add(const event& e, const std::string& key, const events::vitals& v, std::optional<std::string>&);
  // fhir_medication.cpp
  void add(const event& e, const std::string& key, const events::dose& d, std::optional<std::string>& last_dose);
  // fhir_questionnaire_response.cpp
  void add(const event& e, const std::string& key, const events::measure& m, std::optional<std::string>&);
  // fhir_adverse_event.cpp
  void add(const event& e, const std::string& key, const events::adverse_event& a,
           std::optional<std::string>& last_dose);
  // fhir_provenance.cpp
  void provenance(const event& e, const std::string& key, const std::vector<std::string>& targets,
                  std::string_view agent_type, const std::string& signoff);

  subject_id subject_;
  export_options options_;
  std::string patient_uuid_;
  std::string encounter_uuid_;
  std::vector<entry> entries_;
  std::vector<timestamp> times_;
  std::vector<std::pair<std::string, std::size_t>> unresolved_;  // this session's adverse events not resolved: kind, entry
  std::vector<std::string> updated_;  // resources an event updated rather than added (its Provenance targets)
};

}  // namespace kap::fhir::detail
