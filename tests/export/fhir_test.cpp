// The FHIR R4 export's mapping: codes, units, references, no free text, determinism, bad input.
// The independent schema validation of every scenario's bundle is tests/fhir (ctest fhir.schema).
#include "samples.hpp"

#include <kap/fhir/fhir.hpp>
#include <kap/json.hpp>
#include <kap/measures/score.hpp>

#include <boost/json/parse.hpp>

#include <gtest/gtest.h>

#include <cmath>

#include <algorithm>
#include <functional>
#include <numeric>
#include <set>
#include <string>
#include <vector>

namespace {

namespace bj = boost::json;
using kap::fhir::session_input;

std::string scenario(const std::string& protocol, const std::string& name) {
  return std::string(KAP_TEST_DATA_DIR) + "/scenarios/" + protocol + "/" + name + ".jsonl";
}

session_input input_of(const kap::reports::session_report_input& r) {
  session_input in;
  in.session = kap::session_id{r.session};
  in.protocol = r.protocol;
  in.protocol_version = "1";
  in.events = r.events;
  in.decisions = r.decisions;
  return in;
}

session_input run(const std::string& protocol, const std::string& name) {
  return input_of(kap::test::samples::run_scenario(protocol, scenario(protocol, name)));
}

bj::object parse(const std::string& text) {
  EXPECT_FALSE(text.empty());
  EXPECT_EQ(text.back(), '\n');
  return bj::parse(text).as_object();
}

std::string export_ok(const session_input& in, const kap::fhir::export_options& o = {}) {
  auto b = kap::fhir::session_bundle(kap::subject_id{"SUBJ-1"}, in, o);
  EXPECT_TRUE(b.has_value()) << (b ? "" : b.error().message);
  return b ? *b : std::string{};
}

std::vector<bj::object> resources(const bj::object& bundle, std::string_view type) {
  std::vector<bj::object> out;
  for (const auto& e : bundle.at("entry").as_array()) {
    const auto& r = e.as_object().at("resource").as_object();
    if (r.at("resourceType").as_string() == type) out.push_back(r);
  }
  return out;
}

std::vector<std::string> codes(const bj::value& cc) {
  std::vector<std::string> out;
  for (const auto& c : cc.as_object().at("coding").as_array()) {
    out.push_back(std::string(c.as_object().at("system").as_string()) + "|" +
                  std::string(c.as_object().at("code").as_string()));
  }
  return out;
}

bool has_code(const bj::object& r, const std::string& system_code) {
  const auto c = codes(r.at("code"));
  return std::find(c.begin(), c.end(), system_code) != c.end();
}

std::vector<bj::object> observations_coded(const bj::object& bundle, const std::string& system_code) {
  std::vector<bj::object> out;
  for (auto& o : resources(bundle, "Observation")) {
    if (has_code(o, system_code)) out.push_back(o);
  }
  return out;
}

template <class T>
std::vector<const T*> accepted_payloads(const session_input& in) {
  std::vector<const T*> out;
  for (std::size_t i = 0; i < in.events.size(); ++i) {
    if (!in.decisions.empty() && !in.decisions[i].accepted()) continue;
    if (const auto* p = std::get_if<T>(&in.events[i].body)) out.push_back(p);
  }
  return out;
}

kap::event make_event(const std::string& id, int minute, kap::role role, kap::payload body,
                      const std::string& session = "S-T-1") {
  kap::event e;
  e.id = kap::event_id{id};
  e.session = kap::session_id{session};
  e.at = kap::timestamp{} + std::chrono::hours{24 * 365 * 56} + std::chrono::minutes{minute};
  e.actor = kap::actor{kap::actor_id{role == kap::role::patient ? "PT-9" : "N-7"}, role, role != kap::role::patient};
  e.body = std::move(body);
  return e;
}

session_input hand_made(std::vector<kap::event> events) {
  session_input in;
  in.session = kap::session_id{"S-T-1"};
  in.protocol.id = "test-proto";
  in.protocol.phases = {{"screening", kap::phase_kind::screening},
                        {"dosing", kap::phase_kind::dosing},
                        {"discharge", kap::phase_kind::discharge},
                        {"aborted", kap::phase_kind::aborted}};
  in.events = std::move(events);
  return in;
}

TEST(Fhir, PatientIsAPseudonymousIdentifierOnly) {
  const auto b = parse(export_ok(run("im-kap", "full-session")));
  EXPECT_EQ(b.at("resourceType").as_string(), "Bundle");
  EXPECT_EQ(b.at("type").as_string(), "collection");
  const auto patients = resources(b, "Patient");
  ASSERT_EQ(patients.size(), 1U);
  const auto& p = patients[0];
  const auto& ident = p.at("identifier").as_array().at(0).as_object();
  EXPECT_EQ(ident.at("system").as_string(), "urn:kap:subject");
  EXPECT_EQ(ident.at("value").as_string(), "SUBJ-1");
  // resourceType, id, identifier: nothing else (no name, birthDate, gender, address, telecom).
  EXPECT_EQ(p.size(), 3U);
  EXPECT_FALSE(p.contains("name"));
  EXPECT_FALSE(p.contains("birthDate"));
}

TEST(Fhir, SubjectSystemIsTheHostsChoice) {
  kap::fhir::export_options o;
  o.subject_system = "https://clinic.example/pseudonyms";
  const auto b = parse(export_ok(run("im-kap", "full-session"), o));
  EXPECT_EQ(resources(b, "Patient")[0].at("identifier").as_array()[0].as_object().at("system").as_string(),
            "https://clinic.example/pseudonyms");
}

TEST(Fhir, EncounterHasThePeriodAndStatusOfTheSession) {
  const auto in = run("im-kap", "full-session");
  const auto b = parse(export_ok(in));
  const auto enc = resources(b, "Encounter");
  ASSERT_EQ(enc.size(), 1U);
  EXPECT_EQ(enc[0].at("status").as_string(), "finished");
  EXPECT_EQ(enc[0].at("class").as_object().at("code").as_string(), "AMB");
  EXPECT_EQ(enc[0].at("period").as_object().at("start").as_string(), kap::format_rfc3339(in.events.front().at));
  // The discharge phase event closes the period.
  std::string discharge_at;
  for (const auto& e : in.events) {
    if (const auto* ph = std::get_if<kap::events::phase>(&e.body); ph && ph->to == "discharge") {
      discharge_at = kap::format_rfc3339(e.at);
    }
  }
  ASSERT_FALSE(discharge_at.empty());
  EXPECT_EQ(enc[0].at("period").as_object().at("end").as_string(), discharge_at);
  EXPECT_EQ(enc[0].at("identifier").as_array()[0].as_object().at("value").as_string(), "S-IM-1");
  EXPECT_EQ(codes(enc[0].at("type").as_array()[0]), std::vector<std::string>{"urn:kap:protocol|im-kap"});
}

TEST(Fhir, EncounterStatusFollowsHowTheSessionEnded) {
  using namespace kap::events;
  const auto status = [](std::vector<kap::event> ev) {
    const auto b = parse(export_ok(hand_made(std::move(ev))));
    const auto enc = resources(b, "Encounter").at(0);
    return std::string(enc.at("status").as_string()) + (enc.at("period").as_object().contains("end") ? "+end" : "");
  };
  const auto d = dose{kap::drug::ketamine, kap::route::im, kap::milligrams{50}, std::nullopt};
  EXPECT_EQ(status({make_event("a", 0, kap::role::nurse, checklist{"x"})}), "in-progress");
  EXPECT_EQ(status({make_event("a", 0, kap::role::nurse, checklist{"x"}),
                    make_event("b", 5, kap::role::nurse, kap::events::abort{"why"})}),
            "cancelled+end");
  EXPECT_EQ(status({make_event("a", 0, kap::role::prescriber, d),
                    make_event("b", 5, kap::role::nurse, kap::events::abort{"why"})}),
            "finished+end");
  EXPECT_EQ(status({make_event("a", 0, kap::role::nurse, phase{"discharge"})}), "finished+end");
  EXPECT_EQ(status({make_event("a", 0, kap::role::nurse, phase{"aborted"})}), "cancelled+end");
}

TEST(Fhir, DoseIsAMedicationAdministrationWithRxNormSnomedRouteAndUcumMg) {
  const auto in = run("im-kap", "full-session");
  const auto b = parse(export_ok(in));
  const auto doses = accepted_payloads<kap::events::dose>(in);
  const auto ma = resources(b, "MedicationAdministration");
  ASSERT_EQ(ma.size(), doses.size());
  ASSERT_FALSE(ma.empty());
  for (std::size_t i = 0; i < ma.size(); ++i) {
    EXPECT_EQ(ma[i].at("status").as_string(), "completed");
    EXPECT_EQ(codes(ma[i].at("medicationCodeableConcept")),
              std::vector<std::string>{"http://www.nlm.nih.gov/research/umls/rxnorm|6130"});
    const auto& dosage = ma[i].at("dosage").as_object();
    EXPECT_EQ(codes(dosage.at("route")), std::vector<std::string>{"http://snomed.info/sct|78421000"});
    const auto& dose = dosage.at("dose").as_object();
    EXPECT_EQ(dose.at("system").as_string(), "http://unitsofmeasure.org");
    EXPECT_EQ(dose.at("code").as_string(), "mg");
    EXPECT_DOUBLE_EQ(dose.at("value").to_number<double>(), doses[i]->mg.count());
    EXPECT_TRUE(ma[i].at("performer").as_array()[0].as_object().at("actor").as_object().contains("identifier"));
    EXPECT_TRUE(ma[i].contains("effectiveDateTime"));
  }
}

TEST(Fhir, EveryRouteAndDrugHasItsCode) {
  using kap::route;
  const std::vector<std::pair<route, std::string>> routes{{route::iv, "47625008"},
                                                          {route::im, "78421000"},
                                                          {route::sublingual, "37839007"},
                                                          {route::intranasal, "46713006"},
                                                          {route::oral, "26643006"}};
  std::vector<kap::event> ev;
  int m = 0;
  for (const auto& [r, code] : routes) {
    ev.push_back(make_event("d" + code, m++, kap::role::prescriber,
                            kap::events::dose{r == route::intranasal ? kap::drug::esketamine : kap::drug::ketamine, r,
                                              kap::milligrams{28.5}, std::nullopt}));
  }
  const auto b = parse(export_ok(hand_made(ev)));
  const auto ma = resources(b, "MedicationAdministration");
  ASSERT_EQ(ma.size(), routes.size());
  for (std::size_t i = 0; i < ma.size(); ++i) {
    EXPECT_EQ(codes(ma[i].at("dosage").as_object().at("route")),
              std::vector<std::string>{"http://snomed.info/sct|" + routes[i].second});
    const std::string drug = routes[i].first == route::intranasal ? "2119365" : "6130";
    EXPECT_EQ(codes(ma[i].at("medicationCodeableConcept")),
              std::vector<std::string>{"http://www.nlm.nih.gov/research/umls/rxnorm|" + drug});
    EXPECT_DOUBLE_EQ(ma[i].at("dosage").as_object().at("dose").as_object().at("value").to_number<double>(), 28.5);
  }
}

TEST(Fhir, VitalsFollowTheVitalSignsProfiles) {
  const auto in = run("im-kap", "full-session");
  const auto b = parse(export_ok(in));
  const auto vitals = accepted_payloads<kap::events::vitals>(in);
  const auto count = [&](auto pick) {
    return static_cast<std::size_t>(std::count_if(vitals.begin(), vitals.end(), pick));
  };
  const auto bp = observations_coded(b, "http://loinc.org|85354-9");
  ASSERT_EQ(bp.size(), count([](const auto* v) { return v->systolic || v->diastolic; }));
  ASSERT_FALSE(bp.empty());
  for (const auto& o : bp) {
    EXPECT_EQ(codes(o.at("category").as_array()[0]),
              std::vector<std::string>{"http://terminology.hl7.org/CodeSystem/observation-category|vital-signs"});
    EXPECT_EQ(o.at("meta").as_object().at("profile").as_array()[0].as_string(),
              "http://hl7.org/fhir/StructureDefinition/bp");
    EXPECT_FALSE(o.contains("valueQuantity"));
    const auto& comp = o.at("component").as_array();
    ASSERT_EQ(comp.size(), 2U);
    EXPECT_EQ(codes(comp[0].as_object().at("code")), std::vector<std::string>{"http://loinc.org|8480-6"});
    EXPECT_EQ(codes(comp[1].as_object().at("code")), std::vector<std::string>{"http://loinc.org|8462-4"});
    EXPECT_EQ(comp[0].as_object().at("valueQuantity").as_object().at("code").as_string(), "mm[Hg]");
    EXPECT_EQ(o.at("status").as_string(), "final");
  }
  const auto hr = observations_coded(b, "http://loinc.org|8867-4");
  ASSERT_EQ(hr.size(), count([](const auto* v) { return v->heart_rate.has_value(); }));
  for (const auto& o : hr) EXPECT_EQ(o.at("valueQuantity").as_object().at("code").as_string(), "/min");
  const auto spo2 = observations_coded(b, "http://loinc.org|59408-5");
  ASSERT_EQ(spo2.size(), count([](const auto* v) { return v->spo2.has_value(); }));
  for (const auto& o : spo2) {
    EXPECT_TRUE(has_code(o, "http://loinc.org|2708-6"));
    EXPECT_EQ(o.at("valueQuantity").as_object().at("code").as_string(), "%");
  }
  const auto rr = observations_coded(b, "http://loinc.org|9279-1");
  EXPECT_EQ(rr.size(), count([](const auto* v) { return v->respiratory_rate.has_value(); }));
  // The screening weight.
  const auto weight = observations_coded(b, "http://loinc.org|29463-7");
  const auto screenings = accepted_payloads<kap::events::screening>(in);
  ASSERT_EQ(weight.size(), screenings.size());
  ASSERT_FALSE(weight.empty());
  EXPECT_EQ(weight[0].at("valueQuantity").as_object().at("code").as_string(), "kg");
  EXPECT_DOUBLE_EQ(weight[0].at("valueQuantity").as_object().at("value").to_number<double>(),
                   screenings[0]->weight_kg.count());
}

TEST(Fhir, AMissingBloodPressureComponentSaysWhy) {
  kap::events::vitals v;
  v.systolic = kap::mmhg{130};
  const auto b = parse(export_ok(hand_made({make_event("v", 0, kap::role::nurse, v)})));
  const auto bp = observations_coded(b, "http://loinc.org|85354-9");
  ASSERT_EQ(bp.size(), 1U);
  const auto& dia = bp[0].at("component").as_array()[1].as_object();
  EXPECT_FALSE(dia.contains("valueQuantity"));
  EXPECT_EQ(codes(dia.at("dataAbsentReason")),
            std::vector<std::string>{"http://terminology.hl7.org/CodeSystem/data-absent-reason|not-performed"});
  EXPECT_TRUE(observations_coded(b, "http://loinc.org|8867-4").empty());
}

TEST(Fhir, ADeviceIsNeverAPerformerOrRecorder) {
  // R4 allows a Device in Observation.device and Provenance.agent.who, not in
  // Observation.performer or AdverseEvent.recorder.
  kap::events::vitals v;
  v.heart_rate = kap::bpm{70};
  const auto staff = parse(export_ok(hand_made({make_event("v", 0, kap::role::nurse, v)})));
  const auto by_staff = observations_coded(staff, "http://loinc.org|8867-4");
  ASSERT_EQ(by_staff.size(), 1U);
  EXPECT_EQ(by_staff[0].at("performer").as_array()[0].as_object().at("type").as_string(), "Practitioner");
  EXPECT_FALSE(by_staff[0].contains("device"));

  auto monitor = make_event("v", 0, kap::role::system, v);
  auto ae = make_event("ae", 5, kap::role::system, kap::events::adverse_event{"nausea", kap::events::severity::mild, std::nullopt});
  const auto b = parse(export_ok(hand_made({monitor, ae})));
  const auto hr = observations_coded(b, "http://loinc.org|8867-4");
  ASSERT_EQ(hr.size(), 1U);
  EXPECT_FALSE(hr[0].contains("performer"));
  EXPECT_EQ(hr[0].at("device").as_object().at("type").as_string(), "Device");
  const auto events = resources(b, "AdverseEvent");
  ASSERT_EQ(events.size(), 1U);
  EXPECT_FALSE(events[0].contains("recorder"));
}

TEST(Fhir, MeasureIsAQuestionnaireResponseAndATotalDerivedFromIt) {
  const auto in = run("im-kap", "full-session");
  const auto b = parse(export_ok(in));
  const auto measures = accepted_payloads<kap::events::measure>(in);
  ASSERT_FALSE(measures.empty());
  ASSERT_EQ(measures[0]->instrument, "phq9");
  const auto qrs = resources(b, "QuestionnaireResponse");
  ASSERT_EQ(qrs.size(), measures.size());
  const auto& items = qrs[0].at("item").as_array();
  ASSERT_EQ(items.size(), measures[0]->items.size());
  int sum = 0;
  for (std::size_t i = 0; i < items.size(); ++i) {
    const auto& it = items[i].as_object();
    EXPECT_EQ(it.at("linkId").as_string(), std::to_string(i + 1));
    const auto v = it.at("answer").as_array()[0].as_object().at("valueInteger").as_int64();
    EXPECT_EQ(std::to_string(v), measures[0]->items[i].text);
    sum += static_cast<int>(v);
  }
  EXPECT_EQ(qrs[0].at("questionnaire").as_string(), "urn:kap:questionnaire:phq9");
  const auto totals = observations_coded(b, "http://loinc.org|44261-6");
  ASSERT_EQ(totals.size(), 1U);
  EXPECT_EQ(totals[0].at("valueInteger").as_int64(), sum);
  // derivedFrom points at the response's fullUrl.
  EXPECT_EQ(totals[0].at("derivedFrom").as_array()[0].as_object().at("reference").as_string(),
            "urn:uuid:" + std::string(qrs[0].at("id").as_string()));
  // The band, as kap's scorer classifies the same answers.
  std::vector<std::string_view> tokens;
  for (const auto& a : measures[0]->items) tokens.emplace_back(a.text);
  const auto report = kap::measures::score_tokens("phq9", tokens);
  ASSERT_TRUE(report && report->band);
  const std::string band(kap::enum_name(*report->band));
  EXPECT_EQ(codes(totals[0].at("interpretation").as_array()[0]),
            std::vector<std::string>{"urn:kap:severity-band|" + band});
}

TEST(Fhir, TotalsUseLoincWhereTheCatalogueHasItElseKapCodes) {
  using kap::events::measure;
  auto items = [](int n, const char* v) { return std::vector<kap::item_answer>(static_cast<std::size_t>(n), {v}); };
  const auto b =
      parse(export_ok(hand_made({make_event("g", 0, kap::role::patient, measure{"gad7", items(7, "2")}),
                                 make_event("m", 1, kap::role::prescriber, measure{"madrs", items(10, "1")})})));
  const auto gad = observations_coded(b, "http://loinc.org|70274-6");
  ASSERT_EQ(gad.size(), 1U);
  EXPECT_EQ(gad[0].at("valueInteger").as_int64(), 14);
  // A patient's own report: the performer is the Patient.
  EXPECT_EQ(gad[0].at("performer").as_array()[0].as_object().at("reference").as_string(),
            "urn:uuid:" + std::string(resources(b, "Patient")[0].at("id").as_string()));
  const auto madrs = observations_coded(b, "urn:kap:measure|madrs:total");
  ASSERT_EQ(madrs.size(), 1U);
  EXPECT_EQ(madrs[0].at("valueInteger").as_int64(), 10);
}

TEST(Fhir, AdverseEventNamesTheSuspectDose) {
  using namespace kap::events;
  const auto b = parse(
      export_ok(hand_made({make_event("d", 0, kap::role::prescriber,
                                      dose{kap::drug::ketamine, kap::route::im, kap::milligrams{50}, std::nullopt}),
                           make_event("ae", 10, kap::role::nurse, adverse_event{"nausea", severity::moderate, std::nullopt})})));
  const auto ae = resources(b, "AdverseEvent");
  ASSERT_EQ(ae.size(), 1U);
  EXPECT_EQ(ae[0].at("actuality").as_string(), "actual");
  EXPECT_EQ(codes(ae[0].at("severity")),
            std::vector<std::string>{"http://terminology.hl7.org/CodeSystem/adverse-event-severity|moderate"});
  EXPECT_EQ(codes(ae[0].at("event")), std::vector<std::string>{"urn:kap:adverse-event|nausea"});
  EXPECT_EQ(ae[0].at("suspectEntity").as_array()[0].as_object().at("instance").as_object().at("reference").as_string(),
            "urn:uuid:" + std::string(resources(b, "MedicationAdministration")[0].at("id").as_string()));
}

TEST(Fhir, AResolutionSetsTheOutcomeOfTheAdverseEventsItResolves) {
  using namespace kap::events;
  const auto b = parse(export_ok(hand_made({
      make_event("a1", 0, kap::role::nurse, adverse_event{"nausea", severity::moderate, std::nullopt}),
      make_event("a2", 1, kap::role::nurse, adverse_event{"dissociation", severity::moderate, adverse_outcome::ongoing}),
      make_event("a3", 2, kap::role::nurse, adverse_event{"nausea", severity::severe, std::nullopt}),
      make_event("r1", 3, kap::role::prescriber, adverse_event{"nausea", severity::severe, adverse_outcome::resolved}),
  })));
  // The resolution is no adverse event of its own.
  const auto ae = resources(b, "AdverseEvent");
  ASSERT_EQ(ae.size(), 3U);
  std::vector<std::string> resolved;
  for (const auto& r : ae) {
    const std::string kind = codes(r.at("event")).at(0);
    if (codes(r.at("event")).at(0) == "urn:kap:adverse-event|nausea") {
      EXPECT_EQ(codes(r.at("outcome")),
                std::vector<std::string>{"http://terminology.hl7.org/CodeSystem/adverse-event-outcome|resolved"});
      EXPECT_EQ(kind, "urn:kap:adverse-event|nausea");
      resolved.push_back("urn:uuid:" + std::string(r.at("id").as_string()));
    } else {
      // Said to be ongoing, and never resolved.
      EXPECT_EQ(kind, "urn:kap:adverse-event|dissociation");
      EXPECT_EQ(codes(r.at("outcome")),
                std::vector<std::string>{"http://terminology.hl7.org/CodeSystem/adverse-event-outcome|ongoing"});
    }
  }
  ASSERT_EQ(resolved.size(), 2U);
  // Its Provenance, by the prescriber, targets the two reports it resolved.
  std::vector<std::string> targets;
  for (const auto& p : resources(b, "Provenance")) {
    const auto& what = p.at("entity").as_array().at(0).as_object().at("what").as_object();
    if (what.at("identifier").as_object().at("value").as_string() != "S-T-1|r1") continue;
    for (const auto& t : p.at("target").as_array()) targets.emplace_back(t.as_object().at("reference").as_string());
  }
  EXPECT_EQ(targets, resolved);
}

TEST(Fhir, ProvenanceNamesEachRecordingActorAndRole) {
  const auto in = run("im-kap", "full-session");
  const auto b = parse(export_ok(in));
  std::set<std::string> produced;  // every resource but Patient and Encounter comes from one event
  for (const auto& e : b.at("entry").as_array()) {
    const auto& r = e.as_object().at("resource").as_object();
    const auto type = r.at("resourceType").as_string();
    if (type != "Patient" && type != "Encounter" && type != "Provenance") {
      produced.insert("urn:uuid:" + std::string(r.at("id").as_string()));
    }
  }
  std::set<std::string> targeted;
  for (const auto& p : resources(b, "Provenance")) {
    for (const auto& t : p.at("target").as_array())
      targeted.insert(std::string(t.as_object().at("reference").as_string()));
    const auto& agent = p.at("agent").as_array()[0].as_object();
    const auto role = codes(agent.at("role").as_array()[0]).at(0);
    EXPECT_EQ(role.rfind("urn:kap:role|", 0), 0U) << role;
    const auto& who = agent.at("who").as_object();
    EXPECT_TRUE(who.contains("identifier") || who.contains("reference"));
    if (role == "urn:kap:role|patient") {
      EXPECT_TRUE(who.contains("reference"));
    }
  }
  for (const auto& r : produced) EXPECT_TRUE(targeted.count(r)) << r << " has no Provenance";
  // Every sign-off is attested on the Encounter.
  const auto signoffs = accepted_payloads<kap::events::signoff>(in);
  std::size_t attested = 0;
  for (const auto& p : resources(b, "Provenance")) {
    if (p.contains("activity")) ++attested;
  }
  EXPECT_EQ(attested, signoffs.size());
}

TEST(Fhir, EveryReferenceResolvesInsideTheBundle) {
  for (const auto& [protocol, name] : std::vector<std::pair<std::string, std::string>>{
           {"im-kap", "full-session"}, {"esketamine-rems", "full-session"}, {"iv-infusion", "full-session"}}) {
    const auto b = parse(export_ok(run(protocol, name)));
    std::set<std::string> full;
    for (const auto& e : b.at("entry").as_array()) full.insert(std::string(e.as_object().at("fullUrl").as_string()));
    std::vector<std::string> refs;
    const std::function<void(const bj::value&)> walk = [&](const bj::value& v) {
      if (v.is_object()) {
        for (const auto& kv : v.as_object()) {
          if (kv.key() == "reference") refs.emplace_back(kv.value().as_string());
          walk(kv.value());
        }
      } else if (v.is_array()) {
        for (const auto& x : v.as_array()) walk(x);
      }
    };
    walk(b);
    ASSERT_FALSE(refs.empty());
    for (const auto& r : refs) EXPECT_TRUE(full.count(r)) << protocol << "/" << name << ": " << r;
  }
}

TEST(Fhir, OnlyAcceptedEventsAreExported) {
  const auto in = run("im-kap", "blood-pressure");
  std::size_t rejected_doses = 0;
  for (std::size_t i = 0; i < in.events.size(); ++i) {
    if (!in.decisions[i].accepted() && in.events[i].type() == kap::event_type::dose) ++rejected_doses;
  }
  ASSERT_GT(rejected_doses, 0U) << "the scenario must hold a rejected dose";
  const auto b = parse(export_ok(in));
  EXPECT_EQ(resources(b, "MedicationAdministration").size(), accepted_payloads<kap::events::dose>(in).size());
  for (std::size_t i = 0; i < in.events.size(); ++i) {
    if (!in.decisions[i].accepted()) {
      EXPECT_EQ(export_ok(in).find("S-IM-4|" + in.events[i].id.str() + "\""), std::string::npos);
    }
  }
}

TEST(Fhir, FreeTextIsNeverExported) {
  using namespace kap::events;
  const std::string secret = "SECRET patient said her name";
  const auto b = export_ok(hand_made(
      {make_event("n", 0, kap::role::nurse, note{secret}),
       make_event("o", 1, kap::role::prescriber, override_contraindication{"x", secret}),
       make_event("ae", 2, kap::role::nurse, adverse_event{secret, severity::mild, std::nullopt}),
       make_event("so", 3, kap::role::prescriber, signoff{secret}),
       // An item answer is at most 16 characters (longer is not read back, so not exported).
       make_event("m", 4, kap::role::patient, measure{"phq9", std::vector<kap::item_answer>(9, {"SECRET name"})}),
       make_event("c", 5, kap::role::nurse, consent{secret}), make_event("ck", 6, kap::role::nurse, checklist{secret}),
       make_event("i", 7, kap::role::therapist, intervention{secret, kap::minutes{5}}),
       make_event("ab", 8, kap::role::nurse, kap::events::abort{secret})}));
  EXPECT_EQ(b.find("SECRET"), std::string::npos);
  EXPECT_EQ(b.find("name"), std::string::npos);
  const auto parsed = parse(b);
  EXPECT_EQ(codes(resources(parsed, "AdverseEvent").at(0).at("event")),
            std::vector<std::string>{"urn:kap:adverse-event|unspecified"});
}

TEST(Fhir, SameInputSameBytesAndIdsFollowEventIds) {
  const auto in = run("esketamine-rems", "full-session");
  const auto a = export_ok(in);
  EXPECT_EQ(a, export_ok(in));
  // Renaming one event changes the ids of its resources only.
  auto renamed = in;
  std::size_t k = 0;
  while (renamed.events[k].type() != kap::event_type::dose || !renamed.decisions[k].accepted()) ++k;
  renamed.events[k].id = kap::event_id{"renamed-dose"};
  const auto ma_a = resources(parse(a), "MedicationAdministration");
  const auto ma_b = resources(parse(export_ok(renamed)), "MedicationAdministration");
  ASSERT_EQ(ma_a.size(), ma_b.size());
  EXPECT_NE(ma_a[0].at("id"), ma_b[0].at("id"));
  EXPECT_EQ(resources(parse(a), "Encounter")[0].at("id"),
            resources(parse(export_ok(renamed)), "Encounter")[0].at("id"));
  EXPECT_EQ(ma_b[0].at("id").as_string(), kap::fhir::name_uuid("MedicationAdministration|S-ES-1|renamed-dose"));
}

TEST(Fhir, NameUuidIsVersion5) {
  const auto u = kap::fhir::name_uuid("Encounter|S-1");
  ASSERT_EQ(u.size(), 36U);
  EXPECT_EQ(u[14], '5');
  EXPECT_NE(std::string("89ab").find(u[19]), std::string::npos);
  EXPECT_EQ(u, kap::fhir::name_uuid("Encounter|S-1"));
  EXPECT_NE(u, kap::fhir::name_uuid("Encounter|S-2"));
}

TEST(Fhir, TransactionEntriesCarryTheirRequests) {
  kap::fhir::export_options o;
  o.type = kap::fhir::bundle_type::transaction;
  const auto b = parse(export_ok(run("iv-infusion", "full-session"), o));
  EXPECT_EQ(b.at("type").as_string(), "transaction");
  for (const auto& e : b.at("entry").as_array()) {
    const auto& en = e.as_object();
    const auto& r = en.at("resource").as_object();
    const std::string type(r.at("resourceType").as_string());
    const std::string id(r.at("id").as_string());
    EXPECT_EQ(en.at("fullUrl").as_string(), "urn:uuid:" + id);
    const auto& req = en.at("request").as_object();
    if (type == "Patient") {
      EXPECT_EQ(req.at("method").as_string(), "POST");
      EXPECT_EQ(req.at("ifNoneExist").as_string(), "identifier=urn:kap:subject|SUBJ-1");
    } else {
      EXPECT_EQ(req.at("method").as_string(), "PUT");
      EXPECT_EQ(req.at("url").as_string(), type + "/" + id);
    }
  }
  // A collection has no requests.
  const auto c = parse(export_ok(run("iv-infusion", "full-session")));
  for (const auto& e : c.at("entry").as_array()) EXPECT_FALSE(e.as_object().contains("request"));
}

TEST(Fhir, SubjectBundleHasOnePatientAndAnEncounterPerSession) {
  std::vector<session_input> sessions{run("esketamine-rems", "full-session"),
                                      run("esketamine-rems", "monitoring-and-discharge")};
  auto b = kap::fhir::subject_bundle(kap::subject_id{"SUBJ-1"}, sessions);
  ASSERT_TRUE(b) << b.error().message;
  const auto parsed = parse(*b);
  EXPECT_EQ(resources(parsed, "Patient").size(), 1U);
  const auto enc = resources(parsed, "Encounter");
  ASSERT_EQ(enc.size(), 2U);
  EXPECT_EQ(enc[0].at("identifier").as_array()[0].as_object().at("value").as_string(), "S-ES-1");
  EXPECT_EQ(enc[1].at("identifier").as_array()[0].as_object().at("value").as_string(), "S-ES-2");
  // The same resources as the single-session exports, with the same ids.
  const auto one = parse(export_ok(sessions[0]));
  EXPECT_EQ(resources(one, "Encounter")[0].at("id"), enc[0].at("id"));
  EXPECT_EQ(resources(one, "Patient")[0].at("id"), resources(parsed, "Patient")[0].at("id"));
}

TEST(Fhir, BadInputIsAnErrorWithCodeAndMessage) {
  const auto in = run("im-kap", "full-session");
  const kap::subject_id subj{"SUBJ-1"};
  auto expect = [](const kap::result<std::string>& r, kap::errc code, const std::string& fragment) {
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().code, code);
    EXPECT_NE(r.error().message.find(fragment), std::string::npos) << r.error().message;
  };
  auto short_decisions = in;
  short_decisions.decisions.pop_back();
  expect(kap::fhir::session_bundle(subj, short_decisions), kap::errc::missing_field, "decisions");

