#include <kap/reports/report.hpp>

#include "checks.hpp"
#include "samples.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <string>

namespace {

using kap::test::expect_labelled_charts;
using kap::test::expect_no_overlap;
using kap::test::expect_self_contained;
using kap::test::parse_page;
using kap::test::texts_of;
namespace samples = kap::test::samples;

TEST(CourseFromCatalog, FillsBandsAndLinesFromTheCatalogue) {
  auto c = kap::reports::course_from_catalog("phq9", {{0, 18, 0}, {3, 12, 1}, {7, 8, 2}});
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->instrument, "phq9");
  EXPECT_EQ(c->name, "Patient Health Questionnaire-9");
  EXPECT_EQ(c->total_max, 27);
  EXPECT_EQ(c->baseline, 18);
  ASSERT_EQ(c->bands.size(), 5U);
  EXPECT_EQ(c->bands.front().band, kap::measures::severity_band::minimal);
  ASSERT_TRUE(c->response_line);
  EXPECT_DOUBLE_EQ(*c->response_line, 9.0);
  ASSERT_TRUE(c->remission_line);
  EXPECT_EQ(*c->remission_line, 4);
  EXPECT_FALSE(c->remission_rule.empty());
}

TEST(CourseFromCatalog, TakesTheSimulatorShape) {
  const std::vector<kap::measures::course_observation> obs{{0, 20}, {1, 15}, {4, 9}};
  const std::vector<int> sessions{0, 1, 2};
  auto c = kap::reports::course_from_catalog("gad7", obs, sessions);
  ASSERT_TRUE(c) << c.error().message;
  ASSERT_EQ(c->observations.size(), 3U);
  EXPECT_EQ(c->observations[2], (kap::reports::score_point{4, 9, 2}));
  EXPECT_EQ(c->total_max, 21);
}

TEST(CourseFromCatalog, RefusesWhatItCannotChart) {
  EXPECT_EQ(kap::reports::course_from_catalog("nope", {{0, 1, 0}}).error().code, kap::errc::unknown_instrument);
  EXPECT_EQ(kap::reports::course_from_catalog("cssrs-screen", {{0, 1, 0}}).error().code, kap::errc::unknown_instrument);
  EXPECT_EQ(kap::reports::course_from_catalog("ebi", {{0, 1, 0}}).error().code, kap::errc::unknown_instrument);
  EXPECT_EQ(kap::reports::course_from_catalog("phq9", {}).error().code, kap::errc::missing_field);
}

TEST(CourseReport, PageIsSelfContainedWithLabelledCharts) {
  const auto in = samples::course_sample();
  const std::string html = kap::reports::render_course_html(in);
  const auto root = parse_page(html);
  expect_self_contained(html, root);
  expect_labelled_charts(root);
  const auto titles = texts_of(root, "axis-title");
  EXPECT_NE(std::find(titles.begin(), titles.end(), "phq9 total (points)"), titles.end());
  EXPECT_NE(
      std::find(titles.begin(), titles.end(), "days since intake (day 0 = 2026-01-05; dates below the day numbers)"),
      titles.end());
  const auto legend = texts_of(root, "legend-label");
  for (const char* want : {"score (points)", "baseline 21", "response: at most 10.5 (50% below baseline)", "session",
                           "minimal 0-4", "moderately_severe 15-19", "severe 20-27"}) {
    EXPECT_NE(std::find(legend.begin(), legend.end(), want), legend.end()) << want;
  }
}

TEST(CourseReport, DrawsBandsLinesSessionsAndScores) {
  const auto in = samples::course_sample(40);
  const auto& c = in.instruments.front();
  const auto root = parse_page(kap::reports::render_course_html(in));
  EXPECT_EQ(root.by_tag_class("rect", "band").size(), 5U);
  EXPECT_EQ(root.by_tag_class("circle", "score").size(), c.observations.size());
  EXPECT_EQ(root.by_tag_class("path", "score").size(), 1U);
  EXPECT_EQ(root.by_tag_class("line", "session-line").size(), 40U);
  EXPECT_EQ(root.by_tag_class("line", "baseline-line").size(), 1U);
  EXPECT_EQ(root.by_tag_class("line", "response-line").size(), 1U);
  EXPECT_EQ(root.by_tag_class("line", "remission-line").size(), 1U);
  // Bands are stacked: each lies above the previous (smaller pixel y), none overlap.
  const auto bands = root.by_tag_class("rect", "band");
  for (std::size_t i = 1; i < bands.size(); ++i) {
    EXPECT_LE(bands[i]->num("y") + bands[i]->num("height"), bands[i - 1]->num("y") + 0.11);
  }
  // The response line lies between the baseline and the remission line.
  const double base = root.by_tag_class("line", "baseline-line").front()->num("y1");
  const double resp = root.by_tag_class("line", "response-line").front()->num("y1");
  const double remi = root.by_tag_class("line", "remission-line").front()->num("y1");
  EXPECT_LT(base, resp);
  EXPECT_LT(resp, remi);
}

