#include <kap/measures/score.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace {

using kap::errc;
using kap::measures::flag;
using kap::measures::flag_state;
using kap::measures::instrument_id;
using kap::measures::not_answered;
using kap::measures::risk_level;
using kap::measures::score;
using kap::measures::score_options;
using kap::measures::score_summary;
using kap::measures::severity_band;

/// Published item maxima, written out here (not read from the library) so that a wrong table in
/// the library fails these tests. HAM-D17 item 16 uses 2, its highest scored answer.
std::vector<int> item_maxima(instrument_id id) {
  switch (id) {
    case instrument_id::phq9: return std::vector<int>(9, 3);
    case instrument_id::gad7: return std::vector<int>(7, 3);
    case instrument_id::madrs: return std::vector<int>(10, 6);
    case instrument_id::hamd17: return {4, 4, 4, 2, 2, 2, 4, 4, 4, 4, 4, 2, 2, 2, 4, 2, 2};
    case instrument_id::bdi2: return std::vector<int>(21, 3);
    case instrument_id::cadss: return std::vector<int>(23, 4);
    case instrument_id::pcl5: return std::vector<int>(20, 4);
    case instrument_id::ebi: return std::vector<int>(6, 100);
    case instrument_id::meq30: return std::vector<int>(30, 5);
    default: return {};
  }
}

/// Items of a sum-scored instrument whose plain sum is `total`, filled greedily from item 1.
std::vector<int> items_summing_to(instrument_id id, int total) {
  std::vector<int> items = item_maxima(id);
  int left = total;
  for (int& v : items) {
    const int take = std::min(v, left);
    v = take;
    left -= take;
  }
  EXPECT_EQ(left, 0) << "total " << total << " is not reachable";
  return items;
}

/// QIDS-SR16 items whose total is `total`: each of the 9 domains gets min(3, what is left),
/// written to one item of the domain (items 1, 5, 6, 10, 11, 12, 13, 14, 15); the others are 0.
std::vector<int> qids_items_with_total(int total) {
  std::vector<int> items(16, 0);
  constexpr std::array<std::size_t, 9> domain_item{0, 4, 5, 9, 10, 11, 12, 13, 14};
  int left = total;
  for (const std::size_t i : domain_item) {
    items[i] = std::min(3, left);
    left -= items[i];
  }
  EXPECT_EQ(left, 0);
  return items;
}

score_summary must_score(instrument_id id, const std::vector<int>& items, const score_options& o = {}) {
  auto r = score(id, items, o);
  EXPECT_TRUE(r.has_value()) << (r.has_value() ? "" : r.error().message);
  return r.has_value() ? *r : score_summary{};
}

void expect_error(instrument_id id, const std::vector<int>& items, errc code, std::string_view message,
                  const score_options& o = {}) {
  auto r = score(id, items, o);
  ASSERT_FALSE(r.has_value()) << "expected: " << message;
  EXPECT_EQ(r.error().code, code) << r.error().message;
  EXPECT_EQ(r.error().message, message);
}

// ---------------------------------------------------------------------------------------------
// Band boundaries: both sides of every published cut point (Kroenke 2001, Spitzer 2006,
// ids-qids.org, Snaith 1986, Zimmerman 2013, CamCOPS, Beck 1996).

struct band_case {
  instrument_id id;
  std::string_view band_set;
  int total;
  severity_band band;
};

constexpr auto minimal = severity_band::minimal;
constexpr auto none = severity_band::none;
constexpr auto normal = severity_band::normal;
constexpr auto mild = severity_band::mild;
constexpr auto moderate = severity_band::moderate;
constexpr auto mod_severe = severity_band::moderately_severe;
constexpr auto severe = severity_band::severe;
constexpr auto very_severe = severity_band::very_severe;

constexpr band_case band_cases[] = {
    {instrument_id::phq9, "", 0, minimal},        {instrument_id::phq9, "", 4, minimal},
    {instrument_id::phq9, "", 5, mild},           {instrument_id::phq9, "", 9, mild},
    {instrument_id::phq9, "", 10, moderate},      {instrument_id::phq9, "", 14, moderate},
    {instrument_id::phq9, "", 15, mod_severe},    {instrument_id::phq9, "", 19, mod_severe},
    {instrument_id::phq9, "", 20, severe},        {instrument_id::phq9, "", 27, severe},
    {instrument_id::gad7, "", 0, minimal},        {instrument_id::gad7, "", 4, minimal},
    {instrument_id::gad7, "", 5, mild},           {instrument_id::gad7, "", 9, mild},
    {instrument_id::gad7, "", 10, moderate},      {instrument_id::gad7, "", 14, moderate},
    {instrument_id::gad7, "", 15, severe},        {instrument_id::gad7, "", 21, severe},
    {instrument_id::madrs, "", 0, normal},        {instrument_id::madrs, "", 6, normal},
    {instrument_id::madrs, "", 7, mild},          {instrument_id::madrs, "", 19, mild},
    {instrument_id::madrs, "", 20, moderate},     {instrument_id::madrs, "", 34, moderate},
    {instrument_id::madrs, "", 35, severe},       {instrument_id::madrs, "", 60, severe},
    {instrument_id::hamd17, "", 0, none},         {instrument_id::hamd17, "", 7, none},
    {instrument_id::hamd17, "", 8, mild},         {instrument_id::hamd17, "", 16, mild},
    {instrument_id::hamd17, "", 17, moderate},    {instrument_id::hamd17, "", 23, moderate},
    {instrument_id::hamd17, "", 24, severe},      {instrument_id::hamd17, "", 52, severe},
    {instrument_id::hamd17, "zimmerman2013", 16, mild},
    {instrument_id::hamd17, "zimmerman2013", 17, moderate},
    {instrument_id::hamd17, "camcops", 0, none},  {instrument_id::hamd17, "camcops", 7, none},
    {instrument_id::hamd17, "camcops", 8, mild},  {instrument_id::hamd17, "camcops", 13, mild},
    {instrument_id::hamd17, "camcops", 14, moderate}, {instrument_id::hamd17, "camcops", 18, moderate},
    {instrument_id::hamd17, "camcops", 19, severe},   {instrument_id::hamd17, "camcops", 22, severe},
    {instrument_id::hamd17, "camcops", 23, very_severe}, {instrument_id::hamd17, "camcops", 52, very_severe},
    {instrument_id::bdi2, "", 0, minimal},        {instrument_id::bdi2, "", 13, minimal},
    {instrument_id::bdi2, "", 14, mild},          {instrument_id::bdi2, "", 19, mild},
    {instrument_id::bdi2, "", 20, moderate},      {instrument_id::bdi2, "", 28, moderate},
    {instrument_id::bdi2, "", 29, severe},        {instrument_id::bdi2, "", 63, severe},
};

