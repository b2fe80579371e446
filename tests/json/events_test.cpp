#include <kap/json.hpp>

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace {

const std::string envelope =
    R"({"id":"e-1","session":"S-1","at":"2026-11-26T10:15:00Z","actor":{"id":"N-7","role":"nurse","licensed":true},)";

// One line per event type, in canonical form: reading then writing must give the same text.
const std::vector<std::string> every_type = {
    R"("type":"screening","weight_kg":72.5,"age":41,"answers":{"pregnancy":false,"psychosis_history":true}})",
    R"("type":"override","contraindication":"psychosis_history","justification":"remote history, reviewed"})",
    R"("type":"consent","scope":"kap-course"})",
    R"("type":"checklist","item":"driver_arranged"})",
    R"("type":"phase","to":"dosing"})",
    R"("type":"vitals","systolic":132,"diastolic":84,"heart_rate":78,"spo2":98,"respiratory_rate":14})",
    R"("type":"dose","drug":"esketamine","route":"intranasal","mg":56,"lot":"L-2291"})",
    R"("type":"measure","instrument":"bdi2","items":[0,1,2,3,0,1,2,3,0,1,2,3,0,1,2,"1a",2,"3b",0,1,2]})",
    R"("type":"intervention","kind":"guided_meditation","minutes":40})",
    R"("type":"adverse_event","kind":"nausea","severity":"moderate"})",
    R"("type":"signoff","what":"discharge"})",
    R"("type":"note","text":"calm; \"line\"\nbreak"})",
    R"("type":"abort","reason":"patient request"})",
};

TEST(EventJson, EveryTypeRoundTrips) {
  ASSERT_EQ(every_type.size(), kap::event_type_count);
  for (std::size_t i = 0; i < every_type.size(); ++i) {
    const std::string text = envelope + every_type[i];
    auto e = kap::json::read_event(text);
    ASSERT_TRUE(e) << text << ": " << e.error().message;
    EXPECT_EQ(static_cast<std::size_t>(e->type()), i);
    EXPECT_EQ(kap::json::write_event(*e), text);
    auto again = kap::json::read_event(kap::json::write_event(*e));
    ASSERT_TRUE(again);
    EXPECT_EQ(*again, *e);
  }
}

TEST(EventJson, AnAdverseEventsOutcomeIsOptionalAndRoundTrips) {
  for (const std::string body : {R"("type":"adverse_event","kind":"nausea","severity":"mild","outcome":"resolved"})",
                                 R"("type":"adverse_event","kind":"nausea","severity":"mild","outcome":"ongoing"})"}) {
    auto e = kap::json::read_event(envelope + body);
    ASSERT_TRUE(e) << body << ": " << e.error().message;
    EXPECT_EQ(kap::json::write_event(*e), envelope + body);
  }
  auto resolved = kap::json::read_event(envelope + R"("type":"adverse_event","kind":"nausea","severity":"mild","outcome":"resolved"})");
  ASSERT_TRUE(resolved);
  EXPECT_TRUE(std::get<kap::events::adverse_event>(resolved->body).resolves());
  auto report = kap::json::read_event(envelope + R"("type":"adverse_event","kind":"nausea","severity":"mild"})");
  ASSERT_TRUE(report);
  EXPECT_FALSE(std::get<kap::events::adverse_event>(report->body).outcome.has_value());
  EXPECT_FALSE(std::get<kap::events::adverse_event>(report->body).resolves());
}

TEST(EventJson, OffsetsAreNormalisedAndOptionalFieldsMayBeAbsent) {
  auto e = kap::json::read_event(
      R"({"id":"e-1","session":"S-1","at":"2026-11-26T11:15:00+01:00","actor":{"id":"N-7","role":"nurse","licensed":true},"type":"vitals","spo2":97.5})");
  ASSERT_TRUE(e) << e.error().message;
  EXPECT_EQ(kap::json::write_event(*e),
            R"({"id":"e-1","session":"S-1","at":"2026-11-26T10:15:00Z","actor":{"id":"N-7","role":"nurse","licensed":true},"type":"vitals","spo2":97.5})");
}

struct bad_event {
  std::string body;
  kap::errc code;
  std::string message;
};

