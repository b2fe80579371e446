// FHIR R4 export: the Provenance of each event: who recorded (or signed off) which resources, and
// when.
#include "fhir_private.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace kap::fhir::detail {

void exporter::provenance(const event& e, const std::string& key, const std::vector<std::string>& targets,
                          std::string_view agent_type, const std::string& signoff) {
  const std::string uuid = name_uuid("Provenance|" + key);
  object p;
  p["resourceType"] = "Provenance";
  p["id"] = uuid;
  array t;
  for (const auto& x : targets) t.push_back(urn_ref(x));
  p["target"] = std::move(t);
  p["occurredDateTime"] = when(e.at);
  p["recorded"] = when(e.at);
  if (!signoff.empty()) p["activity"] = concept_of(coding(kap_signoff, signoff, words(signoff)));
  object agent;
  agent["type"] = concept_of(coding(participant_type, agent_type, agent_type == "author" ? "Author" : "Attester"));
  agent["role"] = array{concept_of(coding(kap_role, to_string(e.actor.role)))};
  agent["who"] = actor_ref(e.actor, patient_uuid_);
  p["agent"] = array{std::move(agent)};
  object entity;
  entity["role"] = "source";
  object what;
  what["identifier"] = identifier(kap_event, key);
  entity["what"] = std::move(what);
  p["entity"] = array{std::move(entity)};
  push("Provenance", uuid, std::move(p), e.at);
}

}  // namespace kap::fhir::detail
