#pragma once

/// @file
/// JSON for events: the envelope, `"type"`, and the payload's fields in one flat object, as in
/// docs/events.md:
///
///     {"id":"e-0007","session":"S-0001","at":"2026-11-26T10:15:00Z",
///      "actor":{"id":"N-7","role":"nurse","licensed":true},
///      "type":"vitals","systolic":132,"diastolic":84,"heart_rate":78,"spo2":98}
///
/// Reading is strict: a missing or unknown `type`, a field that is neither an envelope field nor
/// one of the payload's, and every error of the payload's fields name their path.

#include <kap/json/codec.hpp>
#include <kap/events/event.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace kap::json {

/// An item answer is a JSON integer (`2`) or a short string token (`"1a"`, `"y"`, `"-"`), at most
/// 16 characters either way (an integer's decimal digits and sign count).
template <>
struct codec<item_answer> {
  /// Reads `v` into `out`; on failure fills `e` (code, path, text) and returns false.
  static bool read(const boost::json::value& v, item_answer& out, read_error& e) {
    if (v.is_int64() || v.is_uint64()) {
      // The same limit as for a string: the canonical form writes long answers as strings.
      std::string text = v.is_int64() ? std::to_string(v.get_int64()) : std::to_string(v.get_uint64());
      if (!short_enough(text, e)) return false;
      out.text = std::move(text);
      return true;
    }
    if (v.is_string()) {
      const std::string_view text(v.get_string().data(), v.get_string().size());
      if (!short_enough(text, e)) return false;
      out.text.assign(text);
      return true;
    }
    return detail::expected(e, "an integer or a string", v);
  }
  /// Appends `x` to `out` as JSON.
  static void write(std::string& out, const item_answer& x) {
    const bool number = !x.text.empty() && x.text.size() < 10 &&
                        x.text.find_first_not_of("0123456789") == std::string::npos &&
                        (x.text.size() == 1 || x.text[0] != '0');
    if (number) {
      writer(out).raw(x.text);
    } else {
      writer(out).string(x.text);
    }
  }
  /// An answer reads back when it is at most 16 characters of valid UTF-8 (one written as a
  /// number has at most 9 digits, and reads back as the same text).
  static bool check(const item_answer& x, read_error& e) {
    return detail::check_text(x.text, e) && short_enough(x.text, e);
  }

 private:
  static bool short_enough(std::string_view text, read_error& e) {
    if (text.size() > 16) return detail::fail(e, errc::out_of_range, "an item answer is at most 16 characters");
    return true;
  }
};

template <>
struct codec<event> {
  /// Reads `v` into `out`; on failure fills `e` (code, path, text) and returns false.
  KAP_JSON_EXPORT static bool read(const boost::json::value& v, event& out, read_error& e);
  /// Appends `x` to `out` as JSON.
  KAP_JSON_EXPORT static void write(std::string& out, const event& x);
  /// True when `read` accepts what `write` makes of `x` (the envelope's members, then the
  /// payload's, as `read` reads them); otherwise fills `e` as `read` would and returns false.
  KAP_JSON_EXPORT static bool check(const event& x, read_error& e);
};

/// Reads one event from JSON text (one line of a .jsonl file). Text over `limits` (by default
/// `event_read_limits`: 64 KiB, depth 32, strings of 8 KiB) is refused with `errc::too_large`.
[[nodiscard]] KAP_JSON_EXPORT result<event> read_event(std::string_view text,
                                                       const read_limits& limits = event_read_limits);
/// The limits kap reads its own stored events back under (the journal's rows, and the events
/// FHIR export checks): 16 MiB, depth 64, strings up to 16 MiB. An event built in C++ is not
/// bound by the wire limits, so these judge its values, not its size.
inline constexpr read_limits stored_event_limits{std::size_t{16} << 20, 64, std::size_t{16} << 20};

/// Writes one event as canonical JSON (envelope, type, payload; no spaces).
[[nodiscard]] KAP_JSON_EXPORT std::string write_event(const event& e);

/// Checks that an event built in C++ reads back, without writing or parsing it: refuses, with the
/// code and message `read_event(write_event(e), stored_event_limits)` gives, every event that
/// reader refuses - a NaN or infinite amount or an enum value without a name (written as `null`:
/// `wrong_type`, `/mg: expected a number, got null`), a negative amount (`invalid_quantity`),
/// negative intervention minutes (`out_of_range`), an instant outside the years 0000-9999
/// (`invalid_timestamp`), an invalid id (`invalid_id`), an item answer over 16 characters
/// (`out_of_range`), invalid UTF-8 in a string or key (`parse_error`, the parser's message with
/// its byte offset). An optional amount or enum written as `null` reads back as absent, so it
/// passes. Size is the one thing not judged: a caller that keeps the written text compares its
/// length with `stored_event_limits.max_bytes` (within that, no other limit of
/// `stored_event_limits` can refuse an event, which nests two deep).
///
/// The rules are the readers' own (each codec's `check`, kap/json/codec.hpp); only to refuse an
/// event does this write it, to take the parser's verdict on the text first, as the reader does.
/// @param e the event
/// @return success, or the reader's error: `wrong_type`, `invalid_quantity`, `out_of_range`,
///         `invalid_timestamp`, `invalid_id` or `parse_error`
/// Complexity: linear in the size of the event; allocates nothing when the event passes.
[[nodiscard]] KAP_JSON_EXPORT result<void> check_event(const event& e);

/// One line of a .jsonl file: the event, or the error that line gave.
struct jsonl_line {
  std::size_t line = 0;     ///< 1-based line number
  result<kap::event> event;  ///< the event, or why the line could not be read
};

/// Reads a JSON Lines text of events; blank lines are skipped. Errors are per line and name it
/// ("line 3: /actor/role: unknown role \"doctor\""); reading goes on after a bad line.
/// `limits` apply to each line; the text as a whole is as long as the caller allows.
[[nodiscard]] KAP_JSON_EXPORT std::vector<jsonl_line> read_events_jsonl(std::string_view text,
                                                                        const read_limits& limits = event_read_limits);

}  // namespace kap::json
