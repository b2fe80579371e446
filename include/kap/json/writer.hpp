#pragma once

/// @file
/// `kap::json::writer`: compact JSON appended to a `std::string`, one token at a time.
///
/// Why kap has its own writer: the JSON kap stores and exports is canonical, and its bytes
/// matter. The journal hashes each stored event and decision, so a string escaped another way
/// or a number printed another way would break the verification of existing journals; FHIR
/// bundles and the codec's output are compared byte for byte by tests. One writer holds those
/// rules, and every JSON text kap makes (the codec in kap/json/codec.hpp, journal decisions,
/// FHIR bundles) goes through it:
///
/// - strings: `"` and `\` are escaped, control characters below U+0020 are written as `\n`,
///   `\r`, `\t`, `\b`, `\f` or `\u00XX` (lower-case hex); every other byte, UTF-8 included, is
///   copied as it is (the writer does not judge UTF-8: the parser refuses invalid UTF-8, and
///   `json::check` tells beforehand);
/// - numbers: integers in decimal; a double as the shortest text that reads back to the same
///   value (`std::to_chars`: `50.5`, `0.1`, `-0`, `1e+300`), `null` when it is not finite;
/// - no spaces or line breaks anywhere.
///
/// The writer puts the commas in by itself: it remembers only whether the last thing written
/// was a whole value, so it needs no stack and never allocates on its own. It does not check
/// that the calls make well-formed JSON (a key outside an object, an object never closed):
/// the caller writes a structure, the writer spells it.
///
/// @code
/// std::string out;
/// kap::json::writer w(out);
/// w.begin_object();
/// w.key("id");
/// w.string("e-0007");
/// w.key("mg");
/// w.number(40.5);
/// w.key("tags");
/// w.begin_array();
/// w.string("a");
/// w.string("b");
/// w.end_array();
/// w.end_object();
/// // out == R"({"id":"e-0007","mg":40.5,"tags":["a","b"]})"
/// @endcode
///
/// Thread safety: a writer and its string are used by one thread at a time, as the string
/// alone would be.

#include <kap/json_export.hpp>

#include <cstdint>
#include <string>
#include <string_view>

namespace kap::json {

/// Appends compact JSON to a `std::string`, adding the commas between values itself.
///
/// The writer refers to the string it was made with; the string must outlive it. Writing into
/// a string that already holds text appends after that text (the first value gets no comma).
///
/// @par Exception safety
/// Every function that appends may throw what `std::string` throws when it grows
/// (`std::bad_alloc`, `std::length_error`); the string may then hold part of the token (basic
/// guarantee). Nothing else throws.
class writer {
 public:
  /// A writer that appends to `out`.
  /// @param out the string to append to; it must outlive the writer
  /// @par Complexity
  /// Constant.
  explicit writer(std::string& out) noexcept : out_(&out) {}

  /// Opens an object: `{`, after a comma if one is due.
  /// @par Complexity
  /// Constant (amortised).
  void begin_object() {
    separate();
    out_->push_back('{');
    after_value_ = false;
  }

  /// Closes the innermost open object: `}`.
  /// @par Complexity
  /// Constant (amortised).
  void end_object() {
    out_->push_back('}');
    after_value_ = true;
  }

  /// Opens an array: `[`, after a comma if one is due.
  /// @par Complexity
  /// Constant (amortised).
  void begin_array() {
    separate();
    out_->push_back('[');
    after_value_ = false;
  }

  /// Closes the innermost open array: `]`.
  /// @par Complexity
  /// Constant (amortised).
  void end_array() {
    out_->push_back(']');
    after_value_ = true;
  }

  /// Writes an object member's key, escaped as `string` escapes, and its `:`; the member's
  /// value comes next.
  /// @param k the key, written as its bytes are (UTF-8 is passed through)
  /// @par Complexity
  /// Linear in `k.size()`.
  KAP_JSON_EXPORT void key(std::string_view k);

  /// Writes a string value: quoted, with `"`, `\` and control characters escaped (see the file
  /// comment); other bytes, UTF-8 included, are copied unchanged.
  /// @param s the text
  /// @par Complexity
  /// Linear in `s.size()`.
  KAP_JSON_EXPORT void string(std::string_view s);

  /// Writes a signed integer in decimal (`-42`, `-9223372036854775808`).
  /// @param v the value
  /// @par Complexity
  /// Constant.
  KAP_JSON_EXPORT void int64(std::int64_t v);

  /// Writes an unsigned integer in decimal (`18446744073709551615`).
  /// @param v the value
  /// @par Complexity
  /// Constant.
  KAP_JSON_EXPORT void uint64(std::uint64_t v);

  /// Writes a double as the shortest text that reads back to the same value (`50.5`, `100`,
  /// `-0`, `1e+300`), or `null` when `v` is a NaN or an infinity (JSON has no such numbers).
  /// @param v the value
  /// @par Complexity
  /// Constant.
  KAP_JSON_EXPORT void number(double v);

  /// Writes `true` or `false`.
  /// @param v the value
  /// @par Complexity
  /// Constant (amortised).
  void boolean(bool v) {
    separate();
    out_->append(v ? "true" : "false");
    after_value_ = true;
  }

  /// Writes `null`.
  /// @par Complexity
  /// Constant (amortised).
  void null() {
    separate();
    out_->append("null");
    after_value_ = true;
  }

  /// Writes one value that is already JSON text, as it is (the writer does not check it).
  /// @param json_text one complete JSON value, such as `[1,2]` or `"x"`
  /// @par Complexity
  /// Linear in `json_text.size()`.
  void raw(std::string_view json_text) { raw_value().append(json_text); }

  /// Starts one value that the caller appends to the returned string itself, already encoded
  /// (for code that writes JSON into a `std::string`, such as `json::write`): writes the comma
  /// if one is due and counts the value as written. The caller must append exactly one
  /// complete value before using the writer again.
  /// @return the string this writer appends to
  /// @par Complexity
  /// Constant (amortised).
  [[nodiscard]] std::string& raw_value() {
    separate();
    after_value_ = true;
    return *out_;
  }

 private:
  // A comma goes before a value or key that follows a whole value in the same container.
  void separate() {
    if (after_value_) out_->push_back(',');
  }

  std::string* out_;
  bool after_value_ = false;  // the last thing written was a complete value
};

}  // namespace kap::json
