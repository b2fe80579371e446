#include <kap/course/course.hpp>

#include <gtest/gtest.h>

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

}  // namespace
