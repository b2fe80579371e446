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

namespace detail {

/// The name of a JSON kind, for messages ("a string", "an object").
[[nodiscard]] KAP_JSON_EXPORT std::string_view kind_name(boost::json::kind k) noexcept;
/// The name of a JSON value's kind, for messages ("a string", "an object").
[[nodiscard]] inline std::string_view kind_name(const boost::json::value& v) noexcept { return kind_name(v.kind()); }
/// True when `s` is UTF-8 that the JSON parser accepts inside a string (Boost.JSON's rule: no
/// stray continuation bytes, overlong forms, surrogates, code points over U+10FFFF or cut
/// sequences). `writer::string` copies other bytes as they are, so the parser refuses the text.
[[nodiscard]] KAP_JSON_EXPORT bool valid_utf8(std::string_view s) noexcept;
/// A string quoted for a message, cut to 40 characters.
[[nodiscard]] KAP_JSON_EXPORT std::string quote_for_message(std::string_view s);
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

// --- scalars ---------------------------------------------------------------------------------

template <>
struct codec<bool> {
  /// Reads `v` into `out`; on failure fills `e` (code, path, text) and returns false.
  static bool read(const boost::json::value& v, bool& out, read_error& e) {
    if (!v.is_bool()) return detail::expected(e, "a boolean", v);
    out = v.get_bool();
    return true;
  }
  /// Appends `x` to `out` as JSON.
  static void write(std::string& out, bool x) { writer(out).boolean(x); }
  /// Every boolean reads back.
  static bool check(bool, read_error&) noexcept { return true; }
};

template <>
struct codec<std::string> {
  /// Reads `v` into `out`; on failure fills `e` (code, path, text) and returns false.
  static bool read(const boost::json::value& v, std::string& out, read_error& e) {
    if (!v.is_string()) return detail::expected(e, "a string", v);
    out.assign(v.get_string().data(), v.get_string().size());
    return true;
  }
  /// Appends `x` to `out` as a JSON string.
  static void write(std::string& out, const std::string& x) { writer(out).string(x); }
  /// Any string reads back, if it is valid UTF-8 (the parser's rule).
  static bool check(const std::string& x, read_error& e) { return detail::check_text(x, e); }
};

template <class T>
struct codec<T, std::enable_if_t<std::is_integral_v<T> && !std::is_same_v<T, bool>>> {
  /// Reads `v` into `out`; on failure fills `e` (code, path, text) and returns false.
  static bool read(const boost::json::value& v, T& out, read_error& e) {
    using lim = std::numeric_limits<T>;
    if (v.is_int64()) {
      const std::int64_t x = v.get_int64();
      if constexpr (std::is_signed_v<T>) {
        if (x < static_cast<std::int64_t>(lim::min()) || x > static_cast<std::int64_t>(lim::max())) {
          return range_error(e, std::to_string(x));
        }
      } else {
        if (x < 0 || static_cast<std::uint64_t>(x) > static_cast<std::uint64_t>(lim::max())) {
          return range_error(e, std::to_string(x));
        }
      }
      out = static_cast<T>(x);
      return true;
    }
    if (v.is_uint64()) {
      const std::uint64_t x = v.get_uint64();
      if (x > static_cast<std::uint64_t>(lim::max())) return range_error(e, std::to_string(x));
      out = static_cast<T>(x);
      return true;
    }
    if (v.is_double()) {
      const double d = v.get_double();
      if (!std::isfinite(d) || std::trunc(d) != d) {
        return detail::fail(e, errc::wrong_type, "expected an integer, got a fractional number");
      }
      if (d < static_cast<double>(lim::min()) || d > static_cast<double>(lim::max())) {
        std::string s;
        writer(s).number(d);
        return range_error(e, s);
      }
      out = static_cast<T>(d);
      return true;
    }
    return detail::expected(e, "an integer", v);
  }
  /// Appends `x` to `out` as JSON.
  static void write(std::string& out, T x) {
    if constexpr (std::is_signed_v<T>) {
      writer(out).int64(static_cast<std::int64_t>(x));
    } else {
      writer(out).uint64(static_cast<std::uint64_t>(x));
    }
  }
  /// Every value of T is written as an integer within T's range, so it reads back.
  static bool check(T, read_error&) noexcept { return true; }

