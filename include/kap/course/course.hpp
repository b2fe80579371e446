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
///
/// The constructor cannot fail, so a plan is checked by `check_plan`; a course built with a plan
/// that fails it refuses every visit and assessment with that error, rather than applying rules
/// that make no sense (a negative interval) or storing totals no outcome can be computed from.

#include <kap/core/enum_name.hpp>
#include <kap/core/ids.hpp>
#include <kap/core/result.hpp>
#include <kap/core/time.hpp>
#include <kap/measures/catalog.hpp>
#include <kap/measures/instrument_id.hpp>
#include <kap/measures/series.hpp>

#include <boost/describe/class.hpp>
#include <boost/describe/enum.hpp>

#include <chrono>
#include <optional>
#include <span>
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

/// Checks a course plan: what `course` needs to apply its rules and compute its outcome.
/// @param plan the plan
/// @return nothing, or
///   - `errc::out_of_range`: `max_dosing_sessions` below 1 (`course plan: max_dosing_sessions 0
///     must be at least 1`) or a negative `min_dosing_interval` (`course plan: min_dosing_interval
///     -48 h must not be negative`)
///   - `errc::unknown_instrument`: an instrument not in the catalogue, or one that is not a
///     symptom scale (course outcomes are defined for symptom scales only)
/// Complexity: constant.
[[nodiscard]] inline result<void> check_plan(const course_plan& plan) {
  if (plan.max_dosing_sessions < 1) {
    return error{errc::out_of_range, "course plan: max_dosing_sessions " + std::to_string(plan.max_dosing_sessions) +
                                         " must be at least 1"};
  }
  if (plan.min_dosing_interval < hours{0}) {
    return error{errc::out_of_range, "course plan: min_dosing_interval " +
                                         std::to_string(plan.min_dosing_interval.count()) + " h must not be negative"};
  }
  auto id = measures::parse_instrument_id(plan.instrument);
  if (!id) return error{id.error().code, "course plan: " + id.error().message};
  // The rule outcome() applies: summarize_course refuses an instrument that is not a symptom
  // scale. A total of 0 is within every instrument's range, so no other error can come back.
  const measures::course_observation probe{0, 0};
  if (auto r = measures::summarize_course(*id, std::span(&probe, 1)); !r) {
    return error{r.error().code, "course plan: " + r.error().message};
  }
  return {};
}

/// One subject's course.
class course {
 public:
  /// A new course for a pseudonymous subject. The plan is not checked here: a course whose plan
  /// fails `check_plan` refuses every visit and assessment with that error.
  course(subject_id subject, course_plan plan) : subject_(std::move(subject)), plan_(std::move(plan)) {
    if (auto r = check_plan(plan_); !r) {
      plan_error_ = std::move(r).error();
    } else {
      total_max_ = measures::describe_instrument(*measures::parse_instrument_id(plan_.instrument)).total_max.value_or(0);
    }
  }

  /// Records a visit, enforcing the course rules.
  /// @return nothing, or the error of `check_plan` (the plan is invalid), `unknown_enum` (a visit
  ///         kind without a name), `out_of_order` (earlier than the last visit),
  ///         `requirement_unmet` (a dosing session before intake is complete, or sooner than the
  ///         minimum interval), `dose_limit` (more dosing sessions than the plan allows); a
  ///         refused visit changes nothing
  result<void> record_visit(visit v) {
    if (plan_error_) return *plan_error_;
    if (enum_name(v.kind).empty()) {
      return error{errc::unknown_enum, unnamed_value_text("visit kind", v.kind)};
    }
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
  /// @return nothing, or the error of `check_plan` (the plan is invalid), `out_of_range` when the
  ///         total is outside the plan instrument's range (`phq9 total -3 is outside 0-27`),
  ///         `out_of_order` when earlier than the last assessment; a refused assessment changes
  ///         nothing
  result<void> record_assessment(assessment a) {
    if (plan_error_) return *plan_error_;
    if (a.total < 0 || a.total > total_max_) {
      return error{errc::out_of_range, plan_.instrument + " total " + std::to_string(a.total) + " is outside 0-" +
                                           std::to_string(total_max_)};
    }
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
  std::optional<error> plan_error_;  // why the plan fails check_plan, if it does
  int total_max_ = 0;                // the highest total of the plan's instrument
  std::vector<visit> visits_;
  std::vector<assessment> assessments_;
};

}  // namespace kap::course
