// The kap.courses/1 envelope (kap/json/courses.hpp, docs/cohort.md): a good file, the round trip
// through the writer, and the files it refuses, with their codes and messages.
#include <kap/json/courses.hpp>

#include <kap/json.hpp>

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace {

// The example of docs/cohort.md.
constexpr const char* good_file = R"({"format":"kap.courses/1","synthetic":true,"instrument":"phq9","courses":[)"
                                  R"({"arm":"im-kap","subject":"SYN-im-kap-1","baseline":18,)"
                                  R"("observations":[{"day":0,"total":18},{"day":1,"total":16},{"day":4,"total":8}],)"
                                  R"("session_of_observation":[0,1,2],"sessions_completed":2,"sessions_aborted":0,)"
                                  R"("dropped_out":true,"events":74,"rejected":0}]})";

TEST(CoursesJson, ReadsAGoodFile) {
  auto file = kap::json::read_courses(good_file);
  ASSERT_TRUE(file) << file.error().message;
  EXPECT_EQ(file->format, "kap.courses/1");
  EXPECT_TRUE(file->synthetic);
  EXPECT_EQ(file->instrument, "phq9");
  ASSERT_EQ(file->courses.size(), 1U);
  const auto& c = file->courses[0];
  EXPECT_EQ(c.arm, "im-kap");
  EXPECT_EQ(c.subject, "SYN-im-kap-1");
  EXPECT_EQ(c.baseline, 18);
  ASSERT_EQ(c.observations.size(), 3U);
  EXPECT_EQ(c.observations[2].day, 4);
  EXPECT_EQ(c.observations[2].total, 8);
  EXPECT_EQ(c.session_of_observation, (std::vector<int>{0, 1, 2}));
  EXPECT_EQ(c.sessions_completed, 2);
  EXPECT_TRUE(c.dropped_out);
  EXPECT_EQ(c.events, 74U);
}

TEST(CoursesJson, WritesWhatItReads) {
  auto file = kap::json::read_courses(good_file);
  ASSERT_TRUE(file) << file.error().message;
  EXPECT_EQ(kap::json::to_string(*file), good_file);
  auto back = kap::json::read_courses(kap::json::to_string(*file));
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(*back, *file);
}

TEST(CoursesJson, ANewFileCarriesTheFormat) {
  const kap::course::courses_file empty;
  EXPECT_EQ(empty.format, kap::course::courses_format);
  EXPECT_EQ(kap::json::to_string(empty),
            R"({"format":"kap.courses/1","synthetic":false,"instrument":"phq9","courses":[]})");
  EXPECT_TRUE(kap::json::read_courses(kap::json::to_string(empty)));
}

struct bad_file {
  const char* name;
  std::string text;
  kap::errc code;
  const char* message;
};

TEST(CoursesJson, RefusesBadFilesWithTheirCodeAndMessage) {
  const std::string rest = R"(,"synthetic":false,"instrument":"phq9","courses":[]})";
  const bad_file cases[] = {
      {"wrong format tag", R"({"format":"kap.courses/9")" + rest, kap::errc::unsupported_schema,
       R"(/format: unsupported format "kap.courses/9" (this kap reads kap.courses/1))"},
      {"a protocol's tag", R"({"format":"kap.protocol/1")" + rest, kap::errc::unsupported_schema,
       R"(/format: unsupported format "kap.protocol/1" (this kap reads kap.courses/1))"},
      {"not JSON", "not json", kap::errc::parse_error, "invalid JSON at byte 0: syntax error"},
      {"truncated", R"({"format":"kap.courses/1",)", kap::errc::parse_error,
       "invalid JSON at byte 26: incomplete JSON"},
      {"no format", R"({"synthetic":false,"instrument":"phq9","courses":[]})", kap::errc::missing_field,
       "/format: missing required field"},
      {"not an object", "[]", kap::errc::wrong_type, "/: expected an object, got an array"},
      {"an unknown field", R"({"format":"kap.courses/1","extra":1)" + rest, kap::errc::unknown_field,
       "/extra: unknown field"},
  };
  for (const auto& c : cases) {
    auto r = kap::json::read_courses(c.text);
    ASSERT_FALSE(r) << c.name;
    EXPECT_EQ(r.error().code, c.code) << c.name << ": " << r.error().message;
    EXPECT_EQ(r.error().message, c.message) << c.name;
  }
}

TEST(CoursesJson, LongFormatIsCutInTheMessage) {
  auto r = kap::json::read_courses(R"({"format":")" + std::string(100, 'x') +
                                   R"(","synthetic":false,"instrument":"phq9","courses":[]})");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message,
            "/format: unsupported format \"" + std::string(40, 'x') + "\" (this kap reads kap.courses/1)");
}

TEST(CoursesJson, AppliesTheLimitsItIsGiven) {
  auto r = kap::json::read_courses(good_file, kap::json::read_limits{64, 64});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, kap::errc::too_large) << r.error().message;
  EXPECT_TRUE(kap::json::read_courses(good_file));  // the default limits: 256 MiB
  EXPECT_EQ(kap::json::courses_read_limits.max_bytes, std::size_t{256} << 20);
}

}  // namespace