 private:
  static bool range_error(read_error& e, const std::string& shown) {
    return detail::fail(e, errc::out_of_range,
                        shown + " is outside " + std::to_string(std::numeric_limits<T>::min()) + "-" +
                            std::to_string(std::numeric_limits<T>::max()));
  }
};

namespace detail {
/// What a reader of a number expects, for messages.
inline constexpr std::string_view a_number = "a number";
}  // namespace detail

/// Reads any JSON number as a double; refuses non-finite values.
inline bool read_number(const boost::json::value& v, double& out, read_error& e) {
  if (v.is_double()) {
    out = v.get_double();
  } else if (v.is_int64()) {
    out = static_cast<double>(v.get_int64());
  } else if (v.is_uint64()) {
    out = static_cast<double>(v.get_uint64());
  } else {
    return detail::expected(e, detail::a_number, v);
  }
  if (!std::isfinite(out)) return detail::fail(e, errc::out_of_range, "number is not finite");
  return true;
}

template <>
struct codec<double> {
  /// Reads `v` into `out`; on failure fills `e` (code, path, text) and returns false.
  static bool read(const boost::json::value& v, double& out, read_error& e) { return read_number(v, out, e); }
  /// Appends `x` to `out` as JSON (`null` when not finite).
  static void write(std::string& out, double x) { writer(out).number(x); }
  /// True when `x` is written as `null` (NaN, infinities; `writer::number`'s rule).
  static bool writes_null(double x) noexcept { return !kap::detail::is_finite(x); }
  /// A finite number reads back; `null` is not a number to `read`.
  static bool check(double x, read_error& e) {
    return !writes_null(x) || detail::expected(e, detail::a_number, boost::json::kind::null);
  }
};

// --- kap core types --------------------------------------------------------------------------

template <class Tag>
struct codec<quantity<Tag>> {
  /// Reads `v` into `out`; on failure fills `e` (code, path, text) and returns false.
  static bool read(const boost::json::value& v, quantity<Tag>& out, read_error& e) {
    double d = 0;
    if (!read_number(v, d, e)) {
      if (e.code == errc::out_of_range) {
        return detail::fail(e, errc::invalid_quantity, std::string(Tag::symbol) + " value is not finite");
      }
      return false;
    }
    if (!not_negative(d, e)) return false;
    out = quantity<Tag>{d};
    return true;
  }
  /// Appends `x` to `out` as JSON (`null` when not finite).
  static void write(std::string& out, quantity<Tag> x) { writer(out).number(x.count()); }
  /// True when `x` is written as `null`.
  static bool writes_null(quantity<Tag> x) noexcept { return codec<double>::writes_null(x.count()); }
  /// A finite amount reads back unless it is negative; a non-finite one is written as `null`.
  static bool check(quantity<Tag> x, read_error& e) {
    if (writes_null(x)) return codec<double>::check(x.count(), e);
    return not_negative(x.count(), e);
  }

 private:
  static bool not_negative(double d, read_error& e) {
    if (d < 0) {
      return detail::fail(e, errc::invalid_quantity, std::string(Tag::symbol) + " value must not be negative");
    }
    return true;
  }
};

template <class Tag>
struct codec<basic_id<Tag>> {
  /// Reads `v` into `out`; on failure fills `e` (code, path, text) and returns false.
  static bool read(const boost::json::value& v, basic_id<Tag>& out, read_error& e) {
    if (!v.is_string()) return detail::expected(e, "a string", v);
    const std::string_view s(v.get_string().data(), v.get_string().size());
    if (!valid(s, e)) return false;
    out = basic_id<Tag>{std::string(s)};
    return true;
  }
  /// Appends `x` to `out` as a JSON string.
  static void write(std::string& out, const basic_id<Tag>& x) { writer(out).string(x.str()); }
  /// A valid id reads back (it is ASCII, so valid UTF-8 too).
  static bool check(const basic_id<Tag>& x, read_error& e) { return valid(x.str(), e); }

