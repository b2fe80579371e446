#pragma once

/// @file
/// Scoring: item answers in, the instrument's published rule applied, a summary out.
///
/// Two entry points share one implementation. The integer fast path, `score`, takes a span of
/// `int` (with `not_answered` for a blank) and returns a fixed-size `score_summary` without
/// allocating unless it fails; it is what sessions and bulk exports call. The token path,
/// `score_tokens`, takes CLI-style strings ("2", "1a" for BDI-II items 16 and 18, "y"/"n"/"-"
/// for the C-SSRS screener), parses them with messages that name the item, scores them through
/// `score`, and returns the printable `score_report`. Every rule cites its source in
/// kap/measures/detail/scoring.hpp and docs/instruments.md.

#include <kap/core/result.hpp>
#include <kap/measures/detail/scoring.hpp>
#include <kap/measures/detail/tables.hpp>
#include <kap/measures/detail/tokens.hpp>
#include <kap/measures/instrument_id.hpp>
#include <kap/measures/score_options.hpp>
#include <kap/measures/score_report.hpp>
#include <kap/measures/score_summary.hpp>

#include <array>
#include <cstddef>
#include <span>
#include <string_view>
#include <vector>

namespace kap::measures {

/// The number of item answers an instrument takes, as a constant.
template <instrument_id Id>
inline constexpr std::size_t item_count_v = static_cast<std::size_t>(detail::spec_of<Id>().item_count);

/// Scores one record of an instrument fixed at compile time (the typed fast path). The span's
/// extent is the instrument's item count, so a wrong count does not compile; a
/// `std::array<int, 9>` converts to `std::span<const int, item_count_v<instrument_id::phq9>>`.
/// @tparam Id the instrument
/// @param items the answers in item order, as for the overload taking an `instrument_id`
/// @param options published alternatives; the defaults are the published rules
/// @return the summary, or any error of the overload taking an `instrument_id` except
///         `errc::wrong_item_count` and `errc::unknown_instrument` (an `Id` outside the
///         catalogue does not compile)
/// Complexity: linear in the item count; allocates only to build an error. Always inlined.
template <instrument_id Id>
[[nodiscard, gnu::always_inline]] inline result<score_summary> score(std::span<const int, item_count_v<Id>> items,
                                                                     const score_options& options = {}) {
  return detail::score_fixed<Id>(items.data(), options);
}

/// Scores one record of integer item answers.
/// @param id the instrument
/// @param items the answers in item order (C-SSRS screener: Q1, Q2, Q3, Q4, Q5, Q6, Q6b as
///        1 = yes, 0 = no); `not_answered` (-1) marks a blank or, for the C-SSRS, an item not asked
/// @param options published alternatives; the defaults are the published rules
/// @return the summary, or
///   - `errc::unknown_instrument`: `id` is not in the catalogue (an integer cast to
///     `instrument_id`; `unknown instrument id 42 (known: phq9, ...)`)
///   - `errc::wrong_item_count`: `items.size()` is not the instrument's item count
///     (`phq9 expects 9 items, got 8`)
///   - `errc::item_out_of_range`: an answer outside its item's range (`item 4: 7 is outside 0-3`),
///     or a C-SSRS answer that the skip logic says must not be asked
///   - `errc::missing_item`: an unanswered item with no prorating requested or published, too
///     many for the rule, or a C-SSRS answer that the skip logic requires
///   - `errc::out_of_range`: a PCL-5 cut point outside 31-33
///   - `errc::unknown_enum`: a band set name the instrument does not publish
/// Complexity: linear in the item count; allocates only to build an error.
[[nodiscard]] inline result<score_summary> score(instrument_id id, std::span<const int> items,
                                                 const score_options& options = {}) {
  const detail::spec* const s = detail::find_spec(id);
  if (s == nullptr) [[unlikely]] {
    return detail::unknown_instrument_error(id);
  }
  if (items.size() != static_cast<std::size_t>(s->item_count)) [[unlikely]] {
    return detail::count_error(*s, items.size());
  }
  const int* const p = items.data();
  switch (id) {
    case instrument_id::phq9: return detail::score_fixed<instrument_id::phq9>(p, options);
    case instrument_id::gad7: return detail::score_fixed<instrument_id::gad7>(p, options);
    case instrument_id::qids_sr16: return detail::score_fixed<instrument_id::qids_sr16>(p, options);
    case instrument_id::pcl5: return detail::score_fixed<instrument_id::pcl5>(p, options);
    case instrument_id::madrs: return detail::score_fixed<instrument_id::madrs>(p, options);
    case instrument_id::hamd17: return detail::score_fixed<instrument_id::hamd17>(p, options);
    case instrument_id::bdi2: return detail::score_fixed<instrument_id::bdi2>(p, options);
    case instrument_id::cadss: return detail::score_fixed<instrument_id::cadss>(p, options);
    case instrument_id::cssrs_screen: return detail::score_fixed<instrument_id::cssrs_screen>(p, options);
    case instrument_id::ebi: return detail::score_fixed<instrument_id::ebi>(p, options);
    case instrument_id::meq30: return detail::score_fixed<instrument_id::meq30>(p, options);
  }
  return detail::unknown_instrument_error(id);  // unreachable: find_spec refused it above
}

/// Parses CLI-style answers into the integer values `score` takes.
/// @param id the instrument
/// @param tokens one token per item: a decimal integer; `-` for a blank (C-SSRS: not asked);
///        BDI-II items 16 and 18 take 0, 1a, 1b, 2a, 2b, 3a, 3b; C-SSRS items take y, n, -
/// @return the values, or `errc::unknown_instrument` (`id` not in the catalogue),
///         `errc::wrong_item_count` (`phq9 expects 9 items, got 8`),
///         `errc::parse_error` (`item 2: "x" is not a number`) or `errc::item_out_of_range`
///         (`item 4: 7 is outside 0-3`, `item 16: "2" is not one of 0, 1a, ...`)
[[nodiscard]] inline result<std::vector<int>> parse_item_tokens(instrument_id id,
                                                                std::span<const std::string_view> tokens) {
  const detail::spec* const sp = detail::find_spec(id);
  if (sp == nullptr) return detail::unknown_instrument_error(id);
  const detail::spec& s = *sp;
  if (tokens.size() != static_cast<std::size_t>(s.item_count)) return detail::count_error(s, tokens.size());
  std::vector<int> values;
  values.reserve(tokens.size());
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    auto v = detail::parse_token(s, static_cast<int>(i) + 1, tokens[i]);
    if (!v) return std::move(v).error();
    values.push_back(*v);
  }
  return values;
}