TEST(ScoreBands, BothSidesOfEveryCutPoint) {
  for (const band_case& c : band_cases) {
    SCOPED_TRACE(std::string(kap::measures::to_string(c.id)) + " " + std::string(c.band_set) + " total " +
                 std::to_string(c.total));
    score_options o;
    o.band_set = c.band_set;
    const score_summary s = must_score(c.id, items_summing_to(c.id, c.total), o);
    EXPECT_EQ(s.total, c.total);
    ASSERT_TRUE(s.band.has_value());
    EXPECT_EQ(*s.band, c.band);
  }
}

constexpr std::array<std::pair<int, severity_band>, 10> qids_band_cases{{{0, none},
                                                                         {5, none},
                                                                         {6, mild},
                                                                         {10, mild},
                                                                         {11, moderate},
                                                                         {15, moderate},
                                                                         {16, severe},
                                                                         {20, severe},
                                                                         {21, very_severe},
                                                                         {27, very_severe}}};

TEST(ScoreBands, QidsBothSidesOfEveryCutPoint) {
  for (const auto& [total, band] : qids_band_cases) {
    SCOPED_TRACE(total);
    const score_summary s = must_score(instrument_id::qids_sr16, qids_items_with_total(total));
    EXPECT_EQ(s.total, total);
    EXPECT_EQ(s.band, band);
  }
}

TEST(ScoreBands, UnbandedInstrumentsHaveNoBand) {
  for (const instrument_id id : {instrument_id::pcl5, instrument_id::cadss, instrument_id::ebi, instrument_id::meq30}) {
    EXPECT_FALSE(must_score(id, item_maxima(id)).band.has_value()) << kap::measures::to_string(id);
  }
}

TEST(ScoreBands, UnknownBandSetNamesTheChoices) {
  score_options o;
  o.band_set = "hamilton1960";
  expect_error(instrument_id::hamd17, std::vector<int>(17, 0), errc::unknown_enum,
               "hamd17 has no band set \"hamilton1960\" (zimmerman2013, camcops)", o);
  o.band_set = "camcops";
  expect_error(instrument_id::phq9, std::vector<int>(9, 0), errc::unknown_enum,
               "phq9 has no band set \"camcops\" (kroenke2001)", o);
  expect_error(instrument_id::cadss, std::vector<int>(23, 0), errc::unknown_enum,
               "cadss has no band set \"camcops\" (it has no bands)", o);
}

// ---------------------------------------------------------------------------------------------
// PHQ-9 (Kroenke 2001)

TEST(Phq9Scoring, TotalIsSumOfItems) {
  const score_summary s = must_score(instrument_id::phq9, {3, 2, 1, 0, 3, 2, 1, 0, 0});
  EXPECT_EQ(s.total, 12);
  EXPECT_EQ(s.band, moderate);
  EXPECT_FALSE(s.prorated);
}

TEST(Phq9Scoring, SuicidalIdeationFlagWhateverTheTotal) {
  // Item 9 at 1 with a total in the minimal band: a naive "only flag when severe" misses it.
  const score_summary low = must_score(instrument_id::phq9, {0, 0, 0, 0, 0, 0, 0, 0, 1});
  EXPECT_EQ(low.total, 1);
  EXPECT_EQ(low.band, minimal);
  EXPECT_EQ(low.flags.state(flag::suicidal_ideation), flag_state::raised);
  // A severe total with item 9 at 0 does not raise it.
  const score_summary high = must_score(instrument_id::phq9, {3, 3, 3, 3, 3, 3, 3, 3, 0});
  EXPECT_EQ(high.total, 24);
  EXPECT_EQ(high.flags.state(flag::suicidal_ideation), flag_state::clear);
}

TEST(Phq9Scoring, TypedFastPathMatchesRuntimeDispatch) {
  const std::array<int, 9> items{1, 2, 3, 0, 1, 2, 3, 0, 2};
  auto typed = score<instrument_id::phq9>(items);
  auto dynamic = score(instrument_id::phq9, items);
  ASSERT_TRUE(typed.has_value());
  ASSERT_TRUE(dynamic.has_value());
  EXPECT_EQ(*typed, *dynamic);
  EXPECT_EQ(typed->total, 14);
}

template <class A>
concept scorable_as_phq9 = requires(const A& a) { score<instrument_id::phq9>(a); };
static_assert(scorable_as_phq9<std::array<int, 9>>);
static_assert(!scorable_as_phq9<std::array<int, 8>>, "a wrong item count must not compile on the typed path");

TEST(Phq9Scoring, ProratesOnlyWhenAskedAndFlagIsUnknown) {
  std::vector<int> items{2, 2, 1, 1, 1, 1, 1, 1, not_answered};  // 8 answered, sum 10
  expect_error(instrument_id::phq9, items, errc::missing_item,
               "item 9: not answered (phq9 may be prorated with up to 2 missing items when prorating is requested)");
  score_options o;
  o.prorate = true;
  const score_summary s = must_score(instrument_id::phq9, items, o);
  EXPECT_EQ(s.total, 11);  // 10 * 9 / 8 = 11.25, rounded half up
  EXPECT_TRUE(s.prorated);
  EXPECT_EQ(s.missing, 1u << 8);
  EXPECT_EQ(s.band, moderate);
  // Item 9 missing: the flag is unknown, never clear.
  EXPECT_EQ(s.flags.state(flag::suicidal_ideation), flag_state::unknown);
  EXPECT_FALSE(s.flags.raised(flag::suicidal_ideation));
}

TEST(Phq9Scoring, ProratingRoundsHalfUpAndKeepsAnsweredFlags) {
  score_options o;
  o.prorate = true;
  // 7 answered, sum 7: 7 * 9 / 7 = 9 exactly; items 1 and 2 missing; item 9 answered 1.
  score_summary s = must_score(instrument_id::phq9, {not_answered, not_answered, 1, 1, 1, 1, 1, 1, 1}, o);
  EXPECT_EQ(s.total, 9);
  EXPECT_EQ(s.band, mild);
  EXPECT_EQ(s.flags.state(flag::suicidal_ideation), flag_state::raised);
  // 8 answered, sum 4: 4 * 9 / 8 = 4.5 -> 5 (mild, where truncation would give minimal 4).
  s = must_score(instrument_id::phq9, {not_answered, 1, 1, 1, 1, 0, 0, 0, 0}, o);
  EXPECT_EQ(s.total, 5);
  EXPECT_EQ(s.band, mild);
  EXPECT_EQ(s.flags.state(flag::suicidal_ideation), flag_state::clear);
  // Nothing missing: prorating changes nothing.
  s = must_score(instrument_id::phq9, {1, 1, 1, 1, 0, 0, 0, 0, 0}, o);
  EXPECT_EQ(s.total, 4);
  EXPECT_FALSE(s.prorated);
}

