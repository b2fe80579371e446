#pragma once

/// @file
/// Identifiers that do not mix: a session id cannot be passed where a subject id is expected.
///
/// Ids are short opaque strings chosen by the host: 1-64 characters from `A-Z a-z 0-9 . _ : -`.
/// A subject id is always a pseudonym; kap never stores a name, a birth date or a record number
/// that the host did not already pseudonymise, and the character set keeps free text out.
/// Construction from a string is checked (`basic_id::make`); the constructor taking a string is
/// explicit and assumes the caller checked (tests and literals).

#include <kap/core/result.hpp>

#include <compare>
#include <cstddef>
#include <string>
#include <string_view>
#include <utility>

namespace kap {

/// The longest id kap accepts.
inline constexpr std::size_t max_id_length = 64;

/// A strong string id. `Tag` names the kind of thing it identifies.
template <class Tag>
class basic_id {
 public:
  basic_id() = default;
  /// Wraps a string without checking it (see `make`).
  explicit basic_id(std::string v) : v_(std::move(v)) {}

  /// Checks and wraps a string.
  /// @param v the text
  /// @return the id, or `errc::invalid_id` when it is empty, longer than 64 characters or
  ///         contains a character outside `A-Z a-z 0-9 . _ : -`
  [[nodiscard]] static result<basic_id> make(std::string_view v) {
    if (auto why = check(v); !why.empty()) {
      return error{errc::invalid_id, std::string(Tag::name) + " id " + std::string(why)};
    }
    return basic_id{std::string(v)};
  }

  /// Why `v` is not a valid id, or an empty view when it is.
  [[nodiscard]] static std::string_view check(std::string_view v) noexcept {
    if (v.empty()) return "must not be empty";
    if (v.size() > max_id_length) return "must be at most 64 characters";
    for (const char c : v) {
      const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' ||
                      c == '_' || c == ':' || c == '-';
      if (!ok) return "may only contain A-Z a-z 0-9 . _ : -";
    }
    return {};
  }

  /// The id's text.
  [[nodiscard]] const std::string& str() const noexcept { return v_; }
  /// True when the id is not empty.
  [[nodiscard]] bool empty() const noexcept { return v_.empty(); }

  friend auto operator<=>(const basic_id&, const basic_id&) = default;
  friend bool operator==(const basic_id&, const basic_id&) = default;

 private:
  std::string v_;
};

namespace tags {
/// Tag of `session_id`.
struct session { static constexpr std::string_view name = "session"; };
/// Tag of `subject_id`.
struct subject { static constexpr std::string_view name = "subject"; };
/// Tag of `event_id`.
struct event { static constexpr std::string_view name = "event"; };
/// Tag of `protocol_id`.
struct protocol { static constexpr std::string_view name = "protocol"; };
/// Tag of `actor_id`.
struct actor { static constexpr std::string_view name = "actor"; };
}  // namespace tags

using session_id = basic_id<tags::session>;    ///< one session of one subject
using subject_id = basic_id<tags::subject>;    ///< a pseudonymous patient id
using event_id = basic_id<tags::event>;        ///< one recorded event
using protocol_id = basic_id<tags::protocol>;  ///< a protocol definition
using actor_id = basic_id<tags::actor>;        ///< a member of staff, the patient, or the system

/// True for the id types above.
template <class T>
concept Id = requires(const T& t) {
  { t.str() } -> std::convertible_to<const std::string&>;
  { T::make(std::string_view{}) };
};

}  // namespace kap

template <class Tag>
struct std::hash<kap::basic_id<Tag>> {
  /// Hashes an id as its text, so ids can key unordered containers.
  std::size_t operator()(const kap::basic_id<Tag>& id) const noexcept { return std::hash<std::string>{}(id.str()); }
};
