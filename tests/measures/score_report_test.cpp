#include <kap/measures/score_report.hpp>

#include <kap/measures/flag.hpp>
#include <kap/measures/score.hpp>

#include <gtest/gtest.h>

#include <boost/describe/enumerators.hpp>
#include <boost/describe/members.hpp>
#include <boost/describe/enum_to_string.hpp>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace {

using kap::measures::flag;
using kap::measures::instrument_id;
using kap::measures::make_report;
using kap::measures::score_report;
using kap::measures::severity_band;

static_assert(boost::describe::has_describe_members<score_report>::value);
static_assert(boost::describe::has_describe_enumerators<severity_band>::value);
static_assert(boost::describe::has_describe_enumerators<flag>::value);
static_assert(boost::describe::has_describe_enumerators<kap::measures::risk_level>::value);

score_report report_of(instrument_id id, const std::vector<int>& items, const kap::measures::score_options& o = {}) {
  auto s = kap::measures::score(id, items, o);
  EXPECT_TRUE(s.has_value()) << (s.has_value() ? "" : s.error().message);
  return s.has_value() ? make_report(*s) : score_report{};
}

TEST(ScoreReport, BandNamesTravelAsPublished) {
  // Enumerator names are the JSON strings: they must be the band names exactly.
  EXPECT_STREQ(boost::describe::enum_to_string(severity_band::moderately_severe, nullptr), "moderately_severe");
  EXPECT_STREQ(boost::describe::enum_to_string(severity_band::very_severe, nullptr), "very_severe");
  EXPECT_STREQ(boost::describe::enum_to_string(flag::suicidal_ideation, nullptr), "suicidal_ideation");
}

TEST(ScoreReport, Phq9HasTotalMaxBandAndFlags) {
  const score_report r = report_of(instrument_id::phq9, {3, 3, 3, 3, 3, 1, 1, 1, 1});
  EXPECT_EQ(r.instrument, "phq9");
  EXPECT_EQ(r.total, 19);
  EXPECT_EQ(r.max, 27);
  EXPECT_EQ(r.band, severity_band::moderately_severe);
  EXPECT_FALSE(r.band_set.has_value());
  EXPECT_EQ(r.flags, std::vector<flag>{flag::suicidal_ideation});
  EXPECT_FALSE(r.unknown_flags.has_value());
  EXPECT_FALSE(r.subscales.has_value());
  EXPECT_FALSE(r.mean.has_value());
  EXPECT_FALSE(r.risk.has_value());
  EXPECT_FALSE(r.prorated.has_value());
}

TEST(ScoreReport, Hamd17NamesTheBandSet) {
  kap::measures::score_options o;
  const score_report d = report_of(instrument_id::hamd17, std::vector<int>(17, 1), o);
  EXPECT_EQ(d.band_set, "zimmerman2013");
  o.band_set = "camcops";
  const score_report c = report_of(instrument_id::hamd17, std::vector<int>(17, 1), o);
  EXPECT_EQ(c.band_set, "camcops");
  EXPECT_EQ(c.band, severity_band::moderate);  // 17: CamCOPS 14-18
}

// make_report cannot fail, so a summary `score` could not have returned gets a defined, reduced
// report. A band_set index past the instrument's band sets used to read past a global array.
TEST(ScoreReport, BandSetIndexOutsideTheSetsDropsBandAndBandSet) {
  kap::measures::score_summary s;
  s.instrument = instrument_id::hamd17;
  s.total = 20;
  s.band = severity_band::moderate;
  for (const unsigned index : {2u, 200u, 255u}) {  // hamd17 publishes 2 sets
    SCOPED_TRACE(index);
    s.band_set = static_cast<std::uint8_t>(index);
    const score_report r = make_report(s);
    EXPECT_EQ(r.instrument, "hamd17");
    EXPECT_EQ(r.total, 20);
    EXPECT_EQ(r.max, 52);
    EXPECT_FALSE(r.band.has_value());
    EXPECT_FALSE(r.band_set.has_value());
  }
  s.band_set = 1;
  EXPECT_EQ(make_report(s).band_set, "camcops");
  EXPECT_EQ(make_report(s).band, severity_band::moderate);

  s.instrument = instrument_id::phq9;  // one set: index 1 is just as unknown
  s.band_set = 1;
  EXPECT_FALSE(make_report(s).band.has_value());
  s.instrument = instrument_id::cadss;  // no bands at all
  s.band_set = 0;
  EXPECT_FALSE(make_report(s).band.has_value());
}

