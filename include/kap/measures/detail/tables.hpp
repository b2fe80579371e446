#pragma once

/// @file
/// The numeric facts of every instrument, as constexpr tables: item maxima, band cut points,
/// remission thresholds, subscale item lists and reliable-change defaults.
///
/// These tables are the single source for both the scoring code (which reads them at compile
/// time) and the printable catalogue (kap/measures/catalog.hpp, which adds names, LOINC codes and
/// licence text). Every figure carries its source, as docs/instruments.md lists them.

#include <kap/core/result.hpp>
#include <kap/measures/band.hpp>
#include <kap/measures/instrument_id.hpp>

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace kap::measures::detail {

/// A named band set as constexpr data.
struct band_set_row {
  std::string_view name{};
  std::string_view source{};
  std::span<const band_range> bands{};
};

/// A named remission rule: a total at or below `max` is remission.
struct remission_row {
  std::string_view name{};
  int max = 0;
  std::string_view source{};
};

/// A named subscale as constexpr data (1-based item numbers).
struct subscale_row {
  std::string_view name{};
  std::span<const std::uint8_t> items{};
  int max = 0;
};

/// A number with its source; `value` 0 with an empty source means "none published".
struct sourced_row {
  double value = 0.0;
  std::string_view source{};
  [[nodiscard]] constexpr bool present() const noexcept { return !source.empty(); }
};

/// Everything scoring and change analytics need about one instrument.
struct spec {
  instrument_id id{};
  int item_count = 0;
  std::span<const std::uint8_t> item_max{};  ///< highest accepted answer per item (HAM-D item 16: 3)
  bool has_total = true;                   ///< false for the C-SSRS screener
  int total_max = 0;                       ///< highest total (EBI: highest mean)
  std::span<const band_set_row> band_sets{}; ///< first is the default; empty when unbanded
  int flag_item = 0;                       ///< 1-based item raising suicidal_ideation; 0 none
  int flag_min = 1;                        ///< the flag's default threshold (score_options may set MADRS's and HAM-D17's)
  std::span<const subscale_row> subscales{};
  bool symptom_scale = false;              ///< lower is better: response, remission, category apply
  std::span<const remission_row> remission{}; ///< first is the default; empty when none published
  sourced_row mcid{};                        ///< minimal clinically important reduction, in points
  sourced_row sd{};                          ///< default SD for reliable change
  sourced_row reliability{};                 ///< default test-retest reliability
  sourced_row cutoff{};                      ///< functional when total < cutoff; else remission max + 1
  int prorate_max_missing = -1;            ///< -1: no published prorating rule
  std::string_view prorate_source{};
};

template <std::size_t N>
consteval std::array<std::uint8_t, N> uniform(std::uint8_t max) {
  std::array<std::uint8_t, N> a{};
  for (auto& v : a) v = max;
  return a;
}

// -- item maxima --
inline constexpr auto phq9_max = uniform<9>(3);
inline constexpr auto gad7_max = uniform<7>(3);
inline constexpr auto qids_max = uniform<16>(3);
inline constexpr auto pcl5_max = uniform<20>(4);
inline constexpr auto madrs_max = uniform<10>(6);
// HAM-D17: items 1-3, 7-11, 15 score 0-4; 4-6, 12-14, 17 score 0-2; item 16 scores 0-2 and
// accepts 3 = "not assessed", which scores 0 (CamCOPS hamd.py).
inline constexpr std::array<std::uint8_t, 17> hamd17_max{4, 4, 4, 2, 2, 2, 4, 4, 4, 4, 4, 2, 2, 2, 4, 3, 2};
inline constexpr auto bdi2_max = uniform<21>(3);
inline constexpr auto cadss_max = uniform<23>(4);
inline constexpr auto cssrs_max = uniform<7>(1);  // Q1, Q2, Q3, Q4, Q5, Q6, Q6b: 1 = yes, 0 = no
inline constexpr auto ebi_max = uniform<6>(100);
inline constexpr auto meq30_max = uniform<30>(5);

// -- bands --
using severity_band::mild, severity_band::moderate, severity_band::severe;
inline constexpr std::array<band_range, 5> phq9_bands{{{severity_band::minimal, 0, 4},
                                                       {mild, 5, 9},
                                                       {moderate, 10, 14},
                                                       {severity_band::moderately_severe, 15, 19},
                                                       {severe, 20, 27}}};
inline constexpr std::array<band_range, 4> gad7_bands{
    {{severity_band::minimal, 0, 4}, {mild, 5, 9}, {moderate, 10, 14}, {severe, 15, 21}}};
inline constexpr std::array<band_range, 5> qids_bands{{{severity_band::none, 0, 5},
                                                       {mild, 6, 10},
                                                       {moderate, 11, 15},
                                                       {severe, 16, 20},
                                                       {severity_band::very_severe, 21, 27}}};
inline constexpr std::array<band_range, 4> madrs_bands{
    {{severity_band::normal, 0, 6}, {mild, 7, 19}, {moderate, 20, 34}, {severe, 35, 60}}};
inline constexpr std::array<band_range, 4> hamd17_zimmerman_bands{
    {{severity_band::none, 0, 7}, {mild, 8, 16}, {moderate, 17, 23}, {severe, 24, 52}}};
inline constexpr std::array<band_range, 5> hamd17_camcops_bands{{{severity_band::none, 0, 7},
                                                                 {mild, 8, 13},
                                                                 {moderate, 14, 18},
                                                                 {severe, 19, 22},
                                                                 {severity_band::very_severe, 23, 52}}};
inline constexpr std::array<band_range, 4> bdi2_bands{
    {{severity_band::minimal, 0, 13}, {mild, 14, 19}, {moderate, 20, 28}, {severe, 29, 63}}};

inline constexpr std::array<band_set_row, 1> phq9_band_sets{{{"kroenke2001", "Kroenke 2001", phq9_bands}}};
inline constexpr std::array<band_set_row, 1> gad7_band_sets{{{"spitzer2006", "Spitzer 2006", gad7_bands}}};
inline constexpr std::array<band_set_row, 1> qids_band_sets{{{"ids-qids", "ids-qids.org", qids_bands}}};
inline constexpr std::array<band_set_row, 1> madrs_band_sets{{{"snaith1986", "Snaith 1986", madrs_bands}}};
inline constexpr std::array<band_set_row, 2> hamd17_band_sets{
    {{"zimmerman2013", "Zimmerman et al. 2013, J Affect Disord 150:384", hamd17_zimmerman_bands},
     {"camcops", "CamCOPS hamd task documentation / CNS forum", hamd17_camcops_bands}}};
inline constexpr std::array<band_set_row, 1> bdi2_band_sets{{{"beck1996", "Beck 1996 (BDI-II manual)", bdi2_bands}}};

// -- remission --
inline constexpr std::array<remission_row, 1> phq9_remission{
    {{"lt5", 4, "PHQ-9 < 5 (NCQA/HEDIS usage; Psychiatric Services 2020)"}}};
inline constexpr std::array<remission_row, 1> gad7_remission{
    {{"lt5", 4, "GAD-7 < 5 (kap default, by analogy with PHQ-9 < 5; no primary source found: docs/instruments.md)"}}};
inline constexpr std::array<remission_row, 1> qids_remission{{{"le5", 5, "QIDS-SR16 <= 5 (STAR*D, Trivedi 2006)"}}};
inline constexpr std::array<remission_row, 2> madrs_remission{
    {{"le12", 12, "MADRS <= 12 (TRANSFORM trials, PMC7894501)"},
     {"le10", 10, "MADRS <= 10 (survey.doctor; Zimmerman) [practice-level]"}}};
inline constexpr std::array<remission_row, 1> hamd17_remission{{{"le7", 7, "HAM-D17 < 8 (PMC4387983)"}}};
inline constexpr std::array<remission_row, 2> bdi2_remission{
    {{"le13", 13, "BDI-II <= 13, the minimal band (Beck 1996)"},
     {"le9", 9, "BDI-II <= 9 (Reeves 2012, social anxiety disorder)"}}};

// -- subscales --
inline constexpr std::array<std::uint8_t, 5> pcl5_b{1, 2, 3, 4, 5};
inline constexpr std::array<std::uint8_t, 2> pcl5_c{6, 7};
inline constexpr std::array<std::uint8_t, 7> pcl5_d{8, 9, 10, 11, 12, 13, 14};
inline constexpr std::array<std::uint8_t, 6> pcl5_e{15, 16, 17, 18, 19, 20};
inline constexpr std::array<subscale_row, 4> pcl5_subscales{
    {{"B", pcl5_b, 20}, {"C", pcl5_c, 8}, {"D", pcl5_d, 28}, {"E", pcl5_e, 24}}};

// MEQ30 item -> factor mapping: Barrett et al. 2015 appendix, recalled and NOT verified against
// the primary source (docs/instruments.md, MEQ30).
inline constexpr std::array<std::uint8_t, 15> meq30_mystical{4, 5, 6, 9, 14, 15, 16, 18, 20, 21, 23, 24, 25, 26, 28};
inline constexpr std::array<std::uint8_t, 6> meq30_positive_mood{2, 8, 12, 17, 27, 30};
inline constexpr std::array<std::uint8_t, 6> meq30_transcendence{1, 7, 11, 13, 19, 22};
inline constexpr std::array<std::uint8_t, 3> meq30_ineffability{3, 10, 29};
inline constexpr std::array<subscale_row, 4> meq30_subscales{{{"mystical", meq30_mystical, 75},
                                                              {"positive_mood", meq30_positive_mood, 30},
                                                              {"transcendence", meq30_transcendence, 30},
                                                              {"ineffability", meq30_ineffability, 15}}};

/// Index of each MEQ30 item's subscale (0 mystical, 1 positive_mood, 2 transcendence,
/// 3 ineffability), built from the lists above so there is one source.
inline constexpr std::array<std::uint8_t, 30> meq30_factor_of = [] {
  std::array<std::uint8_t, 30> f{};
  for (auto& v : f) v = 0xff;
  std::uint8_t k = 0;
  for (const subscale_row& s : meq30_subscales) {
    for (const std::uint8_t item : s.items) f[item - 1u] = k;
    ++k;
  }
  return f;
}();

consteval bool meq30_mapping_is_a_partition() {
  for (const std::uint8_t v : meq30_factor_of) {
    if (v > 3) return false;
  }
  return meq30_mystical.size() + meq30_positive_mood.size() + meq30_transcendence.size() +
             meq30_ineffability.size() == 30;
}
static_assert(meq30_mapping_is_a_partition(), "every MEQ30 item belongs to exactly one subscale");

// -- the specs --
inline constexpr spec phq9_spec{
    .id = instrument_id::phq9, .item_count = 9, .item_max = phq9_max, .total_max = 27,
    .band_sets = phq9_band_sets, .flag_item = 9, .symptom_scale = true, .remission = phq9_remission,
    .mcid = {5.0, "Lowe et al. 2004, Med Care 42:1194 (5 points)"},
    .sd = {5.5, "NHS Talking Therapies 2022-23 baseline SD (cbtwatch.com) [practice-level]"},
    .reliability = {0.84, "Kroenke 2001 [unverified against the primary source; 0.737 in PMC7525967]"},
    .cutoff = {10.0, "caseness >= 10 (Kroenke 2001 screen cut point; IAPT recovery < 10)"},
    .prorate_max_missing = 2,
    .prorate_source = "sum x 9 / answered when <= 2 items missing (Kroenke et al. 2010 review) [unverified]"};
inline constexpr spec gad7_spec{
    .id = instrument_id::gad7, .item_count = 7, .item_max = gad7_max, .total_max = 21,
    .band_sets = gad7_band_sets, .symptom_scale = true, .remission = gad7_remission,
    .mcid = {1.5, "Kounali et al. 2020, Psychol Med (-1.5 points, moderate baseline)"},
    .sd = {4.5, "NHS Talking Therapies 2022-23 baseline SD (cbtwatch.com) [practice-level]"},
    .reliability = {0.87, "Bischoff et al. 2020 (14-28 days)"},
    .cutoff = {8.0, "IAPT caseness >= 8 / recovery < 8 (cbtwatch.com) [practice-level]"}};
inline constexpr spec qids_spec{
    .id = instrument_id::qids_sr16, .item_count = 16, .item_max = qids_max, .total_max = 27,
    .band_sets = qids_band_sets, .flag_item = 12, .symptom_scale = true, .remission = qids_remission};
inline constexpr spec pcl5_spec{
    .id = instrument_id::pcl5, .item_count = 20, .item_max = pcl5_max, .total_max = 80,
    .subscales = pcl5_subscales, .symptom_scale = true,
    .mcid = {10.0, "NCPTSD guidance: 10 points clinically meaningful"},
    .cutoff = {29.0, "clinically significant change <= 28 (Marx/Lee et al.)"}};
inline constexpr spec madrs_spec{
    .id = instrument_id::madrs, .item_count = 10, .item_max = madrs_max, .total_max = 60,
    .band_sets = madrs_band_sets, .flag_item = 10, .flag_min = 2, .symptom_scale = true,
    .remission = madrs_remission};
inline constexpr spec hamd17_spec{
    .id = instrument_id::hamd17, .item_count = 17, .item_max = hamd17_max, .total_max = 52,
    .band_sets = hamd17_band_sets, .flag_item = 3, .flag_min = 1, .symptom_scale = true,
    .remission = hamd17_remission};
inline constexpr spec bdi2_spec{
    .id = instrument_id::bdi2, .item_count = 21, .item_max = bdi2_max, .total_max = 63,
    .band_sets = bdi2_band_sets, .flag_item = 9, .symptom_scale = true, .remission = bdi2_remission,
    .mcid = {3.5, "Kounali et al. 2020, Psychol Med (-3.5 points, 17.5%)"},
    .reliability = {0.93, "Beck 1996 manual (1-week, n=26)"}};
inline constexpr spec cadss_spec{
    .id = instrument_id::cadss, .item_count = 23, .item_max = cadss_max, .total_max = 92};
inline constexpr spec cssrs_spec{
    .id = instrument_id::cssrs_screen, .item_count = 7, .item_max = cssrs_max, .has_total = false};
inline constexpr spec ebi_spec{
    .id = instrument_id::ebi, .item_count = 6, .item_max = ebi_max, .total_max = 100};
inline constexpr spec meq30_spec{
    .id = instrument_id::meq30, .item_count = 30, .item_max = meq30_max, .total_max = 150,
    .subscales = meq30_subscales};

/// The spec of an instrument, or nullptr for a value outside the enumeration (an integer cast to
/// `instrument_id`). Every runtime lookup goes through here, and every public function turns
/// nullptr into `errc::unknown_instrument` or a documented empty result; there is no fallback.
[[nodiscard]] constexpr const spec* find_spec(instrument_id id) noexcept {
  switch (id) {
    case instrument_id::phq9: return &phq9_spec;
    case instrument_id::gad7: return &gad7_spec;
    case instrument_id::qids_sr16: return &qids_spec;
    case instrument_id::pcl5: return &pcl5_spec;
    case instrument_id::madrs: return &madrs_spec;
    case instrument_id::hamd17: return &hamd17_spec;
    case instrument_id::bdi2: return &bdi2_spec;
    case instrument_id::cadss: return &cadss_spec;
    case instrument_id::cssrs_screen: return &cssrs_spec;
    case instrument_id::ebi: return &ebi_spec;
    case instrument_id::meq30: return &meq30_spec;
  }
  return nullptr;
}

/// True for the instruments in the catalogue; false for a value cast from another integer.
[[nodiscard]] constexpr bool in_catalogue(instrument_id id) noexcept {
  for (const instrument_id k : all_instruments) {
    if (k == id) return true;
  }
  return false;
}

/// The spec of an instrument fixed at compile time (the typed fast path). The id is a template
/// argument, so this cannot be called with a runtime value, and an id outside the catalogue
/// does not compile: there is no fallback to another instrument's spec.
template <instrument_id Id>
[[nodiscard]] constexpr const spec& spec_of() noexcept {
  static_assert(in_catalogue(Id), "instrument id not in the catalogue");
  return *find_spec(Id);
}

/// `unknown instrument id 42 (known: phq9, gad7, ...)`: the error for an `instrument_id` value
/// outside the enumeration.
[[gnu::cold, gnu::noinline]] inline error unknown_instrument_error(instrument_id id) {
  return error{errc::unknown_instrument, "unknown instrument id " + std::to_string(static_cast<unsigned>(id)) +
                                             " (known: " + known_instrument_ids() + ")"};
}

/// The largest item count in the catalogue (MEQ30).
inline constexpr int max_item_count = 30;

}  // namespace kap::measures::detail
