#include <kap/core/error.hpp>
#include <kap/core/result.hpp>

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace {

constexpr int first_code = static_cast<int>(kap::errc::parse_error);
constexpr int last_code = static_cast<int>(kap::errc::unknown_protocol);

TEST(ErrorCategory, EveryCodeHasADistinctName) {
  std::set<std::string> names;
  for (int i = first_code; i <= last_code; ++i) {
    const auto e = static_cast<kap::errc>(i);
    const std::string name(kap::to_string(e));
    EXPECT_NE(name, "unknown") << i;
    EXPECT_EQ(kap::make_error_code(e).message(), name);
    EXPECT_TRUE(names.insert(name).second) << "duplicate name " << name;
  }
  EXPECT_EQ(kap::make_error_code(static_cast<kap::errc>(last_code + 1)).message(), "unknown");
}

TEST(ErrorCategory, CodesMapToTheirCondition) {
  const std::error_code rejected = kap::errc::dose_limit;
  const std::error_code input = kap::errc::unknown_field;
  const std::error_code storage = kap::errc::tampered;
  EXPECT_EQ(rejected, kap::condition::rejected);
  EXPECT_NE(rejected, kap::condition::bad_input);
  EXPECT_EQ(input, kap::condition::bad_input);
  EXPECT_EQ(storage, kap::condition::storage);
  EXPECT_STREQ(rejected.category().name(), "kap");
  EXPECT_EQ(kap::make_error_condition(kap::condition::storage).message(), "storage failure");
  EXPECT_EQ(kap::make_error_condition(kap::condition::bad_input).message(), "bad input");
  EXPECT_EQ(kap::make_error_condition(kap::condition::rejected).message(), "rejected by the protocol");
}

TEST(ErrorCategory, StdErrorCodeInterop) {
  const std::error_code ec = kap::make_error_code(kap::errc::duplicate);
  EXPECT_EQ(ec.message(), "duplicate");
  EXPECT_EQ(ec.value(), static_cast<int>(kap::errc::duplicate));
  EXPECT_EQ(&ec.category(), &kap::kap_category());
  EXPECT_STREQ(kap::kap_condition_category().name(), "kap.condition");
}

kap::result<int> half(int x) {
  if (x % 2 != 0) return kap::error{kap::errc::out_of_range, "odd"};
  return x / 2;
}

TEST(Result, HoldsValueOrError) {
  auto ok = half(4);
  ASSERT_TRUE(ok);
  EXPECT_EQ(*ok, 2);
  auto bad = half(3);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, kap::errc::out_of_range);
  EXPECT_EQ(bad.error().ec(), kap::errc::out_of_range);
}

TEST(Result, ConvertsAndCompares) {
  kap::result<std::string> s = "text";  // from anything convertible to T
  ASSERT_TRUE(s.has_value());
  EXPECT_FALSE(s.has_error());
  EXPECT_EQ(s->size(), 4U);
  kap::result<std::string> same = std::string("text");
  EXPECT_EQ(s, same);
  kap::result<std::string> failed = kap::error{kap::errc::parse_error, "x"};
  EXPECT_NE(s, failed);
  EXPECT_EQ(std::move(failed).error().message, "x");
}

kap::result<void> check_even(int x) {
  if (x % 2 != 0) return kap::error{kap::errc::out_of_range, "odd"};
  return {};
}

TEST(Result, VoidResult) {
  EXPECT_TRUE(check_even(2));
  EXPECT_NO_THROW(check_even(2).value());
  auto bad = check_even(1);
  ASSERT_FALSE(bad);
  EXPECT_TRUE(bad.has_error());
  EXPECT_EQ(bad.error().message, "odd");
  EXPECT_THROW(bad.value(), kap::bad_result_access);
}

TEST(Result, ValueOnErrorThrowsWithTheMessage) {
  auto bad = half(3);
  try {
    (void)bad.value();
    FAIL() << "value() did not throw";
  } catch (const kap::bad_result_access& e) {
    EXPECT_STREQ(e.what(), "out_of_range: odd");
    EXPECT_EQ(e.error().code, kap::errc::out_of_range);
  }
}

}  // namespace