  auto foreign = in;
  foreign.events[3].session = kap::session_id{"S-OTHER"};
  expect(kap::fhir::session_bundle(subj, foreign), kap::errc::unknown_session, "events[3]");

  auto none = in;
  for (auto& d : none.decisions) d.outcome = kap::outcome::rejected;
  expect(kap::fhir::session_bundle(subj, none), kap::errc::missing_field, "no accepted events");

  auto twice = in;
  twice.events[2].id = twice.events[1].id;
  expect(kap::fhir::session_bundle(subj, twice), kap::errc::duplicate, "accepted twice");

  expect(kap::fhir::session_bundle(kap::subject_id{"has space"}, in), kap::errc::invalid_id, "subject");
  expect(kap::fhir::session_bundle(kap::subject_id{""}, in), kap::errc::invalid_id, "subject");
  kap::fhir::export_options no_system;
  no_system.subject_system.clear();
  expect(kap::fhir::session_bundle(subj, in, no_system), kap::errc::invalid_id, "subject_system");

  expect(kap::fhir::subject_bundle(subj, {}), kap::errc::missing_field, "no sessions");
  const std::vector<session_input> dup{in, in};
  expect(kap::fhir::subject_bundle(subj, dup), kap::errc::duplicate, "S-IM-1");
}

