#pragma once

/// @file
/// `kap::stats`: the cohort statistics that papers report, over many courses of treatment.
///
/// A researcher comparing protocols wants numbers with intervals: responder and remitter rates
/// (Wilson score intervals), mean change (Student t interval), paired and two-group effect sizes
/// (Cohen's d_z, Hedges' g), the difference in response rate between two arms (Newcombe's hybrid
/// score interval), time to first response with censoring (Kaplan-Meier, with a median and its
/// interval) and how many courses could be counted at all (completeness).
///
/// The layer is pure and header-only: functions of spans and counts, no I/O, no clock, no global
/// state, no dependency beyond std and Boost.Describe (so every result prints as JSON through
/// `kap::json::to_string`). The normal and t quantiles are computed here (see
/// kap/stats/detail/distributions.hpp for why and how accurately: 4e-13 relative or better).
///
/// Errors follow one rule: too few observations to compute the statistic is
/// `errc::missing_item`; a value that is not allowed (a confidence outside (0, 1), more successes
/// than trials, a negative or non-finite number, zero variance where the statistic divides by it)
/// is `errc::out_of_range`; paired spans of different lengths are `errc::wrong_item_count`. Each
/// message starts with the function's name.

#include <kap/core/error.hpp>
#include <kap/core/result.hpp>
#include <kap/core/config.hpp>

#include <boost/describe/class.hpp>

#include <cstddef>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace kap::stats {

// --- quantiles -------------------------------------------------------------------------------

/// The standard normal quantile: the z with P(Z <= z) = p.
/// Source: Acklam (2003) rational approximation plus one Halley step on `std::erfc`.
/// @param p a probability in (0, 1)
/// @return z, accurate to about 1e-15; `errc::out_of_range` when p is not in (0, 1)
[[nodiscard]] KAP_CORE_API result<double> normal_quantile(double p);

/// The quantile of Student's t distribution: the t with P(T <= t) = p, for `df` degrees of
/// freedom (any real df > 0).
/// Source: inversion of P(T > t) = I_{df/(df+t^2)}(df/2, 1/2) / 2 (Abramowitz & Stegun 26.7.1) by
/// safeguarded Newton steps; for df > 1e5 the Cornish-Fisher expansion of A&S 26.7.5.
/// @param p a probability in (0, 1)
/// @param df degrees of freedom, finite and > 0
/// @return t, accurate to about 4e-13 relative; `errc::out_of_range` for p outside (0, 1) or a
///         df that is not a finite positive number
[[nodiscard]] KAP_CORE_API result<double> t_quantile(double p, double df);

// --- proportions -----------------------------------------------------------------------------

/// A proportion with its confidence interval (e.g. the responder rate of an arm).
struct proportion {
  std::size_t successes = 0;  ///< number of successes (responders)
  std::size_t n = 0;          ///< number of trials (courses counted)
  double estimate = 0.0;      ///< successes / n
  double lower = 0.0;         ///< lower confidence limit, in [0, estimate]
  double upper = 0.0;         ///< upper confidence limit, in [estimate, 1]

  friend bool operator==(const proportion&, const proportion&) = default;
};
BOOST_DESCRIBE_STRUCT(proportion, (), (successes, n, estimate, lower, upper))

/// The Wilson score interval of a binomial proportion.
/// Source: Wilson EB (1927) J Am Stat Assoc 22:209-212; Newcombe (1998) Stat Med 17:857, method 3:
/// (p + z^2/2n +- z sqrt(p(1-p)/n + z^2/4n^2)) / (1 + z^2/n), z the (1+confidence)/2 normal quantile.
/// At 0 successes the lower limit is exactly 0, at n successes the upper limit exactly 1.
/// @param successes number of successes, at most n
/// @param n number of trials, at least 1
/// @param confidence the coverage, in (0, 1)
/// @return the interval; `errc::missing_item` when n is 0, `errc::out_of_range` when successes > n
///         or the confidence is outside (0, 1)
[[nodiscard]] KAP_CORE_API result<proportion> wilson(std::size_t successes, std::size_t n, double confidence = 0.95);

/// The difference of two independent proportions, p1 - p2, with its confidence interval.
struct proportion_difference {
  double difference = 0.0;  ///< p1 - p2
  double lower = 0.0;       ///< lower confidence limit, >= -1
  double upper = 0.0;       ///< upper confidence limit, <= 1

  friend bool operator==(const proportion_difference&, const proportion_difference&) = default;
};
BOOST_DESCRIBE_STRUCT(proportion_difference, (), (difference, lower, upper))

