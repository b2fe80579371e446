#include <kap/json.hpp>

#include <gtest/gtest.h>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace test_types {

enum class colour { red, dark_green };
BOOST_DESCRIBE_ENUM(colour, red, dark_green)

struct record {
  kap::event_id id;
  kap::timestamp at;
  kap::actor actor;
  std::optional<kap::mmhg> systolic;
  std::optional<std::int32_t> heart_rate;
  std::vector<double> values;
  std::map<std::string, bool> answers;
  colour tint{};
  std::string note;

  friend bool operator==(const record&, const record&) = default;
};
BOOST_DESCRIBE_STRUCT(record, (), (id, at, actor, systolic, heart_rate, values, answers, tint, note))

}  // namespace test_types

namespace {

using test_types::record;

const char* const good =
    R"({"id":"e-7","at":"2026-11-26T10:15:00Z","actor":{"id":"N-7","role":"nurse","licensed":true},)"
    R"("systolic":132.5,"heart_rate":78,"values":[1,0.75,50.5],"answers":{"pregnancy":false},)"
    R"("tint":"dark_green","note":"line\nbreak \"quoted\""})";

TEST(JsonCodec, ReadsADescribedStruct) {
  auto r = kap::json::from_string<record>(good);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->id.str(), "e-7");
  EXPECT_EQ(r->actor.role, kap::role::nurse);
  EXPECT_TRUE(r->actor.licensed);
  ASSERT_TRUE(r->systolic);
  EXPECT_DOUBLE_EQ(r->systolic->count(), 132.5);
  EXPECT_EQ(r->heart_rate, 78);
  EXPECT_EQ(r->values, (std::vector<double>{1, 0.75, 50.5}));
  EXPECT_EQ(r->answers.at("pregnancy"), false);
  EXPECT_EQ(r->tint, test_types::colour::dark_green);
  EXPECT_EQ(r->note, "line\nbreak \"quoted\"");
}

TEST(JsonCodec, WritesNumbersAsPeopleWriteThem) {
  auto r = kap::json::from_string<record>(good);
  ASSERT_TRUE(r);
  EXPECT_EQ(kap::json::to_string(*r), good);
}

TEST(JsonCodec, RoundTripsAndOmitsAbsentOptionals) {
  record x{kap::event_id{"e-1"}, kap::timestamp{std::chrono::milliseconds{1'700'000'000'123}},
           kap::actor{kap::actor_id{"P-1"}, kap::role::patient, false}, std::nullopt, std::nullopt, {}, {},
           test_types::colour::red, "\x01\t"};
  const std::string text = kap::json::to_string(x);
  EXPECT_EQ(text,
            R"({"id":"e-1","at":"2023-11-14T22:13:20.123Z","actor":{"id":"P-1","role":"patient","licensed":false},)"
            R"("values":[],"answers":{},"tint":"red","note":"\u0001\t"})");
  auto back = kap::json::from_string<record>(text);
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(*back, x);
}

TEST(JsonCodec, NullOptionalIsAbsent) {
  auto r = kap::json::from_string<record>(
      R"({"id":"e-1","at":"2026-11-26T10:15:00Z","actor":{"id":"a","role":"system","licensed":false},)"
      R"("systolic":null,"values":[],"answers":{},"tint":"red","note":""})");
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_FALSE(r->systolic);
}

struct bad_case {
  const char* name;
  std::string json;
  kap::errc code;
  const char* message;
};

std::string with(const std::string& key_value) {
  return R"({"id":"e-1","at":"2026-11-26T10:15:00Z","actor":{"id":"a","role":"nurse","licensed":true},)"
         R"("values":[],"answers":{},"tint":"red","note":"")" +
         key_value + "}";
}