TEST(Phq9Scoring, ProratingAllowsAtMostTwoMissing) {
  score_options o;
  o.prorate = true;
  expect_error(instrument_id::phq9, {not_answered, not_answered, not_answered, 1, 1, 1, 1, 1, 1}, errc::missing_item,
               "phq9: 3 items not answered; prorating allows at most 2", o);
}

TEST(Phq9Scoring, OutOfRangeIsReportedBeforeMissing) {
  score_options o;
  o.prorate = true;
  expect_error(instrument_id::phq9, {not_answered, 1, 1, 7, 1, 1, 1, 1, 1}, errc::item_out_of_range,
               "item 4: 7 is outside 0-3", o);
}

// ---------------------------------------------------------------------------------------------
// Errors of the integer path

TEST(ScoreErrors, WrongItemCount) {
  expect_error(instrument_id::phq9, std::vector<int>(8, 0), errc::wrong_item_count, "phq9 expects 9 items, got 8");
  expect_error(instrument_id::qids_sr16, std::vector<int>(17, 0), errc::wrong_item_count,
               "qids-sr16 expects 16 items, got 17");
  expect_error(instrument_id::cssrs_screen, std::vector<int>(6, 0), errc::wrong_item_count,
               "cssrs-screen expects 7 items, got 6");
}

// An integer cast to instrument_id is refused by name, whatever the item count: it is never
// scored as PHQ-9 (whose item count it used to be checked against).
constexpr auto unknown_id = static_cast<instrument_id>(42);
constexpr std::string_view unknown_id_message =
    "unknown instrument id 42 (known: phq9, gad7, qids-sr16, pcl5, madrs, hamd17, bdi2, cadss, cssrs-screen, ebi, "
    "meq30)";

static_assert(kap::measures::detail::find_spec(unknown_id) == nullptr);
static_assert(kap::measures::detail::find_spec(instrument_id::meq30)->id == instrument_id::meq30);

TEST(ScoreErrors, UnknownInstrumentIdIsRefused) {
  expect_error(unknown_id, std::vector<int>(9, 0), errc::unknown_instrument, unknown_id_message);
  expect_error(unknown_id, std::vector<int>(8, 0), errc::unknown_instrument, unknown_id_message);
  expect_error(static_cast<instrument_id>(255), {}, errc::unknown_instrument,
               "unknown instrument id 255 (known: phq9, gad7, qids-sr16, pcl5, madrs, hamd17, bdi2, cadss, "
               "cssrs-screen, ebi, meq30)");
}

// Items at INT_MAX or INT_MIN are range errors. Every summing path is exercised, because summing
// them in int overflowed (undefined behaviour that the ci-asan preset's UBSan turns into a failure).
TEST(ScoreErrors, ExtremeItemValuesAreRangeErrorsWithoutOverflow) {
  constexpr int hi = std::numeric_limits<int>::max();
  constexpr int lo = std::numeric_limits<int>::min();
  const std::pair<instrument_id, std::string_view> maxima[] = {
      {instrument_id::phq9, "3"},   {instrument_id::gad7, "3"},   {instrument_id::qids_sr16, "3"},
      {instrument_id::pcl5, "4"},   {instrument_id::madrs, "6"},  {instrument_id::hamd17, "4"},
      {instrument_id::bdi2, "3"},   {instrument_id::cadss, "4"},  {instrument_id::ebi, "100"},
      {instrument_id::meq30, "5"}};
  for (const auto& [id, max] : maxima) {
    SCOPED_TRACE(std::string(kap::measures::to_string(id)));
    const std::size_t n = id == instrument_id::qids_sr16 ? 16 : item_maxima(id).size();
    expect_error(id, std::vector<int>(n, hi), errc::item_out_of_range,
                 "item 1: 2147483647 is outside 0-" + std::string(max));
    expect_error(id, std::vector<int>(n, lo), errc::item_out_of_range,
                 "item 1: -2147483648 is outside 0-" + std::string(max));
    std::vector<int> last_bad(n, 1);  // in-range items, then one that takes the sum past INT_MAX
    last_bad.back() = hi;
    expect_error(id, last_bad, errc::item_out_of_range,
                 "item " + std::to_string(n) + ": 2147483647 is outside 0-" +
                     (id == instrument_id::hamd17 ? std::string("2") : std::string(max)));
  }
  const std::array<int, 9> typed{hi, hi, hi, hi, hi, hi, hi, hi, hi};
  auto r = score<instrument_id::phq9>(typed);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, errc::item_out_of_range);
  EXPECT_EQ(r.error().message, "item 1: 2147483647 is outside 0-3");
}

struct range_case {
  instrument_id id;
  std::size_t item;  // 0-based
  int value;
  std::string_view message;
};

const range_case range_cases[] = {
    {instrument_id::phq9, 3, 7, "item 4: 7 is outside 0-3"},
    {instrument_id::phq9, 0, -2, "item 1: -2 is outside 0-3"},
    {instrument_id::gad7, 6, 4, "item 7: 4 is outside 0-3"},
    {instrument_id::qids_sr16, 15, 4, "item 16: 4 is outside 0-3"},
    {instrument_id::pcl5, 19, 5, "item 20: 5 is outside 0-4"},
    {instrument_id::madrs, 9, 7, "item 10: 7 is outside 0-6"},
    {instrument_id::hamd17, 3, 3, "item 4: 3 is outside 0-2"},
    {instrument_id::hamd17, 0, 5, "item 1: 5 is outside 0-4"},
    {instrument_id::hamd17, 15, 4, "item 16: 4 is outside 0-3 (3 = not assessed)"},
    {instrument_id::hamd17, 16, 3, "item 17: 3 is outside 0-2"},
    {instrument_id::bdi2, 20, 4, "item 21: 4 is outside 0-3"},
    {instrument_id::cadss, 22, 5, "item 23: 5 is outside 0-4"},
    {instrument_id::ebi, 5, 101, "item 6: 101 is outside 0-100"},
    {instrument_id::meq30, 29, 6, "item 30: 6 is outside 0-5"},
    {instrument_id::cssrs_screen, 0, 2, "item 1 (Q1): 2 is outside 0-1"},
};

