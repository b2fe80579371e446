// kapctl cohort COURSES.json [--json]
#include "cohort_table.hpp"
#include "command.hpp"
#include "files.hpp"

#include <kap/course/cohort.hpp>
#include <kap/json.hpp>
#include <kap/json/courses.hpp>

#include <ostream>

namespace kapctl {

constexpr std::string_view cohort_help =
    "Usage: kapctl cohort COURSES.json [--json]\n\n"
    "Cohort statistics from recorded courses in the kap.courses/1 format (docs/cohort.md;\n"
    "`kapctl simulate --out` writes one): per arm, responder and remitter rates with Wilson 95%\n"
    "intervals, mean change with its interval and d_z, Kaplan-Meier time to first response in\n"
    "sessions and days (censoring patients who never responded or left) with the median and its\n"
    "interval, data completeness; between the first two arms, the difference in response rate\n"
    "(Newcombe) and Hedges' g of the change. --json prints the whole summary as JSON.\n"
    "Exit status: 0 done, 1 the file is invalid (the message names the JSON path), 2 unreadable\n"
    "file or usage error.\n";

namespace {

int cmd_cohort(std::span<const std::string_view> args, io& io) {
  arg_parser p(args, {}, {"--json"});
  if (!p.error().empty()) return usage_error(io, "cohort", p.error());
  if (p.positional().size() != 1) return usage_error(io, "cohort", "give one courses file");
  auto text = read_input("cohort", p.positional()[0], io);
  if (!text) return exit_usage;
  auto file = kap::json::read_courses(*text);
  if (!file) {  // not JSON, not a courses file, or another format (unsupported_schema)
    io.err << "kapctl cohort: " << p.positional()[0] << ": " << file.error().message << "\n";
    return error_status(file.error());
  }
  for (std::size_t i = 0; i < file->courses.size(); ++i) {
    const auto& c = file->courses[i];
    if (c.observations.size() != c.session_of_observation.size()) {
      io.err << "kapctl cohort: /courses/" << i << ": observations and session_of_observation differ in length\n";
      return exit_invalid;
    }
  }
  const auto summary = kap::course::summarize_cohort(file->courses, file->synthetic, file->instrument);
  if (p.flag("--json")) {
    io.out << kap::json::to_string(summary) << "\n";
  } else {
    print_cohort_table(io.out, summary);
  }
  return exit_ok;
}

}  // namespace

const command cohort_command{"cohort", "cohort statistics from recorded courses", cohort_help, cmd_cohort};

}  // namespace kapctl
