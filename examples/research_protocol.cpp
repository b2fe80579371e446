// A researcher's view: write a protocol in C++, let kap validate it, then run it against a
// reference protocol on synthetic patients and compare the arms. Everything simulated here is
// SYNTHETIC DATA: the numbers describe the simulator's model, not any treatment, and nothing
// here is medical advice (docs/simulator.md says where each parameter comes from).
#include <kap/course/cohort.hpp>
#include <kap/course/simulate.hpp>
#include <kap/json.hpp>
#include <kap/protocol.hpp>

#include <cstdio>
#include <iostream>
#include <memory>

namespace {

namespace req = kap::requirements;

// A weekly intramuscular protocol with a longer integration phase: the arm under study.
kap::protocol_builder weekly_im_kap() {
  kap::dose_limit im{};
  im.route = kap::route::im;
  im.drug = kap::drug::ketamine;
  im.max_mg_per_kg = kap::mg_per_kg{0.75};
  im.max_mg = kap::milligrams{80};
  im.step_mg = kap::milligrams{5};
  kap::vitals_limits hold{};
  hold.systolic_max = kap::mmhg{140};
  hold.diastolic_max = kap::mmhg{90};
  hold.spo2_min = kap::spo2_percent{94};
  kap::vitals_limits critical{};
  critical.systolic_max = kap::mmhg{180};
  critical.diastolic_max = kap::mmhg{110};
  critical.spo2_min = kap::spo2_percent{90};
  kap::protocol_builder b("weekly-im-kap");
  b.title("Weekly IM KAP with extended integration (research sketch)")
      .version("0.1.0")
      .disclaimer("A research sketch for simulation; not a clinical protocol.")
      .contraindication("uncontrolled_hypertension", kap::tier::absolute)
      .contraindication("active_psychosis", kap::tier::absolute)
      .phase("preparation", kap::phase_kind::preparation)
      .phase("dosing", kap::phase_kind::dosing)
      .phase("integration", kap::phase_kind::integration)
      .phase("discharge", kap::phase_kind::discharge)
      .phase("aborted", kap::phase_kind::aborted)
      .transition("preparation", "dosing",
                  {req::consent_signed{}, req::screening_passed{}, req::checklist_done{"driver_arranged"}})
      .transition("dosing", "integration", {req::dose_given{}, req::min_time_since_dose{kap::minutes{45}}})
      .transition("integration", "discharge",
                  {req::min_time_in_phase{kap::minutes{30}}, req::vitals_within{},
                   req::signed_off{kap::role::prescriber, "discharge"}})
      .transition("preparation", "aborted")
      .transition("dosing", "aborted")
      .transition("integration", "aborted")
      .dose_requires({req::vitals_within{}})
      .limit(im)
      .vitals_hold(hold)
      .vitals_critical(critical)
      .vitals_every(kap::minutes{15}, {"dosing", "integration"});
  return b;
}

}  // namespace

int main() {
  // 1. Validation lists every problem, each with its path into the definition.
  auto broken = weekly_im_kap();
  broken.transition("integration", "follow_up");  // a phase that does not exist
  if (auto bad = broken.build(); !bad) std::cout << "refused as expected:\n" << bad.error().message << "\n\n";

  auto built = weekly_im_kap().build();
  if (!built) {
    std::cerr << built.error().message << "\n";
    return 1;
  }
  auto weekly = std::make_shared<const kap::validated_protocol>(std::move(*built));
  std::cout << "validated " << weekly->definition().id.str() << " (" << weekly->definition().phases.size()
            << " phases)\n";

  // 2. Two arms on the same synthetic population: the new protocol weekly for eight weeks, and
  //    the reference im-kap protocol on the simulator's default twice-weekly schedule.
  auto reference = kap::validate(kap::json::reference_protocol("im-kap").value());
  if (!reference) {
    std::cerr << reference.error().message << "\n";
    return 1;
  }
  auto weekly_arm = kap::course::default_arm("weekly-im-kap", weekly, 60);
  weekly_arm.session_days = {0, 7, 14, 21, 28, 35, 42, 49};
  weekly_arm.model.tau_sessions = 2.0;  // an assumption of this sketch, not a finding
  const auto im_arm = kap::course::default_arm(
      "im-kap", std::make_shared<const kap::validated_protocol>(std::move(*reference)), 60);
  kap::course::simulation_params params;
  params.seed = 2026;
  const auto courses = kap::course::simulate(params, {weekly_arm, im_arm});

  // 3. The comparison: response and remission with Wilson intervals, Kaplan-Meier time to first
  //    response, and the difference in response rates (Newcombe interval).
  const auto summary = kap::course::summarize_cohort(courses, /*synthetic=*/true);
  std::cout << "\nSYNTHETIC DATA: simulated patients, not real outcomes. Not medical advice.\n";
  for (const auto& a : summary.arms) {
    std::printf("%-14s n=%zu  completed %zu sessions, aborted %zu, rejected events %zu\n", a.arm.c_str(), a.n,
                a.sessions_completed, a.sessions_aborted, a.rejected_events);
    if (a.response) {
      std::printf("%-14s response %.0f%% (95%% CI %.0f-%.0f)", "", 100 * a.response->estimate,
                  100 * a.response->lower, 100 * a.response->upper);
    }
    if (a.sessions_to_response.median) {
      std::printf(", median %.0f sessions / %.0f days to first response", *a.sessions_to_response.median,
                  a.days_to_response.median.value_or(0));
    }
    std::printf("\n");
  }
  if (summary.comparison && summary.comparison->response_difference) {
    const auto& d = *summary.comparison->response_difference;
    std::printf("response difference %s - %s: %+.1f points (95%% CI %+.1f to %+.1f)\n",
                summary.comparison->first.c_str(), summary.comparison->second.c_str(), 100 * d.difference,
                100 * d.lower, 100 * d.upper);
  }
  return summary.arms.size() == 2 && summary.arms[0].sessions_completed > 0 ? 0 : 1;
}
