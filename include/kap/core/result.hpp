#pragma once

/// @file
/// `kap::result<T>`: the one result type of kap - a `T`, or a `kap::error`.
///
/// It has the interface of `boost::system::result<T, kap::error>` (`has_value()`, `operator
/// bool`, `*`, `->`, `value()`, `error()`), so code reads the same as with Boost.JSON's
/// `try_value_to`, but it is a small class over `std::variant`: Boost.System's headers would cost
/// about 0.45 s in every translation unit that includes `kap/kap.hpp`. Check before reading;
/// `value()` on a failed result is a programmer error and throws `kap::bad_result_access`.
/// A `result` is implicitly constructible from a `T` and from a `kap::error`, so a fallible
/// function can `return x;` or `return error{errc::out_of_range, "..."};`.

#include <kap/core/error.hpp>

#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>
#include <variant>

namespace kap {

/// Thrown by `result<T>::value()` when the result holds an error (a programmer error).
class bad_result_access : public std::runtime_error {
 public:
  explicit bad_result_access(const error& e)
      : std::runtime_error(std::string(to_string(e.code)) + ": " + e.message), error_(e) {}
  /// The error the result held.
  [[nodiscard]] const kap::error& error() const noexcept { return error_; }

 private:
  kap::error error_;
};

/// The result of a fallible kap call: a `T`, or a `kap::error`.
template <class T>
class [[nodiscard]] result {
  static_assert(!std::is_reference_v<T> && !std::is_same_v<std::remove_cv_t<T>, kap::error>,
                "result<T> holds a value type other than kap::error");

 public:
  using value_type = T;

  /// A result holding a default-constructed T.
  result() requires std::is_default_constructible_v<T> : v_(std::in_place_index<0>) {}
  /// A successful result.
  result(const T& x) : v_(std::in_place_index<0>, x) {}  // NOLINT(google-explicit-constructor)
  /// A successful result.
  result(T&& x) : v_(std::in_place_index<0>, std::move(x)) {}  // NOLINT(google-explicit-constructor)
  /// A successful result from anything a T can be made from implicitly.
  template <class U>
    requires(!std::is_same_v<std::remove_cvref_t<U>, T> && !std::is_same_v<std::remove_cvref_t<U>, kap::error> &&
             !std::is_same_v<std::remove_cvref_t<U>, result> && std::is_convertible_v<U, T>)
  result(U&& x) : v_(std::in_place_index<0>, std::forward<U>(x)) {}  // NOLINT(google-explicit-constructor)
  /// A failed result.
  result(kap::error e) : v_(std::in_place_index<1>, std::move(e)) {}  // NOLINT(google-explicit-constructor)

  /// True when the result holds a value.
  [[nodiscard]] bool has_value() const noexcept { return v_.index() == 0; }
  /// True when the result holds an error.
  [[nodiscard]] bool has_error() const noexcept { return v_.index() == 1; }
  /// Same as has_value().
  explicit operator bool() const noexcept { return has_value(); }

  /// The value. Throws `bad_result_access` when the result holds an error.
  T& value() & { check(); return *std::get_if<0>(&v_); }
  /// The value; throws `bad_result_access` when this holds an error.
  const T& value() const& { check(); return *std::get_if<0>(&v_); }
  /// The value, moved out; throws `bad_result_access` when this holds an error.
  T&& value() && { check(); return std::move(*std::get_if<0>(&v_)); }

  /// The value; precondition: has_value().
  T& operator*() & noexcept { return *std::get_if<0>(&v_); }
  /// The value, unchecked: only after testing that there is one.
  const T& operator*() const& noexcept { return *std::get_if<0>(&v_); }
  /// The value moved out, unchecked: only after testing that there is one.
  T&& operator*() && noexcept { return std::move(*std::get_if<0>(&v_)); }
  /// Member access to the value, unchecked.
  T* operator->() noexcept { return std::get_if<0>(&v_); }
  /// Member access to the value, unchecked.
  const T* operator->() const noexcept { return std::get_if<0>(&v_); }

  /// The error; precondition: has_error().
  [[nodiscard]] kap::error& error() & noexcept { return *std::get_if<1>(&v_); }
  /// The error, unchecked: only after testing that there is one.
  [[nodiscard]] const kap::error& error() const& noexcept { return *std::get_if<1>(&v_); }
  /// The error moved out, unchecked: only after testing that there is one.
  [[nodiscard]] kap::error&& error() && noexcept { return std::move(*std::get_if<1>(&v_)); }

  friend bool operator==(const result&, const result&) = default;

 private:
  void check() const {
    if (has_error()) throw bad_result_access(*std::get_if<1>(&v_));
  }
  std::variant<T, kap::error> v_;
};

/// The result of a fallible call that returns nothing: success, or a `kap::error`.
template <>
class [[nodiscard]] result<void> {
 public:
  using value_type = void;

  /// Success.
  result() noexcept = default;
  /// A failed result.
  result(kap::error e) : e_(std::move(e)), failed_(true) {}  // NOLINT(google-explicit-constructor)

  /// True on success.
  [[nodiscard]] bool has_value() const noexcept { return !failed_; }
  /// True on failure.
  [[nodiscard]] bool has_error() const noexcept { return failed_; }
  /// True on success.
  explicit operator bool() const noexcept { return !failed_; }
  /// Throws `bad_result_access` when the result holds an error.
  void value() const {
    if (failed_) throw bad_result_access(e_);
  }
  /// The error; precondition: has_error().
  [[nodiscard]] const kap::error& error() const& noexcept { return e_; }
  /// The error, unchecked: only after testing that there is one.
  [[nodiscard]] kap::error& error() & noexcept { return e_; }
  /// The error moved out, unchecked: only after testing that there is one.
  [[nodiscard]] kap::error&& error() && noexcept { return std::move(e_); }

  friend bool operator==(const result&, const result&) = default;

 private:
  kap::error e_;
  bool failed_ = false;
};

}  // namespace kap
