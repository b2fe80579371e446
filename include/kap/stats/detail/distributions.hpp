#pragma once

/// @file
/// The numerical kernels behind kap/stats/stats.hpp: log-gamma, the regularized incomplete beta
/// function, and the normal and Student t quantiles built on them; plus the argument checks and
/// moments the public functions share.
///
/// kap implements these itself rather than pulling in Boost.Math (a large header set for four
/// functions) or calling `std::lgamma` (glibc writes the global `signgam`, a data race when two
/// threads analyse cohorts at once). Every function here assumes valid arguments; the public
/// wrappers in kap/stats/stats.hpp check them and return `kap::result`.
///
/// Accuracy, checked against 40-digit arithmetic (mpmath) for df from 0.3 to 1e12 and tail
/// probabilities from 1e-12 to 0.5: the t quantile to 4e-13 relative, the normal quantile to
/// 1e-15 relative (1e-16 absolute next to the median). tests/stats/stats_test.cpp checks them
/// against closed forms and published tables.

#include <kap/core/error.hpp>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstddef>
#include <limits>
#include <numbers>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>

namespace kap::stats::detail {

/// Shortest round-trip text of a double, for error messages ("0.95", "-1", "nan").
[[nodiscard]] inline std::string format_number(double v) {
  if (std::isnan(v)) return "nan";
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  char buf[32];
  const auto [ptr, ec] = std::to_chars(buf, buf + sizeof buf, v);
  if (ec != std::errc{}) return "?";
  return std::string(buf, ptr);
}

/// ln Gamma(x) for x > 0. Lanczos approximation, g = 7, n = 9 (Lanczos 1964, SIAM J Numer Anal
/// B1:86; coefficients of Godfrey 2001), about 1e-15 relative; x < 0.5 by ln Gamma(x) = ln
/// Gamma(x + 1) - ln x.
[[nodiscard]] inline double log_gamma(double x) noexcept {
  if (x < 0.5) return log_gamma(x + 1.0) - std::log(x);
  constexpr double g = 7.0;
  constexpr double c[9] = {0.99999999999980993,  676.5203681218851,     -1259.1392167224028,
                           771.32342877765313,   -176.61502916214059,   12.507343278686905,
                           -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7};
  const double xm1 = x - 1.0;
  double a = c[0];
  for (int i = 1; i < 9; ++i) a += c[i] / (xm1 + static_cast<double>(i));
  const double t = xm1 + g + 0.5;
  return 0.5 * std::log(2.0 * std::numbers::pi) + (xm1 + 0.5) * std::log(t) - t + std::log(a);
}

/// The continued fraction of I_x(a, b) (`y` = 1 - x), evaluated by the modified Lentz method (Numerical
/// Recipes 3rd ed. §6.4, `betacf`; DLMF 8.17.22). Converges fast for x < (a + 1) / (a + b + 2).
[[nodiscard]] inline double beta_continued_fraction(double a, double b, double x, double y) noexcept {
  constexpr double tiny = 1e-300;
  constexpr double eps = std::numeric_limits<double>::epsilon();
  const double qab = a + b;
  const double qap = a + 1.0;
  const double qam = a - 1.0;
  double c = 1.0;
  // 1 - (a + b) x / (a + 1); for x near 1 written as ((1 - b) + (a + b) y) / (a + 1), which does
  // not cancel when a is large (Student's t with df in the millions).
  double d = x > 0.5 ? ((1.0 - b) + qab * y) / qap : 1.0 - qab * x / qap;
  if (std::fabs(d) < tiny) d = tiny;
  d = 1.0 / d;
  double h = d;
  for (int m = 1; m <= 100000; ++m) {
    const double md = static_cast<double>(m);
    const double m2 = 2.0 * md;
    double aa = md * (b - md) * x / ((qam + m2) * (a + m2));
    d = 1.0 + aa * d;
    if (std::fabs(d) < tiny) d = tiny;
    c = 1.0 + aa / c;
    if (std::fabs(c) < tiny) c = tiny;
    d = 1.0 / d;
    h *= d * c;
    aa = -(a + md) * (qab + md) * x / ((a + m2) * (qap + m2));
    d = 1.0 + aa * d;
    if (std::fabs(d) < tiny) d = tiny;
    c = 1.0 + aa / c;
    if (std::fabs(c) < tiny) c = tiny;
    d = 1.0 / d;
    const double del = d * c;
    h *= del;
    if (std::fabs(del - 1.0) <= eps) break;
  }
  return h;
}

/// The remainder of Stirling's series, ln Gamma(x) - ((x - 1/2) ln x - x + ln(2 pi) / 2), for
/// x >= 10 (Abramowitz & Stegun 6.1.41, seven terms: truncation error below 1e-16 there).
[[nodiscard]] inline double stirling_remainder(double x) noexcept {
  const double r = 1.0 / (x * x);
  return (1.0 / 12 -
          r * (1.0 / 360 - r * (1.0 / 1260 - r * (1.0 / 1680 - r * (1.0 / 1188 - r * (691.0 / 360360 - r / 156.0)))))) /
         x;
}

/// ln B(a, b) = ln Gamma(a) + ln Gamma(b) - ln Gamma(a + b) for a, b > 0. When the larger argument
/// is 10 or more, its two large log-gammas are cancelled analytically (Stirling's series, A&S
/// 6.1.41): ln B = ln Gamma(b) - (a - 1/2) log1p(b/a) - b ln(a + b) + b + R(a) - R(a + b), with
/// a >= b. That keeps the t distribution accurate for df in the millions, where the three
/// log-gammas are ~1e7 and their difference ~1.
[[nodiscard]] inline double log_beta(double a, double b) noexcept {
  if (a < b) std::swap(a, b);
  if (a < 10.0) return log_gamma(a) + log_gamma(b) - log_gamma(a + b);
  return log_gamma(b) - (a - 0.5) * std::log1p(b / a) - b * std::log(a + b) + b + stirling_remainder(a) -
         stirling_remainder(a + b);
}

/// The regularized incomplete beta function I_x(a, b) for a, b > 0 and x in [0, 1]; `y` is
/// 1 - x, passed separately so that callers keep its precision (Numerical Recipes §6.4: the
/// continued fraction, with I_x(a, b) = 1 - I_{1-x}(b, a) above the switch point).
[[nodiscard]] inline double incomplete_beta(double a, double b, double x, double y) noexcept {
  if (x <= 0.0) return 0.0;
  if (y <= 0.0) return 1.0;
  // ln x and ln y from whichever of x, y is known to full relative precision.
  const double log_x = x > 0.5 ? std::log1p(-y) : std::log(x);
  const double log_y = y > 0.5 ? std::log1p(-x) : std::log(y);
  const double log_front = a * log_x + b * log_y - log_beta(a, b);
  if (x < (a + 1.0) / (a + b + 2.0)) return std::exp(log_front) * beta_continued_fraction(a, b, x, y) / a;
  return 1.0 - std::exp(log_front) * beta_continued_fraction(b, a, y, x) / b;
}

/// P(T > t) for Student's t with `df` degrees of freedom and t >= 0:
/// 0.5 I_{df/(df+t^2)}(df/2, 1/2) (Abramowitz & Stegun 26.7.1 with 26.5.27).
[[nodiscard]] inline double t_upper_tail(double t, double df) noexcept {
  const double t2 = t * t;
  return 0.5 * incomplete_beta(df / 2.0, 0.5, df / (df + t2), t2 / (df + t2));
}

/// The density of Student's t:
/// Gamma((df+1)/2) / (sqrt(df pi) Gamma(df/2)) (1 + t^2/df)^(-(df+1)/2) (A&S 26.7.1),
/// whose constant is 1 / (sqrt(df) B(df/2, 1/2)) since Gamma(1/2) = sqrt(pi).
[[nodiscard]] inline double t_density(double t, double df) noexcept {
  const double log_c = -log_beta(df / 2.0, 0.5) - 0.5 * std::log(df);
  return std::exp(log_c - (df + 1.0) / 2.0 * std::log1p(t * t / df));
}

/// The standard normal quantile z with P(Z <= z) = p, p in (0, 1): Acklam's rational
/// approximation (2003, relative error 1.15e-9) refined by one Halley step on std::erfc, which
/// brings it to full double precision.
[[nodiscard]] inline double normal_quantile(double p) noexcept {
  constexpr double a[6] = {-3.969683028665376e+01, 2.209460984245205e+02,  -2.759285104469687e+02,
                           1.383577518672690e+02,  -3.066479806614716e+01, 2.506628277459239e+00};
  constexpr double b[5] = {-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02, 6.680131188771972e+01,
                           -1.328068155288572e+01};
  constexpr double c[6] = {-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
                           -2.549732539343734e+00, 4.374664141464968e+00,  2.938163982698783e+00};
  constexpr double d[4] = {7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00};
  constexpr double p_low = 0.02425;
  double x = 0.0;
  if (p < p_low) {
    const double q = std::sqrt(-2.0 * std::log(p));
    x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
        ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1.0);
  } else if (p <= 1.0 - p_low) {
    const double q = p - 0.5;
    const double r = q * q;
    x = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q /
        (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1.0);
  } else {
    const double q = std::sqrt(-2.0 * std::log1p(-p));
    x = -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
        ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1.0);
  }
  // Halley refinement: e = Phi(x) - p, with Phi(x) = erfc(-x / sqrt 2) / 2. In the upper tail,
  // work with the upper tail probability so that the residual keeps its precision.
  if (p > 0.5) {
    const double e = 0.5 * std::erfc(x / std::numbers::sqrt2) - (1.0 - p);
    const double u = -e * std::sqrt(2.0 * std::numbers::pi) * std::exp(x * x / 2.0);
    x = x - u / (1.0 + x * u / 2.0);
  } else {
    const double e = 0.5 * std::erfc(-x / std::numbers::sqrt2) - p;
    const double u = e * std::sqrt(2.0 * std::numbers::pi) * std::exp(x * x / 2.0);
    x = x - u / (1.0 + x * u / 2.0);
  }
  return x;
}

