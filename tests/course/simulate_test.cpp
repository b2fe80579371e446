#include <kap/course/simulate.hpp>
#include <kap/protocol/builder.hpp>
#include <kap/json.hpp>

#include "../session/fixture.hpp"

#include <gtest/gtest.h>

#include <limits>
#include <string>

namespace {

std::vector<kap::course::arm_spec> arms(std::size_t n) {
  auto im = kap::test::load_protocol("test-im");
  // A no-dosing comparison protocol built from the test protocol's non-dosing phases.
  auto talk = kap::protocol_builder("talk-50")
                  .phase("check_in", kap::phase_kind::preparation)
                  .phase("therapy", kap::phase_kind::integration, {}, kap::minutes{45}, kap::minutes{60})
                  .phase("discharge", kap::phase_kind::discharge)
                  .phase("aborted", kap::phase_kind::aborted)
                  .transition("check_in", "therapy", {kap::requirements::consent_signed{}})
                  .transition("therapy", "discharge")
                  .build();
  return {kap::course::default_arm("test-im", im, n),
          kap::course::default_arm("talk-50", std::make_shared<const kap::validated_protocol>(std::move(*talk)), n)};
}

TEST(Simulator, SameSeedSameOutputDifferentSeedDifferentOutput) {
  auto run = [&](std::uint64_t seed) {
    kap::course::simulation_params params;
    params.seed = seed;
    std::string events;
    auto courses = kap::course::simulate(params, arms(8), [&](const std::string& arm, const kap::event& e, const kap::decision& d) {
      events += arm + " " + kap::json::write_event(e) + " " + std::string(kap::enum_name(d.outcome)) + "\n";
    });
    return kap::json::to_string(courses) + events;
  };
  const auto a = run(7);
  EXPECT_EQ(a, run(7));
  EXPECT_NE(a, run(8));
}

TEST(Simulator, DrivesEverySessionThroughTheEngine) {
  kap::course::simulation_params params;
  params.seed = 3;
  params.elevated_bp_share = 0;
  std::size_t accepted = 0, rejected = 0, doses = 0;
  auto courses = kap::course::simulate(params, arms(20), [&](const std::string&, const kap::event& e, const kap::decision& d) {
    (d.accepted() ? accepted : rejected) += 1;
    if (e.type() == kap::event_type::dose && d.accepted()) ++doses;
  });
  ASSERT_EQ(courses.size(), 40U);
  EXPECT_EQ(rejected, 0U);  // the driver answers the protocol; nothing it records is refused
  EXPECT_GT(doses, 60U);
  for (const auto& c : courses) {
    EXPECT_GE(c.baseline, 10);
    EXPECT_EQ(c.observations.size(), c.session_of_observation.size());
    if (!c.dropped_out) {
      EXPECT_EQ(c.sessions_completed + c.sessions_aborted, c.arm == "test-im" ? 6 : 12);
    }
    EXPECT_EQ(c.subject.rfind("SYN-", 0), 0U);  // synthetic ids say so
  }
}

TEST(Simulator, ElevatedBloodPressureHoldsDosing) {
  kap::course::simulation_params params;
  params.seed = 5;
  params.elevated_bp_share = 1.0;
  auto a = arms(2);
  a.resize(1);
  auto courses = kap::course::simulate(params, a);
  for (const auto& c : courses) {
    EXPECT_EQ(c.sessions_completed, 0) << c.subject;
    EXPECT_GT(c.sessions_aborted, 0);
  }
}

TEST(Simulator, DefaultArmsPassTheCheck) {
  EXPECT_TRUE(kap::course::check_simulation(kap::course::simulation_params{}, arms(2)));
}

TEST(Simulator, RefusesParametersItCannotRunAndRecordsNothing) {
  using params_t = kap::course::simulation_params;
  using arm_t = kap::course::arm_spec;
  struct bad_case {
    void (*edit)(params_t&, arm_t&);
    kap::errc code;
    std::string message;
  };
  const bad_case cases[] = {
      // Before the fix: a segfault (.back() of an empty schedule for the follow-up).
      {[](params_t&, arm_t& a) { a.session_days = {}; }, kap::errc::out_of_range, "arms[0].session_days: must not be empty"},
      // Before the fix: every score was 0.
      {[](params_t& p, arm_t&) { p.baseline_sd = std::numeric_limits<double>::quiet_NaN(); }, kap::errc::out_of_range,
       "baseline_sd: nan must be a finite number >= 0"},
      {[](params_t& p, arm_t&) { p.baseline_sd = -1; }, kap::errc::out_of_range,
       "baseline_sd: -1 must be a finite number >= 0"},
      {[](params_t& p, arm_t&) { p.baseline_mean = std::numeric_limits<double>::quiet_NaN(); }, kap::errc::out_of_range,
       "baseline_mean: nan must be a finite number in 0-27"},
      {[](params_t& p, arm_t&) { p.baseline_min = 28; }, kap::errc::out_of_range, "baseline_min: 28 is outside 0-27"},
      {[](params_t& p, arm_t&) { p.elevated_bp_share = 1.5; }, kap::errc::out_of_range,
       "elevated_bp_share: 1.5 must be a finite number in 0-1"},
      {[](params_t& p, arm_t&) { p.nausea_rate = -0.1; }, kap::errc::out_of_range,
       "nausea_rate: -0.1 must be a finite number in 0-1"},
      {[](params_t& p, arm_t&) { p.dissociation_rate = std::numeric_limits<double>::quiet_NaN(); }, kap::errc::out_of_range,
       "dissociation_rate: nan must be a finite number in 0-1"},
      // Before the fix: every patient "responded" after no sessions at all.
      {[](params_t&, arm_t& a) { a.model.tau_sessions = 0; }, kap::errc::out_of_range,
       "arms[0].model.tau_sessions: 0 must be a finite number > 0"},
      {[](params_t&, arm_t& a) { a.model.tau_sessions = -1; }, kap::errc::out_of_range,
       "arms[0].model.tau_sessions: -1 must be a finite number > 0"},
      {[](params_t&, arm_t& a) { a.model.max_reduction = 2; }, kap::errc::out_of_range,
       "arms[0].model.max_reduction: 2 must be a finite number in 0-1"},
      {[](params_t&, arm_t& a) { a.model.reduction_sd = std::numeric_limits<double>::quiet_NaN(); }, kap::errc::out_of_range,
       "arms[0].model.reduction_sd: nan must be a finite number >= 0"},
      {[](params_t&, arm_t& a) { a.model.nonresponder_share = -0.5; }, kap::errc::out_of_range,
       "arms[0].model.nonresponder_share: -0.5 must be a finite number in 0-1"},
      {[](params_t&, arm_t& a) { a.model.noise_sd = -2; }, kap::errc::out_of_range,
       "arms[0].model.noise_sd: -2 must be a finite number >= 0"},
      {[](params_t&, arm_t& a) { a.model.dropout_per_session = 1.01; }, kap::errc::out_of_range,
       "arms[0].model.dropout_per_session: 1.01 must be a finite number in 0-1"},
      // Before the fix: records went backwards in time.
      {[](params_t&, arm_t& a) { a.session_days = {0, -5, -10}; }, kap::errc::out_of_range,
       "arms[0].session_days[1]: -5 is outside 0-3650"},
      {[](params_t&, arm_t& a) { a.session_days = {0, 7, 3}; }, kap::errc::out_of_range,
       "arms[0].session_days[2]: 3 is not later than the day before it, 7"},
      {[](params_t&, arm_t& a) { a.session_days = {0, 3650, 3651}; }, kap::errc::out_of_range,
       "arms[0].session_days[2]: 3651 is outside 0-3650"},
      {[](params_t&, arm_t& a) { a.follow_up_days = -1; }, kap::errc::out_of_range,
       "arms[0].follow_up_days: -1 is outside 0-3650"},
      {[](params_t&, arm_t& a) { a.protocol = nullptr; }, kap::errc::missing_field, "arms[0].protocol: no protocol"},
  };
  const auto good = arms(2);
  for (const bad_case& b : cases) {
    params_t params;
    auto a = good;
    a.resize(1);
    b.edit(params, a[0]);
    auto r = kap::course::check_simulation(params, a);
    ASSERT_FALSE(r) << b.message;
    EXPECT_EQ(r.error().code, b.code) << b.message;
    EXPECT_EQ(r.error().message, b.message);
    std::size_t events = 0;
    const auto courses =
        kap::course::simulate(params, a, [&](const std::string&, const kap::event&, const kap::decision&) { ++events; });
    EXPECT_TRUE(courses.empty()) << b.message;
    EXPECT_EQ(events, 0U) << b.message;
  }
  // The arm's index names the arm at fault.
  auto two = good;
  two[1].model.tau_sessions = 0;
  auto r = kap::course::check_simulation({}, two);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message, "arms[1].model.tau_sessions: 0 must be a finite number > 0");
}

}  // namespace
