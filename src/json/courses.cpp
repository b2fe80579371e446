#include <kap/json/courses.hpp>

#include <kap/json.hpp>

#include <string>
#include <utility>

namespace kap::json {

result<course::courses_file> read_courses(std::string_view text, const read_limits& limits) {
  auto file = from_string<course::courses_file>(text, limits);
  if (!file) return std::move(file).error();
  if (file->format != course::courses_format) {
    return error{errc::unsupported_schema, "/format: unsupported format \"" + file->format.substr(0, 40) +
                                               "\" (this kap reads " + std::string(course::courses_format) + ")"};
  }
  return file;
}

}  // namespace kap::json
