#include <kap/course/simulate.hpp>
#include <kap/protocol/builder.hpp>
#include <kap/json.hpp>

#include "../session/fixture.hpp"

#include <gtest/gtest.h>

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

}  // namespace
