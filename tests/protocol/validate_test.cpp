#include <kap/json.hpp>
#include <kap/protocol/builder.hpp>
#include <kap/protocol/validate.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <limits>
#include <sstream>
#include <string>

namespace {

kap::protocol test_protocol() {
  std::ifstream in(std::string(KAP_TEST_DATA_DIR) + "/protocols/test-im.json");
  std::ostringstream ss;
  ss << in.rdbuf();
  return kap::json::read_protocol(ss.str()).value();
}

bool has(const std::vector<kap::problem>& ps, const std::string& path, const std::string& message) {
  return std::any_of(ps.begin(), ps.end(), [&](const kap::problem& p) { return p.path == path && p.message == message; });
}

std::string dump(const std::vector<kap::problem>& ps) {
  std::string s;
  for (const auto& p : ps) s += p.path + ": " + p.message + "\n";
  return s;
}

TEST(Validate, TheTestProtocolIsValid) {
  const auto ps = kap::check_protocol(test_protocol());
  EXPECT_TRUE(ps.empty()) << dump(ps);
  auto v = kap::validate(test_protocol());
  ASSERT_TRUE(v);
  EXPECT_EQ(v->phase_index("monitoring"), 4);
  EXPECT_EQ(v->aborted_phase(), "aborted");
  EXPECT_TRUE(v->serialisable());
  EXPECT_TRUE(v->permission_for(kap::event_type::dose).licensed);
}

TEST(Validate, DanglingReferences) {
  auto p = test_protocol();
  p.transitions[1].to = "dosage";
  p.schedules.vitals[0].phases.push_back("recovery");
  p.schedules.measures[0].phase = "later";
  p.initial = "start";
  const auto ps = kap::check_protocol(p);
  EXPECT_TRUE(has(ps, "/transitions/1/to", "no phase \"dosage\"")) << dump(ps);
  EXPECT_TRUE(has(ps, "/schedules/vitals/0/phases/3", "no phase \"recovery\"")) << dump(ps);
  EXPECT_TRUE(has(ps, "/schedules/measures/0/phase", "no phase \"later\"")) << dump(ps);
  EXPECT_TRUE(has(ps, "/initial", "no phase \"start\"")) << dump(ps);
}

TEST(Validate, UnreachableAndDeadEndPhases) {
  auto p = test_protocol();
  p.phases.push_back(kap::phase{"island", kap::phase_kind::integration, std::nullopt, std::nullopt, {}});
  // Remove integration -> discharge: integration becomes a dead end, and so does monitoring.
  p.transitions.pop_back();
  const auto ps = kap::check_protocol(p);
  EXPECT_TRUE(has(ps, "/phases/8", "phase \"island\" is unreachable from \"screening\"")) << dump(ps);
  EXPECT_TRUE(has(ps, "/phases/5", "no discharge phase can be reached from \"integration\" (only an abort ends it)"))
      << dump(ps);
  EXPECT_TRUE(has(ps, "/phases/6", "phase \"discharge\" is unreachable from \"screening\"")) << dump(ps);
}

TEST(Validate, DurationsLimitsAndSchedules) {
  auto p = test_protocol();
  p.phases[4].max_duration = kap::minutes{30};  // min is 60
  p.schedules.vitals.clear();                   // dosing loses its vitals schedule
  p.limits[0].max_mg.reset();
  p.limits[0].max_mg_per_kg.reset();
  p.limits.push_back(p.limits[0]);
  p.limits[1].max_mg = kap::milligrams{10};
  const auto ps = kap::check_protocol(p);
  EXPECT_TRUE(has(ps, "/phases/4/min_duration", "min_duration 60 min is longer than max_duration 30 min")) << dump(ps);
  EXPECT_TRUE(has(ps, "/phases/2", "dosing phase \"dosing\" has no vitals schedule")) << dump(ps);
  EXPECT_TRUE(has(ps, "/limits/0", "route has no limit: give max_mg or max_mg_per_kg")) << dump(ps);
  EXPECT_TRUE(has(ps, "/limits/1/route", "a second limit for the same route")) << dump(ps);
}

TEST(Validate, HoldLimitsByAgeGoYoungestFirstAndGiveALimit) {
  auto p = test_protocol();
  const kap::vitals_limits eu{kap::mmhg{150}, {}, {}, {}, {}, {}, {}, {}};
  p.vitals.hold_by_age = {{65, eu}, {65, eu}, {131, eu}, {80, {}}, {-1, eu}};
  const auto ps = kap::check_protocol(p);
  EXPECT_TRUE(has(ps, "/vitals/hold_by_age/1/from_age", "bands go youngest first: 65 is not above 65")) << dump(ps);
  EXPECT_TRUE(has(ps, "/vitals/hold_by_age/2/from_age", "must be between 0 and 130 years")) << dump(ps);
  EXPECT_TRUE(has(ps, "/vitals/hold_by_age/3/from_age", "bands go youngest first: 80 is not above 131")) << dump(ps);
  EXPECT_TRUE(has(ps, "/vitals/hold_by_age/3/hold", "a band needs at least one limit")) << dump(ps);
  EXPECT_TRUE(has(ps, "/vitals/hold_by_age/4/from_age", "must be between 0 and 130 years")) << dump(ps);
  EXPECT_FALSE(has(ps, "/vitals/hold_by_age/0/from_age", "must be between 0 and 130 years")) << dump(ps);
  p.vitals.hold_by_age = {{65, eu}, {80, eu}};
  EXPECT_TRUE(kap::check_protocol(p).empty()) << dump(kap::check_protocol(p));
}

TEST(Validate, TheBuilderAddsAgeBandsInOrder) {
  kap::vitals_limits older;
  older.systolic_max = kap::mmhg{150};
  kap::vitals_limits oldest;
  oldest.systolic_max = kap::mmhg{160};
  const auto b = kap::protocol_builder("bands").vitals_hold_from_age(65, older).vitals_hold_from_age(85, oldest);
  const auto& bands = b.definition().vitals.hold_by_age;
  ASSERT_EQ(bands.size(), 2U);
  EXPECT_EQ(bands[0], (kap::age_hold{65, older}));
  EXPECT_EQ(bands[1], (kap::age_hold{85, oldest}));
}

TEST(Validate, HoldForAgePutsTheLastBandReachedOverTheDefault) {
  auto p = test_protocol();
  kap::vitals_limits older;
  older.systolic_max = kap::mmhg{150};
  kap::vitals_limits oldest;
  oldest.systolic_max = kap::mmhg{160};
  oldest.spo2_min = kap::spo2_percent{90};
  p.vitals.hold_by_age = {{65, older}, {85, oldest}};
  const auto& base = p.vitals.hold;
  EXPECT_EQ(kap::hold_for_age(p.vitals, std::nullopt), base);
  EXPECT_EQ(kap::hold_for_age(p.vitals, 64), base);
  auto at65 = kap::hold_for_age(p.vitals, 65);
  EXPECT_EQ(at65.systolic_max, kap::mmhg{150});
  EXPECT_EQ(at65.diastolic_max, base.diastolic_max);  // a limit the band leaves out stays
  EXPECT_EQ(at65.spo2_min, base.spo2_min);
  auto at90 = kap::hold_for_age(p.vitals, 90);
  EXPECT_EQ(at90.systolic_max, kap::mmhg{160});
  EXPECT_EQ(at90.spo2_min, kap::spo2_percent{90});
  EXPECT_EQ(at90.heart_rate_max, base.heart_rate_max);
}

TEST(Validate, MissingPiecesAndDuplicates) {
  auto p = test_protocol();
  p.phases.pop_back();  // no aborted phase
  p.phases[1].id = "screening";
  p.limits.clear();
  p.contraindications.push_back(p.contraindications[0]);
  p.transitions.push_back(p.transitions[0]);
  const auto ps = kap::check_protocol(p);
  EXPECT_TRUE(has(ps, "/phases", "no phase of kind \"aborted\" (an abort must have somewhere to go)")) << dump(ps);
  EXPECT_TRUE(has(ps, "/phases/1/id", "duplicate phase id \"screening\"")) << dump(ps);
  EXPECT_TRUE(has(ps, "/limits", "the protocol has a dosing phase but no dose limits")) << dump(ps);
  EXPECT_TRUE(has(ps, "/contraindications/4/name", "duplicate contraindication \"aneurysmal_vascular_disease\""))
      << dump(ps);
  EXPECT_TRUE(has(ps, "/transitions/6", "duplicate transition screening -> preparation")) << dump(ps);
}

TEST(Validate, ValidateListsEveryProblemInItsError) {
  auto p = test_protocol();
  p.initial = "x";
  p.phases[4].min_duration = kap::minutes{-1};
  auto v = kap::validate(p);
  ASSERT_FALSE(v);
  EXPECT_EQ(v.error().code, kap::errc::invalid_protocol);
  EXPECT_NE(v.error().message.find("/initial: no phase \"x\""), std::string::npos);
  EXPECT_NE(v.error().message.find("/phases/4/min_duration: must not be negative"), std::string::npos);
}

// Only the C++ API makes a NaN, infinite or negative limit (the JSON readers refuse one). No
// comparison with NaN is true, so a NaN max_mg would let any dose through: validate refuses them.
TEST(Validate, EveryLimitIsAFiniteNonNegativeAmount) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  auto p = test_protocol();
  p.limits[0].max_mg = kap::milligrams{nan};
  p.limits[0].max_cumulative_mg = kap::milligrams{std::numeric_limits<double>::infinity()};
  p.limits[0].max_mg_per_kg = kap::mg_per_kg{-0.5};
  p.limits[0].step_mg = kap::milligrams{0};
  p.vitals.hold.systolic_max = kap::mmhg{nan};
  p.vitals.critical.spo2_min = kap::spo2_percent{-88};
  kap::vitals_limits band;
  band.heart_rate_max = kap::bpm{nan};
  p.vitals.hold_by_age.push_back(kap::age_hold{65, band});
  kap::vitals_limits within;
  within.diastolic_max = kap::mmhg{nan};
  p.dose_requires.push_back(kap::requirements::vitals_within{within});
  kap::vitals_limits on_move;
  on_move.spo2_min = kap::spo2_percent{-1};
  p.transitions[0].require.push_back(kap::requirements::vitals_within{on_move});
  const auto ps = kap::check_protocol(p);
  EXPECT_TRUE(has(ps, "/transitions/0/require/" + std::to_string(p.transitions[0].require.size() - 1) +
                          "/limits/spo2_min",
                  "must not be negative"))
      << dump(ps);
  EXPECT_TRUE(has(ps, "/limits/0/max_mg", "must be a finite number")) << dump(ps);
  EXPECT_TRUE(has(ps, "/limits/0/max_cumulative_mg", "must be a finite number")) << dump(ps);
  EXPECT_TRUE(has(ps, "/limits/0/max_mg_per_kg", "must not be negative")) << dump(ps);
  EXPECT_TRUE(has(ps, "/limits/0/step_mg", "must be positive")) << dump(ps);
  EXPECT_TRUE(has(ps, "/vitals/hold/systolic_max", "must be a finite number")) << dump(ps);
  EXPECT_TRUE(has(ps, "/vitals/critical/spo2_min", "must not be negative")) << dump(ps);
  EXPECT_TRUE(has(ps, "/vitals/hold_by_age/0/hold/heart_rate_max", "must be a finite number")) << dump(ps);
  const std::string req = "/dose_requires/" + std::to_string(p.dose_requires.size() - 1) + "/limits/diastolic_max";
  EXPECT_TRUE(has(ps, req, "must be a finite number")) << dump(ps);
  EXPECT_EQ(ps.size(), 9U) << dump(ps);  // one problem per amount: a negative step is not also "not positive"
  EXPECT_FALSE(kap::validate(p));
  // Zero is an amount (a minimum of 0 holds nothing back, but it is not an error).
  auto zero = test_protocol();
  zero.vitals.hold.respiratory_rate_min = kap::breaths_per_min{0};
  EXPECT_TRUE(kap::check_protocol(zero).empty()) << dump(kap::check_protocol(zero));
}

