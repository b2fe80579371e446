// kap::json::writer on its own: string escaping, number formats, commas and nesting. The rules
// are the bytes of kap's canonical JSON (hashed by the journal), so each expectation is exact.
#include <kap/json/writer.hpp>

#include <kap/json.hpp>

#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace {

std::string writer_test_string(std::string_view s) {
  std::string out;
  kap::json::writer(out).string(s);
  return out;
}

std::string writer_test_number(double v) {
  std::string out;
  kap::json::writer(out).number(v);
  return out;
}

}  // namespace

TEST(JsonWriter, EscapesQuoteAndBackslashOnly) {
  EXPECT_EQ(writer_test_string(""), R"("")");
  EXPECT_EQ(writer_test_string("plain"), R"("plain")");
  EXPECT_EQ(writer_test_string("a\"b"), R"("a\"b")");
  EXPECT_EQ(writer_test_string("a\\b"), R"("a\\b")");
  EXPECT_EQ(writer_test_string("\"\\\""), R"("\"\\\"")");
  // '/' may be escaped in JSON; kap does not, and DEL (0x7F) is not a control character to JSON.
  EXPECT_EQ(writer_test_string("a/b\x7f"), "\"a/b\x7f\"");
}

TEST(JsonWriter, EscapesEveryControlCharacter) {
  // The short forms JSON has, and \u00XX with lower-case hex for the rest.
  const std::array<std::string_view, 32> expected{
      R"(\u0000)", R"(\u0001)", R"(\u0002)", R"(\u0003)", R"(\u0004)", R"(\u0005)", R"(\u0006)", R"(\u0007)",
      R"(\b)",     R"(\t)",     R"(\n)",     R"(\u000b)", R"(\f)",     R"(\r)",     R"(\u000e)", R"(\u000f)",
      R"(\u0010)", R"(\u0011)", R"(\u0012)", R"(\u0013)", R"(\u0014)", R"(\u0015)", R"(\u0016)", R"(\u0017)",
      R"(\u0018)", R"(\u0019)", R"(\u001a)", R"(\u001b)", R"(\u001c)", R"(\u001d)", R"(\u001e)", R"(\u001f)"};
  for (unsigned c = 0; c < 0x20; ++c) {
    const std::string in(1, static_cast<char>(c));
    EXPECT_EQ(writer_test_string(in), "\"" + std::string(expected[c]) + "\"") << "byte " << c;
  }
  // Runs of plain text around escapes are kept in order.
  EXPECT_EQ(writer_test_string("line 1\nline 2\t\x01!"), R"("line 1\nline 2\t\u0001!")");
  EXPECT_EQ(writer_test_string(std::string("a\0b", 3)), R"("a\u0000b")");
}

TEST(JsonWriter, PassesUtf8Through) {
  // Non-ASCII is copied byte for byte, never \u-escaped.
  EXPECT_EQ(writer_test_string("caf\xc3\xa9 \xe2\x98\x95 \xf0\x9d\x84\x9e"), "\"caf\xc3\xa9 \xe2\x98\x95 \xf0\x9d\x84\x9e\"");
  // Invalid UTF-8 too: the writer does not judge it (the parser refuses the text; json::check says so first).
  EXPECT_EQ(writer_test_string("caf\xe9"), "\"caf\xe9\"");
  kap::json::read_error e;
  EXPECT_FALSE(kap::json::check(std::string("caf\xe9"), e));
  EXPECT_EQ(e.code, kap::errc::parse_error);
}

TEST(JsonWriter, KeysAreEscapedLikeStrings) {
  std::string out;
  kap::json::writer w(out);
  w.begin_object();
  w.key("a\"b\n\xc3\xa9");
  w.int64(1);
  w.end_object();
  EXPECT_EQ(out, "{\"a\\\"b\\n\xc3\xa9\":1}");
}

TEST(JsonWriter, IntegersInDecimal) {
  std::string out;
  kap::json::writer w(out);
  w.begin_array();
  w.int64(0);
  w.int64(-42);
  w.int64(std::numeric_limits<std::int64_t>::min());
  w.int64(std::numeric_limits<std::int64_t>::max());
  w.uint64(0);
  w.uint64(std::numeric_limits<std::uint64_t>::max());
  w.end_array();
  EXPECT_EQ(out, "[0,-42,-9223372036854775808,9223372036854775807,0,18446744073709551615]");
}

