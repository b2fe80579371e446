// Item answers are at most 16 characters whether written as a JSON integer or a string (found by
// tests/fuzz/events_jsonl.cpp): a 17-digit integer used to be accepted, but its canonical form is
// a string, which the reader refuses - so write_event of an accepted event did not read back, and
// a journal row storing it would no longer decode. The fuzzer's input is kept in
// tests/fuzz/corpus/events_jsonl/regression-long-integer-item.

#include <kap/json.hpp>

#include <gtest/gtest.h>

#include <string>

namespace {

std::string measure(const std::string& third_item) {
  return R"({"id":"po-03","session":"S-PT-2","at":"2026-11-26T15:08:00Z",)"
         R"("actor":{"id":"SUBJ-1","role":"patient","licensed":false},"type":"measure","instrument":"phq9",)"
         R"("items":[1,1,)" +
         third_item + R"(,1,1,0,0,0,0]})";
}

TEST(JsonItemAnswers, AnIntegerOfMoreThan16CharactersIsRefused) {
  for (const std::string item : {"10000000000000000", "-1000000000000000", "18446744073709551615"}) {
    auto e = kap::json::read_event(measure(item));
    ASSERT_FALSE(e) << item;
    EXPECT_EQ(e.error().code, kap::errc::out_of_range) << item;
    EXPECT_EQ(e.error().message, "/items/2: an item answer is at most 16 characters") << item;
  }
}

TEST(JsonItemAnswers, SixteenCharactersReadAndWriteBackToThemselves) {
  for (const std::string item : {"1000000000000000", "-100000000000000", "123456789", "1234567890", "-3"}) {
    auto e = kap::json::read_event(measure(item));
    ASSERT_TRUE(e) << item << ": " << e.error().message;
    const std::string canonical = kap::json::write_event(*e);
    auto again = kap::json::read_event(canonical);
    ASSERT_TRUE(again) << canonical << ": " << again.error().message;
    EXPECT_EQ(kap::json::write_event(*again), canonical);
    EXPECT_EQ(*again, *e);
  }
}

}  // namespace
