#include <kap/course/driver.hpp>
#include <kap/json.hpp>

#include "../session/fixture.hpp"

#include <gtest/gtest.h>

namespace {

TEST(SessionDriver, WalksTheTestProtocolToDischarge) {
  auto p = kap::test::load_protocol("test-im");
  kap::course::subject_profile subject;
  subject.weight = kap::kilograms{70};
  subject.relative_present = {"psychosis_history"};
  kap::course::session_driver driver(p, kap::session_id{"S-9"}, subject, kap::test::at("09:00"), 42);
  const auto run = driver.run();
  EXPECT_TRUE(run.completed) << run.stopped_because;
  EXPECT_EQ(driver.state().phase(), "discharge");
  ASSERT_EQ(driver.state().doses().size(), 1U);
  // 0.75 mg/kg x 70 kg = 52.5 mg, under the 60 mg cap, rounded down to whole mg.
  EXPECT_EQ(driver.state().doses()[0].mg, kap::milligrams{52});
  for (std::size_t i = 0; i < run.decisions.size(); ++i) {
    EXPECT_TRUE(run.decisions[i].accepted()) << kap::json::write_event(run.events[i]) << ": " << run.decisions[i].message;
  }
  // Discharge came no sooner than the protocol's 120 min after the dose.
  EXPECT_GE(*driver.state().phase_since() - driver.state().doses()[0].at, kap::minutes{120});
  // The override of the relative contraindication was recorded.
  EXPECT_EQ(driver.state().screening().relative_overridden, std::vector<std::string>{"psychosis_history"});
}

TEST(SessionDriver, IsDeterministicForASeed) {
  auto p = kap::test::load_protocol("test-im");
  auto once = [&](std::uint64_t seed) {
    kap::course::session_driver d(p, kap::session_id{"S-1"}, {}, kap::test::at("09:00"), seed);
    std::string all;
    for (const auto& e : d.run().events) all += kap::json::write_event(e) + "\n";
    return all;
  };
  EXPECT_EQ(once(1), once(1));
  EXPECT_NE(once(1), once(2));
}

TEST(SessionDriver, StopsWithAReasonWhenItCannotSatisfyTheProtocol) {
  auto def = kap::test::load_protocol("test-im")->definition();
  def.transitions[0].require.push_back(kap::requirements::measure_at_most{"phq9", -1});
  auto p = std::make_shared<const kap::validated_protocol>(kap::validate(def).value());
  kap::course::session_driver d(p, kap::session_id{"S-1"}, {}, kap::test::at("09:00"), 1);
  const auto run = d.run();
  EXPECT_FALSE(run.completed);
  EXPECT_EQ(run.stopped_because, "cannot satisfy measure_at_most: no phq9 recorded");
  EXPECT_EQ(d.state().phase(), "aborted");
}

TEST(ItemsFor, SpreadsATotalWithinItemRanges) {
  auto items = kap::course::items_for("phq9", 10);
  ASSERT_EQ(items.size(), 9U);
  int sum = 0;
  for (const auto& i : items) sum += std::stoi(i.text);
  EXPECT_EQ(sum, 10);
  EXPECT_EQ(kap::course::items_for("phq9", 99).size(), 9U);
  EXPECT_TRUE(kap::course::items_for("nope", 1).empty());
}

}  // namespace
