#pragma once

/// @file
/// Vitals readings and limits as numbers, for the session engine's checks on every reading.
/// Private to the engine (kap::detail); its own tests are tests/session/vitals_bounds_test.cpp.

#include <kap/clinical/vitals.hpp>

#include <algorithm>
#include <array>
#include <limits>

namespace kap::detail {

/// The signs in the order of a reading: systolic, diastolic, heart rate, SpO2, respiratory rate.
inline constexpr std::size_t vitals_values_count = 5;

/// A reading as five numbers (in the order of `vitals_values_count`) with one bit per value
/// present (bit 0 systolic ... bit 4 respiratory rate).
struct vitals_values {
  std::array<double, vitals_values_count> v{};  ///< the values (0 where absent)
  unsigned present = 0;                         ///< a bit per value present
};

/// Limits as a lower and an upper bound on each value, minus or plus infinity where the limits
/// set none.
struct vitals_bounds {
  static constexpr double unbounded = std::numeric_limits<double>::infinity();  ///< no bound
  std::array<double, vitals_values_count> lo{-unbounded, -unbounded, -unbounded, -unbounded, -unbounded};  ///< lower bounds
  std::array<double, vitals_values_count> hi{unbounded, unbounded, unbounded, unbounded, unbounded};  ///< upper bounds
};

/// The values of a reading (an `events::vitals` or a `vitals_reading`).
template <class Reading>
[[nodiscard]] vitals_values values_of(const Reading& r) noexcept {
  vitals_values out;
  auto put = [&](unsigned i, const auto& x) {
    if (x) {
      out.v[i] = x->count();
      out.present |= 1U << i;
    }
  };
  put(0, r.systolic);
  put(1, r.diastolic);
  put(2, r.heart_rate);
  put(3, r.spo2);
  put(4, r.respiratory_rate);
  return out;
}

/// Limits as bounds (validate refuses a NaN or infinite limit, so every bound set is finite).
[[nodiscard]] inline vitals_bounds bounds_of(const vitals_limits& l) noexcept {
  vitals_bounds b;
  auto put = [](double& to, const auto& x) {
    if (x) to = x->count();
  };
  put(b.lo[0], l.systolic_min);
  put(b.hi[0], l.systolic_max);
  put(b.hi[1], l.diastolic_max);
  put(b.lo[2], l.heart_rate_min);
  put(b.hi[2], l.heart_rate_max);
  put(b.lo[3], l.spo2_min);
  put(b.lo[4], l.respiratory_rate_min);
  put(b.hi[4], l.respiratory_rate_max);
  return b;
}

/// The bounds both `a` and `b` allow: a reading within them is within each.
[[nodiscard]] inline vitals_bounds tighter(const vitals_bounds& a, const vitals_bounds& b) noexcept {
  vitals_bounds out;
  for (std::size_t i = 0; i < vitals_values_count; ++i) {
    out.lo[i] = std::max(a.lo[i], b.lo[i]);
    out.hi[i] = std::min(a.hi[i], b.hi[i]);
  }
  return out;
}

/// What a reading may hold at all (0 to the `max_plausible_*` constants): a value outside is a
/// typing or device error.
[[nodiscard]] constexpr vitals_bounds plausible_bounds() noexcept {
  vitals_bounds b;
  b.lo = {0, 0, 0, 0, 0};
  b.hi = {max_plausible_systolic, max_plausible_diastolic, max_plausible_heart_rate, max_plausible_spo2,
          max_plausible_respiratory_rate};
  return b;
}

/// The values a sign covers, as bits of `vitals_values::present` (both pressures for blood pressure).
[[nodiscard]] constexpr unsigned sign_bits(vital_sign sign) noexcept {
  switch (sign) {
    case vital_sign::blood_pressure: return 3U;
    case vital_sign::heart_rate: return 4U;
    case vital_sign::spo2: return 8U;
    case vital_sign::respiratory_rate: return 16U;
  }
  return 0;
}

/// The values present among `bits` that are outside the bounds, as bits. The same rule as
/// `kap::within`: a value equal to a bound is within it, an absent value is not judged, and a NaN
/// is within no bounds.
[[nodiscard]] inline unsigned outside_bounds(const vitals_values& x, const vitals_bounds& b, unsigned bits = 31U) noexcept {
  unsigned out = 0;
  for (std::size_t i = 0; i < vitals_values_count; ++i) {
    out |= static_cast<unsigned>(!(x.v[i] >= b.lo[i] && x.v[i] <= b.hi[i])) << i;
  }
  return out & x.present & bits;
}

/// True when every value present among `bits` is within the bounds.
[[nodiscard]] inline bool within_bounds(const vitals_values& x, const vitals_bounds& b, unsigned bits = 31U) noexcept {
  return outside_bounds(x, b, bits) == 0;
}

}  // namespace kap::detail
