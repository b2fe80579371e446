#pragma once

// The cohort summary as a terminal table, shared by `kapctl simulate` and `kapctl cohort`.

#include <kap/course/cohort.hpp>

#include <iosfwd>

namespace kapctl {

/// Prints the per-arm table (and the comparison of the first two arms).
void print_cohort_table(std::ostream& out, const kap::course::cohort_summary& summary);

}  // namespace kapctl