TEST(ScoreErrors, OutOfRangeNamesTheItem) {
  for (const range_case& c : range_cases) {
    SCOPED_TRACE(c.message);
    std::vector<int> items = c.id == instrument_id::cssrs_screen ? std::vector<int>{0, 0, -1, -1, -1, 0, -1}
                                                                 : std::vector<int>(item_maxima(c.id).size(), 0);
    if (c.id == instrument_id::qids_sr16) items.assign(16, 0);
    items[c.item] = c.value;
    expect_error(c.id, items, errc::item_out_of_range, c.message);
  }
}

TEST(ScoreErrors, MissingWithoutAPublishedRule) {
  score_options o;
  o.prorate = true;  // asking does not help an instrument without a rule
  std::vector<int> items(7, 1);
  items[2] = not_answered;
  expect_error(instrument_id::gad7, items, errc::missing_item,
               "item 3: not answered, and gad7 has no published prorating rule", o);
  std::vector<int> hamd(17, 1);
  hamd[15] = not_answered;
  expect_error(instrument_id::hamd17, hamd, errc::missing_item,
               "item 16: not answered, and hamd17 has no published prorating rule");
}

// ---------------------------------------------------------------------------------------------
// QIDS-SR16 (Rush 2003): domain maxima

TEST(QidsScoring, DomainsTakeTheMaximumNotTheSum) {
  // sleep items 3,2,1,0 -> 3 (naive 6); item 5 = 2; appetite/weight 0,2,1,0 -> 2 (naive 3);
  // items 10-14 = 1,1,0,1,1; psychomotor 1,3 -> 3 (naive 4). Domains: 3+2+2+1+1+0+1+1+3 = 14.
  const std::vector<int> items{3, 2, 1, 0, 2, 0, 2, 1, 0, 1, 1, 0, 1, 1, 1, 3};
  const score_summary s = must_score(instrument_id::qids_sr16, items);
  EXPECT_EQ(s.total, 14);
  EXPECT_EQ(s.band, moderate);
  EXPECT_EQ(s.flags.state(flag::suicidal_ideation), flag_state::clear);
}

TEST(QidsScoring, AllItemsAtMaximumIs27) {
  EXPECT_EQ(must_score(instrument_id::qids_sr16, std::vector<int>(16, 3)).total, 27);  // naive 48
}

TEST(QidsScoring, Item12RaisesTheFlag) {
  std::vector<int> items(16, 0);
  items[11] = 1;
  const score_summary s = must_score(instrument_id::qids_sr16, items);
  EXPECT_EQ(s.total, 1);
  EXPECT_TRUE(s.flags.raised(flag::suicidal_ideation));
}

TEST(QidsScoring, OneOfEachAppetiteWeightPairMayBeBlank) {
  // The form asks for item 6 or 7, and item 8 or 9.
  std::vector<int> items(16, 0);
  items[5] = not_answered;
  items[6] = 2;
  items[7] = 1;
  items[8] = not_answered;
  EXPECT_EQ(must_score(instrument_id::qids_sr16, items).total, 2);
}

TEST(QidsScoring, BothItemsOfAPairBlankIsMissing) {
  std::vector<int> items(16, 0);
  items[5] = not_answered;
  items[6] = not_answered;
  expect_error(instrument_id::qids_sr16, items, errc::missing_item,
               "items 6-7: one of them must be answered (appetite)");
  items[6] = 1;
  items[7] = not_answered;
  items[8] = not_answered;
  expect_error(instrument_id::qids_sr16, items, errc::missing_item, "items 8-9: one of them must be answered (weight)");
}

TEST(QidsScoring, OtherBlankItemsAreMissing) {
  for (const int item : {1, 2, 3, 4, 5, 10, 11, 12, 13, 14, 15, 16}) {
    std::vector<int> items(16, 0);
    items[static_cast<std::size_t>(item - 1)] = not_answered;
    expect_error(instrument_id::qids_sr16, items, errc::missing_item,
                 "item " + std::to_string(item) + ": not answered, and qids-sr16 has no published prorating rule");
  }
}

// ---------------------------------------------------------------------------------------------
// HAM-D17 (CamCOPS hamd.py): item 16 = 3 is "not assessed" and scores 0

TEST(Hamd17Scoring, Item16NotAssessedScoresZero) {
  std::vector<int> items(17, 0);
  items[15] = 3;
  EXPECT_EQ(must_score(instrument_id::hamd17, items).total, 0);  // naive 3
  items[0] = 4;
  items[15] = 2;
  EXPECT_EQ(must_score(instrument_id::hamd17, items).total, 6);
}

TEST(Hamd17Scoring, AllItemsAtMaximumIs52) {
  EXPECT_EQ(must_score(instrument_id::hamd17, item_maxima(instrument_id::hamd17)).total, 52);
}

TEST(Hamd17Scoring, AlternativeBandSetIsReported) {
  score_options o;
  o.band_set = "camcops";
  const score_summary s = must_score(instrument_id::hamd17, items_summing_to(instrument_id::hamd17, 20), o);
  EXPECT_EQ(s.band, severe);  // Zimmerman 2013 would say moderate
  EXPECT_EQ(s.band_set, 1);
  EXPECT_EQ(must_score(instrument_id::hamd17, items_summing_to(instrument_id::hamd17, 20)).band, moderate);
}

// ---------------------------------------------------------------------------------------------
// Suicide-item flags of the clinician scales (issue 20, item 12): MADRS item 10 and HAM-D17
// item 3. No published guidance fixes a threshold, so each is a score_options field with a
// documented default (MADRS 2, the first anchor naming suicidal thoughts; HAM-D17 1).

