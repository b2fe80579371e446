#pragma once

/// @file
/// The per-instrument scoring rules behind `kap::measures::score`.
///
/// Each scorer has a hot path that sums with a branch-free range check (an unanswered item is
/// -1, which fails the unsigned comparison like any other out-of-range value) and falls to a
/// cold, out-of-line diagnosis only when some item is out of range or missing. The diagnosis
/// names the first bad item, applies a published prorating rule when asked, or applies an
/// instrument's own rule for unanswered items (QIDS-SR16 appetite/weight pairs, C-SSRS skip
/// logic). Errors build their strings only on that cold path, so a good record allocates nothing.

#include <kap/core/result.hpp>
#include <kap/measures/detail/tables.hpp>
#include <kap/measures/score_options.hpp>
#include <kap/measures/score_summary.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>

namespace kap::measures::detail {

/// "item 4", or "item 7 (Q6b)" for the C-SSRS screener whose items have names.
[[nodiscard]] inline std::string item_label(instrument_id id, int item) {
  std::string s = "item " + std::to_string(item);
  if (id == instrument_id::cssrs_screen) {
    static constexpr std::array<std::string_view, 7> names{"Q1", "Q2", "Q3", "Q4", "Q5", "Q6", "Q6b"};
    if (item >= 1 && item <= 7) {
      s += " (";
      s += names[static_cast<std::size_t>(item - 1)];
      s += ')';
    }
  }
  return s;
}

/// `phq9 expects 9 items, got 8`
[[gnu::cold, gnu::noinline]] inline error count_error(const spec& s, std::size_t got) {
  return error{errc::wrong_item_count, std::string(to_string(s.id)) + " expects " + std::to_string(s.item_count) +
                                           " items, got " + std::to_string(got)};
}

/// `item 4: 7 is outside 0-3`
[[gnu::cold, gnu::noinline]] inline error range_error(const spec& s, int item, long long value) {
  std::string m = item_label(s.id, item) + ": " + std::to_string(value) + " is outside 0-" +
                  std::to_string(s.item_max[static_cast<std::size_t>(item - 1)]);
  if (s.id == instrument_id::hamd17 && item == 16) m += " (3 = not assessed)";
  return error{errc::item_out_of_range, std::move(m)};
}

/// Finds the first answered item outside its range.
[[nodiscard]] inline std::optional<error> first_range_error(const spec& s, std::span<const int> items) {
  for (std::size_t i = 0; i < items.size(); ++i) {
    const int v = items[i];
    if (v != not_answered && (v < 0 || v > s.item_max[i])) return range_error(s, static_cast<int>(i) + 1, v);
  }
  return std::nullopt;
}

/// The diagnosis of a record that failed the hot-path check, for instruments whose only rule
/// for unanswered items is a published prorating rule.
/// @return the bitmask of unanswered items when prorating applies, or the error: the first
///         out-of-range item (`item_out_of_range`), else the first unanswered item or too many
///         of them (`missing_item`)
[[gnu::cold, gnu::noinline]] inline result<std::uint32_t> diagnose(const spec& s, std::span<const int> items,
                                                                   bool prorate) {
  if (auto e = first_range_error(s, items)) return std::move(*e);
  std::uint32_t mask = 0;
  int count = 0;
  int first = 0;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (items[i] == not_answered) {
      mask |= 1u << i;
      if (count++ == 0) first = static_cast<int>(i) + 1;
    }
  }
  const std::string id(to_string(s.id));
  if (s.prorate_max_missing < 0) {
    return error{errc::missing_item,
                 item_label(s.id, first) + ": not answered, and " + id + " has no published prorating rule"};
  }
  if (!prorate) {
    return error{errc::missing_item, item_label(s.id, first) + ": not answered (" + id +
                                         " may be prorated with up to " + std::to_string(s.prorate_max_missing) +
                                         " missing items when prorating is requested)"};
  }
  if (count > s.prorate_max_missing) {
    return error{errc::missing_item, id + ": " + std::to_string(count) + " items not answered; prorating allows at most " +
                                         std::to_string(s.prorate_max_missing)};
  }
  return mask;
}

