#pragma once

/// @file
/// The session engine's list of open alerts. Private to the engine (kap::detail); its own tests
/// are tests/session/open_alerts_test.cpp.

#include <kap/events/decision.hpp>

#include <algorithm>
#include <cstdint>
#include <vector>

namespace kap::detail {

/// What an alert is about, as numbers: its kind and the number of its subject (the vital sign,
/// the scheduled check, the phase, or the adverse event kind and level). The engine keeps at
/// most one open alert per key.
struct alert_key {
  alert_kind kind{};          ///< the alert's kind
  std::uint32_t subject = 0;  ///< what it is about, numbered by the engine
  friend bool operator==(const alert_key&, const alert_key&) = default;
};

/// The open alerts of a session: for each, its position in the session's list of every alert
/// raised (`session_state::alerts`) and its key, in the order they were raised.
///
/// @par Complexity
/// `contains` is linear in the number of open alerts (a session has a handful open at a time);
/// `remove_if` is linear.
/// @par Exception safety
/// `add` may throw `std::bad_alloc` and then changes nothing; the rest do not throw unless the
/// predicate does.
class open_alerts {
 public:
  /// One open alert.
  struct entry {
    std::uint32_t position = 0;  ///< its index in `session_state::alerts`
    alert_key key;               ///< what it is about
  };

  /// True when an alert with this key is open.
  [[nodiscard]] bool contains(alert_key key) const noexcept {
    return std::any_of(entries_.begin(), entries_.end(), [&](const entry& e) { return e.key == key; });
  }
  /// Records an alert as open.
  void add(std::uint32_t position, alert_key key) { entries_.push_back(entry{position, key}); }
  /// Forgets the entries for which `closed(entry)` is true; the others keep their order.
  template <class Closed>
  void remove_if(Closed&& closed) {
    std::erase_if(entries_, closed);
  }
  /// The open alerts, oldest first.
  [[nodiscard]] const std::vector<entry>& entries() const noexcept { return entries_; }
  /// True when no alert is open.
  [[nodiscard]] bool empty() const noexcept { return entries_.empty(); }

 private:
  std::vector<entry> entries_;
};

}  // namespace kap::detail
