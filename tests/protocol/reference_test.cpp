// The reference protocols (protocols/*.json, embedded in kap::json by cmake/KapEmbedProtocols.cmake):
// each loads by name, validates, round-trips, cites its sources, disclaims medical advice, and
// speaks the shared event vocabulary (DESIGN.md) so one clinic app can drive any of them.
#include <kap/json/protocol.hpp>
#include <kap/json/reference.hpp>
#include <kap/protocol/validate.hpp>

#include <boost/describe/enum_to_string.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

namespace {

const std::vector<std::string_view> expected_names{"esketamine-rems", "im-kap", "iv-infusion", "psychotherapy-50",
                                                   "sublingual-kap"};

kap::protocol load(std::string_view name) {
  auto p = kap::json::reference_protocol(name);
  if (!p) ADD_FAILURE() << name << ": " << p.error().message;
  return p ? *p : kap::protocol{};
}

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

template <class R>
void collect(const std::vector<kap::requirement>& reqs, std::set<std::string>& out) {
  for (const auto& r : reqs) {
    if (const auto* x = std::get_if<R>(&r)) {
      if constexpr (std::is_same_v<R, kap::requirements::checklist_done>) {
        out.insert(x->item);
      } else {
        out.insert(x->what);
      }
    }
  }
}

template <class R>
std::set<std::string> all_of_kind(const kap::protocol& p) {
  std::set<std::string> out;
  collect<R>(p.dose_requires, out);
  for (const auto& ph : p.phases) collect<R>(ph.entry, out);
  for (const auto& t : p.transitions) collect<R>(t.require, out);
  return out;
}

const kap::requirements::min_time_since_dose* find_min_since_dose(const std::vector<kap::requirement>& reqs) {
  for (const auto& r : reqs) {
    if (const auto* x = std::get_if<kap::requirements::min_time_since_dose>(&r)) return x;
  }
  return nullptr;
}

TEST(ReferenceProtocols, NamesAreListedInOrder) { EXPECT_EQ(kap::json::reference_protocol_names(), expected_names); }

TEST(ReferenceProtocols, EachLoadsValidatesAndRoundTrips) {
  for (auto name : kap::json::reference_protocol_names()) {
    SCOPED_TRACE(std::string(name));
    auto p = kap::json::reference_protocol(name);
    ASSERT_TRUE(p) << p.error().message;
    EXPECT_EQ(p->id.str(), name);
    auto v = kap::validate(*p);
    ASSERT_TRUE(v) << v.error().message;
    EXPECT_TRUE(v->serialisable());
    auto text = kap::json::write_protocol(*p);
    ASSERT_TRUE(text) << text.error().message;
    auto back = kap::json::read_protocol(*text);
    ASSERT_TRUE(back) << back.error().message;
    EXPECT_EQ(*back, *p);
  }
}

TEST(ReferenceProtocols, EachCitesSourcesAndDisclaimsMedicalAdvice) {
  for (auto name : kap::json::reference_protocol_names()) {
    SCOPED_TRACE(std::string(name));
    const auto p = load(name);
    EXPECT_FALSE(p.title.empty());
    EXPECT_GE(p.sources.size(), 3U);
    for (const auto& s : p.sources) EXPECT_GE(s.size(), 20U) << s;
    EXPECT_NE(p.disclaimer.find("Illustration of"), std::string::npos) << p.disclaimer;
    EXPECT_NE(p.disclaimer.find("Not medical advice"), std::string::npos) << p.disclaimer;
    for (const auto& c : p.contraindications) EXPECT_FALSE(c.source.empty()) << c.name;
  }
}

TEST(ReferenceProtocols, EmbeddedTextIsTheRepositoryFile) {
  for (auto name : kap::json::reference_protocol_names()) {
    auto text = kap::json::reference_protocol_text(name);
    ASSERT_TRUE(text);
    EXPECT_EQ(*text, slurp(std::string(KAP_SOURCE_DIR) + "/protocols/" + std::string(name) + ".json")) << name;
  }
}

TEST(ReferenceProtocols, UseTheSharedVocabulary) {
  const std::set<std::string> checklist{"intention_set", "fasting_confirmed", "driver_arranged",
                                        "set_and_setting_ready"};
  const std::set<std::string> signoffs{"dose_order", "discharge"};
  const std::set<std::string> answers{"psychosis_history",
                                      "bipolar_mania",
                                      "substance_use_disorder",
                                      "uncontrolled_hypertension",
                                      "aneurysmal_vascular_disease",
                                      "arteriovenous_malformation",
                                      "intracerebral_hemorrhage_history",
                                      "pregnancy",
                                      "hypersensitivity"};
  for (auto name : kap::json::reference_protocol_names()) {
    SCOPED_TRACE(std::string(name));
    const auto p = load(name);
    for (const auto& ph : p.phases) {  // phases are named by their kind
      EXPECT_STREQ(ph.id.c_str(), boost::describe::enum_to_string(ph.kind, "?"));
    }
    for (const auto& item : all_of_kind<kap::requirements::checklist_done>(p)) {
      EXPECT_TRUE(checklist.contains(item)) << item;
    }
    for (const auto& what : all_of_kind<kap::requirements::signed_off>(p)) {
      EXPECT_TRUE(signoffs.contains(what)) << what;
    }
    for (const auto& c : p.contraindications) {
      EXPECT_TRUE(answers.contains(c.name)) << c.name;
    }
    // The drug protocols ask the same screening questions, so one screening event fits them all.
    if (!p.limits.empty()) {
      EXPECT_EQ(p.contraindications.size(), answers.size());
    }
  }
}

TEST(ReferenceProtocols, UnknownNameListsTheKnownOnesAndTheClosest) {
  const std::string known = "known: esketamine-rems, im-kap, iv-infusion, psychotherapy-50, sublingual-kap)";
  const std::string msg = "unknown reference protocol \"im_kap\" (did you mean im-kap? " + known;
  auto p = kap::json::reference_protocol("im_kap");
  ASSERT_FALSE(p);
  EXPECT_EQ(p.error().code, kap::errc::unknown_protocol);
  EXPECT_EQ(p.error().message, msg);
  auto t = kap::json::reference_protocol_text("im_kap");
  ASSERT_FALSE(t);
  EXPECT_EQ(t.error().code, kap::errc::unknown_protocol);
  EXPECT_EQ(t.error().message, msg);
  // Nothing within two edits: the list only.
  auto far = kap::json::reference_protocol_text("ketamine");
  ASSERT_FALSE(far);
  EXPECT_EQ(far.error().message, "unknown reference protocol \"ketamine\" (" + known);
  EXPECT_FALSE(kap::json::reference_protocol(""));
  EXPECT_FALSE(kap::json::reference_protocol("protocols/im-kap.json"));
}

TEST(ReferenceProtocols, ClosestNameIsAtMostTwoEditsAway) {
  EXPECT_EQ(kap::json::closest_reference_protocol("im-kapp"), "im-kap");        // one insertion
  EXPECT_EQ(kap::json::closest_reference_protocol("iv-infusoin"), "iv-infusion");  // two substitutions
  EXPECT_EQ(kap::json::closest_reference_protocol("esketamine"), std::nullopt);  // five deletions
  EXPECT_EQ(kap::json::closest_reference_protocol(""), std::nullopt);
  EXPECT_EQ(kap::json::closest_reference_protocol(std::string(100, 'a')), std::nullopt);
}

// The figures each protocol is built around (docs/protocols.md gives their sources).

TEST(ReferenceProtocols, ImKapLimitsByWeightAndChecksVitalsEvery15Min) {
  const auto p = load("im-kap");
  const auto* lim = p.find_limit(kap::route::im);
  ASSERT_NE(lim, nullptr);
  EXPECT_EQ(lim->max_mg_per_kg, kap::mg_per_kg{2.0});
  EXPECT_FALSE(lim->max_mg);
  ASSERT_EQ(p.schedules.vitals.size(), 1U);
  EXPECT_EQ(p.schedules.vitals[0].every, kap::minutes{15});
  // Every phase after the dose, integration included, until discharge (kap lint: monitoring coverage).
  EXPECT_EQ(p.schedules.vitals[0].phases,
            (std::vector<std::string>{"dosing", "guided_meditation", "monitoring", "integration"}));
  // Discharge at least 75 min after the dose: 45 min of the acute state, then 30 min of monitoring.
  const auto* wait = find_min_since_dose(p.find_phase("discharge")->entry);
  ASSERT_NE(wait, nullptr);
  EXPECT_EQ(wait->duration, kap::minutes{75});
  const std::set<std::string> items{"intention_set", "fasting_confirmed", "driver_arranged", "set_and_setting_ready"};
  EXPECT_EQ(all_of_kind<kap::requirements::checklist_done>(p), items);
  EXPECT_EQ(all_of_kind<kap::requirements::signed_off>(p), (std::set<std::string>{"dose_order", "discharge"}));
}

TEST(ReferenceProtocols, SublingualKapHasAnAbsoluteLimit) {
  const auto p = load("sublingual-kap");
  ASSERT_EQ(p.limits.size(), 1U);
  EXPECT_EQ(p.limits[0].route, kap::route::sublingual);
  EXPECT_EQ(p.limits[0].max_mg, kap::milligrams{200});
  EXPECT_FALSE(p.limits[0].max_mg_per_kg);
  EXPECT_EQ(p.schedules.vitals[0].phases,
            (std::vector<std::string>{"dosing", "guided_meditation", "monitoring", "integration"}));
  // 60 min of the acute state (Tmax up to 1 h), then 30 min of monitoring.
  const auto* wait = find_min_since_dose(p.find_phase("discharge")->entry);
  ASSERT_NE(wait, nullptr);
  EXPECT_EQ(wait->duration, kap::minutes{90});
}

TEST(ReferenceProtocols, IvInfusionIsHalfAMgPerKgOver40Min) {
  const auto p = load("iv-infusion");
  ASSERT_EQ(p.limits.size(), 1U);
  EXPECT_EQ(p.limits[0].route, kap::route::iv);
  EXPECT_EQ(p.limits[0].max_mg_per_kg, kap::mg_per_kg{0.5});
  EXPECT_EQ(p.limits[0].max_doses, 1);
  ASSERT_EQ(p.schedules.vitals.size(), 2U);
  EXPECT_EQ(p.schedules.vitals[0].phases, std::vector<std::string>{"dosing"});
  EXPECT_EQ(p.schedules.vitals[0].every, kap::minutes{10});
  EXPECT_EQ(p.schedules.vitals[1].phases, std::vector<std::string>{"monitoring"});
  EXPECT_EQ(p.schedules.vitals[1].every, kap::minutes{15});
  bool infusion_time = false;
  for (const auto& t : p.transitions) {
    if (t.from == "dosing" && t.to == "monitoring") {
      const auto* r = find_min_since_dose(t.require);
      infusion_time = r && r->duration == kap::minutes{40};
    }
  }
  EXPECT_TRUE(infusion_time);
  // The 40-min infusion, then at least 30 min of recovery.
  const auto* wait = find_min_since_dose(p.find_phase("discharge")->entry);
  ASSERT_NE(wait, nullptr);
  EXPECT_EQ(wait->duration, kap::minutes{70});
}

TEST(ReferenceProtocols, EsketamineRemsFollowsTheLabel) {
  const auto p = load("esketamine-rems");
  const auto* lim = p.find_limit(kap::route::intranasal);
  ASSERT_NE(lim, nullptr);
  EXPECT_EQ(lim->drug, kap::drug::esketamine);
  EXPECT_EQ(lim->step_mg, kap::milligrams{28});
  EXPECT_EQ(lim->max_mg, kap::milligrams{84});
  EXPECT_EQ(lim->max_cumulative_mg, kap::milligrams{84});
  EXPECT_EQ(lim->min_interval, kap::minutes{5});
  EXPECT_EQ(p.vitals.hold.systolic_max, kap::mmhg{140});
  EXPECT_EQ(p.vitals.hold.diastolic_max, kap::mmhg{90});
  EXPECT_TRUE(p.vitals.hold.spo2_min);
  ASSERT_EQ(p.schedules.dose_checks.size(), 1U);
  EXPECT_EQ(p.schedules.dose_checks[0].after, kap::minutes{40});
  const auto* discharge = p.find_phase("discharge");
  ASSERT_NE(discharge, nullptr);
  const auto* two_hours = find_min_since_dose(discharge->entry);
  ASSERT_NE(two_hours, nullptr);
  EXPECT_EQ(two_hours->duration, kap::minutes{120});
  for (const auto& c : p.contraindications) {
    const bool label_absolute = c.name == "aneurysmal_vascular_disease" || c.name == "arteriovenous_malformation" ||
                                c.name == "intracerebral_hemorrhage_history" || c.name == "hypersensitivity";
    EXPECT_EQ(c.tier, label_absolute ? kap::tier::absolute : kap::tier::relative) << c.name;
  }
}

TEST(ReferenceProtocols, PsychotherapyHasNoDosing) {
  const auto p = load("psychotherapy-50");
  EXPECT_TRUE(p.limits.empty());
  EXPECT_TRUE(std::none_of(p.phases.begin(), p.phases.end(),
                           [](const kap::phase& ph) { return ph.kind == kap::phase_kind::dosing; }));
  auto v = kap::validate(p);
  ASSERT_TRUE(v);
  EXPECT_TRUE(v->permission_for(kap::event_type::dose).roles.empty());
  const auto* session = p.find_phase("psychotherapy");
  ASSERT_NE(session, nullptr);
  EXPECT_EQ(session->kind, kap::phase_kind::psychotherapy);
  EXPECT_EQ(session->min_duration, kap::minutes{50});
}

}  // namespace
