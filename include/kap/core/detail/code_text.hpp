#pragma once

/// @file
/// The one rule for echoing a name that came in an event: quote it only when it is shaped like a
/// code.
///
/// Events carry names in code fields (a phase id, a contraindication, an instrument, an adverse
/// event kind, an enum value). A client may type free text into such a field - a sentence with a
/// patient's name and date of birth - and a message that quoted it would carry it into decisions,
/// acknowledgements, session reports and logs. A code is short and has no spaces or capitals, so
/// it cannot hold a name or a sentence: messages quote a name that is shaped like a code and, for
/// any other, say what was expected without echoing it.

#include <string>
#include <string_view>

namespace kap::detail {

/// The longest name `is_code` accepts.
inline constexpr std::size_t max_code_length = 32;

/// True for a name shaped like a code: 1-32 characters, each a lower-case ASCII letter, a digit,
/// `_` or `-`. Free text (spaces, capitals, punctuation, more than 32 characters) is not.
/// @param s the name
/// @return whether a message may quote it
[[nodiscard]] constexpr bool is_code(std::string_view s) noexcept {
  if (s.empty() || s.size() > max_code_length) return false;
  for (const char c : s) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

/// `"name"` (in double quotes) when `name` is shaped like a code, else the empty string: the
/// caller words the message so that it reads either way.
/// @param name the name from the event
/// @return the quoted name, or ""
[[nodiscard]] inline std::string quoted_if_code(std::string_view name) {
  if (!is_code(name)) return {};
  std::string out;
  out.reserve(name.size() + 2);
  out.push_back('"');
  out.append(name);
  out.push_back('"');
  return out;
}

}  // namespace kap::detail
