// The course and cohort inputs are plain described structs: they travel as JSON with kap::json,
// so a host can hand a report its data as a file.

#include <kap/reports/report.hpp>
#include <kap/json.hpp>

#include "samples.hpp"

#include <gtest/gtest.h>

namespace {

namespace samples = kap::test::samples;

TEST(ReportInputJson, CourseInputRoundTrips) {
  const auto in = samples::course_sample(6);
  const std::string text = kap::json::to_string(in);
  auto back = kap::json::from_string<kap::reports::course_report_input>(text);
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(*back, in);
  EXPECT_EQ(kap::reports::render_course_html(*back), kap::reports::render_course_html(in));
}

TEST(ReportInputJson, CohortInputRoundTrips) {
  const auto in = samples::cohort_sample();
  const std::string text = kap::json::to_string(in);
  auto back = kap::json::from_string<kap::reports::cohort_report_input>(text);
  ASSERT_TRUE(back) << back.error().message;
  // kap::json writes the shortest text that reads back exactly, but Boost.JSON 1.81's parser is
  // not correctly rounded, so a double may come back one ulp away: compare the figures closely
  // and the pages exactly.
  ASSERT_EQ(back->arms.size(), in.arms.size());
  for (std::size_t a = 0; a < in.arms.size(); ++a) {
    const auto& x = back->arms[a];
    const auto& y = in.arms[a];
    EXPECT_EQ(x.name, y.name);
    EXPECT_EQ(x.n, y.n);
    EXPECT_EQ(x.completeness, y.completeness);
    ASSERT_EQ(x.time_to_response.size(), y.time_to_response.size());
    for (std::size_t k = 0; k < y.time_to_response.size(); ++k) {
      EXPECT_NEAR(x.time_to_response[k].survival, y.time_to_response[k].survival, 1e-12);
      EXPECT_NEAR(x.time_to_response[k].lower, y.time_to_response[k].lower, 1e-12);
      EXPECT_NEAR(x.time_to_response[k].upper, y.time_to_response[k].upper, 1e-12);
    }
    EXPECT_EQ(x.median_time_to_response, y.median_time_to_response);
  }
  EXPECT_EQ(kap::reports::render_cohort_html(*back), kap::reports::render_cohort_html(in));
}

TEST(ReportInputJson, ProtocolSummaryRoundTrips) {
  const auto in = samples::session_sample().protocol;
  auto back = kap::json::from_string<kap::reports::protocol_summary>(kap::json::to_string(in));
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(*back, in);
}

}  // namespace
