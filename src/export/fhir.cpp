// FHIR R4 export (kap/export/fhir.hpp). The mapping and its sources are in docs/fhir.md.
#include <kap/core/enum_name.hpp>
#include <kap/core/time.hpp>
#include <kap/export/fhir.hpp>
#include <kap/json/codec.hpp>
#include <kap/json/events.hpp>
#include <kap/measures/catalog.hpp>
#include <kap/measures/score.hpp>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <boost/uuid/name_generator_sha1.hpp>
#include <boost/uuid/uuid.hpp>
#include <boost/uuid/uuid_io.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace kap::fhir {

namespace {

using boost::json::array;
using boost::json::object;
using boost::json::value;

// --- code systems (docs/fhir.md cites each) ------------------------------------------------------
constexpr std::string_view loinc = "http://loinc.org";
constexpr std::string_view snomed = "http://snomed.info/sct";
constexpr std::string_view rxnorm = "http://www.nlm.nih.gov/research/umls/rxnorm";
constexpr std::string_view ucum = "http://unitsofmeasure.org";
constexpr std::string_view obs_category = "http://terminology.hl7.org/CodeSystem/observation-category";
constexpr std::string_view act_code = "http://terminology.hl7.org/CodeSystem/v3-ActCode";
constexpr std::string_view absent_reason = "http://terminology.hl7.org/CodeSystem/data-absent-reason";
constexpr std::string_view ae_severity = "http://terminology.hl7.org/CodeSystem/adverse-event-severity";
constexpr std::string_view ae_outcome = "http://terminology.hl7.org/CodeSystem/adverse-event-outcome";
constexpr std::string_view participant_type = "http://terminology.hl7.org/CodeSystem/provenance-participant-type";
// kap's own systems, for what has no standard code.
constexpr std::string_view kap_session = "urn:kap:session";
constexpr std::string_view kap_event = "urn:kap:event";
constexpr std::string_view kap_actor = "urn:kap:actor";
constexpr std::string_view kap_role = "urn:kap:role";
constexpr std::string_view kap_protocol = "urn:kap:protocol";
constexpr std::string_view kap_measure = "urn:kap:measure";
constexpr std::string_view kap_band = "urn:kap:severity-band";
constexpr std::string_view kap_adverse = "urn:kap:adverse-event";
constexpr std::string_view kap_signoff = "urn:kap:signoff";
constexpr std::string_view kap_answer = "urn:kap:answer";
constexpr std::string_view kap_questionnaire = "urn:kap:questionnaire:";

// --- JSON text -----------------------------------------------------------------------------------

/// Compact JSON, members in insertion order, numbers as kap writes them (shortest round trip,
/// never an exponent for the values an export holds).
void write(std::string& out, const value& v) {
  switch (v.kind()) {
    case boost::json::kind::null: out += "null"; return;
    case boost::json::kind::bool_: out += v.get_bool() ? "true" : "false"; return;
    case boost::json::kind::int64: json::detail::write_int(out, v.get_int64()); return;
    case boost::json::kind::uint64: json::detail::write_uint(out, v.get_uint64()); return;
    case boost::json::kind::double_: json::detail::write_double(out, v.get_double()); return;
    case boost::json::kind::string: {
      const auto& s = v.get_string();
      json::detail::write_string(out, std::string_view(s.data(), s.size()));
      return;
    }
    case boost::json::kind::array: {
      out.push_back('[');
      bool first = true;
      for (const auto& x : v.get_array()) {
        if (!first) out.push_back(',');
        first = false;
        write(out, x);
      }
      out.push_back(']');
      return;
    }
    case boost::json::kind::object: {
      out.push_back('{');
      bool first = true;
      for (const auto& kv : v.get_object()) {
        if (!first) out.push_back(',');
        first = false;
        json::detail::write_string(out, std::string_view(kv.key().data(), kv.key().size()));
        out.push_back(':');
        write(out, kv.value());
      }
      out.push_back('}');
      return;
    }
  }
}

// --- small builders ------------------------------------------------------------------------------

std::string str(std::string_view s) { return std::string(s); }

/// A JSON string value (Boost.JSON takes no std::string rvalue).
boost::json::string js(std::string_view s) { return boost::json::string(s); }

/// An instant as FHIR's dateTime/instant: RFC 3339 in UTC.
boost::json::string when(timestamp t) { return js(kap::format_rfc3339(t)); }

object coding(std::string_view system, std::string_view code, std::string_view display = {}) {
  object c;
  c["system"] = system;
  c["code"] = code;
  if (!display.empty()) c["display"] = display;
  return c;
}

object concept_of(object c, std::string_view text = {}) {
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

/// A logical reference to a member of staff or a device by pseudonymous actor id (no resource).
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

/// True for strings that are safe to export: an id-like token, never prose.
bool is_token(std::string_view s) { return session_id::check(s).empty(); }

std::string token_or_unspecified(std::string_view s) { return is_token(s) ? str(s) : "unspecified"; }

std::string words(std::string_view name) {
  std::string out(name);
  std::replace(out.begin(), out.end(), '_', ' ');
  return out;
}

object vital_category() { return concept_of(coding(obs_category, "vital-signs", "Vital Signs")); }

// --- the exporter --------------------------------------------------------------------------------

struct entry {
  std::string uuid;
  std::string type;
  object resource;
};

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

/// The LOINC code of an instrument's total, where kap's catalogue has a sourced one.
std::optional<std::string> total_loinc(std::string_view instrument) {
  auto parsed = measures::parse_instrument_id(instrument);
  if (!parsed) return std::nullopt;
  const auto d = measures::describe_instrument(*parsed);
  const auto it = d.loinc.find("total");
  if (it == d.loinc.end()) return std::nullopt;
  return it->second;
}

class exporter {
 public:
  exporter(const subject_id& subject, const export_options& options) : subject_(subject), options_(options) {
    patient_uuid_ = name_uuid("Patient|" + options_.subject_system + "|" + subject_.str());
    object p;
    p["resourceType"] = "Patient";
    p["id"] = patient_uuid_;
    p["identifier"] = array{identifier(options_.subject_system, subject_.str())};
    entries_.push_back({patient_uuid_, "Patient", std::move(p)});
  }

