// kap::lint: each rule proved with a protocol that triggers it and one that does not.
#include <kap/json/reference.hpp>
#include <kap/protocol/builder.hpp>
#include <kap/protocol/lint.hpp>

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

namespace {

using namespace kap::requirements;
using kap::minutes;
using kap::phase_kind;
using kap::role;

kap::dose_limit im_limit() {
  kap::dose_limit l;
  l.route = kap::route::im;
  l.max_mg_per_kg = kap::mg_per_kg{0.5};
  return l;
}

// A small dosing protocol that lints clean; each test breaks one thing.
kap::protocol base() {
  return kap::protocol_builder("lint-base")
      .phase("preparation", phase_kind::preparation)
      .phase("dosing", phase_kind::dosing)
      .phase("monitoring", phase_kind::monitoring, {}, minutes{30}, minutes{120})
      .phase("discharge", phase_kind::discharge, {min_time_since_dose{minutes{60}}})
      .phase("aborted", phase_kind::aborted)
      .transition("preparation", "dosing", {consent_signed{}})
      .transition("dosing", "monitoring", {dose_given{}})
      .transition("monitoring", "discharge")
      .limit(im_limit())
      .vitals_every(minutes{15}, {"dosing", "monitoring"})
      .definition();
}

std::vector<kap::lint_finding> with_code(const kap::protocol& p, std::string_view code) {
  std::vector<kap::lint_finding> out;
  for (const auto& f : kap::lint(p)) {
    if (f.code == code) out.push_back(f);
  }
  return out;
}

std::string all(const kap::protocol& p) {
  std::string s;
  for (const auto& f : kap::lint(p)) s += f.code + " " + f.path + ": " + f.message + "\n";
  return s;
}

bool contains(const std::string& s, std::string_view part) { return s.find(part) != std::string::npos; }

kap::transition& find_transition(kap::protocol& p, std::string_view from, std::string_view to) {
  for (auto& t : p.transitions) {
    if (t.from == from && t.to == to) return t;
  }
  throw std::logic_error("no such transition");
}

TEST(Lint, BaseProtocolIsValidAndClean) {
  const auto p = base();
  EXPECT_TRUE(kap::check_protocol(p).empty());
  EXPECT_EQ(all(p), "");
  EXPECT_FALSE(kap::has_errors(kap::lint(p)));
}

TEST(Lint, EveryReferenceProtocolLintsClean) {
  for (auto name : kap::json::reference_protocol_names()) {
    auto p = kap::json::reference_protocol(name);
    ASSERT_TRUE(p) << name;
    EXPECT_EQ(all(*p), "") << name;
  }
}

// --- never_recorded ------------------------------------------------------------------------------

TEST(Lint, MeasureNoRoleMayRecordNeverHolds) {
  auto p = base();
  find_transition(p, "monitoring", "discharge").require.push_back(measure_recorded{"phq9"});
  EXPECT_TRUE(with_code(p, "never_recorded").empty()) << all(p);  // default permissions: fine
  p.permissions.push_back(kap::permission{kap::event_type::measure, {}, false});
  const auto f = with_code(p, "never_recorded");
  ASSERT_EQ(f.size(), 1U) << all(p);
  EXPECT_EQ(f[0].severity, kap::lint_severity::error);
  EXPECT_EQ(f[0].path, "/transitions/2/require/0");
  EXPECT_TRUE(contains(f[0].message, "measure_recorded(phq9) for monitoring -> discharge can never hold"));
  EXPECT_TRUE(contains(f[0].message, "no actor may record a measure (/permissions/0/roles)"));
  // The requirement blocks the only way to discharge.
  EXPECT_FALSE(with_code(p, "dead_end").empty());
}

TEST(Lint, MeasureByRolesNotOnTheRosterNeverHolds) {
  auto p = base();
  p.phases[3].entry.push_back(measure_at_most{"madrs", 20});
  p.permissions.push_back(kap::permission{kap::event_type::measure, {role::nurse}, false});
  p.roster = std::vector<kap::roster_entry>{{kap::actor_id{"T-1"}, {role::therapist}},
                                            {kap::actor_id{"P-1"}, {role::prescriber}}};
  auto f = with_code(p, "never_recorded");
  ASSERT_EQ(f.size(), 1U) << all(p);
  EXPECT_EQ(f[0].path, "/phases/3/entry/1");
  EXPECT_TRUE(contains(f[0].message, "measure_at_most(madrs) to enter \"discharge\" can never hold"));
  EXPECT_TRUE(contains(f[0].message, "/roster"));
  p.roster->push_back({kap::actor_id{"N-1"}, {role::nurse}});
  EXPECT_TRUE(with_code(p, "never_recorded").empty()) << all(p);
}

TEST(Lint, ClinicianRatedMeasureOnlyAPatientMayRecordNeverHolds) {
  auto p = base();
  find_transition(p, "monitoring", "discharge").require.push_back(measure_recorded{"madrs"});
  p.permissions.push_back(kap::permission{kap::event_type::measure, {role::patient}, false});
  auto f = with_code(p, "never_recorded");
  ASSERT_EQ(f.size(), 1U) << all(p);
  EXPECT_TRUE(contains(f[0].message, "only a patient may record a measure, and madrs is clinician-rated"));
  // A self-report instrument is fine for a patient.
  find_transition(p, "monitoring", "discharge").require.back() = measure_recorded{"phq9"};
  EXPECT_TRUE(with_code(p, "never_recorded").empty()) << all(p);
}

TEST(Lint, UnknownInstrumentNeverHolds) {
  auto p = base();
  p.schedules.measures.push_back(kap::measure_point{"phq10", "preparation"});
  auto f = with_code(p, "never_recorded");
  ASSERT_EQ(f.size(), 1U) << all(p);
  EXPECT_EQ(f[0].path, "/schedules/measures/0/instrument");
  EXPECT_TRUE(contains(f[0].message, "instrument \"phq10\" is not in kap's catalogue"));
  p.schedules.measures[0].instrument = "phq9";
  EXPECT_TRUE(with_code(p, "never_recorded").empty()) << all(p);
}

TEST(Lint, DoseGivenWithoutADosingPhaseNeverHolds) {
  auto p = kap::protocol_builder("talk")
               .phase("preparation", phase_kind::preparation)
               .phase("psychotherapy", phase_kind::psychotherapy)
               .phase("discharge", phase_kind::discharge)
               .phase("aborted", phase_kind::aborted)
               .transition("preparation", "psychotherapy", {dose_given{}})
               .transition("psychotherapy", "discharge")
               .definition();
  auto f = with_code(p, "never_recorded");
  ASSERT_EQ(f.size(), 1U) << all(p);
  EXPECT_EQ(f[0].path, "/transitions/0/require/0");
  EXPECT_TRUE(contains(f[0].message, "the protocol has no dosing phase"));
  p.transitions[0].require = {consent_signed{}};
  EXPECT_EQ(all(p), "");
}

TEST(Lint, ConsentNoRoleMayRecordNeverHolds) {
  auto p = base();
  p.permissions.push_back(kap::permission{kap::event_type::consent, {role::patient}, false});
  EXPECT_TRUE(with_code(p, "never_recorded").empty()) << all(p);  // a patient may consent
  p.permissions[0].roles = {};
  auto f = with_code(p, "never_recorded");
  ASSERT_EQ(f.size(), 1U) << all(p);
  EXPECT_EQ(f[0].path, "/transitions/0/require/0");
  EXPECT_TRUE(contains(f[0].message, "consent_signed for preparation -> dosing can never hold"));
}

// --- signoff_role_unavailable ----------------------------------------------------------------------

TEST(Lint, SignOffByARoleThatMayNotSignNeverHolds) {
  auto p = base();
  p.phases[3].entry.push_back(signed_off{role::prescriber, "discharge"});
  EXPECT_TRUE(with_code(p, "signoff_role_unavailable").empty()) << all(p);
  p.phases[3].entry.back() = signed_off{role::patient, "discharge"};
  auto f = with_code(p, "signoff_role_unavailable");
  ASSERT_EQ(f.size(), 1U) << all(p);
  EXPECT_EQ(f[0].severity, kap::lint_severity::error);
  EXPECT_EQ(f[0].path, "/phases/3/entry/1/role");
  EXPECT_TRUE(contains(f[0].message, "a patient may not record a sign-off (/permissions)"));
}

TEST(Lint, SignOffByARoleNoOneOnTheRosterHoldsNeverHolds) {
  auto p = base();
  p.dose_requires.push_back(signed_off{role::prescriber, "dose_order"});
  p.roster = std::vector<kap::roster_entry>{{kap::actor_id{"N-1"}, {role::nurse}}};
  auto f = with_code(p, "signoff_role_unavailable");
  ASSERT_EQ(f.size(), 1U) << all(p);
  EXPECT_EQ(f[0].path, "/dose_requires/0/role");
  EXPECT_TRUE(contains(f[0].message, "signed_off(prescriber, dose_order) before a dose can never hold: no one on the "
                                     "roster acts as a prescriber."));
  p.roster->push_back({kap::actor_id{"P-1"}, {role::prescriber, role::therapist}});
  EXPECT_TRUE(with_code(p, "signoff_role_unavailable").empty()) << all(p);
}

// --- min_time_beyond_max ----------------------------------------------------------------------------

TEST(Lint, MinTimeInPhaseBeyondTheMaxDuration) {
  auto p = base();
  find_transition(p, "monitoring", "discharge").require.push_back(min_time_in_phase{minutes{120}});
  EXPECT_TRUE(with_code(p, "min_time_beyond_max").empty()) << all(p);  // equal to the max: fine
  find_transition(p, "monitoring", "discharge").require.back() = min_time_in_phase{minutes{150}};
  auto f = with_code(p, "min_time_beyond_max");
  ASSERT_EQ(f.size(), 1U) << all(p);
  EXPECT_EQ(f[0].path, "/transitions/2/require/0/duration");
  EXPECT_TRUE(contains(f[0].message, "min_time_in_phase 150 min for monitoring -> discharge exceeds the 120 min "
                                     "max_duration of phase \"monitoring\""));
}

TEST(Lint, MinTimeInPhaseOfAnEntryRequirementIsMeasuredInEachPhaseBefore) {
  auto p = base();
  p.phases[3].entry.push_back(min_time_in_phase{minutes{130}});
  auto f = with_code(p, "min_time_beyond_max");
  ASSERT_EQ(f.size(), 1U) << all(p);
  EXPECT_EQ(f[0].path, "/phases/3/entry/1/duration");
  EXPECT_TRUE(contains(f[0].message, "to enter \"discharge\""));
  p.phases[2].max_duration.reset();  // no maximum: nothing to exceed
  EXPECT_TRUE(with_code(p, "min_time_beyond_max").empty()) << all(p);
}

// --- unmonitored_after_dose -------------------------------------------------------------------------

TEST(Lint, PhaseAfterADoseWithoutVitals) {
  auto p = base();
  p.schedules.vitals[0].phases = {"dosing"};
  auto f = with_code(p, "unmonitored_after_dose");
  ASSERT_EQ(f.size(), 1U) << all(p);
  EXPECT_EQ(f[0].severity, kap::lint_severity::error);
  EXPECT_EQ(f[0].path, "/phases/2");
  EXPECT_TRUE(contains(f[0].message, "phase \"monitoring\" can follow a dose before discharge"));
  // A second schedule covering it is as good.
  p.schedules.vitals.push_back(kap::vitals_schedule{{"monitoring"}, minutes{30}});
  EXPECT_TRUE(with_code(p, "unmonitored_after_dose").empty()) << all(p);
}

TEST(Lint, PhasesBeforeTheDoseNeedNoVitals) {
  auto p = base();
  // preparation is before any dose; an integration phase after monitoring is not.
  p.phases.insert(p.phases.begin() + 3, kap::phase{"integration", phase_kind::integration, {}, {}, {}});
  find_transition(p, "monitoring", "discharge").to = "integration";
  p.transitions.push_back(kap::transition{"integration", "discharge", {}});
  auto f = with_code(p, "unmonitored_after_dose");
  ASSERT_EQ(f.size(), 1U) << all(p);
  EXPECT_EQ(f[0].path, "/phases/3");
  p.schedules.vitals[0].phases.push_back("integration");
  EXPECT_EQ(all(p), "");
}

// --- discharge_without_dose_wait ----------------------------------------------------------------------

TEST(Lint, DischargeWithoutAMinimumTimeSinceTheDose) {
  auto p = base();
  p.phases[3].entry.clear();
  auto f = with_code(p, "discharge_without_dose_wait");
  ASSERT_EQ(f.size(), 1U) << all(p);
  EXPECT_EQ(f[0].path, "/phases/3/entry");
  EXPECT_TRUE(contains(f[0].message, "discharge phase \"discharge\" can be entered after a dose without a minimum "
                                     "time since the last dose"));
  // On every transition into it is as good as on its entry.
  find_transition(p, "monitoring", "discharge").require.push_back(min_time_since_dose{minutes{60}});
  EXPECT_EQ(all(p), "");
}

TEST(Lint, DischargeWaitMustBeOnEveryWayIn) {
  auto p = base();
  p.phases[3].entry.clear();
  find_transition(p, "monitoring", "discharge").require.push_back(min_time_since_dose{minutes{60}});
  p.transitions.push_back(kap::transition{"dosing", "discharge", {}});
  EXPECT_EQ(with_code(p, "discharge_without_dose_wait").size(), 1U) << all(p);
}

TEST(Lint, ProtocolWithoutDosesNeedsNoDischargeWait) {
  auto p = base();
  p.phases[3].entry.clear();
  p.permissions.push_back(kap::permission{kap::event_type::dose, {}, true});  // no one may dose
  EXPECT_TRUE(with_code(p, "discharge_without_dose_wait").empty()) << all(p);
}

// --- dead_end ------------------------------------------------------------------------------------------

TEST(Lint, DeadEndWhenEveryWayToDischargeNeedsWhatCannotHold) {
  auto p = base();
  find_transition(p, "monitoring", "discharge").require.push_back(signed_off{role::system, "discharge"});
  auto f = with_code(p, "dead_end");
  ASSERT_EQ(f.size(), 3U) << all(p);  // preparation, dosing and monitoring
  EXPECT_EQ(f[0].path, "/phases/0");
  EXPECT_EQ(f[2].path, "/phases/2");
  EXPECT_EQ(f[2].message,
            "no discharge can be reached from \"monitoring\": every path to a discharge is missing or needs a "
            "requirement that can never hold; only an abort ends the session.");
  // A second way out clears it.
  p.transitions.push_back(kap::transition{"monitoring", "discharge", {min_time_in_phase{minutes{60}}}});
  EXPECT_TRUE(with_code(p, "dead_end").empty()) << all(p);
}

TEST(Lint, DeadEndWhenNoOneMayChangePhase) {
  auto p = base();
  p.permissions.push_back(kap::permission{kap::event_type::phase, {role::monitor}, false});
  EXPECT_TRUE(with_code(p, "dead_end").empty()) << all(p);
  p.roster = std::vector<kap::roster_entry>{{kap::actor_id{"N-1"}, {role::nurse, role::prescriber}}};
  auto f = with_code(p, "dead_end");
  ASSERT_EQ(f.size(), 3U) << all(p);
  EXPECT_TRUE(contains(f[0].message, "no actor may record a phase event (/permissions/0/roles)"));
}

// --- abort_unavailable ----------------------------------------------------------------------------------

TEST(Lint, AbortNoOneMayRecord) {
  auto p = base();
  p.permissions.push_back(kap::permission{kap::event_type::abort, {role::monitor}, false});
  EXPECT_TRUE(with_code(p, "abort_unavailable").empty()) << all(p);
  p.permissions[0].roles.clear();
  auto f = with_code(p, "abort_unavailable");
  ASSERT_EQ(f.size(), 1U) << all(p);
  EXPECT_EQ(f[0].severity, kap::lint_severity::error);
  EXPECT_EQ(f[0].path, "/permissions/0/roles");
  EXPECT_EQ(f[0].message, "no actor may record an abort event, so no phase can reach the aborted phase.");
}

TEST(Lint, DeadEndWithoutAbortSaysSo) {
  auto p = base();
  p.permissions.push_back(kap::permission{kap::event_type::abort, {}, false});
  find_transition(p, "monitoring", "discharge").require.push_back(signed_off{role::patient, "x"});
  auto f = with_code(p, "dead_end");
  ASSERT_FALSE(f.empty()) << all(p);
  EXPECT_TRUE(contains(f[0].message, ", and no abort either.")) << f[0].message;
}

// --- schedule_never_due ----------------------------------------------------------------------------------

TEST(Lint, VitalsIntervalLongerThanTheOnlyPhaseItCovers) {
  auto p = base();
  p.phases[0].max_duration = minutes{10};
  p.schedules.vitals.push_back(kap::vitals_schedule{{"preparation"}, minutes{15}});
  auto f = with_code(p, "schedule_never_due");
  ASSERT_EQ(f.size(), 1U) << all(p);
  EXPECT_EQ(f[0].severity, kap::lint_severity::warning);
  EXPECT_EQ(f[0].path, "/schedules/vitals/1/phases/0");
  EXPECT_TRUE(contains(f[0].message, "vitals every 15 min never fall due in phase \"preparation\", which lasts at "
                                     "most 10 min"));
  EXPECT_FALSE(kap::has_errors(kap::lint(p)));
  p.schedules.vitals[1].every = minutes{10};
  EXPECT_TRUE(with_code(p, "schedule_never_due").empty()) << all(p);
}

TEST(Lint, VitalsIntervalRunsOnIntoTheNextPhaseOfTheSchedule) {
  auto p = base();
  p.phases[1].max_duration = minutes{10};  // dosing, followed by monitoring on the same schedule
  EXPECT_TRUE(with_code(p, "schedule_never_due").empty()) << all(p);
}

// --- dose_check_after_discharge ----------------------------------------------------------------------------

TEST(Lint, DoseCheckThatOpensAfterDischargeIsAllowed) {
  auto p = base();
  p.schedules.dose_checks.push_back(kap::dose_check{"bp_90min", minutes{90}, minutes{5}});
  auto f = with_code(p, "dose_check_after_discharge");
  ASSERT_EQ(f.size(), 1U) << all(p);
  EXPECT_EQ(f[0].severity, kap::lint_severity::warning);
  EXPECT_EQ(f[0].path, "/schedules/dose_checks/0");
  EXPECT_EQ(f[0].message, "dose check \"bp_90min\" opens 85 min after a dose, but \"discharge\" can be entered 60 min "
                          "after it: the session can close before the check.");
  p.schedules.dose_checks[0] = kap::dose_check{"bp_40min", minutes{40}, minutes{5}};
  EXPECT_EQ(all(p), "");
}

}  // namespace
