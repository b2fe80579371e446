#pragma once

/// @file
/// The session engine's id index: which timeline position holds an event id. Private to the
/// engine (kap::detail); its own tests are tests/session/id_index_test.cpp.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

namespace kap::detail {

/// Positions 0, 1, 2, ... each with the 64-bit hash of its id, found again by that hash.
///
/// An open-addressing table with linear probing, a power of two in size and at most half full.
/// A slot holds the upper 32 bits of the hash and the position plus one (0 marks an empty slot),
/// so a probe compares hash bits in the table itself and asks the caller to compare ids in full
/// only when they match. The full hashes are kept too, to rebuild the table when it doubles.
///
/// @par Complexity
/// `find` and `push_back` are O(1) expected; `push_back` is amortised (the table doubles, and is
/// rebuilt, when it would be more than half full).
/// @par Exception safety
/// `push_back` and `reserve` may throw `std::bad_alloc`; the index is then unchanged. `find`
/// does not throw unless `same` does.
class id_index {
 public:
  /// Makes room for `n` positions without growing again.
  void reserve(std::size_t n) {
    hashes_.reserve(n);
    if (n * 2 > slots_.size()) rebuild(n * 2);
  }

  /// The position of the id whose hash is `h`, among those for which `same(position)` says the
  /// id is the one sought (hashes can collide; ids are compared in full), or nothing.
  template <class Same>
  [[nodiscard]] std::optional<std::size_t> find(std::uint64_t h, Same&& same) const {
    if (slots_.empty()) return std::nullopt;
    const std::size_t mask = slots_.size() - 1;
    for (std::size_t i = h & mask;; i = (i + 1) & mask) {
      const slot s = slots_[i];
      if (s.position_plus_one == 0) return std::nullopt;
      if (s.tag == tag_of(h) && same(static_cast<std::size_t>(s.position_plus_one - 1))) {
        return s.position_plus_one - 1;
      }
    }
  }

  /// Adds the next position (`size()`), whose id hashes to `h`.
  void push_back(std::uint64_t h) {
    if ((hashes_.size() + 1) * 2 > slots_.size()) {
      std::vector<std::uint64_t> grown = hashes_;  // so a failed rebuild leaves the index as it was
      grown.push_back(h);
      rebuild_from(std::move(grown), (hashes_.size() + 1) * 2);
      return;
    }
    hashes_.push_back(h);
    insert(h, hashes_.size() - 1);
  }

  /// The number of positions indexed.
  [[nodiscard]] std::size_t size() const noexcept { return hashes_.size(); }

 private:
  struct slot {
    std::uint32_t tag = 0;                // the upper 32 bits of the id's hash
    std::uint32_t position_plus_one = 0;  // 0: empty
  };
  [[nodiscard]] static std::uint32_t tag_of(std::uint64_t h) noexcept { return static_cast<std::uint32_t>(h >> 32); }

  void insert(std::uint64_t h, std::size_t position) noexcept {
    const std::size_t mask = slots_.size() - 1;
    std::size_t i = h & mask;
    while (slots_[i].position_plus_one != 0) i = (i + 1) & mask;
    slots_[i] = slot{tag_of(h), static_cast<std::uint32_t>(position + 1)};
  }
  void rebuild(std::size_t want) { rebuild_from(hashes_, want); }
  void rebuild_from(std::vector<std::uint64_t> hashes, std::size_t want) {
    std::size_t size = slots_.empty() ? 64 : slots_.size();
    while (size < want) size *= 2;
    std::vector<slot> slots(size);  // may throw: nothing has changed yet
    hashes.reserve(hashes_.capacity());
    slots_.swap(slots);
    hashes_.swap(hashes);
    for (std::size_t k = 0; k < hashes_.size(); ++k) insert(hashes_[k], k);
  }

  std::vector<slot> slots_;
  std::vector<std::uint64_t> hashes_;  // the full hash of each position's id
};

}  // namespace kap::detail
