#pragma once

/// @file
/// The statistics cohort reports use, each with its published formula (one-line source on each).
///
/// Wilson score intervals for proportions, Newcombe's interval for a difference of two
/// proportions, Student t intervals for a mean, paired (d_z) and between-group (Hedges' g)
/// effect sizes, and Kaplan-Meier curves of time to first response with Greenwood intervals
/// and the median with its Brookmeyer-Crowley interval. Quantiles are computed here (inverse
/// normal by Acklam's rational approximation refined by one Newton step; t by bisection on the
/// regularised incomplete beta function), so nothing depends on a statistics library. Bad input
/// (no observations, no variance, a confidence outside (0, 1)) is an error value, never NaN.

#include <kap/core/result.hpp>

#include <boost/describe/class.hpp>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace kap::stats {

/// A proportion with its interval.
struct proportion {
  std::size_t successes = 0;
  std::size_t n = 0;
  double estimate = 0;
  double lower = 0;
  double upper = 0;
  friend bool operator==(const proportion&, const proportion&) = default;
};
BOOST_DESCRIBE_STRUCT(proportion, (), (successes, n, estimate, lower, upper))

/// A mean with its interval.
struct mean_interval {
  std::size_t n = 0;
  double mean = 0;
  double sd = 0;
  double lower = 0;
  double upper = 0;
  friend bool operator==(const mean_interval&, const mean_interval&) = default;
};
BOOST_DESCRIBE_STRUCT(mean_interval, (), (n, mean, sd, lower, upper))

/// A difference of two proportions (first - second) with its interval.
struct proportion_difference {
  double difference = 0;
  double lower = 0;
  double upper = 0;
  friend bool operator==(const proportion_difference&, const proportion_difference&) = default;
};
BOOST_DESCRIBE_STRUCT(proportion_difference, (), (difference, lower, upper))

/// One subject's time to the event, or to censoring.
struct km_observation {
  double time = 0;
  bool event = false;  ///< true: the event (first response) happened at `time`; false: censored
  friend bool operator==(const km_observation&, const km_observation&) = default;
};
BOOST_DESCRIBE_STRUCT(km_observation, (), (time, event))

/// One step of a Kaplan-Meier curve, at a time with at least one event or censoring.
struct km_step {
  double time = 0;
  std::size_t at_risk = 0;
  std::size_t events = 0;
  std::size_t censored = 0;
  double survival = 1;  ///< probability of no event yet, just after `time`
  double lower = 1;     ///< 95% pointwise interval (Greenwood, log-log)
  double upper = 1;
  friend bool operator==(const km_step&, const km_step&) = default;
};
BOOST_DESCRIBE_STRUCT(km_step, (), (time, at_risk, events, censored, survival, lower, upper))

/// A Kaplan-Meier curve with its median.
struct km_curve {
  std::size_t n = 0;
  std::size_t events = 0;
  std::vector<km_step> steps;
  std::optional<double> median;        ///< first time with survival <= 0.5; none if never
  std::optional<double> median_lower;  ///< Brookmeyer-Crowley, read off the interval band
  std::optional<double> median_upper;
  friend bool operator==(const km_curve&, const km_curve&) = default;
};
BOOST_DESCRIBE_STRUCT(km_curve, (), (n, events, steps, median, median_lower, median_upper))

/// How many courses could be counted, and why the others could not.
struct completeness {
  std::size_t total = 0;
  std::size_t usable = 0;
  std::map<std::string, std::size_t> excluded_by_reason;
  friend bool operator==(const completeness&, const completeness&) = default;
};
BOOST_DESCRIBE_STRUCT(completeness, (), (total, usable, excluded_by_reason))

