#pragma once

/// @file
/// Vital signs: a reading, limits on it, and the check that explains itself.
///
/// A reading may carry any subset of blood pressure, heart rate, SpO2 and respiratory rate.
/// Limits are optional per bound, so a protocol states only the ones it uses. `check` returns
/// one violation per parameter outside its bound, each with a sentence people can act on
/// ("blood pressure 152/94 mmHg is above the 140/90 limit"). Protocols hold two sets: `hold`
/// (dosing waits) and `critical` (an alert that needs attention now).

#include <kap/core/quantities.hpp>

#include <boost/describe/class.hpp>
#include <boost/describe/enum.hpp>

#include <charconv>
#include <optional>
#include <string>
#include <vector>

namespace kap {

/// One set of vital-sign measurements; any field may be absent.
struct vitals_reading {
  std::optional<mmhg> systolic;                  ///< systolic blood pressure
  std::optional<mmhg> diastolic;                 ///< diastolic blood pressure
  std::optional<bpm> heart_rate;                 ///< heart rate
  std::optional<spo2_percent> spo2;              ///< peripheral oxygen saturation
  std::optional<breaths_per_min> respiratory_rate;  ///< respiratory rate

  /// True when no value is present.
  [[nodiscard]] bool empty() const noexcept {
    return !systolic && !diastolic && !heart_rate && !spo2 && !respiratory_rate;
  }
  friend bool operator==(const vitals_reading&, const vitals_reading&) = default;
};
BOOST_DESCRIBE_STRUCT(vitals_reading, (), (systolic, diastolic, heart_rate, spo2, respiratory_rate))

/// Bounds on vital signs; an absent bound is not checked. A value equal to a bound is within it.
struct vitals_limits {
  std::optional<mmhg> systolic_max;  ///< highest systolic pressure allowed
  std::optional<mmhg> diastolic_max;  ///< highest diastolic pressure allowed
  std::optional<mmhg> systolic_min;  ///< lowest systolic pressure allowed
  std::optional<bpm> heart_rate_min;  ///< lowest heart rate allowed
  std::optional<bpm> heart_rate_max;  ///< highest heart rate allowed
  std::optional<spo2_percent> spo2_min;  ///< lowest oxygen saturation allowed
  std::optional<breaths_per_min> respiratory_rate_min;  ///< lowest respiratory rate allowed
  std::optional<breaths_per_min> respiratory_rate_max;  ///< highest respiratory rate allowed