  result<void> add_session(const session_input& in) {
    if (in.session.empty() || !session_id::check(in.session.str()).empty()) {
      return error{errc::invalid_id, "session: the session id must not be empty"};
    }
    const std::string& sid = in.session.str();
    if (!in.decisions.empty() && in.decisions.size() != in.events.size()) {
      return error{errc::missing_field, "session " + sid + ": decisions: " + std::to_string(in.decisions.size()) +
                                            " decisions for " + std::to_string(in.events.size()) + " events"};
    }
    std::vector<const event*> accepted;
    std::set<std::string> seen;
    for (std::size_t i = 0; i < in.events.size(); ++i) {
      const event& e = in.events[i];
      if (!in.decisions.empty() && !in.decisions[i].accepted()) continue;
      // An invalid id may hold free text: it is named only when it is a valid id.
      const bool id_ok = event_id::check(e.id.str()).empty();
      const std::string where =
          "session " + sid + ": events[" + std::to_string(i) + "]" + (id_ok ? " (" + e.id.str() + ")" : "");
      if (e.session != in.session) {
        const bool sid_ok = session_id::check(e.session.str()).empty();
        return error{errc::unknown_session,
                     where + " belongs to " + (sid_ok ? "session " + e.session.str() : std::string("another session"))};
      }
      // What no reader accepts back (a NaN amount, an enum value with no name, a negative
      // amount: only C++ code makes one) would be exported as null or as nonsense.
      if (auto back = json::check_event(e); !back) {
        return error{back.error().code, where + " would not read back (" + back.error().message + ")"};
      }
      if (!seen.insert(e.id.str()).second) {
        return error{errc::duplicate, "session " + sid + ": events[" + std::to_string(i) + "]: event id " + e.id.str() +
                                          " is accepted twice"};
      }
      accepted.push_back(&e);
    }
    if (accepted.empty()) return error{errc::missing_field, "session " + sid + ": no accepted events to export"};

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
    {
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

    std::optional<std::string> last_dose;
    unresolved_.clear();
    for (const event* e : accepted) {
      const std::size_t first = entries_.size();
      const std::string key = sid + "|" + e->id.str();
      updated_.clear();
      std::visit([&](const auto& body) { add(*e, key, body, last_dose); }, e->body);
      std::vector<std::string> targets = updated_;
      for (std::size_t k = first; k < entries_.size(); ++k) targets.push_back(entries_[k].uuid);
      if (const auto* s = std::get_if<events::signoff>(&e->body)) {
        provenance(*e, key, {encounter_uuid_}, "attester", token_or_unspecified(s->what));
      } else if (!targets.empty()) {
        provenance(*e, key, targets, "author", {});
      }
    }
    return {};
  }

  std::string finish(std::string_view scope) {
    timestamp latest{};
    bool any = false;
    for (const auto& t : times_) {
      if (!any || t > latest) latest = t;
      any = true;
    }
    object b;
    b["resourceType"] = "Bundle";
    b["id"] = name_uuid("Bundle|" + str(scope) + "|" + str(enum_name(options_.type)));
    b["type"] = str(enum_name(options_.type));
    if (any) b["timestamp"] = when(latest);
    array list;
    for (auto& en : entries_) {
      object item;
      item["fullUrl"] = "urn:uuid:" + en.uuid;
      item["resource"] = std::move(en.resource);
      if (options_.type == bundle_type::transaction) {
        object req;
        if (en.type == "Patient") {
          // Conditional create: an EHR that knows the pseudonym keeps its own Patient.
          req["method"] = "POST";
          req["url"] = "Patient";
          req["ifNoneExist"] = "identifier=" + options_.subject_system + "|" + subject_.str();
        } else {
          // Idempotent: the same session exported again updates the same resources.
          req["method"] = "PUT";
          req["url"] = en.type + "/" + en.uuid;
        }
        item["request"] = std::move(req);
      }
      list.push_back(std::move(item));
    }
    b["entry"] = std::move(list);
    std::string out;
    write(out, b);
    out.push_back('\n');
    return out;
  }

 private:
  /// resourceType, id, meta.profile (when given) and the identifier naming the event (and the
  /// part of it, for an event that gives several resources).
  object base(std::string_view type, const std::string& uuid, const std::string& key, std::string_view part,
              std::string_view profile = {}, bool single_identifier = false) {
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

  void push(std::string_view type, std::string uuid, object r, timestamp at) {
    times_.push_back(at);
    entries_.push_back({std::move(uuid), str(type), std::move(r)});
  }

  object observation(const event& e, const std::string& uuid, const std::string& key, std::string_view part,
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

  void vital(const event& e, const std::string& key, std::string_view part, std::string_view code,
             std::string_view display, std::string_view profile, object q) {
    const std::string uuid = name_uuid("Observation|" + key + "|" + str(part));
    object o = observation(e, uuid, key, part, concept_of(coding(loinc, code, display), display), profile);
    o["category"] = array{vital_category()};
    o["valueQuantity"] = std::move(q);
    push("Observation", uuid, std::move(o), e.at);
  }

  template <class Body>
  void add(const event&, const std::string&, const Body&, std::optional<std::string>&) {}

  void add(const event& e, const std::string& key, const events::screening& s, std::optional<std::string>&) {
    if (s.weight_kg.count() <= 0) return;
    vital(e, key, "weight", "29463-7", "Body weight", "http://hl7.org/fhir/StructureDefinition/bodyweight",
          quantity(s.weight_kg.count(), "kg", "kg"));
  }

  void add(const event& e, const std::string& key, const events::vitals& v, std::optional<std::string>&) {
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
      object o =
          observation(e, uuid, key, "spo2", std::move(code), "http://hl7.org/fhir/StructureDefinition/oxygensat");
      o["category"] = array{vital_category()};
      o["valueQuantity"] = quantity(v.spo2->count(), "%", "%");
      push("Observation", uuid, std::move(o), e.at);
    }
    if (v.respiratory_rate) {
      vital(e, key, "rr", "9279-1", "Respiratory rate", "http://hl7.org/fhir/StructureDefinition/resprate",
            quantity(v.respiratory_rate->count(), "breaths/minute", "/min"));
    }
  }

  void add(const event& e, const std::string& key, const events::dose& d, std::optional<std::string>& last_dose) {
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

  void add(const event& e, const std::string& key, const events::measure& m, std::optional<std::string>&) {
    const bool known = is_token(m.instrument);
    const std::string instrument = token_or_unspecified(m.instrument);
    const std::string qr_uuid = name_uuid("QuestionnaireResponse|" + key);
    object qr = base("QuestionnaireResponse", qr_uuid, key, {}, {}, /*single_identifier=*/true);
    if (known) qr["questionnaire"] = str(kap_questionnaire) + instrument;
    qr["status"] = "completed";
    qr["subject"] = urn_ref(patient_uuid_);
    qr["encounter"] = urn_ref(encounter_uuid_);
    qr["authored"] = when(e.at);
    qr["author"] = actor_ref(e.actor, patient_uuid_);
    array items;
    std::vector<std::string_view> tokens;
    for (std::size_t i = 0; i < m.items.size(); ++i) {
      const std::string& t = m.items[i].text;
      tokens.emplace_back(t);
      object item;
      item["linkId"] = std::to_string(i + 1);
      // "-" is an item not asked: the item stays, without an answer.
      if (t != "-") {
        object answer;
        const bool digits =
            !t.empty() && t.size() <= 9 && std::all_of(t.begin(), t.end(), [](char c) { return c >= '0' && c <= '9'; });
        if (digits) {
          answer["valueInteger"] = std::stoll(t);
        } else {
          answer["valueCoding"] = coding(kap_answer, token_or_unspecified(t));
        }
        item["answer"] = array{std::move(answer)};
      }
      items.push_back(std::move(item));
    }
    if (!items.empty()) qr["item"] = std::move(items);
    push("QuestionnaireResponse", qr_uuid, std::move(qr), e.at);

    if (!known) return;
    auto report = measures::score_tokens(m.instrument, tokens);
    if (!report || !report->total) return;  // no total (C-SSRS screener, EBI) or not scorable
    const std::string uuid = name_uuid("Observation|" + key + "|total");
    const auto loinc_code = total_loinc(m.instrument);
    auto parsed = measures::parse_instrument_id(m.instrument);
    const std::string name = parsed ? str(measures::describe_instrument(*parsed).name) : instrument;
    object code = loinc_code ? concept_of(coding(loinc, *loinc_code, name + " total score"), name + " total score")
                             : concept_of(coding(kap_measure, instrument + ":total", name + " total score"),
                                          name + " total score");
    object o = observation(e, uuid, key, "total", std::move(code), {});
    o["category"] = array{concept_of(coding(obs_category, "survey", "Survey"))};
    o["valueInteger"] = *report->total;
    if (report->band) {
      const std::string band = str(enum_name(*report->band));
      o["interpretation"] = array{concept_of(coding(kap_band, band, words(band)), words(band))};
    }
    o["derivedFrom"] = array{urn_ref(qr_uuid)};
    push("Observation", uuid, std::move(o), e.at);
  }

  void add(const event& e, const std::string& key, const events::adverse_event& a,
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

  void provenance(const event& e, const std::string& key, const std::vector<std::string>& targets,
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

  subject_id subject_;
  export_options options_;
  std::string patient_uuid_;
  std::string encounter_uuid_;
  std::vector<entry> entries_;
  std::vector<timestamp> times_;
  std::vector<std::pair<std::string, std::size_t>> unresolved_;  // this session's adverse events not resolved: kind, entry
  std::vector<std::string> updated_;  // resources an event updated rather than added (its Provenance targets)
};

result<void> check_common(const subject_id& subject, const export_options& options) {
  if (!subject_id::check(subject.str()).empty()) {
    return error{errc::invalid_id, "subject: " + str(subject_id::check(subject.str()))};
  }
  if (options.subject_system.empty()) return error{errc::invalid_id, "subject_system: must not be empty"};
  return {};
}

}  // namespace

std::string name_uuid(std::string_view name) {
  static const boost::uuids::uuid ns = boost::uuids::name_generator_sha1(boost::uuids::ns::url())("urn:kap:fhir");
  const boost::uuids::name_generator_sha1 gen(ns);
  return boost::uuids::to_string(gen(name.data(), name.size()));
}

result<subject_id> subject_of(const session_id& session) {
  const std::string& s = session.str();
  const auto at = s.rfind("-s");
  const bool ok = at != std::string::npos && at > 0 && at + 2 < s.size() &&
                  std::all_of(s.begin() + static_cast<std::ptrdiff_t>(at + 2), s.end(),
                              [](char c) { return c >= '0' && c <= '9'; });
  if (!ok) {
    return error{errc::invalid_id, "session " + s + " does not name its subject (kap's convention is SUBJECT-sN)"};
  }
  return subject_id{s.substr(0, at)};
}

result<std::string> session_bundle(const subject_id& subject, const session_input& session,
                                   const export_options& options) {
  if (auto ok = check_common(subject, options); !ok) return std::move(ok).error();
  exporter x(subject, options);
  if (auto ok = x.add_session(session); !ok) return std::move(ok).error();
  return x.finish("session|" + options.subject_system + "|" + subject.str() + "|" + session.session.str());
}

result<std::string> subject_bundle(const subject_id& subject, std::span<const session_input> sessions,
                                   const export_options& options) {
  if (auto ok = check_common(subject, options); !ok) return std::move(ok).error();
  if (sessions.empty()) return error{errc::missing_field, "subject " + subject.str() + ": no sessions to export"};
  std::set<std::string> seen;
  exporter x(subject, options);
  for (const auto& s : sessions) {
    if (!seen.insert(s.session.str()).second) {
      return error{errc::duplicate, "subject " + subject.str() + ": session " + s.session.str() + " given twice"};
    }
    if (auto ok = x.add_session(s); !ok) return std::move(ok).error();
  }
  return x.finish("subject|" + options.subject_system + "|" + subject.str());
}

}  // namespace kap::fhir
