#pragma once

/// @file
/// The umbrella header of kap's core: everything in `kap::core`, nothing heavy.
///
/// It includes no Boost.JSON, no fmt and no spdlog, so a translation unit that includes it
/// compiles nearly as fast as one that includes a few standard headers (scripts/bench measures
/// the ratio). JSON is in `kap/json.hpp`, logging to spdlog in `kap/log/spdlog.hpp`.

#include <kap/core/actor.hpp>
#include <kap/core/error.hpp>
#include <kap/core/ids.hpp>
#include <kap/core/logger.hpp>
#include <kap/core/quantities.hpp>
#include <kap/core/result.hpp>
#include <kap/core/time.hpp>
#include <kap/version.hpp>