TEST(ScoreReport, UnknownInstrumentGivesOnlyItsName) {
  kap::measures::score_summary s;
  s.instrument = static_cast<instrument_id>(42);
  s.total = 20;
  s.band = severity_band::severe;
  s.flags.set(flag::suicidal_ideation, kap::measures::flag_state::raised);
  score_report expected;
  expected.instrument = "unknown";
  EXPECT_EQ(make_report(s), expected);  // never PHQ-9's max, band or flags
}

TEST(ScoreReport, Pcl5SubscalesAndBothDiagnoses) {
  const score_report r = report_of(instrument_id::pcl5, std::vector<int>(20, 2));
  EXPECT_EQ(r.total, 40);
  EXPECT_EQ(r.max, 80);
  EXPECT_FALSE(r.band.has_value());
  EXPECT_EQ(r.subscales, (std::map<std::string, int>{{"B", 10}, {"C", 4}, {"D", 14}, {"E", 12}}));
  EXPECT_EQ(r.provisional_dsm5, true);
  EXPECT_EQ(r.provisional_cutpoint, true);
  EXPECT_EQ(r.cutpoint, 33);
}

TEST(ScoreReport, Meq30SubscalesAndCompleteExperience) {
  const score_report r = report_of(instrument_id::meq30, std::vector<int>(30, 3));
  EXPECT_EQ(r.total, 90);
  EXPECT_EQ(r.subscales,
            (std::map<std::string, int>{{"mystical", 45}, {"positive_mood", 18}, {"transcendence", 18}, {"ineffability", 9}}));
  EXPECT_EQ(r.complete_mystical_experience, true);
  EXPECT_FALSE(r.provisional_dsm5.has_value());
}

TEST(ScoreReport, EbiReportsMeanAndSumNotTotal) {
  const score_report r = report_of(instrument_id::ebi, {10, 20, 30, 40, 50, 61});
  EXPECT_FALSE(r.total.has_value());
  EXPECT_FALSE(r.max.has_value());
  EXPECT_EQ(r.sum, 211);
  ASSERT_TRUE(r.mean.has_value());
  EXPECT_DOUBLE_EQ(*r.mean, 211.0 / 6.0);
}

TEST(ScoreReport, CssrsReportsRiskOnly) {
  const score_report r = report_of(instrument_id::cssrs_screen, {1, 1, 1, 0, 0, 0, -1});
  EXPECT_EQ(r.instrument, "cssrs-screen");
  EXPECT_EQ(r.risk, kap::measures::risk_level::moderate);
  EXPECT_FALSE(r.total.has_value());
  EXPECT_FALSE(r.max.has_value());
  EXPECT_FALSE(r.band.has_value());
  EXPECT_TRUE(r.flags.empty());
}

TEST(ScoreReport, ProratedRecordListsMissingItems) {
  kap::measures::score_options o;
  o.prorate = true;
  const score_report r = report_of(instrument_id::phq9, {1, -1, 1, 1, 1, 1, 1, -1, 2}, o);
  EXPECT_EQ(r.total, 10);  // 8 * 9 / 7 = 10.29
  EXPECT_EQ(r.prorated, true);
  EXPECT_EQ(r.missing_items, (std::vector<int>{2, 8}));
  EXPECT_EQ(r.flags, std::vector<flag>{flag::suicidal_ideation});
  EXPECT_FALSE(r.unknown_flags.has_value());
}

TEST(FlagSet, TriState) {
  kap::measures::flag_set f;
  EXPECT_TRUE(f.empty());
  EXPECT_EQ(f.state(flag::suicidal_ideation), kap::measures::flag_state::clear);
  f.set(flag::suicidal_ideation, kap::measures::flag_state::unknown);
  EXPECT_FALSE(f.empty());
  EXPECT_FALSE(f.raised(flag::suicidal_ideation));
  EXPECT_EQ(f.state(flag::suicidal_ideation), kap::measures::flag_state::unknown);
  f.set(flag::suicidal_ideation, kap::measures::flag_state::raised);
  EXPECT_EQ(f.state(flag::suicidal_ideation), kap::measures::flag_state::raised);
  f.set(flag::suicidal_ideation, kap::measures::flag_state::clear);
  EXPECT_TRUE(f.empty());
}

TEST(Classify, FindsTheBandOrNothing) {
  constexpr std::array<kap::measures::band_range, 2> bands{
      {{severity_band::mild, 0, 4}, {severity_band::severe, 5, 9}}};
  EXPECT_EQ(kap::measures::classify(bands, 4), severity_band::mild);
  EXPECT_EQ(kap::measures::classify(bands, 5), severity_band::severe);
  EXPECT_FALSE(kap::measures::classify(bands, 10).has_value());
  EXPECT_FALSE(kap::measures::classify(bands, -1).has_value());
}

}  // namespace
