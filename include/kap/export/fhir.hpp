#pragma once

/// @file
/// Moved to <kap/fhir/fhir.hpp> (one folder per namespace: `kap::fhir`). This header includes it, for
/// one release; include the new one.

#include <kap/fhir/fhir.hpp>
