#pragma once

/// @file
/// Names of described enumerators, as they appear in JSON ("intranasal", "blood_pressure").

#include <boost/describe/enumerators.hpp>
#include <boost/mp11/algorithm.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <type_traits>

namespace kap {

/// True for enums described with BOOST_DESCRIBE_ENUM.
template <class E>
concept DescribedEnum = std::is_enum_v<E> && boost::describe::has_describe_enumerators<E>::value;

/// The name of a described enumerator, or "" for a value that has none.
template <DescribedEnum E>
[[nodiscard]] constexpr std::string_view enum_name(E x) noexcept {
  std::string_view r;
  boost::mp11::mp_for_each<boost::describe::describe_enumerators<E>>([&](auto d) {
    if (r.empty() && x == d.value) r = d.name;
  });
  return r;
}

/// "dose route 42 is not one kap knows": the sentence for an enum value without a name, which
/// only C++ code makes (an integer cast to the enum; the JSON readers refuse an unknown name).
template <DescribedEnum E>
[[nodiscard]] std::string unnamed_value_text(std::string_view what, E x) {
  return std::string(what) + " " + std::to_string(static_cast<long long>(x)) + " is not one kap knows";
}

/// The enumerator with this name, or nothing.
template <DescribedEnum E>
[[nodiscard]] constexpr std::optional<E> enum_from_name(std::string_view name) noexcept {
  std::optional<E> r;
  boost::mp11::mp_for_each<boost::describe::describe_enumerators<E>>([&](auto d) {
    if (!r && name == d.name) r = d.value;
  });
  return r;
}

}  // namespace kap
