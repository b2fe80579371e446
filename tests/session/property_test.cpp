// Seeded random event streams against the test protocol: properties that must hold for every
// stream, not just the hand-written scenarios.
#include <kap/json.hpp>
#include <kap/session/session.hpp>

#include "fixture.hpp"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

namespace {

using kap::event;

const char* const phases[] = {"screening", "preparation", "dosing", "guided_meditation",
                              "monitoring", "integration", "discharge", "nowhere"};
const char* const items[] = {"intention_set", "fasting_confirmed", "driver_arranged", "set_and_setting_ready"};
const char* const contraindications[] = {"aneurysmal_vascular_disease", "psychosis_history", "pregnancy",
                                         "uncontrolled_hypertension"};

kap::actor random_actor(std::mt19937_64& rng) {
  static const kap::role roles[] = {kap::role::prescriber, kap::role::nurse, kap::role::therapist,
                                    kap::role::monitor, kap::role::patient, kap::role::system};
  const auto r = roles[rng() % 6];
  return kap::actor{kap::actor_id{"A-" + std::to_string(static_cast<int>(r))}, r, rng() % 5 != 0};
}

/// A stream biased towards a realistic session, with noise: wrong roles, stale times,
/// repeated ids, limits exceeded.
std::vector<event> random_stream(std::uint64_t seed, std::size_t n) {
  std::mt19937_64 rng(seed);
  std::vector<event> out;
  kap::timestamp t = *kap::parse_rfc3339("2026-11-26T09:00:00Z");
  for (std::size_t i = 0; i < n; ++i) {
    event e;
    const bool reuse = !out.empty() && rng() % 25 == 0;
    e.id = reuse ? out[rng() % out.size()].id : kap::event_id{"e-" + std::to_string(i)};
    e.session = kap::session_id{rng() % 50 == 0 ? "S-other" : "S-1"};
    t += kap::minutes{static_cast<int>(rng() % 9)};
    e.at = rng() % 30 == 0 ? t - kap::minutes{20} : t;
    e.actor = random_actor(rng);
    switch (rng() % 12) {
      case 0: {
        kap::events::screening s;
        s.weight_kg = kap::kilograms{40.0 + static_cast<double>(rng() % 80)};
        s.age = static_cast<int>(rng() % 90);
        for (const char* c : contraindications) {
          if (rng() % 7 != 0) s.answers[c] = rng() % 6 == 0;
        }
        e.body = s;
        break;
      }
      case 1: e.body = kap::events::consent{"kap"}; break;
      case 2: e.body = kap::events::checklist{items[rng() % 4]}; break;
      case 3:
      case 4: e.body = kap::events::phase{phases[rng() % 8]}; break;
      case 5:
      case 6: {
        kap::events::vitals v;
        v.systolic = kap::mmhg{100.0 + static_cast<double>(rng() % 100)};
        v.diastolic = kap::mmhg{60.0 + static_cast<double>(rng() % 60)};
        if (rng() % 3) v.heart_rate = kap::bpm{45.0 + static_cast<double>(rng() % 90)};
        if (rng() % 3) v.spo2 = kap::spo2_percent{85.0 + static_cast<double>(rng() % 16)};
        e.body = v;
        break;
      }
      case 7: {
        kap::events::dose d;
        d.drug = rng() % 8 ? kap::drug::ketamine : kap::drug::esketamine;
        d.route = rng() % 8 ? kap::route::im : kap::route::iv;
        d.mg = kap::milligrams{static_cast<double>(rng() % 70)};
        e.body = d;
        break;
      }
      case 8: e.body = kap::events::override_contraindication{contraindications[rng() % 4], rng() % 4 ? "reviewed" : ""}; break;
      case 9: e.body = kap::events::signoff{rng() % 2 ? "discharge" : "dose_order"}; break;
      case 10: {
        kap::events::measure m;
        m.instrument = rng() % 2 ? "phq9" : "cadss";
        const std::size_t count = m.instrument == "phq9" ? 9 : 23;
        for (std::size_t k = 0; k < count; ++k) m.items.push_back({std::to_string(rng() % (rng() % 20 ? 4 : 9))});
        e.body = m;
        break;
      }
      default:
        // Aborts close the session, so they come late in the stream.
        e.body = (i > n * 3 / 4 && rng() % 4 == 0)
                     ? kap::payload{kap::events::abort{"stop"}}
                     : kap::payload{kap::events::adverse_event{
                           rng() % 2 ? "nausea" : "sedation", rng() % 3 ? kap::events::severity::moderate : kap::events::severity::severe,
                           rng() % 3 ? std::nullopt : std::optional{kap::events::adverse_outcome::resolved}}};
    }
    out.push_back(std::move(e));
  }
  return out;
}

class SessionProperties : public ::testing::TestWithParam<std::uint64_t> {
 protected:
  std::shared_ptr<const kap::validated_protocol> p = kap::test::load_protocol("test-im");
};

TEST_P(SessionProperties, RejectionsChangeNothingAndReplayIsDeterministic) {
  const auto stream = random_stream(GetParam(), 400);
  kap::session s(p, kap::session_id{"S-1"});
  std::vector<event> applied;
  int accepted = 0;
  int rejected = 0;
  for (const auto& e : stream) {
    const std::string before = kap::json::to_string(s.snapshot());
    const bool had_consent = s.snapshot().consent;
    const auto screening = s.screening().status;
    const auto d = s.apply(e);
    applied.push_back(e);
    if (!d.accepted()) {
      ++rejected;
      ASSERT_EQ(kap::json::to_string(s.snapshot()), before) << "event " << e.id.str() << ": " << d.message;
      continue;
    }
    ++accepted;
    if (e.type() == kap::event_type::dose) {
      EXPECT_TRUE(had_consent) << "dose accepted without consent";
      EXPECT_EQ(screening, kap::screening_status::eligible) << "dose accepted without screening passed";
    }
    const auto* lim = p->definition().find_limit(kap::route::im);
    EXPECT_LE(s.cumulative_dose().count(), lim->max_cumulative_mg->count());
    if (s.closed() && s.phase() == "discharge") {
      ASSERT_FALSE(s.doses().empty());
      EXPECT_GE(e.at - s.doses().back().at, kap::minutes{120}) << "discharge before the minimum time since dose";
    }
  }
  EXPECT_GT(accepted, 10);
  EXPECT_GT(rejected, 10);

  // Replaying the same events (rejections included) gives byte-identical state.
  kap::session replay(p, kap::session_id{"S-1"});
  for (const auto& e : applied) (void)replay.apply(e);
  EXPECT_EQ(kap::json::to_string(replay.snapshot()), kap::json::to_string(s.snapshot()));
}

INSTANTIATE_TEST_SUITE_P(Seeds, SessionProperties, ::testing::Range<std::uint64_t>(1, 41));

/// A stream that does reach discharge, so the discharge property is exercised, not vacuous.
TEST(SessionPropertiesDischarge, TheScenarioReachesDischarge) {
  auto p = kap::test::load_protocol("test-im");
  auto text = kap::test::read_file(std::string(KAP_TEST_DATA_DIR) + "/scenarios/test-im/full-session.jsonl");
  kap::session s(p, kap::session_id{"S-1"});
  for (auto& l : kap::json::read_events_jsonl(text)) {
    ASSERT_TRUE(l.event) << l.event.error().message;
    (void)s.apply(*l.event);
  }
  EXPECT_EQ(s.phase(), "discharge");
  EXPECT_GE(*s.phase_since() - s.doses().back().at, kap::minutes{120});
}

}  // namespace
