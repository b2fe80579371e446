// FHIR R4 export: the Encounter, the session's span and how it ended.
#include "fhir_private.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include <map>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace kap::fhir::detail {

void exporter::add_encounter(const session_input& in, const std::vector<const event*>& accepted) {
  const std::string& sid = in.session.str();
  // The Encounter: the session's span and how it ended.
  std::map<std::string, phase_kind> kinds;
  for (const auto& ph : in.protocol.phases) kinds[ph.id] = ph.kind;
  enum class ending { open, discharged, aborted };
  ending end = ending::open;
  timestamp end_at = accepted.back()->at;
  bool dosed = false;
  for (const event* e : accepted) {
    if (end != ending::open) break;
    if (e->type() == event_type::dose) dosed = true;
    if (e->type() == event_type::abort) {
      end = ending::aborted;
      end_at = e->at;
    } else if (const auto* ph = std::get_if<events::phase>(&e->body)) {
      const auto it = kinds.find(ph->to);
      if (it != kinds.end() && it->second == phase_kind::discharge) {
        end = ending::discharged;
        end_at = e->at;
      } else if (it != kinds.end() && it->second == phase_kind::aborted) {
        end = ending::aborted;
        end_at = e->at;
      }
    }
  }
  encounter_uuid_ = name_uuid("Encounter|" + sid);
  object enc;
  enc["resourceType"] = "Encounter";
  enc["id"] = encounter_uuid_;
  enc["identifier"] = array{identifier(kap_session, sid)};
  // Discharged: finished. Aborted after a dose: finished (the encounter took place).
  // Aborted before any dose: cancelled. Not ended yet: in-progress, with no period end.
  const char* status = end == ending::discharged         ? "finished"
                       : end == ending::aborted && dosed ? "finished"
                       : end == ending::aborted          ? "cancelled"
                                                         : "in-progress";
  enc["status"] = status;
  enc["class"] = coding(act_code, "AMB", "ambulatory");
  if (!in.protocol.id.empty() && is_token(in.protocol.id)) {
    object c = coding(kap_protocol, in.protocol.id);
    if (!in.protocol_version.empty() && is_token(in.protocol_version)) c["version"] = in.protocol_version;
    enc["type"] = array{concept_of(std::move(c))};
  }
  enc["subject"] = urn_ref(patient_uuid_);
  object period;
  period["start"] = when(accepted.front()->at);
  if (end != ending::open) period["end"] = when(end_at);
  enc["period"] = std::move(period);
  times_.push_back(end_at);
  entries_.push_back({encounter_uuid_, "Encounter", std::move(enc)});
}

}  // namespace kap::fhir::detail
