#pragma once

// The stored form of a decision (one JSON object per row) and small helpers shared by the
// journal's translation units. Internal.

#include <kap/core/error.hpp>
#include <kap/core/result.hpp>
#include <kap/events/decision.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace kap::detail::journal {

/// The canonical JSON of a decision as the journal stores it:
/// {"outcome":"rejected","code":"requirement_unmet","message":"...","unmet":[...],"alerts":[...]}
/// with `code`, `message`, `unmet` and `alerts` left out when empty. The event id is the row's.
void write_decision(std::string& out, const decision& d);

/// Reads a stored decision back (strictly), giving it the row's event id.
[[nodiscard]] result<decision> read_decision(std::string_view text, const event_id& id);

/// The code with this short name ("requirement_unmet"), or nothing.
[[nodiscard]] std::optional<errc> errc_from_name(std::string_view name) noexcept;

}  // namespace kap::detail::journal
