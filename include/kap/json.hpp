#pragma once

/// @file
/// kap's JSON: strict typed reading and fast writing for every public kap type.
///
/// Include this header (and link `kap::json`) to read and write kap's wire formats. It keeps
/// Boost.JSON out of `kap/kap.hpp`: the core stays cheap to compile.
///
/// @code
/// auto a = kap::json::from_string<kap::actor>(R"({"id":"N-7","role":"nurse","licensed":true})");
/// if (!a) std::cerr << a.error().message;       // e.g. "/role: unknown role \"doctor\""
/// std::string text = kap::json::to_string(*a);  // {"id":"N-7","role":"nurse","licensed":true}
/// @endcode

#include <kap/core/result.hpp>
#include <kap/json/codec.hpp>
#include <kap/json/events.hpp>
#include <kap/json/protocol.hpp>
#include <kap/json/reference.hpp>
#include <kap/json/writer.hpp>

#include <boost/json/value.hpp>

#include <cstddef>
#include <string>
#include <string_view>

namespace kap::json {

/// Reads a `T` from a parsed value, strictly.
/// @return the value, or the first error with its JSON path (`wrong_type`, `missing_field`,
///         `unknown_field`, `unknown_enum`, `out_of_range`, `invalid_quantity`, `invalid_id`,
///         `invalid_timestamp`)
template <class T>
[[nodiscard]] result<T> from_value(const boost::json::value& v) {
  T out{};
  read_error e;
  if (!json::read(v, out, e)) return to_error(std::move(e));
  return out;
}

/// Parses text and reads a `T` from it. Never throws for bad input.
template <class T>
[[nodiscard]] result<T> from_string(std::string_view text, const read_limits& limits = {}) {
  auto v = json::parse(text, limits);
  if (!v) return v.error();
  return from_value<T>(*v);
}

/// Appends the JSON text of `x` to `out`.
template <class T>
void append(std::string& out, const T& x) {
  json::write(out, x);
}

/// The JSON text of `x`: members in declaration order, empty optionals omitted, enums as names.
template <class T>
[[nodiscard]] std::string to_string(const T& x) {
  std::string out;
  json::write(out, x);
  return out;
}

}  // namespace kap::json
