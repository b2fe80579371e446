#pragma once

/// @file
/// A protocol as a diagram: Graphviz dot or Mermaid text.
///
/// Phases are nodes (shape and colour by kind, with their durations and entry requirements);
/// transitions are edges labelled with their requirements in a few words each; an abort, allowed
/// from anywhere, is one dashed edge from "any phase" to the aborted phase; the dose rules
/// (limits and what every dose needs) and the schedules are notes. Given the phase a session is
/// in, that node is highlighted. The output is deterministic (protocol order, generated node ids
/// `p0`, `p1`, ... so no phase id ever needs to be a valid identifier) and every string from the
/// protocol is escaped for the target format. docs/protocols.md shows every reference protocol
/// rendered with Graphviz; `kapctl graph` prints either format.
///
/// @code
/// auto p = kap::json::reference_protocol("im-kap");
/// std::string dot = kap::graph::render(*p);                                    // Graphviz dot
/// std::string mmd = kap::graph::render(*p, {kap::graph::format::mermaid});     // Mermaid
/// std::string now = kap::graph::render(session);  // the session's current phase highlighted
/// @endcode

#include <kap/core/result.hpp>
#include <kap/export_export.hpp>
#include <kap/protocol/protocol.hpp>
#include <kap/protocol/requirement.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace kap {
/// A session under a protocol (kap/session/session.hpp); declared here for `graph::render`.
class session;
}

namespace kap::graph {

/// The text format of a diagram.
enum class format {
  dot,     ///< Graphviz dot (`dot -Tsvg` renders it)
  mermaid  ///< a Mermaid `flowchart` (renders in GitHub Markdown)
};

/// What to draw.
struct options {
  graph::format format = graph::format::dot;  ///< output format
  std::optional<std::string> current;         ///< phase id to highlight (an unknown id highlights nothing)
  bool notes = true;                          ///< draw the dose-rule and schedule notes
};

/// A requirement in a few words, e.g. "consent signed", ">= 45 min since dose",
/// "sign-off dose_order by prescriber" (unescaped: the renderer escapes it).
[[nodiscard]] KAP_EXPORT_EXPORT std::string describe(const requirement& r);

/// Parses a format name: "dot" or "mermaid".
/// @return the format, or `errc::unknown_enum` ("unknown graph format \"x\" (known: dot, mermaid)")
[[nodiscard]] KAP_EXPORT_EXPORT result<format> parse_format(std::string_view name);

/// The protocol as a diagram in `o.format`.
[[nodiscard]] KAP_EXPORT_EXPORT std::string render(const protocol& p, const options& o = {});

/// The session's protocol as a diagram, the session's current phase highlighted (`o.current`
/// is replaced by it).
[[nodiscard]] KAP_EXPORT_EXPORT std::string render(const session& s, options o = {});

}  // namespace kap::graph
