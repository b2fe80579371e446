#pragma once

/// @file
/// Reports people would rather look at than read: a session, a course and a cohort, each as one
/// self-contained HTML page with inline SVG charts, and as a few aligned lines of plain text for
/// a terminal.
///
/// Why it is shaped this way. The renderers take small plain input structs rather than a
/// `session`, a journal or a `cohort_summary`: the engine, the journal and the statistics keep
/// changing shape, a report must not, and a host (kapctl, a clinic app, a notebook) fills the
/// structs from whatever it holds. `summarize_protocol` and `course_from_catalog` fill the parts
/// that come from a protocol and from the instrument catalogue. Every renderer is a pure
/// function: no clock, no file, no network. A page is one file: no script, no external style,
/// font or image (its Content-Security-Policy forbids them, so a page cannot reach the network
/// even if opened in a browser that would). Every string from the input is escaped, and free
/// text (notes, override justifications, abort reasons) is never shown, because events carry it
/// and reports are shared more widely than the record. Each page says that kap models protocols
/// and is not medical advice, and marks synthetic data as such when the input says it is.
///
/// docs/reports.md describes each report and its input.

#include <kap/core/result.hpp>
#include <kap/core/time.hpp>
#include <kap/export_export.hpp>
#include <kap/measures/band.hpp>
#include <kap/measures/series.hpp>
#include <kap/protocol/protocol.hpp>
#include <kap/events/decision.hpp>
#include <kap/events/event.hpp>

#include <boost/describe/class.hpp>

#include <cstddef>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace kap::reports {

// --- session report ---------------------------------------------------------------------------

/// One phase of a protocol, as the phase timeline shows it.
struct phase_label {
  std::string id;     ///< the phase id, e.g. "guided_meditation"
  phase_kind kind{};  ///< what it is for (chooses its colour)
  friend bool operator==(const phase_label&, const phase_label&) = default;
};
BOOST_DESCRIBE_STRUCT(phase_label, (), (id, kind))

/// The parts of a protocol a session report shows.
struct protocol_summary {
  std::string id;                   ///< protocol id, e.g. "im-kap"
  std::string title;                ///< its title
  std::string initial;              ///< the phase a session opens in
  std::vector<phase_label> phases;  ///< every phase, in the protocol's order
  vitals_thresholds vitals;         ///< hold and critical limits, drawn on the vitals charts
  friend bool operator==(const protocol_summary&, const protocol_summary&) = default;
};
BOOST_DESCRIBE_STRUCT(protocol_summary, (), (id, title, initial, phases, vitals))

/// The input of the session report: one session's events and the decision on each.
///
/// `decisions[i]` is the decision on `events[i]` when both vectors have the same size;
/// otherwise each event's decision is looked up by event id. An event with no decision is taken
/// as accepted (a store that keeps accepted events only). Only accepted events draw the charts;
/// rejected ones are listed with their reasons.
struct session_report_input {
  std::string session;              ///< the session's pseudonymous id
  protocol_summary protocol;        ///< the protocol it ran under
  std::vector<event> events;        ///< every event recorded, accepted or not, in order
  std::vector<decision> decisions;  ///< the decision on each event
  bool synthetic = false;           ///< true: every page and summary says the data are synthetic
  friend bool operator==(const session_report_input&, const session_report_input&) = default;
};
BOOST_DESCRIBE_STRUCT(session_report_input, (), (session, protocol, events, decisions, synthetic))

/// The parts of a protocol a session report needs.
/// @param p the protocol
/// @return its id, title, initial phase, phases and vitals thresholds. Cannot fail.
[[nodiscard]] KAP_EXPORT_EXPORT protocol_summary summarize_protocol(const protocol& p);

/// Renders a session as one self-contained HTML page: the phase timeline with dose and alert
/// markers; blood pressure (systolic and diastolic), heart rate and SpO2 against the protocol's
/// hold and critical limits, with the doses marked; tables of the doses, the alerts and the
/// rejected events with their codes, reasons and unmet requirements.
/// @param in the session
/// @return the page (UTF-8). Cannot fail: missing data shows as "no readings" and the like.
[[nodiscard]] KAP_EXPORT_EXPORT std::string render_session_html(const session_report_input& in);

