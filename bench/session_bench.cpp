// Session::apply over a realistic seeded stream (mostly vitals, ~5% rejected) beside a
// hand-written switch doing the same state updates and guard checks; and the cost of an event
// late in a very long session against one early in it.
#include "alloc_counter.hpp"

#include <kap/detail/hash.hpp>
#include <kap/json.hpp>
#include <kap/session/session.hpp>

#include <benchmark/benchmark.h>

#include <array>
#include <cstdint>
#include <fstream>
#include <iterator>
#include <memory>
#include <random>
#include <sstream>
#include <string>
#include <vector>

namespace bench {
namespace {

std::shared_ptr<const kap::validated_protocol> protocol() {
  static const auto p = [] {
    std::ifstream in(KAP_BENCH_PROTOCOL);
    std::ostringstream ss;
    ss << in.rdbuf();
    return std::make_shared<const kap::validated_protocol>(kap::validate(kap::json::read_protocol(ss.str()).value()).value());
  }();
  return p;
}

kap::actor staff(kap::role r) { return kap::actor{kap::actor_id{r == kap::role::nurse ? "N-1" : "T-1"}, r, true}; }

/// One session: walked to monitoring, then `vitals` readings a minute apart, ~5% of them
/// recorded by a therapist (rejected: unauthorized).
std::vector<kap::event> one_session(const std::string& sid, std::size_t readings, std::mt19937_64& rng) {
  std::vector<kap::event> out;
  kap::timestamp t = *kap::parse_rfc3339("2026-11-26T09:00:00Z");
  int n = 0;
  auto add = [&](kap::role r, kap::payload body, kap::minutes step = kap::minutes{1}) {
    t += step;
    kap::event e;
    e.id = kap::event_id{"e" + std::to_string(n++)};
    e.session = kap::session_id{sid};
    e.at = t;
    e.actor = r == kap::role::prescriber ? kap::actor{kap::actor_id{"P-1"}, r, true} : staff(r);
    e.body = std::move(body);
    out.push_back(std::move(e));
  };
  kap::events::screening s;
  s.weight_kg = kap::kilograms{80};
  s.age = 40;
  for (const char* c : {"aneurysmal_vascular_disease", "psychosis_history", "pregnancy", "uncontrolled_hypertension"}) {
    s.answers[c] = false;
  }
  auto vitals = [&](double sys) {
    kap::events::vitals v;
    v.systolic = kap::mmhg{sys};
    v.diastolic = kap::mmhg{80};
    v.heart_rate = kap::bpm{72};
    v.spo2 = kap::spo2_percent{98};
    return v;
  };
  add(kap::role::prescriber, s);
  add(kap::role::prescriber, kap::events::consent{"kap"});
  add(kap::role::prescriber, kap::events::phase{"preparation"});
  for (const char* item : {"intention_set", "fasting_confirmed", "driver_arranged"}) {
    add(kap::role::therapist, kap::events::checklist{item});
  }
  add(kap::role::nurse, vitals(120));
  add(kap::role::therapist, kap::events::phase{"dosing"});
  add(kap::role::nurse, kap::events::dose{kap::drug::ketamine, kap::route::im, kap::milligrams{50}, std::nullopt});
  add(kap::role::therapist, kap::events::phase{"guided_meditation"});
  add(kap::role::therapist, kap::events::phase{"monitoring"});
  for (std::size_t i = 0; i < readings; ++i) {
    const bool bad = rng() % 20 == 0;
    add(bad ? kap::role::therapist : kap::role::nurse, vitals(110.0 + static_cast<double>(rng() % 25)));
  }
  return out;
}

const std::vector<std::vector<kap::event>>& stream() {
  static const auto s = [] {
    std::mt19937_64 rng(7);
    std::vector<std::vector<kap::event>> out;
    for (int i = 0; i < 50; ++i) out.push_back(one_session("S-" + std::to_string(i), 90, rng));
    return out;
  }();
  return s;
}

// --- the hand-written baseline ------------------------------------------------------------------
// The same checks for the same stream, written directly: session id, duplicate id (open
// addressing over id hashes), time order, role permission, phase transition table, dose
// limits, vitals plausibility and both threshold levels, last readings, vitals schedule.

struct hand_session {
  std::string id;
  int phase = 0;  // 0 screening 1 preparation 2 dosing 3 guided_meditation 4 monitoring
  std::int64_t last_at = INT64_MIN;
  bool consent = false;
  bool screened = false;
  int checklist = 0;
  double weight = 0;
  double cumulative = 0;
  int doses = 0;
  double sys = 0, dia = 0, hr = 0, spo2 = 0;
  std::int64_t bp_at = INT64_MIN;
  std::int64_t schedule_since = INT64_MIN;
  std::vector<std::uint32_t> index = std::vector<std::uint32_t>(256, 0);
  std::vector<std::uint64_t> ids;
  std::vector<std::uint64_t> contents;
  int alerts = 0;
  std::size_t index_of(std::uint64_t h) const {
    for (std::size_t i = h & (index.size() - 1);; i = (i + 1) & (index.size() - 1)) {
      if (ids[index[i] - 1] == h) return index[i] - 1;
    }
  }

