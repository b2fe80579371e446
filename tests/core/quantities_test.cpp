#include <kap/core/quantities.hpp>

#include <gtest/gtest.h>

#include <limits>

namespace {

using namespace kap::literals;

TEST(Quantities, DoseIsWeightBasedDoseTimesWeight) {
  EXPECT_EQ(0.5_mg_per_kg * 70_kg, 35_mg);
  EXPECT_EQ(70_kg * 0.5_mg_per_kg, 35_mg);
  EXPECT_DOUBLE_EQ((35_mg / 70_kg).count(), 0.5);
}

TEST(Quantities, SameUnitArithmetic) {
  kap::milligrams total{28};
  total += 28_mg;
  EXPECT_EQ(total, 56_mg);
  EXPECT_EQ(total - 28_mg, 28_mg);
  EXPECT_EQ(total * 1.5, 84_mg);
  EXPECT_DOUBLE_EQ(84_mg / 28_mg, 3.0);
  EXPECT_LT(56_mg, 84_mg);
}

TEST(Quantities, MakeRejectsNegative) {
  auto r = kap::make<kap::milligrams>(-1.0, "/mg");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, kap::errc::invalid_quantity);
  EXPECT_EQ(r.error().message, "/mg: mg value must not be negative");
}

TEST(Quantities, MakeRejectsNonFinite) {
  for (double v : {std::numeric_limits<double>::quiet_NaN(), std::numeric_limits<double>::infinity(),
                   -std::numeric_limits<double>::infinity()}) {
    auto r = kap::make<kap::kilograms>(v, "/weight_kg");
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, kap::errc::invalid_quantity);
    EXPECT_EQ(r.error().message, "/weight_kg: kg value is not finite");
  }
}

TEST(Quantities, MakeAcceptsZeroAndPositive) {
  ASSERT_TRUE(kap::make<kap::mmhg>(0.0, "x"));
  auto r = kap::make<kap::mmhg>(132.0, "x");
  ASSERT_TRUE(r);
  EXPECT_EQ(*r, 132_mmhg);
  EXPECT_TRUE(r->ok());
  EXPECT_FALSE(kap::mmhg{-3}.ok());
}

}  // namespace