/// Renders a session as a few aligned lines of plain text (for a terminal): events, time span,
/// phases, doses, vitals extremes against the limits, alerts and rejections.
/// @param in the session
/// @return the text, ending in a newline; control characters from the input are replaced by '?'
[[nodiscard]] KAP_EXPORT_EXPORT std::string render_session_text(const session_report_input& in);

// --- course report ----------------------------------------------------------------------------

/// One assessment of a course.
struct score_point {
  int day = 0;      ///< days from intake (day 0)
  int total = 0;    ///< the instrument total
  int session = 0;  ///< sessions begun before it (0 = baseline, before the first session)
  friend bool operator==(const score_point&, const score_point&) = default;
};
BOOST_DESCRIBE_STRUCT(score_point, (), (day, total, session))

/// One instrument's scores over a course, with the lines and bands drawn behind them.
struct instrument_course {
  std::string instrument;                   ///< catalogue id, e.g. "phq9"
  std::string name;                         ///< display name ("" shows the id)
  int total_max = 0;                        ///< top of the score axis (the instrument's maximum)
  int baseline = 0;                         ///< the baseline total
  std::vector<score_point> observations;    ///< in time order; the first is the baseline
  std::vector<measures::band_range> bands;  ///< severity bands shaded behind the scores
  std::optional<double> response_line;      ///< a total at or below it is a response (50% of baseline)
  std::optional<int> remission_line;        ///< a total at or below it is remission
  std::string remission_rule;               ///< the remission rule's name ("" when there is none)
  friend bool operator==(const instrument_course&, const instrument_course&) = default;
};
BOOST_DESCRIBE_STRUCT(instrument_course, (),
                      (instrument, name, total_max, baseline, observations, bands, response_line, remission_line,
                       remission_rule))

/// The input of the course report: one subject's instruments.
struct course_report_input {
  std::string subject;                         ///< the subject's pseudonymous id
  std::optional<timestamp> start;              ///< the instant of day 0: the day axis shows dates too
  std::vector<instrument_course> instruments;  ///< one chart and one table each
  bool synthetic = false;                      ///< true: the page says the data are synthetic
  friend bool operator==(const course_report_input&, const course_report_input&) = default;
};
BOOST_DESCRIBE_STRUCT(course_report_input, (), (subject, start, instruments, synthetic))

/// Fills an `instrument_course` from the catalogue: name, maximum, the default band set,
/// baseline (the first observation), the response line at 50% of baseline (symptom scales) and
/// the default remission rule.
/// @param instrument the catalogue id, e.g. "phq9"
/// @param observations the assessments in time order; the first is the baseline
/// @return the course, or `errc::unknown_instrument` (unknown id, or an instrument without an
///         integer total: the C-SSRS screener, the EBI), `errc::missing_field` (no observations)
[[nodiscard]] KAP_EXPORT_EXPORT result<instrument_course> course_from_catalog(std::string_view instrument,
                                                                              std::vector<score_point> observations);

/// As above, from the shape the simulator and `kap.courses/1` use: `{day, total}` observations
/// and the session index of each.
/// @param instrument the catalogue id
/// @param observations the assessments in time order
/// @param session_of_observation the session index of each (0 = baseline); missing entries are 0
/// @return as above
[[nodiscard]] KAP_EXPORT_EXPORT result<instrument_course> course_from_catalog(
    std::string_view instrument, std::span<const measures::course_observation> observations,
    std::span<const int> session_of_observation);

/// Renders a course as one self-contained HTML page: per instrument, the scores over the course
/// with severity bands shaded, the baseline, response and remission lines and the sessions
/// marked, and a table of the outcome figures (change, response, remission, first response and
/// remission, sustained response, reliable change) from `kap::measures`.
/// @param in the course
/// @return the page (UTF-8). Cannot fail.
[[nodiscard]] KAP_EXPORT_EXPORT std::string render_course_html(const course_report_input& in);

