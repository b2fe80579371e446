#pragma once

// Inputs for the report tests and for the Chromium check (write_samples.cpp): a real session
// run through the engine, a 40-session course and a two-arm cohort. All three are marked
// synthetic.

#include <kap/reports/report.hpp>
#include <kap/json.hpp>
#include <kap/session/session.hpp>

#include <chrono>
#include <cmath>
#include <fstream>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace kap::test::samples {

inline std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

/// Runs a scenario's events through the engine under a reference protocol and keeps every
/// event with its decision, as a journal would.
inline reports::session_report_input run_scenario(const std::string& protocol_name, const std::string& jsonl_path) {
  auto p = json::reference_protocol(protocol_name);
  if (!p) throw std::runtime_error(p.error().message);
  auto v = validate(*p);
  if (!v) throw std::runtime_error(v.error().message);
  auto vp = std::make_shared<const validated_protocol>(std::move(*v));
  reports::session_report_input in;
  in.protocol = reports::summarize_protocol(vp->definition());
  in.synthetic = true;
  std::optional<session> s;
  for (auto& line : json::read_events_jsonl(read_text(jsonl_path))) {
    if (!line.event) throw std::runtime_error(line.event.error().message);
    const event& e = *line.event;
    if (!s) {
      in.session = e.session.str();
      s.emplace(vp, e.session);
    }
    in.decisions.push_back(s->apply(e));
    in.events.push_back(e);
  }
  return in;
}

/// The im-kap blood-pressure scenario: hold and critical blood pressure, rejected doses, alerts.
inline reports::session_report_input session_sample() {
  return run_scenario("im-kap", std::string(KAP_TEST_DATA_DIR) + "/scenarios/im-kap/blood-pressure.jsonl");
}

/// A course of `sessions` sessions twice weekly, PHQ-9 falling from 21 with some noise, then a
/// follow-up a week after the last session.
inline reports::course_report_input course_sample(int sessions = 40) {
  std::vector<reports::score_point> obs;
  obs.push_back({0, 21, 0});
  int day = 1;
  for (int k = 1; k <= sessions; ++k) {
    const double expected = 21.0 * (1.0 - 0.7 * (1.0 - std::exp(-(k - 1) / 3.0)));
    const int wobble = (k * 7) % 5 - 2;  // deterministic "noise" in -2..2
    const int total = std::max(0, std::min(27, static_cast<int>(std::lround(expected)) + wobble));
    obs.push_back({day, total, k});
    day += (k % 2 == 1) ? 3 : 4;  // twice a week
  }
  obs.push_back({day + 7, obs.back().total, sessions});
  reports::course_report_input in;
  in.subject = "SYN-im-kap-7";
  in.synthetic = true;
  in.start = timestamp{std::chrono::sys_days{std::chrono::year{2026} / 1 / 5}} + std::chrono::hours{9};
  in.instruments.push_back(reports::course_from_catalog("phq9", std::move(obs)).value());
  return in;
}

/// A Kaplan-Meier curve that falls by `drop` of what is left at each of `steps` times.
inline std::vector<reports::km_point> km(int steps, double drop, double width) {
  std::vector<reports::km_point> out;
  double s = 1;
  for (int t = 1; t <= steps; ++t) {
    s *= 1.0 - drop;
    out.push_back({static_cast<double>(t), s, std::max(0.0, s - width), std::min(1.0, s + width)});
  }
  return out;
}

/// Two arms: im-kap responds early, psychotherapy later and less.
inline reports::cohort_report_input cohort_sample() {
  reports::cohort_report_input in;
  in.synthetic = true;
  in.instrument = "phq9";
  in.time_unit = "sessions";
  reports::cohort_arm a;
  a.name = "im-kap";
  a.n = 120;
  a.response = reports::rate{0.62, 0.53, 0.70};
  a.remission = reports::rate{0.31, 0.23, 0.40};
  a.time_to_response = km(6, 0.22, 0.07);
  a.median_time_to_response = reports::median_time{3, 2, 4};
  a.completeness = {120, 113, {{"no assessment after baseline", 7}}};
  reports::cohort_arm b;
  b.name = "psychotherapy-50";
  b.n = 100;
  b.response = reports::rate{0.39, 0.30, 0.49};
  b.remission = reports::rate{0.18, 0.12, 0.27};
  b.time_to_response = km(12, 0.06, 0.08);
  b.median_time_to_response = std::nullopt;
  b.completeness = {100, 96, {{"no assessment after baseline", 3}, {"score out of range", 1}}};
  in.arms = {a, b};
  return in;
}

}  // namespace kap::test::samples
