#pragma once

/// @file
/// JSON for courses files: reading the `kap.courses/1` envelope (`kap/course/courses_file.hpp`,
/// docs/cohort.md) with the check of its format tag.
///
/// A courses file is read strictly, as every kap type is (an unknown field is an error naming its
/// path), and then its `"format"` is checked, so a file of another format or version is refused
/// rather than read as courses. The reader does not judge the records themselves:
/// `kap::course::summarize_cohort` excludes, with a reason, a course it cannot count.
///
/// Not included by `kap/json.hpp`: it brings the course and simulator headers, which most users
/// of kap's JSON do not need. Link `kap::json`.

#include <kap/core/result.hpp>
#include <kap/course/courses_file.hpp>
#include <kap/json/codec.hpp>
#include <kap/json_export.hpp>

#include <cstddef>
#include <string_view>

namespace kap::json {

/// The limits `read_courses` applies by default: 256 MiB of text, nesting depth 64, strings and
/// keys of at most 1 MiB. A simulated course takes about 400 bytes.
inline constexpr read_limits courses_read_limits{std::size_t{256} << 20, 64};

/// Reads a `kap.courses/1` file.
/// @param text the file's text
/// @param limits refused beyond these, before the text is parsed (`errc::too_large`)
/// @return the file, or the first error, with its JSON path:
///   - what `kap::json::from_string` gives for text that is not JSON (`errc::parse_error`), too
///     large (`errc::too_large`) or not a courses file (`errc::wrong_type`, `missing_field`
///     such as "/format: missing required field", `unknown_field`, `out_of_range`, ...)
///   - `errc::unsupported_schema` when `"format"` is not `kap.courses/1`: `/format: unsupported
///     format "kap.courses/9" (this kap reads kap.courses/1)`, showing at most the first 40 bytes
///     of the format
/// Complexity: linear in the size of the text.
[[nodiscard]] KAP_JSON_EXPORT result<course::courses_file> read_courses(
    std::string_view text, const read_limits& limits = courses_read_limits);

}  // namespace kap::json
