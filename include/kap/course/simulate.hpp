#pragma once

/// @file
/// A seeded, deterministic simulator of synthetic patients: KAP protocols against traditional
/// psychotherapy. ALL OUTPUT IS SYNTHETIC; it illustrates the software, not any treatment.
///
/// Each synthetic patient has a baseline PHQ-9, a personal response (a share of patients do not
/// respond), session-to-session noise, a chance of dropping out before each session, adverse
/// events and resting vitals. Each session is driven through the real engine
/// (`session_driver` -> `session::apply`) on a virtual clock - no sleeping, no wall clock - and
/// each course through `course`'s rules. The same seed gives byte-identical output.
///
/// The trajectory model: total_k = baseline * (1 - r * (1 - exp(-k / tau))) + noise, where k is
/// the number of sessions completed before the assessment, r is the patient's reduction (drawn around the arm's `max_reduction`,
/// near 0 for non-responders). Default parameters are drawn from published summary figures
/// (docs/simulator.md): baseline PHQ-9 15.4 (SD 5.5) as in routine psychological therapy data;
/// KAP arms reach about the >=50% improvement rate reported for KAP programmes within a few
/// sessions; psychotherapy reaches a ~39% mean reduction over 12 weekly sessions. They are
/// illustrative defaults, configurable, and are not estimates of any treatment's effect.

#include <kap/course/course.hpp>
#include <kap/core/config.hpp>
#include <kap/core/result.hpp>
#include <kap/protocol/validate.hpp>
#include <kap/events/decision.hpp>
#include <kap/events/event.hpp>

#include <boost/describe/class.hpp>

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace kap::course {

/// How a synthetic patient's scores move under an arm.
struct response_model {
  double max_reduction = 0.65;       ///< mean fractional reduction for responders at plateau
  double reduction_sd = 0.15;        ///< spread of that reduction between patients
  double tau_sessions = 1.0;         ///< sessions to reach ~63% of the plateau
  double nonresponder_share = 0.25;  ///< patients whose reduction is near zero
  double noise_sd = 1.5;             ///< session-to-session noise, PHQ-9 points
  double dropout_per_session = 0.03; ///< chance of leaving before each session
  friend bool operator==(const response_model&, const response_model&) = default;
};
BOOST_DESCRIBE_STRUCT(response_model, (),
                      (max_reduction, reduction_sd, tau_sessions, nonresponder_share, noise_sd, dropout_per_session))

/// One arm: a protocol, how many patients, its schedule and response model.
struct arm_spec {
  std::string name;                                   ///< e.g. "im-kap"
  std::shared_ptr<const validated_protocol> protocol;  ///< the protocol every session of the arm runs under
  std::size_t patients = 100;  ///< how many synthetic patients
  std::vector<int> session_days;                      ///< day of each session from intake
  int follow_up_days = 7;                             ///< a last assessment this long after the last session
  response_model model;  ///< how the synthetic scores respond
};

/// Parameters shared by all arms.
struct simulation_params {
  std::uint64_t seed = 1;  ///< the seed every patient's generator derives from
  double baseline_mean = 15.4;  ///< PHQ-9 at intake
  double baseline_sd = 5.5;  ///< spread of the PHQ-9 at intake
  int baseline_min = 10;        ///< caseness threshold: patients below are not enrolled
  double elevated_bp_share = 0.03;  ///< patients whose blood pressure holds their dosing
  double nausea_rate = 0.28;        ///< per dosing session
  double dissociation_rate = 0.41;  ///< per dosing session
};

/// The longest schedule, in days from intake, `check_simulation` accepts for a session day or a
/// follow-up (ten years; it keeps day arithmetic far from `int` overflow).
inline constexpr int max_simulation_day = 3650;

/// Checks simulation parameters and arms before `simulate` runs them.
/// @param params the shared parameters
/// @param arms the arms
/// @return nothing, or the first problem, naming its field:
///   - `errc::out_of_range`: `baseline_mean` not a finite number in 0-27; `baseline_sd` not a
///     finite number >= 0; `baseline_min` outside 0-27; a share or rate (`elevated_bp_share`,
///     `nausea_rate`, `dissociation_rate`, `model.nonresponder_share`,
///     `model.dropout_per_session`) or `model.max_reduction` not a finite number in 0-1;
///     `model.reduction_sd` or `model.noise_sd` not a finite number >= 0; `model.tau_sessions`
///     not a finite number > 0; an empty `session_days`; a session day outside 0-3650 or not
///     later than the one before it; `follow_up_days` outside 0-3650
///     (`arms[0].model.tau_sessions: 0 must be a finite number > 0`)
///   - `errc::missing_field`: an arm without a protocol (`arms[1].protocol: no protocol`)
/// Complexity: linear in the number of arms and session days.
[[nodiscard]] KAP_CORE_API result<void> check_simulation(const simulation_params& params, const std::vector<arm_spec>& arms);

/// Default schedules and models: KAP arms twice weekly for 3 weeks (6 sessions); a protocol
/// without a dosing phase weekly for 12 weeks with a slower, smaller response.
[[nodiscard]] KAP_CORE_API arm_spec default_arm(std::string name, std::shared_ptr<const validated_protocol> protocol,
                                          std::size_t patients);

/// One synthetic patient's course, as recorded.
struct course_record {
  std::string arm;  ///< the arm's name
  std::string subject;  ///< the synthetic subject's pseudonymous id
  /// PHQ-9 total at intake
  int baseline = 0;
  std::vector<measures::course_observation> observations;  ///< day from intake, PHQ-9 total
  std::vector<int> session_of_observation;                 ///< session index of each (0 = baseline)
  int sessions_completed = 0;  ///< dosing sessions that reached discharge
  int sessions_aborted = 0;  ///< dosing sessions that were aborted
  bool dropped_out = false;  ///< true when the patient left before the last planned session
  std::size_t events = 0;  ///< events recorded
  std::size_t rejected = 0;  ///< events the engine rejected
  friend bool operator==(const course_record&, const course_record&) = default;
};
BOOST_DESCRIBE_STRUCT(course_record, (),
                      (arm, subject, baseline, observations, session_of_observation, sessions_completed,
                       sessions_aborted, dropped_out, events, rejected))

/// Receives every event the simulator records, with its decision (to write streams to disk).
using event_sink = std::function<void(const std::string& arm, const event&, const decision&)>;

/// Runs every arm. Deterministic: each patient draws from its own generator seeded from
/// (seed, arm index, patient index), so adding an arm does not change another arm's patients.
/// @param params the shared parameters
/// @param arms the arms, each with its protocol, schedule and response model
/// @param sink receives every event and its decision, when set
/// @return one record per patient, arm by arm; no records at all (and no sink calls) when
///         `check_simulation(params, arms)` fails - call it first to learn why
[[nodiscard]] KAP_CORE_API std::vector<course_record> simulate(const simulation_params& params,
                                                         const std::vector<arm_spec>& arms,
                                                         const event_sink& sink = {});

}  // namespace kap::course

// The definitions: compiled into kap::core (src/course/simulate.cpp), or, with
// KAP_HEADER_ONLY, included here.
#if defined(KAP_HEADER_ONLY)
#include <kap/course/simulate-inl.hpp>
#endif