/// The t >= 0 with P(T > t) = q for Student's t with `df` degrees of freedom, q in (0, 0.5]:
/// Newton's method on t_upper_tail (derivative -t_density), kept inside a bracket that
/// bisection takes over whenever a Newton step would leave it.
/// For df above 1e5 (where the continued fraction loses digits near its switch point) and
/// |z| <= 10, the Cornish-Fisher expansion of A&S 26.7.5 in powers of 1/df is used instead; its
/// first omitted term is below 1e-15 relative there.
[[nodiscard]] inline double t_upper_quantile(double q, double df) noexcept {
  if (q >= 0.5) return 0.0;
  if (df > 1e5) {
    const double z = -normal_quantile(q);
    if (z <= 10.0) {
      const double z2 = z * z;
      const double g1 = (z2 + 1.0) * z / 4.0;
      const double g2 = ((5.0 * z2 + 16.0) * z2 + 3.0) * z / 96.0;
      const double g3 = (((3.0 * z2 + 19.0) * z2 + 17.0) * z2 - 15.0) * z / 384.0;
      const double g4 = ((((79.0 * z2 + 776.0) * z2 + 1482.0) * z2 - 1920.0) * z2 - 945.0) * z / 92160.0;
      return z + (g1 + (g2 + (g3 + g4 / df) / df) / df) / df;
    }
  }
  double lo = 0.0;
  double hi = std::max(1.0, -normal_quantile(q));
  while (t_upper_tail(hi, df) > q && hi < 1e300) {
    lo = hi;
    hi *= 2.0;
  }
  double t = std::clamp(-normal_quantile(q), lo, hi);
  if (t <= lo || t >= hi) t = 0.5 * (lo + hi);
  for (int i = 0; i < 200; ++i) {
    const double f = t_upper_tail(t, df) - q;  // decreasing in t
    if (f == 0.0) return t;
    if (f > 0.0) {
      lo = t;
    } else {
      hi = t;
    }
    double next = t + f / t_density(t, df);
    if (!(next > lo && next < hi)) next = 0.5 * (lo + hi);
    if (std::fabs(next - t) <= 4.0 * std::numeric_limits<double>::epsilon() * next) return next;
    t = next;
  }
  return t;
}