/// Renders a course as a few aligned lines per instrument (for a terminal).
/// @param in the course
/// @return the text, ending in a newline
[[nodiscard]] KAP_EXPORT_EXPORT std::string render_course_text(const course_report_input& in);

// --- cohort report ----------------------------------------------------------------------------

/// A proportion (0-1) with its interval.
struct rate {
  double estimate = 0;  ///< the observed proportion
  double lower = 0;     ///< lower bound of its 95% interval
  double upper = 0;     ///< upper bound of its 95% interval
  friend bool operator==(const rate&, const rate&) = default;
};
BOOST_DESCRIBE_STRUCT(rate, (), (estimate, lower, upper))

/// One step of a Kaplan-Meier curve of time to response.
struct km_point {
  double time = 0;      ///< in the cohort's `time_unit`
  double survival = 1;  ///< proportion not yet responded, just after `time`
  double lower = 1;     ///< pointwise interval, lower bound
  double upper = 1;     ///< pointwise interval, upper bound
  friend bool operator==(const km_point&, const km_point&) = default;
};
BOOST_DESCRIBE_STRUCT(km_point, (), (time, survival, lower, upper))

/// A median time with its interval; an absent bound is not reached.
struct median_time {
  double estimate = 0;          ///< the median, in the cohort's `time_unit`
  std::optional<double> lower;  ///< lower bound of its interval
  std::optional<double> upper;  ///< upper bound of its interval, absent when not reached
  friend bool operator==(const median_time&, const median_time&) = default;
};
BOOST_DESCRIBE_STRUCT(median_time, (), (estimate, lower, upper))

/// How many courses could be counted, and why the others could not.
struct completeness_figures {
  std::size_t total = 0;                                  ///< courses in the input
  std::size_t usable = 0;                                 ///< courses counted
  std::map<std::string, std::size_t> excluded_by_reason;  ///< reason -> courses not counted for it
  friend bool operator==(const completeness_figures&, const completeness_figures&) = default;
};
BOOST_DESCRIBE_STRUCT(completeness_figures, (), (total, usable, excluded_by_reason))

/// One arm of a cohort.
struct cohort_arm {
  std::string name;                                    ///< e.g. "im-kap"
  std::size_t n = 0;                                   ///< courses in the arm
  std::optional<rate> response;                        ///< responders at the last assessment
  std::optional<rate> remission;                       ///< remitters at the last assessment
  std::vector<km_point> time_to_response;              ///< Kaplan-Meier steps, time ascending
  std::optional<median_time> median_time_to_response;  ///< absent when the curve never reaches 0.5
  completeness_figures completeness;                   ///< how many courses could be counted
  friend bool operator==(const cohort_arm&, const cohort_arm&) = default;
};
BOOST_DESCRIBE_STRUCT(cohort_arm, (),
                      (name, n, response, remission, time_to_response, median_time_to_response, completeness))

/// The input of the cohort report.
struct cohort_report_input {
  bool synthetic = false;              ///< true: the page says the data are synthetic
  std::string instrument;              ///< the outcome instrument, e.g. "phq9"
  std::string time_unit = "sessions";  ///< the unit of the Kaplan-Meier times ("sessions", "days")
  std::vector<cohort_arm> arms;        ///< one per arm, in the order shown
  friend bool operator==(const cohort_report_input&, const cohort_report_input&) = default;
};
BOOST_DESCRIBE_STRUCT(cohort_report_input, (), (synthetic, instrument, time_unit, arms))

/// Renders a cohort as one self-contained HTML page: per arm, the Kaplan-Meier curve of time to
/// response with its interval band and median, response and remission rates with interval
/// bars, and the data-completeness figures.
/// @param in the cohort
/// @return the page (UTF-8). Cannot fail.
[[nodiscard]] KAP_EXPORT_EXPORT std::string render_cohort_html(const cohort_report_input& in);

/// Renders a cohort as one aligned line per arm (for a terminal).
/// @param in the cohort
/// @return the text, ending in a newline
[[nodiscard]] KAP_EXPORT_EXPORT std::string render_cohort_text(const cohort_report_input& in);

}  // namespace kap::reports
