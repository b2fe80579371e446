// The session engine's id index (kap/session/detail/id_index.hpp), on its own.

#include <kap/session/detail/id_index.hpp>

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

namespace {

using kap::detail::id_index;

// An index over the given "ids", found by the given hashes (chosen by the test, so collisions
// and full probe runs can be forced).
struct indexed {
  std::vector<std::string> ids;
  id_index index;
  void add(std::string id, std::uint64_t h) {
    ids.push_back(std::move(id));
    index.push_back(h);
  }
  [[nodiscard]] std::optional<std::size_t> find(const std::string& id, std::uint64_t h) const {
    return index.find(h, [&](std::size_t k) { return ids[k] == id; });
  }
};

TEST(IdIndex, AnEmptyIndexFindsNothing) {
  const id_index index;
  EXPECT_EQ(index.size(), 0U);
  int compared = 0;
  EXPECT_FALSE(index.find(42, [&](std::size_t) { return ++compared, true; }));
  EXPECT_EQ(compared, 0);
}

TEST(IdIndex, FindsEachPositionByItsHash) {
  indexed x;
  for (std::uint64_t k = 0; k < 1000; ++k) x.add("e-" + std::to_string(k), k * 0x9e3779b97f4a7c15ULL);
  EXPECT_EQ(x.index.size(), 1000U);
  for (std::uint64_t k = 0; k < 1000; ++k) {
    EXPECT_EQ(x.find("e-" + std::to_string(k), k * 0x9e3779b97f4a7c15ULL), k);
  }
  EXPECT_FALSE(x.find("e-1000", 1000 * 0x9e3779b97f4a7c15ULL));
}

// Ids whose hashes are equal, or equal in the bits that pick a slot, are told apart by the
// caller's comparison; the index never answers a position whose id differs.
TEST(IdIndex, CollidingHashesAreToldApartByTheIds) {
  indexed x;
  x.add("a", 7);
  x.add("b", 7);                           // the same hash
  x.add("c", 7 | (std::uint64_t{1} << 40));  // the same slot, other upper bits
  EXPECT_EQ(x.find("a", 7), 0U);
  EXPECT_EQ(x.find("b", 7), 1U);
  EXPECT_EQ(x.find("c", 7 | (std::uint64_t{1} << 40)), 2U);
  EXPECT_FALSE(x.find("d", 7));
  // The comparison is asked only for positions whose hash bits match.
  std::vector<std::size_t> asked;
  EXPECT_FALSE(x.index.find(7 | (std::uint64_t{1} << 40), [&](std::size_t k) {
    asked.push_back(k);
    return false;
  }));
  EXPECT_EQ(asked, std::vector<std::size_t>{2});
}

// Growing rebuilds the table: every position is still found after many doublings, and after a
// reserve made up front.
TEST(IdIndex, GrowingAndReservingKeepEveryPosition) {
  for (const bool reserve : {false, true}) {
    indexed x;
    if (reserve) x.index.reserve(5000);
    for (std::uint64_t k = 0; k < 5000; ++k) x.add(std::to_string(k), k << 3);  // clustered low bits
    for (std::uint64_t k = 0; k < 5000; k += 7) EXPECT_EQ(x.find(std::to_string(k), k << 3), k) << reserve;
  }
}

}  // namespace