TEST(JsonCodec, BadInputNamesThePath) {
  const bad_case cases[] = {
      {"unknown enum", R"({"id":"e-1","at":"2026-11-26T10:15:00Z","actor":{"id":"a","role":"doctor","licensed":true},"values":[],"answers":{},"tint":"red","note":""})",
       kap::errc::unknown_enum, R"(/actor/role: unknown role "doctor")"},
      {"unknown field", with(R"(,"colour":"red")"), kap::errc::unknown_field, "/colour: unknown field"},
      {"unknown nested field", R"({"id":"e-1","at":"2026-11-26T10:15:00Z","actor":{"id":"a","role":"nurse","licensed":true,"name":"x"},"values":[],"answers":{},"tint":"red","note":""})",
       kap::errc::unknown_field, "/actor/name: unknown field"},
      {"missing field", R"({"id":"e-1","at":"2026-11-26T10:15:00Z","actor":{"id":"a","role":"nurse"},"values":[],"answers":{},"tint":"red","note":""})",
       kap::errc::missing_field, "/actor/licensed: missing required field"},
      {"wrong type", with(R"(,"heart_rate":"78")"), kap::errc::wrong_type, "/heart_rate: expected an integer, got a string"},
      {"fractional integer", with(R"(,"heart_rate":78.5)"), kap::errc::wrong_type,
       "/heart_rate: expected an integer, got a fractional number"},
      {"integer out of range", with(R"(,"heart_rate":3000000000)"), kap::errc::out_of_range,
       "/heart_rate: 3000000000 is outside -2147483648-2147483647"},
      {"negative quantity", with(R"(,"systolic":-5)"), kap::errc::invalid_quantity, "/systolic: mmHg value must not be negative"},
      {"huge number", with(R"(,"systolic":1e999)"), kap::errc::invalid_quantity, "/systolic: mmHg value is not finite"},
      {"huge double", R"({"id":"e-1","at":"2026-11-26T10:15:00Z","actor":{"id":"a","role":"nurse","licensed":true},"values":[1e999],"answers":{},"tint":"red","note":""})",
       kap::errc::out_of_range,
       "/values/0: number is not finite"},
      {"array element", R"({"id":"e-1","at":"2026-11-26T10:15:00Z","actor":{"id":"a","role":"nurse","licensed":true},"values":[1,true],"answers":{},"tint":"red","note":""})",
       kap::errc::wrong_type, "/values/1: expected a number, got a boolean"},
      {"map value", R"({"id":"e-1","at":"2026-11-26T10:15:00Z","actor":{"id":"a","role":"nurse","licensed":true},"values":[],"answers":{"a/b":1},"tint":"red","note":""})",
       kap::errc::wrong_type, "/answers/a~1b: expected a boolean, got an integer"},
      {"bad timestamp", R"({"id":"e-1","at":"2026-11-26T10:15:00","actor":{"id":"a","role":"nurse","licensed":true},"values":[],"answers":{},"tint":"red","note":""})",
       kap::errc::invalid_timestamp, R"(/at: "2026-11-26T10:15:00" is not an RFC 3339 timestamp: missing time zone ('Z' or an offset))"},
      {"bad id", R"({"id":"e 1","at":"2026-11-26T10:15:00Z","actor":{"id":"a","role":"nurse","licensed":true},"values":[],"answers":{},"tint":"red","note":""})",
       kap::errc::invalid_id, "/id: event id may only contain A-Z a-z 0-9 . _ : -"},
      {"not an object", "[1,2]", kap::errc::wrong_type, "/: expected an object, got an array"},
      {"truncated", R"({"id":"e-1",)", kap::errc::parse_error, "invalid JSON at byte 12: incomplete JSON"},
      {"trailing garbage", with("") + "x", kap::errc::parse_error, nullptr},
      {"enum wrong type", R"({"id":"e-1","at":"2026-11-26T10:15:00Z","actor":{"id":"a","role":"nurse","licensed":true},"values":[],"answers":{},"tint":1,"note":""})",
       kap::errc::wrong_type, "/tint: expected a colour name (string), got an integer"},
  };
  for (const auto& c : cases) {
    auto r = kap::json::from_string<record>(c.json);
    ASSERT_FALSE(r) << c.name;
    EXPECT_EQ(r.error().code, c.code) << c.name << ": " << r.error().message;
    if (c.message) {
      EXPECT_EQ(r.error().message, c.message) << c.name;
    }
  }
}

// An unknown enum value is quoted only when it is shaped like a code (kap/core/detail/code_text.hpp):
// free text typed into a role, a route or a severity never reaches the message (issue 20, item 10).
TEST(JsonCodec, UnknownEnumNamesAreQuotedOnlyWhenShapedLikeACode) {
  auto role = [](const std::string& name) {
    return kap::json::from_string<kap::actor>(R"({"id":"a","role":")" + name + R"(","licensed":true})");
  };
  auto code = role(std::string(32, 'q'));
  ASSERT_FALSE(code);
  EXPECT_EQ(code.error().code, kap::errc::unknown_enum);
  EXPECT_EQ(code.error().message, "/role: unknown role \"" + std::string(32, 'q') + "\"");
  for (const std::string& text : {std::string(33, 'q'), std::string("Dr Jane Doe"), std::string("Nurse")}) {
    auto r = role(text);
    ASSERT_FALSE(r) << text;
    EXPECT_EQ(r.error().code, kap::errc::unknown_enum);
    EXPECT_EQ(r.error().message, "/role: unknown role (not a role name)") << text;
  }
}

TEST(JsonParse, RefusesOversizedInput) {
  const std::string big(100, ' ');
  auto r = kap::json::parse(big, kap::json::read_limits{50, 64});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, kap::errc::too_large);
  EXPECT_EQ(r.error().message, "input of 100 bytes is over the limit of 50 bytes");
}

TEST(JsonParse, RefusesDeepNesting) {
  const std::string deep = std::string(100, '[') + std::string(100, ']');
  auto r = kap::json::parse(deep, kap::json::read_limits{1 << 20, 32});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, kap::errc::too_large);
  EXPECT_EQ(r.error().message, "JSON nesting is deeper than 32 levels");
  EXPECT_TRUE(kap::json::parse(std::string(20, '[') + std::string(20, ']'), kap::json::read_limits{1 << 20, 32}));
}

TEST(JsonParse, RefusesInvalidUtf8) {
  auto r = kap::json::parse("\"\xff\"");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, kap::errc::parse_error);
}

TEST(JsonWrite, EscapesControlCharacters) {
  std::string out;
  kap::json::append(out, std::string("a\"b\\c\x1f\b\f\r"));
  EXPECT_EQ(out, R"("a\"b\\c\u001f\b\f\r")");
}

TEST(JsonWrite, ShortestRoundTripNumbers) {
  EXPECT_EQ(kap::json::to_string(0.5), "0.5");
  EXPECT_EQ(kap::json::to_string(50.5), "50.5");
  EXPECT_EQ(kap::json::to_string(35.0), "35");
  EXPECT_EQ(kap::json::to_string(0.1 + 0.2), "0.30000000000000004");
  EXPECT_EQ(kap::json::to_string(kap::milligrams{84}), "84");
  EXPECT_EQ(kap::json::to_string(std::int64_t{-12}), "-12");
}

}  // namespace
