#include <kap/measures/series.hpp>

#include <gtest/gtest.h>

#include <string_view>
#include <vector>

namespace {

using kap::errc;
using kap::measures::course_observation;
using kap::measures::course_options;
using kap::measures::course_point;
using kap::measures::course_summary;
using kap::measures::instrument_id;
using kap::measures::summarize_course;

course_summary must_summarize(instrument_id id, const std::vector<course_observation>& series,
                              const course_options& o = {}) {
  auto r = summarize_course(id, series, o);
  EXPECT_TRUE(r.has_value()) << (r.has_value() ? "" : r.error().message);
  return r.has_value() ? *r : course_summary{};
}

void expect_course_error(instrument_id id, const std::vector<course_observation>& series, errc code,
                         std::string_view message, const course_options& o = {}) {
  auto r = summarize_course(id, series, o);
  ASSERT_FALSE(r.has_value()) << "expected: " << message;
  EXPECT_EQ(r.error().code, code) << r.error().message;
  EXPECT_EQ(r.error().message, message);
}

TEST(CourseSummary, FirstResponseRemissionBestAndLast) {
  // PHQ-9 weekly, dates as day numbers from 100: response needs <= 10 (50% of 20), remission < 5.
  const std::vector<course_observation> s{{100, 20}, {107, 15}, {114, 10}, {121, 9}, {128, 4}, {135, 8}};
  const course_summary c = must_summarize(instrument_id::phq9, s);
  EXPECT_EQ(c.instrument, "phq9");
  EXPECT_EQ(c.observations, 6);
  EXPECT_EQ(c.baseline, (course_point{0, 0, 20}));
  EXPECT_EQ(c.first_response, (course_point{2, 14, 10}));
  EXPECT_EQ(c.first_remission, (course_point{4, 28, 4}));
  EXPECT_EQ(c.remission_rule, "lt5");
  EXPECT_TRUE(c.sustained_response);
  EXPECT_EQ(c.sustained_since, (course_point{2, 14, 10}));
  EXPECT_EQ(c.best, (course_point{4, 28, 4}));
  EXPECT_EQ(c.last, (course_point{5, 35, 8}));
}

TEST(CourseSummary, ResponseAfterOneSessionIsIndexOne) {
  // The KAP claim: response after a single session, on day 1.
  const course_summary c = must_summarize(instrument_id::madrs, {{0, 34}, {1, 17}, {7, 16}});
  EXPECT_EQ(c.first_response, (course_point{1, 1, 17}));
  EXPECT_FALSE(c.first_remission.has_value());  // MADRS <= 12
  EXPECT_TRUE(c.sustained_response);
}

TEST(CourseSummary, LostResponseRestartsTheRun) {
  // Responds at index 1, loses it at 2, responds again only at the last assessment.
  const course_summary c = must_summarize(instrument_id::phq9, {{0, 20}, {7, 10}, {14, 14}, {21, 9}});
  EXPECT_EQ(c.first_response, (course_point{1, 7, 10}));
  EXPECT_FALSE(c.sustained_response);  // the final run has 1 assessment; 2 are needed
  EXPECT_FALSE(c.sustained_since.has_value());
  course_options o;
  o.sustained_min_observations = 1;
  const course_summary one = must_summarize(instrument_id::phq9, {{0, 20}, {7, 10}, {14, 14}, {21, 9}}, o);
  EXPECT_TRUE(one.sustained_response);
  EXPECT_EQ(one.sustained_since, (course_point{3, 21, 9}));
}

TEST(CourseSummary, SustainedNeedsTheMinimumSpanOfDays) {
  const std::vector<course_observation> s{{0, 20}, {7, 10}, {14, 9}, {21, 8}};
  course_options o;
  o.sustained_min_days = 14;  // run 7..21 spans 14 days
  EXPECT_TRUE(must_summarize(instrument_id::phq9, s, o).sustained_response);
  o.sustained_min_days = 15;
  EXPECT_FALSE(must_summarize(instrument_id::phq9, s, o).sustained_response);
}

TEST(CourseSummary, ResponseThresholdAndRemissionRuleAreConfigurable) {
  const std::vector<course_observation> s{{0, 30}, {7, 20}, {14, 11}, {21, 10}};
  course_options o;
  o.response_percent = 30;  // 20 is a 33% reduction
  const course_summary c = must_summarize(instrument_id::madrs, s, o);
  EXPECT_EQ(c.first_response, (course_point{1, 7, 20}));
  EXPECT_EQ(c.first_remission, (course_point{2, 14, 11}));  // <= 12 (TRANSFORM)
  o.remission_rule = "le10";
  const course_summary strict = must_summarize(instrument_id::madrs, s, o);
  EXPECT_EQ(strict.first_remission, (course_point{3, 21, 10}));
  EXPECT_EQ(strict.remission_rule, "le10");
}

TEST(CourseSummary, BaselineOnly) {
  const course_summary c = must_summarize(instrument_id::gad7, {{5, 12}});
  EXPECT_EQ(c.observations, 1);
  EXPECT_FALSE(c.first_response.has_value());
  EXPECT_FALSE(c.first_remission.has_value());
  EXPECT_FALSE(c.sustained_response);
  EXPECT_EQ(c.best, (course_point{0, 0, 12}));
  EXPECT_EQ(c.last, (course_point{0, 0, 12}));
}

TEST(CourseSummary, BestIsTheFirstLowestAndMayBeTheBaseline) {
  EXPECT_EQ(must_summarize(instrument_id::phq9, {{0, 8}, {7, 12}, {14, 9}}).best, (course_point{0, 0, 8}));
  EXPECT_EQ(must_summarize(instrument_id::phq9, {{0, 20}, {7, 6}, {14, 6}}).best, (course_point{1, 7, 6}));
}

TEST(CourseSummary, BaselineInRemissionIsNotAFirstRemission) {
  const course_summary c = must_summarize(instrument_id::phq9, {{0, 3}, {7, 6}, {14, 4}});
  EXPECT_EQ(c.first_remission, (course_point{2, 14, 4}));
}

TEST(CourseSummaryErrors, BadSeriesNamesTheScore) {
  expect_course_error(instrument_id::phq9, {}, errc::missing_field, "a course needs at least one score (the baseline)");
  expect_course_error(instrument_id::phq9, {{0, 20}, {7, 10}, {14, 30}}, errc::out_of_range,
                      "score 2: 30 is outside 0-27");
  expect_course_error(instrument_id::phq9, {{0, 20}, {7, 10}, {6, 9}}, errc::out_of_order,
                      "score 2: day 6 is earlier than day 7");
  expect_course_error(instrument_id::meq30, {{0, 20}}, errc::unknown_instrument,
                      "meq30 is not a symptom scale, so course analytics are not defined for it");
  expect_course_error(static_cast<instrument_id>(42), {{0, 20}, {7, 5}}, errc::unknown_instrument,
                      "unknown instrument id 42 (known: phq9, gad7, qids-sr16, pcl5, madrs, hamd17, bdi2, cadss, "
                      "cssrs-screen, ebi, meq30)");
  course_options o;
  o.sustained_min_observations = 0;
  expect_course_error(instrument_id::phq9, {{0, 20}}, errc::out_of_range,
                      "sustained_min_observations 0 must be at least 1", o);
  o = {};
  o.remission_rule = "le3";
  expect_course_error(instrument_id::phq9, {{0, 20}}, errc::unknown_enum, "phq9 has no remission rule \"le3\" (lt5)", o);
}

}  // namespace
