#pragma once

/// @file
/// The Describe-driven JSON reader and writer behind `kap/json.hpp`.
///
/// Why not Boost.JSON's `value_to` / `value_from`: in Boost 1.81 `value_to` for a described
/// struct demands every key (an absent `std::optional` fails), has no strict unknown-field check
/// with a path, and `value_from` + `serialize` costs about 4.6x a raw `serialize`. So kap walks
/// described members itself:
///
/// - reading takes a parsed `boost::json::value` and fills a `T`; it is strict: an unknown field,
///   a wrong type, a missing required member, an out-of-range number or an unknown enum name is
///   an error that names the JSON path (`/actor/role: unknown role "doctor"`). Absent or `null`
///   optional members are `std::nullopt`. The path is built only when something fails, so a
///   successful read pays nothing for it.
/// - writing appends straight to a `std::string` in member order, omits empty optionals, writes
///   enums as their names and numbers as people write them (`50.5`, shortest round trip). Every
///   token goes through `kap::json::writer` (kap/json/writer.hpp), which holds the escaping and
///   number rules of all JSON text kap makes.
/// - checking judges a C++ value by the reader's rules without writing or parsing anything:
///   `check(x, e)` is false, with the code, text and path `read` would give, exactly when `read`
///   refuses the text `write` makes of `x` (a NaN or negative amount, an enum value without a
///   name, a year after 9999, an invalid id: values only C++ code makes). Each rule is one
///   function of its codec that `read` and `check` both call. Invalid UTF-8 is the parser's rule,
///   not a codec's: `check` refuses it with `errc::parse_error`, and the caller asks the parser
///   for the message, which names a byte of the text (see `check_event`).
///
/// A type that is not described gets a `codec<T>` specialisation (strong ids, quantities,
/// timestamps here; the event variant in kap/json/events.hpp).

#include <kap/json/codec_base.hpp>
#include <kap/json/codec_containers.hpp>
#include <kap/json/codec_scalars.hpp>

#include <boost/describe/members.hpp>
#include <boost/mp11/algorithm.hpp>

#include <cstddef>
#include <string>
#include <type_traits>

namespace kap::json {

// --- described structs -----------------------------------------------------------------------

/// Reads the members of a described struct from an object, leaving keys that are not members
/// for the caller to judge. Counts the keys it consumed in `consumed`.
template <class T>
bool read_members(const boost::json::object& obj, T& out, read_error& e, std::size_t& consumed) {
  bool ok = true;
  boost::mp11::mp_for_each<detail::members_of<T>>([&](auto m) {
    if (!ok) return;
    using member_t = std::remove_cvref_t<decltype(out.*m.pointer)>;
    auto it = obj.find(m.name);
    if (it == obj.end()) {
      if constexpr (detail::is_optional<member_t>::value) {
        (out.*m.pointer).reset();
      } else {
        for (const auto name : defaulted_members<T>::names) {
          if (name == m.name) return;  // keeps the default value
        }
        ok = detail::fail(e, errc::missing_field, "missing required field");
        detail::prepend_key(e, m.name);
      }
      return;
    }
    ++consumed;
    if (!json::read(it->value(), out.*m.pointer, e)) {
      detail::prepend_key(e, m.name);
      ok = false;
    }
  });
  return ok;
}

/// True when `key` names a member of the described struct T.
template <class T>
[[nodiscard]] bool is_member_name(std::string_view key) noexcept {
  bool found = false;
  boost::mp11::mp_for_each<detail::members_of<T>>([&](auto m) { found = found || key == m.name; });
  return found;
}

/// Fails with unknown_field on the first key of `obj` that is neither a member of T nor in `extra`.
template <class T>
bool reject_unknown_keys(const boost::json::object& obj, read_error& e, std::initializer_list<std::string_view> extra = {}) {
  for (const auto& kv : obj) {
    const std::string_view k = kv.key();
    if (is_member_name<T>(k)) continue;
    bool allowed = false;
    for (auto x : extra) allowed = allowed || x == k;
    if (allowed) continue;
    detail::fail(e, errc::unknown_field, "unknown field");
    detail::prepend_key(e, k);
    return false;
  }
  return true;
}

/// Writes the members of a described struct as keys and values into an object `w` has open
/// (without the braces), in declaration order, leaving out empty optionals and the members
/// `omitted_when_empty<T>` names while they are empty; `w` puts in the commas.
template <class T>
void write_members(writer& w, const T& x) {
  static_assert(detail::omitted_are_defaulted<T>(),
                "a member written only when not empty must be in defaulted_members, so that it reads back");
  boost::mp11::mp_for_each<detail::members_of<T>>([&](auto m) {
    using member_t = std::remove_cvref_t<decltype(x.*m.pointer)>;
    if constexpr (detail::is_optional<member_t>::value) {
      if (!(x.*m.pointer)) return;
    } else if constexpr (requires { (x.*m.pointer).empty(); } && omitted_when_empty<T>::names.size() > 0) {
      if ((x.*m.pointer).empty()) {
        for (const auto name : omitted_when_empty<T>::names) {
          if (name == m.name) return;
        }
      }
    }
    w.key(m.name);
    json::write(w.raw_value(), x.*m.pointer);
  });
}

/// Checks the members of a described struct in the order `read_members` reads them, naming the
/// first that would not read back. An absent optional or an empty member the writer leaves out
/// passes, as `read_members` accepts its absence.
template <class T>
bool check_members(const T& x, read_error& e) {
  bool ok = true;
  boost::mp11::mp_for_each<detail::members_of<T>>([&](auto m) {
    if (!ok) return;
    if (!json::check(x.*m.pointer, e)) {
      detail::prepend_key(e, m.name);
      ok = false;
    }
  });
  return ok;
}

template <class T>
struct codec<T, std::enable_if_t<detail::is_described_struct<T>>> {
  /// Reads `v` into `out`; on failure fills `e` (code, path, text) and returns false.
  static bool read(const boost::json::value& v, T& out, read_error& e) {
    if (!v.is_object()) return detail::expected(e, "an object", v);
    const auto& obj = v.get_object();
    std::size_t consumed = 0;
    if (!read_members(obj, out, e, consumed)) return false;
    if (consumed != obj.size()) return reject_unknown_keys<T>(obj, e);
    return true;
  }
  /// Appends `x` to `out` as JSON.
  static void write(std::string& out, const T& x) {
    writer w(out);
    w.begin_object();
    write_members(w, x);
    w.end_object();
  }
  /// Reads back when every member does.
  static bool check(const T& x, read_error& e) { return check_members(x, e); }
};

template <class T>
bool read(const boost::json::value& v, T& out, read_error& e) {
  return codec<T>::read(v, out, e);
}

template <class T>
void write(std::string& out, const T& x) {
  codec<T>::write(out, x);
}

template <class T>
bool check(const T& x, read_error& e) {
  return codec<T>::check(x, e);
}

}  // namespace kap::json
