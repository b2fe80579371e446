// What every report shares: escaping of hostile strings, no free text, the synthetic-data
// marking and the "not medical advice" line, for the HTML pages and the text summaries alike.

#include <kap/reports/report.hpp>

#include "checks.hpp"
#include "samples.hpp"

#include <gtest/gtest.h>

#include <string>

namespace {

using kap::test::expect_self_contained;
using kap::test::parse_page;
namespace samples = kap::test::samples;

// Markup, an event handler, quotes, an ampersand, control characters (one an ANSI escape) and
// a byte that is not UTF-8.
const std::string hostile =
    "</svg></table></p><script>alert(\"x\")</script><img src=x onerror=alert(1)> & 'q' \x01\x1b[31m\xff end";
// What a reader sees: the same text, control characters and the bad byte replaced by U+FFFD.
const std::string hostile_seen =
    "</svg></table></p><script>alert(\"x\")</script><img src=x onerror=alert(1)> & 'q' "
    "\xEF\xBF\xBD\xEF\xBF\xBD[31m\xEF\xBF\xBD end";

kap::event make_event(const std::string& id, const std::string& hhmm, kap::role role, kap::payload body) {
  kap::event e;
  e.id = kap::event_id{id};
  e.session = kap::session_id{"S-H"};
  e.at = *kap::parse_rfc3339("2026-11-26T" + hhmm + ":00Z");
  e.actor = kap::actor{kap::actor_id{"X-1"}, role, true};
  e.body = std::move(body);
  return e;
}

kap::reports::session_report_input hostile_session() {
  kap::reports::session_report_input in;
  in.session = hostile;
  in.protocol.id = hostile;
  in.protocol.title = hostile;
  in.protocol.initial = hostile;
  in.protocol.phases = {{hostile, kap::phase_kind::screening}, {"dosing", kap::phase_kind::dosing}};
  in.protocol.vitals.hold.systolic_max = kap::mmhg{140};
  auto ok = [](const kap::event& e) { return kap::decision{e.id, kap::outcome::accepted, {}, {}, {}, {}}; };
  in.events.push_back(
      make_event("e-1", "10:00", kap::role::nurse,
                 kap::events::vitals{kap::mmhg{150}, kap::mmhg{95}, kap::bpm{80}, std::nullopt, std::nullopt}));
  in.decisions.push_back(ok(in.events.back()));
  in.decisions.back().alerts.push_back(kap::alert{kap::alert_kind::vitals_hold, kap::alert_severity::warning, hostile,
                                                  hostile, in.events.back().at, in.events.back().id, true});
  in.events.push_back(make_event("e-2", "10:05", kap::role::nurse, kap::events::note{"SECRET-NOTE-TEXT"}));
  in.decisions.push_back(ok(in.events.back()));
  in.events.push_back(make_event("e-3", "10:06", kap::role::prescriber,
                                 kap::events::override_contraindication{"pregnancy", "SECRET-JUSTIFICATION"}));
  in.decisions.push_back(ok(in.events.back()));
  in.events.push_back(make_event("e-4", "10:07", kap::role::therapist, kap::events::phase{"dosing"}));
  in.decisions.push_back(ok(in.events.back()));
  in.events.push_back(make_event("e-5", "10:08", kap::role::nurse,
                                 kap::events::dose{kap::drug::ketamine, kap::route::im, kap::milligrams{50}, hostile}));
  in.decisions.push_back(kap::decision{in.events.back().id,
                                       kap::outcome::rejected,
                                       kap::errc::requirement_unmet,
                                       hostile,
                                       {kap::unmet{hostile, hostile}},
                                       {}});
  in.events.push_back(make_event("e-6", "10:30", kap::role::therapist, kap::events::abort{"SECRET-ABORT-REASON"}));
  in.decisions.push_back(ok(in.events.back()));
  return in;
}

kap::reports::course_report_input hostile_course() {
  auto in = samples::course_sample(8);
  in.subject = hostile;
  in.instruments.front().name = hostile;
  in.instruments.front().remission_rule = hostile;
  auto other = in.instruments.front();
  other.instrument = hostile;  // not in the catalogue: a chart, no computed figures
  in.instruments.push_back(other);
  return in;
}

kap::reports::cohort_report_input hostile_cohort() {
  auto in = samples::cohort_sample();
  in.instrument = hostile;
  in.time_unit = hostile;
  in.arms[0].name = hostile;
  in.arms[1].completeness.excluded_by_reason[hostile] = 2;
  return in;
}

void expect_escaped(const std::string& html) {
  const auto root = parse_page(html);  // well-formed: nothing in the input closed an element
  expect_self_contained(html, root);
  EXPECT_TRUE(root.by_tag("script").empty());
  EXPECT_TRUE(root.by_tag("img").empty());
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(html.find("\x1b"), std::string::npos);
  EXPECT_EQ(html.find('\x01'), std::string::npos);
  EXPECT_EQ(html.find('\xff'), std::string::npos);
  // The reader still sees the text as it was given.
  EXPECT_NE(root.text_content().find(hostile_seen), std::string::npos);
}

void expect_terminal_safe(const std::string& text) {
  EXPECT_EQ(text.find('\x1b'), std::string::npos);
  EXPECT_EQ(text.find('\x01'), std::string::npos);
  EXPECT_EQ(text.find('\xff'), std::string::npos);
  EXPECT_NE(text.find("<script>alert(\"x\")</script>"), std::string::npos) << text;
  EXPECT_NE(text.find("not medical advice"), std::string::npos);
}

TEST(ReportEscaping, HostileSessionStrings) {
  const auto in = hostile_session();
  expect_escaped(kap::reports::render_session_html(in));
  expect_terminal_safe(kap::reports::render_session_text(in));
}

TEST(ReportEscaping, HostileCourseStrings) {
  const auto in = hostile_course();
  expect_escaped(kap::reports::render_course_html(in));
  expect_terminal_safe(kap::reports::render_course_text(in));
}

TEST(ReportEscaping, HostileCohortStringsIncludingAttributes) {
  const auto in = hostile_cohort();
  const std::string html = kap::reports::render_cohort_html(in);
  expect_escaped(html);
  const auto root = parse_page(html);
  const auto arms = root.all([](const kap::test::xml::node& n) { return n.attrs.count("data-arm") > 0; });
  ASSERT_FALSE(arms.empty());
  EXPECT_EQ(arms.front()->attr("data-arm"), hostile_seen);
  expect_terminal_safe(kap::reports::render_cohort_text(in));
}

TEST(ReportPrivacy, FreeTextNeverAppears) {
  const auto in = hostile_session();
  for (const std::string& out : {kap::reports::render_session_html(in), kap::reports::render_session_text(in)}) {
    EXPECT_EQ(out.find("SECRET-NOTE-TEXT"), std::string::npos);
    EXPECT_EQ(out.find("SECRET-JUSTIFICATION"), std::string::npos);
    EXPECT_EQ(out.find("SECRET-ABORT-REASON"), std::string::npos);
  }
}

TEST(ReportPrivacy, AbortEntersTheAbortedPhase) {
  auto in = hostile_session();
  in.protocol.phases.push_back({"stopped", kap::phase_kind::aborted});
  const auto root = parse_page(kap::reports::render_session_html(in));
  bool stopped = false;
  for (const auto* r : root.by_tag_class("rect", "phase")) {
    stopped = stopped || r->by_tag("title").front()->text_content().rfind("stopped ", 0) == 0;
  }
  EXPECT_TRUE(stopped);
}

struct marking_case {
  const char* name;
  std::string (*html)(bool);
  std::string (*text)(bool);
};

std::string session_html(bool s) {
  auto in = samples::session_sample();
  in.synthetic = s;
  return kap::reports::render_session_html(in);
}
std::string session_text(bool s) {
  auto in = samples::session_sample();
  in.synthetic = s;
  return kap::reports::render_session_text(in);
}
std::string course_html(bool s) {
  auto in = samples::course_sample();
  in.synthetic = s;
  return kap::reports::render_course_html(in);
}
std::string course_text(bool s) {
  auto in = samples::course_sample();
  in.synthetic = s;
  return kap::reports::render_course_text(in);
}
std::string cohort_html(bool s) {
  auto in = samples::cohort_sample();
  in.synthetic = s;
  return kap::reports::render_cohort_html(in);
}
std::string cohort_text(bool s) {
  auto in = samples::cohort_sample();
  in.synthetic = s;
  return kap::reports::render_cohort_text(in);
}

TEST(ReportMarking, SyntheticDataIsMarkedOnEveryChartAndOnlyThen) {
  for (const marking_case& c :
       {marking_case{"session", session_html, session_text}, marking_case{"course", course_html, course_text},
        marking_case{"cohort", cohort_html, cohort_text}}) {
    SCOPED_TRACE(c.name);
    const auto yes = parse_page(c.html(true));
    ASSERT_EQ(yes.by_class("synthetic-banner").size(), 1U);
    EXPECT_NE(yes.by_class("synthetic-banner").front()->text_content().find("SYNTHETIC DATA"), std::string::npos);
    EXPECT_EQ(yes.by_tag_class("text", "watermark").size(), yes.by_tag("svg").size());
    EXPECT_NE(yes.by_tag("title").front()->text_content().find("(synthetic data)"), std::string::npos);
    EXPECT_NE(c.text(true).find("[SYNTHETIC DATA]"), std::string::npos);

    const auto no = parse_page(c.html(false));
    EXPECT_TRUE(no.by_class("synthetic-banner").empty());
    EXPECT_TRUE(no.by_class("watermark").empty());
    EXPECT_EQ(c.text(false).find("SYNTHETIC"), std::string::npos);
    // Both carry the disclaimer, in the header and the footer.
    EXPECT_EQ(no.by_class("disclaimer").size(), 1U);
    EXPECT_NE(no.by_tag("footer").front()->text_content().find("not medical advice"), std::string::npos);
  }
}

TEST(ReportOutput, IsDeterministic) {
  EXPECT_EQ(session_html(true), session_html(true));
  EXPECT_EQ(course_html(true), course_html(true));
  EXPECT_EQ(cohort_html(true), cohort_html(true));
}

}  // namespace
