#pragma once

/// @file
/// The `kap.courses/1` file: recorded courses with an arm each (docs/cohort.md).
///
/// The envelope around `course_record`s that `kapctl simulate --out` writes and `kapctl cohort`
/// and `kapctl report course --courses` read, and that a clinic can write from its own records.
/// It is plain data here, in kap::core, so a program can build one without Boost.JSON; reading
/// it, with the check of its `"format"` tag, is `kap::json::read_courses`
/// (`kap/json/courses.hpp`), and writing it is `kap::json::to_string`.

#include <kap/course/simulate.hpp>

#include <boost/describe/class.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace kap::course {

/// The format name a courses file carries in `"format"`.
inline constexpr std::string_view courses_format = "kap.courses/1";

/// A `kap.courses/1` file: courses with an arm each, as the simulator writes them.
struct courses_file {
  std::string format{courses_format};  ///< the format tag, `kap.courses/1`
  bool synthetic = false;              ///< true: the courses are simulated, and every output says so
  std::string instrument = "phq9";     ///< the catalogue id of the instrument the totals are from
  std::vector<course_record> courses;  ///< the courses, in any arm order
  friend bool operator==(const courses_file&, const courses_file&) = default;
};
BOOST_DESCRIBE_STRUCT(courses_file, (), (format, synthetic, instrument, courses))

}  // namespace kap::course