// Only C++ code makes a NaN dose or an unnamed severity; exported, they became `"value":null` and
// a severity with no code but a display. An accepted event no reader would accept back is an
// error naming its index; a refused one is not exported, so it is not judged.
TEST(Fhir, AcceptedEventsNoReaderAcceptsBackAreNotExported) {
  const auto in = run("im-kap", "full-session");
  const kap::subject_id subj{"SUBJ-1"};
  std::size_t dose = 0;
  while (in.events[dose].type() != kap::event_type::dose || !in.decisions[dose].accepted()) ++dose;
  auto nan_dose = in;
  std::get<kap::events::dose>(nan_dose.events[dose].body).mg = kap::milligrams{std::nan("")};
  auto r = kap::fhir::session_bundle(subj, nan_dose);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, kap::errc::wrong_type);
  EXPECT_EQ(r.error().message, "session S-IM-1: events[" + std::to_string(dose) + "] (" + in.events[dose].id.str() +
                                   ") would not read back (/mg: expected a number, got null)");
  // All taken as accepted (no decisions): the unnamed severity of any event is judged.
  auto severity = in;
  severity.decisions.clear();
  severity.events[1].body = kap::events::adverse_event{"nausea", static_cast<kap::events::severity>(9), std::nullopt};
  r = kap::fhir::session_bundle(subj, severity);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, kap::errc::wrong_type);
  EXPECT_EQ(r.error().message, "session S-IM-1: events[1] (" + in.events[1].id.str() +
                                   ") would not read back (/severity: expected a severity name (string), got null)");
  // The same event refused by its decision is left out, and the rest exports.
  auto refused = nan_dose;
  refused.decisions[dose].outcome = kap::outcome::rejected;
  EXPECT_TRUE(kap::fhir::session_bundle(subj, refused));
}

TEST(Fhir, SubjectOfFollowsTheSimulatorsConvention) {
  auto s = kap::fhir::subject_of(kap::session_id{"SYN-im-kap-12-s3"});
  ASSERT_TRUE(s);
  EXPECT_EQ(s->str(), "SYN-im-kap-12");
  for (const char* bad : {"S-IM-1", "-s1", "X-s", "X-s1a"}) {
    auto r = kap::fhir::subject_of(kap::session_id{bad});
    ASSERT_FALSE(r) << bad;
    EXPECT_EQ(r.error().code, kap::errc::invalid_id);
    EXPECT_NE(r.error().message.find("SUBJECT-sN"), std::string::npos);
  }
}

}  // namespace