namespace detail {

inline result<void> check_confidence(double confidence) {
  if (!(confidence > 0 && confidence < 1)) {
    return error{errc::out_of_range, "confidence must be between 0 and 1 (exclusive)"};
  }
  return {};
}

/// Standard normal CDF.
inline double normal_cdf(double x) { return 0.5 * std::erfc(-x / std::sqrt(2.0)); }

/// Inverse standard normal CDF: Acklam's rational approximation, then one Newton step.
inline double normal_quantile(double p) {
  static constexpr double a[] = {-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02,
                                 1.383577518672690e+02,  -3.066479806614716e+01, 2.506628277459239e+00};
  static constexpr double b[] = {-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
                                 6.680131188771972e+01,  -1.328068155288572e+01};
  static constexpr double c[] = {-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
                                 -2.549732539343734e+00, 4.374664141464968e+00,  2.938163982698783e+00};
  static constexpr double d[] = {7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00,
                                 3.754408661907416e+00};
  const double lo = 0.02425;
  double x = 0;
  if (p < lo) {
    const double q = std::sqrt(-2 * std::log(p));
    x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
        ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  } else if (p <= 1 - lo) {
    const double q = p - 0.5;
    const double r = q * q;
    x = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q /
        (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
  } else {
    const double q = std::sqrt(-2 * std::log(1 - p));
    x = -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
        ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  }
  const double e = normal_cdf(x) - p;  // one Newton step (Acklam's refinement)
  const double u = e * std::sqrt(2 * 3.14159265358979323846) * std::exp(x * x / 2);
  return x - u / (1 + x * u / 2);
}

/// Continued fraction for the incomplete beta function (modified Lentz).
inline double beta_cf(double a, double b, double x) {
  const double tiny = 1e-300;
  double c = 1;
  double d = 1 - (a + b) * x / (a + 1);
  if (std::fabs(d) < tiny) d = tiny;
  d = 1 / d;
  double h = d;
  for (int m = 1; m <= 300; ++m) {
    const double m2 = 2.0 * m;
    double aa = m * (b - m) * x / ((a + m2 - 1) * (a + m2));
    d = 1 + aa * d;
    if (std::fabs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (std::fabs(c) < tiny) c = tiny;
    d = 1 / d;
    h *= d * c;
    aa = -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1));
    d = 1 + aa * d;
    if (std::fabs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (std::fabs(c) < tiny) c = tiny;
    d = 1 / d;
    const double del = d * c;
    h *= del;
    if (std::fabs(del - 1) < 1e-15) break;
  }
  return h;
}

/// Regularised incomplete beta I_x(a, b).
inline double incomplete_beta(double a, double b, double x) {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const double front = std::exp(std::lgamma(a + b) - std::lgamma(a) - std::lgamma(b) + a * std::log(x) +
                                b * std::log1p(-x));
  if (x < (a + 1) / (a + b + 2)) return front * beta_cf(a, b, x) / a;
  return 1 - front * beta_cf(b, a, 1 - x) / b;
}

/// Student t CDF with `df` degrees of freedom.
inline double t_cdf(double t, double df) {
  const double x = df / (df + t * t);
  const double tail = 0.5 * incomplete_beta(df / 2, 0.5, x);
  return t >= 0 ? 1 - tail : tail;
}

}  // namespace detail

/// The two-sided critical value of the standard normal for `confidence` (1.959964 for 0.95).
[[nodiscard]] inline double z_critical(double confidence = 0.95) {
  return detail::normal_quantile(1 - (1 - confidence) / 2);
}

/// The two-sided critical value of Student's t (2.228 for df 10 at 0.95), by bisection on the
/// CDF (computed through the regularised incomplete beta function).
[[nodiscard]] inline double t_critical(double df, double confidence = 0.95) {
  const double p = 1 - (1 - confidence) / 2;
  double lo = 0;
  double hi = 1;
  while (detail::t_cdf(hi, df) < p) hi *= 2;
  for (int i = 0; i < 200 && hi - lo > 1e-12; ++i) {
    const double mid = (lo + hi) / 2;
    (detail::t_cdf(mid, df) < p ? lo : hi) = mid;
  }
  return (lo + hi) / 2;
}

/// The Wilson score interval (Wilson 1927, JASA 22:209).
/// @return the proportion, or `errc::out_of_range` when n is 0, successes > n, or the
///         confidence is not in (0, 1)
[[nodiscard]] inline result<proportion> wilson(std::size_t successes, std::size_t n, double confidence = 0.95) {
  if (auto c = detail::check_confidence(confidence); !c) return c.error();
  if (n == 0) return error{errc::out_of_range, "a proportion needs at least one observation"};
  if (successes > n) return error{errc::out_of_range, "successes exceed the number of observations"};
  const double z = z_critical(confidence);
  const double nn = static_cast<double>(n);
  const double p = static_cast<double>(successes) / nn;
  const double denom = 1 + z * z / nn;
  const double centre = (p + z * z / (2 * nn)) / denom;
  const double half = z * std::sqrt(p * (1 - p) / nn + z * z / (4 * nn * nn)) / denom;
  // At 0% and 100% the interval's closed end is exactly 0 or 1.
  const double lower = successes == 0 ? 0.0 : std::max(0.0, centre - half);
  const double upper = successes == n ? 1.0 : std::min(1.0, centre + half);
  return proportion{successes, n, p, lower, upper};
}

/// The difference of two proportions with Newcombe's hybrid score interval (Newcombe 1998,
/// Stat Med 17:873, method 10), built from the two Wilson intervals.
[[nodiscard]] inline result<proportion_difference> newcombe(std::size_t x1, std::size_t n1, std::size_t x2,
                                                            std::size_t n2, double confidence = 0.95) {
  auto a = wilson(x1, n1, confidence);
  if (!a) return a.error();
  auto b = wilson(x2, n2, confidence);
  if (!b) return b.error();
  const double d = a->estimate - b->estimate;
  const double lower = d - std::sqrt((a->estimate - a->lower) * (a->estimate - a->lower) +
                                     (b->upper - b->estimate) * (b->upper - b->estimate));
  const double upper = d + std::sqrt((a->upper - a->estimate) * (a->upper - a->estimate) +
                                     (b->estimate - b->lower) * (b->estimate - b->lower));
  return proportion_difference{d, lower, upper};
}

/// The mean with a Student t interval (mean +- t(n-1) * sd / sqrt(n)).
/// @return the interval, or `errc::out_of_range` for fewer than 2 values or a bad confidence
[[nodiscard]] inline result<mean_interval> mean_ci(std::span<const double> xs, double confidence = 0.95) {
  if (auto c = detail::check_confidence(confidence); !c) return c.error();
  if (xs.size() < 2) return error{errc::out_of_range, "a mean interval needs at least 2 values"};
  const double n = static_cast<double>(xs.size());
  double sum = 0;
  for (double x : xs) sum += x;
  const double mean = sum / n;
  double ss = 0;
  for (double x : xs) ss += (x - mean) * (x - mean);
  const double sd = std::sqrt(ss / (n - 1));
  const double half = t_critical(n - 1, confidence) * sd / std::sqrt(n);
  return mean_interval{xs.size(), mean, sd, mean - half, mean + half};
}

/// Cohen's d_z for paired scores: mean of the differences (after - before) over their SD
/// (Cohen 1988; Lakens 2013, Front Psychol 4:863).
/// @return d_z, or `errc::out_of_range` for unequal lengths, fewer than 2 pairs, or no variance
[[nodiscard]] inline result<double> cohen_dz(std::span<const double> before, std::span<const double> after) {
  if (before.size() != after.size()) return error{errc::out_of_range, "paired scores differ in number"};
  std::vector<double> diff(before.size());
  for (std::size_t i = 0; i < before.size(); ++i) diff[i] = after[i] - before[i];
  auto m = mean_ci(diff);
  if (!m) return m.error();
  if (m->sd == 0) return error{errc::out_of_range, "the differences have no variance"};
  return m->mean / m->sd;
}

/// Hedges' g between two groups: the mean difference (a - b) over the pooled SD, times the
/// small-sample correction J = 1 - 3 / (4 (n1 + n2) - 9) (Hedges & Olkin 1985).
/// @return g, or `errc::out_of_range` for fewer than 2 values in a group or no variance
[[nodiscard]] inline result<double> hedges_g(std::span<const double> a, std::span<const double> b) {
  auto ma = mean_ci(a);
  if (!ma) return ma.error();
  auto mb = mean_ci(b);
  if (!mb) return mb.error();
  const double n1 = static_cast<double>(a.size());
  const double n2 = static_cast<double>(b.size());
  const double pooled = std::sqrt(((n1 - 1) * ma->sd * ma->sd + (n2 - 1) * mb->sd * mb->sd) / (n1 + n2 - 2));
  if (pooled == 0) return error{errc::out_of_range, "the groups have no variance"};
  const double j = 1 - 3 / (4 * (n1 + n2) - 9);
  return j * (ma->mean - mb->mean) / pooled;
}

/// The Kaplan-Meier estimate of the probability of no event yet (Kaplan & Meier 1958), with
/// ties handled as events before censorings at the same time, Greenwood's variance on the
/// log(-log) scale for 95% pointwise intervals (Kalbfleisch & Prentice 2002), the median as the
/// first time with S(t) <= 0.5, and its interval as the first times the upper and lower bands
/// reach 0.5 (Brookmeyer & Crowley 1982).
/// @return the curve, or `errc::out_of_range` for no observations or a negative or non-finite time
[[nodiscard]] inline result<km_curve> kaplan_meier(std::span<const km_observation> obs, double confidence = 0.95) {
  if (auto c = detail::check_confidence(confidence); !c) return c.error();
  if (obs.empty()) return error{errc::out_of_range, "a survival curve needs at least one observation"};
  for (const auto& o : obs) {
    if (!std::isfinite(o.time) || o.time < 0) return error{errc::out_of_range, "times must be finite and not negative"};
  }
  std::vector<km_observation> sorted(obs.begin(), obs.end());
  std::sort(sorted.begin(), sorted.end(), [](const km_observation& x, const km_observation& y) { return x.time < y.time; });
  const double z = z_critical(confidence);
  km_curve out;
  out.n = sorted.size();
  double s = 1;
  double greenwood = 0;
  std::size_t at_risk = sorted.size();
  for (std::size_t i = 0; i < sorted.size();) {
    const double t = sorted[i].time;
    std::size_t events = 0;
    std::size_t censored = 0;
    for (; i < sorted.size() && sorted[i].time == t; ++i) (sorted[i].event ? events : censored) += 1;
    km_step step;
    step.time = t;
    step.at_risk = at_risk;
    step.events = events;
    step.censored = censored;
    if (events > 0) {
      const double r = static_cast<double>(at_risk);
      const double d = static_cast<double>(events);
      s *= 1 - d / r;
      if (r > d) greenwood += d / (r * (r - d));
    }
    step.survival = s;
    if (s > 0 && s < 1) {
      const double se = std::sqrt(greenwood) / std::fabs(std::log(s));
      step.lower = std::pow(s, std::exp(z * se));
      step.upper = std::pow(s, std::exp(-z * se));
    } else {
      step.lower = s == 1 ? 1 : 0;
      step.upper = s == 1 ? 1 : (out.steps.empty() ? 1 : out.steps.back().upper);
    }
    out.events += events;
    at_risk -= events + censored;
    out.steps.push_back(step);
  }
  for (const auto& st : out.steps) {
    if (!out.median && st.survival <= 0.5) out.median = st.time;
    if (!out.median_lower && st.lower <= 0.5) out.median_lower = st.time;
    if (!out.median_upper && st.upper <= 0.5) out.median_upper = st.time;
  }
  return out;
}

/// The curve's survival just after time t (1 before the first step).
[[nodiscard]] inline double survival_at(const km_curve& k, double t) {
  double s = 1;
  for (const auto& st : k.steps) {
    if (st.time > t) break;
    s = st.survival;
  }
  return s;
}

/// Counts usable courses: an empty reason means usable; others are grouped by reason.
[[nodiscard]] inline completeness summarize_completeness(const std::vector<std::string>& reasons) {
  completeness c;
  c.total = reasons.size();
  for (const auto& r : reasons) {
    if (r.empty()) {
      ++c.usable;
    } else {
      ++c.excluded_by_reason[r];
    }
  }
  return c;
}

}  // namespace kap::stats
