#include <kap/course/cohort.hpp>

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

namespace {

// A usable course: baseline 20, a response at session 2, 7 sessions completed.
kap::course::course_record usable_record(const std::string& subject) {
  kap::course::course_record r;
  r.arm = "a";
  r.subject = subject;
  r.baseline = 20;
  r.observations = {{0, 20}, {3, 12}, {7, 8}};
  r.session_of_observation = {0, 1, 2};
  r.sessions_completed = 7;
  r.sessions_aborted = 1;
  r.events = 10;
  r.rejected = 1;
  return r;
}

TEST(Cohort, UsableCoursesAreCounted) {
  const auto s = kap::course::summarize_cohort({usable_record("x"), usable_record("y")}, false);
  ASSERT_EQ(s.arms.size(), 1U);
  const auto& arm = s.arms[0];
  EXPECT_EQ(arm.n, 2U);
  EXPECT_EQ(arm.completeness.usable, 2U);
  EXPECT_TRUE(arm.completeness.excluded_by_reason.empty());
  EXPECT_EQ(arm.sessions_completed, 14U);
  EXPECT_EQ(arm.sessions_to_response.n, 2U);
  EXPECT_EQ(arm.sessions_to_response.events, 2U);
}

TEST(Cohort, InconsistentRecordsAreExcludedWithTheirReason) {
  struct bad_case {
    void (*edit)(kap::course::course_record&);
    std::string reason;
  };
  const bad_case cases[] = {
      // Before the fix: a segfault (session_of_observation indexed past its end).
      {[](kap::course::course_record& r) { r.session_of_observation = {}; },
       "observations and session_of_observation differ in length"},
      {[](kap::course::course_record& r) { r.session_of_observation = {0, 1}; },
       "observations and session_of_observation differ in length"},
      // Before the fix: counted as usable while the arm's sessions curve came out empty.
      {[](kap::course::course_record& r) { r.session_of_observation = {0, -1, -2}; },
       "negative session index in session_of_observation"},
      // Before the fix: the arm's total wrapped around size_t.
      {[](kap::course::course_record& r) { r.sessions_completed = -5; }, "negative sessions_completed or sessions_aborted"},
      {[](kap::course::course_record& r) { r.sessions_aborted = -1; }, "negative sessions_completed or sessions_aborted"},
  };
  const auto good = kap::course::summarize_cohort({usable_record("x")}, false);
  ASSERT_EQ(good.arms.size(), 1U);
  for (const bad_case& b : cases) {
    auto bad = usable_record("y");
    b.edit(bad);
    const auto s = kap::course::summarize_cohort({usable_record("x"), bad}, false);
    ASSERT_EQ(s.arms.size(), 1U) << b.reason;
    const auto& arm = s.arms[0];
    EXPECT_EQ(arm.n, 2U) << b.reason;
    EXPECT_EQ(arm.completeness.total, 2U) << b.reason;
    EXPECT_EQ(arm.completeness.usable, 1U) << b.reason;
    EXPECT_EQ(arm.completeness.excluded_by_reason, (std::map<std::string, std::size_t>{{b.reason, 1}})) << b.reason;
    // The excluded record adds nothing: every figure is the usable course's alone.
    EXPECT_EQ(arm.sessions_completed, 7U) << b.reason;
    EXPECT_EQ(arm.sessions_aborted, 1U) << b.reason;
    EXPECT_EQ(arm.events, 10U) << b.reason;
    EXPECT_EQ(arm.rejected_events, 1U) << b.reason;
    EXPECT_EQ(arm.sessions_to_response, good.arms[0].sessions_to_response) << b.reason;
    EXPECT_EQ(arm.days_to_response, good.arms[0].days_to_response) << b.reason;
    EXPECT_EQ(arm.response, good.arms[0].response) << b.reason;
  }
}

}  // namespace
