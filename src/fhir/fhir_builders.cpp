// FHIR R4 export: the small builders every resource uses (codings, quantities, references,
// identifiers), and what every resource and every Observation starts with.
#include "fhir_private.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>
#include <utility>

namespace kap::fhir::detail {

std::string str(std::string_view s) { return std::string(s); }

boost::json::string js(std::string_view s) { return boost::json::string(s); }

boost::json::string when(timestamp t) { return js(kap::format_rfc3339(t)); }

object coding(std::string_view system, std::string_view code, std::string_view display) {
  object c;
  c["system"] = system;
  c["code"] = code;
  if (!display.empty()) c["display"] = display;
  return c;
}

object concept_of(object c, std::string_view text) {
  object cc;
  cc["coding"] = array{std::move(c)};
  if (!text.empty()) cc["text"] = text;
  return cc;
}

object quantity(double v, std::string_view unit, std::string_view code) {
  object q;
  // Whole numbers as integers (120, not 120.0): FHIR decimals keep their precision as written.
  if (std::isfinite(v) && v == std::floor(v) && std::fabs(v) < 1e15) {
    q["value"] = static_cast<std::int64_t>(v);
  } else {
    q["value"] = v;
  }
  q["unit"] = unit;
  q["system"] = ucum;
  q["code"] = code;
  return q;
}

object urn_ref(const std::string& uuid) {
  object r;
  r["reference"] = "urn:uuid:" + uuid;
  return r;
}

object actor_ref(const actor& a, const std::string& patient_uuid) {
  if (a.role == role::patient) return urn_ref(patient_uuid);
  object ident;
  ident["system"] = kap_actor;
  ident["value"] = a.id.str();
  object r;
  r["type"] = a.role == role::system ? "Device" : "Practitioner";
  r["identifier"] = std::move(ident);
  return r;
}

object identifier(std::string_view system, std::string_view v) {
  object i;
  i["system"] = system;
  i["value"] = v;
  return i;
}

bool is_token(std::string_view s) { return session_id::check(s).empty(); }

std::string token_or_unspecified(std::string_view s) { return is_token(s) ? str(s) : "unspecified"; }

std::string words(std::string_view name) {
  std::string out(name);
  std::replace(out.begin(), out.end(), '_', ' ');
  return out;
}

object exporter::base(std::string_view type, const std::string& uuid, const std::string& key, std::string_view part,
                      std::string_view profile, bool single_identifier) {
  object r;
  r["resourceType"] = type;
  r["id"] = uuid;
  if (!profile.empty()) {
    object meta;
    meta["profile"] = array{value(str(profile))};
    r["meta"] = std::move(meta);
  }
  object ident = identifier(kap_event, key + (part.empty() ? "" : "|" + str(part)));
  if (single_identifier) {
    r["identifier"] = std::move(ident);
  } else {
    r["identifier"] = array{std::move(ident)};
  }
  return r;
}

void exporter::push(std::string_view type, std::string uuid, object r, timestamp at) {
  times_.push_back(at);
  entries_.push_back({std::move(uuid), str(type), std::move(r)});
}

object exporter::observation(const event& e, const std::string& uuid, const std::string& key, std::string_view part,
                             object code, std::string_view profile) {
  object o = base("Observation", uuid, key, part, profile);
  o["status"] = "final";
  o["code"] = std::move(code);
  o["subject"] = urn_ref(patient_uuid_);
  o["encounter"] = urn_ref(encounter_uuid_);
  o["effectiveDateTime"] = when(e.at);
  // R4's Observation.performer may not reference a Device: a reading recorded by a device
  // (role system) names it in Observation.device instead.
  if (e.actor.role == role::system) {
    o["device"] = actor_ref(e.actor, patient_uuid_);
  } else {
    o["performer"] = array{actor_ref(e.actor, patient_uuid_)};
  }
  return o;
}

}  // namespace kap::fhir::detail
