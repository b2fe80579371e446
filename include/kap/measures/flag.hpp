#pragma once

/// @file
/// Item flags: alerts raised by a single item whatever the total, with a third state.
///
/// A flag is tri-state because an item can be missing (only when the caller asked for a
/// published prorating rule): a flag whose item was not answered is `unknown`, never `clear`.
/// `flag_set` packs the states of every flag into two bytes so that the integer scoring fast
/// path never allocates; printing turns it into arrays of names.

#include <boost/describe/enum.hpp>

#include <cstdint>

namespace kap::measures {

/// An alert an item can raise. Never rename or renumber; only add (at most 8 flags).
enum class flag : unsigned char {
  /// PHQ-9 item 9, QIDS-SR16 item 12 or BDI-II item 9 at 1 or more; MADRS item 10 at 2 or more
  /// and HAM-D17 item 3 at 1 or more by default (`score_options` sets those two thresholds).
  suicidal_ideation,
};
BOOST_DESCRIBE_ENUM(flag, suicidal_ideation)

/// The state of one flag for one scored record.
enum class flag_state : unsigned char {
  clear,    ///< the item was answered and does not raise the flag
  raised,   ///< the item was answered and raises the flag
  unknown,  ///< the item was not answered (prorated record), so the flag cannot be decided
};
BOOST_DESCRIBE_ENUM(flag_state, clear, raised, unknown)

/// The states of all flags of one record, in two bytes. A flag never set is `clear`.
class flag_set {
 public:
  constexpr flag_set() noexcept = default;

  /// Sets the state of one flag.
  /// @param f the flag
  /// @param s its new state
  constexpr void set(flag f, flag_state s) noexcept {
    const auto bit = mask(f);
    raised_ = static_cast<std::uint8_t>((raised_ & ~bit) | (s == flag_state::raised ? bit : 0u));
    unknown_ = static_cast<std::uint8_t>((unknown_ & ~bit) | (s == flag_state::unknown ? bit : 0u));
  }

  /// The state of one flag.
  /// @param f the flag
  /// @return `raised`, `unknown` or `clear`
  [[nodiscard]] constexpr flag_state state(flag f) const noexcept {
    if ((raised_ & mask(f)) != 0u) return flag_state::raised;
    if ((unknown_ & mask(f)) != 0u) return flag_state::unknown;
    return flag_state::clear;
  }

  /// True when the flag is raised (false for `unknown` and `clear`).
  [[nodiscard]] constexpr bool raised(flag f) const noexcept { return state(f) == flag_state::raised; }
  /// True when no flag is raised or unknown.
  [[nodiscard]] constexpr bool empty() const noexcept { return (raised_ | unknown_) == 0u; }

  friend constexpr bool operator==(flag_set, flag_set) noexcept = default;

 private:
  [[nodiscard]] static constexpr unsigned mask(flag f) noexcept { return 1u << static_cast<unsigned>(f); }

  std::uint8_t raised_ = 0;
  std::uint8_t unknown_ = 0;
};

}  // namespace kap::measures
