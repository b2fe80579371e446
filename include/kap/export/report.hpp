#pragma once

/// @file
/// Moved to <kap/reports/report.hpp> (one folder per namespace: `kap::reports`). This header includes it, for
/// one release; include the new one.

#include <kap/reports/report.hpp>
