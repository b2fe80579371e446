#pragma once

/// @file
/// Moved to <kap/graph/graph.hpp> (one folder per namespace: `kap::graph`). This header includes it, for
/// one release; include the new one.

#include <kap/graph/graph.hpp>