TEST(CourseReport, FortySessionLabelsDoNotOverlap) {
  const auto root = parse_page(kap::reports::render_course_html(samples::course_sample(40)));
  const std::size_t days = expect_no_overlap(root, "tick-x");
  const std::size_t dates = expect_no_overlap(root, "tick-x2");
  const std::size_t sessions = expect_no_overlap(root, "session-label");
  EXPECT_GE(days, 6U);
  EXPECT_EQ(dates, days);
  EXPECT_GE(sessions, 10U);  // thinned, but still a useful number
  EXPECT_LT(sessions, 40U);
  expect_no_overlap(root, "legend-label");
  // The day ticks are evenly spaced round numbers starting at 0.
  const auto ticks = texts_of(root, "tick-x");
  ASSERT_GE(ticks.size(), 2U);
  EXPECT_EQ(ticks.front(), "0");
  const int step = std::stoi(ticks[1]);
  for (std::size_t i = 0; i < ticks.size(); ++i) EXPECT_EQ(std::stoi(ticks[i]), static_cast<int>(i) * step);
  EXPECT_EQ(texts_of(root, "tick-x2").front(), "5 Jan");
}

TEST(CourseReport, ShortCoursesKeepEveryLabel) {
  const auto root = parse_page(kap::reports::render_course_html(samples::course_sample(6)));
  EXPECT_EQ(expect_no_overlap(root, "session-label"), 6U);
  expect_no_overlap(root, "tick-x");
}

TEST(CourseReport, OutcomeTableHasTheFigures) {
  const auto root = parse_page(kap::reports::render_course_html(samples::course_sample(40)));
  const auto tables = root.by_tag_class("table", "outcomes");
  ASSERT_EQ(tables.size(), 1U);
  std::set<std::string> figures;
  for (const auto* tr : tables.front()->by_tag("tbody").front()->by_tag("tr")) {
    figures.insert(tr->by_tag("td").front()->text_content());
  }
  for (const char* want : {"baseline", "last assessment", "change", "first response", "first remission",
                           "sustained response", "best (lowest) score", "reliable change index (Jacobson-Truax)"}) {
    EXPECT_TRUE(figures.count(want)) << want;
  }
}

TEST(CourseReport, WithoutStartDateShowsDaysOnly) {
  auto in = samples::course_sample(12);
  in.start.reset();
  const auto root = parse_page(kap::reports::render_course_html(in));
  EXPECT_TRUE(texts_of(root, "tick-x2").empty());
  const auto titles = texts_of(root, "axis-title");
  EXPECT_NE(std::find(titles.begin(), titles.end(), "days since intake"), titles.end());
}

TEST(CourseReport, EveryScoreIsInsideThePlot) {
  // A screening score before intake (day -7) and a total above the instrument's maximum (bad
  // input) still land inside the plot area.
  kap::reports::course_report_input in;
  in.subject = "S-1";
  auto c = kap::reports::course_from_catalog("phq9", {{-7, 20, 0}, {0, 18, 0}, {3, 10, 1}, {7, 30, 2}});
  ASSERT_TRUE(c);
  in.instruments.push_back(*c);
  const auto root = parse_page(kap::reports::render_course_html(in));
  const auto* axis_x = root.by_tag_class("g", "axis-x").front()->by_tag_class("line", "axis-line").front();
  const auto* axis_y = root.by_tag_class("g", "axis-y").front()->by_tag_class("line", "axis-line").front();
  const auto points = root.by_tag_class("circle", "score");
  ASSERT_EQ(points.size(), 4U);
  for (const auto* p : points) {
    EXPECT_GE(p->num("cx"), axis_x->num("x1"));
    EXPECT_LE(p->num("cx"), axis_x->num("x2"));
    EXPECT_GE(p->num("cy"), axis_y->num("y1"));
    EXPECT_LE(p->num("cy"), axis_y->num("y2"));
  }
  expect_no_overlap(root, "tick-x");
}

TEST(CourseReport, TextSummary) {
  const std::string text = kap::reports::render_course_text(samples::course_sample(40));
  EXPECT_EQ(text.rfind("kap course report: SYN-im-kap-7   [SYNTHETIC DATA]\n", 0), 0U) << text;
  for (const char* want : {"intake    2026-01-05", "phq9      21 -> ", "first response day ", "scores 21 ", " ... ",
                           "not medical advice"}) {
    EXPECT_NE(text.find(want), std::string::npos) << want << "\n" << text;
  }
}

}  // namespace
