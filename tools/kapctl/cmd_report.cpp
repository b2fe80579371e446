// kapctl report course|session|cohort - the kap::export reports from a journal or a cohort summary.
#include "cohort_table.hpp"
#include "command.hpp"
#include "files.hpp"

#include <kap/course/cohort.hpp>
#include <kap/course/courses_file.hpp>
#include <kap/export/report.hpp>
#include <kap/json.hpp>
#include <kap/json/courses.hpp>
#include <kap/session/session.hpp>
#include <kap/measures/score.hpp>

#if KAP_KAPCTL_JOURNAL
#include <kap/journal/sqlite_journal.hpp>
#endif

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <ostream>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

namespace kapctl {

extern const std::string_view report_help;
const std::string_view report_help =
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

int fail(io& io, std::string_view verb, const std::string& message, int status) {
  io.err << "kapctl " << report_cmd << " " << verb << ": " << message << "\n";
  return status;
}


/// Prints the text summary and, with --html, writes the page. Returns the exit status.
int emit(io& io, std::string_view verb, const arg_parser& p, const std::string& text, const std::string& html) {
  io.out << text;
  if (const auto out = p.value("--html")) {
    const std::string problem = write_atomically(std::filesystem::path(std::string(*out)), html);
    if (!problem.empty()) return fail(io, verb, problem, exit_usage);
    io.out << "wrote " << *out << "\n";
  }
  return exit_ok;
}

bool synthetic_id(std::string_view id) { return id.rfind("SYN-", 0) == 0; }

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
      return fail(io, "cohort",
                  std::string(path) +
                      " is a kap.courses/1 file, not a cohort summary: give the summary.json that "
                      "`kapctl simulate --out DIR` writes (or `kapctl cohort COURSES --json > summary.json`)",
                  exit_invalid);
    }
    return fail(io, "cohort", std::string(path) + ": not a cohort summary: " + summary.error().message,
                error_status(summary.error()));
  }
  if (summary->arms.empty()) return fail(io, "cohort", std::string(path) + ": /arms: the summary has no arms", exit_invalid);
  const auto in = cohort_input(*summary);
  return emit(io, "cohort", p, kap::reports::render_cohort_text(in), kap::reports::render_cohort_html(in));
}

// --- session and course (from a journal) --------------------------------------------------------

#if KAP_KAPCTL_JOURNAL

/// Exit status for a failed journal call: 2 when the file could not be used at all, else 1.

std::optional<kap::sqlite_journal> open_journal(io& io, std::string_view verb, std::string_view path, int& status) {
  kap::journal_options opt;
  opt.read_only = true;  // a report never writes to the journal
  auto j = kap::sqlite_journal::open(std::string(path), std::move(opt));
  if (!j) {
    status = fail(io, verb, j.error().message, error_status(j.error()));
    return std::nullopt;
  }
  return std::move(*j);
}

int report_session(std::span<const std::string_view> args, io& io) {
  arg_parser p(args, {"--html"}, {});
  if (!p.error().empty()) return usage_error(io, report_cmd, p.error());
  if (p.positional().size() != 2) return usage_error(io, report_cmd, "session: give a journal file and a session id");
  auto id = kap::session_id::make(p.positional()[1]);
  if (!id) return usage_error(io, report_cmd, "session: " + id.error().message);
  int status = exit_ok;
  auto j = open_journal(io, "session", p.positional()[0], status);
  if (!j) return status;
  auto rows = j->read(*id);
  if (!rows) return fail(io, "session", rows.error().message, error_status(rows.error()));
  // The stored protocol, checked against its hash, comes with a replay under it.
  auto rep = j->replay(*id);
  if (!rep) return fail(io, "session", rep.error().message, error_status(rep.error()));

  kap::reports::session_report_input in;
  in.session = id->str();
  in.protocol = kap::reports::summarize_protocol(rep->session->definition());
  in.synthetic = synthetic_id(id->str());
  for (auto& r : *rows) {
    in.events.push_back(std::move(r.event));
    in.decisions.push_back(std::move(r.decision));
  }
  return emit(io, "session", p, kap::reports::render_session_text(in), kap::reports::render_session_html(in));
}

/// The session number of `id` when it is SUBJECT-s<N>, else 0.
int session_number(std::string_view id, std::string_view subject) {
  if (id.size() <= subject.size() + 2 || id.substr(0, subject.size()) != subject) return 0;
  const auto rest = id.substr(subject.size());
  if (rest.substr(0, 2) != "-s") return 0;
  const auto digits = rest.substr(2);
  if (digits.empty() || digits.size() > 6 || digits.front() == '0' ||
      !std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return 0;
  }
  return std::stoi(std::string(digits));
}

/// The subject's record in a kap.courses/1 file; nullopt (after a message, `status` set) when the
/// file cannot be read, is invalid or does not hold the subject.
std::optional<std::pair<kap::course::course_record, std::string>> course_record_of(io& io, std::string_view path,
                                                                                   const std::string& subject,
                                                                                   int& status) {
  auto text = read_input("report course", path, io);
  if (!text) {
    status = exit_usage;
    return std::nullopt;
  }
  auto file = kap::json::from_string<kap::course::courses_file>(*text, kap::json::courses_read_limits);
  if (!file || file->format != kap::course::courses_format) {
    status = fail(io, "course",
                  std::string(path) + ": not a kap.courses/1 file: " +
                      (file ? "/format is \"" + file->format.substr(0, 40) + "\"" : file.error().message),
                  file ? exit_invalid : error_status(file.error()));
    return std::nullopt;
  }
  for (auto& c : file->courses) {
    if (c.subject != subject) continue;
    if (c.observations.empty() || c.observations.size() != c.session_of_observation.size()) {
      status = fail(io, "course", std::string(path) + ": subject " + subject +
                                      ": observations and session_of_observation are empty or differ in length",
                    exit_invalid);
      return std::nullopt;
    }
    return std::make_pair(std::move(c), file->instrument);
  }
  status = fail(io, "course", "subject " + subject + " is not in " + std::string(path), exit_invalid);
  return std::nullopt;
}