 private:
  static bool valid(std::string_view s, read_error& e) {
    if (auto why = basic_id<Tag>::check(s); !why.empty()) {
      return detail::fail(e, errc::invalid_id, std::string(Tag::name) + " id " + std::string(why));
    }
    return true;
  }
};

template <>
struct codec<timestamp> {
  /// Reads `v` into `out`; on failure fills `e` (code, path, text) and returns false.
  static bool read(const boost::json::value& v, timestamp& out, read_error& e) {
    if (!v.is_string()) return detail::expected(e, "an RFC 3339 timestamp string", v);
    auto r = parse_rfc3339(std::string_view(v.get_string().data(), v.get_string().size()));
    if (!r) return refused(std::move(r).error(), e);
    out = *r;
    return true;
  }
  /// Appends `x` to `out` as JSON.
  static void write(std::string& out, timestamp x) { writer(out).string(format_rfc3339(x)); }
  /// An instant in the years 0000-9999 reads back; for any other, the reader's verdict on the
  /// text the writer makes of it (only then is text made).
  static bool check(timestamp x, read_error& e) {
    if (rfc3339_representable(x)) return true;
    auto r = parse_rfc3339(format_rfc3339(x));
    return r.has_value() || refused(std::move(r).error(), e);
  }

 private:
  static bool refused(error&& why, read_error& e) { return detail::fail(e, why.code, std::move(why.message)); }
};

template <class Rep, class Period>
struct codec<std::chrono::duration<Rep, Period>, std::enable_if_t<std::is_integral_v<Rep>>> {
  // Durations travel as whole minutes in kap's formats only through explicit fields; as a
  // generic fallback they are written in their own tick count.
  /// Reads `v` into `out`; on failure fills `e` (code, path, text) and returns false.
  static bool read(const boost::json::value& v, std::chrono::duration<Rep, Period>& out, read_error& e) {
    Rep r{};
    if (!codec<Rep>::read(v, r, e)) return false;
    if (!not_negative(r, e)) return false;
    out = std::chrono::duration<Rep, Period>{r};
    return true;
  }
  /// Appends `x` to `out` as its tick count.
  static void write(std::string& out, std::chrono::duration<Rep, Period> x) { codec<Rep>::write(out, x.count()); }
  /// A duration reads back unless it is negative.
  static bool check(std::chrono::duration<Rep, Period> x, read_error& e) {
    return codec<Rep>::check(x.count(), e) && not_negative(x.count(), e);
  }

 private:
  static bool not_negative(Rep r, read_error& e) {
    if (r < 0) return detail::fail(e, errc::out_of_range, "a duration must not be negative");
    return true;
  }
};

// --- described enums -------------------------------------------------------------------------

template <class E>
struct codec<E, std::enable_if_t<boost::describe::has_describe_enumerators<E>::value>> {
  /// Reads `v` into `out`; on failure fills `e` (code, path, text) and returns false.
  static bool read(const boost::json::value& v, E& out, read_error& e) {
    constexpr std::string_view type = detail::short_type_name<E>();
    if (!v.is_string()) return detail::expected(e, expected_text(), v);
    const std::string_view s(v.get_string().data(), v.get_string().size());
    bool found = false;
    boost::mp11::mp_for_each<boost::describe::describe_enumerators<E>>([&](auto d) {
      if (!found && s == d.name) {
        out = d.value;
        found = true;
      }
    });
    if (!found) {
      // A name shaped like a code is quoted; free text typed into the field is not echoed
      // (kap/core/detail/code_text.hpp).
      if (!kap::detail::is_code(s)) {
        return detail::fail(e, errc::unknown_enum,
                            "unknown " + std::string(type) + " (not " + detail::a_or_an_name(type) + ")");
      }
      return detail::fail(e, errc::unknown_enum, "unknown " + std::string(type) + " " + kap::detail::quoted_if_code(s));
    }
    return true;
  }
  /// Appends `x` to `out` as JSON: its name, or `null` for a value without one.
  static void write(std::string& out, E x) {
    const std::string_view name = enum_name(x);
    if (name.empty()) {
      writer(out).null();
    } else {
      writer(out).string(name);
    }
  }
  /// True when `x` is written as `null` (a value without a name).
  static bool writes_null(E x) noexcept { return enum_name(x).empty(); }
  /// A named value reads back; `null` is not a name to `read`.
  static bool check(E x, read_error& e) {
    return !writes_null(x) || detail::expected(e, expected_text(), boost::json::kind::null);
  }

