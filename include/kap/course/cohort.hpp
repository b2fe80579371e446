#pragma once

/// @file
/// Cohort statistics over recorded courses: what papers report, per arm and between two arms.
///
/// Input is a list of `course_record`s (from the simulator, or from a clinic's own courses in
/// the `kap.courses/1` format, docs/cohort.md). Per arm: responder and remitter rates at the
/// last assessment (last observation carried forward for patients who left) with Wilson 95%
/// intervals; mean change with a t interval; the paired effect size d_z; Kaplan-Meier curves of
/// time to first response in sessions and in days, censoring patients who never responded or
/// left, with the median and its interval; and data completeness - how many courses had enough
/// measures to count, and why the rest did not. Between the first two arms: the difference in
/// response rate (Newcombe's interval) and Hedges' g of the change.

#include <kap/core/config.hpp>
#include <kap/course/simulate.hpp>
#include <kap/stats/stats.hpp>
#include <kap/measures/change.hpp>
#include <kap/measures/series.hpp>

#include <boost/describe/class.hpp>

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kap::course {

/// One arm's figures.
struct arm_summary {
  std::string arm;  ///< the arm's name (its protocol, e.g. "im-kap")
  std::size_t n = 0;                          ///< courses in the arm
  stats::completeness completeness;           ///< usable courses and why others are not
  std::optional<stats::proportion> response;  ///< >= 50% reduction at the last assessment
  std::optional<stats::proportion> remission; ///< the instrument's remission rule at the last assessment
  std::optional<stats::mean_interval> change; ///< last - baseline, points
  std::optional<double> cohen_dz;             ///< paired effect size of the change
  stats::km_curve sessions_to_response;       ///< Kaplan-Meier, time = session index
  stats::km_curve days_to_response;           ///< Kaplan-Meier, time = days from baseline
  std::size_t sessions_completed = 0;  ///< dosing sessions that reached discharge
  std::size_t sessions_aborted = 0;  ///< dosing sessions that were aborted
  std::size_t events = 0;  ///< events recorded across the arm
  std::size_t rejected_events = 0;  ///< events the engine rejected
};
BOOST_DESCRIBE_STRUCT(arm_summary, (),
                      (arm, n, completeness, response, remission, change, cohen_dz, sessions_to_response,
                       days_to_response, sessions_completed, sessions_aborted, events, rejected_events))

/// The comparison of the first arm with the second.
struct arm_comparison {
  std::string first;  ///< the first arm's name
  std::string second;  ///< the second arm's name
  std::optional<stats::proportion_difference> response_difference;  ///< first - second
  std::optional<double> hedges_g_change;  ///< of the change scores, first vs second
};
BOOST_DESCRIBE_STRUCT(arm_comparison, (), (first, second, response_difference, hedges_g_change))

/// Everything `kapctl cohort` and the cohort report show.
struct cohort_summary {
  bool synthetic = false;  ///< true: the courses are simulated, and every output says so
  std::string instrument = "phq9";  ///< the instrument the outcomes are computed from
  std::vector<arm_summary> arms;  ///< one summary per arm, in input order
  std::optional<arm_comparison> comparison;  ///< first arm vs second, when there are at least two
};
BOOST_DESCRIBE_STRUCT(cohort_summary, (), (synthetic, instrument, arms, comparison))

/// Summarises courses by arm, in the order the arms first appear.
///
/// Cannot fail: a course that cannot be counted is excluded, and its reason tallied in the arm's
/// `completeness.excluded_by_reason`. Besides too few assessments or an invalid total, a record
/// that is inconsistent is excluded and adds nothing to the arm's session and event counts:
/// "observations and session_of_observation differ in length", "negative session index in
/// session_of_observation", "negative sessions_completed or sessions_aborted".
/// @param courses the course records, in any arm order
/// @param synthetic true when the courses are simulated (copied to the summary)
/// @param instrument the catalogue id of the instrument the totals are from
/// @return the summary, one `arm_summary` per arm
[[nodiscard]] KAP_CORE_API cohort_summary summarize_cohort(const std::vector<course_record>& courses, bool synthetic,
                                                     const std::string& instrument = "phq9");

}  // namespace kap::course

// The definitions: compiled into kap::core (src/course/cohort.cpp), or, with
// KAP_HEADER_ONLY, included here.
#if defined(KAP_HEADER_ONLY)
#include <kap/course/cohort-inl.hpp>
#endif
