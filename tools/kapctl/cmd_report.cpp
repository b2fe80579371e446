// kapctl report course|session|cohort - the kap::export reports from a journal or a cohort summary.
#include "command.hpp"
#include "files.hpp"
#include "journal_parts.hpp"
#include "report_output.hpp"

#include <kap/course/cohort.hpp>
#include <kap/reports/report.hpp>
#include <kap/json.hpp>

#include <cstddef>
#include <string>
#include <utility>

namespace kapctl {

constexpr std::string_view report_help =
    "Usage: kapctl report course DB SUBJECT [--courses COURSES.json] [--html OUT.html]\n"
    "       kapctl report session DB SESSION [--html OUT.html]\n"
    "       kapctl report cohort SUMMARY.json [--html OUT.html]\n\n"
    "The reports of docs/reports.md. Each prints a plain-text summary; --html OUT.html also writes\n"
    "the report as one self-contained HTML page (inline SVG charts, no script, no network). The page\n"
    "is written to a temporary file beside OUT.html and renamed over it, so OUT.html is either the\n"
    "whole new page or untouched.\n\n"
    "course   one subject's scores over a course, from the journal DB: the subject's sessions are\n"
    "         those named SUBJECT-s1, SUBJECT-s2, ... (as `kapctl simulate` names them); every\n"
    "         accepted measure event with an integer total is a point, day 0 is the date of the\n"
    "         first session, the first score of an instrument is its baseline. --courses takes the\n"
    "         subject's outcome series from a kap.courses/1 file instead (`kapctl simulate --out`\n"
    "         writes courses.json): it holds the intake baseline and the follow-up, which are not\n"
    "         sessions; day 0 is then the intake, dated from the journal's sessions.\n"
    "session  one session from the journal DB: phases, vitals against the protocol's limits, doses,\n"
    "         alerts, and the rejected events with the stored reasons, under the stored protocol.\n"
    "cohort   the arms of a cohort summary (summary.json, written by `kapctl simulate --out DIR`):\n"
    "         Kaplan-Meier time to response in sessions, response and remission rates with\n"
    "         intervals, data completeness.\n\n"
    "Subjects and sessions whose id starts with SYN- (the simulator's) and summaries marked\n"
    "synthetic are reported as SYNTHETIC DATA. Not medical advice.\n"
    "Exit status: 0 done, 1 unknown subject or session, a damaged journal, an invalid summary or\n"
    "courses file, a subject not in the courses file\n"
    "(the message names the JSON path), 2 usage error, an unreadable file or an unwritable OUT.html.\n";

namespace {

constexpr std::string_view report_cmd = "report";

// --- cohort -------------------------------------------------------------------------------------

kap::reports::cohort_report_input cohort_input(const kap::course::cohort_summary& s) {
  kap::reports::cohort_report_input in;
  in.synthetic = s.synthetic;
  in.instrument = s.instrument;
  in.time_unit = "sessions";
  for (const auto& a : s.arms) {
    kap::reports::cohort_arm arm;
    arm.name = a.arm;
    arm.n = a.n;
    if (a.response) arm.response = kap::reports::rate{a.response->estimate, a.response->lower, a.response->upper};
    if (a.remission) arm.remission = kap::reports::rate{a.remission->estimate, a.remission->lower, a.remission->upper};
    for (const auto& st : a.sessions_to_response.steps) {
      arm.time_to_response.push_back({st.time, st.survival, st.lower, st.upper});
    }
    if (a.sessions_to_response.median) {
      arm.median_time_to_response = kap::reports::median_time{
          *a.sessions_to_response.median, a.sessions_to_response.median_lower, a.sessions_to_response.median_upper};
    }
    arm.completeness.total = a.completeness.total;
    arm.completeness.usable = a.completeness.usable;
    for (const auto& [reason, count] : a.completeness.excluded_by_reason) {
      arm.completeness.excluded_by_reason[reason] = count;
    }
    in.arms.push_back(std::move(arm));
  }
  return in;
}

int report_cohort(std::span<const std::string_view> args, io& io) {
  arg_parser p(args, {"--html"}, {});
  if (!p.error().empty()) return usage_error(io, report_cmd, p.error());
  if (p.positional().size() != 1) return usage_error(io, report_cmd, "cohort: give one cohort summary file");
  const auto path = p.positional()[0];
  auto text = read_input("report cohort", path, io);
  if (!text) return exit_usage;
  auto summary =
      kap::json::from_string<kap::course::cohort_summary>(*text, kap::json::read_limits{std::size_t{64} << 20, 64});
  if (!summary) {
    if (text->find("\"kap.courses/1\"") != std::string::npos) {
      return report_fail(io, "cohort",
                         std::string(path) +
                             " is a kap.courses/1 file, not a cohort summary: give the summary.json that "
                             "`kapctl simulate --out DIR` writes (or `kapctl cohort COURSES --json > summary.json`)",
                         exit_invalid);
    }
    return report_fail(io, "cohort", std::string(path) + ": not a cohort summary: " + summary.error().message,
                       error_status(summary.error()));
  }
  if (summary->arms.empty())
    return report_fail(io, "cohort", std::string(path) + ": /arms: the summary has no arms", exit_invalid);
  const auto in = cohort_input(*summary);
  return report_emit(io, "cohort", p, kap::reports::render_cohort_text(in), kap::reports::render_cohort_html(in));
}

int cmd_report(std::span<const std::string_view> args, io& io) {
  if (args.empty()) return usage_error(io, report_cmd, "give a report: course, session or cohort");
  const std::string_view verb = args[0];
  const auto rest = args.subspan(1);
  if (verb == "cohort") return report_cohort(rest, io);
  if (verb == "course") return report_course(rest, io);
  if (verb == "session") return report_session(rest, io);
  return usage_error(io, report_cmd, "unknown report '" + std::string(verb) + "' (course, session, cohort)");
}

}  // namespace

const command report_command{"report", "course, session and cohort reports as text and self-contained HTML",
                             report_help, cmd_report};

}  // namespace kapctl
