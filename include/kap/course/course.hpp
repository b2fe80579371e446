#pragma once

/// @file
/// A course of treatment: one subject's visits and outcome measures, with course-level rules.
///
/// A clinic runs courses, not single sessions: intake (screening and consent), preparation
/// visits, a schedule of dosing sessions, integration visits and follow-ups, with a primary
/// outcome measured at baseline, before each dosing session and at follow-up. `course` enforces
/// the course-level rules the way `session` enforces a protocol's - no dosing session before
/// intake is complete, a minimum interval between dosing sessions, a maximum number of them -
/// and refuses a visit that breaks one, changing nothing. Its outcome series feeds the change
/// analytics of `kap/measures` (time to response in sessions and days, sustained response).

#include <kap/core/ids.hpp>
#include <kap/core/result.hpp>
#include <kap/core/time.hpp>
#include <kap/measures/series.hpp>

#include <boost/describe/class.hpp>
#include <boost/describe/enum.hpp>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace kap::course {

/// What a visit is for.
enum class visit_kind { intake, preparation, dosing, integration, follow_up };
BOOST_DESCRIBE_ENUM(visit_kind, intake, preparation, dosing, integration, follow_up)

/// The plan a course follows.
struct course_plan {
  std::string protocol;                 ///< the protocol of its dosing sessions (e.g. "im-kap")
  std::string instrument = "phq9";      ///< the primary outcome measure
  int max_dosing_sessions = 6;          ///< dosing sessions per course
  hours min_dosing_interval{48};        ///< between the starts of two dosing sessions
  std::vector<int> dosing_days;         ///< nominal days of the dosing sessions, from intake
  bool integration_after_dosing = true; ///< an integration visit follows each dosing session
  std::vector<int> follow_up_days;      ///< days after the last dosing session

  friend bool operator==(const course_plan&, const course_plan&) = default;
};
BOOST_DESCRIBE_STRUCT(course_plan, (),
                      (protocol, instrument, max_dosing_sessions, min_dosing_interval, dosing_days,
                       integration_after_dosing, follow_up_days))

/// A visit that took place.
struct visit {
  visit_kind kind{};  ///< what kind of visit
  timestamp at;  ///< when it took place
  std::optional<session_id> session;  ///< the session, for dosing visits
  bool completed = true;              ///< false for a session that was aborted
  friend bool operator==(const visit&, const visit&) = default;
};
BOOST_DESCRIBE_STRUCT(visit, (), (kind, at, session, completed))

/// One primary-outcome assessment.
struct assessment {
  timestamp at;  ///< when it was completed
  int total = 0;  ///< the instrument's total
  friend bool operator==(const assessment&, const assessment&) = default;
};
BOOST_DESCRIBE_STRUCT(assessment, (), (at, total))

/// One subject's course.
class course {
 public:
  /// A new course for a pseudonymous subject.
  course(subject_id subject, course_plan plan) : subject_(std::move(subject)), plan_(std::move(plan)) {}

  /// Records a visit, enforcing the course rules.
  /// @return nothing, or `out_of_order` (earlier than the last visit), `requirement_unmet`
  ///         (a dosing session before intake is complete, or sooner than the minimum interval),
  ///         `dose_limit` (more dosing sessions than the plan allows); a refused visit changes
  ///         nothing
  result<void> record_visit(visit v) {
    if (!visits_.empty() && v.at < visits_.back().at) {
      return error{errc::out_of_order, "visit at " + format_rfc3339(v.at) + " is earlier than the last visit at " +
                                           format_rfc3339(visits_.back().at)};
    }
    if (v.kind == visit_kind::dosing) {
      bool intake = false;
      for (const auto& x : visits_) intake = intake || (x.kind == visit_kind::intake && x.completed);
      if (!intake) return error{errc::requirement_unmet, "no dosing session before intake is complete"};
      const int dosed = dosing_sessions();
      if (dosed >= plan_.max_dosing_sessions) {
        return error{errc::dose_limit, "dosing session " + std::to_string(dosed + 1) + " would exceed the course maximum of " +
                                           std::to_string(plan_.max_dosing_sessions)};
      }
      if (const auto last = last_dosing(); last && v.at - *last < plan_.min_dosing_interval) {
        const auto gap = std::chrono::duration_cast<hours>(v.at - *last).count();
        return error{errc::requirement_unmet, std::to_string(gap) + " h since the last dosing session; the minimum is " +
                                                  std::to_string(plan_.min_dosing_interval.count()) + " h"};
      }
    }
    visits_.push_back(std::move(v));
    return {};
  }

  /// Records a primary-outcome total (the first one is the baseline).
  /// @return nothing, or `out_of_order` when earlier than the last assessment
  result<void> record_assessment(assessment a) {
    if (!assessments_.empty() && a.at < assessments_.back().at) {
      return error{errc::out_of_order, "assessment at " + format_rfc3339(a.at) + " is earlier than the last one"};
    }
    assessments_.push_back(a);
    return {};
  }

  /// Dosing sessions recorded (aborted ones included: they count against the maximum).
  [[nodiscard]] int dosing_sessions() const noexcept {
    int n = 0;
    for (const auto& v : visits_) n += v.kind == visit_kind::dosing ? 1 : 0;
    return n;
  }

  /// The outcome series as the change analytics read it (days from the first assessment).
  [[nodiscard]] std::vector<measures::course_observation> series() const {
    std::vector<measures::course_observation> out;
    if (assessments_.empty()) return out;
    const auto origin = std::chrono::floor<std::chrono::days>(assessments_.front().at);
    for (const auto& a : assessments_) {
      out.push_back({static_cast<int>((std::chrono::floor<std::chrono::days>(a.at) - origin).count()), a.total});
    }
    return out;
  }

  /// First response, first remission, sustained response, best and last (kap/measures/series.hpp).
  /// @return the summary, or the errors of `summarize_course` (e.g. no assessments)
  [[nodiscard]] result<measures::course_summary> outcome(const measures::course_options& options = {}) const {
    auto id = measures::parse_instrument_id(plan_.instrument);
    if (!id) return id.error();
    const auto s = series();
    return measures::summarize_course(*id, s, options);
  }

  /// The subject's pseudonymous id.
  [[nodiscard]] const subject_id& subject() const noexcept { return subject_; }
  /// The plan the course follows.
  [[nodiscard]] const course_plan& plan() const noexcept { return plan_; }
  /// The visits, in time order.
  [[nodiscard]] const std::vector<visit>& visits() const noexcept { return visits_; }
  /// The primary-outcome assessments, in time order.
  [[nodiscard]] const std::vector<assessment>& assessments() const noexcept { return assessments_; }

 private:
  [[nodiscard]] std::optional<timestamp> last_dosing() const noexcept {
    for (auto it = visits_.rbegin(); it != visits_.rend(); ++it) {
      if (it->kind == visit_kind::dosing) return it->at;
    }
    return std::nullopt;
  }

  subject_id subject_;
  course_plan plan_;
  std::vector<visit> visits_;
  std::vector<assessment> assessments_;
};

}  // namespace kap::course
