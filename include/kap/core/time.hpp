#pragma once

/// @file
/// Instants and durations, and strict RFC 3339 text.
///
/// kap never reads a clock: every instant arrives in an event or as an argument. An instant is a
/// `kap::timestamp`, UTC with millisecond precision (a `std::chrono::sys_time`). RFC 3339 text is
/// parsed strictly - `2026-11-26T10:15:00Z`, `2026-11-26T11:15:00.250+01:00` - with offsets
/// normalised to UTC; digits of a fraction beyond milliseconds are truncated. Calendar checks
/// use C++20's `<chrono>` calendar (Howard Hinnant's date library, as standardised), so
/// 2026-02-29 is refused and 2028-02-29 accepted. Leap seconds (`:60`) are refused, since a
/// `sys_time` cannot hold them. Formatting is canonical: `Z`, and a `.mmm` fraction only when
/// it is not zero, so parse(format(t)) == t and format(parse(s)) is stable.

#include <kap/core/result.hpp>

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

namespace kap {

/// An instant: UTC, millisecond precision.
using timestamp = std::chrono::sys_time<std::chrono::milliseconds>;
/// A span of time, millisecond precision.
using duration = std::chrono::milliseconds;
/// Hours, for durations in kap's API.
using std::chrono::hours;
/// Minutes, for durations in kap's API.
using std::chrono::minutes;
/// Seconds, for durations in kap's API.
using std::chrono::seconds;

namespace detail {

constexpr bool digits(std::string_view s, std::size_t pos, std::size_t n, int& out) noexcept {
  if (pos + n > s.size()) return false;
  int v = 0;
  for (std::size_t i = pos; i < pos + n; ++i) {
    const char c = s[i];
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  out = v;
  return true;
}

inline void put2(std::string& out, unsigned v) {
  out.push_back(static_cast<char>('0' + v / 10));
  out.push_back(static_cast<char>('0' + v % 10));
}

}  // namespace detail

namespace detail {
/// The civil date of an instant, as `format_rfc3339` prints it.
[[nodiscard]] inline std::chrono::year_month_day rfc3339_date(timestamp t) noexcept {
  return std::chrono::year_month_day{std::chrono::floor<std::chrono::days>(t)};
}
}  // namespace detail

/// True when `format_rfc3339(t)` is text that `parse_rfc3339` accepts: the instant falls in the
/// years 0000-9999. Cheap: no text is made.
/// @param t the instant
/// @return false for an instant before 0000-01-01 or after 9999-12-31 (UTC)
[[nodiscard]] inline bool rfc3339_representable(timestamp t) noexcept {
  const auto ymd = detail::rfc3339_date(t);
  const int y = static_cast<int>(ymd.year());
  return y >= 0 && y <= 9999 && ymd.ok();
}

/// Parses a strict RFC 3339 date-time (`YYYY-MM-DDTHH:MM:SS[.frac](Z|+HH:MM|-HH:MM)`).
/// `t` and `z` are accepted in lower case, as RFC 3339 allows; a space for `T` is not.
/// The instant, once the offset is applied, must lie in the years 0000-9999 (UTC), the years
/// `format_rfc3339` can write: `9999-12-31T23:59:59-01:00` is 10000-01-01T00:59:59Z and is
/// refused, as is `0000-01-01T00:30:00+01:00`, so every instant parsed formats to text that
/// parses back (`rfc3339_representable` holds for every result).
/// @param text the string
/// @return the instant in UTC, or `errc::invalid_timestamp` with a message naming the flaw
[[nodiscard]] inline result<timestamp> parse_rfc3339(std::string_view text) {
  using namespace std::chrono;
  auto bad = [&](std::string_view why) -> error {
    std::string shown(text.substr(0, 40));
    if (text.size() > 40) shown += "...";
    return error{errc::invalid_timestamp, "\"" + shown + "\" is not an RFC 3339 timestamp: " + std::string(why)};
  };
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0;
  if (!detail::digits(text, 0, 4, y) || text.size() < 5 || text[4] != '-' || !detail::digits(text, 5, 2, mo) ||
      text.size() < 8 || text[7] != '-' || !detail::digits(text, 8, 2, d)) {
    return bad("expected a date YYYY-MM-DD");
  }
  if (text.size() < 11 || (text[10] != 'T' && text[10] != 't')) return bad("expected 'T' after the date");
  if (!detail::digits(text, 11, 2, h) || text.size() < 14 || text[13] != ':' || !detail::digits(text, 14, 2, mi) ||
      text.size() < 17 || text[16] != ':' || !detail::digits(text, 17, 2, s)) {
    return bad("expected a time HH:MM:SS");
  }
  const year_month_day ymd{year{y}, month{static_cast<unsigned>(mo)}, day{static_cast<unsigned>(d)}};
  if (!ymd.ok()) return bad("no such calendar date");
  if (h > 23) return bad("hour out of range");
  if (mi > 59) return bad("minute out of range");
  if (s == 60) return bad("leap seconds are not supported");
  if (s > 59) return bad("second out of range");
  std::size_t pos = 19;
  int millis = 0;
  if (pos < text.size() && text[pos] == '.') {
    ++pos;
    const std::size_t start = pos;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
      if (pos - start < 3) millis = millis * 10 + (text[pos] - '0');
      ++pos;
    }
    const std::size_t n = pos - start;
    if (n == 0) return bad("expected digits after '.'");
    if (n > 9) return bad("more than 9 fraction digits");
    for (std::size_t i = n; i < 3; ++i) millis *= 10;
  }
  if (pos >= text.size()) return bad("missing time zone ('Z' or an offset)");
  int offset_min = 0;
  if (text[pos] == 'Z' || text[pos] == 'z') {
    ++pos;
  } else if (text[pos] == '+' || text[pos] == '-') {
    const int sign = text[pos] == '-' ? -1 : 1;
    int oh = 0, om = 0;
    if (!detail::digits(text, pos + 1, 2, oh) || pos + 3 >= text.size() || text[pos + 3] != ':' ||
        !detail::digits(text, pos + 4, 2, om)) {
      return bad("expected an offset +HH:MM or -HH:MM");
    }
    if (oh > 23 || om > 59) return bad("offset out of range");
    offset_min = sign * (oh * 60 + om);
    pos += 6;
  } else {
    return bad("missing time zone ('Z' or an offset)");
  }
  if (pos != text.size()) return bad("unexpected characters after the time zone");
  const timestamp local = sys_days{ymd} + hours{h} + minutes{mi} + seconds{s} + milliseconds{millis};
  const timestamp utc = local - minutes{offset_min};
  if (!rfc3339_representable(utc)) {
    return bad("in UTC it falls outside 0000-01-01T00:00:00Z..9999-12-31T23:59:59.999Z");
  }
  return utc;
}

/// Formats an instant as canonical RFC 3339 in UTC: `2026-11-26T10:15:00Z`, or with `.mmm`
/// when the milliseconds are not zero. Years outside 0000-9999 are clamped to that range's
/// format by printing the year as is (RFC 3339 has no other years; parse refuses them).
/// @param t the instant
/// @return the text
[[nodiscard]] inline std::string format_rfc3339(timestamp t) {
  using namespace std::chrono;
  const auto day_point = floor<days>(t);
  const year_month_day ymd = detail::rfc3339_date(t);
  auto ms = (t - day_point).count();
  const auto h = static_cast<unsigned>(ms / 3'600'000);
  ms %= 3'600'000;
  const auto mi = static_cast<unsigned>(ms / 60'000);
  ms %= 60'000;
  const auto s = static_cast<unsigned>(ms / 1000);
  const auto frac = static_cast<unsigned>(ms % 1000);
  std::string out;
  out.reserve(24);
  const int y = static_cast<int>(ymd.year());
  if (y < 0 || y > 9999) {
    out += std::to_string(y);
  } else {
    const auto uy = static_cast<unsigned>(y);
    detail::put2(out, uy / 100);
    detail::put2(out, uy % 100);
  }
  out.push_back('-');
  detail::put2(out, static_cast<unsigned>(ymd.month()));
  out.push_back('-');
  detail::put2(out, static_cast<unsigned>(ymd.day()));
  out.push_back('T');
  detail::put2(out, h);
  out.push_back(':');
  detail::put2(out, mi);
  out.push_back(':');
  detail::put2(out, s);
  if (frac != 0) {
    out.push_back('.');
    out.push_back(static_cast<char>('0' + frac / 100));
    detail::put2(out, frac % 100);
  }
  out.push_back('Z');
  return out;
}

}  // namespace kap