/// Parses and scores CLI-style answers (what `kapctl score INSTRUMENT ITEM...` calls).
/// @param id the instrument
/// @param tokens one token per item, as for `parse_item_tokens`
/// @param options as for `score`
/// @return the printable report, or any error of `parse_item_tokens` or `score`
[[nodiscard]] inline result<score_report> score_tokens(instrument_id id, std::span<const std::string_view> tokens,
                                                       const score_options& options = {}) {
  auto values = parse_item_tokens(id, tokens);
  if (!values) return std::move(values).error();
  auto summary = score(id, *values, options);
  if (!summary) return std::move(summary).error();
  return make_report(*summary);
}

/// Parses and scores CLI-style answers for an instrument named by its catalogue id.
/// @param instrument the catalogue id, e.g. "qids-sr16"
/// @param tokens one token per item, as for `parse_item_tokens`
/// @param options as for `score`
/// @return the report, `errc::unknown_instrument` (`unknown instrument "phq10" (known: ...)`),
///         or any error of the overload taking an `instrument_id`
[[nodiscard]] inline result<score_report> score_tokens(std::string_view instrument,
                                                       std::span<const std::string_view> tokens,
                                                       const score_options& options = {}) {
  auto id = parse_instrument_id(instrument);
  if (!id) return std::move(id).error();
  return score_tokens(*id, tokens, options);
}

}  // namespace kap::measures