TEST(SuicideItemFlag, MadrsItem10AtTheThresholdWhateverTheTotal) {
  std::vector<int> items(10, 0);
  EXPECT_EQ(must_score(instrument_id::madrs, items).flags.state(flag::suicidal_ideation), flag_state::clear);
  items[9] = 1;
  EXPECT_EQ(must_score(instrument_id::madrs, items).flags.state(flag::suicidal_ideation), flag_state::clear);
  items[9] = 2;
  const score_summary low = must_score(instrument_id::madrs, items);
  EXPECT_EQ(low.total, 2);
  EXPECT_EQ(low.flags.state(flag::suicidal_ideation), flag_state::raised);
  std::vector<int> high(10, 6);
  high[9] = 0;
  EXPECT_EQ(must_score(instrument_id::madrs, high).flags.state(flag::suicidal_ideation), flag_state::clear);
  score_options o;
  o.madrs_suicide_item_min = 4;
  items[9] = 3;
  EXPECT_EQ(must_score(instrument_id::madrs, items, o).flags.state(flag::suicidal_ideation), flag_state::clear);
  items[9] = 4;
  EXPECT_EQ(must_score(instrument_id::madrs, items, o).flags.state(flag::suicidal_ideation), flag_state::raised);
  o.madrs_suicide_item_min = 1;
  items[9] = 1;
  EXPECT_EQ(must_score(instrument_id::madrs, items, o).flags.state(flag::suicidal_ideation), flag_state::raised);
}

TEST(SuicideItemFlag, Hamd17Item3AtTheThresholdWhateverTheTotal) {
  std::vector<int> items(17, 0);
  EXPECT_EQ(must_score(instrument_id::hamd17, items).flags.state(flag::suicidal_ideation), flag_state::clear);
  items[2] = 1;
  const score_summary low = must_score(instrument_id::hamd17, items);
  EXPECT_EQ(low.total, 1);
  EXPECT_EQ(low.flags.state(flag::suicidal_ideation), flag_state::raised);
  std::vector<int> high = item_maxima(instrument_id::hamd17);
  high[2] = 0;
  EXPECT_EQ(must_score(instrument_id::hamd17, high).flags.state(flag::suicidal_ideation), flag_state::clear);
  score_options o;
  o.hamd17_suicide_item_min = 3;
  items[2] = 2;
  EXPECT_EQ(must_score(instrument_id::hamd17, items, o).flags.state(flag::suicidal_ideation), flag_state::clear);
  items[2] = 3;
  EXPECT_EQ(must_score(instrument_id::hamd17, items, o).flags.state(flag::suicidal_ideation), flag_state::raised);
  // Item 16's "not assessed" is not item 3: it raises nothing.
  std::vector<int> na(17, 0);
  na[15] = 3;
  EXPECT_EQ(must_score(instrument_id::hamd17, na).flags.state(flag::suicidal_ideation), flag_state::clear);
}

TEST(SuicideItemFlag, AMissingItemIsNeverClear) {
  // Neither scale has a published prorating rule, so a blank item is an error, prorating asked
  // or not: the flag is never reported clear for an item that was not answered.
  score_options o;
  o.prorate = true;
  std::vector<int> madrs(10, 0);
  madrs[9] = kap::measures::not_answered;
  expect_error(instrument_id::madrs, madrs, errc::missing_item,
               "item 10: not answered, and madrs has no published prorating rule", o);
  std::vector<int> hamd(17, 0);
  hamd[2] = kap::measures::not_answered;
  expect_error(instrument_id::hamd17, hamd, errc::missing_item,
               "item 3: not answered, and hamd17 has no published prorating rule", o);
  // The tri-state rule itself, shared by every flag item: unanswered is unknown.
  EXPECT_EQ(kap::measures::detail::item_flag_state(kap::measures::not_answered, 2), flag_state::unknown);
  EXPECT_EQ(kap::measures::detail::item_flag_state(1, 2), flag_state::clear);
  EXPECT_EQ(kap::measures::detail::item_flag_state(2, 2), flag_state::raised);
}

TEST(SuicideItemFlag, ThresholdOutsideTheItemsRangeIsAnError) {
  score_options o;
  for (const int bad : {0, 7, -1}) {
    o.madrs_suicide_item_min = bad;
    expect_error(instrument_id::madrs, std::vector<int>(10, 0), errc::out_of_range,
                 "madrs item 10 flag threshold " + std::to_string(bad) + " is outside 1-6", o);
  }
  o = {};
  for (const int bad : {0, 5}) {
    o.hamd17_suicide_item_min = bad;
    expect_error(instrument_id::hamd17, std::vector<int>(17, 0), errc::out_of_range,
                 "hamd17 item 3 flag threshold " + std::to_string(bad) + " is outside 1-4", o);
  }
  // Ignored by the other instruments.
  o.madrs_suicide_item_min = 0;
  EXPECT_EQ(must_score(instrument_id::phq9, std::vector<int>(9, 0), o).total, 0);
}

// ---------------------------------------------------------------------------------------------
// BDI-II (Beck 1996)

TEST(Bdi2Scoring, Item9RaisesTheFlag) {
  std::vector<int> items(21, 0);
  items[8] = 1;
  const score_summary s = must_score(instrument_id::bdi2, items);
  EXPECT_EQ(s.band, minimal);
  EXPECT_TRUE(s.flags.raised(flag::suicidal_ideation));
  items[8] = 0;
  items[7] = 3;
  EXPECT_FALSE(must_score(instrument_id::bdi2, items).flags.raised(flag::suicidal_ideation));
}

// ---------------------------------------------------------------------------------------------
// PCL-5 (NCPTSD): cluster sums, DSM-5 rule and cut point reported separately

std::vector<int> pcl5_items(std::initializer_list<std::pair<int, int>> item_values, int fill = 0) {
  std::vector<int> items(20, fill);
  for (const auto& [item, value] : item_values) items[static_cast<std::size_t>(item - 1)] = value;
  return items;
}

TEST(Pcl5Scoring, ClusterSums) {
  // B 1-5, C 6-7, D 8-14, E 15-20
  const std::vector<int> items{1, 1, 1, 1, 1, 2, 2, 3, 3, 3, 3, 3, 3, 3, 4, 4, 4, 4, 4, 4};
  const score_summary s = must_score(instrument_id::pcl5, items);
  EXPECT_EQ(s.total, 5 + 4 + 21 + 24);
  EXPECT_EQ(s.subscales, (std::array<std::int16_t, 4>{5, 4, 21, 24}));
}

TEST(Pcl5Scoring, RuleMetButCutPointNot) {
  // One B, one C, two D, two E items at 2 ("moderately"): the DSM-5 rule holds at total 12.
  const score_summary s = must_score(instrument_id::pcl5, pcl5_items({{1, 2}, {6, 2}, {8, 2}, {9, 2}, {15, 2}, {16, 2}}));
  EXPECT_EQ(s.total, 12);
  EXPECT_EQ(s.provisional_dsm5, true);
  EXPECT_EQ(s.provisional_cutpoint, false);
  EXPECT_EQ(s.cutpoint, 33);
}