// Only the C++ API makes an enum value with no name. An unnamed tier is not `absolute`, so a
// contraindication holding one could be overridden; and no reader accepts its JSON (`null`).
TEST(Validate, EveryEnumValueHasAName) {
  auto p = test_protocol();
  p.contraindications[0].tier = static_cast<kap::tier>(42);
  p.phases[2].kind = static_cast<kap::phase_kind>(9);
  p.limits[0].route = static_cast<kap::route>(7);
  p.permissions.push_back(kap::permission{kap::event_type::note, {kap::role::nurse, static_cast<kap::role>(40)}, false});
  p.dose_requires.push_back(kap::requirements::signed_off{static_cast<kap::role>(6), "dose_order"});
  p.roster = std::vector<kap::roster_entry>{{kap::actor_id{"N-1"}, {kap::role::nurse, static_cast<kap::role>(12)}}};
  const auto ps = kap::check_protocol(p);
  EXPECT_TRUE(has(ps, "/roster/0/roles/1", "value 12 is not one kap knows")) << dump(ps);
  EXPECT_TRUE(has(ps, "/contraindications/0/tier", "value 42 is not one kap knows")) << dump(ps);
  EXPECT_TRUE(has(ps, "/phases/2/kind", "value 9 is not one kap knows")) << dump(ps);
  EXPECT_TRUE(has(ps, "/limits/0/route", "value 7 is not one kap knows")) << dump(ps);
  const std::string perm = "/permissions/" + std::to_string(p.permissions.size() - 1) + "/roles/1";
  EXPECT_TRUE(has(ps, perm, "value 40 is not one kap knows")) << dump(ps);
  const std::string req = "/dose_requires/" + std::to_string(p.dose_requires.size() - 1) + "/role";
  EXPECT_TRUE(has(ps, req, "value 6 is not one kap knows")) << dump(ps);
  EXPECT_FALSE(kap::validate(p));
}

TEST(Validate, EmptyProtocol) {
  kap::protocol p;
  const auto ps = kap::check_protocol(p);
  EXPECT_TRUE(has(ps, "/id", "protocol id must not be empty"));
  EXPECT_TRUE(has(ps, "/phases", "a protocol needs at least one phase"));
}

}  // namespace