/// Resolves a band set name against an instrument's published sets.
[[gnu::cold, gnu::noinline]] inline result<std::uint8_t> resolve_band_set(const spec& s, std::string_view name) {
  for (std::size_t i = 0; i < s.band_sets.size(); ++i) {
    if (s.band_sets[i].name == name) return static_cast<std::uint8_t>(i);
  }
  std::string shown(name.substr(0, 32));
  if (name.size() > 32) shown += "...";
  std::string m = std::string(to_string(s.id)) + " has no band set \"" + shown + "\"";
  if (s.band_sets.empty()) {
    m += " (it has no bands)";
  } else {
    m += " (";
    for (std::size_t i = 0; i < s.band_sets.size(); ++i) {
      if (i != 0) m += ", ";
      m += s.band_sets[i].name;
    }
    m += ')';
  }
  return error{errc::unknown_enum, std::move(m)};
}

/// The larger of two answers (kept here to avoid <algorithm>, which is slow to compile).
[[nodiscard]] constexpr int max2(int a, int b) noexcept { return a < b ? b : a; }

/// Sums N items each in 0..Max; false when any item is outside (including `not_answered`).
/// The sum runs in unsigned arithmetic, which wraps instead of overflowing, so items such as
/// INT_MAX are not undefined behaviour; `total` is meaningful only when the result is true
/// (every item in range, so the sum fits an int).
template <std::size_t N, int Max>
[[nodiscard]] constexpr bool sum_checked(const int* p, int& total) noexcept {
  static_assert(N * static_cast<std::size_t>(Max) <= 0x7fffffffu, "an in-range sum must fit an int");
  unsigned t = 0;
  unsigned bad = 0;
  for (std::size_t i = 0; i < N; ++i) {
    const auto v = static_cast<unsigned>(p[i]);
    t += v;
    bad |= static_cast<unsigned>(v > static_cast<unsigned>(Max));
  }
  total = static_cast<int>(t);
  return bad == 0;
}

/// The band of a total known to lie in the set's range: the number of band lower bounds at or
/// below it, computed without branches (bands are ascending and contiguous).
[[nodiscard]] constexpr severity_band band_in_range(std::span<const band_range> bands, int total) noexcept {
  std::size_t k = 0;
  for (std::size_t i = 1; i < bands.size(); ++i) k += static_cast<std::size_t>(total >= bands[i].min);
  return bands[k].band;
}

/// `band_in_range` for the default band set of an instrument, unrolled at compile time into
/// comparisons with constants (the hot path of single-set instruments).
template <instrument_id Id>
[[nodiscard, gnu::always_inline]] inline severity_band default_band(int total) noexcept {
  constexpr std::span<const band_range> bands = spec_of<Id>().band_sets[0].bands;
  return [&]<std::size_t... I>(std::index_sequence<I...>) {
    const std::size_t k = (std::size_t{0} + ... + static_cast<std::size_t>(total >= bands[I + 1].min));
    return bands[k].band;
  }(std::make_index_sequence<bands.size() - 1>{});
}

/// The band set index selected by the options (0 unless a name is given).
[[nodiscard]] inline result<std::uint8_t> band_set_index(const spec& s, const score_options& o) {
  if (o.band_set.empty()) [[likely]] return std::uint8_t{0};
  return resolve_band_set(s, o.band_set);
}

/// The threshold of an instrument's suicide-item flag: the options' for MADRS and HAM-D17 (no
/// published threshold: configurable, docs/instruments.md), else the spec's.
/// @return the threshold, or `errc::out_of_range` for an option outside 1..the item's maximum
template <instrument_id Id>
[[nodiscard]] inline result<int> flag_min_of(const score_options& o) {
  constexpr const spec& s = spec_of<Id>();
  int min = s.flag_min;
  std::string_view what;
  if constexpr (Id == instrument_id::madrs) {
    min = o.madrs_suicide_item_min;
    what = "madrs item 10";
  } else if constexpr (Id == instrument_id::hamd17) {
    min = o.hamd17_suicide_item_min;
    what = "hamd17 item 3";
  }
  if constexpr (s.flag_item != 0) {
    const int top = s.item_max[static_cast<std::size_t>(s.flag_item - 1)];
    if (min < 1 || min > top) [[unlikely]] {
      return error{errc::out_of_range, std::string(what) + " flag threshold " + std::to_string(min) + " is outside 1-" +
                                           std::to_string(top)};
    }
  }
  return min;
}

/// The state of a suicide-item flag: `unknown` when the item was not answered (tri-state rule,
/// kap/measures/flag.hpp), else raised at or above `min`.
[[nodiscard]] constexpr flag_state item_flag_state(int v, int min) noexcept {
  return v == not_answered ? flag_state::unknown : v >= min ? flag_state::raised : flag_state::clear;
}

