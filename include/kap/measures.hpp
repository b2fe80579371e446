#pragma once

/// @file
/// Umbrella for outcome measures: the instrument catalogue, scoring, change and course series.
/// Kept out of `kap/kap.hpp` because of its compile cost (see docs/benchmarks.md).

#include <kap/measures/catalog.hpp>
#include <kap/measures/change.hpp>
#include <kap/measures/instrument.hpp>
#include <kap/measures/score.hpp>
#include <kap/measures/series.hpp>