/// The difference between two independent proportions (e.g. response rates of two arms) with
/// Newcombe's hybrid score interval.
/// Source: Newcombe RG (1998) Stat Med 17:873-890, method 10: from the Wilson limits (l_i, u_i),
/// lower = d - sqrt((p1-l1)^2 + (u2-p2)^2), upper = d + sqrt((u1-p1)^2 + (p2-l2)^2).
/// @param x1 successes in arm 1, at most n1
/// @param n1 trials in arm 1, at least 1
/// @param x2 successes in arm 2, at most n2
/// @param n2 trials in arm 2, at least 1
/// @param confidence the coverage, in (0, 1)
/// @return the difference and interval; `errc::missing_item` when n1 or n2 is 0,
///         `errc::out_of_range` when x1 > n1, x2 > n2 or the confidence is outside (0, 1)
[[nodiscard]] KAP_CORE_API result<proportion_difference> newcombe(std::size_t x1, std::size_t n1, std::size_t x2,
                                                            std::size_t n2, double confidence = 0.95);

// --- means and effect sizes ------------------------------------------------------------------

/// A mean with its confidence interval (e.g. the mean change in a symptom score).
struct mean_interval {
  std::size_t n = 0;   ///< number of values
  double mean = 0.0;   ///< arithmetic mean
  double sd = 0.0;     ///< sample standard deviation (divisor n - 1)
  double lower = 0.0;  ///< lower confidence limit
  double upper = 0.0;  ///< upper confidence limit

  friend bool operator==(const mean_interval&, const mean_interval&) = default;
};
BOOST_DESCRIBE_STRUCT(mean_interval, (), (n, mean, sd, lower, upper))

/// The mean of `values` with its Student t confidence interval.
/// Source: Student (1908) Biometrika 6:1-25: mean +- t_{(1+confidence)/2, n-1} sd / sqrt(n).
/// @param values the observations, all finite, at least 2
/// @param confidence the coverage, in (0, 1)
/// @return n, mean, SD and interval; `errc::missing_item` for fewer than 2 values,
///         `errc::out_of_range` for a non-finite value or a confidence outside (0, 1)
/// Complexity: linear in the number of values.
[[nodiscard]] KAP_CORE_API result<mean_interval> mean_ci(std::span<const double> values, double confidence = 0.95);

/// Cohen's d_z for paired observations: the mean of the differences `after - before` divided by
/// their standard deviation. A fall in a symptom score gives a negative d_z.
/// Source: Cohen J (1988) Statistical Power Analysis, 2nd ed., eq. 2.3.5; Lakens D (2013) Front
/// Psychol 4:863, eq. 6.
/// @param before the first measurement of each pair, all finite
/// @param after the second measurement of each pair, in the same order, all finite
/// @return d_z; `errc::wrong_item_count` when the spans differ in length, `errc::missing_item`
///         for fewer than 2 pairs, `errc::out_of_range` for a non-finite value or when the
///         differences have zero variance
[[nodiscard]] KAP_CORE_API result<double> cohen_dz(std::span<const double> before, std::span<const double> after);

/// Hedges' g for two independent groups: (mean_a - mean_b) / pooled SD, times the small-sample
/// correction J = 1 - 3 / (4 (n_a + n_b) - 9).
/// Source: Hedges LV & Olkin I (1985) Statistical Methods for Meta-Analysis, ch. 5 (pooled SD
/// sqrt(((n_a-1)s_a^2 + (n_b-1)s_b^2) / (n_a+n_b-2)), J as above).
/// @param a the values of the first group, all finite, at least 2
/// @param b the values of the second group, all finite, at least 2
/// @return g; `errc::missing_item` when a group has fewer than 2 values, `errc::out_of_range`
///         for a non-finite value or when the pooled SD is 0
[[nodiscard]] KAP_CORE_API result<double> hedges_g(std::span<const double> a, std::span<const double> b);

// --- Kaplan-Meier ----------------------------------------------------------------------------

/// One subject's time to first response.
struct km_observation {
  double time = 0.0;   ///< when the response happened, or when follow-up ended (sessions or days, >= 0)
  bool event = false;  ///< true: responded at `time`; false: censored (never responded, or dropped out)

  friend bool operator==(const km_observation&, const km_observation&) = default;
};
BOOST_DESCRIBE_STRUCT(km_observation, (), (time, event))

/// The Kaplan-Meier estimate at one distinct observed time.
struct km_step {
  double time = 0.0;         ///< the time
  std::size_t at_risk = 0;   ///< subjects with time >= this time (censored ones at this time included)
  std::size_t events = 0;    ///< responses at this time
  std::size_t censored = 0;  ///< censorings at this time
  double survival = 1.0;     ///< probability of not yet having responded, just after this time
  double lower = 1.0;        ///< pointwise lower confidence limit of `survival`
  double upper = 1.0;        ///< pointwise upper confidence limit of `survival`

