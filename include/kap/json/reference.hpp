#pragma once

/// @file
/// The reference protocols kap ships, loadable by name.
///
/// Each reference protocol is a `kap.protocol/1` file in the repository's `protocols/` directory
/// (`im-kap`, `sublingual-kap`, `iv-infusion`, `esketamine-rems`, `psychotherapy-50`; see
/// docs/protocols.md for their phases, limits and sources). The build embeds their text in
/// `kap::json`, so loading one reads no file and depends on no install path: a program that
/// links kap::json finds them wherever it runs. They illustrate published practice and are not
/// medical advice; each carries its `sources` and `disclaimer`.
///
/// @code
/// auto p = kap::json::reference_protocol("esketamine-rems");
/// if (!p) return fail(p.error().message);   // unknown reference protocol "..." (known: ...)
/// auto v = kap::validate(std::move(*p));    // reference protocols always validate
/// @endcode

#include <kap/core/result.hpp>
#include <kap/json_export.hpp>
#include <kap/protocol/protocol.hpp>

#include <optional>
#include <string_view>
#include <vector>

namespace kap::json {

/// The names of the reference protocols, in alphabetical order. Each name is also the
/// protocol's `id`.
/// @return views of static storage (valid for the life of the program)
[[nodiscard]] KAP_JSON_EXPORT std::vector<std::string_view> reference_protocol_names();

/// The kap.protocol/1 text of a reference protocol, exactly as in `protocols/NAME.json`.
/// @param name a name from `reference_protocol_names()`
/// @return a view of static storage, or `errc::unknown_protocol` ("unknown reference protocol
///         \"im-kapp\" (did you mean im-kap? known: esketamine-rems, im-kap, ...)"; the "did you
///         mean" part only when `closest_reference_protocol` finds a name)
[[nodiscard]] KAP_JSON_EXPORT result<std::string_view> reference_protocol_text(std::string_view name);

/// A reference protocol, read from its embedded text (not yet validated: pass it to
/// `kap::validate`, which accepts every reference protocol).
/// @param name a name from `reference_protocol_names()`
/// @return the protocol, or `errc::unknown_protocol` as for `reference_protocol_text`
[[nodiscard]] KAP_JSON_EXPORT result<protocol> reference_protocol(std::string_view name);

/// The reference protocol name closest to a misspelt one: the first in name order at the least
/// edit distance (insertions, deletions, substitutions), if that distance is at most 2.
/// @param name any text; over 64 characters is never close
/// @return a view of static storage, or nullopt when no name is that close
[[nodiscard]] KAP_JSON_EXPORT std::optional<std::string_view> closest_reference_protocol(std::string_view name);

}  // namespace kap::json
