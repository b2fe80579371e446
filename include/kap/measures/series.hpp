#pragma once

/// @file
/// Course analytics: how a symptom score moved over a series of assessments.
///
/// KAP's central claim is speed - improvement after one or two sessions - so the questions are
/// when the patient first responded and first remitted (as the index of the assessment and the
/// days since baseline), whether the response held, and where the course ended. The first
/// observation is the baseline; response and remission use the same rules as `compute_change`.
///
/// Sustained response is not defined by the issue or a single published rule; kap's documented
/// choice: the series ends in an unbroken run of responding assessments that has at least
/// `sustained_min_observations` assessments (default 2) and spans at least
/// `sustained_min_days` days (default 0). A response lost before the end starts the run anew.

#include <kap/core/result.hpp>
#include <kap/measures/detail/change_rules.hpp>
#include <kap/measures/detail/tables.hpp>
#include <kap/measures/instrument_id.hpp>

#include <boost/describe/class.hpp>

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace kap::measures {

/// One assessment in a course.
struct course_observation {
  int day = 0;    ///< day number on any fixed origin; must not decrease along the series
  int total = 0;  ///< the instrument total on that day

  friend constexpr bool operator==(const course_observation&, const course_observation&) = default;
};
BOOST_DESCRIBE_STRUCT(course_observation, (), (day, total))

/// Options for `summarize_course`. The defaults are the published rules.
struct course_options {
  int response_percent = 50;          ///< response = reduction of at least this % from baseline (1-100)
  std::string_view remission_rule{};  ///< a published rule by name; empty = the instrument's default
  std::optional<int> remission_max;   ///< an explicit remission threshold; wins over the name
  int sustained_min_observations = 2; ///< assessments the final responding run needs (>= 1)
  int sustained_min_days = 0;         ///< days the final responding run must span (>= 0)
};

/// One assessment of a course, located.
struct course_point {
  int index = 0;               ///< position in the series (0 = baseline)
  int days_from_baseline = 0;  ///< day - the baseline's day
  int total = 0;               ///< the total

  friend constexpr bool operator==(const course_point&, const course_point&) = default;
};
BOOST_DESCRIBE_STRUCT(course_point, (), (index, days_from_baseline, total))

/// The course of one instrument over a series of assessments.
struct course_summary {
  std::string instrument;                      ///< catalogue id
  int observations = 0;                        ///< number of assessments, baseline included
  course_point baseline;                       ///< the first assessment
  std::optional<course_point> first_response;  ///< first later assessment meeting response
  std::optional<course_point> first_remission; ///< first later assessment meeting remission
  std::optional<std::string> remission_rule;   ///< the remission rule used, when there is one
  bool sustained_response = false;             ///< the series ends in a long enough responding run
  std::optional<course_point> sustained_since; ///< start of that final run, when sustained
  course_point best;                           ///< lowest total (first such assessment, baseline included)
  course_point last;                           ///< the final assessment

  friend bool operator==(const course_summary&, const course_summary&) = default;
};
BOOST_DESCRIBE_STRUCT(course_summary, (),
                      (instrument, observations, baseline, first_response, first_remission, remission_rule,
                       sustained_response, sustained_since, best, last))

/// Summarises a course of assessments of one symptom scale.
/// @param id the instrument (a symptom scale: PHQ-9, GAD-7, QIDS-SR16, PCL-5, MADRS, HAM-D17, BDI-II)
/// @param series the assessments in time order; the first is the baseline
/// @param options response, remission and sustained-response rules
/// @return the summary, or
///   - `errc::unknown_instrument`: `id` is not in the catalogue (an integer cast to
///     `instrument_id`: `unknown instrument id 42 (known: ...)`), or it is not a symptom scale
///   - `errc::missing_field`: the series is empty
///   - `errc::out_of_range`: a total outside the instrument's range (`score 3: 30 is outside 0-27`),
///     or an option outside its range
///   - `errc::out_of_order`: a day earlier than the one before it
///   - `errc::unknown_enum`: a remission rule the instrument does not publish
/// Complexity: linear in the series length.
[[nodiscard]] inline result<course_summary> summarize_course(instrument_id id, std::span<const course_observation> series,
                                                             const course_options& options = {}) {
  const detail::spec* const sp = detail::find_spec(id);
  if (sp == nullptr) return detail::unknown_instrument_error(id);
  const detail::spec& s = *sp;
  if (!s.symptom_scale) {
    return error{errc::unknown_instrument,
                 std::string(to_string(id)) + " is not a symptom scale, so course analytics are not defined for it"};
  }
  if (series.empty()) return error{errc::missing_field, "a course needs at least one score (the baseline)"};
  if (auto e = detail::check_response_percent(options.response_percent)) return std::move(*e);
  if (options.sustained_min_observations < 1) {
    return error{errc::out_of_range, "sustained_min_observations " + std::to_string(options.sustained_min_observations) +
                                         " must be at least 1"};
  }
  if (options.sustained_min_days < 0) {
    return error{errc::out_of_range,
                 "sustained_min_days " + std::to_string(options.sustained_min_days) + " must not be negative"};
  }
  for (std::size_t i = 0; i < series.size(); ++i) {
    if (auto e = detail::check_total(s, "score " + std::to_string(i), series[i].total)) return std::move(*e);
    if (i > 0 && series[i].day < series[i - 1].day) {
      return error{errc::out_of_order, "score " + std::to_string(i) + ": day " + std::to_string(series[i].day) +
                                           " is earlier than day " + std::to_string(series[i - 1].day)};
    }
  }
  auto remission = detail::resolve_remission(s, options.remission_rule, options.remission_max);
  if (!remission) return std::move(remission).error();

  const int base = series.front().total;
  const int day0 = series.front().day;
  auto point = [&](std::size_t i) {
    return course_point{static_cast<int>(i), series[i].day - day0, series[i].total};
  };

  course_summary r;
  r.instrument = std::string(to_string(id));
  r.observations = static_cast<int>(series.size());
  r.baseline = point(0);
  r.best = point(0);
  if (*remission) r.remission_rule = std::string((*remission)->name);
  std::optional<std::size_t> run_start;  // start of the current run of responding assessments
  for (std::size_t i = 1; i < series.size(); ++i) {
    const int t = series[i].total;
    const bool response = detail::is_response(base, t, options.response_percent);
    if (response && !r.first_response) r.first_response = point(i);
    if (*remission && t <= (*remission)->max && !r.first_remission) r.first_remission = point(i);
    if (response) {
      if (!run_start) run_start = i;
    } else {
      run_start.reset();
    }
    if (t < r.best.total) r.best = point(i);
  }
  r.last = point(series.size() - 1);
  if (run_start) {
    const auto length = static_cast<int>(series.size() - *run_start);
    const int span_days = series.back().day - series[*run_start].day;
    if (length >= options.sustained_min_observations && span_days >= options.sustained_min_days) {
      r.sustained_response = true;
      r.sustained_since = point(*run_start);
    }
  }
  return r;
}

}  // namespace kap::measures
