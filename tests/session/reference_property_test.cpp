// Property tests over every reference protocol (docs/hardening.md). For each protocol, many
// seeded streams: the course driver walks a session through the protocol (a plausible stream),
// then the stream is perturbed - wrong roles, unlicensed actors, early doses, big doses,
// implausible and alarming vitals, time going backwards, exact and conflicting duplicates,
// premature phase moves and discharges - and replayed against a fresh session, checking after
// every event:
//   - a rejected or duplicate event leaves the serialised state byte-identical;
//   - no dose is accepted without consent and passed screening;
//   - the doses never exceed a limit of the protocol (per dose, per kg, cumulative, count,
//     interval), and a protocol without limits never accepts a dose;
//   - no phase is left (other than by abort) before its minimum duration, and discharge is never
//     entered before the minimum time since the last dose that the protocol requires;
// and after the stream, replaying the accepted events reproduces the state. The test counts
// accepted events, doses and discharges so that it cannot pass on streams that never get far.
#include <kap/course/driver.hpp>
#include <kap/json.hpp>
#include <kap/session/session.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <iostream>
#include <optional>
#include <stdexcept>
#include <variant>
#include <memory>
#include <random>
#include <string>
#include <vector>

namespace {

using kap::event;

std::shared_ptr<const kap::validated_protocol> reference(std::string_view name) {
  auto p = kap::json::reference_protocol(name);
  if (!p) throw std::runtime_error(p.error().message);
  auto v = kap::validate(std::move(*p));
  if (!v) throw std::runtime_error(v.error().message);
  return std::make_shared<const kap::validated_protocol>(std::move(*v));
}

kap::actor actor_of(kap::role r, bool licensed) {
  return kap::actor{kap::actor_id{"A-" + std::string(kap::enum_name(r))}, r, licensed};
}

/// A plausible stream for `p` (the driver's), with random perturbations mixed in.
std::vector<event> perturbed_stream(const std::shared_ptr<const kap::validated_protocol>& p, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  auto uniform = [&](double lo, double hi) { return std::uniform_real_distribution<double>(lo, hi)(rng); };
  kap::course::subject_profile subject;
  subject.weight = kap::kilograms{std::round(uniform(45, 120))};
  subject.age = static_cast<int>(uniform(18, 80));
  subject.dose_fraction = uniform(0.3, 1.0);
  subject.systolic = std::round(uniform(105, 135));
  subject.diastolic = std::round(uniform(65, 85));
  const auto start = *kap::parse_rfc3339("2026-11-26T09:00:00Z") + kap::minutes{static_cast<int>(rng() % 600)};
  kap::course::session_driver driver(p, kap::session_id{"S-1"}, subject, start, seed);
  const auto driven = driver.run(300);

  const auto& def = p->definition();
  const kap::dose_limit* limit = def.limits.empty() ? nullptr : &def.limits.front();
  const kap::drug drug = limit ? limit->drug : kap::drug::ketamine;
  const kap::route route = limit ? limit->route : kap::route::im;
  const double big = limit && limit->max_mg ? limit->max_mg->count()
                     : limit && limit->max_mg_per_kg ? (*limit->max_mg_per_kg * subject.weight).count()
                                                     : 100.0;

  std::vector<event> out;
  int extra = 0;
  auto inserted = [&](const event& like, kap::payload body, kap::role r) {
    event e;
    e.id = kap::event_id{"p-" + std::to_string(++extra)};
    e.session = like.session;
    e.at = like.at;
    e.actor = actor_of(r, true);
    e.body = std::move(body);
    return e;
  };
  static constexpr kap::role roles[] = {kap::role::prescriber, kap::role::nurse,   kap::role::therapist,
                                        kap::role::monitor,    kap::role::patient, kap::role::system};
  int lapse = 0;  // readings still to leave out, so scheduled checks fall overdue
  for (const event& base : driven.events) {
    if (base.type() == kap::event_type::vitals) {
      if (lapse > 0) {
        --lapse;
        continue;
      }
      if (rng() % 100 < 10) lapse = 3 + static_cast<int>(rng() % 5);
    }
    // The driver's own closing abort is left out unless it was the only way out.
    if (rng() % 100 < 22) {
      switch (rng() % 11) {
        case 0: {  // the same event by a random role, or unlicensed
          event e = base;
          e.id = kap::event_id{"p-" + std::to_string(++extra)};
          e.actor = actor_of(roles[rng() % 6], rng() % 2 == 0);
          out.push_back(std::move(e));
          break;
        }
        case 1:  // an early or extra dose of a plausible amount
          out.push_back(inserted(base, kap::events::dose{drug, route, kap::milligrams{std::floor(uniform(0.1, 0.6) * big)}, {}},
                                 kap::role::nurse));
          break;
        case 2:  // a big dose
          out.push_back(inserted(base, kap::events::dose{drug, route, kap::milligrams{std::floor(uniform(1.05, 4.0) * big)}, {}},
                                 kap::role::nurse));
          break;
        case 3: {  // implausible vitals (refused as data errors)
          kap::events::vitals v;
          if (rng() % 2) {
            v.systolic = kap::mmhg{uniform(301, 1000)};
          } else {
            v.spo2 = kap::spo2_percent{uniform(100.5, 200)};
          }
          out.push_back(inserted(base, v, kap::role::nurse));
          break;
        }
        case 4: {  // alarming but plausible vitals (accepted, raise alerts)
          kap::events::vitals v;
          v.systolic = kap::mmhg{std::round(uniform(150, 220))};
          v.diastolic = kap::mmhg{std::round(uniform(90, 130))};
          v.spo2 = kap::spo2_percent{std::round(uniform(80, 100))};
          if (rng() % 3 == 0) out.push_back(inserted(base, v, kap::role::nurse));
          break;
        }
        case 5: {  // time going backwards
          event e = base;
          e.id = kap::event_id{"p-" + std::to_string(++extra)};
          e.at = base.at - kap::minutes{1 + static_cast<int>(rng() % 120)};
          out.push_back(std::move(e));
          break;
        }
        case 6:  // an exact duplicate of an earlier event
          if (!out.empty()) out.push_back(out[rng() % out.size()]);
          break;
        case 7:  // an earlier id with other content
          if (!out.empty()) {
            event e = base;
            e.id = out[rng() % out.size()].id;
            out.push_back(std::move(e));
          }
          break;
        case 8:  // a premature move to a random phase (discharge included)
          out.push_back(inserted(base, kap::events::phase{def.phases[rng() % def.phases.size()].id}, kap::role::therapist));
          break;
        case 9:  // an early discharge sign-off and move
          out.push_back(inserted(base, kap::events::signoff{"discharge"}, kap::role::prescriber));
          for (const auto& ph : def.phases) {
            if (ph.kind == kap::phase_kind::discharge) {
              out.push_back(inserted(base, kap::events::phase{ph.id}, kap::role::therapist));
            }
          }
          break;
        default: {  // consent or screening again, or a dose order before its time
          if (rng() % 2) {
            out.push_back(inserted(base, kap::events::signoff{"dose_order"}, kap::role::prescriber));
          } else {
            out.push_back(inserted(base, kap::events::consent{"again"}, kap::role::prescriber));
          }
        }
      }
    }
    out.push_back(base);
  }
  return out;
}

/// What the properties saw across the streams of one protocol.
struct tally {
  std::size_t events = 0;
  std::size_t accepted = 0;
  std::size_t rejected = 0;
  std::size_t doses = 0;
  std::size_t streams_with_dose = 0;
  std::size_t discharges = 0;
  std::size_t dose_rejections = 0;
  std::size_t discharge_rejections = 0;
  std::size_t overdue_seen = 0;
};

const kap::phase* find_phase(const kap::protocol& def, std::string_view id) {
  for (const auto& ph : def.phases) {
    if (ph.id == id) return &ph;
  }
  return nullptr;
}

/// The minimum time since the last dose that entering `to` from `from` requires, if any.
std::optional<kap::duration> min_since_dose(const kap::protocol& def, std::string_view from, std::string_view to) {
  std::optional<kap::duration> out;
  auto scan = [&](const std::vector<kap::requirement>& reqs) {
    for (const auto& r : reqs) {
      if (const auto* m = std::get_if<kap::requirements::min_time_since_dose>(&r)) {
        if (!out || m->duration > *out) out = m->duration;
      }
    }
  };
  if (const auto* ph = find_phase(def, to)) scan(ph->entry);
  for (const auto& t : def.transitions) {
    if (t.from == from && t.to == to) scan(t.require);
  }
  return out;
}

void check_stream(const std::shared_ptr<const kap::validated_protocol>& p, const std::vector<event>& stream,
                  tally& t) {
  const auto& def = p->definition();
  kap::session s(p, kap::session_id{"S-1"});
  std::vector<event> accepted;
  bool dosed = false;
  for (const auto& e : stream) {
    ++t.events;
    const std::string before = kap::json::to_string(s.snapshot());
    const bool had_consent = s.snapshot().consent;
    const auto screening = s.screening().status;
    const std::string from = s.phase();
    const auto since = s.phase_since();
    const auto d = s.apply(e);
    if (!d.accepted()) {
      ++t.rejected;
      if (e.type() == kap::event_type::dose) ++t.dose_rejections;
      if (e.type() == kap::event_type::phase && find_phase(def, std::get<kap::events::phase>(e.body).to) &&
          find_phase(def, std::get<kap::events::phase>(e.body).to)->kind == kap::phase_kind::discharge) {
        ++t.discharge_rejections;
      }
      ASSERT_EQ(kap::json::to_string(s.snapshot()), before)
          << def.id.str() << " event " << e.id.str() << " (" << kap::enum_name(d.outcome) << "): " << d.message;
      continue;
    }
    ++t.accepted;
    accepted.push_back(e);

    // Overdue alerts match a fresh walk of the schedule at the event: every check overdue then
    // has an open alert, and every open overdue alert is for a check still due.
    const auto due = s.due(e.at);
    const auto open = s.open_alerts();
    for (const auto& item : due) {
      if (!item.overdue) continue;
      ++t.overdue_seen;
      EXPECT_TRUE(std::any_of(open.begin(), open.end(), [&](const kap::alert& a) {
        return a.kind == kap::alert_kind::check_overdue && a.key == item.what;
      })) << def.id.str() << ": " << item.what << " overdue at " << e.id.str() << " without an open alert";
    }
    for (const auto& a : open) {
      if (a.kind != kap::alert_kind::check_overdue) continue;
      EXPECT_TRUE(std::any_of(due.begin(), due.end(), [&](const kap::due_item& item) { return item.what == a.key; }))
          << def.id.str() << ": overdue alert for " << a.key << " open at " << e.id.str() << " but nothing is due";
    }

    if (e.type() == kap::event_type::dose) {
      ++t.doses;
      dosed = true;
      EXPECT_TRUE(had_consent) << def.id.str() << ": dose " << e.id.str() << " accepted without consent";
      EXPECT_EQ(screening, kap::screening_status::eligible)
          << def.id.str() << ": dose " << e.id.str() << " accepted without passed screening";
    }

    // Dose limits, over the whole history after every accepted event.
    if (def.limits.empty()) {
      EXPECT_TRUE(s.doses().empty()) << def.id.str() << ": a dose under a protocol without limits";
    }
    for (const auto& l : def.limits) {
      double total = 0;
      int count = 0;
      std::optional<kap::timestamp> prev;
      for (const auto& dr : s.doses()) {
        if (dr.route != l.route) continue;
        EXPECT_EQ(dr.drug, l.drug) << def.id.str();
        total += dr.mg.count();
        ++count;
        if (l.max_mg) {
          EXPECT_LE(dr.mg.count(), l.max_mg->count() + 1e-9) << def.id.str();
        }
        if (l.min_mg) {
          EXPECT_GE(dr.mg.count(), l.min_mg->count() - 1e-9) << def.id.str();
        }
        if (l.max_mg_per_kg) {
          ASSERT_TRUE(s.snapshot().weight) << def.id.str() << ": a per-kg limit applied without a weight";
          EXPECT_LE(dr.mg.count(), (*l.max_mg_per_kg * *s.snapshot().weight).count() + 1e-9) << def.id.str();
        }
        if (prev) {
          EXPECT_GE(dr.at - *prev, l.min_interval) << def.id.str();
        }
        prev = dr.at;
      }
      if (l.max_cumulative_mg) {
        EXPECT_LE(total, l.max_cumulative_mg->count() + 1e-9) << def.id.str();
      }
      EXPECT_LE(count, l.max_doses) << def.id.str();
    }
    EXPECT_LE(s.doses().size(), 1000U);

    // Phase minimums and discharge timing, on every accepted phase change other than an abort.
    if (s.phase() != from && s.current_kind() != kap::phase_kind::aborted) {
      const auto* left = find_phase(def, from);
      ASSERT_NE(left, nullptr);
      if (left->min_duration && since) {
        EXPECT_GE(e.at - *since, *left->min_duration)
            << def.id.str() << ": left " << from << " before its minimum duration at " << e.id.str();
      }
      if (s.current_kind() == kap::phase_kind::discharge) {
        ++t.discharges;
        if (const auto need = min_since_dose(def, from, s.phase()); need && !s.doses().empty()) {
          EXPECT_GE(e.at - s.doses().back().at, *need)
              << def.id.str() << ": discharge before the minimum time since the dose at " << e.id.str();
        }
      }
    }
  }
  if (dosed) ++t.streams_with_dose;

  // Replaying the accepted events alone reproduces the state, and so does replaying everything.
  kap::session replay(p, kap::session_id{"S-1"});
  for (const auto& e : accepted) {
    const auto d = replay.apply(e);
    ASSERT_TRUE(d.accepted()) << def.id.str() << ": replay refused " << e.id.str() << ": " << d.message;
  }
  EXPECT_EQ(kap::json::to_string(replay.snapshot()), kap::json::to_string(s.snapshot())) << def.id.str();
  kap::session again(p, kap::session_id{"S-1"});
  for (const auto& e : stream) (void)again.apply(e);
  EXPECT_EQ(kap::json::to_string(again.snapshot()), kap::json::to_string(s.snapshot())) << def.id.str();
}

class ReferenceProperties : public ::testing::TestWithParam<std::string> {};

TEST_P(ReferenceProperties, HoldOnPerturbedStreams) {
  const auto p = reference(GetParam());
  const auto& def = p->definition();
  // The protocol facts the dose property relies on are in the data, not assumed.
  if (!def.limits.empty()) {
    bool consent = false;
    bool screening = false;
    for (const auto& r : def.dose_requires) {
      consent = consent || std::holds_alternative<kap::requirements::consent_signed>(r);
      screening = screening || std::holds_alternative<kap::requirements::screening_passed>(r);
    }
    EXPECT_TRUE(consent && screening) << def.id.str() << " doses without requiring consent and screening";
  }

  constexpr std::uint64_t streams = 40;
  tally t;
  for (std::uint64_t seed = 1; seed <= streams; ++seed) {
    const auto stream = perturbed_stream(p, seed * 7919 + std::hash<std::string>{}(GetParam()) % 1000);
    check_stream(p, stream, t);
    if (::testing::Test::HasFatalFailure()) return;
  }
  // Not vacuous: most events are accepted, many are refused, and the interesting ones happen.
  SCOPED_TRACE(def.id.str() + ": " + std::to_string(t.accepted) + " of " + std::to_string(t.events) + " accepted, " +
               std::to_string(t.doses) + " doses, " + std::to_string(t.discharges) + " discharges");
  EXPECT_GT(t.events, streams * 5);
  EXPECT_GT(t.accepted * 2, t.events);
  EXPECT_GT(t.rejected * 20, t.events);
  EXPECT_GE(t.discharges, streams / 4);
  EXPECT_GT(t.discharge_rejections, 0U);
  // Readings left out make vitals checks fall overdue wherever a vitals schedule exists.
  if (!def.schedules.vitals.empty()) {
    EXPECT_GE(t.overdue_seen, 5U);
  }
  if (!def.limits.empty()) {
    EXPECT_GE(t.streams_with_dose, streams / 2);
    EXPECT_GT(t.dose_rejections, streams / 2);
  } else {
    EXPECT_EQ(t.doses, 0U);
  }
  std::cout << "[ properties ] " << def.id.str() << ": " << t.accepted << " of " << t.events << " events accepted, "
            << t.doses << " doses in " << t.streams_with_dose << " of " << streams << " streams, " << t.discharges
            << " discharges, " << t.dose_rejections << " doses and " << t.discharge_rejections
            << " discharge moves refused, " << t.overdue_seen << " overdue checks seen\n";
}

INSTANTIATE_TEST_SUITE_P(Reference, ReferenceProperties,
                         ::testing::Values("im-kap", "sublingual-kap", "iv-infusion", "esketamine-rems",
                                           "psychotherapy-50"),
                         [](const ::testing::TestParamInfo<std::string>& param_info) {
                           std::string n = param_info.param;
                           std::replace(n.begin(), n.end(), '-', '_');
                           return n;
                         });

TEST(ReferencePropertiesCoverage, EveryReferenceProtocolIsTested) {
  const std::vector<std::string> tested{"im-kap", "sublingual-kap", "iv-infusion", "esketamine-rems",
                                        "psychotherapy-50"};
  for (const auto name : kap::json::reference_protocol_names()) {
    EXPECT_NE(std::find(tested.begin(), tested.end(), std::string(name)), tested.end()) << name;
  }
}

}  // namespace