TEST(Pcl5Scoring, CutPointMetButRuleNot) {
  // Every B item at 4 and everything else at 1: total 35 >= 33, but no C item reaches 2.
  const score_summary s = must_score(instrument_id::pcl5, pcl5_items({{1, 4}, {2, 4}, {3, 4}, {4, 4}, {5, 4}}, 1));
  EXPECT_EQ(s.total, 35);
  EXPECT_EQ(s.provisional_dsm5, false);
  EXPECT_EQ(s.provisional_cutpoint, true);
}

TEST(Pcl5Scoring, OneItemShortInEachClusterFailsTheRule) {
  const std::vector<std::vector<int>> one_short{
      pcl5_items({{6, 2}, {8, 2}, {9, 2}, {15, 2}, {16, 2}}),          // no B
      pcl5_items({{1, 2}, {8, 2}, {9, 2}, {15, 2}, {16, 2}}),          // no C
      pcl5_items({{1, 2}, {6, 2}, {8, 2}, {15, 2}, {16, 2}}),          // one D
      pcl5_items({{1, 2}, {6, 2}, {8, 2}, {9, 2}, {15, 2}}),           // one E
      pcl5_items({{1, 1}, {6, 2}, {8, 2}, {9, 2}, {15, 2}, {16, 2}}),  // B at 1 is not endorsed
  };
  for (const auto& items : one_short) EXPECT_EQ(must_score(instrument_id::pcl5, items).provisional_dsm5, false);
}

TEST(Pcl5Scoring, CutPointIsConfigurable) {
  const std::vector<int> items = pcl5_items({{1, 4}, {2, 4}, {3, 4}, {4, 4}, {5, 4}, {6, 4}, {7, 4}, {8, 4}});  // 32
  score_options o;
  EXPECT_EQ(must_score(instrument_id::pcl5, items, o).provisional_cutpoint, false);
  o.pcl5_cutpoint = 32;
  EXPECT_EQ(must_score(instrument_id::pcl5, items, o).provisional_cutpoint, true);
  o.pcl5_cutpoint = 31;
  const score_summary s = must_score(instrument_id::pcl5, items, o);
  EXPECT_EQ(s.provisional_cutpoint, true);
  EXPECT_EQ(s.cutpoint, 31);
}

// NCPTSD's PCL-5 guidance gives 31-33 and says to choose by population; older PCL guidance used
// higher values: any cut point within the total's range 0-80 is accepted (issue 20, item 13).
TEST(Pcl5Scoring, AnyCutPointWithinTheTotalsRangeIsAccepted) {
  const std::vector<int> items = pcl5_items({{1, 4}, {2, 4}, {3, 4}, {4, 4}, {5, 4}, {6, 4}, {7, 4}, {8, 4}});  // 32
  score_options o;
  for (const int cut : {0, 1, 30, 32}) {
    o.pcl5_cutpoint = cut;
    const score_summary s = must_score(instrument_id::pcl5, items, o);
    EXPECT_EQ(s.provisional_cutpoint, true) << cut;
    EXPECT_EQ(s.cutpoint, cut);
  }
  for (const int cut : {33, 44, 50, 80}) {
    o.pcl5_cutpoint = cut;
    const score_summary s = must_score(instrument_id::pcl5, items, o);
    EXPECT_EQ(s.provisional_cutpoint, false) << cut;
    EXPECT_EQ(s.cutpoint, cut);
  }
  o.pcl5_cutpoint = 80;
  EXPECT_EQ(must_score(instrument_id::pcl5, std::vector<int>(20, 4), o).provisional_cutpoint, true);
  o.pcl5_cutpoint = 0;
  EXPECT_EQ(must_score(instrument_id::pcl5, std::vector<int>(20, 0), o).provisional_cutpoint, true);
}

TEST(Pcl5Scoring, CutPointOutsideTheTotalsRangeIsAnError) {
  score_options o;
  o.pcl5_cutpoint = -1;
  expect_error(instrument_id::pcl5, std::vector<int>(20, 0), errc::out_of_range, "pcl5 cut point -1 is outside 0-80", o);
  o.pcl5_cutpoint = 81;
  expect_error(instrument_id::pcl5, std::vector<int>(20, 0), errc::out_of_range, "pcl5 cut point 81 is outside 0-80", o);
}

// ---------------------------------------------------------------------------------------------
// MEQ30 (Barrett, Johnson & Griffiths 2015). The item mapping below is written out
// independently of the library: mystical, positive mood, transcendence, ineffability.

constexpr std::array<std::array<int, 15>, 4> meq30_mapping{{
    {4, 5, 6, 9, 14, 15, 16, 18, 20, 21, 23, 24, 25, 26, 28},
    {2, 8, 12, 17, 27, 30},
    {1, 7, 11, 13, 19, 22},
    {3, 10, 29},
}};
constexpr std::array<std::size_t, 4> meq30_sizes{15, 6, 6, 3};

/// MEQ30 items whose subscale sums are `sums`, spread greedily over each subscale's items.
std::vector<int> meq30_items(std::array<int, 4> sums) {
  std::vector<int> items(30, 0);
  for (std::size_t k = 0; k < 4; ++k) {
    int left = sums[k];
    for (std::size_t j = 0; j < meq30_sizes[k]; ++j) {
      const int v = std::min(5, left);
      items[static_cast<std::size_t>(meq30_mapping[k][j] - 1)] = v;
      left -= v;
    }
    EXPECT_EQ(left, 0);
  }
  return items;
}

TEST(Meq30Scoring, SubscalesFollowTheItemMapping) {
  const score_summary s = must_score(instrument_id::meq30, meq30_items({20, 10, 7, 4}));
  EXPECT_EQ(s.total, 41);
  EXPECT_EQ(s.subscales, (std::array<std::int16_t, 4>{20, 10, 7, 4}));
}

TEST(Meq30Scoring, ExactlySixtyPercentOnEverySubscaleIsComplete) {
  // 45/75, 18/30, 18/30, 9/15: each exactly 60%.
  const score_summary s = must_score(instrument_id::meq30, meq30_items({45, 18, 18, 9}));
  EXPECT_EQ(s.total, 90);  // also exactly 60% of 150
  EXPECT_EQ(s.complete_mystical_experience, true);
}

