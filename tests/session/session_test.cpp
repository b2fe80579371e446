#include <kap/protocol/builder.hpp>
#include <kap/session/session.hpp>

#include "fixture.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <limits>
#include <string>

namespace {

using kap::test::at;
using kap::test::ev;

class SessionTest : public ::testing::Test {
 protected:
  std::shared_ptr<const kap::validated_protocol> p = kap::test::load_protocol("test-im");
};

std::string state_of(const kap::session& s) { return kap::json::to_string(s.snapshot()); }

kap::dose_limit im_limit_50mg() {
  kap::dose_limit l;
  l.route = kap::route::im;
  l.drug = kap::drug::ketamine;
  l.max_mg = kap::milligrams{50};
  return l;
}

TEST_F(SessionTest, OpensInTheInitialPhase) {
  kap::session s(p, kap::session_id{"S-1"});
  EXPECT_EQ(s.phase(), "screening");
  EXPECT_FALSE(s.closed());
  EXPECT_FALSE(s.phase_since());
  KAP_ACCEPT(s, ev("e-1", "09:00", "prescriber", R"("type":"consent","scope":"kap")"));
  EXPECT_EQ(s.phase_since(), at("09:00"));
}

TEST_F(SessionTest, LeavingScreeningWithoutConsentIsRejectedByName) {
  kap::session s(p, kap::session_id{"S-1"});
  KAP_ACCEPT(s, ev("e-1", "09:30", "prescriber",
                   R"("type":"screening","weight_kg":80,"age":40,"answers":{"aneurysmal_vascular_disease":false,)"
                   R"("psychosis_history":false,"pregnancy":false,"uncontrolled_hypertension":false})"));
  const auto d = s.apply(ev("e-2", "09:35", "prescriber", R"("type":"phase","to":"preparation")"));
  EXPECT_EQ(d.outcome, kap::outcome::rejected);
  EXPECT_EQ(d.code, kap::errc::requirement_unmet);
  EXPECT_EQ(d.message, "cannot move to preparation: consent not signed");
  ASSERT_EQ(d.unmet.size(), 1U);
  EXPECT_EQ(d.unmet[0].requirement, "consent_signed");
  EXPECT_EQ(s.phase(), "screening");
}

TEST_F(SessionTest, DoseBeforeConsentAndScreeningIsRejected) {
  // A protocol that opens in its dosing phase, so only dose_requires stands in the way.
  auto built = kap::protocol_builder("open-dosing")
                   .phase("dosing", kap::phase_kind::dosing)
                   .phase("discharge", kap::phase_kind::discharge)
                   .phase("aborted", kap::phase_kind::aborted)
                   .transition("dosing", "discharge")
                   .dose_requires({kap::requirements::consent_signed{}, kap::requirements::screening_passed{}})
                   .limit(im_limit_50mg())
                   .vitals_every(kap::minutes{15}, {"dosing"})
                   .build();
  ASSERT_TRUE(built) << built.error().message;
  kap::session s(std::make_shared<const kap::validated_protocol>(std::move(*built)), kap::session_id{"S-1"});
  const auto d = s.apply(ev("e-1", "10:00", "nurse", R"("type":"dose","drug":"ketamine","route":"im","mg":20)"));
  EXPECT_EQ(d.code, kap::errc::requirement_unmet);
  EXPECT_EQ(d.message, "dose requirements not met: consent not signed");
  ASSERT_EQ(d.unmet.size(), 2U);
  EXPECT_EQ(d.unmet[0].requirement, "consent_signed");
  EXPECT_EQ(d.unmet[1].requirement, "screening_passed");
  EXPECT_EQ(d.unmet[1].message, "screening not recorded");
  EXPECT_TRUE(s.doses().empty());
}

TEST_F(SessionTest, BloodPressureAboveTheHoldLimitBlocksDosingAndNamesTheValue) {
  auto s = kap::test::session_at_dosing(p);
  const auto v = s.apply(ev("e-9", "10:10", "nurse", R"("type":"vitals","systolic":152,"diastolic":94)"));
  ASSERT_TRUE(v.accepted());
  ASSERT_EQ(v.alerts.size(), 1U);
  EXPECT_EQ(v.alerts[0].kind, kap::alert_kind::vitals_hold);
  EXPECT_EQ(v.alerts[0].severity, kap::alert_severity::warning);
  EXPECT_EQ(v.alerts[0].message, "blood pressure 152/94 mmHg is above the 140/90 limit");

  const auto d = s.apply(ev("e-10", "10:11", "nurse", R"("type":"dose","drug":"ketamine","route":"im","mg":40)"));
  EXPECT_EQ(d.code, kap::errc::requirement_unmet);
  ASSERT_EQ(d.unmet.size(), 1U);
  EXPECT_EQ(d.unmet[0].requirement, "vitals_within");
  EXPECT_EQ(d.unmet[0].message, "blood pressure 152/94 mmHg is above the 140/90 limit");
  EXPECT_EQ(s.blockers("guided_meditation", at("10:11")).at(0).message, "no dose given");
}

// test-im-eu is test-im with the EU SmPC's pre-dose guide: 150/90 from 65 years, 140/90 below.
kap::session screened_at_age(const std::shared_ptr<const kap::validated_protocol>& eu, int age) {
  kap::session s(eu, kap::session_id{"S-1"});
  auto must = [&](const kap::event& e) {
    const auto d = s.apply(e);
    EXPECT_TRUE(d.accepted()) << e.id.str() << ": " << d.message;
  };
  must(ev("e-1", "09:30", "prescriber",
          R"("type":"screening","weight_kg":80,"age":)" + std::to_string(age) +
              R"(,"answers":{"aneurysmal_vascular_disease":false,"psychosis_history":false,"pregnancy":false,)"
              R"("uncontrolled_hypertension":false})"));
  must(ev("e-2", "09:31", "prescriber", R"("type":"consent","scope":"kap-session")"));
  must(ev("e-3", "09:35", "prescriber", R"("type":"phase","to":"preparation")"));
  must(ev("e-4", "09:40", "therapist", R"("type":"checklist","item":"intention_set")"));
  must(ev("e-5", "09:41", "nurse", R"("type":"checklist","item":"fasting_confirmed")"));
  must(ev("e-6", "09:42", "nurse", R"("type":"checklist","item":"driver_arranged")"));
  return s;
}

TEST_F(SessionTest, HoldLimitsFollowTheScreeningAgeBand) {
  const auto eu = kap::test::load_protocol("test-im-eu");
  const auto reading = R"("type":"vitals","systolic":146,"diastolic":88,"heart_rate":72,"spo2":98)";
  // Below 65: 146/88 is over the 140/90 hold limit; it raises a hold warning and blocks dosing.
  auto young = screened_at_age(eu, 64);
  EXPECT_EQ(young.hold_limits().systolic_max, kap::mmhg{140});
  const auto y = young.apply(ev("e-7", "10:00", "nurse", reading));
  ASSERT_EQ(y.alerts.size(), 1U);
  EXPECT_EQ(y.alerts[0].message, "blood pressure 146/88 mmHg is above the 140/90 limit");
  const auto blocked = young.apply(ev("e-8", "10:05", "therapist", R"("type":"phase","to":"dosing")"));
  EXPECT_EQ(blocked.code, kap::errc::requirement_unmet);
  EXPECT_EQ(blocked.unmet.at(0).message, "blood pressure 146/88 mmHg is above the 140/90 limit");

  // From 65: the same reading is within 150/90: no alert, and dosing may begin.
  auto older = screened_at_age(eu, 65);
  EXPECT_EQ(older.hold_limits().systolic_max, kap::mmhg{150});
  EXPECT_EQ(older.hold_limits().diastolic_max, kap::mmhg{90});  // the band leaves diastolic as it was
  const auto o = older.apply(ev("e-7", "10:00", "nurse", reading));
  EXPECT_TRUE(o.alerts.empty());
  KAP_ACCEPT(older, ev("e-8", "10:05", "therapist", R"("type":"phase","to":"dosing")"));
  KAP_ACCEPT(older, ev("e-9", "10:06", "nurse", R"("type":"dose","drug":"ketamine","route":"im","mg":50)"));
  const auto high = older.apply(ev("e-10", "10:07", "nurse", R"("type":"vitals","systolic":155,"diastolic":88)"));
  ASSERT_EQ(high.alerts.size(), 1U);
  EXPECT_EQ(high.alerts[0].message, "blood pressure 155/88 mmHg is above the 150/90 limit");
  // A reading within the band's limits closes the hold alert (it is judged by the same limits).
  KAP_ACCEPT(older, ev("e-11", "10:08", "nurse", R"("type":"vitals","systolic":146,"diastolic":88)"));
  EXPECT_TRUE(older.open_alerts().empty());

  // Before screening the protocol's own hold limits apply.
  kap::session unscreened(eu, kap::session_id{"S-1"});
  EXPECT_EQ(unscreened.hold_limits(), eu->definition().vitals.hold);
}

TEST_F(SessionTest, AScreeningWithAnotherAgeJudgesOpenHoldAlertsAgain) {
  const auto eu = kap::test::load_protocol("test-im-eu");
  const std::string answers =
      R"(,"answers":{"aneurysmal_vascular_disease":false,"psychosis_history":false,"pregnancy":false,"uncontrolled_hypertension":false})";
  auto s = screened_at_age(eu, 64);
  KAP_ACCEPT(s, ev("e-7", "10:00", "nurse", R"("type":"vitals","systolic":146,"diastolic":88,"heart_rate":72,"spo2":98)"));
  ASSERT_EQ(s.open_alerts().size(), 1U);
  // The age was mistyped: 74, not 64. The latest reading, 146/88, is within 150/90: the alert closes.
  KAP_ACCEPT(s, ev("e-8", "10:01", "prescriber", R"("type":"screening","weight_kg":80,"age":74)" + answers));
  EXPECT_TRUE(s.open_alerts().empty());
  KAP_ACCEPT(s, ev("e-9", "10:05", "therapist", R"("type":"phase","to":"dosing")"));
  // Back under 65 before any dose: no alert until the next reading, but dosing waits at once.
  KAP_ACCEPT(s, ev("e-10", "10:06", "prescriber", R"("type":"screening","weight_kg":80,"age":60)" + answers));
  EXPECT_TRUE(s.open_alerts().empty());
  const auto dose = s.apply(ev("e-11", "10:07", "nurse", R"("type":"dose","drug":"ketamine","route":"im","mg":50)"));
  EXPECT_EQ(dose.code, kap::errc::requirement_unmet);
  EXPECT_EQ(dose.unmet.at(0).message, "blood pressure 146/88 mmHg is above the 140/90 limit");
  const auto next = s.apply(ev("e-12", "10:08", "nurse", R"("type":"vitals","systolic":146,"diastolic":88)"));
  ASSERT_EQ(next.alerts.size(), 1U);
  EXPECT_EQ(next.alerts[0].kind, kap::alert_kind::vitals_hold);
}

TEST_F(SessionTest, StaleVitalsBlockDosing) {
  auto s = kap::test::session_at_dosing(p);
  const auto d = s.apply(ev("e-9", "10:20", "nurse", R"("type":"dose","drug":"ketamine","route":"im","mg":40)"));
  EXPECT_EQ(d.code, kap::errc::requirement_unmet);
  EXPECT_EQ(d.unmet.at(0).message, "no blood pressure recorded in the last 15 min");
}

TEST_F(SessionTest, NurseDoseWithinLimitsThenSecondDosePastTheCumulativeLimit) {
  auto s = kap::test::session_at_dosing(p);
  const auto first = s.apply(ev("e-9", "10:06", "nurse", R"("type":"dose","drug":"ketamine","route":"im","mg":50)"));
  ASSERT_TRUE(first.accepted()) << first.message;
  ASSERT_EQ(s.doses().size(), 1U);
  EXPECT_EQ(s.cumulative_dose(), kap::milligrams{50});
  EXPECT_DOUBLE_EQ(s.doses()[0].per_kg->count(), 0.625);

  KAP_ACCEPT(s, ev("e-10", "10:14", "nurse", R"("type":"vitals","systolic":124,"diastolic":82,"heart_rate":75,"spo2":97)"));
  const std::string before = state_of(s);
  const auto second = s.apply(ev("e-11", "10:18", "nurse", R"("type":"dose","drug":"ketamine","route":"im","mg":40)"));
  EXPECT_EQ(second.code, kap::errc::dose_limit);
  EXPECT_EQ(second.message, "40 mg would bring the session total to 90 mg, above the 80 mg cumulative limit");
  ASSERT_EQ(second.alerts.size(), 1U);
  EXPECT_EQ(second.alerts[0].kind, kap::alert_kind::dose_limit);
  EXPECT_EQ(state_of(s), before);  // a rejected dose changes nothing, its alert is not kept
  EXPECT_EQ(s.cumulative_dose(), kap::milligrams{50});
}

TEST_F(SessionTest, DoseLimitsPerDoseWeightIntervalRouteAndDrug) {
  auto s = kap::test::session_at_dosing(p);
  auto dose = [&](const std::string& id, const std::string& hhmm, const std::string& body) {
    return s.apply(ev(id, hhmm, "nurse", R"("type":"dose",)" + body));
  };
  auto over_max = dose("d-1", "10:06", R"("drug":"ketamine","route":"im","mg":61)");
  EXPECT_EQ(over_max.code, kap::errc::dose_limit);
  EXPECT_EQ(over_max.message, "61 mg is above the 60 mg limit per dose");
  auto route = dose("d-2", "10:06", R"("drug":"ketamine","route":"iv","mg":10)");
  EXPECT_EQ(route.code, kap::errc::dose_limit);
  EXPECT_EQ(route.message, "route iv is not allowed by this protocol");
  auto drug = dose("d-3", "10:06", R"("drug":"esketamine","route":"im","mg":10)");
  EXPECT_EQ(drug.code, kap::errc::dose_limit);
  EXPECT_EQ(drug.message, "esketamine is not allowed by the im route of this protocol");
  auto zero = dose("d-4", "10:06", R"("drug":"ketamine","route":"im","mg":0)");
  EXPECT_EQ(zero.code, kap::errc::out_of_range);
  ASSERT_TRUE(dose("d-5", "10:06", R"("drug":"ketamine","route":"im","mg":20)").accepted());
  KAP_ACCEPT(s, ev("v-0", "10:11", "nurse", R"("type":"vitals","systolic":120,"diastolic":80,"heart_rate":70,"spo2":98)"));
  auto interval = dose("d-6", "10:12", R"("drug":"ketamine","route":"im","mg":20)");
  EXPECT_EQ(interval.code, kap::errc::dose_limit);
  EXPECT_EQ(interval.message, "6 min since the last im dose; the minimum interval is 10 min");
  ASSERT_TRUE(dose("d-7", "10:16", R"("drug":"ketamine","route":"im","mg":20)").accepted());
  KAP_ACCEPT(s, ev("v-1", "10:20", "nurse", R"("type":"vitals","systolic":120,"diastolic":80,"heart_rate":70,"spo2":98)"));
  auto third = dose("d-8", "10:30", R"("drug":"ketamine","route":"im","mg":10)");
  EXPECT_EQ(third.code, kap::errc::dose_limit);
  EXPECT_EQ(third.message, "a dose by im would be number 3; the limit is 2 per session");
}

TEST_F(SessionTest, WeightBasedLimitNamesTheFigures) {
  kap::session s(p, kap::session_id{"S-1"});
  // 60 kg: 0.75 mg/kg allows 45 mg, below the 60 mg absolute cap.
  KAP_ACCEPT(s, ev("e-1", "09:30", "prescriber",
                   R"("type":"screening","weight_kg":60,"age":40,"answers":{"aneurysmal_vascular_disease":false,)"
                   R"("psychosis_history":false,"pregnancy":false,"uncontrolled_hypertension":false})"));
  KAP_ACCEPT(s, ev("e-2", "09:31", "prescriber", R"("type":"consent","scope":"kap")"));
  KAP_ACCEPT(s, ev("e-3", "09:35", "prescriber", R"("type":"phase","to":"preparation")"));
  for (const char* item : {"intention_set", "fasting_confirmed", "driver_arranged"}) {
    KAP_ACCEPT(s, ev(std::string("c-") + item, "09:40", "therapist", std::string(R"("type":"checklist","item":")") + item + "\""));
  }
  KAP_ACCEPT(s, ev("e-7", "10:00", "nurse", R"("type":"vitals","systolic":120,"diastolic":80,"heart_rate":70,"spo2":97)"));
  KAP_ACCEPT(s, ev("e-8", "10:05", "therapist", R"("type":"phase","to":"dosing")"));
  const auto d = s.apply(ev("e-9", "10:06", "nurse", R"("type":"dose","drug":"ketamine","route":"im","mg":50)"));
  EXPECT_EQ(d.code, kap::errc::dose_limit);
  EXPECT_EQ(d.message, "50 mg is 0.833 mg/kg, above the 0.75 mg/kg limit (45 mg for 60 kg)");
  EXPECT_TRUE(s.apply(ev("e-10", "10:06", "nurse", R"("type":"dose","drug":"ketamine","route":"im","mg":45)")).accepted());
}

TEST_F(SessionTest, TherapistCannotRecordADose) {
  auto s = kap::test::session_at_dosing(p);
  const auto d = s.apply(ev("e-9", "10:06", "therapist", R"("type":"dose","drug":"ketamine","route":"im","mg":40)"));
  EXPECT_EQ(d.code, kap::errc::unauthorized);
  EXPECT_EQ(d.message, "a therapist may not record a dose event");
  const auto u = s.apply(ev("e-10", "10:06", "unlicensed-nurse", R"("type":"dose","drug":"ketamine","route":"im","mg":40)"));
  EXPECT_EQ(u.code, kap::errc::unauthorized);
  EXPECT_EQ(u.message, "a dose event needs a licensed nurse");
  EXPECT_TRUE(s.doses().empty());
}

TEST_F(SessionTest, RelativeContraindicationNeedsAnOverride) {
  kap::session s(p, kap::session_id{"S-1"});
  KAP_ACCEPT(s, ev("e-1", "09:30", "prescriber",
                   R"("type":"screening","weight_kg":80,"age":40,"answers":{"aneurysmal_vascular_disease":false,)"
                   R"("psychosis_history":true,"pregnancy":false,"uncontrolled_hypertension":false})"));
  EXPECT_EQ(s.screening().status, kap::screening_status::needs_review);
  KAP_ACCEPT(s, ev("e-2", "09:31", "prescriber", R"("type":"consent","scope":"kap")"));
  const auto blocked = s.apply(ev("e-3", "09:35", "prescriber", R"("type":"phase","to":"preparation")"));
  EXPECT_EQ(blocked.code, kap::errc::requirement_unmet);
  EXPECT_EQ(blocked.unmet.at(0).message, "relative contraindication psychosis_history needs a recorded override");

  const auto therapist = s.apply(ev("e-4", "09:36", "therapist",
                                    R"("type":"override","contraindication":"psychosis_history","justification":"reviewed")"));
  EXPECT_EQ(therapist.code, kap::errc::unauthorized);
  const auto empty = s.apply(ev("e-5", "09:36", "prescriber",
                                R"("type":"override","contraindication":"psychosis_history","justification":"")"));
  EXPECT_EQ(empty.code, kap::errc::missing_field);
  const auto absent = s.apply(ev("e-6", "09:36", "prescriber",
                                 R"("type":"override","contraindication":"pregnancy","justification":"x")"));
  EXPECT_EQ(absent.code, kap::errc::requirement_unmet);
  EXPECT_EQ(absent.message, "screening did not report pregnancy as present and pending");

  KAP_ACCEPT(s, ev("e-7", "09:37", "prescriber",
                   R"("type":"override","contraindication":"psychosis_history","justification":"remote, reviewed")"));
  EXPECT_EQ(s.screening().status, kap::screening_status::eligible);
  EXPECT_EQ(s.screening().relative_overridden, std::vector<std::string>{"psychosis_history"});
  KAP_ACCEPT(s, ev("e-8", "09:38", "prescriber", R"("type":"phase","to":"preparation")"));
}

TEST_F(SessionTest, AbsoluteContraindicationExcludes) {
  kap::session s(p, kap::session_id{"S-1"});
  KAP_ACCEPT(s, ev("e-1", "09:30", "prescriber",
                   R"("type":"screening","weight_kg":80,"age":40,"answers":{"aneurysmal_vascular_disease":true,)"
                   R"("psychosis_history":false,"pregnancy":false,"uncontrolled_hypertension":false})"));
  EXPECT_EQ(s.screening().status, kap::screening_status::excluded);
  const auto o = s.apply(ev("e-2", "09:31", "prescriber",
                            R"("type":"override","contraindication":"aneurysmal_vascular_disease","justification":"x")"));
  EXPECT_EQ(o.code, kap::errc::excluded);
  EXPECT_EQ(o.message, "absolute contraindication aneurysmal_vascular_disease cannot be overridden");
  KAP_ACCEPT(s, ev("e-3", "09:32", "prescriber", R"("type":"consent","scope":"kap")"));
  const auto move = s.apply(ev("e-4", "09:33", "prescriber", R"("type":"phase","to":"preparation")"));
  EXPECT_EQ(move.code, kap::errc::excluded);
  KAP_ACCEPT(s, ev("e-5", "09:34", "prescriber", R"("type":"abort","reason":"excluded at screening")"));
  EXPECT_TRUE(s.closed());
  EXPECT_EQ(s.phase(), "aborted");
}

TEST_F(SessionTest, ScreeningAnswersMustMatchTheProtocol) {
  kap::session s(p, kap::session_id{"S-1"});
  const auto missing = s.apply(ev("e-1", "09:30", "prescriber",
                                  R"("type":"screening","weight_kg":80,"age":40,"answers":{"aneurysmal_vascular_disease":false})"));
  EXPECT_EQ(missing.code, kap::errc::missing_field);
  EXPECT_EQ(missing.message, "screening has no answer for psychosis_history");
  const auto unknown = s.apply(ev("e-2", "09:30", "prescriber",
                                  R"("type":"screening","weight_kg":80,"age":40,"answers":{"likes_jazz":true})"));
  EXPECT_EQ(unknown.code, kap::errc::unknown_field);
  EXPECT_EQ(unknown.message, "screening answer for \"likes_jazz\", which this protocol does not ask about");
  const auto weight = s.apply(ev("e-3", "09:30", "prescriber", R"("type":"screening","weight_kg":0,"age":40,"answers":{})"));
  EXPECT_EQ(weight.code, kap::errc::out_of_range);
  EXPECT_EQ(weight.message, "weight_kg 0 is outside 0-500");
  const auto age = s.apply(ev("e-4", "09:30", "prescriber", R"("type":"screening","weight_kg":70,"age":200,"answers":{})"));
  EXPECT_EQ(age.code, kap::errc::out_of_range);
  EXPECT_EQ(age.message, "age 200 is outside 0-130");
  EXPECT_TRUE(s.timeline().empty());
}

TEST_F(SessionTest, LeavingMonitoringEarlyNamesTheRemainingMinutes) {
  auto s = kap::test::session_at_dosing(p);
  KAP_ACCEPT(s, ev("e-9", "10:06", "nurse", R"("type":"dose","drug":"ketamine","route":"im","mg":50)"));
  KAP_ACCEPT(s, ev("e-10", "10:08", "therapist", R"("type":"phase","to":"guided_meditation")"));
  KAP_ACCEPT(s, ev("e-11", "10:20", "nurse", R"("type":"vitals","systolic":128,"diastolic":84,"heart_rate":80,"spo2":97)"));
  KAP_ACCEPT(s, ev("e-12", "10:30", "therapist", R"("type":"phase","to":"monitoring")"));
  const auto d = s.apply(ev("e-13", "10:50", "therapist", R"("type":"phase","to":"integration")"));
  EXPECT_EQ(d.code, kap::errc::requirement_unmet);
  EXPECT_EQ(d.message, "cannot move to integration: 20 min in phase monitoring; 40 min more required");
  EXPECT_EQ(d.unmet.at(0).requirement, "min_time_in_phase");
}

TEST_F(SessionTest, OverdueFortyMinuteBloodPressureCheckRaisesAnAlert) {
  auto s = kap::test::session_at_dosing(p);
  KAP_ACCEPT(s, ev("e-9", "10:06", "nurse", R"("type":"dose","drug":"ketamine","route":"im","mg":50)"));
  KAP_ACCEPT(s, ev("e-10", "10:08", "therapist", R"("type":"phase","to":"guided_meditation")"));
  // 10:41 is within the window (after 10:41 = 10:06 + 40 - 5): due, not overdue.
  auto due = s.due(at("10:42"));
  bool found = false;
  for (const auto& d : due) {
    if (d.what == "bp_40min") {
      found = true;
      EXPECT_FALSE(d.overdue);
      EXPECT_EQ(d.due_at, at("10:46"));
    }
  }
  EXPECT_TRUE(found);
  // Nothing recorded; at 10:52 (past 10:46 + 5) an intervention event brings the alert.
  const auto d = s.apply(ev("e-11", "10:52", "therapist", R"("type":"intervention","kind":"guided_meditation","minutes":30)"));
  ASSERT_TRUE(d.accepted());
  bool alerted = false;
  for (const auto& a : d.alerts) {
    if (a.kind == kap::alert_kind::check_overdue && a.key == "bp_40min") {
      alerted = true;
      EXPECT_EQ(a.message, "bp_40min check was due at 2026-11-26T10:46:00Z and is overdue");
    }
  }
  EXPECT_TRUE(alerted);
  // A blood pressure reading closes it.
  KAP_ACCEPT(s, ev("e-12", "10:53", "nurse", R"("type":"vitals","systolic":130,"diastolic":85,"heart_rate":80,"spo2":97)"));
  for (const auto& a : s.open_alerts()) EXPECT_NE(a.key, "bp_40min");
}

// The engine keeps the checks due at the last event and walks the schedule again only when
// time passes a due or overdue instant or an event changes the schedule; the alerts must come
// and go exactly as if it walked the whole schedule at every event.
std::size_t open_overdue(const kap::session& s, const std::string& key) {
  std::size_t n = 0;
  for (const auto& a : s.open_alerts()) n += a.kind == kap::alert_kind::check_overdue && a.key == key ? 1U : 0U;
  return n;
}
std::size_t raised(const kap::decision& d, kap::alert_kind kind) {
  std::size_t n = 0;
  for (const auto& a : d.alerts) n += a.kind == kind ? 1U : 0U;
  return n;
}

TEST_F(SessionTest, OverdueAlertsFollowTheClockBetweenEventsThatChangeNothing) {
  // Dosing entered 10:05 after vitals at 10:00: vitals fall due at 10:20, overdue after 10:25.
  auto s = kap::test::session_at_dosing(p);
  const std::string iv = R"("type":"intervention","kind":"grounding","minutes":1)";
  EXPECT_EQ(raised(s.apply(ev("i-1", "10:10", "therapist", iv)), kap::alert_kind::check_overdue), 0U);
  EXPECT_EQ(raised(s.apply(ev("i-2", "10:21", "therapist", iv)), kap::alert_kind::check_overdue), 0U);
  EXPECT_EQ(open_overdue(s, "vitals"), 0U);
  // Overdue means after 10:25: at 10:25:00.000 not yet, a millisecond later it is.
  EXPECT_EQ(raised(s.apply(ev("i-b", "10:25", "therapist", iv)), kap::alert_kind::check_overdue), 0U);
  auto just_late = ev("i-3", "10:25", "therapist", iv);
  just_late.at += std::chrono::milliseconds{1};
  const auto late = s.apply(just_late);
  ASSERT_TRUE(late.accepted());
  ASSERT_EQ(raised(late, kap::alert_kind::check_overdue), 1U);
  EXPECT_EQ(late.alerts[0].message, "vitals check was due at 2026-11-26T10:20:00Z and is overdue");
  // Still overdue: no second alert, and the open one stays open through events that do not
  // record vitals.
  EXPECT_EQ(raised(s.apply(ev("i-4", "10:27", "therapist", iv)), kap::alert_kind::check_overdue), 0U);
  EXPECT_EQ(open_overdue(s, "vitals"), 1U);
  // A reading closes it and restarts the clock: due 10:43, overdue after 10:48.
  KAP_ACCEPT(s, ev("v-1", "10:28", "nurse", R"("type":"vitals","systolic":120,"diastolic":80)"));
  EXPECT_EQ(open_overdue(s, "vitals"), 0U);
  EXPECT_EQ(raised(s.apply(ev("i-5", "10:48", "therapist", iv)), kap::alert_kind::check_overdue), 0U);
  const auto again = s.apply(ev("i-6", "10:49", "therapist", iv));
  EXPECT_EQ(raised(again, kap::alert_kind::check_overdue), 1U);
  EXPECT_EQ(open_overdue(s, "vitals"), 1U);
  // Closing the session (an abort) ends every schedule, and with it the alert.
  KAP_ACCEPT(s, ev("a-1", "10:50", "therapist", R"("type":"phase","to":"aborted")"));
  EXPECT_EQ(open_overdue(s, "vitals"), 0U);
}

TEST_F(SessionTest, OneOverdueAlertPerCheckEvenWhenTwoSchedulesOfItAreOverdue) {
  kap::protocol def = p->definition();
  def.schedules.vitals.push_back(kap::vitals_schedule{{"dosing"}, kap::minutes{10}});
  auto two = std::make_shared<const kap::validated_protocol>(kap::validate(def).value());
  auto s = kap::test::session_at_dosing(two);
  // Both schedules (every 15 and every 10 min from 10:05) are overdue at 10:40.
  ASSERT_EQ(s.due(at("10:40")).size(), 2U);
  const auto d = s.apply(ev("i-1", "10:40", "therapist", R"("type":"intervention","kind":"grounding","minutes":1)"));
  ASSERT_TRUE(d.accepted());
  ASSERT_EQ(raised(d, kap::alert_kind::check_overdue), 1U);
  // The alert quotes the earlier of the two due instants (10:15 from the 10-min schedule).
  for (const auto& a : d.alerts) {
    if (a.kind == kap::alert_kind::check_overdue) {
      EXPECT_EQ(a.message, "vitals check was due at 2026-11-26T10:15:00Z and is overdue");
    }
  }
  EXPECT_EQ(open_overdue(s, "vitals"), 1U);
}

TEST_F(SessionTest, DuplicatesAreFoundAnywhereInALongSession) {
  // Thousands of events: the id index grows several times, new ids are batched into it, and a
  // Bloom filter answers most lookups. A repeat of any earlier event - in the index, or among
  // the newest not yet in it - is still a duplicate, and a changed one a conflict.
  auto s = kap::test::session_at_dosing(p);
  std::vector<kap::event> evs;
  kap::timestamp t = at("10:06");
  for (int i = 0; i < 5003; ++i) {  // with the 8 set-up events, 5,011: not a whole number of batches
    auto e = ev("r-" + std::to_string(i), "10:06", "nurse", R"("type":"vitals","heart_rate":70)");
    e.at = t + kap::minutes{i};
    evs.push_back(e);
    KAP_ACCEPT(s, e);
  }
  const std::string before = state_of(s);
  std::vector<std::size_t> picks;
  for (std::size_t i = 0; i < 4980; i += 97) picks.push_back(i);
  for (std::size_t i = 4980; i < evs.size(); ++i) picks.push_back(i);  // the newest, partly not yet indexed
  std::size_t checked = 0;
  for (const std::size_t i : picks) {
    const auto dup = s.apply(evs[i]);
    EXPECT_EQ(dup.outcome, kap::outcome::duplicate) << evs[i].id.str();
    auto changed = evs[i];
    std::get<kap::events::vitals>(changed.body).heart_rate = kap::bpm{71};
    EXPECT_EQ(s.apply(changed).code, kap::errc::conflicting_duplicate) << evs[i].id.str();
    ++checked;
  }
  EXPECT_EQ(checked, 75U);
  EXPECT_EQ(state_of(s), before);
  // A copy of the session (index, filter and the batch not yet indexed) finds them too.
  kap::session copy = s;
  EXPECT_EQ(copy.apply(evs.back()).outcome, kap::outcome::duplicate);
  EXPECT_EQ(copy.apply(evs[97]).outcome, kap::outcome::duplicate);
  // New ids are still accepted after all that.
  auto next = ev("r-new", "10:06", "nurse", R"("type":"vitals","heart_rate":70)");
  next.at = t + kap::minutes{5003};
  KAP_ACCEPT(s, next);
}

TEST_F(SessionTest, VitalsScheduleFallsDueAndOverdue) {
  // The schedule counts from the later of entering a scheduled phase and the last reading:
  // dosing entered 10:05 after vitals at 10:00, so vitals fall due at 10:20.
  auto s = kap::test::session_at_dosing(p);
  EXPECT_TRUE(s.due(at("10:19")).empty());
  auto d1 = s.due(at("10:22"));
  ASSERT_EQ(d1.size(), 1U);
  EXPECT_EQ(d1[0].kind, "vitals");
  EXPECT_EQ(d1[0].due_at, at("10:20"));
  EXPECT_FALSE(d1[0].overdue);
  EXPECT_TRUE(s.due(at("10:26"))[0].overdue);
  KAP_ACCEPT(s, ev("v-1", "10:21", "nurse", R"("type":"vitals","systolic":120,"diastolic":80)"));
  EXPECT_TRUE(s.due(at("10:35")).empty());
  EXPECT_EQ(s.due(at("10:36")).at(0).due_at, at("10:36"));
}

TEST_F(SessionTest, CriticalVitalsRaiseACriticalAlertThatClosesWhenNormal) {
  auto s = kap::test::session_at_dosing(p);
  const auto d = s.apply(ev("e-9", "10:10", "monitor", R"("type":"vitals","systolic":185,"diastolic":100,"spo2":86)"));
  ASSERT_TRUE(d.accepted());
  ASSERT_EQ(d.alerts.size(), 2U);
  EXPECT_EQ(d.alerts[0].kind, kap::alert_kind::vitals_critical);
  EXPECT_EQ(d.alerts[0].message, "blood pressure 185/100 mmHg is above the 180/110 limit");
  EXPECT_EQ(d.alerts[1].message, "SpO2 86% is below the 88% limit");
  EXPECT_EQ(s.open_alerts().size(), 2U);
  KAP_ACCEPT(s, ev("e-10", "10:12", "monitor", R"("type":"vitals","systolic":130,"diastolic":80,"spo2":97)"));
  EXPECT_TRUE(s.open_alerts().empty());
}

TEST_F(SessionTest, ImplausibleOrEmptyVitalsAreRefused) {
  auto s = kap::test::session_at_dosing(p);
  const auto high = s.apply(ev("e-9", "10:10", "nurse", R"("type":"vitals","systolic":400)"));
  EXPECT_EQ(high.code, kap::errc::out_of_range);
  EXPECT_EQ(high.message, "systolic 400 is outside 0-300");
  const auto spo2 = s.apply(ev("e-10", "10:10", "nurse", R"("type":"vitals","spo2":101)"));
  EXPECT_EQ(spo2.message, "spo2 101 is outside 0-100");
  const auto empty = s.apply(ev("e-11", "10:10", "nurse", R"("type":"vitals")"));
  EXPECT_EQ(empty.code, kap::errc::missing_field);
  EXPECT_EQ(empty.message, "a vitals event needs at least one value");
}

TEST_F(SessionTest, PhaseOverrunRaisesAnAlert) {
  auto s = kap::test::session_at_dosing(p);  // dosing has a 30 min maximum, entered 10:05
  KAP_ACCEPT(s, ev("e-9", "10:14", "nurse", R"("type":"vitals","systolic":120,"diastolic":80)"));
  const auto d = s.apply(ev("e-10", "10:40", "nurse", R"("type":"vitals","systolic":120,"diastolic":80)"));
  ASSERT_TRUE(d.accepted());
  bool overrun = false;
  for (const auto& a : d.alerts) overrun = overrun || (a.kind == kap::alert_kind::phase_overrun && a.message == "phase dosing has lasted 35 min, over its 30 min maximum");
  EXPECT_TRUE(overrun);
}

TEST_F(SessionTest, DuplicatesAndConflicts) {
  auto s = kap::test::session_at_dosing(p);
  const std::string before = state_of(s);
  const auto dup = s.apply(ev("e-7", "10:00", "nurse", R"("type":"vitals","systolic":120,"diastolic":80,"heart_rate":72,"spo2":98)"));
  EXPECT_EQ(dup.outcome, kap::outcome::duplicate);
  EXPECT_EQ(dup.code, kap::errc::duplicate);
  EXPECT_EQ(dup.message, "event e-7 was already applied; nothing changed");
  const auto conflict = s.apply(ev("e-7", "10:00", "nurse", R"("type":"vitals","systolic":121,"diastolic":80,"heart_rate":72,"spo2":98)"));
  EXPECT_EQ(conflict.outcome, kap::outcome::rejected);
  EXPECT_EQ(conflict.code, kap::errc::conflicting_duplicate);
  EXPECT_EQ(conflict.message, "event id e-7 was already used for a different event");
  EXPECT_EQ(state_of(s), before);
}

TEST_F(SessionTest, TimeNeverGoesBackwards) {
  auto s = kap::test::session_at_dosing(p);
  const auto d = s.apply(ev("e-9", "10:04", "nurse", R"("type":"vitals","systolic":120)"));
  EXPECT_EQ(d.code, kap::errc::out_of_order);
  EXPECT_EQ(d.message, "event at 2026-11-26T10:04:00Z is earlier than the last event at 2026-11-26T10:05:00Z");
  KAP_ACCEPT(s, ev("e-10", "10:05", "nurse", R"("type":"vitals","systolic":120)"));  // equal instants are fine
}

TEST_F(SessionTest, ClosedSessionRefusesEvents) {
  auto s = kap::test::session_at_dosing(p);
  KAP_ACCEPT(s, ev("e-9", "10:06", "nurse", R"("type":"abort","reason":"patient request")"));
  EXPECT_TRUE(s.closed());
  const auto d = s.apply(ev("e-10", "10:07", "nurse", R"("type":"vitals","systolic":120)"));
  EXPECT_EQ(d.code, kap::errc::session_closed);
  EXPECT_EQ(d.message, "the session is closed (phase aborted)");
  EXPECT_TRUE(s.due(at("12:00")).empty());
}

TEST_F(SessionTest, OtherSessionsEventsAreRefused) {
  kap::session s(p, kap::session_id{"S-1"});
  const auto d = s.apply(ev("e-1", "10:00", "nurse", R"("type":"vitals","systolic":120)", "S-2"));
  EXPECT_EQ(d.code, kap::errc::unknown_session);
  EXPECT_EQ(d.message, "event for session S-2 applied to session S-1");
}

TEST_F(SessionTest, InvalidTransitionsAreRefused) {
  kap::session s(p, kap::session_id{"S-1"});
  const auto skip = s.apply(ev("e-1", "09:00", "prescriber", R"("type":"phase","to":"dosing")"));
  EXPECT_EQ(skip.code, kap::errc::invalid_transition);
  EXPECT_EQ(skip.message, "no transition from screening to dosing");
  const auto none = s.apply(ev("e-2", "09:00", "prescriber", R"("type":"phase","to":"nowhere")"));
  EXPECT_EQ(none.code, kap::errc::invalid_transition);
  EXPECT_EQ(none.message, "no phase \"nowhere\" in the protocol");
  const auto nurse = s.apply(ev("e-3", "09:00", "nurse", R"("type":"phase","to":"preparation")"));
  EXPECT_EQ(nurse.code, kap::errc::unauthorized);
}

TEST_F(SessionTest, MeasuresAreScoredAndPatientsRecordSelfReportOnly) {
  auto s = kap::test::session_at_dosing(p);
  KAP_ACCEPT(s, ev("m-1", "10:06", "patient", R"("type":"measure","instrument":"phq9","items":[1,1,1,1,1,1,1,1,0])"));
  EXPECT_EQ(s.snapshot().measures.at(0).total, 8);
  const auto madrs = s.apply(ev("m-2", "10:07", "patient", R"("type":"measure","instrument":"madrs","items":[1,1,1,1,1,1,1,1,1,1])"));
  EXPECT_EQ(madrs.code, kap::errc::unauthorized);
  EXPECT_EQ(madrs.message, "a patient may record self-report measures only; madrs is clinician-rated");
  const auto bad = s.apply(ev("m-3", "10:07", "patient", R"("type":"measure","instrument":"phq9","items":[1,1,1,7,1,1,1,1,0])"));
  EXPECT_EQ(bad.code, kap::errc::item_out_of_range);
  EXPECT_EQ(bad.message, "item 4: 7 is outside 0-3");
  const auto unknown = s.apply(ev("m-4", "10:07", "patient", R"("type":"measure","instrument":"phq10","items":[1])"));
  EXPECT_EQ(unknown.code, kap::errc::unknown_instrument);
  KAP_ACCEPT(s, ev("m-5", "10:08", "therapist", R"("type":"measure","instrument":"madrs","items":[1,1,1,1,1,1,1,1,1,1])"));
}

TEST_F(SessionTest, DischargeNeedsTheSignOffOfTheNamedRole) {
  auto s = kap::test::session_at_dosing(p);
  KAP_ACCEPT(s, ev("e-9", "10:06", "nurse", R"("type":"dose","drug":"ketamine","route":"im","mg":50)"));
  KAP_ACCEPT(s, ev("e-10", "10:08", "therapist", R"("type":"phase","to":"guided_meditation")"));
  KAP_ACCEPT(s, ev("e-11", "10:20", "nurse", R"("type":"vitals","systolic":128,"diastolic":84,"heart_rate":80,"spo2":97)"));
  KAP_ACCEPT(s, ev("e-12", "10:30", "therapist", R"("type":"phase","to":"monitoring")"));
  KAP_ACCEPT(s, ev("e-13", "10:45", "nurse", R"("type":"vitals","systolic":126,"diastolic":82,"heart_rate":78,"spo2":98)"));
  KAP_ACCEPT(s, ev("e-14", "11:31", "therapist", R"("type":"phase","to":"integration")"));
  KAP_ACCEPT(s, ev("e-15", "12:00", "nurse", R"("type":"vitals","systolic":120,"diastolic":80,"heart_rate":70,"spo2":98)"));
  KAP_ACCEPT(s, ev("e-16", "12:01", "therapist", R"("type":"signoff","what":"discharge")"));
  const auto d = s.apply(ev("e-17", "12:07", "therapist", R"("type":"phase","to":"discharge")"));
  EXPECT_EQ(d.code, kap::errc::requirement_unmet);
  ASSERT_EQ(d.unmet.size(), 1U);
  EXPECT_EQ(d.unmet[0].message, "discharge not signed off by a prescriber");
  KAP_ACCEPT(s, ev("e-18", "12:08", "prescriber", R"("type":"signoff","what":"discharge")"));
  KAP_ACCEPT(s, ev("e-19", "12:09", "prescriber", R"("type":"phase","to":"discharge")"));
  EXPECT_TRUE(s.closed());
}

TEST_F(SessionTest, RosterRejectsStaffNotOnIt) {
  auto def = p->definition();
  def.roster = std::vector<kap::roster_entry>{{kap::actor_id{"P-1"}, {kap::role::prescriber}}};
  auto v = kap::validate(def);
  ASSERT_TRUE(v);
  kap::session s(std::make_shared<const kap::validated_protocol>(std::move(*v)), kap::session_id{"S-1"});
  KAP_ACCEPT(s, ev("e-1", "09:00", "prescriber", R"("type":"consent","scope":"kap")"));
  const auto d = s.apply(ev("e-2", "09:01", "nurse", R"("type":"vitals","systolic":120)"));
  EXPECT_EQ(d.code, kap::errc::unauthorized);
  EXPECT_EQ(d.message, "actor N-1 is not on the roster as a nurse");
  KAP_ACCEPT(s, ev("e-3", "09:02", "patient", R"("type":"measure","instrument":"gad7","items":[0,0,0,0,0,0,0])"));
}

TEST_F(SessionTest, PredicateRequirementFromTheBuilder) {
  auto built = kap::protocol_builder("pred")
                   .phase("a", kap::phase_kind::preparation)
                   .phase("b", kap::phase_kind::discharge)
                   .phase("x", kap::phase_kind::aborted)
                   .transition("a", "b",
                               {kap::protocol_builder::predicate(
                                   "two notes", [](const kap::session& s, kap::timestamp) -> std::optional<std::string> {
                                     int notes = 0;
                                     for (const auto& e : s.timeline()) notes += e.type == kap::event_type::note ? 1 : 0;
                                     if (notes < 2) return "only " + std::to_string(notes) + " notes";
                                     return std::nullopt;
                                   })})
                   .build();
  ASSERT_TRUE(built);
  EXPECT_FALSE(built->serialisable());
  kap::session s(std::make_shared<const kap::validated_protocol>(std::move(*built)), kap::session_id{"S-1"});
  KAP_ACCEPT(s, ev("n-1", "09:00", "nurse", R"("type":"note","text":"free text, never logged")"));
  const auto d = s.apply(ev("p-1", "09:01", "therapist", R"("type":"phase","to":"b")"));
  EXPECT_EQ(d.unmet.at(0).message, "two notes: only 1 notes");
  KAP_ACCEPT(s, ev("n-2", "09:02", "nurse", R"("type":"note","text":"second")"));
  KAP_ACCEPT(s, ev("p-2", "09:03", "therapist", R"("type":"phase","to":"b")"));
}

TEST_F(SessionTest, SevereAdverseEventIsACriticalAlert) {
  auto s = kap::test::session_at_dosing(p);
  const auto mild = s.apply(ev("a-1", "10:06", "nurse", R"("type":"adverse_event","kind":"nausea","severity":"mild")"));
  EXPECT_TRUE(mild.alerts.empty());
  const auto severe = s.apply(ev("a-2", "10:07", "nurse", R"("type":"adverse_event","kind":"hypertension","severity":"severe")"));
  ASSERT_EQ(severe.alerts.size(), 1U);
  EXPECT_EQ(severe.alerts[0].severity, kap::alert_severity::critical);
  EXPECT_EQ(severe.alerts[0].message, "severe adverse event: hypertension");
}

TEST_F(SessionTest, AdverseEventFreeTextNeverReachesTheAlert) {
  // A kind that is a sentence, not a code: the event is accepted, the alert (which reports show)
  // says "unspecified" rather than repeating what was typed.
  auto s = kap::test::session_at_dosing(p);
  const auto d = s.apply(
      ev("a-1", "10:06", "nurse", R"("type":"adverse_event","kind":"Jane felt sick at home","severity":"moderate")"));
  ASSERT_TRUE(d.accepted()) << d.message;
  ASSERT_EQ(d.alerts.size(), 1U);
  EXPECT_EQ(d.alerts[0].key, "unspecified");
  EXPECT_EQ(d.alerts[0].message, "moderate adverse event: unspecified");
  for (const auto& a : s.snapshot().alerts) EXPECT_EQ(a.message.find("Jane"), std::string::npos);
}

// Free text typed into a code field (issue 20, item 10): a phase, a contraindication, an
// instrument, a screening answer's name, an adverse event kind. The event is refused or kept, but
// the sentence never reaches the decision's message, its unmet requirements, its alerts or the
// session's state; a name shaped like a code (a-z, 0-9, _, -, at most 32) is still quoted.
TEST_F(SessionTest, FreeTextInCodeFieldsIsNeverEchoed) {
  const std::string typed = "Jane Doe born 1984-03-02";
  auto echoes = [&](const kap::decision& d) {
    bool found = d.message.find("Jane") != std::string::npos;
    for (const auto& u : d.unmet) found = found || u.message.find("Jane") != std::string::npos;
    for (const auto& a : d.alerts) found = found || a.message.find("Jane") != std::string::npos || a.key.find("Jane") != std::string::npos;
    return found;
  };
  struct field_case {
    const char* field;
    std::string body;
    kap::errc code;
    std::string message;
  };
  const field_case cases[] = {
      {"phase.to", R"("type":"phase","to":")" + typed + R"(")", kap::errc::invalid_transition,
       "unknown phase (not a phase id of this protocol)"},
      {"override.contraindication",
       R"("type":"override","contraindication":")" + typed + R"(","justification":"reviewed")",
       kap::errc::unknown_field, "unknown contraindication (not a contraindication of this protocol)"},
      {"measure.instrument", R"("type":"measure","instrument":")" + typed + R"(","items":[1,1,1,1,1,1,1,1,1])",
       kap::errc::unknown_instrument,
       "unknown instrument (not an instrument id; known: phq9, gad7, qids-sr16, pcl5, madrs, hamd17, bdi2, cadss, "
       "cssrs-screen, ebi, meq30)"},
      {"screening.answers", R"("type":"screening","weight_kg":80,"age":40,"answers":{")" + typed + R"(":true})",
       kap::errc::unknown_field,
       "screening answer for an unknown name (not a contraindication this protocol asks about)"},
  };
  for (const auto& c : cases) {
    kap::session s(p, kap::session_id{"S-1"});
    const auto d = s.apply(ev("e-1", "09:00", "prescriber", c.body));
    EXPECT_EQ(d.outcome, kap::outcome::rejected) << c.field;
    EXPECT_EQ(d.code, c.code) << c.field;
    EXPECT_EQ(d.message, c.message) << c.field;
    EXPECT_FALSE(echoes(d)) << c.field << ": " << d.message;
  }
  // blockers() answers with the same sentence.
  kap::session s(p, kap::session_id{"S-1"});
  const auto b = s.blockers(typed, at("09:00"));
  ASSERT_EQ(b.size(), 1U);
  EXPECT_EQ(b[0].message, "unknown phase (not a phase id of this protocol)");
  // Shaped like a code, the name is quoted; one character off the shape (a capital, a dot, a
  // space, 33 characters) and it is not.
  EXPECT_EQ(s.apply(ev("e-2", "09:00", "prescriber", R"("type":"phase","to":"no_where-2")")).message,
            "no phase \"no_where-2\" in the protocol");
  EXPECT_EQ(s.apply(ev("e-3", "09:00", "prescriber",
                       R"("type":"override","contraindication":"likes_jazz","justification":"x")"))
                .message,
            "this protocol has no contraindication \"likes_jazz\"");
  for (const std::string& near : {std::string("Nowhere"), std::string("no.where"), std::string("no where"),
                                 std::string(33, 'n')}) {
    EXPECT_EQ(s.apply(ev("e-4", "09:00", "prescriber", R"("type":"phase","to":")" + near + R"(")")).message,
              "unknown phase (not a phase id of this protocol)")
        << near;
  }
  EXPECT_EQ(s.blockers(std::string(32, 'n'), at("09:00")).at(0).message,
            "no phase \"" + std::string(32, 'n') + "\" in the protocol");
  // An adverse event kind follows the same rule (an alert's key and message say "unspecified").
  auto dosing = kap::test::session_at_dosing(p);
  const auto ae = dosing.apply(ev("a-1", "10:06", "nurse", R"("type":"adverse_event","kind":"Nausea.Severe","severity":"moderate")"));
  ASSERT_TRUE(ae.accepted()) << ae.message;
  ASSERT_EQ(ae.alerts.size(), 1U);
  EXPECT_EQ(ae.alerts[0].message, "moderate adverse event: unspecified");
}

std::size_t open_adverse(const kap::session& s) {
  std::size_t n = 0;
  for (const auto& a : s.open_alerts()) n += a.kind == kap::alert_kind::adverse_event ? 1U : 0U;
  return n;
}

TEST_F(SessionTest, SevereAdverseEventBlocksMonitoringUntilItsResolutionIsRecorded) {
  // test-im leaves monitoring only with no open critical alert.
  auto s = kap::test::session_at_dosing(p);
  KAP_ACCEPT(s, ev("e-9", "10:06", "nurse", R"("type":"dose","drug":"ketamine","route":"im","mg":50)"));
  KAP_ACCEPT(s, ev("e-10", "10:08", "therapist", R"("type":"phase","to":"guided_meditation")"));
  KAP_ACCEPT(s, ev("e-11", "10:30", "therapist", R"("type":"phase","to":"monitoring")"));
  KAP_ACCEPT(s, ev("a-1", "10:31", "nurse", R"("type":"adverse_event","kind":"hypertension","severity":"severe")"));
  ASSERT_EQ(open_adverse(s), 1U);
  // 11:31: past monitoring's 60 minutes, so the alert is all that stands in the way.
  const auto blocked = s.blockers("integration", at("11:31"));
  ASSERT_FALSE(blocked.empty());  // test-im asks it of the move and of the phase's entry
  for (const auto& u : blocked) EXPECT_EQ(u.message, "open alert: severe adverse event: hypertension");

  // A resolution must name a kind reported and not yet resolved; a refusal changes nothing.
  const std::string before = state_of(s);
  const auto wrong = s.apply(
      ev("r-0", "10:40", "prescriber", R"("type":"adverse_event","kind":"nausea","severity":"severe","outcome":"resolved")"));
  EXPECT_EQ(wrong.code, kap::errc::requirement_unmet);
  EXPECT_EQ(wrong.message, "no unresolved adverse event nausea to resolve");
  EXPECT_EQ(state_of(s), before);

  // "ongoing" is the default outcome: the same report again raises no second alert.
  const auto again = s.apply(
      ev("a-2", "10:41", "nurse", R"("type":"adverse_event","kind":"hypertension","severity":"severe","outcome":"ongoing")"));
  ASSERT_TRUE(again.accepted()) << again.message;
  EXPECT_EQ(raised(again, kap::alert_kind::adverse_event), 0U);
  EXPECT_EQ(open_adverse(s), 1U);

  const auto resolved = s.apply(ev("r-1", "10:45", "prescriber",
                                   R"("type":"adverse_event","kind":"hypertension","severity":"severe","outcome":"resolved")"));
  ASSERT_TRUE(resolved.accepted()) << resolved.message;
  EXPECT_EQ(raised(resolved, kap::alert_kind::adverse_event), 0U);
  EXPECT_EQ(open_adverse(s), 0U);
  EXPECT_TRUE(s.blockers("integration", at("11:31")).empty());
  KAP_ACCEPT(s, ev("p-1", "11:31", "therapist", R"("type":"phase","to":"integration")"));

  // Resolved once, it cannot be resolved again until it is reported again.
  const auto twice = s.apply(ev("r-2", "11:32", "prescriber",
                                R"("type":"adverse_event","kind":"hypertension","severity":"mild","outcome":"resolved")"));
  EXPECT_EQ(twice.code, kap::errc::requirement_unmet);
}

TEST_F(SessionTest, AResolutionClosesBothLevelsOfItsKindAndNoOther) {
  auto s = kap::test::session_at_dosing(p);
  auto report = [&](const std::string& id, const std::string& hhmm, const std::string& kind, const std::string& sev) {
    return s.apply(ev(id, hhmm, "nurse", R"("type":"adverse_event","kind":")" + kind + R"(","severity":")" + sev + '"'));
  };
  EXPECT_EQ(report("a-1", "10:06", "dissociation", "moderate").alerts.size(), 1U);
  EXPECT_EQ(report("a-2", "10:07", "dissociation", "severe").alerts.size(), 1U);  // a higher level: its own alert
  EXPECT_EQ(report("a-3", "10:08", "nausea", "moderate").alerts.size(), 1U);
  EXPECT_TRUE(report("a-4", "10:09", "nausea", "mild").alerts.empty());
  ASSERT_EQ(open_adverse(s), 3U);
  KAP_ACCEPT(s, ev("r-1", "10:10", "nurse",
                   R"("type":"adverse_event","kind":"dissociation","severity":"severe","outcome":"resolved")"));
  const auto open = s.open_alerts();
  ASSERT_EQ(open.size(), 1U);
  EXPECT_EQ(open[0].key, "nausea");
  // A mild report raises no alert but can be resolved; the same kind reported after its
  // resolution raises a new alert.
  KAP_ACCEPT(s, ev("r-2", "10:11", "nurse", R"("type":"adverse_event","kind":"nausea","severity":"mild","outcome":"resolved")"));
  EXPECT_EQ(open_adverse(s), 0U);
  EXPECT_EQ(report("a-5", "10:12", "dissociation", "moderate").alerts.size(), 1U);
}

TEST_F(SessionTest, ASessionRecordsAtMostSoManyAdverseEventKinds) {
  auto s = kap::test::session_at_dosing(p);
  const kap::timestamp t0 = at("10:06");
  auto report = [&](int n, const std::string& kind, const std::string& extra = "") {
    kap::event e = ev("a-" + std::to_string(n), "10:06", "nurse",
                      R"("type":"adverse_event","kind":")" + kind + R"(","severity":"mild")" + extra);
    e.at = t0 + std::chrono::seconds{n};
    return s.apply(e);
  };
  for (int k = 0; k < 1024; ++k) ASSERT_TRUE(report(k, "kind-" + std::to_string(k)).accepted()) << k;
  const std::string before = state_of(s);
  const auto over = report(1024, "kind-1024");
  EXPECT_EQ(over.code, kap::errc::out_of_range);
  EXPECT_EQ(over.message, "a session records at most 1024 distinct adverse event kinds");
  EXPECT_EQ(state_of(s), before);
  // Kinds already recorded go on as before.
  EXPECT_TRUE(report(1025, "kind-7").accepted());
  EXPECT_TRUE(report(1026, "kind-7", R"(,"outcome":"resolved")").accepted());
}

TEST_F(SessionTest, AResolutionOfFreeTextNamesNoneOfIt) {
  auto s = kap::test::session_at_dosing(p);
  const auto d = s.apply(ev("r-1", "10:06", "nurse",
                            R"("type":"adverse_event","kind":"Jane's chest pain","severity":"severe","outcome":"resolved")"));
  EXPECT_EQ(d.code, kap::errc::requirement_unmet);
  EXPECT_EQ(d.message, "no unresolved adverse event unspecified to resolve");
  // Matching is on the kind as written, not on its public name: another free text is another kind.
  KAP_ACCEPT(s, ev("a-1", "10:07", "nurse", R"("type":"adverse_event","kind":"Jane's chest pain","severity":"severe")"));
  const auto other = s.apply(
      ev("r-2", "10:08", "nurse", R"("type":"adverse_event","kind":"another text","severity":"severe","outcome":"resolved")"));
  EXPECT_EQ(other.code, kap::errc::requirement_unmet);
  KAP_ACCEPT(s, ev("r-3", "10:09", "nurse",
                   R"("type":"adverse_event","kind":"Jane's chest pain","severity":"severe","outcome":"resolved")"));
  EXPECT_EQ(open_adverse(s), 0U);
}

TEST_F(SessionTest, ReplayGivesTheSameState) {
  auto a = kap::test::session_at_dosing(p);
  auto b = kap::test::session_at_dosing(p);
  EXPECT_EQ(state_of(a), state_of(b));
  EXPECT_EQ(a.snapshot(), b.snapshot());
}

TEST_F(SessionTest, BlockersExplainTheNextMove) {
  kap::session s(p, kap::session_id{"S-1"});
  auto b = s.blockers("preparation", at("09:00"));
  ASSERT_EQ(b.size(), 2U);
  EXPECT_EQ(b[0].message, "screening not recorded");
  EXPECT_EQ(b[1].message, "consent not signed");
  EXPECT_EQ(s.blockers("dosing", at("09:00")).at(0).message, "no transition from screening to dosing");
  EXPECT_EQ(s.blockers("nowhere", at("09:00")).at(0).message, "no phase \"nowhere\" in the protocol");
}

}  // namespace

namespace {

TEST_F(SessionTest, AHoldWarningFollowsACriticalAlertThatThisReadingCloses) {
  auto s = kap::test::session_at_dosing(p);
  const auto crit = s.apply(ev("e-9", "10:10", "nurse", R"("type":"vitals","systolic":186,"diastolic":112)"));
  ASSERT_EQ(crit.alerts.size(), 1U);
  EXPECT_EQ(crit.alerts[0].kind, kap::alert_kind::vitals_critical);
  const auto hold = s.apply(ev("e-10", "10:12", "nurse", R"("type":"vitals","systolic":172,"diastolic":104)"));
  ASSERT_EQ(hold.alerts.size(), 1U);
  EXPECT_EQ(hold.alerts[0].kind, kap::alert_kind::vitals_hold);
  EXPECT_EQ(hold.alerts[0].message, "blood pressure 172/104 mmHg is above the 140/90 limit");
  const auto open = s.open_alerts();
  ASSERT_EQ(open.size(), 1U);  // the critical one closed, the hold warning is open
  EXPECT_EQ(open[0].kind, kap::alert_kind::vitals_hold);
}

TEST_F(SessionTest, MinimumDosePerRoute) {
  auto def = p->definition();
  def.limits[0].min_mg = kap::milligrams{20};
  auto v = kap::validate(def);
  ASSERT_TRUE(v);
  auto s = kap::test::session_at_dosing(std::make_shared<const kap::validated_protocol>(std::move(*v)));
  const auto d = s.apply(ev("e-9", "10:06", "nurse", R"("type":"dose","drug":"ketamine","route":"im","mg":10)"));
  EXPECT_EQ(d.code, kap::errc::dose_limit);
  EXPECT_EQ(d.message, "10 mg is below the 20 mg minimum per dose");
}

TEST_F(SessionTest, RejectionsUseTheRightArticle) {
  kap::session s(p, kap::session_id{"S-1"});
  const auto d = s.apply(ev("e-1", "09:00", "therapist", R"("type":"override","contraindication":"pregnancy","justification":"x")"));
  EXPECT_EQ(d.message, "a therapist may not record an override event");
  const auto u = s.apply(ev("e-2", "09:00", "unlicensed-nurse", R"("type":"adverse_event","kind":"nausea","severity":"mild")"));
  EXPECT_TRUE(u.accepted());
}

TEST_F(SessionTest, ACriticalLimitTighterThanTheHoldLimitStillRaisesACriticalAlert) {
  // The engine first asks whether a reading is within both sets of limits at once; that test
  // must take the tighter bound of each pair, and a bound only one set has.
  auto def = p->definition();
  def.vitals.critical.heart_rate_max = kap::bpm{105};  // below the hold limit of 110
  def.vitals.critical.respiratory_rate_min = kap::breaths_per_min{10};  // the hold set has none
  auto v = kap::validate(def);
  ASSERT_TRUE(v);
  auto s = kap::test::session_at_dosing(std::make_shared<const kap::validated_protocol>(std::move(*v)));
  const auto hr = s.apply(ev("e-9", "10:06", "nurse", R"("type":"vitals","heart_rate":107)"));
  ASSERT_TRUE(hr.accepted());
  ASSERT_EQ(hr.alerts.size(), 1U);
  EXPECT_EQ(hr.alerts[0].kind, kap::alert_kind::vitals_critical);
  EXPECT_EQ(hr.alerts[0].message, "heart rate 107/min is above the 105 limit");
  const auto rr = s.apply(ev("e-10", "10:07", "nurse", R"("type":"vitals","respiratory_rate":8)"));
  ASSERT_EQ(rr.alerts.size(), 1U);
  EXPECT_EQ(rr.alerts[0].message, "respiratory rate 8/min is below the 10 limit");
  // Readings within both close them, sign by sign.
  KAP_ACCEPT(s, ev("e-11", "10:08", "nurse", R"("type":"vitals","heart_rate":100)"));
  ASSERT_EQ(s.open_alerts().size(), 1U);
  EXPECT_EQ(s.open_alerts()[0].key, "respiratory_rate");
  KAP_ACCEPT(s, ev("e-12", "10:09", "nurse", R"("type":"vitals","respiratory_rate":12)"));
  EXPECT_TRUE(s.open_alerts().empty());
}

TEST_F(SessionTest, AnActorRoleWithoutANameIsRefusedAsSuch) {
  // Only the C++ API makes a role value with no name; validate refuses a protocol listing one
  // (tests/protocol/validate_test.cpp), so such a role may record nothing. It is refused as an
  // unknown value, not as a role with an empty name.
  auto s = kap::test::session_at_dosing(p);
  const std::string before = state_of(s);
  for (const int value : {6, 40}) {
    auto note = ev("e-9", "10:06", "nurse", R"("type":"note","text":"x")");
    note.actor.role = static_cast<kap::role>(value);
    const auto d = s.apply(note);
    EXPECT_EQ(d.code, kap::errc::unknown_enum) << value;
    EXPECT_EQ(d.message, "actor role " + std::to_string(value) + " is not one kap knows");
    EXPECT_EQ(state_of(s), before);
  }
  const auto therapist = s.apply(ev("e-10", "10:07", "therapist", R"("type":"dose","drug":"ketamine","route":"im","mg":20)"));
  EXPECT_EQ(therapist.code, kap::errc::unauthorized);
  EXPECT_EQ(therapist.message, "a therapist may not record a dose event");
}

TEST_F(SessionTest, EveryImplausibleVitalIsNamed) {
  auto s = kap::test::session_at_dosing(p);
  const std::string before = state_of(s);
  const auto hr = s.apply(ev("e-9", "10:06", "nurse", R"("type":"vitals","systolic":120,"heart_rate":301)"));
  EXPECT_EQ(hr.code, kap::errc::out_of_range);
  EXPECT_EQ(hr.message, "heart_rate 301 is outside 0-300");
  // Two values out of range: the first in reading order is named.
  const auto two = s.apply(ev("e-10", "10:06", "nurse", R"("type":"vitals","diastolic":251,"respiratory_rate":120)"));
  EXPECT_EQ(two.message, "diastolic 251 is outside 0-250");
  const auto rr = s.apply(ev("e-11", "10:06", "nurse", R"("type":"vitals","respiratory_rate":120)"));
  EXPECT_EQ(rr.message, "respiratory_rate 120 is outside 0-100");
  EXPECT_EQ(state_of(s), before);
}

// The JSON readers refuse NaN, infinity, negative quantities and enum names they do not know; an
// event built in C++ can hold them, and the session refuses each with its own sentence. Before
// this rule a NaN dose was accepted (no comparison with a limit is true of NaN), a negative heart
// rate passed as plausible, and a severity without a name raised an alert and was kept (its JSON
// form, `"severity":null`, could not be read back).
TEST_F(SessionTest, ValuesOnlyTheCppApiCanMakeAreRefused) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double inf = std::numeric_limits<double>::infinity();
  auto s = kap::test::session_at_dosing(p);
  const std::string before = state_of(s);
  auto refused = [&](kap::event e, const std::string& message) {
    const auto d = s.apply(e);
    // Not finite: the error model's invalid_quantity, as the readers say; negative: out of the
    // plausible range.
    const bool finite = message.find("not a finite number") == std::string::npos;
    EXPECT_EQ(d.code, finite ? kap::errc::out_of_range : kap::errc::invalid_quantity) << message;
    EXPECT_EQ(d.message, message);
    EXPECT_TRUE(d.alerts.empty()) << message;
    EXPECT_EQ(state_of(s), before) << message;
  };
  auto dose = [&](double mg) {
    auto e = ev("d-1", "10:06", "nurse", R"("type":"dose","drug":"ketamine","route":"im","mg":20)");
    std::get<kap::events::dose>(e.body).mg = kap::milligrams{mg};
    return e;
  };
  refused(dose(nan), "dose mg is not a finite number");
  refused(dose(inf), "dose mg is not a finite number");
  refused(dose(-20), "dose must be more than 0 mg");
  auto reading = [&](auto set) {
    auto e = ev("v-1", "10:06", "nurse", R"("type":"vitals","systolic":120,"diastolic":80,"heart_rate":72,"spo2":98)");
    set(std::get<kap::events::vitals>(e.body));
    return e;
  };
  refused(reading([&](auto& v) { v.systolic = kap::mmhg{nan}; }), "systolic is not a finite number");
  refused(reading([&](auto& v) { v.spo2 = kap::spo2_percent{inf}; }), "spo2 is not a finite number");
  refused(reading([&](auto& v) { v.heart_rate = kap::bpm{-3}; }), "heart_rate -3 is outside 0-300");
  refused(reading([&](auto& v) { v.respiratory_rate = kap::breaths_per_min{-0.5}; }),
          "respiratory_rate -0.5 is outside 0-100");
  auto minutes = ev("i-1", "10:06", "therapist", R"("type":"intervention","kind":"music","minutes":5)");
  std::get<kap::events::intervention>(minutes.body).minutes = kap::minutes{-5};
  refused(minutes, "intervention minutes must not be negative");
  // Enum values without a name: refused before any limit is judged.
  auto odd_dose = dose(20);
  std::get<kap::events::dose>(odd_dose.body).route = static_cast<kap::route>(42);
  auto odd_drug = dose(20);
  std::get<kap::events::dose>(odd_drug.body).drug = static_cast<kap::drug>(7);
  auto adverse = ev("a-1", "10:06", "nurse", R"("type":"adverse_event","kind":"nausea","severity":"severe")");
  auto odd_severity = adverse;
  std::get<kap::events::adverse_event>(odd_severity.body).severity = static_cast<kap::events::severity>(9);
  auto odd_outcome = adverse;
  std::get<kap::events::adverse_event>(odd_outcome.body).outcome = static_cast<kap::events::adverse_outcome>(5);
  for (const auto& [e, message] : {std::pair{odd_dose, "dose route 42 is not one kap knows"},
                                   std::pair{odd_drug, "dose drug 7 is not one kap knows"},
                                   std::pair{odd_severity, "adverse event severity 9 is not one kap knows"},
                                   std::pair{odd_outcome, "adverse event outcome 5 is not one kap knows"}}) {
    const auto d = s.apply(e);
    EXPECT_EQ(d.code, kap::errc::unknown_enum) << message;
    EXPECT_EQ(d.message, message);
    EXPECT_TRUE(d.alerts.empty()) << message;
    EXPECT_EQ(state_of(s), before) << message;
  }
  // Zero is a value, not an absent one: a heart rate of 0 is plausible (and critical).
  const auto zero = s.apply(reading([&](auto& v) { v.heart_rate = kap::bpm{0}; }));
  EXPECT_TRUE(zero.accepted()) << zero.message;

  kap::session fresh(p, kap::session_id{"S-1"});
  auto weight = ev("e-1", "09:30", "prescriber", R"("type":"screening","weight_kg":80,"age":40,"answers":{})");
  std::get<kap::events::screening>(weight.body).weight_kg = kap::kilograms{nan};
  const auto w = fresh.apply(weight);
  EXPECT_EQ(w.code, kap::errc::invalid_quantity);
  EXPECT_EQ(w.message, "weight_kg is not a finite number");
  EXPECT_TRUE(fresh.timeline().empty());
}

// After a calm reading, a reading that is calm but for one NaN or negative value is refused, and
// changes nothing.
TEST_F(SessionTest, ACalmReadingWithOneBadValueIsRefusedAfterACalmOne) {
  auto s = kap::test::session_at_dosing(p);
  KAP_ACCEPT(s, ev("d-1", "10:06", "nurse", R"("type":"dose","drug":"ketamine","route":"im","mg":20)"));
  KAP_ACCEPT(s, ev("v-1", "10:07", "nurse", R"("type":"vitals","systolic":120,"diastolic":80,"heart_rate":72,"spo2":98)"));
  const std::string before = state_of(s);
  for (const double bad : {std::numeric_limits<double>::quiet_NaN(), -1.0}) {
    auto e = ev("v-2", "10:08", "nurse", R"("type":"vitals","systolic":120,"diastolic":80,"heart_rate":72,"spo2":98)");
    std::get<kap::events::vitals>(e.body).diastolic = kap::mmhg{bad};
    const auto d = s.apply(e);
    EXPECT_EQ(d.code, std::isnan(bad) ? kap::errc::invalid_quantity : kap::errc::out_of_range) << bad;
    EXPECT_EQ(state_of(s), before) << bad;
  }
}

}  // namespace
