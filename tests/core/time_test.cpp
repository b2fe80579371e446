#include <kap/core/time.hpp>

#include <gtest/gtest.h>

#include <string>

namespace {

using namespace std::chrono;

kap::timestamp at(int y, unsigned mo, unsigned d, int h, int mi, int s, int ms = 0) {
  return sys_days{year{y} / month{mo} / day{d}} + hours{h} + minutes{mi} + seconds{s} + milliseconds{ms};
}

TEST(Rfc3339, ParsesUtc) {
  auto t = kap::parse_rfc3339("2026-11-26T10:15:00Z");
  ASSERT_TRUE(t) << t.error().message;
  EXPECT_EQ(*t, at(2026, 11, 26, 10, 15, 0));
}

TEST(Rfc3339, NormalisesOffsetsToUtc) {
  auto plus = kap::parse_rfc3339("2026-11-26T11:15:00+01:00");
  auto minus = kap::parse_rfc3339("2026-11-26T05:45:00-04:30");
  auto day_back = kap::parse_rfc3339("2026-01-01T00:30:00+01:00");
  ASSERT_TRUE(plus && minus && day_back);
  EXPECT_EQ(*plus, at(2026, 11, 26, 10, 15, 0));
  EXPECT_EQ(*minus, at(2026, 11, 26, 10, 15, 0));
  EXPECT_EQ(*day_back, at(2025, 12, 31, 23, 30, 0));
}

TEST(Rfc3339, FractionsKeepMillisecondsAndTruncateTheRest) {
  EXPECT_EQ(*kap::parse_rfc3339("2026-11-26T10:15:00.5Z"), at(2026, 11, 26, 10, 15, 0, 500));
  EXPECT_EQ(*kap::parse_rfc3339("2026-11-26T10:15:00.25Z"), at(2026, 11, 26, 10, 15, 0, 250));
  EXPECT_EQ(*kap::parse_rfc3339("2026-11-26T10:15:00.123999999Z"), at(2026, 11, 26, 10, 15, 0, 123));
  EXPECT_EQ(*kap::parse_rfc3339("2026-11-26t10:15:00z"), at(2026, 11, 26, 10, 15, 0));
}

TEST(Rfc3339, LeapDayOnlyInLeapYears) {
  EXPECT_TRUE(kap::parse_rfc3339("2028-02-29T00:00:00Z"));
  EXPECT_TRUE(kap::parse_rfc3339("2000-02-29T00:00:00Z"));
  auto r = kap::parse_rfc3339("2026-02-29T00:00:00Z");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message, "\"2026-02-29T00:00:00Z\" is not an RFC 3339 timestamp: no such calendar date");
  EXPECT_FALSE(kap::parse_rfc3339("1900-02-29T00:00:00Z"));
}

struct bad_case {
  const char* text;
  const char* why;
};

TEST(Rfc3339, RejectsMalformedWithAReason) {
  const bad_case cases[] = {
      {"", "expected a date YYYY-MM-DD"},
      {"2026-11-26", "expected 'T' after the date"},
      {"2026-11-26 10:15:00Z", "expected 'T' after the date"},
      {"2026-11-26T10:15:00", "missing time zone ('Z' or an offset)"},
      {"2026-11-26T10:15Z", "expected a time HH:MM:SS"},
      {"2026-13-01T00:00:00Z", "no such calendar date"},
      {"2026-11-31T00:00:00Z", "no such calendar date"},
      {"2026-11-26T24:00:00Z", "hour out of range"},
      {"2026-11-26T10:60:00Z", "minute out of range"},
      {"2026-11-26T23:59:60Z", "leap seconds are not supported"},
      {"2026-11-26T10:15:61Z", "second out of range"},
      {"2026-11-26T10:15:00.Z", "expected digits after '.'"},
      {"2026-11-26T10:15:00.1234567890Z", "more than 9 fraction digits"},
      {"2026-11-26T10:15:00+0100", "expected an offset +HH:MM or -HH:MM"},
      {"2026-11-26T10:15:00+24:00", "offset out of range"},
      {"2026-11-26T10:15:00ZZ", "unexpected characters after the time zone"},
      {"26-11-26T10:15:00Z", "expected a date YYYY-MM-DD"},
      {"2026-1a-26T10:15:00Z", "expected a date YYYY-MM-DD"},
      {"2026-11-26T10:15:00 UTC", "missing time zone ('Z' or an offset)"},
  };
  for (const auto& c : cases) {
    auto r = kap::parse_rfc3339(c.text);
    ASSERT_FALSE(r) << c.text;
    EXPECT_EQ(r.error().code, kap::errc::invalid_timestamp) << c.text;
    EXPECT_EQ(r.error().message, "\"" + std::string(c.text) + "\" is not an RFC 3339 timestamp: " + c.why);
  }
}

