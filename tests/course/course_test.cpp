#include <kap/course/course.hpp>

#include <gtest/gtest.h>

#include <chrono>
#include <string>

namespace {

kap::timestamp day(int d, int hour = 10) {
  return kap::timestamp{std::chrono::sys_days{std::chrono::year{2026} / 11 / 2}} + std::chrono::days{d} +
         std::chrono::hours{hour};
}

kap::course::course_plan plan() {
  kap::course::course_plan p;
  p.protocol = "iv-infusion";
  p.max_dosing_sessions = 3;
  p.min_dosing_interval = kap::hours{48};
  p.dosing_days = {1, 4, 8};
  return p;
}

TEST(Course, NoDosingBeforeIntakeIsComplete) {
  kap::course::course c(kap::subject_id{"SUBJ-1"}, plan());
  auto r = c.record_visit({kap::course::visit_kind::dosing, day(1), kap::session_id{"S-1"}, true});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, kap::errc::requirement_unmet);
  EXPECT_EQ(r.error().message, "no dosing session before intake is complete");
  ASSERT_TRUE(c.record_visit({kap::course::visit_kind::intake, day(0), std::nullopt, false}));
  EXPECT_FALSE(c.record_visit({kap::course::visit_kind::dosing, day(1), kap::session_id{"S-1"}, true}));
  ASSERT_TRUE(c.record_visit({kap::course::visit_kind::intake, day(0, 12), std::nullopt, true}));
  EXPECT_TRUE(c.record_visit({kap::course::visit_kind::dosing, day(1), kap::session_id{"S-1"}, true}));
}

TEST(Course, MinimumIntervalAndMaximumSessions) {
  kap::course::course c(kap::subject_id{"SUBJ-1"}, plan());
  ASSERT_TRUE(c.record_visit({kap::course::visit_kind::intake, day(0), std::nullopt, true}));
  ASSERT_TRUE(c.record_visit({kap::course::visit_kind::dosing, day(1), kap::session_id{"S-1"}, true}));
  auto soon = c.record_visit({kap::course::visit_kind::dosing, day(2), kap::session_id{"S-2"}, true});
  ASSERT_FALSE(soon);
  EXPECT_EQ(soon.error().message, "24 h since the last dosing session; the minimum is 48 h");
  EXPECT_EQ(c.dosing_sessions(), 1);
  ASSERT_TRUE(c.record_visit({kap::course::visit_kind::integration, day(2), std::nullopt, true}));
  ASSERT_TRUE(c.record_visit({kap::course::visit_kind::dosing, day(3), kap::session_id{"S-2"}, true}));
  ASSERT_TRUE(c.record_visit({kap::course::visit_kind::dosing, day(5), kap::session_id{"S-3"}, false}));
  auto fourth = c.record_visit({kap::course::visit_kind::dosing, day(8), kap::session_id{"S-4"}, true});
  ASSERT_FALSE(fourth);
  EXPECT_EQ(fourth.error().code, kap::errc::dose_limit);
  EXPECT_EQ(fourth.error().message, "dosing session 4 would exceed the course maximum of 3");
  auto back = c.record_visit({kap::course::visit_kind::follow_up, day(4), std::nullopt, true});
  EXPECT_EQ(back.error().code, kap::errc::out_of_order);
  EXPECT_EQ(c.visits().size(), 5U);
}

TEST(Course, OutcomeSeriesInDaysFromBaseline) {
  kap::course::course c(kap::subject_id{"SUBJ-1"}, plan());
  for (auto [d, total] : {std::pair{0, 20}, {1, 16}, {4, 9}, {8, 4}, {15, 3}}) {
    ASSERT_TRUE(c.record_assessment({day(d), total}));
  }
  EXPECT_EQ(c.series()[2].day, 4);
  auto o = c.outcome();
  ASSERT_TRUE(o) << o.error().message;
  ASSERT_TRUE(o->first_response);
  EXPECT_EQ(o->first_response->index, 2);  // 9 <= 50% of 20
  EXPECT_EQ(o->first_response->days_from_baseline, 4);
  ASSERT_TRUE(o->first_remission);
  EXPECT_EQ(o->first_remission->index, 3);  // PHQ-9 < 5
  EXPECT_TRUE(o->sustained_response);
  EXPECT_FALSE(c.record_assessment({day(3), 5}));
}