/// Instruments scored as a plain sum of items sharing one range, optionally with one flag item
/// and a prorating rule: PHQ-9, GAD-7, MADRS, BDI-II, CADSS, EBI.
template <instrument_id Id>
[[nodiscard, gnu::always_inline]] inline result<score_summary> score_sum(const int* p, const score_options& o) {
  constexpr const spec& s = spec_of<Id>();
  constexpr std::size_t n = static_cast<std::size_t>(s.item_count);
  constexpr int max = s.item_max[0];
  constexpr int flag_item = s.flag_item;

  score_summary r;
  r.instrument = Id;
  int flag_min = s.flag_min;
  if constexpr (Id == instrument_id::madrs) {
    auto m = flag_min_of<Id>(o);
    if (!m) return std::move(m).error();
    flag_min = *m;
  }
  std::uint8_t set = 0;
  if constexpr (!s.band_sets.empty()) {
    auto b = band_set_index(s, o);
    if (!b) return std::move(b).error();
    set = *b;
  } else {
    if (!o.band_set.empty()) return resolve_band_set(s, o.band_set).error();
  }
  int total = 0;
  if (sum_checked<n, max>(p, total)) [[likely]] {
    r.total = total;
    if constexpr (flag_item != 0) {
      r.flags.set(flag::suicidal_ideation, p[flag_item - 1] >= flag_min ? flag_state::raised : flag_state::clear);
    }
  } else {
    auto d = diagnose(s, {p, n}, o.prorate);
    if (!d) return std::move(d).error();
    // Prorated total = sum x n / answered, rounded half up in integers (source in tables.hpp).
    int sum = 0;
    int answered = 0;
    for (std::size_t i = 0; i < n; ++i) {
      if (p[i] != not_answered) {
        sum += p[i];
        ++answered;
      }
    }
    r.total = (2 * sum * static_cast<int>(n) + answered) / (2 * answered);
    r.missing = *d;
    r.prorated = true;
    if constexpr (flag_item != 0) {
      r.flags.set(flag::suicidal_ideation, item_flag_state(p[flag_item - 1], flag_min));
    }
  }
  if constexpr (!s.band_sets.empty()) {
    r.band = set == 0 ? default_band<Id>(r.total) : band_in_range(s.band_sets[set].bands, r.total);
    r.band_set = set;
  }
  return r;
}

/// QIDS-SR16's own rule for unanswered items: the form asks for one of items 6/7 (appetite) and
/// one of 8/9 (weight), so either of each pair may be blank; every other item is required.
[[gnu::cold, gnu::noinline]] inline std::optional<error> qids_diagnose(const int* p) {
  const spec& s = qids_spec;
  if (auto e = first_range_error(s, {p, 16})) return e;
  for (int i = 0; i < 16; ++i) {
    if (p[i] != not_answered) continue;
    const int item = i + 1;
    if (item >= 6 && item <= 9) {
      const int other = (item % 2 == 0) ? item + 1 : item - 1;  // 6<->7, 8<->9
      if (p[other - 1] != not_answered) continue;
      const int lo = item < other ? item : other;
      return error{errc::missing_item, "items " + std::to_string(lo) + "-" + std::to_string(lo + 1) +
                                           ": one of them must be answered (" +
                                           (lo == 6 ? "appetite" : "weight") + ")"};
    }
    return error{errc::missing_item, "item " + std::to_string(item) + ": not answered, and qids-sr16 has no " +
                                         "published prorating rule"};
  }
  return std::nullopt;
}

/// QIDS-SR16: 9 domains, sleep = max(1-4), appetite/weight = max(6-9), psychomotor = max(15, 16)
/// (Rush 2003; Inquisit manual formula).
[[nodiscard, gnu::always_inline]] inline result<score_summary> score_qids(const int* p, const score_options& o) {
  score_summary r;
  r.instrument = instrument_id::qids_sr16;
  auto set = band_set_index(qids_spec, o);
  if (!set) return std::move(set).error();
  unsigned bad = 0;
  for (int i = 0; i < 16; ++i) bad |= static_cast<unsigned>(static_cast<unsigned>(p[i]) > 3u);
  if (bad != 0) [[unlikely]] {
    if (auto e = qids_diagnose(p)) return std::move(*e);
  }
  const int sleep = max2(max2(p[0], p[1]), max2(p[2], p[3]));
  const int appetite_weight = max2(max2(p[5], p[6]), max2(p[7], p[8]));
  const int psychomotor = max2(p[14], p[15]);
  r.total = sleep + p[4] + appetite_weight + p[9] + p[10] + p[11] + p[12] + p[13] + psychomotor;
  r.flags.set(flag::suicidal_ideation, p[11] >= 1 ? flag_state::raised : flag_state::clear);
  r.band = *set == 0 ? default_band<instrument_id::qids_sr16>(r.total)
                     : band_in_range(qids_spec.band_sets[*set].bands, r.total);
  r.band_set = *set;
  return r;
}

