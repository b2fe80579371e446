#pragma once

/// @file
/// The codecs of scalars: bool, strings, integers, doubles, quantities, ids, timestamps,
/// durations and described enums. Part of kap/json/codec.hpp, which documents the codec.

#include <kap/json/codec_base.hpp>

namespace kap::json {

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

}  // namespace kap::json
