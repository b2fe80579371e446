#include <kap/course/stats.hpp>

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

namespace {

using namespace kap::stats;

TEST(Quantiles, NormalAndStudentT) {
  EXPECT_NEAR(z_critical(0.95), 1.959964, 1e-6);
  EXPECT_NEAR(z_critical(0.99), 2.575829, 1e-6);
  // Two-sided 95% t table values.
  EXPECT_NEAR(t_critical(1), 12.706, 1e-3);
  EXPECT_NEAR(t_critical(2), 4.303, 1e-3);
  EXPECT_NEAR(t_critical(5), 2.571, 1e-3);
  EXPECT_NEAR(t_critical(10), 2.228, 1e-3);
  EXPECT_NEAR(t_critical(30), 2.042, 1e-3);
  EXPECT_NEAR(t_critical(100), 1.984, 1e-3);
}

TEST(Wilson, WorkedValues) {
  // 0/10: upper = z^2 / (n + z^2) = 3.8415 / 13.8415 = 0.2775.
  auto none = wilson(0, 10).value();
  EXPECT_EQ(none.lower, 0.0);
  EXPECT_NEAR(none.upper, 0.2775, 1e-4);
  // 10/10: lower = n / (n + z^2) = 10 / 13.8415 = 0.7225; upper exactly 1.
  auto all = wilson(10, 10).value();
  EXPECT_NEAR(all.lower, 0.7225, 1e-4);
  EXPECT_EQ(all.upper, 1.0);
  // 7/10: centre (7 + 1.9207) / 13.8415 = 0.6445; half 1.96 * sqrt(2.1 + 0.9604) / 13.8415 = 0.2477.
  auto seven = wilson(7, 10).value();
  EXPECT_NEAR(seven.estimate, 0.7, 1e-12);
  EXPECT_NEAR(seven.lower, 0.3968, 1e-4);
  EXPECT_NEAR(seven.upper, 0.8922, 1e-4);
  // 81/263 (Newcombe 1998 Table I): 0.2553 to 0.3662.
  auto n81 = wilson(81, 263).value();
  EXPECT_NEAR(n81.lower, 0.2553, 1e-4);
  EXPECT_NEAR(n81.upper, 0.3662, 1e-4);
}

TEST(Wilson, BadInput) {
  auto empty = wilson(0, 0);
  ASSERT_FALSE(empty);
  EXPECT_EQ(empty.error().code, kap::errc::out_of_range);
  EXPECT_EQ(empty.error().message, "a proportion needs at least one observation");
  EXPECT_EQ(wilson(3, 2).error().message, "successes exceed the number of observations");
  EXPECT_EQ(wilson(1, 2, 1.5).error().message, "confidence must be between 0 and 1 (exclusive)");
}

TEST(Newcombe, PublishedExample) {
  // Newcombe 1998, Stat Med 17:873, example (a): 56/70 vs 48/80, method 10: 0.0524 to 0.3339.
  auto d = newcombe(56, 70, 48, 80).value();
  EXPECT_NEAR(d.difference, 0.2, 1e-12);
  EXPECT_NEAR(d.lower, 0.0524, 1e-4);
  EXPECT_NEAR(d.upper, 0.3339, 1e-4);
  EXPECT_FALSE(newcombe(1, 0, 1, 2));
}

TEST(MeanInterval, ByHand) {
  // 2, 4, 6, 8: mean 5, sd sqrt(20/3) = 2.5820, half = 3.1824 * 2.5820 / 2 = 4.1085.
  const std::vector<double> xs{2, 4, 6, 8};
  auto m = mean_ci(xs).value();
  EXPECT_DOUBLE_EQ(m.mean, 5.0);
  EXPECT_NEAR(m.sd, 2.5820, 1e-4);
  EXPECT_NEAR(m.lower, 0.8915, 1e-3);
  EXPECT_NEAR(m.upper, 9.1085, 1e-3);
  const std::vector<double> one{3};
  EXPECT_EQ(mean_ci(one).error().message, "a mean interval needs at least 2 values");
}

TEST(EffectSizes, ByHand) {
  // Differences after - before: -4, -6, -2, -8: mean -5, sd 2.5820 -> d_z = -1.9365.
  const std::vector<double> before{20, 18, 15, 22};
  const std::vector<double> after{16, 12, 13, 14};
  EXPECT_NEAR(cohen_dz(before, after).value(), -1.9365, 1e-4);
  // a = 1,2,3 (mean 2, sd 1), b = 3,4,5 (mean 4, sd 1): pooled 1, J = 1 - 3/15 = 0.8, g = -1.6.
  const std::vector<double> a{1, 2, 3};
  const std::vector<double> b{3, 4, 5};
  EXPECT_NEAR(hedges_g(a, b).value(), -1.6, 1e-12);
  const std::vector<double> flat{2, 2, 2};
  EXPECT_EQ(hedges_g(flat, flat).error().message, "the groups have no variance");
  const std::vector<double> shifted{3, 3, 3};
  EXPECT_EQ(cohen_dz(flat, shifted).error().message, "the differences have no variance");
  const std::vector<double> two{1, 2};
  EXPECT_EQ(cohen_dz(a, two).error().message, "paired scores differ in number");
}

TEST(KaplanMeier, TiesAndCensoringByHand) {
  // Times (event = responded): 1*, 2*, 2*, 2 (censored), 3*, 4 (censored), 5*.
  // t=1: 7 at risk, 1 event  -> S = 6/7 = 0.857143
  // t=2: 6 at risk, 2 events, 1 censored (events first) -> S = 6/7 * 4/6 = 0.571429
  // t=3: 3 at risk, 1 event  -> S = 0.571429 * 2/3 = 0.380952
  // t=4: 2 at risk, 1 censored
  // t=5: 1 at risk, 1 event  -> S = 0
  const std::vector<km_observation> obs{{2, true}, {1, true}, {2, false}, {2, true}, {3, true}, {4, false}, {5, true}};
  auto k = kaplan_meier(obs).value();
  ASSERT_EQ(k.steps.size(), 5U);
  EXPECT_EQ(k.n, 7U);
  EXPECT_EQ(k.events, 5U);
  EXPECT_EQ(k.steps[1].at_risk, 6U);
  EXPECT_EQ(k.steps[1].events, 2U);
  EXPECT_EQ(k.steps[1].censored, 1U);
  EXPECT_NEAR(k.steps[0].survival, 6.0 / 7, 1e-12);
  EXPECT_NEAR(k.steps[1].survival, 4.0 / 7, 1e-12);
  EXPECT_NEAR(k.steps[2].survival, 8.0 / 21, 1e-12);
  EXPECT_EQ(k.steps[4].survival, 0.0);
  // Greenwood at t=2: sum d/(r(r-d)) = 1/(7*6) + 2/(6*4) = 0.0238095 + 0.0833333 = 0.1071429;
  // log S = log(4/7) = -0.5596158; se = sqrt(0.1071429)/0.5596158 = 0.5849254;
  // lower = S^exp(1.959964*0.5849254) = 0.571429^3.14746 = 0.1717; upper = 0.571429^0.317719 = 0.8372.
  EXPECT_NEAR(k.steps[1].lower, 0.1717, 1e-3);
  EXPECT_NEAR(k.steps[1].upper, 0.8372, 1e-3);
  ASSERT_TRUE(k.median);
  EXPECT_EQ(*k.median, 3.0);  // first S <= 0.5
  EXPECT_EQ(survival_at(k, 2.5), k.steps[1].survival);
  EXPECT_EQ(survival_at(k, 0.5), 1.0);
}

TEST(KaplanMeier, MedianNotReachedAndBadInput) {
  const std::vector<km_observation> few{{1, true}, {2, false}, {3, false}, {4, false}};
  auto k = kaplan_meier(few).value();
  EXPECT_FALSE(k.median);  // S = 0.75 at the end
  EXPECT_FALSE(k.median_upper);
  EXPECT_EQ(kaplan_meier({}).error().message, "a survival curve needs at least one observation");
  const std::vector<km_observation> negative{{-1, true}};
  EXPECT_EQ(kaplan_meier(negative).error().message, "times must be finite and not negative");
}

TEST(Completeness, CountsReasons) {
  auto c = summarize_completeness({"", "no assessment after baseline", "", "no assessment after baseline"});
  EXPECT_EQ(c.total, 4U);
  EXPECT_EQ(c.usable, 2U);
  EXPECT_EQ(c.excluded_by_reason.at("no assessment after baseline"), 2U);
}

}  // namespace
