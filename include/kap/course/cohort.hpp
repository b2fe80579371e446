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

#include <kap/course/simulate.hpp>
#include <kap/course/stats.hpp>
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
[[nodiscard]] inline cohort_summary summarize_cohort(const std::vector<course_record>& courses, bool synthetic,
                                                     const std::string& instrument = "phq9") {
  cohort_summary out;
  out.synthetic = synthetic;
  out.instrument = instrument;
  std::vector<std::string> order;
  std::map<std::string, std::vector<const course_record*>> by_arm;
  for (const auto& c : courses) {
    if (!by_arm.contains(c.arm)) order.push_back(c.arm);
    by_arm[c.arm].push_back(&c);
  }
  const auto id = measures::parse_instrument_id(instrument);
  // Why a record cannot be read consistently, or "" when it can.
  auto inconsistency = [](const course_record& c) -> std::string_view {
    if (c.observations.size() != c.session_of_observation.size()) {
      return "observations and session_of_observation differ in length";
    }
    for (const int k : c.session_of_observation) {
      if (k < 0) return "negative session index in session_of_observation";
    }
    if (c.sessions_completed < 0 || c.sessions_aborted < 0) return "negative sessions_completed or sessions_aborted";
    return {};
  };
  std::map<std::string, std::vector<double>> changes;
  std::map<std::string, std::pair<std::size_t, std::size_t>> responders;
  for (const auto& arm : order) {
    arm_summary s;
    s.arm = arm;
    std::vector<std::string> reasons;
    std::vector<double> before, after, change;
    std::vector<stats::km_observation> km_sessions, km_days;
    std::size_t responded = 0, remitted = 0;
    for (const course_record* c : by_arm[arm]) {
      ++s.n;
      if (auto why = inconsistency(*c); !why.empty()) {
        reasons.emplace_back(why);
        continue;
      }
      s.sessions_completed += static_cast<std::size_t>(c->sessions_completed);
      s.sessions_aborted += static_cast<std::size_t>(c->sessions_aborted);
      s.events += c->events;
      s.rejected_events += c->rejected;
      if (c->observations.size() < 2) {
        reasons.emplace_back("no assessment after baseline");
        continue;
      }
      if (!id) {
        reasons.emplace_back("unknown instrument");
        continue;
      }
      auto summary = measures::summarize_course(*id, c->observations);
      auto last = measures::compute_change(*id, c->observations.front().total, c->observations.back().total);
      if (!summary || !last) {
        reasons.emplace_back(!summary ? summary.error().message : last.error().message);
        continue;
      }
      reasons.emplace_back("");
      before.push_back(c->observations.front().total);
      after.push_back(c->observations.back().total);
      change.push_back(c->observations.back().total - c->observations.front().total);
      responded += last->response.value_or(false) ? 1U : 0U;
      remitted += last->remission.value_or(false) ? 1U : 0U;
      const auto& obs = c->observations;
      if (summary->first_response) {
        const auto idx = static_cast<std::size_t>(summary->first_response->index);
        km_sessions.push_back({static_cast<double>(c->session_of_observation[idx]), true});
        km_days.push_back({static_cast<double>(summary->first_response->days_from_baseline), true});
      } else {
        km_sessions.push_back({static_cast<double>(c->session_of_observation.back()), false});
        km_days.push_back({static_cast<double>(obs.back().day - obs.front().day), false});
      }
    }
    s.completeness = stats::summarize_completeness(reasons);
    const std::size_t usable = before.size();
    if (auto r = stats::wilson(responded, usable)) s.response = *r;
    if (auto r = stats::wilson(remitted, usable)) s.remission = *r;
    if (auto m = stats::mean_ci(change)) s.change = *m;
    if (auto d = stats::cohen_dz(before, after)) s.cohen_dz = *d;
    if (auto k = stats::kaplan_meier(km_sessions)) s.sessions_to_response = *k;
    if (auto k = stats::kaplan_meier(km_days)) s.days_to_response = *k;
    changes[arm] = change;
    responders[arm] = {responded, usable};
    out.arms.push_back(std::move(s));
  }
  if (order.size() >= 2) {
    arm_comparison cmp;
    cmp.first = order[0];
    cmp.second = order[1];
    const auto [x1, n1] = responders[order[0]];
    const auto [x2, n2] = responders[order[1]];
    if (auto d = stats::newcombe(x1, n1, x2, n2)) cmp.response_difference = *d;
    if (auto g = stats::hedges_g(changes[order[0]], changes[order[1]])) cmp.hedges_g_change = *g;
    out.comparison = std::move(cmp);
  }
  return out;
}

}  // namespace kap::course
