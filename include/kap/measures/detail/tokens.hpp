#pragma once

/// @file
/// Parsing CLI-style item answers ("2", "1a", "y", "-") into the integer API's values.

#include <kap/core/result.hpp>
#include <kap/measures/detail/scoring.hpp>
#include <kap/measures/detail/tables.hpp>
#include <kap/measures/score_options.hpp>

#include <array>
#include <charconv>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>

namespace kap::measures::detail {

/// The token in double quotes, cut to 16 characters so that messages stay safe to log.
[[nodiscard]] inline std::string quote_token(std::string_view t) {
  std::string s = "\"";
  s += t.substr(0, 16);
  if (t.size() > 16) s += "...";
  s += '"';
  return s;
}

/// BDI-II items 16 (sleep) and 18 (appetite): 0, 1a, 1b, 2a, 2b, 3a, 3b score the digit; the
/// letter records the direction of change (Beck 1996).
inline constexpr std::array<std::pair<std::string_view, int>, 7> bdi2_direction_answers{
    {{"0", 0}, {"1a", 1}, {"1b", 1}, {"2a", 2}, {"2b", 2}, {"3a", 3}, {"3b", 3}}};

/// Parses the answer to one item.
/// @param s the instrument
/// @param item 1-based item number
/// @param t the token; "-" is `not_answered` for every instrument
/// @return the integer value, or `errc::parse_error` (not a number), `errc::item_out_of_range`
///         (a number outside the item's range, or not one of the item's answers)
[[nodiscard]] inline result<int> parse_token(const spec& s, int item, std::string_view t) {
  if (t == "-") return not_answered;
  if (s.id == instrument_id::cssrs_screen) {
    if (t == "y") return 1;
    if (t == "n") return 0;
    return error{errc::item_out_of_range, item_label(s.id, item) + ": " + quote_token(t) + " is not y, n or -"};
  }
  if (s.id == instrument_id::bdi2 && (item == 16 || item == 18)) {
    for (const auto& [text, value] : bdi2_direction_answers) {
      if (t == text) return value;
    }
    return error{errc::item_out_of_range,
                 item_label(s.id, item) + ": " + quote_token(t) + " is not one of 0, 1a, 1b, 2a, 2b, 3a, 3b"};
  }
  long long v = 0;
  const char* const first = t.data();
  const char* const last = t.data() + t.size();
  const auto [ptr, ec] = std::from_chars(first, last, v);
  if (t.empty() || ptr != last || ec == std::errc::invalid_argument) {
    return error{errc::parse_error, item_label(s.id, item) + ": " + quote_token(t) + " is not a number"};
  }
  const int max = s.item_max[static_cast<std::size_t>(item - 1)];
  if (ec == std::errc::result_out_of_range) {
    std::string shown(t.substr(0, 16));
    if (t.size() > 16) shown += "...";
    return error{errc::item_out_of_range, item_label(s.id, item) + ": " + shown + " is outside 0-" + std::to_string(max)};
  }
  if (v < 0 || v > max) return range_error(s, item, v);
  return static_cast<int>(v);
}

}  // namespace kap::measures::detail
