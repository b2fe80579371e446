#pragma once

/// @file
/// Moved to <kap/stats/stats.hpp> (the folder of `kap::stats`). This header includes it, for one
/// release; include the new one.

#include <kap/stats/stats.hpp>