/// HAM-D17: per-item ranges; item 16 = 3 ("not assessed") scores 0 (CamCOPS hamd.py); item 3
/// (suicide) raises suicidal_ideation at `score_options::hamd17_suicide_item_min`.
[[nodiscard]] inline result<score_summary> score_hamd17(const int* p, const score_options& o) {
  score_summary r;
  r.instrument = instrument_id::hamd17;
  auto set = band_set_index(hamd17_spec, o);
  if (!set) return std::move(set).error();
  const auto flag_min = flag_min_of<instrument_id::hamd17>(o);
  if (!flag_min) return flag_min.error();
  unsigned total = 0;  // unsigned: out-of-range items wrap instead of overflowing (see sum_checked)
  unsigned bad = 0;
  for (std::size_t i = 0; i < 17; ++i) {
    const auto v = static_cast<unsigned>(p[i]);
    bad |= static_cast<unsigned>(v > hamd17_max[i]);
    total += (i == 15 && v == 3u) ? 0u : v;
  }
  if (bad != 0) [[unlikely]] {
    auto d = diagnose(hamd17_spec, {p, 17}, o.prorate);
    return std::move(d).error();  // HAM-D17 has no prorating rule, so diagnose always fails
  }
  r.total = static_cast<int>(total);
  r.flags.set(flag::suicidal_ideation, item_flag_state(p[2], *flag_min));  // item 3, suicide
  r.band = band_in_range(hamd17_spec.band_sets[*set].bands, r.total);
  r.band_set = *set;
  return r;
}

/// PCL-5: cluster sums, the DSM-5 rule (an item >= 2 is endorsed; >= 1 B, >= 1 C, >= 2 D,
/// >= 2 E) and the cut point, reported separately (NCPTSD; comorbidityguidelines.org.au).
[[nodiscard]] inline result<score_summary> score_pcl5(const int* p, const score_options& o) {
  // Any cut point within the total's range: NCPTSD's PCL-5 guidance gives 31-33 as a provisional
  // cut point and says to choose one by population and purpose; older (PCL for DSM-IV) guidance
  // used higher values (see docs/instruments.md).
  if (o.pcl5_cutpoint < 0 || o.pcl5_cutpoint > pcl5_spec.total_max) {
    return error{errc::out_of_range, "pcl5 cut point " + std::to_string(o.pcl5_cutpoint) + " is outside 0-" +
                                         std::to_string(pcl5_spec.total_max)};
  }
  if (!o.band_set.empty()) return resolve_band_set(pcl5_spec, o.band_set).error();
  int total = 0;
  if (!sum_checked<20, 4>(p, total)) [[unlikely]] {
    auto d = diagnose(pcl5_spec, {p, 20}, o.prorate);
    return std::move(d).error();  // no prorating rule
  }
  score_summary r;
  r.instrument = instrument_id::pcl5;
  r.total = total;
  constexpr std::array<std::size_t, 5> bounds{0, 5, 7, 14, 20};  // B 1-5, C 6-7, D 8-14, E 15-20
  std::array<int, 4> endorsed{};
  for (std::size_t c = 0; c < 4; ++c) {
    int sum = 0;
    for (std::size_t i = bounds[c]; i < bounds[c + 1]; ++i) {
      sum += p[i];
      endorsed[c] += p[i] >= 2 ? 1 : 0;
    }
    r.subscales[c] = static_cast<std::int16_t>(sum);
  }
  r.provisional_dsm5 = endorsed[0] >= 1 && endorsed[1] >= 1 && endorsed[2] >= 2 && endorsed[3] >= 2;
  r.provisional_cutpoint = total >= o.pcl5_cutpoint;
  r.cutpoint = static_cast<std::uint8_t>(o.pcl5_cutpoint);
  return r;
}