TEST(Meq30Scoring, JustUnderSixtyPercentOnOneSubscaleIsNotComplete) {
  // Ineffability 8/15 = 53%; the total 119/150 is well above 60%, so a total-based rule is wrong.
  const score_summary s = must_score(instrument_id::meq30, meq30_items({75, 18, 9 + 9, 8}));
  EXPECT_EQ(s.complete_mystical_experience, false);
  EXPECT_EQ(must_score(instrument_id::meq30, meq30_items({44, 18, 18, 9})).complete_mystical_experience, false);
  EXPECT_EQ(must_score(instrument_id::meq30, meq30_items({45, 17, 18, 9})).complete_mystical_experience, false);
  EXPECT_EQ(must_score(instrument_id::meq30, meq30_items({45, 18, 17, 9})).complete_mystical_experience, false);
}

// ---------------------------------------------------------------------------------------------
// EBI (Roseman et al. 2019) and CADSS

TEST(EbiScoring, TotalHoldsTheSum) {
  const score_summary s = must_score(instrument_id::ebi, {10, 20, 30, 40, 50, 61});
  EXPECT_EQ(s.total, 211);
  EXPECT_FALSE(s.band.has_value());
}

TEST(CadssScoring, TotalIsSumOfTheSubjectiveItems) {
  EXPECT_EQ(must_score(instrument_id::cadss, std::vector<int>(23, 4)).total, 92);
  EXPECT_EQ(must_score(instrument_id::cadss, items_summing_to(instrument_id::cadss, 17)).total, 17);
}

// ---------------------------------------------------------------------------------------------
// C-SSRS screener (rula.com; Columbia triage guideline): Q1 Q2 Q3 Q4 Q5 Q6 Q6b

constexpr int y = 1;
constexpr int n = 0;
constexpr int ask = not_answered;  // "-": not asked

struct cssrs_case {
  std::array<int, 7> items;
  risk_level risk;
  std::string_view why;
};

constexpr cssrs_case cssrs_cases[] = {
    {{n, n, ask, ask, ask, n, ask}, risk_level::none, "all no"},
    {{y, n, ask, ask, ask, n, ask}, risk_level::low, "Q1 only"},
    {{n, y, n, n, n, n, ask}, risk_level::low, "Q2 only"},
    {{y, y, n, n, n, n, ask}, risk_level::low, "Q1 and Q2"},
    {{y, y, y, n, n, n, ask}, risk_level::moderate, "Q3"},
    {{n, n, ask, ask, ask, y, n}, risk_level::moderate, "Q6 more than 3 months ago"},
    {{y, y, n, y, n, n, ask}, risk_level::high, "Q4"},
    {{y, y, n, n, y, n, ask}, risk_level::high, "Q5"},
    {{n, n, ask, ask, ask, y, y}, risk_level::high, "Q6 within 3 months"},
    {{y, y, y, n, n, y, n}, risk_level::moderate, "Q3 and past behaviour"},
};

TEST(CssrsScoring, EachRiskLevel) {
  for (const cssrs_case& c : cssrs_cases) {
    SCOPED_TRACE(c.why);
    const score_summary s = must_score(instrument_id::cssrs_screen, {c.items.begin(), c.items.end()});
    EXPECT_EQ(s.risk, c.risk);
  }
}

TEST(CssrsScoring, YesCountIsNotTheRule) {
  // Two yes answers (Q6, Q6b) are high risk; three (Q1, Q2, Q3) are moderate.
  EXPECT_EQ(must_score(instrument_id::cssrs_screen, {n, n, ask, ask, ask, y, y}).risk, risk_level::high);
  EXPECT_EQ(must_score(instrument_id::cssrs_screen, {y, y, y, n, n, n, ask}).risk, risk_level::moderate);
}

struct cssrs_error_case {
  std::array<int, 7> items;
  errc code;
  std::string_view message;
};

const cssrs_error_case cssrs_error_cases[] = {
    {{ask, n, ask, ask, ask, n, ask}, errc::missing_item, "item 1 (Q1): an answer is required"},
    {{n, ask, ask, ask, ask, n, ask}, errc::missing_item, "item 2 (Q2): an answer is required"},
    {{n, n, ask, ask, ask, ask, ask}, errc::missing_item, "item 6 (Q6): an answer is required"},
    {{n, y, ask, n, n, n, ask}, errc::missing_item, "item 3 (Q3): an answer is required because Q2 is yes"},
    {{n, y, n, n, ask, n, ask}, errc::missing_item, "item 5 (Q5): an answer is required because Q2 is yes"},
    {{n, n, y, ask, ask, n, ask}, errc::item_out_of_range, "item 3 (Q3): must not be asked when Q2 is no (answer -)"},
    {{n, n, ask, ask, n, n, ask}, errc::item_out_of_range, "item 5 (Q5): must not be asked when Q2 is no (answer -)"},
    {{n, n, ask, ask, ask, y, ask}, errc::missing_item, "item 7 (Q6b): an answer is required because Q6 is yes"},
    {{n, n, ask, ask, ask, n, n}, errc::item_out_of_range, "item 7 (Q6b): must not be asked when Q6 is no (answer -)"},
};

TEST(CssrsScoring, SkipLogicErrorsNameTheItem) {
  for (const cssrs_error_case& c : cssrs_error_cases) {
    SCOPED_TRACE(c.message);
    expect_error(instrument_id::cssrs_screen, {c.items.begin(), c.items.end()}, c.code, c.message);
  }
}

// ---------------------------------------------------------------------------------------------
// Token API

std::vector<std::string_view> split(std::string_view s) {
  std::vector<std::string_view> out;
  std::size_t i = 0;
  while (i < s.size()) {
    const std::size_t j = s.find(' ', i);
    const std::size_t end = j == std::string_view::npos ? s.size() : j;
    out.push_back(s.substr(i, end - i));
    i = end + 1;
  }
  return out;
}

void expect_token_error(std::string_view instrument, std::string_view tokens, errc code, std::string_view message) {
  const auto t = split(tokens);
  auto r = kap::measures::score_tokens(instrument, t);
  ASSERT_FALSE(r.has_value()) << "expected: " << message;
  EXPECT_EQ(r.error().code, code) << r.error().message;
  EXPECT_EQ(r.error().message, message);
}

TEST(ScoreTokens, Phq9FromTokens) {
  const auto t = split("1 2 3 0 1 2 3 0 2");
  auto r = kap::measures::score_tokens("phq9", t);
  ASSERT_TRUE(r.has_value()) << r.error().message;
  EXPECT_EQ(r->instrument, "phq9");
  EXPECT_EQ(r->total, 14);
  EXPECT_EQ(r->max, 27);
  EXPECT_EQ(r->band, moderate);
  EXPECT_EQ(r->flags, std::vector<flag>{flag::suicidal_ideation});
}

