#include <kap/measures/change.hpp>

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <string_view>

namespace {

using kap::errc;
using kap::measures::change_category;
using kap::measures::change_options;
using kap::measures::change_report;
using kap::measures::compute_change;
using kap::measures::instrument_id;

change_report must_change(instrument_id id, int baseline, int current, const change_options& o = {}) {
  auto r = compute_change(id, baseline, current, o);
  EXPECT_TRUE(r.has_value()) << (r.has_value() ? "" : r.error().message);
  return r.has_value() ? *r : change_report{};
}

void expect_change_error(instrument_id id, int baseline, int current, const change_options& o, errc code,
                         std::string_view message) {
  auto r = compute_change(id, baseline, current, o);
  ASSERT_FALSE(r.has_value()) << "expected: " << message;
  EXPECT_EQ(r.error().code, code) << r.error().message;
  EXPECT_EQ(r.error().message, message);
}

// ---------------------------------------------------------------------------------------------
// Jacobson & Truax (1991) reliable change, computed by hand:
//   SE = SD * sqrt(1 - r);  S_diff = sqrt(2) * SE;  RCI = (current - baseline) / S_diff
// PHQ-9 defaults SD 5.5, r 0.84: SE = 5.5 * 0.4 = 2.2; S_diff = 1.41421356 * 2.2 = 3.111270;
// smallest reliable change 1.96 * 3.111270 = 6.098089 points. PHQ-9 cut-off 10.

constexpr double tol = 1e-5;

struct rci_case {
  int baseline;
  int current;
  double rci;
  bool reliable;
  change_category category;
};

constexpr rci_case phq9_rci_cases[] = {
    {18, 8, -3.214122, true, change_category::recovered},    // reliable, 18 >= 10 -> 8 < 10
    {20, 12, -2.571297, true, change_category::improved},    // reliable, still >= 10
    {15, 9, -1.928473, false, change_category::unchanged},   // -6 points: crosses 10 but not reliable
    {15, 8, -2.249885, true, change_category::recovered},    // -7 points: reliable
    {5, 12, 2.249885, true, change_category::deteriorated},  // +7 points
    {10, 16, 1.928473, false, change_category::unchanged},   // +6 points: not reliable
    {9, 1, -2.571297, true, change_category::improved},      // reliable, but started below 10
};

TEST(ReliableChange, Phq9DefaultsByHand) {
  for (const rci_case& c : phq9_rci_cases) {
    SCOPED_TRACE(std::to_string(c.baseline) + " -> " + std::to_string(c.current));
    const change_report r = must_change(instrument_id::phq9, c.baseline, c.current);
    ASSERT_TRUE(r.rci.has_value());
    EXPECT_NEAR(*r.rci, c.rci, tol);
    EXPECT_NEAR(*r.sdiff, 3.111270, tol);
    EXPECT_NEAR(*r.reliable_change_min, 6.098089, tol);
    EXPECT_EQ(r.sd, 5.5);
    EXPECT_EQ(r.reliability, 0.84);
    EXPECT_EQ(r.reliable, c.reliable);
    EXPECT_EQ(r.category, c.category);
  }
}

TEST(ReliableChange, OverriddenSdAndReliability) {
  // SD 4, r 0.75: SE = 4 * 0.5 = 2; S_diff = 2.828427; 20 -> 14 gives -6 / 2.828427 = -2.121320.
  change_options o;
  o.sd = 4.0;
  o.reliability = 0.75;
  const change_report r = must_change(instrument_id::phq9, 20, 14, o);
  EXPECT_NEAR(*r.sdiff, 2.828427, tol);
  EXPECT_NEAR(*r.rci, -2.121320, tol);
  EXPECT_EQ(r.reliable, true);
  EXPECT_EQ(r.category, change_category::improved);
  // With the defaults the same change is not reliable.
  EXPECT_EQ(must_change(instrument_id::phq9, 20, 14).reliable, false);
}

TEST(ReliableChange, Gad7DefaultsByHand) {
  // SD 4.5, r 0.87: SE = 4.5 * sqrt(0.13) = 1.622498; S_diff = 2.294559. Cut-off 8.
  const change_report improved = must_change(instrument_id::gad7, 15, 10);
  EXPECT_NEAR(*improved.rci, -2.179068, tol);
  EXPECT_EQ(improved.category, change_category::improved);
  const change_report recovered = must_change(instrument_id::gad7, 15, 7);
  EXPECT_NEAR(*recovered.rci, -3.486509, tol);
  EXPECT_EQ(recovered.category, change_category::recovered);
}

TEST(ReliableChange, AbsentWithoutSdOrReliability) {
  // MADRS has neither default; BDI-II has a reliability (Beck 1996) but no SD.
  const change_report madrs = must_change(instrument_id::madrs, 30, 12);
  EXPECT_FALSE(madrs.rci.has_value());
  EXPECT_FALSE(madrs.reliable.has_value());
  EXPECT_FALSE(madrs.category.has_value());
  const change_report bdi = must_change(instrument_id::bdi2, 30, 20);
  EXPECT_FALSE(bdi.rci.has_value());
  change_options o;
  o.sd = 10.0;  // SE = 10 * sqrt(0.07) = 2.645751; S_diff = 3.741657; -10 / 3.741657 = -2.672612
  const change_report with_sd = must_change(instrument_id::bdi2, 30, 20, o);
  EXPECT_NEAR(*with_sd.rci, -2.672612, tol);
  EXPECT_EQ(with_sd.reliability, 0.93);
  EXPECT_EQ(with_sd.cutoff, 14.0);  // remission <= 13, so functional below 14
  EXPECT_EQ(with_sd.category, change_category::improved);
}

TEST(ReliableChange, MadrsCutOffFollowsTheRemissionRule) {
  // SD 6, r 0.8: SE = 6 * sqrt(0.2) = 2.683282; S_diff = 3.794733; -18 / 3.794733 = -4.743416.
  change_options o;
  o.sd = 6.0;
  o.reliability = 0.8;
  const change_report transform = must_change(instrument_id::madrs, 30, 12, o);
  EXPECT_NEAR(*transform.rci, -4.743416, tol);
  EXPECT_EQ(transform.cutoff, 13.0);
  EXPECT_EQ(transform.category, change_category::recovered);
  o.remission_rule = "le10";
  const change_report strict = must_change(instrument_id::madrs, 30, 12, o);
  EXPECT_EQ(strict.cutoff, 11.0);
  EXPECT_EQ(strict.category, change_category::improved);
  o.cutoff = 20.0;
  EXPECT_EQ(must_change(instrument_id::madrs, 30, 12, o).category, change_category::recovered);
}

// ---------------------------------------------------------------------------------------------
// Change, response, remission, MCID

TEST(Change, AbsoluteAndPercent) {
  const change_report r = must_change(instrument_id::phq9, 20, 5);
  EXPECT_EQ(r.instrument, "phq9");
  EXPECT_EQ(r.change, -15);
  EXPECT_EQ(r.percent_change, -75.0);
  const change_report worse = must_change(instrument_id::phq9, 8, 10);
  EXPECT_EQ(worse.change, 2);
  EXPECT_EQ(worse.percent_change, 25.0);
}

TEST(Change, ZeroBaselineHasNoPercentAndNoResponse) {
  const change_report r = must_change(instrument_id::phq9, 0, 0);
  EXPECT_FALSE(r.percent_change.has_value());
  EXPECT_EQ(r.response, false);
}

struct response_case {
  int baseline;
  int current;
  int percent;
  bool response;
};

constexpr response_case response_cases[] = {
    {10, 5, 50, true},  {10, 6, 50, false}, {15, 7, 50, true},  {15, 8, 50, false},  // 53% / 47%
    {27, 13, 50, true}, {27, 14, 50, false},                                          // 51.9% / 48.1%
    {10, 4, 60, true},  {10, 5, 60, false}, {20, 15, 25, true}, {20, 16, 25, false},
};

TEST(Change, ResponseBoundaries) {
  for (const response_case& c : response_cases) {
    SCOPED_TRACE(std::to_string(c.baseline) + " -> " + std::to_string(c.current) + " at " + std::to_string(c.percent));
    change_options o;
    o.response_percent = c.percent;
    const change_report r = must_change(instrument_id::phq9, c.baseline, c.current, o);
    EXPECT_EQ(r.response, c.response);
    EXPECT_EQ(r.response_percent, c.percent);
  }
}

struct remission_case {
  instrument_id id;
  std::string_view rule;
  int current;
  bool remission;
  int max;
};

constexpr remission_case remission_cases[] = {
    {instrument_id::phq9, "", 4, true, 4},       {instrument_id::phq9, "", 5, false, 4},
    {instrument_id::gad7, "", 4, true, 4},       {instrument_id::gad7, "", 5, false, 4},
    {instrument_id::qids_sr16, "", 5, true, 5},  {instrument_id::qids_sr16, "", 6, false, 5},
    {instrument_id::hamd17, "", 7, true, 7},     {instrument_id::hamd17, "", 8, false, 7},
    {instrument_id::madrs, "", 12, true, 12},    {instrument_id::madrs, "", 13, false, 12},
    {instrument_id::madrs, "le10", 10, true, 10}, {instrument_id::madrs, "le10", 11, false, 10},
    {instrument_id::bdi2, "", 13, true, 13},     {instrument_id::bdi2, "", 14, false, 13},
};

TEST(Change, RemissionBoundariesPerInstrument) {
  for (const remission_case& c : remission_cases) {
    SCOPED_TRACE(std::string(kap::measures::to_string(c.id)) + " " + std::string(c.rule) + " " +
                 std::to_string(c.current));
    change_options o;
    o.remission_rule = c.rule;
    const change_report r = must_change(c.id, 20, c.current, o);
    EXPECT_EQ(r.remission, c.remission);
    EXPECT_EQ(r.remission_max, c.max);
  }
}

TEST(Change, ExplicitRemissionThresholdWins) {
  change_options o;
  o.remission_rule = "le10";
  o.remission_max = 9;
  const change_report r = must_change(instrument_id::bdi2, 20, 9, o);
  EXPECT_EQ(r.remission, true);
  EXPECT_EQ(r.remission_rule, "custom");
  EXPECT_EQ(must_change(instrument_id::bdi2, 20, 10, o).remission, false);
}

TEST(Change, Pcl5HasNoRemissionRule) {
  const change_report r = must_change(instrument_id::pcl5, 50, 20);
  EXPECT_FALSE(r.remission.has_value());
  EXPECT_EQ(r.response, true);
  EXPECT_EQ(r.cutoff, 29.0);  // clinically significant change <= 28 (Marx/Lee)
  EXPECT_EQ(r.clinically_significant, true);
}

struct mcid_case {
  instrument_id id;
  int baseline;
  int current;
  bool met;
};

constexpr mcid_case mcid_cases[] = {
    {instrument_id::phq9, 15, 10, true},  {instrument_id::phq9, 15, 11, false},  // 5 points (Lowe 2004)
    {instrument_id::gad7, 12, 10, true},  {instrument_id::gad7, 12, 11, false},  // 1.5 points (Kounali 2020)
    {instrument_id::bdi2, 20, 16, true},  {instrument_id::bdi2, 20, 17, false},  // 3.5 points (Kounali 2020)
    {instrument_id::pcl5, 40, 30, true},  {instrument_id::pcl5, 40, 31, false},  // 10 points (NCPTSD)
};

TEST(Change, McidWherePublished) {
  for (const mcid_case& c : mcid_cases) {
    SCOPED_TRACE(std::string(kap::measures::to_string(c.id)) + " " + std::to_string(c.current));
    EXPECT_EQ(must_change(c.id, c.baseline, c.current).mcid_met, c.met);
  }
  EXPECT_FALSE(must_change(instrument_id::madrs, 30, 10).mcid_met.has_value());
  EXPECT_FALSE(must_change(instrument_id::hamd17, 30, 10).mcid_met.has_value());
}

TEST(Change, NonSymptomScalesGetChangeOnly) {
  const change_report r = must_change(instrument_id::cadss, 20, 5);
  EXPECT_EQ(r.change, -15);
  EXPECT_FALSE(r.response.has_value());
  EXPECT_FALSE(r.remission.has_value());
  EXPECT_FALSE(r.category.has_value());
  change_options o;
  o.sd = 6.0;
  o.reliability = 0.8;
  const change_report with_rci = must_change(instrument_id::meq30, 60, 90, o);
  EXPECT_NEAR(*with_rci.rci, 30.0 / 3.794733, tol);
  EXPECT_FALSE(with_rci.category.has_value());
}

TEST(Change, ByCatalogueId) {
  auto r = compute_change("qids-sr16", 16, 5);
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->remission, true);
  auto bad = compute_change("qids", 16, 5);
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().code, errc::unknown_instrument);
}

