#include <kap/reports/report.hpp>

#include "checks.hpp"
#include "samples.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <sstream>
#include <string>
#include <vector>

namespace {

using kap::test::expect_labelled_charts;
using kap::test::expect_no_overlap;
using kap::test::expect_self_contained;
using kap::test::parse_page;
using kap::test::texts_of;
namespace samples = kap::test::samples;

// The y coordinates of a path's V commands and the x of its H commands, in order.
std::vector<double> path_values(const std::string& d, char command) {
  std::vector<double> out;
  std::istringstream in(d);
  std::string tok;
  while (in >> tok) {
    if (tok[0] == command) out.push_back(std::stod(tok.substr(1)));
  }
  return out;
}

TEST(CohortReport, PageIsSelfContainedWithLabelledCharts) {
  const auto in = samples::cohort_sample();
  const std::string html = kap::reports::render_cohort_html(in);
  const auto root = parse_page(html);
  expect_self_contained(html, root);
  expect_labelled_charts(root);
  const auto titles = texts_of(root, "axis-title");
  for (const char* want : {"not yet responded (%)", "time to first response (sessions)", "courses (%)"}) {
    EXPECT_NE(std::find(titles.begin(), titles.end(), want), titles.end()) << want;
  }
  const auto legend = texts_of(root, "legend-label");
  for (const char* want : {"im-kap (n=120)", "psychotherapy-50 (n=100)", "95% interval (shaded)",
                           "response (reduction of at least 50%)", "remission"}) {
    EXPECT_NE(std::find(legend.begin(), legend.end(), want), legend.end()) << want;
  }
  expect_no_overlap(root, "tick-x");
  expect_no_overlap(root, "legend-label");
}

TEST(CohortReport, OneStepCurveAndBandPerArm) {
  const auto in = samples::cohort_sample();
  const auto root = parse_page(kap::reports::render_cohort_html(in));
  const auto curves = root.by_tag_class("path", "km-curve");
  ASSERT_EQ(curves.size(), 2U);
  EXPECT_EQ(root.by_tag_class("path", "km-band").size(), 2U);
  for (std::size_t a = 0; a < curves.size(); ++a) {
    const std::string d = curves[a]->attr("d");
    // One vertical drop per step, never rising (pixel y grows downwards), time never going back.
    const auto ys = path_values(d, 'V');
    EXPECT_EQ(ys.size(), in.arms[a].time_to_response.size());
    EXPECT_TRUE(std::is_sorted(ys.begin(), ys.end()));
    const auto xs = path_values(d, 'H');
    EXPECT_TRUE(std::is_sorted(xs.begin(), xs.end()));
  }
  // A median marker for the arm that has one.
  EXPECT_EQ(root.by_tag_class("line", "km-median").size(), 1U);
}

TEST(CohortReport, RatesWithIntervalBars) {
  const auto in = samples::cohort_sample();
  const auto root = parse_page(kap::reports::render_cohort_html(in));
  const auto bars = root.by_tag_class("rect", "bar");
  ASSERT_EQ(bars.size(), 4U);
  EXPECT_EQ(root.by_tag_class("line", "interval").size(), 4U);
  EXPECT_EQ(root.by_tag_class("line", "interval-cap").size(), 8U);
  // The interval brackets the estimate: upper (smaller y) <= bar top <= lower.
  const auto intervals = root.by_tag_class("line", "interval");
  for (std::size_t i = 0; i < bars.size(); ++i) {
    const double top = bars[i]->num("y");
    EXPECT_LE(intervals[i]->num("y2"), top);
    EXPECT_GE(intervals[i]->num("y1"), top);
  }
  const auto labels = texts_of(root, "bar-label");
  for (const char* want : {"62%", "31%", "39%", "18%"}) {
    EXPECT_NE(std::find(labels.begin(), labels.end(), want), labels.end()) << want;
  }
}

TEST(CohortReport, TablesOfOutcomesAndCompleteness) {
  const auto root = parse_page(kap::reports::render_cohort_html(samples::cohort_sample()));
  const auto arms = root.by_tag_class("table", "arms").front()->by_tag("tbody").front()->by_tag("tr");
  ASSERT_EQ(arms.size(), 2U);
  EXPECT_NE(arms[0]->text_content().find("62% (53-70%)"), std::string::npos);
  EXPECT_NE(arms[0]->text_content().find("3 sessions (2 to 4)"), std::string::npos);
  EXPECT_NE(arms[1]->text_content().find("not reached"), std::string::npos);
  const auto comp = root.by_tag_class("table", "completeness").front()->by_tag("tbody").front()->by_tag("tr");
  ASSERT_EQ(comp.size(), 2U);
  const auto cells = comp[1]->by_tag("td");
  ASSERT_EQ(cells.size(), 5U);
  EXPECT_EQ(cells[1]->text_content(), "100");
  EXPECT_EQ(cells[2]->text_content(), "96");
  EXPECT_EQ(cells[3]->text_content(), "4");
  EXPECT_EQ(cells[4]->text_content(), "no assessment after baseline: 3; score out of range: 1");
}

TEST(CohortReport, TextSummaryIsAligned) {
  const std::string text = kap::reports::render_cohort_text(samples::cohort_sample());
  std::istringstream in(text);
  std::vector<std::string> lines;
  for (std::string l; std::getline(in, l);) lines.push_back(l);
  ASSERT_GE(lines.size(), 5U);
  EXPECT_EQ(lines[0], "kap cohort report: phq9   [SYNTHETIC DATA]");
  // Columns line up: "response" in the header sits where the rates start.
  const auto col = lines[1].find("response");
  ASSERT_NE(col, std::string::npos);
  EXPECT_EQ(lines[2].find("62% (53-70%)"), col) << text;
  EXPECT_EQ(lines[3].find("39% (30-49%)"), col) << text;
  EXPECT_NE(lines[2].find("113/120"), std::string::npos);
  EXPECT_NE(lines[3].find("not reached"), std::string::npos);
  EXPECT_NE(text.find("not medical advice"), std::string::npos);
}

TEST(CohortReport, TextKeepsTheUsableColumnApartFromALongMedian) {
  // "12 sessions (10 to not reached)" is longer than the median column's usual width.
  auto in = samples::cohort_sample();
  in.arms[0].median_time_to_response = kap::reports::median_time{12, 10, std::nullopt};
  std::istringstream text(kap::reports::render_cohort_text(in));
  std::vector<std::string> lines;
  for (std::string l; std::getline(text, l);) lines.push_back(l);
  ASSERT_GE(lines.size(), 4U);
  const auto col = lines[1].find("usable");
  ASSERT_NE(col, std::string::npos);
  for (std::size_t i = 2; i < 2 + in.arms.size(); ++i) {
    const auto figures = std::to_string(in.arms[i - 2].completeness.usable) + "/";
    EXPECT_EQ(lines[i].find(figures, col - 1), col) << lines[i];
    EXPECT_EQ(lines[i][col - 1], ' ') << lines[i];
  }
  EXPECT_NE(lines[2].find("not reached)  "), std::string::npos) << lines[2];
}

TEST(CohortReport, EmptyAndDegenerateInputStillRender) {
  kap::reports::cohort_report_input in;
  const std::string html = kap::reports::render_cohort_html(in);
  expect_self_contained(html, parse_page(html));
  // NaN and out-of-range figures are clamped, never written as NaN coordinates.
  auto bad = samples::cohort_sample();
  bad.arms[0].response = kap::reports::rate{std::nan(""), -1, 2};
  bad.arms[0].time_to_response.push_back({std::nan(""), 0.1, 0, 1});
  const auto root = parse_page(kap::reports::render_cohort_html(bad));
  for (const auto* n : root.all([](const kap::test::xml::node&) { return true; })) {
    for (const char* a : {"x", "y", "x1", "x2", "y1", "y2", "cx", "cy", "width", "height"}) {
      if (!n->attrs.count(a)) continue;
      const std::string v = n->attr(a);
      EXPECT_TRUE(std::isfinite(std::stod(v))) << n->name << " " << a << "=" << v;
    }
    if (n->attrs.count("d")) {
      const std::string d = n->attr("d");
      EXPECT_EQ(d.find("nan"), std::string::npos) << d;
      EXPECT_EQ(d.find("inf"), std::string::npos) << d;
    }
  }
}

}  // namespace
