#pragma once

/// @file
/// Moved to <kap/events/decision.hpp> (the decision vocabulary sit below the protocol, which names event types). This
/// header includes it, for one release; include the new one.

#include <kap/events/decision.hpp>