// ---------------------------------------------------------------------------------------------
// Errors

TEST(ChangeErrors, BadInputNamesTheValue) {
  const change_options defaults;
  expect_change_error(instrument_id::phq9, 28, 5, defaults, errc::out_of_range, "baseline: 28 is outside 0-27");
  expect_change_error(instrument_id::phq9, 10, -1, defaults, errc::out_of_range, "current: -1 is outside 0-27");
  expect_change_error(instrument_id::cssrs_screen, 1, 0, defaults, errc::unknown_instrument,
                      "cssrs-screen has no integer total, so change analytics are not defined for it");
  expect_change_error(instrument_id::ebi, 50, 60, defaults, errc::unknown_instrument,
                      "ebi has no integer total, so change analytics are not defined for it");
  change_options o;
  o.response_percent = 0;
  expect_change_error(instrument_id::phq9, 10, 5, o, errc::out_of_range, "response threshold 0% is outside 1-100");
  o = {};
  o.reliability = 1.0;
  expect_change_error(instrument_id::phq9, 10, 5, o, errc::out_of_range, "reliability 1 is outside [0, 1)");
  o.reliability = -0.1;
  expect_change_error(instrument_id::phq9, 10, 5, o, errc::out_of_range, "reliability -0.1 is outside [0, 1)");
  o = {};
  o.sd = 0.0;
  expect_change_error(instrument_id::phq9, 10, 5, o, errc::out_of_range, "sd 0 must be finite and greater than 0");
  o = {};
  o.remission_rule = "le11";
  expect_change_error(instrument_id::madrs, 30, 5, o, errc::unknown_enum,
                      "madrs has no remission rule \"le11\" (le12, le10)");
  expect_change_error(instrument_id::cadss, 30, 5, o, errc::unknown_enum,
                      "cadss has no remission rule \"le11\" (it has none)");
  o = {};
  o.remission_max = 28;
  expect_change_error(instrument_id::phq9, 10, 5, o, errc::out_of_range, "remission threshold 28 is outside 0-27");
}

