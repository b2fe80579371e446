#include <kap/json.hpp>
#include <kap/protocol/builder.hpp>
#include <kap/protocol/validate.hpp>

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>

namespace {

std::string test_protocol_text() {
  std::ifstream in(std::string(KAP_TEST_DATA_DIR) + "/protocols/test-im.json");
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

TEST(ProtocolJson, ReadsWritesAndReadsBackTheSame) {
  auto p = kap::json::read_protocol(test_protocol_text());
  ASSERT_TRUE(p) << p.error().message;
  EXPECT_EQ(p->id.str(), "test-im");
  EXPECT_EQ(p->phases.size(), 8U);
  auto text = kap::json::write_protocol(*p);
  ASSERT_TRUE(text);
  EXPECT_EQ(text->rfind(R"({"format":"kap.protocol/1","id":"test-im",)", 0), 0U);
  auto back = kap::json::read_protocol(*text);
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(*back, *p);
  EXPECT_EQ(kap::json::write_protocol(*back).value(), *text);
}

TEST(ProtocolJson, HoldLimitsByAgeRoundTripAndAreLeftOutWhenThereAreNone) {
  std::ifstream in(std::string(KAP_TEST_DATA_DIR) + "/protocols/test-im-eu.json");
  std::ostringstream ss;
  ss << in.rdbuf();
  auto p = kap::json::read_protocol(ss.str());
  ASSERT_TRUE(p) << p.error().message;
  ASSERT_EQ(p->vitals.hold_by_age.size(), 1U);
  EXPECT_EQ(p->vitals.hold_by_age[0].from_age, 65);
  EXPECT_EQ(p->vitals.hold_by_age[0].hold.systolic_max, kap::mmhg{150});
  EXPECT_FALSE(p->vitals.hold_by_age[0].hold.diastolic_max);
  auto text = kap::json::write_protocol(*p);
  ASSERT_TRUE(text);
  EXPECT_NE(text->find(R"("hold_by_age":[{"from_age":65,"hold":{"systolic_max":150}}])"), std::string::npos) << *text;
  auto back = kap::json::read_protocol(*text);
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(*back, *p);
  // A protocol without bands is written as before the field existed.
  auto plain = kap::json::read_protocol(test_protocol_text());
  ASSERT_TRUE(plain);
  EXPECT_EQ(kap::json::write_protocol(*plain)->find("hold_by_age"), std::string::npos);
  auto bad = kap::json::read_protocol(
      R"({"format":"kap.protocol/1","id":"x","initial":"a","phases":[{"id":"a","kind":"screening"}],)"
      R"("vitals":{"hold_by_age":[{"hold":{"systolic_max":150}}]}})");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, kap::errc::missing_field);
  EXPECT_EQ(bad.error().message, "/vitals/hold_by_age/0/from_age: missing required field");
}

TEST(ProtocolJson, OptionalSectionsTakeTheirDefaults) {
  auto p = kap::json::read_protocol(
      R"({"format":"kap.protocol/1","id":"tiny","initial":"a","phases":[{"id":"a","kind":"preparation"}]})");
  ASSERT_TRUE(p) << p.error().message;
  EXPECT_EQ(p->version, "1");
  EXPECT_TRUE(p->transitions.empty());
  EXPECT_TRUE(p->phases[0].entry.empty());
  EXPECT_EQ(p->schedules.grace, kap::minutes{5});
  auto missing = kap::json::read_protocol(R"({"format":"kap.protocol/1","id":"tiny","phases":[]})");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().message, "/initial: missing required field");
}

struct bad_protocol {
  std::string json;
  kap::errc code;
  std::string message;
};

TEST(ProtocolJson, BadFilesNameThePath) {
  const bad_protocol cases[] = {
      {R"({"id":"x"})", kap::errc::missing_field, R"(/format: missing required field (expected "kap.protocol/1"))"},
      {R"({"format":"kap.protocol/2","id":"x"})", kap::errc::unsupported_schema,
       R"(/format: unsupported format "kap.protocol/2" (this kap reads kap.protocol/1))"},
      {R"([1])", kap::errc::wrong_type, "/: expected a protocol object, got an array"},
      {R"({"format":"kap.protocol/1","id":"x","initial":"a","phases":[{"id":"a","kind":"nap","entry":[]}]})",
       kap::errc::unknown_enum, R"(/phases/0/kind: unknown phase_kind "nap")"},
      {R"({"format":"kap.protocol/1","id":"x","initial":"a","phases":[{"id":"a","kind":"dosing","entry":[{"kind":"vibes"}]}]})",
       kap::errc::unknown_enum, R"(/phases/0/entry/0/kind: unknown requirement kind "vibes")"},
      {R"({"format":"kap.protocol/1","id":"x","initial":"a","phases":[{"id":"a","kind":"dosing","entry":[{"kind":"checklist_done"}]}]})",
       kap::errc::missing_field, "/phases/0/entry/0/item: missing required field"},
      {R"({"format":"kap.protocol/1","id":"x","initial":"a","phases":[{"id":"a","kind":"dosing","entry":[{"kind":"consent_signed","by":"x"}]}]})",
       kap::errc::unknown_field, "/phases/0/entry/0/by: unknown field"},
      {R"({"format":"kap.protocol/1","id":"x","initial":"a","phases":[{"id":"a","kind":"dosing","entry":[{"kind":"predicate","name":"f"}]}]})",
       kap::errc::unsupported_schema,
       "/phases/0/entry/0/kind: a predicate requirement exists only in C++ and cannot be read from a file"},
      {R"({"format":"kap.protocol/1","id":"x","initial":"a","phases":[],"colour":"red"})", kap::errc::unknown_field,
       "/colour: unknown field"},
  };
  for (const auto& c : cases) {
    auto p = kap::json::read_protocol(c.json);
    ASSERT_FALSE(p) << c.json;
    EXPECT_EQ(p.error().code, c.code) << c.json << ": " << p.error().message;
    EXPECT_EQ(p.error().message, c.message) << c.json;
  }
}

TEST(ProtocolJson, PredicateProtocolsCannotBeWritten) {
  auto b = kap::protocol_builder("p").phase("a", kap::phase_kind::preparation).phase("b", kap::phase_kind::discharge);
  b.transition("a", "b", {kap::protocol_builder::predicate("f", [](const kap::session&, kap::timestamp) {
                 return std::optional<std::string>{};
               })});
  auto text = kap::json::write_protocol(b.definition());
  ASSERT_FALSE(text);
  EXPECT_EQ(text.error().code, kap::errc::unsupported_schema);
}

}  // namespace
