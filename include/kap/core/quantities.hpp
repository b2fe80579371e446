#pragma once

/// @file
/// Physical quantities as types that do not mix.
///
/// A dose in milligrams, a weight in kilograms and a limit in mg/kg are different types, so
/// `milligrams + kilograms` or passing a blood pressure where a heart rate is expected does not
/// compile (see tests/static/quantities_test.cpp). Only the products and quotients that mean
/// something are defined: mg/kg x kg -> mg, and mg / kg -> mg/kg. Values are `double`;
/// construction is explicit and unchecked (like `std::chrono::duration`), and `make<Q>(v, what)`
/// is the checked entry point for untrusted numbers: it refuses negative and non-finite values
/// with `errc::invalid_quantity`.

#include <kap/core/result.hpp>

#include <compare>
#include <concepts>
#include <limits>
#include <string>
#include <string_view>

namespace kap {

namespace detail {
/// std::isfinite without <cmath> (which costs compile time in every includer).
constexpr bool is_finite(double v) noexcept {
  return v == v && v < std::numeric_limits<double>::infinity() && v > -std::numeric_limits<double>::infinity();
}
}  // namespace detail

/// A value of one physical unit. `Tag` names the unit and gives its symbol.
template <class Tag>
class quantity {
 public:
  using tag = Tag;
  using rep = double;  ///< the representation: a double in this unit

  constexpr quantity() noexcept = default;
  /// Wraps a raw number given in this unit (unchecked; see `make`).
  constexpr explicit quantity(double v) noexcept : v_(v) {}

  /// The raw number in this unit.
  [[nodiscard]] constexpr double count() const noexcept { return v_; }
  /// True when the value is finite and not negative.
  [[nodiscard]] constexpr bool ok() const noexcept { return detail::is_finite(v_) && v_ >= 0.0; }

  /// Adds a value of the same unit.
  constexpr quantity& operator+=(quantity o) noexcept { v_ += o.v_; return *this; }
  /// Subtracts a value of the same unit.
  constexpr quantity& operator-=(quantity o) noexcept { v_ -= o.v_; return *this; }
  /// The sum of two values of the same unit.
  [[nodiscard]] friend constexpr quantity operator+(quantity a, quantity b) noexcept { return quantity{a.v_ + b.v_}; }
  /// The difference of two values of the same unit.
  [[nodiscard]] friend constexpr quantity operator-(quantity a, quantity b) noexcept { return quantity{a.v_ - b.v_}; }
  /// Scales by a plain number.
  [[nodiscard]] friend constexpr quantity operator*(quantity a, double k) noexcept { return quantity{a.v_ * k}; }
  /// Scales by a plain number.
  [[nodiscard]] friend constexpr quantity operator*(double k, quantity a) noexcept { return quantity{a.v_ * k}; }
  /// Divides by a plain number.
  [[nodiscard]] friend constexpr quantity operator/(quantity a, double k) noexcept { return quantity{a.v_ / k}; }
  /// The ratio of two values of the same unit is a plain number.
  [[nodiscard]] friend constexpr double operator/(quantity a, quantity b) noexcept { return a.v_ / b.v_; }

  friend constexpr auto operator<=>(quantity, quantity) noexcept = default;
  friend constexpr bool operator==(quantity, quantity) noexcept = default;

 private:
  double v_ = 0.0;
};

namespace units {
/// Milligrams of drug.
struct mg { static constexpr std::string_view symbol = "mg"; };
/// Kilograms of body weight.
struct kg { static constexpr std::string_view symbol = "kg"; };
/// Milligrams of drug per kilogram of body weight.
struct mg_per_kg { static constexpr std::string_view symbol = "mg/kg"; };
/// Millimetres of mercury (blood pressure).
struct mmhg { static constexpr std::string_view symbol = "mmHg"; };
/// Beats per minute (heart rate).
struct bpm { static constexpr std::string_view symbol = "/min"; };
/// Peripheral oxygen saturation, percent.
struct spo2 { static constexpr std::string_view symbol = "%"; };
/// Breaths per minute (respiratory rate).
struct breaths { static constexpr std::string_view symbol = "/min"; };
}  // namespace units

using milligrams = quantity<units::mg>;               ///< a drug amount
using kilograms = quantity<units::kg>;                ///< a body weight
using mg_per_kg = quantity<units::mg_per_kg>;         ///< a weight-based dose
using mmhg = quantity<units::mmhg>;                   ///< a blood pressure
using bpm = quantity<units::bpm>;                     ///< a heart rate
using spo2_percent = quantity<units::spo2>;           ///< an oxygen saturation
using breaths_per_min = quantity<units::breaths>;     ///< a respiratory rate

/// True for the quantity types above.
template <class T>
concept Quantity = requires { typename T::tag; } && std::same_as<T, quantity<typename T::tag>>;

/// A weight-based dose times a body weight is an absolute dose.
[[nodiscard]] constexpr milligrams operator*(mg_per_kg d, kilograms w) noexcept {
  return milligrams{d.count() * w.count()};
}
/// Commutative form of mg/kg x kg.
[[nodiscard]] constexpr milligrams operator*(kilograms w, mg_per_kg d) noexcept { return d * w; }
/// An absolute dose over a body weight is a weight-based dose.
[[nodiscard]] constexpr mg_per_kg operator/(milligrams m, kilograms w) noexcept {
  return mg_per_kg{m.count() / w.count()};
}

/// Checked construction from an untrusted number.
/// @param v the number, in Q's unit
/// @param what what the number is, for the message (e.g. "/weight_kg")
/// @return the quantity, or `errc::invalid_quantity` when `v` is negative, NaN or infinite
template <Quantity Q>
[[nodiscard]] result<Q> make(double v, std::string_view what) {
  if (!detail::is_finite(v)) {
    return error{errc::invalid_quantity, std::string(what) + ": " + std::string(Q::tag::symbol) + " value is not finite"};
  }
  if (v < 0.0) {
    return error{errc::invalid_quantity, std::string(what) + ": " + std::string(Q::tag::symbol) + " value must not be negative"};
  }
  return Q{v};
}

namespace literals {
// NOLINTBEGIN(google-runtime-int)
/// `1.5_mg`: milligrams..
constexpr milligrams operator""_mg(long double v) noexcept { return milligrams{static_cast<double>(v)}; }
/// `40_mg`: milligrams..
constexpr milligrams operator""_mg(unsigned long long v) noexcept { return milligrams{static_cast<double>(v)}; }
/// `70.5_kg`: kilograms..
constexpr kilograms operator""_kg(long double v) noexcept { return kilograms{static_cast<double>(v)}; }
/// `70_kg`: kilograms..
constexpr kilograms operator""_kg(unsigned long long v) noexcept { return kilograms{static_cast<double>(v)}; }
/// `0.5_mg_per_kg`: milligrams per kilogram..
constexpr mg_per_kg operator""_mg_per_kg(long double v) noexcept { return mg_per_kg{static_cast<double>(v)}; }
/// `2_mg_per_kg`: milligrams per kilogram..
constexpr mg_per_kg operator""_mg_per_kg(unsigned long long v) noexcept { return mg_per_kg{static_cast<double>(v)}; }
/// `140_mmhg`: millimetres of mercury..
constexpr mmhg operator""_mmhg(unsigned long long v) noexcept { return mmhg{static_cast<double>(v)}; }
/// `72_bpm`: beats per minute..
constexpr bpm operator""_bpm(unsigned long long v) noexcept { return bpm{static_cast<double>(v)}; }
// NOLINTEND(google-runtime-int)
}  // namespace literals

}  // namespace kap
