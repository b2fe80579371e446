// Resource limits of the readers (docs/hardening.md): exact boundaries, defaults per reader, and
// limits a host passes in.
#include <kap/json.hpp>

#include <gtest/gtest.h>

#include <string>

namespace {

std::string nested(std::size_t depth) { return std::string(depth, '[') + std::string(depth, ']'); }

// An event whose note text is `n` bytes long.
std::string note_event(std::size_t n, std::size_t padding = 0) {
  return R"({"id":"n-1","session":"S-1","at":"2026-11-26T09:00:00Z","actor":{"id":"N-1","role":"nurse","licensed":true},)"
         R"("type":"note","text":")" +
         std::string(n, 'z') + "\"" + std::string(padding, ' ') + "}";
}

// A protocol whose title is `n` bytes long, padded with `padding` spaces.
std::string titled_protocol(std::size_t n, std::size_t padding = 0) {
  return R"({"format":"kap.protocol/1","id":"p","title":")" + std::string(n, 't') +
         R"(","initial":"a","phases":[{"id":"a","kind":"preparation"}])" + std::string(padding, ' ') + "}";
}

TEST(ReadLimits, DepthIsExactlyTheLimit) {
  const kap::json::read_limits l{1 << 20, 32, 1 << 10};
  EXPECT_TRUE(kap::json::parse(nested(32), l));
  auto r = kap::json::parse(nested(33), l);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, kap::errc::too_large);
  EXPECT_EQ(r.error().message, "JSON nesting is deeper than 32 levels");
}

TEST(ReadLimits, SizeIsExactlyTheLimit) {
  const kap::json::read_limits l{10, 32, 1 << 10};
  EXPECT_TRUE(kap::json::parse("[1,2,3,45]", l));
  auto r = kap::json::parse("[1,2,3,456]", l);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, kap::errc::too_large);
  EXPECT_EQ(r.error().message, "input of 11 bytes is over the limit of 10 bytes");
}

TEST(ReadLimits, StringsAndKeysAreBoundedAndNamedByPath) {
  const kap::json::read_limits l{1 << 20, 32, 4};
  EXPECT_TRUE(kap::json::parse(R"({"abcd":["wxyz"]})", l));
  auto r = kap::json::parse(R"({"a":[1,{"b/c":"12345"}]})", l);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, kap::errc::too_large);
  EXPECT_EQ(r.error().message, "/a/1/b~1c: a string or key is longer than 4 bytes");
  auto k = kap::json::parse(R"({"a":{"12345":1}})", l);
  ASSERT_FALSE(k);
  EXPECT_EQ(k.error().message, "/a: a string or key is longer than 4 bytes");
  auto top = kap::json::parse(R"("12345")", l);
  ASSERT_FALSE(top);
  EXPECT_EQ(top.error().message, "/: a string or key is longer than 4 bytes");
}

TEST(ReadLimits, DocumentedDefaults) {
  EXPECT_EQ(kap::json::protocol_read_limits.max_bytes, std::size_t{1} << 20);
  EXPECT_EQ(kap::json::protocol_read_limits.max_depth, 32U);
  EXPECT_EQ(kap::json::protocol_read_limits.max_string_bytes, std::size_t{16} << 10);
  EXPECT_EQ(kap::json::event_read_limits.max_bytes, std::size_t{64} << 10);
  EXPECT_EQ(kap::json::event_read_limits.max_depth, 32U);
  EXPECT_EQ(kap::json::event_read_limits.max_string_bytes, std::size_t{8} << 10);
}

TEST(ReadLimits, EventReaderAppliesEventLimitsByDefault) {
  ASSERT_TRUE(kap::json::read_event(note_event(8192)));
  auto s = kap::json::read_event(note_event(8193));
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code, kap::errc::too_large);
  EXPECT_EQ(s.error().message, "/text: a string or key is longer than 8192 bytes");
  const std::string at_limit = note_event(10, (std::size_t{64} << 10) - note_event(10).size());
  ASSERT_EQ(at_limit.size(), std::size_t{64} << 10);
  EXPECT_TRUE(kap::json::read_event(at_limit));
  auto big = kap::json::read_event(at_limit + " ");
  ASSERT_FALSE(big);
  EXPECT_EQ(big.error().message, "input of 65537 bytes is over the limit of 65536 bytes");
  // A host may allow more.
  EXPECT_TRUE(kap::json::read_event(note_event(20000), kap::json::read_limits{1 << 20, 32, 1 << 20}));
}

TEST(ReadLimits, JsonlLimitsApplyPerLine) {
  const std::string text = note_event(10) + "\n" + note_event(9000) + "\n" + note_event(10) + "\n";
  const auto lines = kap::json::read_events_jsonl(text);
  ASSERT_EQ(lines.size(), 3U);
  EXPECT_TRUE(lines[0].event);
  ASSERT_FALSE(lines[1].event);
  EXPECT_EQ(lines[1].event.error().code, kap::errc::too_large);
  EXPECT_EQ(lines[1].event.error().message, "line 2: /text: a string or key is longer than 8192 bytes");
  EXPECT_TRUE(lines[2].event);
}

TEST(ReadLimits, ProtocolReaderAppliesProtocolLimitsByDefault) {
  ASSERT_TRUE(kap::json::read_protocol(titled_protocol(16384)));
  auto s = kap::json::read_protocol(titled_protocol(16385));
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code, kap::errc::too_large);
  EXPECT_EQ(s.error().message, "/title: a string or key is longer than 16384 bytes");
  const std::string at_limit = titled_protocol(10, (std::size_t{1} << 20) - titled_protocol(10).size());
  ASSERT_EQ(at_limit.size(), std::size_t{1} << 20);
  EXPECT_TRUE(kap::json::read_protocol(at_limit));
  auto big = kap::json::read_protocol(at_limit + " ");
  ASSERT_FALSE(big);
  EXPECT_EQ(big.error().message, "input of 1048577 bytes is over the limit of 1048576 bytes");
  // Every reference protocol fits well within the limits.
  for (const auto name : kap::json::reference_protocol_names()) {
    const auto text = kap::json::reference_protocol_text(name);
    ASSERT_TRUE(text);
    EXPECT_LT(text->size(), kap::json::protocol_read_limits.max_bytes / 16) << name;
    EXPECT_TRUE(kap::json::read_protocol(*text)) << name;
  }
}

}  // namespace