  friend bool operator==(const km_step&, const km_step&) = default;
};
BOOST_DESCRIBE_STRUCT(km_step, (), (time, at_risk, events, censored, survival, lower, upper))

/// A Kaplan-Meier curve of time to first response.
struct km_curve {
  std::size_t n = 0;                   ///< subjects
  std::size_t events = 0;              ///< responses observed
  std::vector<km_step> steps;          ///< one per distinct time, ascending
  std::optional<double> median;        ///< smallest time with survival <= 0.5; absent if never
  std::optional<double> median_lower;  ///< lower limit of the median's interval; absent if not reached
  std::optional<double> median_upper;  ///< upper limit of the median's interval; absent if not reached

  friend bool operator==(const km_curve&, const km_curve&) = default;
};
BOOST_DESCRIBE_STRUCT(km_curve, (), (n, events, steps, median, median_lower, median_upper))

/// The Kaplan-Meier estimate of the probability of not yet having responded, with pointwise
/// confidence limits and the median time to response with its interval.
///
/// Sources: Kaplan EL & Meier P (1958) J Am Stat Assoc 53:457-481: S(t) = prod (1 - d_i / n_i);
/// events at a time come before censorings at the same time (censored subjects are at risk).
/// Greenwood M (1926) variance, Var(log S) = sum d_i / (n_i (n_i - d_i)), on the log(-log) scale
/// (Kalbfleisch JD & Prentice RL 1980, The Statistical Analysis of Failure Time Data, eq. 1.10):
/// limits S^exp(+-z sqrt(Var(log S)) / |log S|), as R survival's `conf.type = "log-log"`.
/// Median: the smallest time with S(t) <= 0.5 (R's survfit instead takes the midpoint when S is
/// exactly 0.5 over an interval). Median interval: Brookmeyer R & Crowley J (1982) Biometrics
/// 38:29-41 as read off the band: lower limit = smallest t with lower(t) <= 0.5, upper limit =
/// smallest t with upper(t) <= 0.5. Comparisons with 0.5 allow 1e-12 for rounding.
/// Where S(t) = 1 the band is [1, 1]; where S(t) falls to 0 (everyone left at risk responded,
/// so Greenwood's variance is infinite; R reports NA) the band is [0, the previous upper limit].
/// @param observations the subjects, in any order; times finite and >= 0
/// @param confidence the pointwise coverage, in (0, 1)
/// @return the curve; `errc::missing_item` when there are no observations, `errc::out_of_range`
///         for a negative or non-finite time or a confidence outside (0, 1)
/// Complexity: O(n log n) (one sort of a copy of the observations).
[[nodiscard]] KAP_CORE_API result<km_curve> kaplan_meier(std::span<const km_observation> observations,
                                                   double confidence = 0.95);

/// The Kaplan-Meier survival at time `t`: that of the last step at or before t, 1 before the
/// first step, and the last step's beyond it.
/// Source: the right-continuous step function of Kaplan & Meier (1958).
/// @param curve a curve from `kaplan_meier`
/// @param t the time; NaN gives NaN
/// @return S(t) in [0, 1]
/// Complexity: logarithmic in the number of steps.
[[nodiscard]] KAP_CORE_API double survival_at(const km_curve& curve, double t) noexcept;

// --- completeness ----------------------------------------------------------------------------

/// How many courses had enough data to count, and why the others did not.
struct completeness {
  std::size_t total = 0;                                  ///< courses considered
  std::size_t usable = 0;                                 ///< courses counted in the statistics
  std::map<std::string, std::size_t> excluded_by_reason;  ///< the others, by reason (sorted by name)

  friend bool operator==(const completeness&, const completeness&) = default;
};
BOOST_DESCRIBE_STRUCT(completeness, (), (total, usable, excluded_by_reason))

/// Tallies data completeness over courses: one entry per course, empty when the course is usable,
/// otherwise the reason it was excluded (e.g. "no assessment after baseline", "dropped out").
/// Source: the CONSORT 2010 flow diagram's "excluded from analysis (give reasons)" (Schulz KF et
/// al., BMJ 2010;340:c332).
/// @param reasons one entry per course; "" marks a usable course
/// @return the counts; total == usable + the sum of excluded_by_reason. Cannot fail.
/// Complexity: O(n log r) for n courses and r distinct reasons.
[[nodiscard]] KAP_CORE_API completeness summarize_completeness(std::span<const std::string> reasons);

}  // namespace kap::stats

// The definitions: compiled into kap::core (src/stats/stats.cpp), or, with
// KAP_HEADER_ONLY, included here.
#if defined(KAP_HEADER_ONLY)
#include <kap/stats/stats-inl.hpp>
#endif
