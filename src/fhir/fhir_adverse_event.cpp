// FHIR R4 export: the AdverseEvent, and the outcome a resolution sets on it.
#include "fhir_private.hpp"

#include <kap/core/enum_name.hpp>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include <cstddef>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace kap::fhir::detail {

void exporter::add(const event& e, const std::string& key, const events::adverse_event& a,
                   std::optional<std::string>& last_dose) {
  if (a.resolves()) {
    // A resolution is no new adverse event: it sets the outcome of the kind's unresolved reports
    // (the engine accepted it only with one), and its Provenance names them.
    std::erase_if(unresolved_, [&](const std::pair<std::string, std::size_t>& u) {
      if (u.first != a.kind) return false;
      entries_[u.second].resource["outcome"] = concept_of(coding(ae_outcome, "resolved", "Resolved"));
      updated_.push_back(entries_[u.second].uuid);
      return true;
    });
    return;
  }
  unresolved_.emplace_back(a.kind, entries_.size());
  const std::string uuid = name_uuid("AdverseEvent|" + key);
  object r = base("AdverseEvent", uuid, key, {}, {}, /*single_identifier=*/true);  // AdverseEvent.identifier is 0..1
  r["actuality"] = "actual";
  const std::string kind = token_or_unspecified(a.kind);
  r["event"] = concept_of(coding(kap_adverse, kind, words(kind)), words(kind));
  r["subject"] = urn_ref(patient_uuid_);
  r["encounter"] = urn_ref(encounter_uuid_);
  r["date"] = when(e.at);
  r["recordedDate"] = when(e.at);
  if (e.actor.role != role::system) r["recorder"] = actor_ref(e.actor, patient_uuid_);  // R4: no Device recorder
  const std::string sev = str(enum_name(a.severity));
  r["severity"] = concept_of(coding(ae_severity, sev,
                                    sev == "mild"       ? "Mild"
                                    : sev == "moderate" ? "Moderate"
                                                        : "Severe"));
  if (a.outcome == events::adverse_outcome::ongoing) r["outcome"] = concept_of(coding(ae_outcome, "ongoing", "Ongoing"));
  if (last_dose) {
    object suspect;
    suspect["instance"] = urn_ref(*last_dose);
    r["suspectEntity"] = array{std::move(suspect)};
  }
  push("AdverseEvent", uuid, std::move(r), e.at);
}

}  // namespace kap::fhir::detail
