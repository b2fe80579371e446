// Vitals readings and limits as numbers (kap/session/detail/vitals_bounds.hpp), on their own:
// they must judge a reading as kap::within does.

#include <kap/session/detail/vitals_bounds.hpp>

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

namespace {

using namespace kap::detail;

kap::vitals_limits hold() {
  kap::vitals_limits l;
  l.systolic_max = kap::mmhg{160};
  l.diastolic_max = kap::mmhg{100};
  l.heart_rate_min = kap::bpm{50};
  l.heart_rate_max = kap::bpm{120};
  l.spo2_min = kap::spo2_percent{92};
  return l;
}

TEST(VitalsBounds, AReadingsValuesAndTheBitsOfThosePresent) {
  kap::vitals_reading r;
  r.diastolic = kap::mmhg{80};
  r.spo2 = kap::spo2_percent{97};
  const auto x = values_of(r);
  EXPECT_EQ(x.present, 2U | 8U);
  EXPECT_EQ(x.v[1], 80);
  EXPECT_EQ(x.v[3], 97);
}

// The same answer as kap::within on readings at, just inside and just outside every bound, and
// with a sign absent.
TEST(VitalsBounds, JudgeAsWithinDoes) {
  const auto limits = hold();
  const auto bounds = bounds_of(limits);
  for (const double sys : {159.0, 160.0, 160.5}) {
    for (const double hr : {49.0, 50.0, 120.0, 121.0}) {
      for (const bool spo2 : {false, true}) {
        kap::vitals_reading r;
        r.systolic = kap::mmhg{sys};
        r.heart_rate = kap::bpm{hr};
        if (spo2) r.spo2 = kap::spo2_percent{91};
        EXPECT_EQ(within_bounds(values_of(r), bounds), kap::within(r, limits)) << sys << " " << hr << " " << spo2;
      }
    }
  }
}

TEST(VitalsBounds, ANaNIsWithinNoBoundsAndAnAbsentValueIsNotJudged) {
  kap::vitals_reading r;
  r.heart_rate = kap::bpm{std::numeric_limits<double>::quiet_NaN()};
  EXPECT_EQ(outside_bounds(values_of(r), vitals_bounds{}), 4U);
  kap::vitals_reading none;
  EXPECT_EQ(outside_bounds(values_of(none), plausible_bounds()), 0U);
}

TEST(VitalsBounds, OnlyTheBitsAskedAboutAreJudged) {
  kap::vitals_reading r;
  r.systolic = kap::mmhg{170};  // over the hold limit
  r.heart_rate = kap::bpm{70};
  const auto x = values_of(r);
  const auto b = bounds_of(hold());
  EXPECT_FALSE(within_bounds(x, b));
  EXPECT_FALSE(within_bounds(x, b, sign_bits(kap::vital_sign::blood_pressure)));
  EXPECT_TRUE(within_bounds(x, b, sign_bits(kap::vital_sign::heart_rate)));
}

TEST(VitalsBounds, TighterAllowsOnlyWhatBothAllow) {
  kap::vitals_limits critical;
  critical.systolic_max = kap::mmhg{180};
  critical.heart_rate_min = kap::bpm{40};
  critical.respiratory_rate_min = kap::breaths_per_min{8};
  const auto both = tighter(bounds_of(hold()), bounds_of(critical));
  EXPECT_EQ(both.hi[0], 160);
  EXPECT_EQ(both.lo[2], 50);
  EXPECT_EQ(both.lo[4], 8);
  EXPECT_EQ(both.hi[4], vitals_bounds::unbounded);
  EXPECT_EQ(plausible_bounds().hi[0], kap::max_plausible_systolic);
}

}  // namespace
