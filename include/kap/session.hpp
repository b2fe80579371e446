#pragma once

/// @file
/// Umbrella for the session engine: events, decisions and `kap::session` (with protocols).
/// Kept out of `kap/kap.hpp` because of its compile cost (see docs/benchmarks.md).

#include <kap/protocol.hpp>
#include <kap/events/decision.hpp>
#include <kap/events/event.hpp>
#include <kap/session/session.hpp>