TEST(Rfc3339, LongInputIsCutInTheMessage) {
  const std::string junk(500, 'x');
  auto r = kap::parse_rfc3339(junk);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message, "\"" + std::string(40, 'x') + "...\" is not an RFC 3339 timestamp: expected a date YYYY-MM-DD");
}

TEST(Rfc3339, FormatIsCanonical) {
  EXPECT_EQ(kap::format_rfc3339(at(2026, 11, 26, 10, 15, 0)), "2026-11-26T10:15:00Z");
  EXPECT_EQ(kap::format_rfc3339(at(2026, 1, 2, 3, 4, 5, 7)), "2026-01-02T03:04:05.007Z");
  EXPECT_EQ(kap::format_rfc3339(at(1999, 12, 31, 23, 59, 59, 990)), "1999-12-31T23:59:59.990Z");
}

TEST(Rfc3339, RoundTrips) {
  for (const char* s : {"2026-11-26T10:15:00Z", "2026-11-26T10:15:00.001Z", "0001-01-01T00:00:00Z",
                        "9999-12-31T23:59:59.999Z", "1970-01-01T00:00:00Z", "1969-12-31T23:59:59.500Z"}) {
    auto t = kap::parse_rfc3339(s);
    ASSERT_TRUE(t) << s;
    EXPECT_EQ(kap::format_rfc3339(*t), s);
  }
}

// rfc3339_representable says, without making text, whether format_rfc3339's text parses.
TEST(Rfc3339, RepresentableExactlyWhenTheFormattedTextParses) {
  const kap::timestamp first = at(0, 1, 1, 0, 0, 0);
  const kap::timestamp last = at(9999, 12, 31, 23, 59, 59, 999);
  for (const kap::timestamp t : {first, last, at(2026, 11, 26, 10, 15, 0), first - milliseconds{1},
                                 last + milliseconds{1}, at(-4000, 3, 1, 0, 0, 0), at(12000, 2, 29, 1, 2, 3)}) {
    const std::string text = kap::format_rfc3339(t);
    EXPECT_EQ(kap::rfc3339_representable(t), kap::parse_rfc3339(text).has_value()) << text;
  }
  EXPECT_TRUE(kap::rfc3339_representable(first));
  EXPECT_TRUE(kap::rfc3339_representable(last));
  EXPECT_FALSE(kap::rfc3339_representable(first - milliseconds{1}));
  EXPECT_FALSE(kap::rfc3339_representable(last + milliseconds{1}));
}

// An offset can carry a timestamp written in 0000-9999 out of those years once it is normalised
// to UTC; such an instant would format to text no parser reads back (issue 20, item 9).
TEST(Rfc3339, OffsetMustNotCarryTheInstantOutOfTheYears0000To9999) {
  for (const char* s : {"9999-12-31T23:59:59-01:00", "9999-12-31T23:30:00-00:31", "9999-12-31T00:01:00-23:59",
                        "0000-01-01T00:30:00+01:00", "0000-01-01T00:00:00+00:01", "0000-01-01T23:58:59.999+23:59"}) {
    auto r = kap::parse_rfc3339(s);
    ASSERT_FALSE(r) << s << " -> " << kap::format_rfc3339(*r);
    EXPECT_EQ(r.error().code, kap::errc::invalid_timestamp) << s;
    EXPECT_EQ(r.error().message, "\"" + std::string(s) +
                                     "\" is not an RFC 3339 timestamp: in UTC it falls outside "
                                     "0000-01-01T00:00:00Z..9999-12-31T23:59:59.999Z")
        << s;
  }
  // The edges themselves, reached through an offset, are still instants.
  EXPECT_EQ(*kap::parse_rfc3339("9999-12-31T23:59:59.999+00:00"), at(9999, 12, 31, 23, 59, 59, 999));
  EXPECT_EQ(*kap::parse_rfc3339("9999-12-31T22:59:59-01:00"), at(9999, 12, 31, 23, 59, 59));
  EXPECT_EQ(*kap::parse_rfc3339("0000-01-01T01:00:00+01:00"), at(0, 1, 1, 0, 0, 0));
  EXPECT_EQ(*kap::parse_rfc3339("0000-01-01T00:00:00-00:00"), at(0, 1, 1, 0, 0, 0));
}

}  // namespace