int report_course(std::span<const std::string_view> args, io& io) {
  arg_parser p(args, {"--html", "--courses"}, {});
  if (!p.error().empty()) return usage_error(io, report_cmd, p.error());
  if (p.positional().size() != 2) return usage_error(io, report_cmd, "course: give a journal file and a subject id");
  auto subject = kap::subject_id::make(p.positional()[1]);
  if (!subject) return usage_error(io, report_cmd, "course: " + subject.error().message);
  int status = exit_ok;
  auto j = open_journal(io, "course", p.positional()[0], status);
  if (!j) return status;
  auto list = j->sessions();
  if (!list) return fail(io, "course", list.error().message, error_status(list.error()));
  std::vector<std::pair<int, kap::session_id>> sessions;
  for (const auto& s : *list) {
    if (const int n = session_number(s.id.str(), subject->str()); n > 0) sessions.emplace_back(n, s.id);
  }
  if (sessions.empty()) {
    return fail(io, "course",
                "no sessions of subject " + subject->str() + " in " + std::string(p.positional()[0]) +
                    " (a subject's sessions are named " + subject->str() + "-s1, " + subject->str() + "-s2, ...)",
                exit_invalid);
  }
  std::sort(sessions.begin(), sessions.end(), [](const auto& a, const auto& b) { return a.first < b.first; });

  // Every accepted measure with an integer total, per instrument in order of first appearance.
  struct scored {
    kap::timestamp at;
    int total;
    int session;
  };
  std::vector<std::string> order;
  std::map<std::string, std::vector<scored>> by_instrument;
  std::optional<kap::timestamp> first_at;
  for (const auto& [number, sid] : sessions) {
    auto rows = j->read(sid);
    if (!rows) return fail(io, "course", rows.error().message, error_status(rows.error()));
    for (const auto& r : *rows) {
      if (!first_at && r.decision.accepted()) first_at = r.event.at;  // day 0: the first accepted event
      const auto* m = std::get_if<kap::events::measure>(&r.event.body);
      if (m == nullptr || !r.decision.accepted()) continue;
      std::vector<std::string_view> tokens;
      for (const auto& item : m->items) tokens.push_back(item.text);
      auto score = kap::measures::score_tokens(m->instrument, tokens);
      if (!score || !score->total) continue;  // the engine accepted it, so only a total-less instrument
      if (!by_instrument.contains(m->instrument)) order.push_back(m->instrument);
      by_instrument[m->instrument].push_back({r.event.at, *score->total, number});
    }
  }

  if (!first_at) {
    // Sessions without a single accepted event (a damaged or hand-made journal): nothing to date.
    return fail(io, "course", "no accepted event in the sessions of subject " + subject->str(), exit_invalid);
  }
  kap::reports::course_report_input in;
  in.subject = subject->str();
  in.synthetic = synthetic_id(subject->str());
  auto day0 = std::chrono::floor<std::chrono::days>(*first_at);
  std::optional<kap::course::course_record> record;
  if (const auto courses = p.value("--courses")) {
    auto found = course_record_of(io, *courses, subject->str(), status);
    if (!found) return status;
    record = std::move(found->first);
    const std::string instrument = std::move(found->second);
    in.synthetic = in.synthetic || record->subject.rfind("SYN-", 0) == 0;
    // Day 0 is the intake: the first session's date less its day in the record.
    for (std::size_t i = 0; i < record->observations.size(); ++i) {
      if (record->session_of_observation[i] == sessions.front().first) {
        day0 -= std::chrono::days{record->observations[i].day};
        break;
      }
    }
    in.start = kap::timestamp{day0};
    auto course = kap::reports::course_from_catalog(instrument, record->observations, record->session_of_observation);
    if (!course) return fail(io, "course", std::string(*courses) + ": " + course.error().message, exit_invalid);
    in.instruments.push_back(std::move(*course));
  }
  for (const auto& name : order) {
    if (record && !in.instruments.empty() && in.instruments.front().instrument == name) continue;
    std::vector<kap::reports::score_point> points;
    for (const auto& s : by_instrument[name]) {
      const auto day = std::chrono::floor<std::chrono::days>(s.at) - day0;
      points.push_back({static_cast<int>(day.count()), s.total, s.session});
    }
    auto course = kap::reports::course_from_catalog(name, std::move(points));
    if (course) in.instruments.push_back(std::move(*course));
  }
  if (in.instruments.empty()) {
    return fail(io, "course",
                "subject " + subject->str() + " has " + std::to_string(sessions.size()) +
                    " session(s) but no accepted measure with a total to chart",
                exit_invalid);
  }
  return emit(io, "course", p, kap::reports::render_course_text(in), kap::reports::render_course_html(in));
}

#endif

}  // namespace

int cmd_report(std::span<const std::string_view> args, io& io) {
  if (args.empty()) return usage_error(io, report_cmd, "give a report: course, session or cohort");
  const std::string_view verb = args[0];
  const auto rest = args.subspan(1);
  if (verb == "cohort") return report_cohort(rest, io);
  if (verb == "course" || verb == "session") {
#if KAP_KAPCTL_JOURNAL
    return verb == "course" ? report_course(rest, io) : report_session(rest, io);
#else
    return usage_error(io, report_cmd, std::string(verb) + ": this kapctl was built without kap::journal");
#endif
  }
  return usage_error(io, report_cmd, "unknown report '" + std::string(verb) + "' (course, session, cohort)");
}

}  // namespace kapctl
