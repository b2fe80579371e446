#pragma once

/// @file
/// kap's one error vocabulary.
///
/// Every expected failure in kap - a malformed file, an out-of-range item, a rejected event - is
/// a value: a `kap::error` holding one `kap::errc` and a message that names the offending JSON
/// path or item. `kap::errc` is registered as a `std::error_code` enum with its own category, in
/// the way Boost.JSON registers its `error`, so a host can put a kap failure next to its other
/// error codes (and Boost.System's `error_code` converts from it). `kap::condition` groups the
/// codes coarsely, for hosts that only want to know "bad input" versus "rejected by the
/// protocol" versus "storage".
///
/// Why std and not Boost.System here: including Boost.System's headers costs about 0.45 s per
/// translation unit on the reference machine, more than everything else in `kap/kap.hpp`.

#include <string>
#include <system_error>
#include <string_view>
#include <type_traits>
#include <utility>

namespace kap {

/// Every way a kap call can fail. Never renumber or remove a released enumerator; only add.
enum class errc : int {
  // -- input (decoding and validating values) --
  parse_error = 1,      ///< the text is not well-formed (JSON syntax, number syntax)
  wrong_type,           ///< a value has the wrong JSON type
  missing_field,        ///< a required field is absent
  unknown_field,        ///< a field the schema does not define is present
  unknown_enum,         ///< a name that is not one of the enumeration's names
  out_of_range,         ///< a number outside its allowed range
  invalid_quantity,     ///< a negative or non-finite physical quantity
  invalid_timestamp,    ///< a string that is not a strict RFC 3339 timestamp
  invalid_id,           ///< an identifier that is empty, too long or has forbidden characters
  unsupported_schema,   ///< a persisted root with an unknown format or major version
  too_large,            ///< an input over a documented size or depth limit
  // -- measures --
  unknown_instrument,   ///< an instrument id not in the catalogue
  wrong_item_count,     ///< the number of item answers does not match the instrument
  item_out_of_range,    ///< an item answer outside the item's range or not a valid answer
  missing_item,         ///< an item answer is missing and no prorating rule was requested
  // -- protocol and session --
  invalid_protocol,     ///< a protocol definition fails validation
  unauthorized,         ///< the actor's role may not record this event
  requirement_unmet,    ///< a requirement of the protocol does not hold
  invalid_transition,   ///< the protocol does not allow this phase change
  dose_limit,           ///< a dose would exceed a limit of the protocol
  out_of_order,         ///< an event is earlier than the session's last event
  duplicate,            ///< an event id already applied, with the same content
  conflicting_duplicate,///< an event id already applied, with different content
  session_closed,       ///< the session has reached a terminal phase
  excluded,             ///< screening excluded the subject
  unknown_session,      ///< no session with this id
  // -- storage --
  io_error,             ///< the operating system or the database failed an operation
  corrupt,              ///< a stored file or record is damaged
  tampered,             ///< a stored record does not match its hash chain
  protocol_mismatch,    ///< a stored session runs under a different protocol than offered
  // -- added later: new codes go at the end, so that no code's value changes --
  unknown_protocol,     ///< a protocol name that is neither a file nor a reference protocol
};

/// Coarse groups of `errc`, for hosts that branch on the kind of failure only.
enum class condition : int {
  bad_input = 1,  ///< the input was read and found invalid (kapctl exits 1)
  rejected,       ///< the protocol rejected an otherwise valid event (kapctl exits 1)
  storage,        ///< a store failed or holds damaged data
};

/// The short name of a code, e.g. "requirement_unmet" - the name used in JSON output.
[[nodiscard]] constexpr std::string_view to_string(errc e) noexcept {
  switch (e) {
    case errc::parse_error: return "parse_error";
    case errc::wrong_type: return "wrong_type";
    case errc::missing_field: return "missing_field";
    case errc::unknown_field: return "unknown_field";
    case errc::unknown_enum: return "unknown_enum";
    case errc::out_of_range: return "out_of_range";
    case errc::invalid_quantity: return "invalid_quantity";
    case errc::invalid_timestamp: return "invalid_timestamp";
    case errc::invalid_id: return "invalid_id";
    case errc::unsupported_schema: return "unsupported_schema";
    case errc::too_large: return "too_large";
    case errc::unknown_instrument: return "unknown_instrument";
    case errc::wrong_item_count: return "wrong_item_count";
    case errc::item_out_of_range: return "item_out_of_range";
    case errc::missing_item: return "missing_item";
    case errc::invalid_protocol: return "invalid_protocol";
    case errc::unauthorized: return "unauthorized";
    case errc::requirement_unmet: return "requirement_unmet";
    case errc::invalid_transition: return "invalid_transition";
    case errc::dose_limit: return "dose_limit";
    case errc::out_of_order: return "out_of_order";
    case errc::duplicate: return "duplicate";
    case errc::conflicting_duplicate: return "conflicting_duplicate";
    case errc::session_closed: return "session_closed";
    case errc::excluded: return "excluded";
    case errc::unknown_session: return "unknown_session";
    case errc::io_error: return "io_error";
    case errc::corrupt: return "corrupt";
    case errc::tampered: return "tampered";
    case errc::protocol_mismatch: return "protocol_mismatch";
    case errc::unknown_protocol: return "unknown_protocol";
  }
  return "unknown";
}

/// The condition a code belongs to.
[[nodiscard]] constexpr condition condition_of(errc e) noexcept {
  switch (e) {
    case errc::unauthorized:
    case errc::requirement_unmet:
    case errc::invalid_transition:
    case errc::dose_limit:
    case errc::out_of_order:
    case errc::duplicate:
    case errc::conflicting_duplicate:
    case errc::session_closed:
    case errc::excluded:
      return condition::rejected;
    case errc::io_error:
    case errc::corrupt:
    case errc::tampered:
    case errc::protocol_mismatch:
      return condition::storage;
    default:
      return condition::bad_input;
  }
}

namespace detail {

class errc_category final : public std::error_category {
 public:
  const char* name() const noexcept override { return "kap"; }
  std::string message(int ev) const override { return std::string(to_string(static_cast<errc>(ev))); }
  std::error_condition default_error_condition(int ev) const noexcept override;
};

class condition_category final : public std::error_category {
 public:
  const char* name() const noexcept override { return "kap.condition"; }
  std::string message(int ev) const override {
    switch (static_cast<condition>(ev)) {
      case condition::bad_input: return "bad input";
      case condition::rejected: return "rejected by the protocol";
      case condition::storage: return "storage failure";
    }
    return "unknown";
  }
};

}  // namespace detail

/// The category of `kap::errc` values (name "kap").
[[nodiscard]] inline const std::error_category& kap_category() noexcept {
  static const detail::errc_category instance;
  return instance;
}

/// The category of `kap::condition` values (name "kap.condition").
[[nodiscard]] inline const std::error_category& kap_condition_category() noexcept {
  static const detail::condition_category instance;
  return instance;
}

inline std::error_condition detail::errc_category::default_error_condition(int ev) const noexcept {
  return {static_cast<int>(condition_of(static_cast<errc>(ev))), kap_condition_category()};
}

/// Makes an error_code from a kap code (found by ADL).
[[nodiscard]] inline std::error_code make_error_code(errc e) noexcept {
  return {static_cast<int>(e), kap_category()};
}

/// Makes an error_condition from a kap condition (found by ADL).
[[nodiscard]] inline std::error_condition make_error_condition(condition c) noexcept {
  return {static_cast<int>(c), kap_condition_category()};
}

/// An expected failure: a code and a sentence naming what failed and where.
///
/// The message names the JSON path or item (`/actor/role: unknown role "doctor"`,
/// `item 4: 7 is outside 0-3`) and never contains free text the caller supplied beyond
/// the offending token, truncated, so that it is safe to log.
struct error {
  errc code{};          ///< what kind of failure
  std::string message;  ///< a sentence for people, naming the path or item

  /// The code as a std::error_code (category "kap").
  [[nodiscard]] std::error_code ec() const noexcept { return make_error_code(code); }

  friend bool operator==(const error&, const error&) = default;
};

/// Makes an error from a code and a message.
[[nodiscard]] inline error make_error(errc code, std::string message) {
  return error{code, std::move(message)};
}

}  // namespace kap

template <>
struct std::is_error_code_enum<kap::errc> : std::true_type {};

template <>
struct std::is_error_condition_enum<kap::condition> : std::true_type {};