  friend bool operator==(const vitals_limits&, const vitals_limits&) = default;
};
BOOST_DESCRIBE_STRUCT(vitals_limits, (),
                      (systolic_max, diastolic_max, systolic_min, heart_rate_min, heart_rate_max, spo2_min,
                       respiratory_rate_min, respiratory_rate_max))

/// Plausibility bounds on vitals values: a reading above one (or below 0) is refused by the
/// session engine as a data error (`errc::out_of_range`), not judged against the protocol.
inline constexpr double max_plausible_systolic = 300;  ///< mmHg
inline constexpr double max_plausible_diastolic = 250;  ///< mmHg
inline constexpr double max_plausible_heart_rate = 300;  ///< beats per minute
inline constexpr double max_plausible_spo2 = 100;  ///< percent
inline constexpr double max_plausible_respiratory_rate = 100;  ///< breaths per minute

/// The parameter a violation concerns.
enum class vital_sign { blood_pressure, heart_rate, spo2, respiratory_rate };
BOOST_DESCRIBE_ENUM(vital_sign, blood_pressure, heart_rate, spo2, respiratory_rate)

/// One parameter outside its limits, explained.
struct vitals_violation {
  vital_sign sign{};  ///< the parameter outside its limits
  std::string message;  ///< e.g. "blood pressure 152/94 mmHg is above the 140/90 limit"
  friend bool operator==(const vitals_violation&, const vitals_violation&) = default;
};
BOOST_DESCRIBE_STRUCT(vitals_violation, (), (sign, message))

namespace detail {
inline std::string num(double v) {
  char buf[32];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  (void)ec;
  return std::string(buf, end);
}
inline std::string bp_text(const std::optional<mmhg>& s, const std::optional<mmhg>& d) {
  return (s ? num(s->count()) : std::string("-")) + "/" + (d ? num(d->count()) : std::string("-"));
}
}  // namespace detail

/// Checks a reading against limits.
/// @return one violation per parameter outside its limits (blood pressure counts once); empty
///         when the reading is within them. Parameters the reading lacks are not judged. A NaN
///         value or limit (only C++ code makes one) is within nothing: it counts as above a
///         maximum, or below a minimum when the parameter has no maximum.
[[nodiscard]] inline std::vector<vitals_violation> check(const vitals_reading& r, const vitals_limits& l) {
  std::vector<vitals_violation> out;
  const bool sys_high = r.systolic && l.systolic_max && !(*r.systolic <= *l.systolic_max);
  const bool dia_high = r.diastolic && l.diastolic_max && !(*r.diastolic <= *l.diastolic_max);
  const bool sys_low = r.systolic && l.systolic_min && !(*r.systolic >= *l.systolic_min);
  if (sys_high || dia_high) {
    out.push_back({vital_sign::blood_pressure, "blood pressure " + detail::bp_text(r.systolic, r.diastolic) +
                                                   " mmHg is above the " +
                                                   detail::bp_text(l.systolic_max, l.diastolic_max) + " limit"});
  } else if (sys_low) {
    out.push_back({vital_sign::blood_pressure, "systolic blood pressure " + detail::num(r.systolic->count()) +
                                                   " mmHg is below the " + detail::num(l.systolic_min->count()) +
                                                   " limit"});
  }
  if (r.heart_rate && l.heart_rate_max && !(*r.heart_rate <= *l.heart_rate_max)) {
    out.push_back({vital_sign::heart_rate, "heart rate " + detail::num(r.heart_rate->count()) + "/min is above the " +
                                               detail::num(l.heart_rate_max->count()) + " limit"});
  } else if (r.heart_rate && l.heart_rate_min && !(*r.heart_rate >= *l.heart_rate_min)) {
    out.push_back({vital_sign::heart_rate, "heart rate " + detail::num(r.heart_rate->count()) + "/min is below the " +
                                               detail::num(l.heart_rate_min->count()) + " limit"});
  }
  if (r.spo2 && l.spo2_min && !(*r.spo2 >= *l.spo2_min)) {
    out.push_back({vital_sign::spo2, "SpO2 " + detail::num(r.spo2->count()) + "% is below the " +
                                         detail::num(l.spo2_min->count()) + "% limit"});
  }
  if (r.respiratory_rate && l.respiratory_rate_max && !(*r.respiratory_rate <= *l.respiratory_rate_max)) {
    out.push_back({vital_sign::respiratory_rate, "respiratory rate " + detail::num(r.respiratory_rate->count()) +
                                                     "/min is above the " +
                                                     detail::num(l.respiratory_rate_max->count()) + " limit"});
  } else if (r.respiratory_rate && l.respiratory_rate_min && !(*r.respiratory_rate >= *l.respiratory_rate_min)) {
    out.push_back({vital_sign::respiratory_rate, "respiratory rate " + detail::num(r.respiratory_rate->count()) +
                                                     "/min is below the " +
                                                     detail::num(l.respiratory_rate_min->count()) + " limit"});
  }
  return out;
}

/// True when the reading violates none of the limits (allocation-free; the same rule as `check`,
/// so a NaN value or limit is never within).
[[nodiscard]] inline bool within(const vitals_reading& r, const vitals_limits& l) noexcept {
  auto above = [](const auto& v, const auto& lim) { return v && lim && !(*v <= *lim); };
  auto below = [](const auto& v, const auto& lim) { return v && lim && !(*v >= *lim); };
  return !(above(r.systolic, l.systolic_max) || above(r.diastolic, l.diastolic_max) ||
           below(r.systolic, l.systolic_min) || above(r.heart_rate, l.heart_rate_max) ||
           below(r.heart_rate, l.heart_rate_min) || below(r.spo2, l.spo2_min) ||
           above(r.respiratory_rate, l.respiratory_rate_max) || below(r.respiratory_rate, l.respiratory_rate_min));
}

}  // namespace kap
