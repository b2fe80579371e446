#pragma once

// A 64-bit FNV-1a hash over the described members of a value, used to tell a repeated event
// (same id, same content) from a conflicting one without keeping a copy of every event.

#include <kap/core/ids.hpp>
#include <kap/core/quantities.hpp>
#include <kap/core/time.hpp>

#include <boost/describe/enumerators.hpp>
#include <boost/describe/members.hpp>
#include <boost/describe/modifiers.hpp>
#include <boost/mp11/algorithm.hpp>

#include <cstdint>
#include <cstring>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <variant>
#include <vector>

namespace kap::detail {

struct fnv1a {
  std::uint64_t h = 14695981039346656037ULL;
  void bytes(const void* p, std::size_t n) noexcept {
    const auto* b = static_cast<const unsigned char*>(p);
    for (std::size_t i = 0; i < n; ++i) {
      h ^= b[i];
      h *= 1099511628211ULL;
    }
  }
  void str(std::string_view s) noexcept {
    const std::uint64_t n = s.size();
    bytes(&n, sizeof n);
    bytes(s.data(), s.size());
  }
};

template <class T>
void hash_append(fnv1a& h, const T& x);

template <class T>
void hash_append(fnv1a& h, const std::optional<T>& x) {
  const unsigned char has = x ? 1 : 0;
  h.bytes(&has, 1);
  if (x) hash_append(h, *x);
}

template <class T>
void hash_append(fnv1a& h, const std::vector<T>& xs) {
  const std::uint64_t n = xs.size();
  h.bytes(&n, sizeof n);
  for (const auto& x : xs) hash_append(h, x);
}

template <class T>
void hash_append(fnv1a& h, const std::map<std::string, T>& xs) {
  const std::uint64_t n = xs.size();
  h.bytes(&n, sizeof n);
  for (const auto& [k, v] : xs) {
    h.str(k);
    hash_append(h, v);
  }
}

template <class... Ts>
void hash_append(fnv1a& h, const std::variant<Ts...>& v) {
  const std::uint64_t i = v.index();
  h.bytes(&i, sizeof i);
  std::visit([&](const auto& x) { hash_append(h, x); }, v);
}

template <class T>
void hash_append(fnv1a& h, const T& x) {
  if constexpr (std::is_same_v<T, std::string>) {
    h.str(x);
  } else if constexpr (std::is_arithmetic_v<T> || std::is_enum_v<T>) {
    h.bytes(&x, sizeof x);
  } else if constexpr (requires { x.count(); }) {  // quantities, durations
    const auto c = x.count();
    h.bytes(&c, sizeof c);
  } else if constexpr (requires { x.time_since_epoch(); }) {
    const auto c = x.time_since_epoch().count();
    h.bytes(&c, sizeof c);
  } else if constexpr (requires { x.str(); }) {  // ids
    h.str(x.str());
  } else if constexpr (requires { x.text; }) {  // item answers
    h.str(x.text);
  } else {
    boost::mp11::mp_for_each<
        boost::describe::describe_members<T, boost::describe::mod_public | boost::describe::mod_inherited>>(
        [&](auto m) { hash_append(h, x.*m.pointer); });
  }
}

}  // namespace kap::detail
