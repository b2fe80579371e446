// FHIR R4 export: the vital-sign Observations (body weight from a screening; blood pressure,
// heart rate, SpO2 and respiratory rate from a vitals event), on FHIR's vital-signs profiles.
#include "fhir_private.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace kap::fhir::detail {

namespace {

object vital_category() { return concept_of(coding(obs_category, "vital-signs", "Vital Signs")); }

}  // namespace

void exporter::vital(const event& e, const std::string& key, std::string_view part, std::string_view code,
                     std::string_view display, std::string_view profile, object q) {
  const std::string uuid = name_uuid("Observation|" + key + "|" + str(part));
  object o = observation(e, uuid, key, part, concept_of(coding(loinc, code, display), display), profile);
  o["category"] = array{vital_category()};
  o["valueQuantity"] = std::move(q);
  push("Observation", uuid, std::move(o), e.at);
}

void exporter::add(const event& e, const std::string& key, const events::screening& s, std::optional<std::string>&) {
  if (s.weight_kg.count() <= 0) return;
  vital(e, key, "weight", "29463-7", "Body weight", "http://hl7.org/fhir/StructureDefinition/bodyweight",
        quantity(s.weight_kg.count(), "kg", "kg"));
}

void exporter::add(const event& e, const std::string& key, const events::vitals& v, std::optional<std::string>&) {
  if (v.systolic || v.diastolic) {
    const std::string uuid = name_uuid("Observation|" + key + "|bp");
    object o = observation(
        e, uuid, key, "bp",
        concept_of(coding(loinc, "85354-9", "Blood pressure panel with all children optional"), "Blood pressure"),
        "http://hl7.org/fhir/StructureDefinition/bp");
    o["category"] = array{vital_category()};
    auto component = [](std::string_view code, std::string_view display, const std::optional<mmhg>& x) {
      object c;
      c["code"] = concept_of(coding(loinc, code, display), display);
      if (x) {
        c["valueQuantity"] = quantity(x->count(), "mmHg", "mm[Hg]");
      } else {
        c["dataAbsentReason"] = concept_of(coding(absent_reason, "not-performed", "Not Performed"));
      }
      return c;
    };
    o["component"] = array{component("8480-6", "Systolic blood pressure", v.systolic),
                           component("8462-4", "Diastolic blood pressure", v.diastolic)};
    push("Observation", uuid, std::move(o), e.at);
  }
  if (v.heart_rate) {
    vital(e, key, "hr", "8867-4", "Heart rate", "http://hl7.org/fhir/StructureDefinition/heartrate",
          quantity(v.heart_rate->count(), "beats/minute", "/min"));
  }
  if (v.spo2) {
    const std::string uuid = name_uuid("Observation|" + key + "|spo2");
    object code;
    // 2708-6 is the code FHIR's oxygensat profile requires; 59408-5 says "by pulse oximetry".
    code["coding"] = array{coding(loinc, "2708-6", "Oxygen saturation in Arterial blood"),
                           coding(loinc, "59408-5", "Oxygen saturation in Arterial blood by Pulse oximetry")};
    code["text"] = "Oxygen saturation";
    object o = observation(e, uuid, key, "spo2", std::move(code), "http://hl7.org/fhir/StructureDefinition/oxygensat");
    o["category"] = array{vital_category()};
    o["valueQuantity"] = quantity(v.spo2->count(), "%", "%");
    push("Observation", uuid, std::move(o), e.at);
  }
  if (v.respiratory_rate) {
    vital(e, key, "rr", "9279-1", "Respiratory rate", "http://hl7.org/fhir/StructureDefinition/resprate",
          quantity(v.respiratory_rate->count(), "breaths/minute", "/min"));
  }
}

}  // namespace kap::fhir::detail
