#pragma once

// The per-session summary line that `kapctl run` and `kapctl journal replay` print:
//   {"summary":{"session":...,"phase":...,"closed":...,"at":...,"open_alerts":[...],
//               "next":[{"phase":...,"blockers":[...]}],"due":[...],"accepted":N,"rejected":N,
//               "cumulative_mg":X}}

#include <kap/core/time.hpp>
#include <kap/session/session.hpp>

#include <cstddef>
#include <optional>
#include <string>

namespace kapctl {

/// The summary line of a session (without the newline).
/// @param s the session
/// @param accepted events accepted (or harmless duplicates) so far
/// @param rejected events rejected so far
/// @param at the instant to evaluate blockers and due checks at; default: the last event
std::string summary_line(const kap::session& s, std::size_t accepted, std::size_t rejected,
                         std::optional<kap::timestamp> at);

}  // namespace kapctl
