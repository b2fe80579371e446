#pragma once

// The definitions of kap/course/simulate.hpp's functions. Not a public header: compiled into kap::core by
// src/course/simulate.cpp, or included by simulate.hpp when KAP_HEADER_ONLY is defined
// (kap/core/config.hpp). KAP_FUNC is `inline` only then.

#include <kap/course/driver.hpp>
#include <kap/course/simulate.hpp>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <random>
#include <system_error>

namespace kap::course {

KAP_FUNC result<void> check_simulation(const simulation_params& params, const std::vector<arm_spec>& arms) {
  auto text = [](double v) {  // shortest round-trip form: "0.5", "nan", "-inf"
    char buf[32];
    const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
    return ec == std::errc{} ? std::string(buf, end) : std::string("?");
  };
  auto fraction = [&](const std::string& field, double v) -> result<void> {
    if (std::isfinite(v) && v >= 0.0 && v <= 1.0) return {};
    return error{errc::out_of_range, field + ": " + text(v) + " must be a finite number in 0-1"};
  };
  auto spread = [&](const std::string& field, double v) -> result<void> {
    if (std::isfinite(v) && v >= 0.0) return {};
    return error{errc::out_of_range, field + ": " + text(v) + " must be a finite number >= 0"};
  };
  auto day = [](const std::string& field, int v) -> result<void> {
    if (v >= 0 && v <= max_simulation_day) return {};
    return error{errc::out_of_range, field + ": " + std::to_string(v) + " is outside 0-" + std::to_string(max_simulation_day)};
  };
  if (!std::isfinite(params.baseline_mean) || params.baseline_mean < 0.0 || params.baseline_mean > 27.0) {
    return error{errc::out_of_range, "baseline_mean: " + text(params.baseline_mean) + " must be a finite number in 0-27"};
  }
  if (auto r = spread("baseline_sd", params.baseline_sd); !r) return r;
  if (params.baseline_min < 0 || params.baseline_min > 27) {
    return error{errc::out_of_range, "baseline_min: " + std::to_string(params.baseline_min) + " is outside 0-27"};
  }
  if (auto r = fraction("elevated_bp_share", params.elevated_bp_share); !r) return r;
  if (auto r = fraction("nausea_rate", params.nausea_rate); !r) return r;
  if (auto r = fraction("dissociation_rate", params.dissociation_rate); !r) return r;
  for (std::size_t a = 0; a < arms.size(); ++a) {
    const arm_spec& arm = arms[a];
    const std::string at = "arms[" + std::to_string(a) + "].";
    if (!arm.protocol) return error{errc::missing_field, at + "protocol: no protocol"};
    if (arm.session_days.empty()) return error{errc::out_of_range, at + "session_days: must not be empty"};
    for (std::size_t k = 0; k < arm.session_days.size(); ++k) {
      const std::string field = at + "session_days[" + std::to_string(k) + "]";
      if (auto r = day(field, arm.session_days[k]); !r) return r;
      if (k > 0 && arm.session_days[k] <= arm.session_days[k - 1]) {
        return error{errc::out_of_range, field + ": " + std::to_string(arm.session_days[k]) +
                                             " is not later than the day before it, " +
                                             std::to_string(arm.session_days[k - 1])};
      }
    }
    if (auto r = day(at + "follow_up_days", arm.follow_up_days); !r) return r;
    const response_model& m = arm.model;
    if (auto r = fraction(at + "model.max_reduction", m.max_reduction); !r) return r;
    if (auto r = spread(at + "model.reduction_sd", m.reduction_sd); !r) return r;
    if (!std::isfinite(m.tau_sessions) || m.tau_sessions <= 0.0) {
      return error{errc::out_of_range, at + "model.tau_sessions: " + text(m.tau_sessions) + " must be a finite number > 0"};
    }
    if (auto r = fraction(at + "model.nonresponder_share", m.nonresponder_share); !r) return r;
    if (auto r = spread(at + "model.noise_sd", m.noise_sd); !r) return r;
    if (auto r = fraction(at + "model.dropout_per_session", m.dropout_per_session); !r) return r;
  }
  return {};
}

KAP_FUNC arm_spec default_arm(std::string name, std::shared_ptr<const validated_protocol> protocol,
                                          std::size_t patients) {
  arm_spec a;
  a.name = std::move(name);
  a.patients = patients;
  bool dosing = false;
  for (const auto& p : protocol->definition().phases) dosing = dosing || p.kind == phase_kind::dosing;
  if (dosing) {
    a.session_days = {0, 3, 7, 10, 14, 17};
    a.model = response_model{};
  } else {
    a.session_days = {0, 7, 14, 21, 28, 35, 42, 49, 56, 63, 70, 77};
    a.model = response_model{0.50, 0.15, 4.0, 0.30, 1.5, 0.04};
  }
  a.protocol = std::move(protocol);
  return a;
}

KAP_FUNC std::vector<course_record> simulate(const simulation_params& params,
                                                         const std::vector<arm_spec>& arms,
                                                         const event_sink& sink) {
  std::vector<course_record> out;
  if (!check_simulation(params, arms)) return out;
  const timestamp origin = timestamp{std::chrono::sys_days{std::chrono::year{2026} / 1 / 5}};
  for (std::size_t a = 0; a < arms.size(); ++a) {
    const arm_spec& arm = arms[a];
    for (std::size_t i = 0; i < arm.patients; ++i) {
      std::seed_seq seq{static_cast<std::uint32_t>(params.seed), static_cast<std::uint32_t>(params.seed >> 32),
                        static_cast<std::uint32_t>(a), static_cast<std::uint32_t>(i)};
      std::mt19937_64 rng(seq);
      std::normal_distribution<double> normal(0.0, 1.0);
      std::uniform_real_distribution<double> uniform(0.0, 1.0);

      course_record rec;
      rec.arm = arm.name;
      rec.subject = "SYN-" + arm.name + "-" + std::to_string(i + 1);
      const double base = std::clamp(params.baseline_mean + params.baseline_sd * normal(rng),
                                     static_cast<double>(params.baseline_min), 27.0);
      rec.baseline = static_cast<int>(std::lround(base));
      const bool responder = uniform(rng) >= arm.model.nonresponder_share;
      const double reduction =
          responder ? std::clamp(arm.model.max_reduction + arm.model.reduction_sd * normal(rng), 0.05, 0.95)
                    : std::clamp(0.08 + 0.05 * normal(rng), 0.0, 0.2);
      subject_profile subject;
      subject.weight = kilograms{std::round(std::clamp(78.0 + 14.0 * normal(rng), 45.0, 150.0))};
      subject.age = static_cast<int>(std::clamp(42.0 + 12.0 * normal(rng), 18.0, 80.0));
      subject.dose_fraction = 1.0;
      if (uniform(rng) < params.elevated_bp_share) {
        subject.systolic = 156;
        subject.diastolic = 96;
      }

      course c(subject_id{rec.subject}, course_plan{arm.protocol->definition().id.str(), "phq9",
                                                    static_cast<int>(arm.session_days.size()), hours{48},
                                                    arm.session_days, false, {}});
      const timestamp intake_at = origin + std::chrono::days{static_cast<int>(i % 28)} + hours{9};
      (void)c.record_visit({visit_kind::intake, intake_at, std::nullopt, true});
      (void)c.record_assessment({intake_at, rec.baseline});
      rec.observations.push_back({0, rec.baseline});
      rec.session_of_observation.push_back(0);

      for (std::size_t k = 0; k < arm.session_days.size(); ++k) {
        if (uniform(rng) < arm.model.dropout_per_session) {
          rec.dropped_out = true;
          break;
        }
        const int day = arm.session_days[k] + 1;  // the first session the day after intake
        const timestamp start = intake_at + std::chrono::days{day};
        // The score before this session reflects the sessions completed so far: an aborted session
        // (no dose, no therapy hour) does not move the curve.
        const double expected = base * (1.0 - reduction * (1.0 - std::exp(-static_cast<double>(rec.sessions_completed) /
                                                                            arm.model.tau_sessions)));
        const int total = static_cast<int>(
            std::lround(std::clamp(expected + arm.model.noise_sd * normal(rng), 0.0, 27.0)));
        subject.measure_totals["phq9"] = total;
        subject.measure_totals["cadss"] = static_cast<int>(std::lround(std::clamp(8.0 + 5.0 * normal(rng), 0.0, 40.0)));
        subject.after_dose.clear();
        if (uniform(rng) < params.nausea_rate) subject.after_dose.push_back({"nausea", events::severity::mild, std::nullopt});
        if (uniform(rng) < params.dissociation_rate) {
          subject.after_dose.push_back({"dissociation", events::severity::moderate, std::nullopt});
        }

        const session_id sid{rec.subject + "-s" + std::to_string(k + 1)};
        session_driver driver(arm.protocol, sid, subject, start, rng());
        // The primary outcome, self-reported before the session.
        (void)driver.record(role::patient, events::measure{"phq9", items_for("phq9", total)});
        auto run = driver.run();
        (void)c.record_assessment({start, total});
        rec.observations.push_back({day, total});
        rec.session_of_observation.push_back(static_cast<int>(k + 1));
        const bool completed = run.completed;
        (void)c.record_visit({visit_kind::dosing, start, sid, completed});
        rec.sessions_completed += completed ? 1 : 0;
        rec.sessions_aborted += completed ? 0 : 1;
        // record() above is in the driver's stream too.
        for (std::size_t j = 0; j < run.events.size(); ++j) {
          ++rec.events;
          rec.rejected += run.decisions[j].outcome == outcome::rejected ? 1U : 0U;
          if (sink) sink(arm.name, run.events[j], run.decisions[j]);
        }
      }
      if (!rec.dropped_out && arm.follow_up_days > 0) {
        // The follow-up assessment, on the model's curve after the last session.
        const auto k = static_cast<double>(rec.sessions_completed);
        const double expected = base * (1.0 - reduction * (1.0 - std::exp(-k / arm.model.tau_sessions)));
        const int total = static_cast<int>(std::lround(std::clamp(expected + arm.model.noise_sd * normal(rng), 0.0, 27.0)));
        const int day = arm.session_days.back() + 1 + arm.follow_up_days;
        (void)c.record_assessment({intake_at + std::chrono::days{day}, total});
        rec.observations.push_back({day, total});
        rec.session_of_observation.push_back(static_cast<int>(arm.session_days.size()));
      }
      out.push_back(std::move(rec));
    }
  }
  return out;
}

}  // namespace kap::course
