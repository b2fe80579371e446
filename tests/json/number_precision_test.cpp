// Numbers read exactly (found by tests/fuzz/events_jsonl.cpp and protocol_reader.cpp): Boost
// 1.81's parser converted some long decimal numbers one unit in the last place off, so kap's
// canonical JSON (shortest round trip) of a decoded event or protocol did not read back to the
// same text, and a journal row holding such an event would fail verify. The inputs below are the
// numbers the fuzzers found; tests/fuzz/corpus/*/regression-* keep the whole inputs.

#include <kap/json.hpp>

#include <gtest/gtest.h>

#include <charconv>
#include <string>
#include <string_view>

namespace {

double exact(std::string_view text) {
  double d = 0;
  const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), d);
  EXPECT_EQ(ec, std::errc{});
  EXPECT_EQ(ptr, text.data() + text.size());
  return d;
}

TEST(JsonNumbers, LongDecimalsReadAsTheNearestDouble) {
  for (const std::string_view text : {"9.855555555555555e+35", "4.4444444444444444e+52", "98.12345678901234567",
                                      "0.30000000000000004", "-1.7976931348623157e308", "5e-324"}) {
    auto v = kap::json::parse(text);
    ASSERT_TRUE(v) << text;
    ASSERT_TRUE(v->is_double()) << text;
    EXPECT_EQ(v->get_double(), exact(text)) << text;
  }
}

TEST(JsonNumbers, NumbersInsideDocumentsToo) {
  auto v = kap::json::parse(R"({"a":[1,9.855555555555555e+35,{"b":4.4444444444444444e+52}],"c":-2})");
  ASSERT_TRUE(v) << v.error().message;
  EXPECT_EQ(v->at("a").at(1).get_double(), exact("9.855555555555555e+35"));
  EXPECT_EQ(v->at("a").at(2).at("b").get_double(), exact("4.4444444444444444e+52"));
  EXPECT_EQ(v->at("a").at(0).get_int64(), 1);
  EXPECT_EQ(v->at("c").get_int64(), -2);
}

TEST(JsonNumbers, ACanonicalEventReadsBackToItself) {
  const std::string line =
      R"({"id":"vc-16","session":"S-IV-2","at":"2026-11-26T09:03:00Z","actor":{"id":"N-1","role":"nurse","licensed":true},)"
      R"("type":"vitals","systolic":126,"diastolic":80,"heart_rate":72,"spo2":9.855555555555555e+35})";
  auto e = kap::json::read_event(line);
  ASSERT_TRUE(e) << e.error().message;
  EXPECT_EQ(kap::json::write_event(*e), line);
}

TEST(JsonNumbers, ErrorsAreUnchanged) {
  auto trailing = kap::json::parse("1.5 x");
  ASSERT_FALSE(trailing);
  EXPECT_EQ(trailing.error().code, kap::errc::parse_error);
  auto truncated = kap::json::parse(R"({"a":1.5)");
  ASSERT_FALSE(truncated);
  EXPECT_EQ(truncated.error().code, kap::errc::parse_error);
  auto top = kap::json::parse("2.5");  // a number at the very end of the text
  ASSERT_TRUE(top);
  EXPECT_EQ(top->get_double(), 2.5);
}

}  // namespace
