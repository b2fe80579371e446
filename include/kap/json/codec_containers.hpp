#pragma once

/// @file
/// The codecs of containers: optionals, vectors and string-keyed maps. Part of kap/json/codec.hpp, which documents the codec.

#include <kap/json/codec_base.hpp>

namespace kap::json {

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

}  // namespace kap::json