TEST(ChangeErrors, UnknownInstrumentIdIsRefused) {
  // An integer cast to instrument_id used to get a full PHQ-9 report labelled "unknown".
  expect_change_error(static_cast<instrument_id>(42), 20, 5, {}, errc::unknown_instrument,
                      "unknown instrument id 42 (known: phq9, gad7, qids-sr16, pcl5, madrs, hamd17, bdi2, cadss, "
                      "cssrs-screen, ebi, meq30)");
}

TEST(ChangeErrors, ReliableChangeThatIsNotAFiniteNumberIsRefused) {
  // Each SD passes its own check (finite, > 0) but the figures computed from it do not.
  change_options o;
  o.sd = 1e-310;  // S_diff ~5.7e-311, and -15 / S_diff overflows: used to print "rci":null, reliable
  expect_change_error(instrument_id::phq9, 20, 5, o, errc::out_of_range,
                      "sd 1e-310 with reliability 0.84 gives a reliable change index of -inf; it must be finite");
  o.sd = 5e-324;  // S_diff underflows to 0 (and 0 / 0 would be NaN)
  expect_change_error(instrument_id::phq9, 20, 20, o, errc::out_of_range,
                      "sd 5e-324 with reliability 0.84 gives a standard error of the difference of 0; it must be "
                      "finite and greater than 0");
  o.sd = 1.7e308;
  o.reliability = 0.0;  // sqrt(2) * SD overflows
  expect_change_error(instrument_id::phq9, 20, 5, o, errc::out_of_range,
                      "sd 1.7e+308 with reliability 0 gives a standard error of the difference of inf; it must be "
                      "finite and greater than 0");
  o.sd = 1e308;  // S_diff is finite, 1.96 * S_diff is not
  expect_change_error(instrument_id::phq9, 20, 5, o, errc::out_of_range,
                      "sd 1e+308 with reliability 0 gives a smallest reliable change of inf; it must be finite");
  o.reliability = 0.84;  // 1.96 * S_diff ~1.1e308 is finite: computed
  const change_report big = must_change(instrument_id::phq9, 20, 5, o);
  EXPECT_EQ(big.reliable, false);
  EXPECT_EQ(big.category, change_category::unchanged);
}

}  // namespace
