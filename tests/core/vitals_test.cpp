#include <kap/clinical/vitals.hpp>

#include <gtest/gtest.h>

#include <limits>

namespace {

kap::vitals_limits vitals_test_limits() {
  kap::vitals_limits l;
  l.systolic_max = kap::mmhg{140};
  l.diastolic_max = kap::mmhg{90};
  l.heart_rate_min = kap::bpm{50};
  l.heart_rate_max = kap::bpm{110};
  l.spo2_min = kap::spo2_percent{92};
  return l;
}

TEST(Vitals, AReadingOnTheLimitIsWithinAndOneBeyondIsNamed) {
  const auto l = vitals_test_limits();
  kap::vitals_reading r{kap::mmhg{140}, kap::mmhg{90}, kap::bpm{110}, kap::spo2_percent{92}, std::nullopt};
  EXPECT_TRUE(kap::within(r, l));
  EXPECT_TRUE(kap::check(r, l).empty());
  r.diastolic = kap::mmhg{94};
  r.spo2 = kap::spo2_percent{91};
  EXPECT_FALSE(kap::within(r, l));
  const auto v = kap::check(r, l);
  ASSERT_EQ(v.size(), 2U);
  EXPECT_EQ(v[0].message, "blood pressure 140/94 mmHg is above the 140/90 limit");
  EXPECT_EQ(v[1].message, "SpO2 91% is below the 92% limit");
}

// Only C++ code makes a NaN; no comparison with it is true, so "not above the maximum" used to
// pass it. A NaN value or limit is within nothing now.
TEST(Vitals, ANaNIsWithinNoLimit) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const auto l = vitals_test_limits();
  kap::vitals_reading r{kap::mmhg{120}, kap::mmhg{80}, kap::bpm{nan}, kap::spo2_percent{97}, std::nullopt};
  EXPECT_FALSE(kap::within(r, l));
  auto v = kap::check(r, l);
  ASSERT_EQ(v.size(), 1U);
  EXPECT_EQ(v[0].sign, kap::vital_sign::heart_rate);
  EXPECT_EQ(v[0].message, "heart rate nan/min is above the 110 limit");

  r.heart_rate = kap::bpm{70};
  auto nan_limit = l;
  nan_limit.spo2_min = kap::spo2_percent{nan};
  EXPECT_FALSE(kap::within(r, nan_limit));
  v = kap::check(r, nan_limit);
  ASSERT_EQ(v.size(), 1U);
  EXPECT_EQ(v[0].sign, kap::vital_sign::spo2);
  // A limit the reading lacks the value for still judges nothing.
  r.spo2.reset();
  EXPECT_TRUE(kap::within(r, nan_limit));
}

}  // namespace