  static std::uint64_t hash(const std::string& s) {
    std::uint64_t h = 14695981039346656037ULL;
    for (const char c : s) h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ULL;
    return h;
  }
  bool seen(std::uint64_t h) const {
    for (std::size_t i = h & (index.size() - 1);; i = (i + 1) & (index.size() - 1)) {
      if (index[i] == 0) return false;
      if (ids[index[i] - 1] == h) return true;
    }
  }
  void remember(std::uint64_t h) {
    if ((ids.size() + 1) * 2 > index.size()) {
      index.assign(index.size() * 2, 0);
      for (std::size_t k = 0; k < ids.size(); ++k) insert(ids[k], k);
    }
    ids.push_back(h);
    insert(h, ids.size() - 1);
  }
  void insert(std::uint64_t h, std::size_t pos) {
    std::size_t i = h & (index.size() - 1);
    while (index[i] != 0) i = (i + 1) & (index.size() - 1);
    index[i] = static_cast<std::uint32_t>(pos + 1);
  }

  bool apply(const kap::event& e) {
    if (e.session.str() != id) return false;
    const std::uint64_t h = hash(e.id.str());
    // The same duplicate guard as the engine: a content hash to tell a repeat from a conflict.
    kap::detail::fnv1a content;
    kap::detail::hash_append(content, static_cast<const kap::event_header&>(e));
    kap::detail::hash_append(content, e.body);
    if (seen(h)) return content.h == contents[index_of(h)];
    const std::int64_t at = e.at.time_since_epoch().count();
    if (at < last_at) return false;
    const kap::role r = e.actor.role;
    switch (e.type()) {
      case kap::event_type::screening: {
        if (r != kap::role::prescriber) return false;
        const auto& s = std::get<kap::events::screening>(e.body);
        if (s.answers.size() != 4) return false;
        for (const auto& [k, v] : s.answers) {
          if (v) return false;
        }
        screened = true;
        weight = s.weight_kg.count();
        break;
      }
      case kap::event_type::consent:
        if (r != kap::role::prescriber && r != kap::role::therapist) return false;
        consent = true;
        break;
      case kap::event_type::checklist:
        if (r == kap::role::patient || r == kap::role::monitor) return false;
        ++checklist;
        break;
      case kap::event_type::phase: {
        if (r != kap::role::therapist && r != kap::role::prescriber) return false;
        const auto& to = std::get<kap::events::phase>(e.body).to;
        if (phase == 0 && to == "preparation" && consent && screened) {
          phase = 1;
        } else if (phase == 1 && to == "dosing" && checklist >= 3 && at - bp_at <= 15 * 60000 && sys <= 140 &&
                   dia <= 90) {
          phase = 2;
          schedule_since = at;
        } else if (phase == 2 && to == "guided_meditation" && doses > 0) {
          phase = 3;
        } else if (phase == 3 && to == "monitoring") {
          phase = 4;
        } else {
          return false;
        }
        break;
      }
      case kap::event_type::dose: {
        if ((r != kap::role::nurse && r != kap::role::prescriber) || !e.actor.licensed || phase != 2) return false;
        const auto& d = std::get<kap::events::dose>(e.body);
        if (!consent || !screened || at - bp_at > 15 * 60000 || sys > 140 || dia > 90) return false;
        if (d.route != kap::route::im || d.drug != kap::drug::ketamine) return false;
        if (d.mg.count() > 60 || d.mg.count() > 0.75 * weight || cumulative + d.mg.count() > 80 || doses >= 2) {
          return false;
        }
        cumulative += d.mg.count();
        ++doses;
        break;
      }
      case kap::event_type::vitals: {
        if (r != kap::role::nurse && r != kap::role::monitor && r != kap::role::system) return false;
        const auto& v = std::get<kap::events::vitals>(e.body);
        if ((v.systolic && v.systolic->count() > 300) || (v.diastolic && v.diastolic->count() > 250)) return false;
        if (v.systolic) sys = v.systolic->count(), bp_at = at;
        if (v.diastolic) dia = v.diastolic->count();
        if (v.heart_rate) hr = v.heart_rate->count();
        if (v.spo2) spo2 = v.spo2->count();
        if (sys > 180 || dia > 110 || hr > 130 || hr < 40 || spo2 < 88) ++alerts;
        if (sys > 140 || dia > 90 || hr > 110 || hr < 50 || spo2 < 92) ++alerts;
        if (schedule_since != INT64_MIN && at > std::max(schedule_since, bp_at) + 20 * 60000) ++alerts;
        break;
      }
      default: return false;
    }
    last_at = at;
    remember(h);
    contents.push_back(content.h);
    return true;
  }
};

void BM_SessionApply_Kap(benchmark::State& state) {
  const auto& sessions = stream();
  const auto p = protocol();
  std::size_t events = 0;
  std::size_t rejected = 0;
  for (auto _ : state) {
    for (const auto& evs : sessions) {
      kap::session s(p, evs.front().session);
      s.reserve(evs.size());
      for (const auto& e : evs) {
        const auto d = s.apply(e);
        rejected += d.accepted() ? 0U : 1U;
        benchmark::DoNotOptimize(d);
      }
      events += evs.size();
    }
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(events));
  state.counters["rejected_pct"] = 100.0 * static_cast<double>(rejected) / static_cast<double>(events);
  state.counters["ns_per_event"] = benchmark::Counter(static_cast<double>(events), benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}
BENCHMARK(BM_SessionApply_Kap);

void BM_SessionApply_Baseline(benchmark::State& state) {
  const auto& sessions = stream();
  std::size_t events = 0;
  std::size_t rejected = 0;
  for (auto _ : state) {
    for (const auto& evs : sessions) {
      hand_session s;
      s.id = evs.front().session.str();
      s.ids.reserve(evs.size());
      s.contents.reserve(evs.size());
      for (const auto& e : evs) {
        const bool ok = s.apply(e);
        rejected += ok ? 0 : 1;
        benchmark::DoNotOptimize(ok);
      }
      events += evs.size();
    }
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(events));
  state.counters["rejected_pct"] = 100.0 * static_cast<double>(rejected) / static_cast<double>(events);
  state.counters["ns_per_event"] = benchmark::Counter(static_cast<double>(events), benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}
BENCHMARK(BM_SessionApply_Baseline);

// Per-event cost after a long history: one session of 101,011 events (11 set-up events and
// 101,000 readings), applied whole in every iteration of both variants; 1,000 of its readings are
// timed - from depth 100,000 (Kap) or from depth 100 (Baseline). The two timed windows hold the
// same readings by the same actors (the deep window's bodies and actors are copied into the
// shallow one; only ids and times differ, and the ids hash to the same number of words), the
// two variants are the same session object with the same reservation and do the same work, and
// the memory the window writes was last touched equally long ago (one iteration back) in both:
// only the depth differs. The timed events sit in their own vector, read once before the clock
// starts.
constexpr std::size_t long_readings = 101000;
constexpr std::size_t deep = 100000;

const std::vector<kap::event>& long_stream(std::size_t history) {
  static const std::vector<kap::event> deep_stream = [] {
    std::mt19937_64 rng(11);
    return one_session("S-long", long_readings, rng);
  }();
  static const std::vector<kap::event> shallow_stream = [] {
    auto evs = deep_stream;
    for (std::size_t k = 0; k < 1000; ++k) {
      evs[100 + k].body = deep_stream[deep + k].body;
      evs[100 + k].actor = deep_stream[deep + k].actor;
    }
    return evs;
  }();
  return history == deep ? deep_stream : shallow_stream;
}

void long_history(benchmark::State& state, std::size_t history) {
  const auto& evs = long_stream(history);
  const auto p = protocol();
  const std::vector<kap::event> window(evs.begin() + static_cast<std::ptrdiff_t>(history),
                                       evs.begin() + static_cast<std::ptrdiff_t>(history + 1000));
  std::size_t allocs = 0;
  std::size_t accepted = 0;
  for (auto _ : state) {
    state.PauseTiming();
    auto s = std::make_unique<kap::session>(p, evs.front().session);
    s->reserve(evs.size());
    for (std::size_t i = 0; i < history; ++i) (void)s->apply(evs[i]);
    std::uint64_t touched = 0;
    for (const auto& e : window) touched += e.id.str().size() + static_cast<std::uint64_t>(e.at.time_since_epoch().count());
    benchmark::DoNotOptimize(touched);
    state.ResumeTiming();
    for (const auto& e : window) {
      const std::size_t before = alloc_count();
      const auto d = s->apply(e);
      if (d.accepted()) {
        ++accepted;
        allocs += alloc_count() - before;  // a refusal allocates its sentence; an acceptance should not
      }
      benchmark::DoNotOptimize(d);
    }
    state.PauseTiming();
    for (std::size_t i = history + 1000; i < evs.size(); ++i) (void)s->apply(evs[i]);
    s.reset();
    state.ResumeTiming();
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * 1000);
  state.counters["accepted_in_window"] = static_cast<double>(accepted) / static_cast<double>(state.iterations());
  state.counters["allocs_per_accepted_event"] = static_cast<double>(allocs) / static_cast<double>(accepted);
}
void BM_SessionLongHistory_Kap(benchmark::State& state) { long_history(state, deep); }
void BM_SessionLongHistory_Baseline(benchmark::State& state) { long_history(state, 100); }
BENCHMARK(BM_SessionLongHistory_Kap)->Iterations(16);
BENCHMARK(BM_SessionLongHistory_Baseline)->Iterations(16);

}  // namespace
}  // namespace bench