TEST(Course, RefusesATotalOutsideTheInstrumentRangeAndKeepsItsOutcome) {
  kap::course::course c(kap::subject_id{"SUBJ-1"}, plan());
  ASSERT_TRUE(c.record_assessment({day(0), 15}));
  ASSERT_TRUE(c.record_assessment({day(4), 6}));
  for (const int total : {-3, 28}) {
    auto r = c.record_assessment({day(5), total});
    ASSERT_FALSE(r) << total;
    EXPECT_EQ(r.error().code, kap::errc::out_of_range);
    EXPECT_EQ(r.error().message, "phq9 total " + std::to_string(total) + " is outside 0-27");
  }
  EXPECT_EQ(c.assessments().size(), 2U);
  auto o = c.outcome();
  ASSERT_TRUE(o) << o.error().message;  // before the fix: "score 2: -3 is outside 0-27"
  EXPECT_EQ(o->last.total, 6);
  EXPECT_TRUE(c.record_assessment({day(5), 27}));
  EXPECT_TRUE(c.record_assessment({day(6), 0}));

  auto gad = plan();
  gad.instrument = "gad7";
  kap::course::course g(kap::subject_id{"SUBJ-2"}, gad);
  auto r = g.record_assessment({day(0), 22});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, kap::errc::out_of_range);
  EXPECT_EQ(r.error().message, "gad7 total 22 is outside 0-21");
  EXPECT_TRUE(g.record_assessment({day(0), 21}));
}

TEST(Course, RefusesAVisitKindWithoutAName) {
  kap::course::course c(kap::subject_id{"SUBJ-1"}, plan());
  ASSERT_TRUE(c.record_visit({kap::course::visit_kind::intake, day(0), std::nullopt, true}));
  auto r = c.record_visit({static_cast<kap::course::visit_kind>(42), day(1), std::nullopt, true});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, kap::errc::unknown_enum);
  EXPECT_EQ(r.error().message, "visit kind 42 is not one kap knows");
  EXPECT_EQ(c.visits().size(), 1U);
}

TEST(CoursePlan, CheckRefusesWhatTheRulesCannotApply) {
  EXPECT_TRUE(kap::course::check_plan(plan()));
  auto zero_interval = plan();
  zero_interval.min_dosing_interval = kap::hours{0};
  EXPECT_TRUE(kap::course::check_plan(zero_interval));

  struct bad_case {
    void (*edit)(kap::course::course_plan&);
    kap::errc code;
    std::string message;
  };
  const bad_case cases[] = {
      {[](kap::course::course_plan& p) { p.min_dosing_interval = kap::hours{-48}; }, kap::errc::out_of_range,
       "course plan: min_dosing_interval -48 h must not be negative"},
      {[](kap::course::course_plan& p) { p.max_dosing_sessions = 0; }, kap::errc::out_of_range,
       "course plan: max_dosing_sessions 0 must be at least 1"},
      {[](kap::course::course_plan& p) { p.max_dosing_sessions = -2; }, kap::errc::out_of_range,
       "course plan: max_dosing_sessions -2 must be at least 1"},
      {[](kap::course::course_plan& p) { p.instrument = "phq10"; }, kap::errc::unknown_instrument,
       "course plan: " + kap::measures::parse_instrument_id("phq10").error().message},
      {[](kap::course::course_plan& p) { p.instrument = "meq30"; }, kap::errc::unknown_instrument,
       "course plan: meq30 is not a symptom scale, so course analytics are not defined for it"},
  };
  ASSERT_EQ(kap::measures::parse_instrument_id("phq10").error().message.rfind("unknown instrument \"phq10\"", 0), 0U);
  for (const bad_case& b : cases) {
    auto p = plan();
    b.edit(p);
    auto r = kap::course::check_plan(p);
    ASSERT_FALSE(r) << b.message;
    EXPECT_EQ(r.error().code, b.code);
    EXPECT_EQ(r.error().message, b.message);
  }
}

TEST(CoursePlan, ACourseUnderAnInvalidPlanRecordsNothing) {
  auto p = plan();
  p.min_dosing_interval = kap::hours{-48};
  kap::course::course c(kap::subject_id{"SUBJ-1"}, p);
  const std::string why = "course plan: min_dosing_interval -48 h must not be negative";
  // Before the fix, two dosing sessions a minute apart were both accepted.
  for (const auto& v : {kap::course::visit{kap::course::visit_kind::intake, day(0), std::nullopt, true},
                        kap::course::visit{kap::course::visit_kind::dosing, day(1), kap::session_id{"S-1"}, true},
                        kap::course::visit{kap::course::visit_kind::dosing, day(1) + std::chrono::minutes{1},
                                           kap::session_id{"S-2"}, true}}) {
    auto r = c.record_visit(v);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, kap::errc::out_of_range);
    EXPECT_EQ(r.error().message, why);
  }
  auto a = c.record_assessment({day(0), 15});
  ASSERT_FALSE(a);
  EXPECT_EQ(a.error().message, why);
  EXPECT_TRUE(c.visits().empty());
  EXPECT_TRUE(c.assessments().empty());
  EXPECT_EQ(c.dosing_sessions(), 0);

  auto none = plan();
  none.max_dosing_sessions = 0;
  kap::course::course n(kap::subject_id{"SUBJ-2"}, none);
  auto r = n.record_visit({kap::course::visit_kind::intake, day(0), std::nullopt, true});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, kap::errc::out_of_range);
  EXPECT_EQ(r.error().message, "course plan: max_dosing_sessions 0 must be at least 1");
}

}  // namespace