 private:
  // "a role name (string)", "an alert_severity name (string)".
  static std::string expected_text() {
    constexpr std::string_view type = detail::short_type_name<E>();
    const bool vowel = std::string_view("aeiou").find(type.front()) != std::string_view::npos;
    return (vowel ? "an " : "a ") + std::string(type) + " name (string)";
  }
};

// --- containers ------------------------------------------------------------------------------

template <class T>
struct codec<std::optional<T>> {
  /// Reads `v` into `out`; on failure fills `e` (code, path, text) and returns false.
  static bool read(const boost::json::value& v, std::optional<T>& out, read_error& e) {
    if (v.is_null()) {
      out.reset();
      return true;
    }
    T x{};
    if (!json::read(v, x, e)) return false;
    out = std::move(x);
    return true;
  }
  /// Appends `x` to `out` as JSON.
  static void write(std::string& out, const std::optional<T>& x) {
    if (x) {
      json::write(out, *x);
    } else {
      writer(out).null();
    }
  }
  /// An empty optional reads back, and so does one whose value is written as `null` (a NaN
  /// amount, an unnamed enum value): `read` takes that `null` as absent.
  static bool check(const std::optional<T>& x, read_error& e) {
    if (!x || detail::writes_null(*x)) return true;
    return json::check(*x, e);
  }
};

template <class T, class A>
struct codec<std::vector<T, A>> {
  /// Reads `v` into `out`; on failure fills `e` (code, path, text) and returns false.
  static bool read(const boost::json::value& v, std::vector<T, A>& out, read_error& e) {
    if (!v.is_array()) return detail::expected(e, "an array", v);
    const auto& arr = v.get_array();
    out.clear();
    out.reserve(arr.size());
    for (std::size_t i = 0; i < arr.size(); ++i) {
      T x{};
      if (!json::read(arr[i], x, e)) {
        detail::prepend_index(e, i);
        return false;
      }
      out.push_back(std::move(x));
    }
    return true;
  }
  /// Appends `x` to `out` as JSON.
  static void write(std::string& out, const std::vector<T, A>& x) {
    writer w(out);
    w.begin_array();
    for (const auto& item : x) json::write(w.raw_value(), item);
    w.end_array();
  }
  /// Reads back when every element does; the first that does not is named by its index.
  static bool check(const std::vector<T, A>& x, read_error& e) {
    for (std::size_t i = 0; i < x.size(); ++i) {
      if (!json::check(x[i], e)) {
        detail::prepend_index(e, i);
        return false;
      }
    }
    return true;
  }
};

template <class T, class C, class A>
struct codec<std::map<std::string, T, C, A>> {
  /// Reads `v` into `out`; on failure fills `e` (code, path, text) and returns false.
  static bool read(const boost::json::value& v, std::map<std::string, T, C, A>& out, read_error& e) {
    if (!v.is_object()) return detail::expected(e, "an object", v);
    out.clear();
    for (const auto& kv : v.get_object()) {
      T x{};
      if (!json::read(kv.value(), x, e)) {
        detail::prepend_key(e, kv.key());
        return false;
      }
      out.emplace(std::string(kv.key()), std::move(x));
    }
    return true;
  }
  /// Appends `x` to `out` as JSON.
  static void write(std::string& out, const std::map<std::string, T, C, A>& x) {
    writer w(out);
    w.begin_object();
    for (const auto& [k, val] : x) {
      w.key(k);
      json::write(w.raw_value(), val);
    }
    w.end_object();
  }
  /// Reads back when every key is valid UTF-8 and every value reads back.
  static bool check(const std::map<std::string, T, C, A>& x, read_error& e) {
    for (const auto& [k, val] : x) {
      if (!detail::check_text(k, e) || !json::check(val, e)) {
        detail::prepend_key(e, k);
        return false;
      }
    }
    return true;
  }
};

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
