#pragma once

// The cohort summary as a terminal table, shared by `kapctl simulate` and `kapctl cohort`.

#include <kap/course/cohort.hpp>

#include <iosfwd>

namespace kapctl {

/// Prints the per-arm table (and the comparison of the first two arms).
void print_cohort_table(std::ostream& out, const kap::course::cohort_summary& summary);

/// The `kap.courses/1` file: courses with an arm each, as the simulator writes them.
struct courses_file {
  std::string format = "kap.courses/1";
  bool synthetic = false;
  std::string instrument = "phq9";
  std::vector<kap::course::course_record> courses;
};
BOOST_DESCRIBE_STRUCT(courses_file, (), (format, synthetic, instrument, courses))

}  // namespace kapctl
