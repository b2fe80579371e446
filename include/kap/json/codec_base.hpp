#pragma once

/// @file
/// The codec's foundation: read limits, the `codec` template, the member lists and the helpers
/// its specialisations share. Part of kap/json/codec.hpp, which documents the whole.

#include <kap/core/actor.hpp>
#include <kap/core/enum_name.hpp>
#include <kap/core/result.hpp>
#include <kap/core/error.hpp>
#include <kap/core/ids.hpp>
#include <kap/core/quantities.hpp>
#include <kap/core/time.hpp>
#include <kap/core/detail/code_text.hpp>
#include <kap/json/writer.hpp>
#include <kap/json_export.hpp>

#include <boost/describe/class.hpp>
#include <boost/describe/enum.hpp>
#include <boost/describe/enumerators.hpp>
#include <boost/describe/members.hpp>
#include <boost/describe/modifiers.hpp>
#include <boost/json/value.hpp>
#include <boost/mp11/algorithm.hpp>

#include <array>
#include <cmath>
#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace kap::json {

/// A failure while reading, before it becomes a `kap::error`: the path grows as the failure
/// unwinds through the containers that hold the bad value.
struct read_error {
  errc code{};  ///< what kind of failure
  std::string path;  ///< JSON pointer to the bad value, built on the way out
  std::string text;  ///< what is wrong with it
};

/// Turns a read_error into the `kap::error` users see: "<path>: <text>".
[[nodiscard]] KAP_JSON_EXPORT error to_error(read_error&& e);

/// Limits applied before and while parsing untrusted text (docs/hardening.md).
///
/// The size is checked before the parser allocates anything, the depth while parsing (Boost.JSON's
/// `parse_options::max_depth`: an array or object opened at nesting level `max_depth + 1` stops
/// the parse), and the string length after parsing, which is bounded by `max_bytes` anyway.
/// Each failure is `errc::too_large` with a message naming the limit.
struct read_limits {
  std::size_t max_bytes = std::size_t{4} << 20;         ///< longest accepted text (default 4 MiB)
  std::size_t max_depth = 64;                           ///< deepest accepted nesting of arrays/objects
  std::size_t max_string_bytes = std::size_t{1} << 20;  ///< longest accepted string or key (default 1 MiB)
};

/// The limits `read_protocol` applies by default: 1 MiB of text, nesting depth 32, strings and
/// keys of at most 16 KiB. The largest reference protocol is about 10 KiB.
inline constexpr read_limits protocol_read_limits{std::size_t{1} << 20, 32, std::size_t{16} << 10};

/// The limits `read_event` applies by default to one event (one line of a .jsonl file): 64 KiB
/// of text, nesting depth 32, strings and keys of at most 8 KiB. An event is typically 200 bytes.
inline constexpr read_limits event_read_limits{std::size_t{64} << 10, 32, std::size_t{8} << 10};

/// Parses JSON text into a value, within `limits`.
/// @return the value, or `errc::too_large` (size, depth or string length) / `errc::parse_error`
///         (with the byte offset of the failure)
[[nodiscard]] KAP_JSON_EXPORT result<boost::json::value> parse(std::string_view text, const read_limits& limits = {});

/// Members of T that a reader may find absent, keeping the value T's default constructor gives
/// them (documented per type in docs/protocol-format.md). Specialise with
/// `static constexpr std::array<std::string_view, N> names{...}`. `std::optional` members may
/// always be absent; every other member is required.
template <class T>
struct defaulted_members {
  /// The member names that may be absent (none unless specialised).
  static constexpr std::array<std::string_view, 0> names{};
};

/// Members of T that the writer leaves out while they are empty (members added to a format after
/// its first release, so that what kap wrote before reads and writes the same). Specialise like
/// `defaulted_members`; such a member must be defaulted too, so that the reader accepts its absence.
template <class T>
struct omitted_when_empty {
  /// The member names left out while empty (none unless specialised).
  static constexpr std::array<std::string_view, 0> names{};
};

namespace detail {
/// True when every member T's writer leaves out while empty may also be absent when read.
template <class T>
constexpr bool omitted_are_defaulted() {
  for (const auto o : omitted_when_empty<T>::names) {
    bool found = false;
    for (const auto d : defaulted_members<T>::names) found = found || d == o;
    if (!found) return false;
  }
  return true;
}
}  // namespace detail

/// Reads, writes or checks one C++ type. Specialise for types that are not described structs or
/// enums. A specialisation provides
/// `static bool read(const boost::json::value&, T&, read_error&)`,
/// `static void write(std::string&, const T&)` and, for a type that may be checked (every type
/// an event holds), `static bool check(const T&, read_error&)`: false, filling `e` as `read`
/// would, exactly when `read` refuses what `write` makes of the value. A type whose writer can write `null` (a
/// non-finite number, an unnamed enum value) also provides `static bool writes_null(const T&)`:
/// an optional holding such a value reads back as absent.
template <class T, class Enable = void>
struct codec;

