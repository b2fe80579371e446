#include <kap/stats/stats.hpp>
#include <kap/json.hpp>

#include <gtest/gtest.h>

#include <cmath>
#include <numbers>
#include <string>
#include <vector>

// Every expected number here is computed independently of kap: from the formula by hand (the
// arithmetic is in the comment), from a closed form, or from a published table or worked example
// (cited). z = 1.959963984540054 is the 0.975 normal quantile (Abramowitz & Stegun table 26.5 /
// any normal table: 1.95996), z^2 = 3.841458820694124.

namespace {

using namespace kap::stats;
using kap::errc;

constexpr double z975 = 1.959963984540054;

template <class T>
void expect_error(const kap::result<T>& r, errc code, const std::string& message) {
  ASSERT_FALSE(r.has_value()) << "expected the error: " << message;
  EXPECT_EQ(r.error().code, code) << r.error().message;
  EXPECT_EQ(r.error().message, message);
}

// --- normal quantile ---------------------------------------------------------------------------

TEST(NormalQuantile, MatchesPublishedValues) {
  // Abramowitz & Stegun table 26.5 (to the digits shown in common references):
  // z(0.975) = 1.959963984540054, z(0.995) = 2.575829303548901, z(0.95) = 1.644853626951473,
  // z(1e-10) = -6.361340902404056.
  EXPECT_NEAR(normal_quantile(0.975).value(), 1.959963984540054, 1e-14);
  EXPECT_NEAR(normal_quantile(0.995).value(), 2.575829303548901, 1e-14);
  EXPECT_NEAR(normal_quantile(0.95).value(), 1.644853626951473, 1e-14);
  EXPECT_NEAR(normal_quantile(0.025).value(), -1.959963984540054, 1e-14);
  EXPECT_NEAR(normal_quantile(1e-10).value(), -6.361340902404056, 1e-9);
  EXPECT_EQ(normal_quantile(0.5).value(), 0.0);
}

TEST(NormalQuantile, InvertsTheCdf) {
  // Phi(x) = erfc(-x / sqrt 2) / 2, so Phi(z(p)) must give p back.
  for (const double p : {1e-12, 1e-6, 0.001, 0.02425, 0.1, 0.3, 0.7, 0.9, 0.97575, 0.999, 1 - 1e-6}) {
    const double x = normal_quantile(p).value();
    EXPECT_NEAR(0.5 * std::erfc(-x / std::numbers::sqrt2) / p, 1.0, 1e-12) << "p = " << p;
  }
}

TEST(NormalQuantile, RejectsProbabilitiesOutsideTheOpenUnitInterval) {
  expect_error(normal_quantile(0.0), errc::out_of_range, "normal_quantile: p 0 is outside (0, 1)");
  expect_error(normal_quantile(1.0), errc::out_of_range, "normal_quantile: p 1 is outside (0, 1)");
  expect_error(normal_quantile(std::nan("")), errc::out_of_range, "normal_quantile: p nan is outside (0, 1)");
}

// --- Student t quantile ------------------------------------------------------------------------

struct t_table_row {
  double df;
  double p;
  double value;  // published, 3 decimals
};

// NIST/SEMATECH e-Handbook of Statistical Methods, §1.3.6.7.2 "Critical values of the Student's t
// distribution" (upper critical values t_{1-alpha, df}), columns alpha = 0.10, 0.05, 0.025, 0.01,
// 0.005.
constexpr t_table_row t_table[] = {
    {1, 0.90, 3.078},   {1, 0.95, 6.314},   {1, 0.975, 12.706},  {1, 0.99, 31.821},  {1, 0.995, 63.657},
    {2, 0.90, 1.886},   {2, 0.95, 2.920},   {2, 0.975, 4.303},   {2, 0.99, 6.965},   {2, 0.995, 9.925},
    {5, 0.90, 1.476},   {5, 0.95, 2.015},   {5, 0.975, 2.571},   {5, 0.99, 3.365},   {5, 0.995, 4.032},
    {10, 0.90, 1.372},  {10, 0.95, 1.812},  {10, 0.975, 2.228},  {10, 0.99, 2.764},  {10, 0.995, 3.169},
    {30, 0.90, 1.310},  {30, 0.95, 1.697},  {30, 0.975, 2.042},  {30, 0.99, 2.457},  {30, 0.995, 2.750},
    {100, 0.90, 1.290}, {100, 0.95, 1.660}, {100, 0.975, 1.984}, {100, 0.99, 2.364}, {100, 0.995, 2.626},
};

TEST(StudentTQuantile, MatchesThePublishedTableToThreeDecimals) {
  for (const auto& row : t_table) {
    const auto t = t_quantile(row.p, row.df);
    ASSERT_TRUE(t) << t.error().message;
    EXPECT_NEAR(*t, row.value, 0.0005) << "df " << row.df << ", p " << row.p;
    // And the lower tail by symmetry: t(1 - p) = -t(p).
    EXPECT_NEAR(t_quantile(1.0 - row.p, row.df).value(), -row.value, 0.0005) << "df " << row.df;
  }
}

TEST(StudentTQuantile, MatchesClosedFormsForOneAndTwoDegreesOfFreedom) {
  // df = 1 is the Cauchy distribution: t = tan(pi (p - 1/2)) = -1 / tan(pi p) (the second form
  // keeps its precision in the lower tail, where p - 1/2 rounds).
  // df = 2: F(t) = 1/2 + t / (2 sqrt(2 + t^2)), so t = (2p - 1) / sqrt(2 p (1 - p)).
  // E.g. p = 0.975: tan(0.475 pi) = 12.706204736; 0.95 / sqrt(0.04875) = 4.302652730.
  for (const double p : {1e-9, 1e-4, 0.01, 0.2, 0.45, 0.55, 0.8, 0.975, 0.9999}) {
    const double cauchy = -1.0 / std::tan(std::numbers::pi * p);
    const double two = (2 * p - 1) / std::sqrt(2 * p * (1 - p));
    EXPECT_NEAR(t_quantile(p, 1).value() / cauchy, 1.0, 1e-10) << "p = " << p;
    EXPECT_NEAR(t_quantile(p, 2).value() / two, 1.0, 1e-10) << "p = " << p;
  }
  EXPECT_NEAR(t_quantile(0.975, 1).value(), 12.706204736, 1e-8);
  EXPECT_NEAR(t_quantile(0.975, 2).value(), 4.302652730, 1e-8);
}

TEST(StudentTQuantile, ApproachesTheNormalForLargeDf) {
  // t(0.975, df) = z + (z^3 + z) / (4 df) + O(df^-2) (Fisher's expansion, A&S 26.7.5):
  // at df = 1e6 the correction is (7.529 + 1.960) / 4e6 = 2.372e-6.
  EXPECT_NEAR(t_quantile(0.975, 1e6).value(), z975 + 2.372e-6, 1e-8);
  // Either side of df = 1e5, where the expansion takes over from Newton's method; references from
  // 40-digit arithmetic (mpmath: findroot of betainc(df/2, 1/2, 0, df/(df+t^2))/2 = 0.025).
  EXPECT_NEAR(t_quantile(0.975, 1e5).value(), 1.9599877075346093, 1e-12);
  EXPECT_NEAR(t_quantile(0.975, 1e7).value(), 1.9599642217672051, 1e-12);
  EXPECT_EQ(t_quantile(0.5, 7).value(), 0.0);
  // Non-integer df: between its neighbours.
  const double mid = t_quantile(0.975, 2.5).value();
  EXPECT_LT(mid, t_quantile(0.975, 2).value());
  EXPECT_GT(mid, t_quantile(0.975, 3).value());
}

TEST(StudentTQuantile, RejectsBadArguments) {
  expect_error(t_quantile(0.0, 5), errc::out_of_range, "t_quantile: p 0 is outside (0, 1)");
  expect_error(t_quantile(1.5, 5), errc::out_of_range, "t_quantile: p 1.5 is outside (0, 1)");
  expect_error(t_quantile(0.9, 0), errc::out_of_range, "t_quantile: df 0 is outside (0, inf)");
  expect_error(t_quantile(0.9, -3), errc::out_of_range, "t_quantile: df -3 is outside (0, inf)");
  expect_error(t_quantile(0.9, INFINITY), errc::out_of_range, "t_quantile: df inf is outside (0, inf)");
}

// --- Wilson ------------------------------------------------------------------------------------

TEST(Wilson, NoSuccessesHasLowerLimitExactlyZero) {
  // p = 0: centre = half = (z^2 / 2n) / (1 + z^2/n), so lower = 0 and upper = z^2 / (n + z^2)
  //   = 3.841458820694124 / 13.841458820694124 = 0.277532800 (Newcombe 1998 Table I: 0.2775).
  const proportion w = wilson(0, 10).value();
  EXPECT_EQ(w.successes, 0U);
  EXPECT_EQ(w.n, 10U);
  EXPECT_EQ(w.estimate, 0.0);
  EXPECT_EQ(w.lower, 0.0);
  EXPECT_NEAR(w.upper, z975 * z975 / (10 + z975 * z975), 1e-14);
  EXPECT_NEAR(w.upper, 0.2775328, 1e-7);
}

TEST(Wilson, AllSuccessesHasUpperLimitExactlyOne) {
  // p = 1: lower = n / (n + z^2) = 10 / 13.841458820694124 = 0.722467200; upper = 1.
  const proportion w = wilson(10, 10).value();
  EXPECT_EQ(w.estimate, 1.0);
  EXPECT_NEAR(w.lower, 10 / (10 + z975 * z975), 1e-14);
  EXPECT_NEAR(w.lower, 0.7224672, 1e-7);
  EXPECT_EQ(w.upper, 1.0);
}

TEST(Wilson, SevenOfTenByHand) {
  // p = 0.7, n = 10, z^2/n = 0.3841458821, 1 + z^2/n = 1.3841458821.
  // centre = (0.7 + z^2/20) / 1.3841458821 = 0.8920729410 / 1.3841458821 = 0.6444934400
  // half   = z / 1.3841458821 * sqrt(0.7 * 0.3 / 10 + z^2 / 400)
  //        = 1.4160047 * sqrt(0.021 + 0.0096036470) = 1.4160047 * 0.1749390 = 0.2477153
  // -> 0.3967781 to 0.8922087
  const proportion w = wilson(7, 10).value();
  EXPECT_DOUBLE_EQ(w.estimate, 0.7);
  EXPECT_NEAR(w.lower, 0.3967781, 1e-7);
  EXPECT_NEAR(w.upper, 0.8922087, 1e-7);
}

TEST(Wilson, NewcombeSingleProportionExample) {
  // Newcombe RG (1998) Stat Med 17:857-872, Table I, 81/263, method 3 (Wilson): 0.2553 to 0.3662.
  // By hand: p = 0.3079848, z^2/n = 0.0146063, centre = (0.3079848 + 0.0073032) / 1.0146063 = 0.3107490,
  // half = 1.9317484 * sqrt(0.000810967 + 0.0000138850) = 1.9317484 * 0.0287203 = 0.0554605.
  const proportion w = wilson(81, 263).value();
  EXPECT_NEAR(w.estimate, 81.0 / 263.0, 1e-15);
  EXPECT_NEAR(w.lower, 0.2553, 5e-5);
  EXPECT_NEAR(w.upper, 0.3662, 5e-5);
  EXPECT_NEAR(w.lower, 0.3107490 - 0.0554605, 2e-7);
  EXPECT_NEAR(w.upper, 0.3107490 + 0.0554605, 2e-7);
}

TEST(Wilson, WiderAtHigherConfidence) {
  const proportion w95 = wilson(7, 10).value();
  const proportion w99 = wilson(7, 10, 0.99).value();
  EXPECT_LT(w99.lower, w95.lower);
  EXPECT_GT(w99.upper, w95.upper);
}

TEST(Wilson, ErrorCases) {
  expect_error(wilson(0, 0), errc::missing_item, "wilson: needs at least 1 trial, got n = 0");
  expect_error(wilson(11, 10), errc::out_of_range, "wilson: successes 11 exceed n 10");
  expect_error(wilson(1, 2, 1.0), errc::out_of_range, "wilson: confidence 1 is outside (0, 1)");
  expect_error(wilson(1, 2, 0.0), errc::out_of_range, "wilson: confidence 0 is outside (0, 1)");
  expect_error(wilson(1, 2, 95.0), errc::out_of_range, "wilson: confidence 95 is outside (0, 1)");
}

// --- Newcombe ----------------------------------------------------------------------------------

TEST(Newcombe, PublishedExampleA) {
  // Newcombe RG (1998) Stat Med 17:873-890, Table II, example (a) 56/70 - 48/80, method 10:
  // 0.0524 to 0.3339.
  const proportion_difference d = newcombe(56, 70, 48, 80).value();
  EXPECT_NEAR(d.difference, 0.2, 1e-15);
  EXPECT_NEAR(d.lower, 0.0524, 5e-5);
  EXPECT_NEAR(d.upper, 0.3339, 5e-5);
}

TEST(Newcombe, PublishedExampleB) {
  // Same table, example (b) 9/10 - 3/10, method 10: 0.1705 to 0.8090.
  const proportion_difference d = newcombe(9, 10, 3, 10).value();
  EXPECT_NEAR(d.difference, 0.6, 1e-15);
  EXPECT_NEAR(d.lower, 0.1705, 5e-5);
  EXPECT_NEAR(d.upper, 0.8090, 5e-5);
}

TEST(Newcombe, AllVersusNoneByHand) {
  // 10/10 - 0/10: Wilson (0.7224672, 1) and (0, 0.2775328); d = 1.
  // lower = 1 - sqrt((1 - 0.7224672)^2 + (0.2775328 - 0)^2) = 1 - 0.2775328 sqrt 2 = 0.6075094
  // upper = 1 + sqrt(0^2 + 0^2) = 1 (Newcombe 1998 Table II example (h): 0.6075 to 1.0000).
  const proportion_difference d = newcombe(10, 10, 0, 10).value();
  EXPECT_EQ(d.difference, 1.0);
  EXPECT_NEAR(d.lower, 1 - std::numbers::sqrt2 * z975 * z975 / (10 + z975 * z975), 1e-14);
  EXPECT_NEAR(d.lower, 0.6075094, 1e-7);
  EXPECT_EQ(d.upper, 1.0);
}

TEST(Newcombe, NoneVersusNoneByHand) {
  // 0/10 - 0/20: Wilson (0, z^2/(10+z^2)) = (0, 0.2775328) and (0, z^2/(20+z^2)) = (0, 0.1611252).
  // lower = 0 - sqrt(0 + 0.1611252^2) = -0.1611252; upper = 0 + sqrt(0.2775328^2 + 0) = 0.2775328
  // (Newcombe 1998 Table II example (e): -0.1611 to 0.2775).
  const proportion_difference d = newcombe(0, 10, 0, 20).value();
  EXPECT_EQ(d.difference, 0.0);
  EXPECT_NEAR(d.lower, -z975 * z975 / (20 + z975 * z975), 1e-14);
  EXPECT_NEAR(d.upper, z975 * z975 / (10 + z975 * z975), 1e-14);
}

TEST(Newcombe, ErrorCases) {
  expect_error(newcombe(0, 0, 1, 2), errc::missing_item, "newcombe: needs at least 1 trial in arm 1, got n1 = 0");
  expect_error(newcombe(1, 2, 0, 0), errc::missing_item, "newcombe: needs at least 1 trial in arm 2, got n2 = 0");
  expect_error(newcombe(3, 2, 1, 2), errc::out_of_range, "newcombe: x1 3 exceeds n1 2");
  expect_error(newcombe(1, 2, 5, 4), errc::out_of_range, "newcombe: x2 5 exceeds n2 4");
  expect_error(newcombe(1, 2, 1, 2, -0.5), errc::out_of_range, "newcombe: confidence -0.5 is outside (0, 1)");
}

// --- mean interval -----------------------------------------------------------------------------

TEST(MeanCi, TwoValuesUseTheCauchyQuantile) {
  // {0, 1}: mean 0.5, SS = 0.25 + 0.25 = 0.5, sd = sqrt(0.5) = 0.7071068, se = 0.7071068 / sqrt 2 = 0.5;
  // t(0.975, 1) = tan(0.475 pi) = 12.7062047; half = 6.3531024 -> -5.8531024 to 6.8531024.
  const std::vector<double> xs{0, 1};
  const mean_interval m = mean_ci(xs).value();
  EXPECT_EQ(m.n, 2U);
  EXPECT_DOUBLE_EQ(m.mean, 0.5);
  EXPECT_DOUBLE_EQ(m.sd, std::sqrt(0.5));
  const double half = 0.5 * std::tan(0.475 * std::numbers::pi);
  EXPECT_NEAR(m.lower, 0.5 - half, 1e-9);
  EXPECT_NEAR(m.upper, 0.5 + half, 1e-9);
  EXPECT_NEAR(m.lower, -5.8531024, 1e-7);
}

TEST(MeanCi, ThreeValuesUseTheClosedFormForTwoDf) {
  // {1, 2, 6}: mean 3, deviations -2, -1, 3, SS = 14, var = 7, sd = sqrt 7 = 2.6457513,
  // se = sqrt(7/3) = 1.5275252; t(0.975, 2) = 0.95 / sqrt(2 * 0.975 * 0.025) = 4.3026527;
  // half = 6.5724106 -> -3.5724106 to 9.5724106.
  const std::vector<double> xs{1, 2, 6};
  const mean_interval m = mean_ci(xs).value();
  EXPECT_DOUBLE_EQ(m.mean, 3.0);
  EXPECT_DOUBLE_EQ(m.sd, std::sqrt(7.0));
  const double half = 0.95 / std::sqrt(2 * 0.975 * 0.025) * std::sqrt(7.0 / 3.0);
  EXPECT_NEAR(m.lower, 3 - half, 1e-9);
  EXPECT_NEAR(m.upper, 3 + half, 1e-9);
  EXPECT_NEAR(m.upper, 9.5724106, 1e-7);
}

TEST(MeanCi, EightValuesByHand) {
  // {2, 4, 4, 4, 5, 5, 7, 9}: mean 40/8 = 5; SS = 9+1+1+1+0+0+4+16 = 32; var = 32/7 = 4.5714286;
  // sd = 2.1380899; se = sqrt(4.5714286 / 8) = 0.7559289; t(0.975, 7) = 2.365 (NIST table;
  // 2.3646243 to more digits); half = 2.3646243 * 0.7559289 = 1.7874879 -> 3.2125121 to 6.7874879.
  const std::vector<double> xs{2, 4, 4, 4, 5, 5, 7, 9};
  const mean_interval m = mean_ci(xs).value();
  EXPECT_EQ(m.n, 8U);
  EXPECT_DOUBLE_EQ(m.mean, 5.0);
  EXPECT_NEAR(m.sd, std::sqrt(32.0 / 7.0), 1e-14);
  EXPECT_NEAR(m.lower, 3.2125121, 1e-6);
  EXPECT_NEAR(m.upper, 6.7874879, 1e-6);
}

TEST(MeanCi, ConstantValuesGiveAPointInterval) {
  const std::vector<double> xs{4, 4, 4};
  const mean_interval m = mean_ci(xs).value();
  EXPECT_EQ(m.sd, 0.0);
  EXPECT_EQ(m.lower, 4.0);
  EXPECT_EQ(m.upper, 4.0);
}

TEST(MeanCi, ErrorCases) {
  const std::vector<double> none;
  const std::vector<double> one{3};
  const std::vector<double> bad{1, NAN, 2};
  expect_error(mean_ci(none), errc::missing_item, "mean_ci: needs at least 2 values, got 0");
  expect_error(mean_ci(one), errc::missing_item, "mean_ci: needs at least 2 values, got 1");
  expect_error(mean_ci(bad), errc::out_of_range, "mean_ci: values[1] is not finite");
  const std::vector<double> two{1, 2};
  expect_error(mean_ci(two, 1.0), errc::out_of_range, "mean_ci: confidence 1 is outside (0, 1)");
}

// --- effect sizes ------------------------------------------------------------------------------

TEST(CohenDz, ByHand) {
  // after - before = 8-10, 11-12, 10-14, 15-16 = -2, -1, -4, -1; mean -8/4 = -2;
  // deviations 0, 1, -2, 1, SS = 6, var = 6/3 = 2, sd = sqrt 2; d_z = -2 / sqrt 2 = -sqrt 2 = -1.4142136.
  const std::vector<double> before{10, 12, 14, 16};
  const std::vector<double> after{8, 11, 10, 15};
  EXPECT_NEAR(cohen_dz(before, after).value(), -std::numbers::sqrt2, 1e-14);
  // Swapping the measurements flips the sign.
  EXPECT_NEAR(cohen_dz(after, before).value(), std::numbers::sqrt2, 1e-14);
}

TEST(CohenDz, ErrorCases) {
  const std::vector<double> four{1, 2, 3, 4};
  const std::vector<double> three{1, 2, 3};
  const std::vector<double> one{1};
  const std::vector<double> shifted{3, 4, 5, 6};  // every difference is 2
  const std::vector<double> bad{1, 2, INFINITY, 4};
  expect_error(cohen_dz(four, three), errc::wrong_item_count, "cohen_dz: before has 4 values but after has 3");
  expect_error(cohen_dz(one, one), errc::missing_item, "cohen_dz: needs at least 2 pairs, got 1");
  expect_error(cohen_dz(four, shifted), errc::out_of_range,
               "cohen_dz: the differences have zero variance, so d_z is undefined");
  expect_error(cohen_dz(four, bad), errc::out_of_range, "cohen_dz: after[2] is not finite");
  expect_error(cohen_dz(bad, four), errc::out_of_range, "cohen_dz: before[2] is not finite");
}

TEST(HedgesG, ByHand) {
  // a = {2, 4, 6}: mean 4, SS 8 (var 4); b = {1, 2, 3, 4, 5}: mean 3, SS 10 (var 2.5).
  // pooled var = (8 + 10) / (3 + 5 - 2) = 3, sd = sqrt 3 = 1.7320508; d = (4 - 3) / sqrt 3 = 0.5773503;
  // J = 1 - 3 / (4 * 8 - 9) = 1 - 3/23 = 20/23 = 0.8695652; g = 0.5773503 * 20/23 = 0.5020437.
  const std::vector<double> a{2, 4, 6};
  const std::vector<double> b{1, 2, 3, 4, 5};
  EXPECT_NEAR(hedges_g(a, b).value(), 20.0 / 23.0 / std::sqrt(3.0), 1e-14);
  EXPECT_NEAR(hedges_g(a, b).value(), 0.5020437, 1e-7);
  EXPECT_NEAR(hedges_g(b, a).value(), -0.5020437, 1e-7);
}

TEST(HedgesG, ErrorCases) {
  const std::vector<double> one{1};
  const std::vector<double> two{1, 2};
  const std::vector<double> flat{2, 2, 2};
  const std::vector<double> bad{1, NAN};
  expect_error(hedges_g(one, two), errc::missing_item, "hedges_g: group a needs at least 2 values, got 1");
  expect_error(hedges_g(two, one), errc::missing_item, "hedges_g: group b needs at least 2 values, got 1");
  expect_error(hedges_g(flat, flat), errc::out_of_range,
               "hedges_g: the pooled standard deviation is 0, so g is undefined");
  expect_error(hedges_g(two, bad), errc::out_of_range, "hedges_g: b[1] is not finite");
}

// --- Kaplan-Meier ------------------------------------------------------------------------------

// Ten courses, time = session of first response (* = responded, + = censored):
// 1*, 2*, 2*, 2+, 3+, 4*, 5+, 6*, 6+, 8+   (given out of order below)
//
// time  at risk  events  censored  S
//  1      10       1       0       9/10              = 0.9
//  2       9       2       1       0.9 * 7/9         = 0.7   (events before the censoring: 9 at risk)
//  3       6       0       1       0.7
//  4       5       1       0       0.7 * 4/5         = 0.56
//  5       4       0       1       0.56
//  6       3       1       1       0.56 * 2/3        = 0.3733333
//  8       1       0       1       0.3733333
std::vector<km_observation> ten_courses() {
  return {{6, true},  {2, true}, {1, true},  {8, false}, {2, false},
          {3, false}, {4, true}, {5, false}, {2, true},  {6, false}};
}

TEST(KaplanMeier, TiesAndCensoringByHand) {
  const std::vector<km_observation> obs = ten_courses();
  const km_curve k = kaplan_meier(obs).value();
  EXPECT_EQ(k.n, 10U);
  EXPECT_EQ(k.events, 5U);
  struct row {
    double time;
    std::size_t at_risk, events, censored;
    double survival;
  };
  const row expected[] = {{1, 10, 1, 0, 0.9}, {2, 9, 2, 1, 0.7},          {3, 6, 0, 1, 0.7},         {4, 5, 1, 0, 0.56},
                          {5, 4, 0, 1, 0.56}, {6, 3, 1, 1, 0.56 * 2 / 3}, {8, 1, 0, 1, 0.56 * 2 / 3}};
  ASSERT_EQ(k.steps.size(), std::size(expected));
  for (std::size_t i = 0; i < k.steps.size(); ++i) {
    SCOPED_TRACE("step " + std::to_string(i));
    EXPECT_EQ(k.steps[i].time, expected[i].time);
    EXPECT_EQ(k.steps[i].at_risk, expected[i].at_risk);
    EXPECT_EQ(k.steps[i].events, expected[i].events);
    EXPECT_EQ(k.steps[i].censored, expected[i].censored);
    EXPECT_NEAR(k.steps[i].survival, expected[i].survival, 1e-15);
  }
  // Median: the first time with S <= 0.5 is 6 (S = 0.3733).
  ASSERT_TRUE(k.median);
  EXPECT_EQ(*k.median, 6.0);
}

TEST(KaplanMeier, GreenwoodLogLogIntervalByHand) {
  // At t = 4 (S = 0.56): Greenwood sum d/(n(n-d)) = 1/(10*9) + 2/(9*7) + 1/(5*4)
  //   = (14 + 40 + 63) / 1260 = 117/1260 = 0.0928571; sqrt = 0.3047247.
  // log S = ln 0.56 = -0.5798185; se of log(-log S) = 0.3047247 / 0.5798185 = 0.5255519;
  // w = z * 0.5255519 = 1.0300628; e^w = 2.801242, e^-w = 0.356985.
  // lower = 0.56^2.801242 = exp(-1.624212) = 0.197067; upper = 0.56^0.356985 = exp(-0.206986) = 0.813031.
  // (Kalbfleisch & Prentice 1980 eq. 1.10; R: survfit(..., conf.type = "log-log").)
  const std::vector<km_observation> obs = ten_courses();
  const km_curve k = kaplan_meier(obs).value();
  const km_step& at4 = k.steps[3];
  EXPECT_NEAR(at4.lower, 0.197067, 1e-6);
  EXPECT_NEAR(at4.upper, 0.813031, 1e-6);
  // The censoring-only step after it carries the same band.
  EXPECT_EQ(k.steps[4].lower, at4.lower);
  EXPECT_EQ(k.steps[4].upper, at4.upper);
  // At t = 1 (S = 0.9): sum = 1/90, sqrt = 0.1054093, ln 0.9 = -0.1053605, se = 1.0004629,
  // w = 1.9608707: lower = 0.9^7.1052 = 0.473009 (so the median's lower limit is already 1);
  // at t = 6 (S = 0.3733): upper = 0.699321 > 0.5 (so the median's upper limit is not reached).
  EXPECT_NEAR(k.steps[0].lower, 0.473009, 1e-6);
  EXPECT_NEAR(k.steps[5].upper, 0.699321, 1e-6);
  ASSERT_TRUE(k.median_lower);
  EXPECT_EQ(*k.median_lower, 1.0);
  EXPECT_FALSE(k.median_upper);
}

TEST(KaplanMeier, MedianIntervalReadOffTheBand) {
  // 20 courses, one response at each of the times 1..20, no censoring: after k events
  // S = (20 - k)/20 and the Greenwood sum telescopes: sum_{n=21-k}^{20} 1/(n(n-1)) = k / (20 (20 - k)).
  // Median: S(10) = 10/20 = 0.5 <= 0.5, the first such time -> 10.
  // Lower limit (first t with lower <= 0.5):
  //   k = 4: S = 0.8, sum = 0.0125, sqrt = 0.1118034, ln 0.8 = -0.2231436, w = z * 0.501038 = 0.9820164,
  //          lower = 0.8^2.669834 = exp(-0.595756) = 0.551146 > 0.5
  //   k = 5: S = 0.75, sum = 1/60, sqrt = 0.1290994, ln 0.75 = -0.2876821, w = z * 0.4487574 = 0.8795482,
  //          lower = 0.75^2.409811 = exp(-0.693259) = 0.499944 <= 0.5  -> 5
  // Upper limit (first t with upper <= 0.5):
  //   k = 14: S = 0.3, sum = 14/120, sqrt = 0.341565, ln 0.3 = -1.2039728, w = z * 0.2836983 = 0.5560384,
  //           upper = 0.3^0.573476 = exp(-0.690450) = 0.501350 > 0.5
  //   k = 15: S = 0.25, sum = 0.15, sqrt = 0.3872983, ln 0.25 = -1.3862944, w = z * 0.2793767 = 0.5475683,
  //           upper = 0.25^0.578355 = exp(-0.801770) = 0.448535 <= 0.5  -> 15
  std::vector<km_observation> obs;
  for (int t = 1; t <= 20; ++t) obs.push_back({static_cast<double>(t), true});
  const km_curve k = kaplan_meier(obs).value();
  ASSERT_EQ(k.steps.size(), 20U);
  EXPECT_NEAR(k.steps[3].lower, 0.551146, 1e-6);
  EXPECT_NEAR(k.steps[4].lower, 0.499944, 1e-6);
  EXPECT_NEAR(k.steps[13].upper, 0.501350, 1e-6);
  EXPECT_NEAR(k.steps[14].upper, 0.448535, 1e-6);
  ASSERT_TRUE(k.median && k.median_lower && k.median_upper);
  EXPECT_EQ(*k.median, 10.0);
  EXPECT_EQ(*k.median_lower, 5.0);
  EXPECT_EQ(*k.median_upper, 15.0);
  // The last subject responds: S = 0, the band is [0, the previous upper limit].
  EXPECT_EQ(k.steps[19].survival, 0.0);
  EXPECT_EQ(k.steps[19].lower, 0.0);
  EXPECT_EQ(k.steps[19].upper, k.steps[18].upper);
}

TEST(KaplanMeier, MedianNotReached) {
  // 1*, 2+, 3+, 4+: S = 3/4 from t = 1 on, never <= 0.5 -> no median.
  // At t = 1: sum = 1/(4*3) = 1/12, sqrt = 0.2886751, ln 0.75 = -0.2876821, w = z * 1.0034519 = 1.9667297,
  // lower = 0.75^7.147264 = 0.127947 (<= 0.5: the lower limit is 1), upper = 0.75^0.139914 = 0.960549.
  const std::vector<km_observation> obs{{1, true}, {2, false}, {3, false}, {4, false}};
  const km_curve k = kaplan_meier(obs).value();
  EXPECT_FALSE(k.median);
  EXPECT_FALSE(k.median_upper);
  ASSERT_TRUE(k.median_lower);
  EXPECT_EQ(*k.median_lower, 1.0);
  EXPECT_NEAR(k.steps[0].lower, 0.127947, 1e-6);
  EXPECT_NEAR(k.steps[0].upper, 0.960549, 1e-6);
  EXPECT_EQ(k.steps.back().survival, 0.75);
}

TEST(KaplanMeier, NobodyResponds) {
  const std::vector<km_observation> obs{{3, false}, {3, false}, {6, false}};
  const km_curve k = kaplan_meier(obs).value();
  EXPECT_EQ(k.events, 0U);
  ASSERT_EQ(k.steps.size(), 2U);
  EXPECT_EQ(k.steps[0].at_risk, 3U);
  EXPECT_EQ(k.steps[0].censored, 2U);
  for (const km_step& s : k.steps) {
    EXPECT_EQ(s.survival, 1.0);
    EXPECT_EQ(s.lower, 1.0);
    EXPECT_EQ(s.upper, 1.0);
  }
  EXPECT_FALSE(k.median);
  EXPECT_FALSE(k.median_lower);
  EXPECT_FALSE(k.median_upper);
}

TEST(KaplanMeier, InputOrderDoesNotMatter) {
  std::vector<km_observation> obs = ten_courses();
  const km_curve a = kaplan_meier(obs).value();
  std::reverse(obs.begin(), obs.end());
  EXPECT_EQ(kaplan_meier(obs).value(), a);
}

TEST(KaplanMeier, ErrorCases) {
  expect_error(kaplan_meier({}), errc::missing_item, "kaplan_meier: needs at least 1 observation, got 0");
  const std::vector<km_observation> negative{{1, true}, {-1, true}};
  expect_error(kaplan_meier(negative), errc::out_of_range, "kaplan_meier: observations[1].time -1 is negative");
  const std::vector<km_observation> nan{{NAN, false}};
  expect_error(kaplan_meier(nan), errc::out_of_range, "kaplan_meier: observations[0].time is not finite");
  const std::vector<km_observation> fine{{1, true}};
  expect_error(kaplan_meier(fine, 2.0), errc::out_of_range, "kaplan_meier: confidence 2 is outside (0, 1)");
}

TEST(SurvivalAt, IsTheRightContinuousStepFunction) {
  const std::vector<km_observation> obs = ten_courses();
  const km_curve k = kaplan_meier(obs).value();
  EXPECT_EQ(survival_at(k, 0.0), 1.0);
  EXPECT_EQ(survival_at(k, 0.999), 1.0);
  EXPECT_NEAR(survival_at(k, 1.0), 0.9, 1e-15);
  EXPECT_NEAR(survival_at(k, 2.0), 0.7, 1e-15);
  EXPECT_NEAR(survival_at(k, 3.5), 0.7, 1e-15);
  EXPECT_NEAR(survival_at(k, 4.0), 0.56, 1e-15);
  EXPECT_NEAR(survival_at(k, 100.0), 0.56 * 2 / 3, 1e-15);
  EXPECT_TRUE(std::isnan(survival_at(k, NAN)));
  EXPECT_EQ(survival_at(km_curve{}, 5.0), 1.0);
}

// --- completeness ------------------------------------------------------------------------------

TEST(Completeness, CountsUsableCoursesAndReasons) {
  const std::vector<std::string> reasons{"", "no assessment after baseline", "", "dropped out",
                                         "no assessment after baseline"};
  const completeness c = summarize_completeness(reasons);
  EXPECT_EQ(c.total, 5U);
  EXPECT_EQ(c.usable, 2U);
  const std::map<std::string, std::size_t> expected{{"dropped out", 1}, {"no assessment after baseline", 2}};
  EXPECT_EQ(c.excluded_by_reason, expected);
  EXPECT_EQ(summarize_completeness({}), completeness{});
}

// --- JSON --------------------------------------------------------------------------------------

TEST(StatsJson, PrintsDescribedResults) {
  const std::vector<std::string> reasons{"", "dropped out", "no assessment after baseline"};
  EXPECT_EQ(kap::json::to_string(summarize_completeness(reasons)),
            R"({"total":3,"usable":1,"excluded_by_reason":{"dropped out":1,"no assessment after baseline":1}})");
  EXPECT_EQ(kap::json::to_string(wilson(0, 10).value())
                .rfind(R"({"successes":0,"n":10,"estimate":0,"lower":0,"upper":0.27)", 0),
            0U);
  EXPECT_EQ(kap::json::to_string(newcombe(10, 10, 0, 10).value()).rfind(R"({"difference":1,"lower":0.607)", 0), 0U);
  // An unreached median is omitted, not null.
  const std::vector<km_observation> obs{{1, false}};
  EXPECT_EQ(
      kap::json::to_string(kaplan_meier(obs).value()),
      R"({"n":1,"events":0,"steps":[{"time":1,"at_risk":1,"events":0,"censored":1,"survival":1,"lower":1,"upper":1}]})");
}

// Boost.JSON 1.81 (no `numbers::precise` parse option) may read a double back 1 ulp away from
// the shortest text kap writes, so doubles are compared to 4 ulps (EXPECT_DOUBLE_EQ).
void expect_same(const km_curve& a, const km_curve& b) {
  EXPECT_EQ(a.n, b.n);
  EXPECT_EQ(a.events, b.events);
  EXPECT_EQ(a.median, b.median);  // times are small integers here: exact
  EXPECT_EQ(a.median_lower, b.median_lower);
  EXPECT_EQ(a.median_upper, b.median_upper);
  ASSERT_EQ(a.steps.size(), b.steps.size());
  for (std::size_t i = 0; i < a.steps.size(); ++i) {
    EXPECT_EQ(a.steps[i].time, b.steps[i].time);
    EXPECT_EQ(a.steps[i].at_risk, b.steps[i].at_risk);
    EXPECT_EQ(a.steps[i].events, b.steps[i].events);
    EXPECT_EQ(a.steps[i].censored, b.steps[i].censored);
    EXPECT_DOUBLE_EQ(a.steps[i].survival, b.steps[i].survival);
    EXPECT_DOUBLE_EQ(a.steps[i].lower, b.steps[i].lower);
    EXPECT_DOUBLE_EQ(a.steps[i].upper, b.steps[i].upper);
  }
}

TEST(StatsJson, RoundTrips) {
  const std::vector<double> xs{2, 4, 4, 4, 5, 5, 7, 9};
  const std::vector<km_observation> obs = ten_courses();
  const std::vector<std::string> reasons{"", "dropped out"};
  const proportion p = wilson(81, 263).value();
  const auto p2 = kap::json::from_string<proportion>(kap::json::to_string(p)).value();
  EXPECT_EQ(p2.successes, p.successes);
  EXPECT_EQ(p2.n, p.n);
  EXPECT_DOUBLE_EQ(p2.estimate, p.estimate);
  EXPECT_DOUBLE_EQ(p2.lower, p.lower);
  EXPECT_DOUBLE_EQ(p2.upper, p.upper);
  const proportion_difference d = newcombe(56, 70, 48, 80).value();
  const auto d2 = kap::json::from_string<proportion_difference>(kap::json::to_string(d)).value();
  EXPECT_DOUBLE_EQ(d2.difference, d.difference);
  EXPECT_DOUBLE_EQ(d2.lower, d.lower);
  EXPECT_DOUBLE_EQ(d2.upper, d.upper);
  const mean_interval m = mean_ci(xs).value();
  const auto m2 = kap::json::from_string<mean_interval>(kap::json::to_string(m)).value();
  EXPECT_EQ(m2.n, m.n);
  EXPECT_DOUBLE_EQ(m2.mean, m.mean);
  EXPECT_DOUBLE_EQ(m2.sd, m.sd);
  EXPECT_DOUBLE_EQ(m2.lower, m.lower);
  EXPECT_DOUBLE_EQ(m2.upper, m.upper);
  const km_curve k = kaplan_meier(obs).value();
  expect_same(kap::json::from_string<km_curve>(kap::json::to_string(k)).value(), k);
  const completeness c = summarize_completeness(reasons);
  EXPECT_EQ(kap::json::from_string<completeness>(kap::json::to_string(c)).value(), c);
  EXPECT_EQ(kap::json::from_string<km_observation>(R"({"time":2.5,"event":true})").value(),
            (km_observation{2.5, true}));
}

}  // namespace
