// The described measures types through kap's JSON layer: the exact text kapctl prints for a
// score, and a lossless round trip of every printable type (value_to(value_from(x)) == x).

#include <kap/json.hpp>
#include <kap/measures/catalog.hpp>
#include <kap/measures/change.hpp>
#include <kap/measures/score.hpp>
#include <kap/measures/series.hpp>

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

namespace {

using namespace kap::measures;

template <class T>
void expect_round_trip(const T& x) {
  const std::string text = kap::json::to_string(x);
  auto back = kap::json::from_string<T>(text);
  ASSERT_TRUE(back.has_value()) << text << ": " << back.error().message;
  EXPECT_EQ(*back, x) << text;
}

score_report report(std::string_view id, std::vector<std::string_view> tokens, const score_options& o = {}) {
  auto r = score_tokens(id, tokens, o);
  EXPECT_TRUE(r.has_value()) << (r.has_value() ? "" : r.error().message);
  return r.has_value() ? *r : score_report{};
}

TEST(MeasuresJson, ScoreReportTextUsesTheIssueKeys) {
  EXPECT_EQ(kap::json::to_string(report("phq9", {"1", "2", "3", "0", "1", "2", "3", "0", "2"})),
            R"({"instrument":"phq9","total":14,"max":27,"band":"moderate","flags":["suicidal_ideation"]})");
  EXPECT_EQ(kap::json::to_string(report("cssrs-screen", {"y", "y", "n", "y", "n", "n", "-"})),
            R"({"instrument":"cssrs-screen","flags":[],"risk":"high"})");
  EXPECT_EQ(kap::json::to_string(report("pcl5", std::vector<std::string_view>(20, "2"))),
            R"({"instrument":"pcl5","total":40,"max":80,"flags":[],"subscales":{"B":10,"C":4,"D":14,"E":12},)"
            R"("provisional_dsm5":true,"provisional_cutpoint":true,"cutpoint":33})");
}

TEST(MeasuresJson, ScoreReportsRoundTrip) {
  score_options prorate;
  prorate.prorate = true;
  score_options camcops;
  camcops.band_set = "camcops";
  expect_round_trip(report("phq9", {"2", "2", "1", "1", "1", "1", "1", "1", "-"}, prorate));
  expect_round_trip(report("hamd17", std::vector<std::string_view>(17, "1"), camcops));
  expect_round_trip(report("meq30", std::vector<std::string_view>(30, "3")));
  expect_round_trip(report("ebi", {"10", "20", "30", "40", "50", "61"}));
  expect_round_trip(report("cssrs-screen", {"n", "n", "-", "-", "-", "y", "n"}));
}

TEST(MeasuresJson, ChangeAndCourseRoundTrip) {
  expect_round_trip(*compute_change("phq9", 18, 8));
  expect_round_trip(*compute_change("cadss", 20, 5));
  const std::vector<course_observation> s{{0, 20}, {7, 10}, {14, 4}};
  expect_round_trip(*summarize_course(instrument_id::phq9, s));
}

TEST(MeasuresJson, EveryInstrumentDescriptorRoundTrips) {
  for (const instrument& i : catalog()) {
    SCOPED_TRACE(i.id);
    expect_round_trip(i);
  }
}

}  // namespace
