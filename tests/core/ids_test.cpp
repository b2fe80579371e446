#include <kap/core/actor.hpp>
#include <kap/core/ids.hpp>

#include <gtest/gtest.h>

#include <string>
#include <unordered_set>

namespace {

TEST(Ids, AcceptsThePermittedCharacters) {
  for (const char* s : {"S-0001", "e.7", "N_7", "urn:kap:1", "a", "Z9"}) {
    auto r = kap::session_id::make(s);
    ASSERT_TRUE(r) << s;
    EXPECT_EQ(r->str(), s);
  }
  EXPECT_TRUE(kap::subject_id::make(std::string(64, 'p')));
}

TEST(Ids, RejectsEmptyLongAndFreeText) {
  auto empty = kap::subject_id::make("");
  ASSERT_FALSE(empty);
  EXPECT_EQ(empty.error().code, kap::errc::invalid_id);
  EXPECT_EQ(empty.error().message, "subject id must not be empty");

  auto lng = kap::event_id::make(std::string(65, 'e'));
  ASSERT_FALSE(lng);
  EXPECT_EQ(lng.error().message, "event id must be at most 64 characters");

  for (const char* s : {"Jane Doe", "a/b", "x\n", "caf\xc3\xa9", "semi;colon"}) {
    auto r = kap::subject_id::make(s);
    ASSERT_FALSE(r) << s;
    EXPECT_EQ(r.error().message, "subject id may only contain A-Z a-z 0-9 . _ : -");
  }
}

TEST(Ids, CompareAndHash) {
  const kap::session_id a{"S-1"};
  const kap::session_id b{"S-2"};
  EXPECT_LT(a, b);
  EXPECT_EQ(a, kap::session_id{"S-1"});
  std::unordered_set<kap::session_id> set{a, b, kap::session_id{"S-1"}};
  EXPECT_EQ(set.size(), 2U);
}

TEST(Actor, ClinicalRoles) {
  EXPECT_TRUE(kap::is_clinical(kap::role::prescriber));
  EXPECT_TRUE(kap::is_clinical(kap::role::nurse));
  EXPECT_TRUE(kap::is_clinical(kap::role::therapist));
  EXPECT_TRUE(kap::is_clinical(kap::role::monitor));
  EXPECT_FALSE(kap::is_clinical(kap::role::patient));
  EXPECT_FALSE(kap::is_clinical(kap::role::system));
  EXPECT_EQ(kap::to_string(kap::role::monitor), "monitor");
}

}  // namespace
