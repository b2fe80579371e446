#include <kap/measures/catalog.hpp>
#include <kap/measures/score.hpp>

#include <gtest/gtest.h>

#include <boost/describe/enumerators.hpp>
#include <boost/describe/members.hpp>

#include <string>
#include <vector>

namespace {

using kap::errc;
using kap::measures::catalog;
using kap::measures::find_instrument;
using kap::measures::instrument;
using kap::measures::licence_status;

instrument must_find(std::string_view id) {
  auto r = find_instrument(id);
  EXPECT_TRUE(r.has_value()) << id;
  return r.has_value() ? *r : instrument{};
}

static_assert(boost::describe::has_describe_members<instrument>::value);
static_assert(boost::describe::has_describe_members<kap::measures::band_set>::value);
static_assert(boost::describe::has_describe_enumerators<licence_status>::value);

TEST(Catalog, ElevenInstrumentsInOrder) {
  const std::vector<instrument> all = catalog();
  std::vector<std::string> ids;
  for (const instrument& i : all) ids.push_back(i.id);
  EXPECT_EQ(ids, (std::vector<std::string>{"phq9", "gad7", "qids-sr16", "pcl5", "madrs", "hamd17", "bdi2", "cadss",
                                           "cssrs-screen", "ebi", "meq30"}));
}

struct shape_case {
  std::string_view id;
  int items;
  std::optional<int> total_max;
  licence_status licence;
};

const shape_case shape_cases[] = {
    {"phq9", 9, 27, licence_status::free},
    {"gad7", 7, 21, licence_status::free},
    {"qids-sr16", 16, 27, licence_status::free_for_clinicians_and_researchers},
    {"pcl5", 20, 80, licence_status::public_domain},
    {"madrs", 10, 60, licence_status::licence_required},
    {"hamd17", 17, 52, licence_status::public_domain},
    {"bdi2", 21, 63, licence_status::commercial},
    {"cadss", 23, 92, licence_status::unverified},
    {"cssrs-screen", 7, std::nullopt, licence_status::licence_required},
    {"ebi", 6, 100, licence_status::unverified},
    {"meq30", 30, 150, licence_status::unverified},
};

TEST(Catalog, ItemCountsTotalsAndLicences) {
  for (const shape_case& c : shape_cases) {
    SCOPED_TRACE(c.id);
    const instrument i = must_find(c.id);
    EXPECT_EQ(i.item_count, c.items);
    EXPECT_EQ(i.items.size(), static_cast<std::size_t>(c.items));
    EXPECT_EQ(i.total_max, c.total_max);
    EXPECT_EQ(i.licence, c.licence);
    EXPECT_FALSE(i.name.empty());
    EXPECT_FALSE(i.sources.empty());
    EXPECT_FALSE(i.licence_note.empty());
    for (std::size_t k = 0; k < i.items.size(); ++k) EXPECT_EQ(i.items[k].number, static_cast<int>(k) + 1);
  }
}

TEST(Catalog, BandSetsAreContiguousAndCoverTheTotalRange) {
  for (const instrument& i : catalog()) {
    for (const auto& set : i.band_sets) {
      SCOPED_TRACE(i.id + " " + set.name);
      ASSERT_FALSE(set.bands.empty());
      EXPECT_FALSE(set.source.empty());
      EXPECT_EQ(set.bands.front().min, 0);
      EXPECT_EQ(set.bands.back().max, i.total_max);
      for (std::size_t k = 1; k < set.bands.size(); ++k) EXPECT_EQ(set.bands[k].min, set.bands[k - 1].max + 1);
    }
  }
}

TEST(Catalog, Phq9LoincCodes) {
  const instrument i = must_find("phq9");
  EXPECT_EQ(i.loinc.at("panel"), "44249-1");
  EXPECT_EQ(i.loinc.at("total"), "44261-6");
  const std::vector<std::string> items{"44250-9", "44255-8", "44259-0", "44254-1", "44251-7",
                                       "44258-2", "44252-5", "44253-3", "44260-8"};
  for (std::size_t k = 0; k < 9; ++k) EXPECT_EQ(i.items[k].loinc, items[k]);
  ASSERT_EQ(i.flags.size(), 1u);
  EXPECT_EQ(i.flags[0].item, 9);
  ASSERT_TRUE(i.prorating.has_value());
  EXPECT_EQ(i.prorating->max_missing, 2);
}

TEST(Catalog, Gad7AndCssrsLoincCodes) {
  EXPECT_EQ(must_find("gad7").loinc.at("total"), "70274-6");
  const instrument c = must_find("cssrs-screen");
  const std::vector<std::string> codes{"93246-7", "93247-5", "93248-3", "93249-1", "93250-9", "93267-3", "93269-9"};
  const std::vector<std::string> labels{"Q1", "Q2", "Q3", "Q4", "Q5", "Q6", "Q6b"};
  for (std::size_t k = 0; k < 7; ++k) {
    EXPECT_EQ(c.items[k].loinc, codes[k]);
    EXPECT_EQ(c.items[k].label, labels[k]);
  }
  EXPECT_EQ(c.loinc.at("risk_level"), "93374-7");
}

TEST(Catalog, ReliableChangeDefaultsCarryTheirSources) {
  const instrument phq9 = must_find("phq9");
  ASSERT_TRUE(phq9.default_sd && phq9.test_retest_reliability && phq9.mcid);
  EXPECT_EQ(phq9.test_retest_reliability->value, 0.84);
  EXPECT_NE(phq9.test_retest_reliability->source.find("Kroenke 2001"), std::string::npos);
  EXPECT_EQ(phq9.mcid->value, 5.0);
  const instrument gad7 = must_find("gad7");
  EXPECT_EQ(gad7.test_retest_reliability->value, 0.87);
  EXPECT_NE(gad7.test_retest_reliability->source.find("Bischoff"), std::string::npos);
  EXPECT_EQ(must_find("bdi2").test_retest_reliability->value, 0.93);
  EXPECT_FALSE(must_find("madrs").default_sd.has_value());
}

TEST(Catalog, ItemSpecificRules) {
  const instrument hamd = must_find("hamd17");
  // Item 16 is scored 0-2; 3 = "not assessed" is accepted and not scored, and is told apart
  // from the scored range (issue 20, item 11; CamCOPS hamd task).
  EXPECT_EQ(hamd.items[15].min, 0);
  EXPECT_EQ(hamd.items[15].max, 2);
  EXPECT_EQ(hamd.items[15].not_assessed, 3);
  EXPECT_TRUE(hamd.items[15].note.has_value());
  for (const instrument& d : kap::measures::catalog()) {
    for (const auto& it : d.items) {
      if (d.id != "hamd17" || it.number != 16) {
        EXPECT_FALSE(it.not_assessed.has_value()) << d.id << " " << it.number;
      }
    }
  }
  // Every HAM-D17 item is scored 0-2 or 0-4: none 0-3.
  for (const auto& it : hamd.items) EXPECT_TRUE(it.max == 2 || it.max == 4) << it.number;
  // The scorer agrees: 3 on item 16 adds nothing; 2 adds 2.
  std::vector<int> items(17, 0);
  items[15] = 3;
  EXPECT_EQ(kap::measures::score(kap::measures::instrument_id::hamd17, items)->total, 0);
  items[15] = 2;
  EXPECT_EQ(kap::measures::score(kap::measures::instrument_id::hamd17, items)->total, 2);
  EXPECT_EQ(hamd.items[3].max, 2);
  EXPECT_EQ(hamd.items[0].max, 4);
  const instrument bdi = must_find("bdi2");
  EXPECT_EQ(bdi.items[15].answers, (std::vector<std::string>{"0", "1a", "1b", "2a", "2b", "3a", "3b"}));
  EXPECT_EQ(bdi.items[17].answers, bdi.items[15].answers);
  EXPECT_FALSE(bdi.items[16].answers.has_value());
  const instrument madrs = must_find("madrs");
  ASSERT_EQ(madrs.remission_rules.size(), 2u);
  EXPECT_EQ(madrs.remission_rules[0].max, 12);
  EXPECT_EQ(madrs.remission_rules[1].max, 10);
  EXPECT_EQ(must_find("hamd17").band_sets.size(), 2u);
}

TEST(Catalog, Meq30SubscalesPartitionTheItems) {
  const instrument meq = must_find("meq30");
  ASSERT_EQ(meq.subscales.size(), 4u);
  std::vector<int> seen(31, 0);
  int max = 0;
  for (const auto& s : meq.subscales) {
    EXPECT_EQ(static_cast<int>(s.items.size()) * 5, s.max) << s.name;
    max += s.max;
    for (const int item : s.items) ++seen[static_cast<std::size_t>(item)];
  }
  EXPECT_EQ(max, 150);
  for (std::size_t item = 1; item <= 30; ++item) EXPECT_EQ(seen[item], 1) << item;
  EXPECT_NE(meq.scoring.find("UNVERIFIED"), std::string::npos);
}

TEST(Catalog, UnknownIdListsTheKnownOnes) {
  auto r = find_instrument("PHQ9");
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, errc::unknown_instrument);
  // "PHQ9" is not shaped like a code (capitals), so it is not echoed (kap/core/detail/code_text.hpp).
  EXPECT_EQ(r.error().message,
            "unknown instrument (not an instrument id; known: phq9, gad7, qids-sr16, pcl5, madrs, hamd17, bdi2, cadss, "
            "cssrs-screen, ebi, meq30)");
  auto code = find_instrument("phq10");
  ASSERT_FALSE(code.has_value());
  EXPECT_EQ(code.error().message,
            "unknown instrument \"phq10\" (known: phq9, gad7, qids-sr16, pcl5, madrs, hamd17, bdi2, cadss, cssrs-screen, "
            "ebi, meq30)");
}

