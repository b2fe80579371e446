// kapctl report course|session, their journal part: reports from the session journal
// (journal_parts.hpp).
#include "files.hpp"
#include "journal_parts.hpp"
#include "report_output.hpp"

#include <kap/course/courses_file.hpp>
#include <kap/reports/report.hpp>
#include <kap/journal/sqlite_journal.hpp>
#include <kap/json.hpp>
#include <kap/json/courses.hpp>
#include <kap/measures/score.hpp>
#include <kap/session/session.hpp>

#include <algorithm>
#include <chrono>
#include <map>
#include <optional>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

namespace kapctl {

namespace {

constexpr std::string_view report_journal_cmd = "report";

std::optional<kap::sqlite_journal> open_report_journal(io& io, std::string_view verb, std::string_view path,
                                                       int& status) {
  kap::journal_options opt;
  opt.read_only = true;  // a report never writes to the journal
  auto j = kap::sqlite_journal::open(std::string(path), std::move(opt));
  if (!j) {
    status = report_fail(io, verb, j.error().message, error_status(j.error()));
    return std::nullopt;
  }
  return std::move(*j);
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
    status = report_fail(io, "course",
                         std::string(path) + ": not a kap.courses/1 file: " +
                             (file ? "/format is \"" + file->format.substr(0, 40) + "\"" : file.error().message),
                         file ? exit_invalid : error_status(file.error()));
    return std::nullopt;
  }
  for (auto& c : file->courses) {
    if (c.subject != subject) continue;
    if (c.observations.empty() || c.observations.size() != c.session_of_observation.size()) {
      status = report_fail(io, "course",
                           std::string(path) + ": subject " + subject +
                               ": observations and session_of_observation are empty or differ in length",
                           exit_invalid);
      return std::nullopt;
    }
    return std::make_pair(std::move(c), file->instrument);
  }
  status = report_fail(io, "course", "subject " + subject + " is not in " + std::string(path), exit_invalid);
  return std::nullopt;
}

}  // namespace

int report_session(std::span<const std::string_view> args, io& io) {
  arg_parser p(args, {"--html"}, {});
  if (!p.error().empty()) return usage_error(io, report_journal_cmd, p.error());
  if (p.positional().size() != 2)
    return usage_error(io, report_journal_cmd, "session: give a journal file and a session id");
  auto id = kap::session_id::make(p.positional()[1]);
  if (!id) return usage_error(io, report_journal_cmd, "session: " + id.error().message);
  int status = exit_ok;
  auto j = open_report_journal(io, "session", p.positional()[0], status);
  if (!j) return status;
  auto rows = j->read(*id);
  if (!rows) return report_fail(io, "session", rows.error().message, error_status(rows.error()));
  // The stored protocol, checked against its hash, comes with a replay under it.
  auto rep = j->replay(*id);
  if (!rep) return report_fail(io, "session", rep.error().message, error_status(rep.error()));

  kap::reports::session_report_input in;
  in.session = id->str();
  in.protocol = kap::reports::summarize_protocol(rep->session->definition());
  in.synthetic = synthetic_id(id->str());
  for (auto& r : *rows) {
    in.events.push_back(std::move(r.event));
    in.decisions.push_back(std::move(r.decision));
  }
  return report_emit(io, "session", p, kap::reports::render_session_text(in), kap::reports::render_session_html(in));
}

int report_course(std::span<const std::string_view> args, io& io) {
  arg_parser p(args, {"--html", "--courses"}, {});
  if (!p.error().empty()) return usage_error(io, report_journal_cmd, p.error());
  if (p.positional().size() != 2)
    return usage_error(io, report_journal_cmd, "course: give a journal file and a subject id");
  auto subject = kap::subject_id::make(p.positional()[1]);
  if (!subject) return usage_error(io, report_journal_cmd, "course: " + subject.error().message);
  int status = exit_ok;
  auto j = open_report_journal(io, "course", p.positional()[0], status);
  if (!j) return status;
  auto list = j->sessions();
  if (!list) return report_fail(io, "course", list.error().message, error_status(list.error()));
  std::vector<std::pair<int, kap::session_id>> sessions;
  for (const auto& s : *list) {
    if (const int n = session_number(s.id.str(), subject->str()); n > 0) sessions.emplace_back(n, s.id);
  }
  if (sessions.empty()) {
    return report_fail(io, "course",
                       "no sessions of subject " + subject->str() + " in " + std::string(p.positional()[0]) +
                           " (a subject's sessions are named " + subject->str() + "-s1, " + subject->str() +
                           "-s2, ...)",
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
    if (!rows) return report_fail(io, "course", rows.error().message, error_status(rows.error()));
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
    return report_fail(io, "course", "no accepted event in the sessions of subject " + subject->str(), exit_invalid);
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
    if (!course) return report_fail(io, "course", std::string(*courses) + ": " + course.error().message, exit_invalid);
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
    return report_fail(io, "course",
                       "subject " + subject->str() + " has " + std::to_string(sessions.size()) +
                           " session(s) but no accepted measure with a total to chart",
                       exit_invalid);
  }
  return report_emit(io, "course", p, kap::reports::render_course_text(in), kap::reports::render_course_html(in));
}

}  // namespace kapctl