TEST(ScoreTokens, Bdi2DirectionAnswersScoreTheDigit) {
  // Items 16 and 18 answered 1a and 2b: 1 + 2; every other item 1 -> 19 + 3 = 22.
  const auto t = split("1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1a 1 2b 1 1 1");
  auto r = kap::measures::score_tokens("bdi2", t);
  ASSERT_TRUE(r.has_value()) << r.error().message;
  EXPECT_EQ(r->total, 22);
  EXPECT_EQ(r->band, moderate);
  const auto zero = split("0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 3a 0 3b 0 0 0");
  auto z = kap::measures::score_tokens("bdi2", zero);
  ASSERT_TRUE(z.has_value());
  EXPECT_EQ(z->total, 6);
}

TEST(ScoreTokens, Bdi2PlainDigitOnItem16IsNotAnAnswer) {
  expect_token_error("bdi2", "0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 2 0 0 0 0 0", errc::item_out_of_range,
                     "item 16: \"2\" is not one of 0, 1a, 1b, 2a, 2b, 3a, 3b");
  expect_token_error("bdi2", "0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 4a 0 0 0", errc::item_out_of_range,
                     "item 18: \"4a\" is not one of 0, 1a, 1b, 2a, 2b, 3a, 3b");
  expect_token_error("bdi2", "0 0 0 0 1a 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0", errc::parse_error,
                     "item 5: \"1a\" is not a number");
}

TEST(ScoreTokens, CssrsYesNoNotAsked) {
  const auto t = split("y y n y n n -");
  auto r = kap::measures::score_tokens("cssrs-screen", t);
  ASSERT_TRUE(r.has_value()) << r.error().message;
  EXPECT_EQ(r->risk, risk_level::high);
  EXPECT_FALSE(r->total.has_value());
  expect_token_error("cssrs-screen", "y yes - - - n -", errc::item_out_of_range, "item 2 (Q2): \"yes\" is not y, n or -");
  expect_token_error("cssrs-screen", "n n y - - n -", errc::item_out_of_range,
                     "item 3 (Q3): must not be asked when Q2 is no (answer -)");
}

struct token_error_case {
  std::string_view instrument;
  std::string_view tokens;
  errc code;
  std::string_view message;
};

const token_error_case token_error_cases[] = {
    {"phq9", "1 1 1 7 1 1 1 1 1", errc::item_out_of_range, "item 4: 7 is outside 0-3"},
    {"phq9", "1 x 1 1 1 1 1 1 1", errc::parse_error, "item 2: \"x\" is not a number"},
    {"phq9", "1 1 1 1 1 1 1 1", errc::wrong_item_count, "phq9 expects 9 items, got 8"},
    {"phq9", "1 1 1 1 1 1 1 1 1 1", errc::wrong_item_count, "phq9 expects 9 items, got 10"},
    {"phq9", "-1 1 1 1 1 1 1 1 1", errc::item_out_of_range, "item 1: -1 is outside 0-3"},
    {"phq9", "1 1 1.5 1 1 1 1 1 1", errc::parse_error, "item 3: \"1.5\" is not a number"},
    {"phq9", "1 1 +1 1 1 1 1 1 1", errc::parse_error, "item 3: \"+1\" is not a number"},
    {"phq9", "1 1 1 1 1 1 1 1 99999999999999999999", errc::item_out_of_range,
     "item 9: 9999999999999999... is outside 0-3"},
    {"phq9", "1 1 1 1 1 1 1 1 abcdefghijklmnopqrstuvwxyz", errc::parse_error,
     "item 9: \"abcdefghijklmnop...\" is not a number"},
    {"phq9", "1 1 1 1 1 1 1 1 -", errc::missing_item,
     "item 9: not answered (phq9 may be prorated with up to 2 missing items when prorating is requested)"},
    {"hamd17", "0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 4 0", errc::item_out_of_range,
     "item 16: 4 is outside 0-3 (3 = not assessed)"},
    {"ebi", "0 0 0 0 0 101", errc::item_out_of_range, "item 6: 101 is outside 0-100"},
    {"phq10", "1", errc::unknown_instrument,
     "unknown instrument \"phq10\" (known: phq9, gad7, qids-sr16, pcl5, madrs, hamd17, bdi2, cadss, cssrs-screen, ebi, "
     "meq30)"},
};

TEST(ScoreTokens, BadInputNamesTheItem) {
  for (const token_error_case& c : token_error_cases) {
    SCOPED_TRACE(c.message);
    expect_token_error(c.instrument, c.tokens, c.code, c.message);
  }
}

TEST(ScoreTokens, EmptyTokenIsNotANumber) {
  const std::array<std::string_view, 9> t{"1", "", "1", "1", "1", "1", "1", "1", "1"};
  auto r = kap::measures::score_tokens("phq9", t);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, errc::parse_error);
  EXPECT_EQ(r.error().message, "item 2: \"\" is not a number");
}

TEST(ScoreTokens, DashWithProratingGivesUnknownFlag) {
  const auto t = split("2 2 1 1 1 1 1 1 -");
  score_options o;
  o.prorate = true;
  auto r = kap::measures::score_tokens("phq9", t, o);
  ASSERT_TRUE(r.has_value()) << r.error().message;
  EXPECT_EQ(r->total, 11);
  EXPECT_TRUE(r->flags.empty());
  ASSERT_TRUE(r->unknown_flags.has_value());
  EXPECT_EQ(*r->unknown_flags, std::vector<flag>{flag::suicidal_ideation});
  EXPECT_EQ(r->prorated, true);
  EXPECT_EQ(r->missing_items, std::vector<int>{9});
}

TEST(ScoreTokens, UnknownInstrumentIdIsRefused) {
  const auto nine = split("0 0 0 0 0 0 0 0 0");
  auto v = kap::measures::parse_item_tokens(unknown_id, nine);
  ASSERT_FALSE(v.has_value());
  EXPECT_EQ(v.error().code, errc::unknown_instrument);
  EXPECT_EQ(v.error().message, unknown_id_message);
  auto r = kap::measures::score_tokens(unknown_id, split("0 0"));
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, errc::unknown_instrument);
  EXPECT_EQ(r.error().message, unknown_id_message);
}

TEST(ScoreTokens, ParseItemTokensKeepsTheIntegerValues) {
  const auto t = split("y n - - - y n");
  auto v = kap::measures::parse_item_tokens(instrument_id::cssrs_screen, t);
  ASSERT_TRUE(v.has_value());
  EXPECT_EQ(*v, (std::vector<int>{1, 0, -1, -1, -1, 1, 0}));
}

}  // namespace
