#pragma once

// The session report's internals, shared by the src/reports/session_*.cpp files and not installed.
// The page is built in three steps, a file each:
//
//   session_digest.cpp  the session, digested: phases entered, readings, doses, alerts and
//                       rejections, from the events and their decisions; how times are written
//   session_charts.cpp  the figures: the phase timeline and the vital-sign panels (SVG)
//   session_report.cpp  the page: the facts, the figures and the tables (HTML), and the plain-text
//                       report

#include <kap/reports/report.hpp>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kap::reports::detail {

// --- the session, digested ----------------------------------------------------------------------

struct phase_span {
  std::string id;
  std::optional<phase_kind> kind;
  timestamp start;
  timestamp end;
};

struct reading {
  timestamp at;
  double value = 0;
};

struct dose_mark {
  timestamp at;
  std::string drug;
  std::string route;
  double mg = 0;
};

struct rejection {
  const event* e = nullptr;
  const decision* d = nullptr;
};

struct digest {
  std::size_t accepted = 0, rejected = 0, duplicate = 0;
  std::optional<timestamp> first, last;  // accepted events
  std::vector<phase_span> phases;
  std::vector<reading> systolic, diastolic, heart_rate, spo2;
  std::vector<dose_mark> doses;
  std::vector<alert> alerts;
  std::vector<rejection> rejections;
  std::size_t vitals_events = 0;
  std::optional<int> age;  // from the last accepted screening: it picks the hold limits' age band
};

digest digest_session(const session_report_input& in);

// --- time formatting ------------------------------------------------------------------------------

std::string hhmm(timestamp t);
std::string ymd(timestamp t);

double minutes_between(timestamp a, timestamp b);

std::string dose_text(const dose_mark& d);

// --- the charts (session_charts.cpp) --------------------------------------------------------------

std::string timeline_svg(const session_report_input& in, const digest& g);

struct series {
  std::string label;
  std::string css;  // class
  std::string colour;
  const std::vector<reading>* points;
};

struct threshold {
  std::string label;
  double value = 0;
  bool critical = false;
};

std::string vitals_svg(const session_report_input& in, const digest& g, std::string_view title, std::string_view unit,
                       std::string_view y_title, const std::vector<series>& data, const std::vector<threshold>& limits,
                       std::optional<double> clamp_max);

}  // namespace kap::reports::detail