/// MEQ30: four subscales; a complete mystical experience needs every subscale at >= 60% of its
/// maximum, decided in integers as sum * 5 >= max * 3 (Barrett, Johnson & Griffiths 2015).
[[nodiscard]] inline result<score_summary> score_meq30(const int* p, const score_options& o) {
  if (!o.band_set.empty()) return resolve_band_set(meq30_spec, o.band_set).error();
  int total = 0;
  if (!sum_checked<30, 5>(p, total)) [[unlikely]] {
    auto d = diagnose(meq30_spec, {p, 30}, o.prorate);
    return std::move(d).error();  // no prorating rule
  }
  score_summary r;
  r.instrument = instrument_id::meq30;
  r.total = total;
  std::array<int, 4> sums{};
  for (std::size_t i = 0; i < 30; ++i) sums[meq30_factor_of[i]] += p[i];
  bool complete = true;
  for (std::size_t k = 0; k < 4; ++k) {
    r.subscales[k] = static_cast<std::int16_t>(sums[k]);
    complete = complete && sums[k] * 5 >= meq30_subscales[k].max * 3;
  }
  r.complete_mystical_experience = complete;
  return r;
}

/// C-SSRS screener: Q1, Q2, Q3, Q4, Q5, Q6, Q6b as 1 yes / 0 no / -1 not asked. Skip logic:
/// Q1, Q2 and Q6 are always asked; Q3-Q5 only when Q2 is yes; Q6b only when Q6 is yes (rula.com).
[[nodiscard]] inline result<score_summary> score_cssrs(const int* p, const score_options& o) {
  if (!o.band_set.empty()) return resolve_band_set(cssrs_spec, o.band_set).error();
  const spec& s = cssrs_spec;
  for (int i = 0; i < 7; ++i) {
    const int v = p[i];
    if (v != not_answered && (v < 0 || v > 1)) return range_error(s, i + 1, v);
  }
  auto required = [&](int item, std::string_view why) -> std::optional<error> {
    if (p[item - 1] != not_answered) return std::nullopt;
    return error{errc::missing_item, item_label(s.id, item) + ": an answer is required" + std::string(why)};
  };
  auto forbidden = [&](int item, std::string_view why) -> std::optional<error> {
    if (p[item - 1] == not_answered) return std::nullopt;
    return error{errc::item_out_of_range,
                 item_label(s.id, item) + ": must not be asked " + std::string(why) + " (answer -)"};
  };
  for (const int item : {1, 2}) {
    if (auto e = required(item, "")) return std::move(*e);
  }
  const bool q2 = p[1] == 1;
  for (const int item : {3, 4, 5}) {
    if (auto e = q2 ? required(item, " because Q2 is yes") : forbidden(item, "when Q2 is no")) return std::move(*e);
  }
  if (auto e = required(6, "")) return std::move(*e);
  const bool q6 = p[5] == 1;
  if (auto e = q6 ? required(7, " because Q6 is yes") : forbidden(7, "when Q6 is no")) return std::move(*e);

  const auto yes = [&](int item) { return p[item - 1] == 1; };
  risk_level risk = risk_level::none;
  if (yes(4) || yes(5) || (q6 && yes(7))) {
    risk = risk_level::high;
  } else if (yes(3) || q6) {
    risk = risk_level::moderate;
  } else if (yes(1) || q2) {
    risk = risk_level::low;
  }
  score_summary r;
  r.instrument = instrument_id::cssrs_screen;
  r.risk = risk;
  return r;
}

/// The scorer of one instrument, chosen at compile time.
template <instrument_id Id>
[[nodiscard, gnu::always_inline]] inline result<score_summary> score_fixed(const int* p, const score_options& o) {
  if constexpr (Id == instrument_id::qids_sr16) {
    return score_qids(p, o);
  } else if constexpr (Id == instrument_id::pcl5) {
    return score_pcl5(p, o);
  } else if constexpr (Id == instrument_id::hamd17) {
    return score_hamd17(p, o);
  } else if constexpr (Id == instrument_id::meq30) {
    return score_meq30(p, o);
  } else if constexpr (Id == instrument_id::cssrs_screen) {
    return score_cssrs(p, o);
  } else {
    return score_sum<Id>(p, o);
  }
}

}  // namespace kap::measures::detail
