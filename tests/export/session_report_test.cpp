#include <kap/reports/report.hpp>

#include "checks.hpp"
#include "samples.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <variant>

namespace {

using kap::test::expect_labelled_charts;
using kap::test::expect_no_overlap;
using kap::test::expect_self_contained;
using kap::test::parse_page;
using kap::test::texts_of;
namespace samples = kap::test::samples;

struct counts {
  std::size_t accepted = 0, rejected = 0, systolic = 0, diastolic = 0, heart_rate = 0, spo2 = 0, doses = 0, alerts = 0,
              critical_alerts = 0;
};

counts count(const kap::reports::session_report_input& in) {
  counts c;
  for (std::size_t i = 0; i < in.events.size(); ++i) {
    const auto& d = in.decisions[i];
    if (d.outcome != kap::outcome::duplicate) {
      c.alerts += d.alerts.size();
      for (const auto& a : d.alerts) c.critical_alerts += a.severity == kap::alert_severity::critical ? 1U : 0U;
    }
    if (d.outcome == kap::outcome::rejected) ++c.rejected;
    if (d.outcome != kap::outcome::accepted) continue;
    ++c.accepted;
    if (const auto* v = std::get_if<kap::events::vitals>(&in.events[i].body)) {
      c.systolic += v->systolic ? 1U : 0U;
      c.diastolic += v->diastolic ? 1U : 0U;
      c.heart_rate += v->heart_rate ? 1U : 0U;
      c.spo2 += v->spo2 ? 1U : 0U;
    }
    c.doses += std::holds_alternative<kap::events::dose>(in.events[i].body) ? 1U : 0U;
  }
  return c;
}

TEST(SessionReport, SampleRunsThroughTheEngine) {
  const auto in = samples::session_sample();
  const counts c = count(in);
  EXPECT_EQ(in.session, "S-IM-4");
  EXPECT_EQ(c.accepted, 22U);
  EXPECT_EQ(c.rejected, 5U);
  EXPECT_EQ(c.doses, 1U);
  EXPECT_GE(c.critical_alerts, 2U);
}

TEST(SessionReport, PageIsSelfContainedWithLabelledCharts) {
  const auto in = samples::session_sample();
  const std::string html = kap::reports::render_session_html(in);
  const auto root = parse_page(html);
  expect_self_contained(html, root);
  expect_labelled_charts(root);
  // A timeline and three vitals panels.
  EXPECT_EQ(root.by_tag_class("svg", "timeline").size(), 1U);
  EXPECT_EQ(root.by_tag_class("svg", "vitals").size(), 3U);
  const auto titles = texts_of(root, "axis-title");
  for (const char* want : {"blood pressure (mmHg)", "heart rate (beats/min)", "SpO2 (%)"}) {
    EXPECT_NE(std::find(titles.begin(), titles.end(), want), titles.end()) << want;
  }
  for (const auto& t : titles) {
    if (t.rfind("time", 0) == 0) {
      EXPECT_EQ(t, "time (UTC, HH:MM) on 2026-11-26");
    }
  }
  const auto legend = texts_of(root, "legend-label");
  for (const char* want : {"systolic", "diastolic", "heart rate", "SpO2", "hold limit (dosing waits)", "critical limit",
                           "dose", "alert: critical", "alert: warning", "dosing", "monitoring"}) {
    EXPECT_NE(std::find(legend.begin(), legend.end(), want), legend.end()) << want;
  }
}

TEST(SessionReport, DrawsEveryAcceptedReadingDoseAndAlert) {
  const auto in = samples::session_sample();
  const counts c = count(in);
  const auto root = parse_page(kap::reports::render_session_html(in));
  EXPECT_EQ(root.by_tag_class("circle", "systolic").size(), c.systolic);
  EXPECT_EQ(root.by_tag_class("circle", "diastolic").size(), c.diastolic);
  EXPECT_EQ(root.by_tag_class("circle", "heart-rate").size(), c.heart_rate);
  EXPECT_EQ(root.by_tag_class("circle", "spo2").size(), c.spo2);
  EXPECT_EQ(root.by_tag_class("path", "systolic").size(), 1U);  // one line through the points
  // One dose: a marker on the timeline and a line plus marker on each of the three panels.
  EXPECT_EQ(root.by_tag_class("line", "dose-line").size(), 3 * c.doses);
  EXPECT_EQ(root.by_tag_class("path", "dose-marker").size(), 4 * c.doses);
  EXPECT_EQ(root.by_tag_class("path", "alert-marker").size(), c.alerts);
  EXPECT_EQ(root.by_tag_class("path", "critical").size(), c.critical_alerts);
  // im-kap: hold 140/90 and SpO2 92; critical 180/110.
  EXPECT_EQ(root.by_tag_class("line", "hold").size(), 3U);
  EXPECT_EQ(root.by_tag_class("line", "critical").size(), 2U);
  const auto limits = texts_of(root, "threshold-label");
  for (const char* want : {"hold SBP 140", "hold DBP 90", "crit SBP 180", "crit DBP 110", "hold min 92"}) {
    EXPECT_NE(std::find(limits.begin(), limits.end(), want), limits.end()) << want;
  }
  // The phase timeline: screening, preparation, dosing, guided_meditation, monitoring,
  // integration, discharge.
  EXPECT_EQ(root.by_tag_class("rect", "phase").size(), 7U);
}

TEST(SessionReport, ThresholdLinesSitAtTheirValues) {
  const auto in = samples::session_sample();
  const auto root = parse_page(kap::reports::render_session_html(in));
  const auto bp = root.by_tag_class("svg", "vitals").front();
  // Pixel y decreases as the value rises: critical 180 above hold 140 above hold 90.
  double hold_sbp = 0, crit_sbp = 0, hold_dbp = 0;
  for (const auto* l : bp->by_tag("line")) {
    const std::string tip = l->by_tag("title").empty() ? "" : l->by_tag("title").front()->text_content();
    if (tip == "hold SBP 140 mmHg") hold_sbp = l->num("y1");
    if (tip == "crit SBP 180 mmHg") crit_sbp = l->num("y1");
    if (tip == "hold DBP 90 mmHg") hold_dbp = l->num("y1");
  }
  ASSERT_GT(hold_sbp, 0);
  EXPECT_LT(crit_sbp, hold_sbp);
  EXPECT_LT(hold_sbp, hold_dbp);
  // The 186 mmHg reading is drawn above the critical line.
  bool found = false;
  for (const auto* p : bp->by_tag_class("circle", "systolic")) {
    if (p->by_tag("title").front()->text_content() == "13:37 systolic 186 mmHg") {
      found = true;
      EXPECT_LT(p->num("cy"), crit_sbp);
    }
  }
  EXPECT_TRUE(found);
}

TEST(SessionReport, ListsRejectedEventsWithReasonsAndUnmetRequirements) {
  const auto in = samples::session_sample();
  const auto root = parse_page(kap::reports::render_session_html(in));
  const auto tables = root.by_tag_class("table", "rejected");
  ASSERT_EQ(tables.size(), 1U);
  const auto rows = tables.front()->by_tag("tbody").front()->by_tag("tr");
  ASSERT_EQ(rows.size(), 5U);
  const std::string first = rows.front()->text_content();
  EXPECT_NE(first.find("bp-11"), std::string::npos);
  EXPECT_NE(first.find("requirement_unmet"), std::string::npos);
  EXPECT_NE(first.find("vitals_within: blood pressure 150/95 mmHg is above the 140/90 limit"), std::string::npos);
  EXPECT_NE(rows[1]->text_content().find("a therapist may not record a dose event"), std::string::npos);
  // Alerts include the one raised by the refused dose.
  const auto alerts = root.by_tag_class("table", "alerts").front()->by_tag("tbody").front()->by_tag("tr");
  EXPECT_EQ(alerts.size(), count(in).alerts);
  bool dose_limit = false;
  for (const auto* r : alerts) dose_limit = dose_limit || r->text_content().find("dose_limit") != std::string::npos;
  EXPECT_TRUE(dose_limit);
}

TEST(SessionReport, TimeTickLabelsDoNotOverlap) {
  const auto root = parse_page(kap::reports::render_session_html(samples::session_sample()));
  EXPECT_GE(expect_no_overlap(root, "tick-x"), 8U);
  expect_no_overlap(root, "dose-label");
  expect_no_overlap(root, "legend-label");
  expect_no_overlap(root, "phase-label");
}

TEST(SessionReport, DecisionsAreMatchedByIdWhenNotAligned) {
  auto in = samples::session_sample();
  const std::string aligned = kap::reports::render_session_text(in);
  // Keep only the rejected decisions: the other events count as accepted, which they were.
  std::vector<kap::decision> rejected;
  for (const auto& d : in.decisions) {
    if (d.outcome == kap::outcome::rejected) rejected.push_back(d);
  }
  std::reverse(rejected.begin(), rejected.end());
  in.decisions = rejected;
  const std::string by_id = kap::reports::render_session_text(in);
  EXPECT_NE(by_id.find("22 accepted, 5 rejected"), std::string::npos) << by_id;
}

TEST(SessionReport, NoEventsStillRenders) {
  kap::reports::session_report_input in;
  in.session = "S-EMPTY";
  const std::string html = kap::reports::render_session_html(in);
  const auto root = parse_page(html);
  expect_self_contained(html, root);
  EXPECT_FALSE(root.by_class("empty").empty());
  EXPECT_NE(kap::reports::render_session_text(in).find("0 recorded"), std::string::npos);
}

TEST(SessionReport, TextSummaryIsAFewAlignedLines) {
  const std::string text = kap::reports::render_session_text(samples::session_sample());
  EXPECT_EQ(text.rfind("kap session report: S-IM-4   [SYNTHETIC DATA]\n", 0), 0U) << text;
  for (const char* want :
       {"protocol im-kap", "events   27 recorded: 22 accepted, 5 rejected, 0 duplicate",
        "time     2026-11-26 13:00-14:47 UTC (107 min)", "doses    1 (90 mg): 13:25 90 mg ketamine im",
        "BP max 186/112 mmHg (hold 140/90, critical 180/110)", "rejected 5",
        "13:24 bp-14    dose          unauthorized         a dose event needs a licensed nurse",
        "not medical advice"}) {
    EXPECT_NE(text.find(want), std::string::npos) << want << "\n" << text;
  }
  // Every line fits a wide terminal except the ones that list events.
  EXPECT_LE(std::count(text.begin(), text.end(), '\n'), 25);
}

TEST(SessionReport, HoldLimitsAreTheSubjectsAgeBand) {
  // The sample's subject is 47 at screening: a band from 45 applies to them, one from 65 does not.
  auto in = samples::session_sample();
  kap::vitals_limits band;
  band.systolic_max = kap::mmhg{150};
  in.protocol.vitals.hold_by_age = {{65, band}};
  EXPECT_NE(kap::reports::render_session_text(in).find("(hold 140/90, critical 180/110)"), std::string::npos);
  in.protocol.vitals.hold_by_age = {{45, band}};
  EXPECT_NE(kap::reports::render_session_text(in).find("(hold 150/90, critical 180/110)"), std::string::npos)
      << kap::reports::render_session_text(in);
  const auto root = parse_page(kap::reports::render_session_html(in));
  std::vector<std::string> tips;
  for (const auto* l : root.by_tag_class("svg", "vitals").front()->by_tag("line")) {
    if (!l->by_tag("title").empty()) tips.push_back(l->by_tag("title").front()->text_content());
  }
  EXPECT_NE(std::find(tips.begin(), tips.end(), "hold SBP 150 mmHg"), tips.end());
  EXPECT_EQ(std::find(tips.begin(), tips.end(), "hold SBP 140 mmHg"), tips.end());
}

TEST(SessionReport, SummarizeProtocolKeepsThresholdsAndPhases) {
  auto p = kap::json::reference_protocol("im-kap");
  ASSERT_TRUE(p);
  const auto s = kap::reports::summarize_protocol(*p);
  EXPECT_EQ(s.id, "im-kap");
  EXPECT_EQ(s.initial, "screening");
  EXPECT_EQ(s.phases.size(), p->phases.size());
  EXPECT_EQ(s.vitals, p->vitals);
}

}  // namespace
