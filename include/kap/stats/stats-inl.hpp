#pragma once

// The definitions of kap/stats/stats.hpp's functions. Not a public header: compiled into kap::core by
// src/stats/stats.cpp, or included by stats.hpp when KAP_HEADER_ONLY is defined
// (kap/core/config.hpp). KAP_FUNC is `inline` only then.

#include <kap/stats/stats.hpp>
#include <kap/stats/detail/distributions.hpp>

#include <algorithm>
#include <cmath>
#include <iterator>
#include <limits>
#include <map>

namespace kap::stats {

KAP_FUNC result<double> normal_quantile(double p) {
  if (!(p > 0.0 && p < 1.0)) {
    return error{errc::out_of_range, "normal_quantile: p " + detail::format_number(p) + " is outside (0, 1)"};
  }
  return detail::normal_quantile(p);
}

KAP_FUNC result<double> t_quantile(double p, double df) {
  if (!(p > 0.0 && p < 1.0)) {
    return error{errc::out_of_range, "t_quantile: p " + detail::format_number(p) + " is outside (0, 1)"};
  }
  if (!(df > 0.0 && std::isfinite(df))) {
    return error{errc::out_of_range, "t_quantile: df " + detail::format_number(df) + " is outside (0, inf)"};
  }
  if (p == 0.5) return 0.0;
  return p > 0.5 ? detail::t_upper_quantile(1.0 - p, df) : -detail::t_upper_quantile(p, df);
}

KAP_FUNC result<proportion> wilson(std::size_t successes, std::size_t n, double confidence) {
  if (auto e = detail::check_confidence("wilson", confidence)) return *std::move(e);
  if (n == 0) return error{errc::missing_item, "wilson: needs at least 1 trial, got n = 0"};
  if (successes > n) {
    return error{errc::out_of_range,
                 "wilson: successes " + std::to_string(successes) + " exceed n " + std::to_string(n)};
  }
  const double z = -detail::normal_quantile((1.0 - confidence) / 2.0);
  const double nd = static_cast<double>(n);
  const double p = static_cast<double>(successes) / nd;
  const double z2 = z * z;
  const double denom = 1.0 + z2 / nd;
  const double centre = (p + z2 / (2.0 * nd)) / denom;
  const double half = z / denom * std::sqrt(p * (1.0 - p) / nd + z2 / (4.0 * nd * nd));
  proportion out{successes, n, p, std::max(0.0, centre - half), std::min(1.0, centre + half)};
  if (successes == 0) out.lower = 0.0;
  if (successes == n) out.upper = 1.0;
  return out;
}

KAP_FUNC result<proportion_difference> newcombe(std::size_t x1, std::size_t n1, std::size_t x2,
                                                            std::size_t n2, double confidence) {
  if (auto e = detail::check_confidence("newcombe", confidence)) return *std::move(e);
  if (n1 == 0) return error{errc::missing_item, "newcombe: needs at least 1 trial in arm 1, got n1 = 0"};
  if (n2 == 0) return error{errc::missing_item, "newcombe: needs at least 1 trial in arm 2, got n2 = 0"};
  if (x1 > n1) {
    return error{errc::out_of_range, "newcombe: x1 " + std::to_string(x1) + " exceeds n1 " + std::to_string(n1)};
  }
  if (x2 > n2) {
    return error{errc::out_of_range, "newcombe: x2 " + std::to_string(x2) + " exceeds n2 " + std::to_string(n2)};
  }
  const proportion a = *wilson(x1, n1, confidence);
  const proportion b = *wilson(x2, n2, confidence);
  const double d = a.estimate - b.estimate;
  const double delta = std::hypot(a.estimate - a.lower, b.upper - b.estimate);
  const double epsilon = std::hypot(a.upper - a.estimate, b.estimate - b.lower);
  return proportion_difference{d, std::max(-1.0, d - delta), std::min(1.0, d + epsilon)};
}

KAP_FUNC result<mean_interval> mean_ci(std::span<const double> values, double confidence) {
  if (auto e = detail::check_confidence("mean_ci", confidence)) return *std::move(e);
  if (values.size() < 2) {
    return error{errc::missing_item, "mean_ci: needs at least 2 values, got " + std::to_string(values.size())};
  }
  if (auto e = detail::check_finite("mean_ci", "values", values)) return *std::move(e);
  const detail::moments m = detail::moments_of(values);
  const double nd = static_cast<double>(values.size());
  const double sd = std::sqrt(m.sum_squares / (nd - 1.0));
  const double t = detail::t_upper_quantile((1.0 - confidence) / 2.0, nd - 1.0);
  const double half = t * sd / std::sqrt(nd);
  return mean_interval{values.size(), m.mean, sd, m.mean - half, m.mean + half};
}

KAP_FUNC result<double> cohen_dz(std::span<const double> before, std::span<const double> after) {
  if (before.size() != after.size()) {
    return error{errc::wrong_item_count, "cohen_dz: before has " + std::to_string(before.size()) +
                                             " values but after has " + std::to_string(after.size())};
  }
  if (before.size() < 2) {
    return error{errc::missing_item, "cohen_dz: needs at least 2 pairs, got " + std::to_string(before.size())};
  }
  if (auto e = detail::check_finite("cohen_dz", "before", before)) return *std::move(e);
  if (auto e = detail::check_finite("cohen_dz", "after", after)) return *std::move(e);
  std::vector<double> diff(before.size());
  for (std::size_t i = 0; i < diff.size(); ++i) diff[i] = after[i] - before[i];
  const detail::moments m = detail::moments_of(diff);
  if (!(m.sum_squares > 0.0)) {
    return error{errc::out_of_range, "cohen_dz: the differences have zero variance, so d_z is undefined"};
  }
  const double sd = std::sqrt(m.sum_squares / static_cast<double>(diff.size() - 1));
  return m.mean / sd;
}

KAP_FUNC result<double> hedges_g(std::span<const double> a, std::span<const double> b) {
  if (a.size() < 2) {
    return error{errc::missing_item, "hedges_g: group a needs at least 2 values, got " + std::to_string(a.size())};
  }
  if (b.size() < 2) {
    return error{errc::missing_item, "hedges_g: group b needs at least 2 values, got " + std::to_string(b.size())};
  }
  if (auto e = detail::check_finite("hedges_g", "a", a)) return *std::move(e);
  if (auto e = detail::check_finite("hedges_g", "b", b)) return *std::move(e);
  const detail::moments ma = detail::moments_of(a);
  const detail::moments mb = detail::moments_of(b);
  const double n = static_cast<double>(a.size() + b.size());
  const double pooled = std::sqrt((ma.sum_squares + mb.sum_squares) / (n - 2.0));
  if (!(pooled > 0.0)) {
    return error{errc::out_of_range, "hedges_g: the pooled standard deviation is 0, so g is undefined"};
  }
  const double j = 1.0 - 3.0 / (4.0 * n - 9.0);
  return j * (ma.mean - mb.mean) / pooled;
}

KAP_FUNC result<km_curve> kaplan_meier(std::span<const km_observation> observations,
                                                   double confidence) {
  if (auto e = detail::check_confidence("kaplan_meier", confidence)) return *std::move(e);
  if (observations.empty()) return error{errc::missing_item, "kaplan_meier: needs at least 1 observation, got 0"};
  for (std::size_t i = 0; i < observations.size(); ++i) {
    const double t = observations[i].time;
    if (!std::isfinite(t)) {
      return error{errc::out_of_range, "kaplan_meier: observations[" + std::to_string(i) + "].time is not finite"};
    }
    if (t < 0.0) {
      return error{errc::out_of_range, "kaplan_meier: observations[" + std::to_string(i) + "].time " +
                                           detail::format_number(t) + " is negative"};
    }
  }
  std::vector<km_observation> sorted(observations.begin(), observations.end());
  std::sort(sorted.begin(), sorted.end(),
            [](const km_observation& x, const km_observation& y) { return x.time < y.time; });

  const double z = -detail::normal_quantile((1.0 - confidence) / 2.0);
  km_curve out;
  out.n = sorted.size();
  double s = 1.0;
  double greenwood = 0.0;  // sum d / (n (n - d))
  std::size_t at_risk = sorted.size();
  for (std::size_t i = 0; i < sorted.size();) {
    km_step step;
    step.time = sorted[i].time;
    step.at_risk = at_risk;
    for (; i < sorted.size() && sorted[i].time == step.time; ++i) {
      if (sorted[i].event) {
        ++step.events;
      } else {
        ++step.censored;
      }
    }
    if (step.events > 0) {
      const double n = static_cast<double>(at_risk);
      const double d = static_cast<double>(step.events);
      s *= (n - d) / n;
      if (at_risk > step.events) greenwood += d / (n * (n - d));
    }
    step.survival = s;
    if (s <= 0.0) {
      // Greenwood's variance is infinite once everyone at risk has responded: the data bound S
      // from below by 0 and from above by nothing new, so the upper limit stays where it was.
      step.lower = 0.0;
      step.upper = out.steps.empty() ? 1.0 : out.steps.back().upper;
    } else if (s >= 1.0) {
      step.lower = 1.0;
      step.upper = 1.0;
    } else {
      const double w = z * std::sqrt(greenwood) / std::fabs(std::log(s));
      step.lower = std::pow(s, std::exp(w));
      step.upper = std::pow(s, std::exp(-w));
    }
    out.events += step.events;
    at_risk -= step.events + step.censored;
    out.steps.push_back(step);
  }

  constexpr double half = 0.5 + 1e-12;
  for (const km_step& st : out.steps) {
    if (!out.median && st.survival <= half) out.median = st.time;
    if (!out.median_lower && st.lower <= half) out.median_lower = st.time;
    if (!out.median_upper && st.upper <= half) out.median_upper = st.time;
  }
  return out;
}

KAP_FUNC completeness summarize_completeness(std::span<const std::string> reasons) {
  completeness out;
  out.total = reasons.size();
  for (const std::string& reason : reasons) {
    if (reason.empty()) {
      ++out.usable;
    } else {
      ++out.excluded_by_reason[reason];
    }
  }
  return out;
}

KAP_FUNC double survival_at(const km_curve& curve, double t) noexcept {
  if (std::isnan(t)) return std::numeric_limits<double>::quiet_NaN();
  const auto it = std::upper_bound(curve.steps.begin(), curve.steps.end(), t,
                                   [](double x, const km_step& st) { return x < st.time; });
  if (it == curve.steps.begin()) return 1.0;
  return std::prev(it)->survival;
}

}  // namespace kap::stats
