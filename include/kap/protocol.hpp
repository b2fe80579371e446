#pragma once

/// @file
/// Umbrella for protocols: the model, requirements, the builder and validation.
/// Kept out of `kap/kap.hpp` because of its compile cost (see docs/benchmarks.md).

#include <kap/protocol/builder.hpp>
#include <kap/protocol/protocol.hpp>
#include <kap/protocol/requirement.hpp>
#include <kap/protocol/validate.hpp>
