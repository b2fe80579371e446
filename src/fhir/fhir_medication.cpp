// FHIR R4 export: a dose's MedicationAdministration, with its route (SNOMED CT) and drug
// (RxNorm) codes.
#include "fhir_private.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include <optional>
#include <string>
#include <utility>

namespace kap::fhir::detail {

namespace {

/// The route codes: SNOMED CT, from FHIR R4's value set http://hl7.org/fhir/ValueSet/route-codes
/// (hl7.org/fhir/R4/valueset-route-codes.html), checked against its expansion.
object route_concept(kap::route r) {
  switch (r) {
    case kap::route::iv: return concept_of(coding(snomed, "47625008", "Intravenous route"));
    case kap::route::im: return concept_of(coding(snomed, "78421000", "Intramuscular route"));
    case kap::route::sublingual: return concept_of(coding(snomed, "37839007", "Sublingual route"));
    case kap::route::intranasal: return concept_of(coding(snomed, "46713006", "Nasal route"));
    case kap::route::oral: return concept_of(coding(snomed, "26643006", "Oral route"));
  }
  return concept_of(coding(snomed, "284009009", "Route of administration values"));
}

/// RxNorm ingredient concepts (term type IN), authority RxNav (mor.nlm.nih.gov/RxNav). Not
/// re-checked against RxNav where this was written (docs/fhir.md, "Verification status").
object drug_concept(kap::drug d) {
  switch (d) {
    case kap::drug::ketamine: return concept_of(coding(rxnorm, "6130", "ketamine"));
    case kap::drug::esketamine: return concept_of(coding(rxnorm, "2119365", "esketamine"));
  }
  return {};
}

}  // namespace

void exporter::add(const event& e, const std::string& key, const events::dose& d,
                   std::optional<std::string>& last_dose) {
  const std::string uuid = name_uuid("MedicationAdministration|" + key);
  object m = base("MedicationAdministration", uuid, key, {});
  m["status"] = "completed";
  m["medicationCodeableConcept"] = drug_concept(d.drug);
  m["subject"] = urn_ref(patient_uuid_);
  m["context"] = urn_ref(encounter_uuid_);
  m["effectiveDateTime"] = when(e.at);
  object performer;
  performer["actor"] = actor_ref(e.actor, patient_uuid_);
  m["performer"] = array{std::move(performer)};
  object dosage;
  dosage["route"] = route_concept(d.route);
  dosage["dose"] = quantity(d.mg.count(), "mg", "mg");
  m["dosage"] = std::move(dosage);
  push("MedicationAdministration", uuid, std::move(m), e.at);
  last_dose = uuid;
}

}  // namespace kap::fhir::detail