TEST(Catalog, DescribingAnIdOutsideTheCatalogueGivesAnEmptyDescriptor) {
  // describe_instrument cannot fail: an integer cast to instrument_id gets a defined empty
  // descriptor, never PHQ-9's items (the table lookup used to fall back to PHQ-9).
  const instrument d = kap::measures::describe_instrument(static_cast<kap::measures::instrument_id>(42));
  instrument expected;
  expected.id = "unknown";
  expected.licence = licence_status::unverified;
  EXPECT_EQ(d, expected);
}

TEST(InstrumentId, RoundTripsEveryId) {
  for (const auto id : kap::measures::all_instruments) {
    auto parsed = kap::measures::parse_instrument_id(kap::measures::to_string(id));
    ASSERT_TRUE(parsed.has_value());
    EXPECT_EQ(*parsed, id);
  }
}

// Free text typed into an event's instrument (issue 20, item 10) never reaches the message: only a
// name shaped like a code (a-z, 0-9, _, -, at most 32 characters) is quoted.
TEST(InstrumentId, UnknownIdIsQuotedOnlyWhenShapedLikeACode) {
  const std::string known =
      "(known: phq9, gad7, qids-sr16, pcl5, madrs, hamd17, bdi2, cadss, cssrs-screen, ebi, meq30)";
  EXPECT_EQ(kap::measures::parse_instrument_id(std::string(32, 'x')).error().message,
            "unknown instrument \"" + std::string(32, 'x') + "\" " + known);
  for (const std::string& text : {std::string(33, 'x'), std::string("Jane Doe born 1984-03-02"), std::string("PHQ-9"),
                                 std::string("phq9 "), std::string("phq.9")}) {
    const auto r = kap::measures::parse_instrument_id(text);
    ASSERT_FALSE(r.has_value()) << text;
    EXPECT_EQ(r.error().code, errc::unknown_instrument);
    EXPECT_EQ(r.error().message, "unknown instrument (not an instrument id; " + known.substr(1)) << text;
    EXPECT_EQ(r.error().message.find(text), std::string::npos) << text;
  }
}

}  // namespace
