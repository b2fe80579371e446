#pragma once

/// @file
/// Moved to <kap/events/event.hpp> (the events sit below the protocol, which names event types). This
/// header includes it, for one release; include the new one.

#include <kap/events/event.hpp>