/// A string as kap's messages quote it: JSON-escaped in double quotes, cut to 40 bytes with "..."
/// (`"doctor"`, `"a-very-long-...`). For messages about input that may be a code; free text is
/// not echoed at all.
[[nodiscard]] KAP_JSON_EXPORT std::string quote_for_message(std::string_view s);

namespace detail {

/// The name of a JSON kind, for messages ("a string", "an object").
[[nodiscard]] KAP_JSON_EXPORT std::string_view kind_name(boost::json::kind k) noexcept;
/// The name of a JSON value's kind, for messages ("a string", "an object").
[[nodiscard]] inline std::string_view kind_name(const boost::json::value& v) noexcept { return kind_name(v.kind()); }
/// True when `s` is UTF-8 that the JSON parser accepts inside a string (Boost.JSON's rule: no
/// stray continuation bytes, overlong forms, surrogates, code points over U+10FFFF or cut
/// sequences). `writer::string` copies other bytes as they are, so the parser refuses the text.
[[nodiscard]] KAP_JSON_EXPORT bool valid_utf8(std::string_view s) noexcept;
/// "a role name", "an event type name": what an unknown name in a code field is not, for a
/// message that does not echo it.
[[nodiscard]] inline std::string a_or_an_name(std::string_view type) {
  const bool vowel = !type.empty() && std::string_view("aeiou").find(type.front()) != std::string_view::npos;
  return std::string(vowel ? "an " : "a ") + std::string(type) + " name";
}
/// Prepends a JSON pointer segment (escaping ~ and /) to e.path.
KAP_JSON_EXPORT void prepend_key(read_error& e, std::string_view key);
/// Prepends an array index to e.path.
KAP_JSON_EXPORT void prepend_index(read_error& e, std::size_t i);

inline bool fail(read_error& e, errc code, std::string text) {
  e.code = code;
  e.text = std::move(text);
  return false;
}

inline bool expected(read_error& e, std::string_view what, boost::json::kind got) {
  return fail(e, errc::wrong_type, "expected " + std::string(what) + ", got " + std::string(kind_name(got)));
}

inline bool expected(read_error& e, std::string_view what, const boost::json::value& v) {
  return expected(e, what, v.kind());
}

/// The parser's rule on the text of a string or key, for `check`: invalid UTF-8 is
/// `errc::parse_error` (the caller takes the message, which names a byte, from the parser).
inline bool check_text(std::string_view s, read_error& e) {
  if (valid_utf8(s)) return true;
  return fail(e, errc::parse_error, "invalid UTF-8");
}

template <class T>
constexpr std::string_view short_type_name() noexcept {
#if defined(__clang__) || defined(__GNUC__)
  constexpr std::string_view f = __PRETTY_FUNCTION__;
  constexpr auto start = f.find("T = ") + 4;
  constexpr auto end = f.find_first_of(";]", start);
  constexpr auto full = f.substr(start, end - start);
  constexpr auto colon = full.rfind("::");
  return colon == std::string_view::npos ? full : full.substr(colon + 2);
#else
  return "value";
#endif
}

template <class T>
struct is_optional : std::false_type {};
template <class T>
struct is_optional<std::optional<T>> : std::true_type {};

template <class T>
struct is_vector : std::false_type {};
template <class T, class A>
struct is_vector<std::vector<T, A>> : std::true_type {};

template <class T>
struct is_string_map : std::false_type {};
template <class T, class C, class A>
struct is_string_map<std::map<std::string, T, C, A>> : std::true_type {};

template <class T>
constexpr bool is_described_struct =
    boost::describe::has_describe_members<T>::value && !std::is_union_v<T>;

template <class T>
using members_of = boost::describe::describe_members<T, boost::describe::mod_public | boost::describe::mod_inherited>;

}  // namespace detail

/// Reads `v` into `out`; on failure fills `e` and returns false.
template <class T>
bool read(const boost::json::value& v, T& out, read_error& e);

/// Appends the JSON text of `x` to `out`.
template <class T>
void write(std::string& out, const T& x);

/// True when `read` accepts the text `write` makes of `x`; otherwise fills `e` (code, path,
/// text) as `read` would and returns false. Writes and parses nothing; allocates only to fail.
template <class T>
bool check(const T& x, read_error& e);

namespace detail {
/// True when `x` is written as `null`, which the reader of an optional takes as absent.
template <class T>
bool writes_null(const T& x) noexcept {
  if constexpr (requires { codec<T>::writes_null(x); }) {
    return codec<T>::writes_null(x);
  } else {
    return false;
  }
}
}  // namespace detail

}  // namespace kap::json