TEST(EventJson, BadEventsNameThePath) {
  const bad_event cases[] = {
      {R"("systolic":120})", kap::errc::missing_field, "/type: missing required field"},
      {R"("type":"party"})", kap::errc::unknown_enum, R"(/type: unknown event type "party")"},
      {R"("type":7})", kap::errc::wrong_type, "/type: expected an event type name (string), got an integer"},
      {R"("type":"vitals","systolic":120,"mood":"good"})", kap::errc::unknown_field,
       "/mood: unknown field for a vitals event"},
      {R"("type":"vitals","mg":50})", kap::errc::unknown_field, "/mg: unknown field for a vitals event"},
      {R"("type":"dose","drug":"ketamine","route":"rectal","mg":50})", kap::errc::unknown_enum,
       R"(/route: unknown route "rectal")"},
      {R"("type":"dose","drug":"ketamine","route":"im","mg":-5})", kap::errc::invalid_quantity,
       "/mg: mg value must not be negative"},
      {R"("type":"dose","drug":"ketamine","route":"im"})", kap::errc::missing_field, "/mg: missing required field"},
      {R"("type":"measure","instrument":"phq9","items":[1,true]})", kap::errc::wrong_type,
       "/items/1: expected an integer or a string, got a boolean"},
      {R"("type":"screening","weight_kg":70,"age":40,"answers":{"pregnancy":"no"}})", kap::errc::wrong_type,
       "/answers/pregnancy: expected a boolean, got a string"},
      {R"("type":"intervention","kind":"music","minutes":-3})", kap::errc::out_of_range,
       "/minutes: a duration must not be negative"},
      {R"("type":"adverse_event","kind":"nausea","severity":"mild","outcome":"better"})", kap::errc::unknown_enum,
       R"(/outcome: unknown adverse_outcome "better")"},
      {R"("type":"adverse_event","kind":"nausea","severity":"mild","outcome":true})", kap::errc::wrong_type,
       "/outcome: expected an adverse_outcome name (string), got a boolean"},
      // Free text in a code field is not echoed (issue 20, item 10).
      {R"("type":"Jane Doe 1984-03-02"})", kap::errc::unknown_enum, "/type: unknown event type (not an event type name)"},
      {R"("type":"adverse_event","kind":"nausea","severity":"mild","outcome":"Jane Doe felt better"})",
       kap::errc::unknown_enum, "/outcome: unknown adverse_outcome (not an adverse_outcome name)"},
  };
  for (const auto& c : cases) {
    auto e = kap::json::read_event(envelope + c.body);
    ASSERT_FALSE(e) << c.body;
    EXPECT_EQ(e.error().code, c.code) << c.body << ": " << e.error().message;
    EXPECT_EQ(e.error().message, c.message) << c.body;
  }
  auto role = kap::json::read_event(
      R"({"id":"e-1","session":"S-1","at":"2026-11-26T10:15:00Z","actor":{"id":"D-1","role":"doctor","licensed":true},"type":"consent","scope":"x"})");
  ASSERT_FALSE(role);
  EXPECT_EQ(role.error().message, R"(/actor/role: unknown role "doctor")");
  // An offset that carries the instant out of 0000-9999 is refused by the reader, naming the
  // field (issue 20, item 9).
  for (const char* at : {"9999-12-31T23:59:59-01:00", "0000-01-01T00:30:00+01:00"}) {
    auto far = kap::json::read_event(R"({"id":"e-1","session":"S-1","at":")" + std::string(at) +
                                     R"(","actor":{"id":"N-7","role":"nurse","licensed":true},"type":"consent","scope":"x"})");
    ASSERT_FALSE(far) << at;
    EXPECT_EQ(far.error().code, kap::errc::invalid_timestamp) << at;
    EXPECT_EQ(far.error().message, "/at: \"" + std::string(at) +
                                       "\" is not an RFC 3339 timestamp: in UTC it falls outside "
                                       "0000-01-01T00:00:00Z..9999-12-31T23:59:59.999Z");
  }
  auto no_zone = kap::json::read_event(
      R"({"id":"e-1","session":"S-1","at":"2026-11-26T10:15:00","actor":{"id":"N-7","role":"nurse","licensed":true},"type":"consent","scope":"x"})");
  ASSERT_FALSE(no_zone);
  EXPECT_EQ(no_zone.error().code, kap::errc::invalid_timestamp);
}

TEST(EventJson, JsonLinesReportEachBadLineAndGoOn) {
  const std::string text = envelope + R"("type":"consent","scope":"x"})" + "\n\n" + "{not json\n" + envelope +
                           R"("type":"abort","reason":"y"})" + "\r\n";
  auto lines = kap::json::read_events_jsonl(text);
  ASSERT_EQ(lines.size(), 3U);
  EXPECT_TRUE(lines[0].event);
  EXPECT_EQ(lines[1].line, 3U);
  ASSERT_FALSE(lines[1].event);
  EXPECT_EQ(lines[1].event.error().code, kap::errc::parse_error);
  EXPECT_EQ(lines[1].event.error().message.rfind("line 3: invalid JSON at byte 1", 0), 0U);
  EXPECT_TRUE(lines[2].event);
  EXPECT_EQ(lines[2].line, 4U);
}

}  // namespace
