#pragma once

/// @file
/// Shared rules of change and course analytics: validating totals and options, resolving the
/// remission rule, and the response test in exact integer arithmetic.

#include <kap/core/result.hpp>
#include <kap/measures/detail/tables.hpp>

#include <charconv>
#include <cmath>
#include <optional>
#include <string>
#include <string_view>

namespace kap::measures::detail {

/// Shortest round-trip text of a double, for error messages.
[[nodiscard]] inline std::string format_number(double v) {
  char buf[32];
  const auto [ptr, ec] = std::to_chars(buf, buf + sizeof buf, v);
  if (ec != std::errc{}) return "?";
  return std::string(buf, ptr);
}

/// Instruments whose score can be compared over time: every one with an integer total.
[[nodiscard]] inline std::optional<error> check_change_defined(const spec& s) {
  if (s.has_total && s.id != instrument_id::ebi) return std::nullopt;
  return error{errc::unknown_instrument,
               std::string(to_string(s.id)) + " has no integer total, so change analytics are not defined for it"};
}

/// `baseline: 30 is outside 0-27`
[[nodiscard]] inline std::optional<error> check_total(const spec& s, std::string_view what, int total) {
  if (total >= 0 && total <= s.total_max) return std::nullopt;
  return error{errc::out_of_range, std::string(what) + ": " + std::to_string(total) + " is outside 0-" +
                                       std::to_string(s.total_max)};
}

/// `response threshold 0% is outside 1-100`
[[nodiscard]] inline std::optional<error> check_response_percent(int percent) {
  if (percent >= 1 && percent <= 100) return std::nullopt;
  return error{errc::out_of_range, "response threshold " + std::to_string(percent) + "% is outside 1-100"};
}

/// The reliable change figures must be finite numbers (and S_diff > 0): an SD that passes its own
/// check can still underflow S_diff or overflow the RCI.
/// `sd 1e-310 with reliability 0.84 gives a reliable change index of -inf; it must be finite`
[[nodiscard]] inline std::optional<error> check_reliable_change(double sd, double reliability, double sdiff,
                                                               double rci, double reliable_change_min) {
  std::string what;
  double value = 0.0;
  std::string_view must = "be finite";
  if (!(std::isfinite(sdiff) && sdiff > 0.0)) {
    what = "a standard error of the difference";
    value = sdiff;
    must = "be finite and greater than 0";
  } else if (!std::isfinite(rci)) {
    what = "a reliable change index";
    value = rci;
  } else if (!std::isfinite(reliable_change_min)) {
    what = "a smallest reliable change";
    value = reliable_change_min;
  } else {
    return std::nullopt;
  }
  return error{errc::out_of_range, "sd " + format_number(sd) + " with reliability " + format_number(reliability) +
                                       " gives " + what + " of " + format_number(value) + "; it must " +
                                       std::string(must)};
}

/// A remission rule after resolving the options.
struct resolved_remission {
  std::string_view name;  ///< the rule's name, or "custom" for an explicit threshold
  int max = 0;            ///< remission when total <= max
};

/// Resolves the remission rule: an explicit threshold wins, else the named rule, else the
/// instrument's default. Returns nothing (and no error) for instruments with no published rule
/// when no name or threshold was given.
[[nodiscard]] inline result<std::optional<resolved_remission>> resolve_remission(const spec& s, std::string_view name,
                                                                                std::optional<int> max) {
  if (max) {
    if (*max < 0 || *max > s.total_max) {
      return error{errc::out_of_range, "remission threshold " + std::to_string(*max) + " is outside 0-" +
                                           std::to_string(s.total_max)};
    }
    return std::optional<resolved_remission>{resolved_remission{"custom", *max}};
  }
  if (name.empty()) {
    if (s.remission.empty()) return std::optional<resolved_remission>{};
    return std::optional<resolved_remission>{resolved_remission{s.remission.front().name, s.remission.front().max}};
  }
  for (const remission_row& r : s.remission) {
    if (r.name == name) return std::optional<resolved_remission>{resolved_remission{r.name, r.max}};
  }
  std::string shown(name.substr(0, 32));
  if (name.size() > 32) shown += "...";
  std::string m = std::string(to_string(s.id)) + " has no remission rule \"" + shown + "\"";
  if (s.remission.empty()) {
    m += " (it has none)";
  } else {
    m += " (";
    for (std::size_t i = 0; i < s.remission.size(); ++i) {
      if (i != 0) m += ", ";
      m += s.remission[i].name;
    }
    m += ')';
  }
  return error{errc::unknown_enum, std::move(m)};
}

/// Response: a reduction of at least `percent`% from a positive baseline, decided in integers as
/// (baseline - current) * 100 >= percent * baseline. A baseline of 0 cannot respond.
[[nodiscard]] constexpr bool is_response(int baseline, int current, int percent) noexcept {
  return baseline > 0 && (baseline - current) * 100 >= percent * baseline;
}

}  // namespace kap::measures::detail
