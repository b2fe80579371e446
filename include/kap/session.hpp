#pragma once

/// @file
/// Umbrella for the session engine: events, decisions and `kap::session` (with protocols).
/// Kept out of `kap/kap.hpp` because of its compile cost (see docs/benchmarks.md).

#include <kap/protocol.hpp>
#include <kap/session/decision.hpp>
#include <kap/session/events.hpp>
#include <kap/session/session.hpp>