TEST(JsonWriter, DoublesAsShortestRoundTrip) {
  EXPECT_EQ(writer_test_number(0.0), "0");
  EXPECT_EQ(writer_test_number(-0.0), "-0");
  EXPECT_EQ(writer_test_number(50.5), "50.5");
  EXPECT_EQ(writer_test_number(100.0), "100");
  EXPECT_EQ(writer_test_number(0.1), "0.1");
  EXPECT_EQ(writer_test_number(0.1 + 0.2), "0.30000000000000004");
  EXPECT_EQ(writer_test_number(-1.5), "-1.5");
  EXPECT_EQ(writer_test_number(1e21), "1e+21");
  EXPECT_EQ(writer_test_number(1e300), "1e+300");
  EXPECT_EQ(writer_test_number(1.5e-7), "1.5e-07");
  EXPECT_EQ(writer_test_number(9007199254740993.0), "9007199254740992");
  EXPECT_EQ(writer_test_number(std::numeric_limits<double>::max()), "1.7976931348623157e+308");
  EXPECT_EQ(writer_test_number(std::numeric_limits<double>::denorm_min()), "5e-324");
  // JSON has no NaN or infinity.
  EXPECT_EQ(writer_test_number(std::numeric_limits<double>::quiet_NaN()), "null");
  EXPECT_EQ(writer_test_number(std::numeric_limits<double>::infinity()), "null");
  EXPECT_EQ(writer_test_number(-std::numeric_limits<double>::infinity()), "null");
}

TEST(JsonWriter, DoublesMatchTheCodecAndReadBack) {
  const std::array<double, 9> values{0.0, -0.0, 50.5, 98.12345678901234, 1.0 / 3.0, 123456789.125, 1e-300, 2.5e15,
                                     std::numeric_limits<double>::quiet_NaN()};
  for (const double v : values) {
    const std::string text = writer_test_number(v);
    EXPECT_EQ(text, kap::json::to_string(v));
    if (text == "null") continue;
    auto parsed = kap::json::parse(text);
    ASSERT_TRUE(parsed.has_value()) << text;
    double back = 0;
    kap::json::read_error e;
    ASSERT_TRUE(kap::json::read(*parsed, back, e)) << text;
    // "-0" has no fraction, so the parser takes it as the integer 0: it reads back as +0 (a fact
    // of the reader, unchanged by the writer). Every other value reads back to its own text.
    EXPECT_EQ(writer_test_number(back), text == "-0" ? "0" : text);
  }
}

TEST(JsonWriter, BooleansAndNull) {
  std::string out;
  kap::json::writer w(out);
  w.begin_array();
  w.boolean(true);
  w.boolean(false);
  w.null();
  w.end_array();
  EXPECT_EQ(out, "[true,false,null]");
}

TEST(JsonWriter, CommasBetweenValuesAndMembersOnly) {
  std::string out;
  kap::json::writer w(out);
  w.begin_object();
  w.key("a");
  w.begin_array();
  w.begin_object();
  w.end_object();
  w.begin_array();
  w.end_array();
  w.begin_array();
  w.int64(1);
  w.begin_array();
  w.int64(2);
  w.end_array();
  w.end_array();
  w.end_array();
  w.key("b");
  w.begin_object();
  w.key("c");
  w.null();
  w.key("d");
  w.string("e");
  w.end_object();
  w.key("f");
  w.boolean(false);
  w.end_object();
  EXPECT_EQ(out, R"({"a":[{},[],[1,[2]]],"b":{"c":null,"d":"e"},"f":false})");
}

TEST(JsonWriter, EmptyContainers) {
  std::string out;
  kap::json::writer w(out);
  w.begin_object();
  w.end_object();
  EXPECT_EQ(out, "{}");
  std::string arr;
  kap::json::writer a(arr);
  a.begin_array();
  a.end_array();
  EXPECT_EQ(arr, "[]");
}

TEST(JsonWriter, AppendsAfterExistingTextWithoutAComma) {
  std::string out = "line: ";
  kap::json::writer w(out);
  w.begin_array();
  w.int64(1);
  w.end_array();
  EXPECT_EQ(out, "line: [1]");
}

TEST(JsonWriter, RawValuesTakeTheirPlaceInTheCommas) {
  std::string out;
  kap::json::writer w(out);
  w.begin_array();
  w.raw(R"({"x":1})");
  w.raw("2");
  kap::json::write(w.raw_value(), std::string("three"));
  w.string("four");
  w.end_array();
  EXPECT_EQ(out, R"([{"x":1},2,"three","four"])");
}

TEST(JsonWriter, CodecOutputIsTheWritersSpelling) {
  // The codec writes through the writer: a map's keys and values are escaped as the writer escapes.
  const std::map<std::string, std::string> m{{"k\"1", "v\n"}, {"k2", "\xc3\xa9"}};
  EXPECT_EQ(kap::json::to_string(m), "{\"k\\\"1\":\"v\\n\",\"k2\":\"\xc3\xa9\"}");
  const std::vector<std::optional<double>> v{1.5, std::nullopt, -0.0};
  EXPECT_EQ(kap::json::to_string(v), "[1.5,null,-0]");
}

TEST(JsonWriter, HeaderExampleWritesWhatItSays) {
  // The @code example of kap/json/writer.hpp.
  std::string out;
  kap::json::writer w(out);
  w.begin_object();
  w.key("id");
  w.string("e-0007");
  w.key("mg");
  w.number(40.5);
  w.key("tags");
  w.begin_array();
  w.string("a");
  w.string("b");
  w.end_array();
  w.end_object();
  EXPECT_EQ(out, R"({"id":"e-0007","mg":40.5,"tags":["a","b"]})");
}
