#pragma once

/// @file
/// `kap::result<T>`: the one result type of kap.
///
/// It is `boost::system::result<T, kap::error>` - the same template Boost.JSON uses for
/// `try_value_to` - with kap's own error (a code plus a message naming the path). Calling
/// `value()` on a failed result is a programmer error and throws `kap::bad_result_access`;
/// everything else is checked with `has_value()` / `operator bool`, or read with `error()`.

#include <kap/core/error.hpp>

#include <boost/assert/source_location.hpp>
#include <boost/system/result.hpp>

#include <stdexcept>
#include <string>

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

/// Called by Boost.System (found by ADL) when `value()` is called on a failed result.
[[noreturn]] inline void throw_exception_from_error(const error& e, const boost::source_location&) {
  throw bad_result_access(e);
}

/// The result of a fallible kap call: a `T`, or a `kap::error`.
template <class T>
using result = boost::system::result<T, error>;

}  // namespace kap