/// `wilson: confidence 1 is outside (0, 1)` unless 0 < confidence < 1.
[[nodiscard]] inline std::optional<error> check_confidence(std::string_view fn, double confidence) {
  if (confidence > 0.0 && confidence < 1.0) return std::nullopt;
  return error{errc::out_of_range,
               std::string(fn) + ": confidence " + format_number(confidence) + " is outside (0, 1)"};
}

/// `mean_ci: values[3] is not finite` for the first NaN or infinity in `xs`.
[[nodiscard]] inline std::optional<error> check_finite(std::string_view fn, std::string_view name,
                                                       std::span<const double> xs) {
  for (std::size_t i = 0; i < xs.size(); ++i) {
    if (!std::isfinite(xs[i])) {
      return error{errc::out_of_range,
                   std::string(fn) + ": " + std::string(name) + "[" + std::to_string(i) + "] is not finite"};
    }
  }
  return std::nullopt;
}

/// The mean and the sum of squared deviations from it (two passes, for accuracy).
struct moments {
  double mean = 0.0;
  double sum_squares = 0.0;
};

/// Mean and sum of squared deviations of `xs` (two-pass algorithm; Chan, Golub & LeVeque 1983).
[[nodiscard]] inline moments moments_of(std::span<const double> xs) noexcept {
  moments m;
  if (xs.empty()) return m;
  double sum = 0.0;
  for (const double x : xs) sum += x;
  m.mean = sum / static_cast<double>(xs.size());
  for (const double x : xs) m.sum_squares += (x - m.mean) * (x - m.mean);
  return m;
}

}  // namespace kap::stats::detail
