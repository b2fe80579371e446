// Session::apply over a realistic seeded stream (mostly vitals, ~5% rejected) beside a
// hand-written switch doing the same state updates and guard checks; and the cost of an event
// late in a very long session against one early in it.
#include "alloc_counter.hpp"

#include <kap/core/detail/hash.hpp>
#include <kap/json.hpp>
#include <kap/session/session.hpp>

#include <benchmark/benchmark.h>

#include <array>
#include <cstdint>
#include <fstream>
#include <map>
#include <optional>
#include <iterator>
#include <memory>
#include <random>
#include <sstream>
#include <string>
#include <type_traits>
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

// --- the hand-written baselines -----------------------------------------------------------------
// Both are written for this one protocol (tests/data/protocols/test-im.json), with its numbers
// in the code, and both share the engine's content hash (kap::detail::fnv1a over the event) for
// telling a repeated event from a conflicting one.
//
// record_session is SessionApply's baseline: the issue's "hand-written switch doing the same
// state updates and guard checks". It makes the same checks as the engine for this protocol
// (session id, duplicate id, time order, role permission, phase transitions and their
// requirements, dose requirements and limits including the minimum interval, vitals
// plausibility and both threshold levels, the vitals schedule, the 40-minute blood pressure
// check and the CADSS due in monitoring) and keeps the same records: a decision per event (the
// event's id, outcome, code, a sentence when refused, the alerts raised), the timeline entry of
// each accepted event, the latest readings with their instants, dose records, checklist items,
// screening answers, the phase's name and the alerts. `baseline_agrees` checks, before timing,
// that it decides every event of the stream as the engine does and raises the same alerts.
//
// bare_session is SessionApplyNoRecords' baseline (no target), kept as the lower bound: the
// same checks for this stream but no records - it answers true or false, counts alerts, and
// keeps only hashes of the ids. It skips the measure and dose-check schedules, which raise
// nothing in this stream but an alert for the CADSS never recorded (the engine raises it).

constexpr std::int64_t minute_ms = 60000;

// The ids seen, as 64-bit hashes, each with its event's content hash: open addressing over
// their positions (0 = empty slot), doubled at half full.
struct seen_ids {
  std::vector<std::uint32_t> index = std::vector<std::uint32_t>(256, 0);
  std::vector<std::uint64_t> ids;
  std::vector<std::uint64_t> contents;
  void reserve(std::size_t events) {
    ids.reserve(events);
    contents.reserve(events);
  }
  /// The position of id hash `h`, or SIZE_MAX.
  std::size_t find(std::uint64_t h) const {
    for (std::size_t i = h & (index.size() - 1);; i = (i + 1) & (index.size() - 1)) {
      if (index[i] == 0) return SIZE_MAX;
      if (ids[index[i] - 1] == h) return index[i] - 1;
    }
  }
  void add(std::uint64_t h, std::uint64_t content) {
    if ((ids.size() + 1) * 2 > index.size()) {
      index.assign(index.size() * 2, 0);
      for (std::size_t k = 0; k < ids.size(); ++k) insert(ids[k], k);
    }
    ids.push_back(h);
    contents.push_back(content);
    insert(h, ids.size() - 1);
  }
  void insert(std::uint64_t h, std::size_t pos) {
    std::size_t i = h & (index.size() - 1);
    while (index[i] != 0) i = (i + 1) & (index.size() - 1);
    index[i] = static_cast<std::uint32_t>(pos + 1);
  }
};

struct record_session {
  std::string id;
  int phase = 0;  // 0 screening 1 preparation 2 dosing 3 guided_meditation 4 monitoring
  std::string phase_name = "screening";
  std::int64_t phase_since = INT64_MIN;
  std::int64_t last_at = INT64_MIN;
  bool consent = false;
  bool screened = false;
  std::map<std::string, bool> answers;
  std::vector<std::string> checklist;
  double weight = 0;
  double cumulative = 0;
  std::vector<kap::dose_record> doses;
  std::optional<kap::last_reading> sys, dia, hr, spo2;
  std::int64_t schedule_since = INT64_MIN;  // the vitals schedule: every 15 min from dosing on, 5 min grace
  std::int64_t bp_at = INT64_MIN;
  bool vitals_alerted = false;
  std::int64_t dose_check_due = INT64_MIN;  // bp_40min: due 40 min after a dose, done by a reading within 5 min of it
  bool dose_check_done = false;
  bool dose_check_alerted = false;
  bool cadss_alerted = false;  // the CADSS is due on entering monitoring, overdue 5 min later
  seen_ids seen;
  std::vector<kap::timeline_entry> timeline;
  std::vector<kap::alert> alerts;

  void reserve(std::size_t events) {
    seen.reserve(events);
    timeline.reserve(events);
    checklist.reserve(8);
  }
  static bool refuse(kap::decision& d, kap::errc code, const char* why) {
    d.outcome = kap::outcome::rejected;
    d.code = code;
    d.message = why;
    return false;
  }
  static void raise(kap::decision& d, const kap::event& e, kap::alert_kind kind, kap::alert_severity sev, const char* key,
                    std::string message) {
    d.alerts.push_back(kap::alert{kind, sev, key, std::move(message), e.at, e.id, true});
  }
  static std::string overdue(const char* what, std::int64_t due) {
    return std::string(what) + " check was due at " + kap::format_rfc3339(kap::timestamp{kap::duration{due}}) +
           " and is overdue";
  }
  // The vitals alert of one sign outside a level of limits: critical when outside the critical
  // limits, else a hold warning (the caller tests the limits inline).
  static void judge(kap::decision& d, const kap::event& e, const char* key, bool critical) {
    if (critical) {
      raise(d, e, kap::alert_kind::vitals_critical, kap::alert_severity::critical, key, std::string(key) + " is outside the critical limits");
    } else {
      raise(d, e, kap::alert_kind::vitals_hold, kap::alert_severity::warning, key, std::string(key) + " is outside the hold limits");
    }
  }

  // vitals_within(max_age 15 min) against the hold limits: a recent blood pressure, every sign within.
  bool within_hold(std::int64_t at) const {
    return sys && dia && at - bp_at <= 15 * minute_ms && sys->value <= 140 && dia->value <= 90 &&
           (!hr || (hr->value >= 50 && hr->value <= 110)) && (!spo2 || spo2->value >= 92);
  }

  kap::decision apply(const kap::event& e) {
    kap::decision d;
    d.event = e.id;
    decide(e, d);
    return d;
  }
  bool decide(const kap::event& e, kap::decision& d) {
    if (e.session.str() != id) return refuse(d, kap::errc::unknown_session, "event for another session");
    // One pass gives both hashes, as in the engine: the content hash starts with the id.
    kap::detail::fnv1a content;
    content.str(e.id.str());
    const std::uint64_t h = content.finish();
    kap::detail::hash_append(content, e.session);
    kap::detail::hash_append(content, e.at);
    kap::detail::hash_append(content, e.actor);
    kap::detail::hash_append(content, e.body);
    if (const std::size_t pos = seen.find(h); pos != SIZE_MAX) {
      if (content.h != seen.contents[pos]) return refuse(d, kap::errc::conflicting_duplicate, "event id already used for another event");
      d.outcome = kap::outcome::duplicate;
      d.code = kap::errc::duplicate;
      d.message = "event was already applied; nothing changed";
      return false;
    }
    const std::int64_t at = e.at.time_since_epoch().count();
    if (at < last_at) return refuse(d, kap::errc::out_of_order, "event is earlier than the last event");
    const kap::role r = e.actor.role;
    switch (e.type()) {
      case kap::event_type::screening: {
        if (r != kap::role::prescriber) return refuse(d, kap::errc::unauthorized, "this role may not record a screening");
        const auto& s = std::get<kap::events::screening>(e.body);
        if (s.answers.size() != 4) return refuse(d, kap::errc::missing_field, "screening answers missing");
        for (const auto& [k, v] : s.answers) {
          if (v) return refuse(d, kap::errc::excluded, "a contraindication is present");
        }
        answers = s.answers;
        screened = true;
        weight = s.weight_kg.count();
        break;
      }
      case kap::event_type::consent:
        if (r != kap::role::prescriber && r != kap::role::therapist) {
          return refuse(d, kap::errc::unauthorized, "this role may not record consent");
        }
        consent = true;
        break;
      case kap::event_type::checklist: {
        if (r == kap::role::patient || r == kap::role::monitor) {
          return refuse(d, kap::errc::unauthorized, "this role may not record a checklist item");
        }
        const auto& item = std::get<kap::events::checklist>(e.body).item;
        if (std::find(checklist.begin(), checklist.end(), item) == checklist.end()) checklist.push_back(item);
        break;
      }
      case kap::event_type::phase: {
        if (r != kap::role::therapist && r != kap::role::prescriber) {
          return refuse(d, kap::errc::unauthorized, "this role may not move the phase");
        }
        const auto& to = std::get<kap::events::phase>(e.body).to;
        const bool vitals_ok = within_hold(at);
        if (phase == 0 && to == "preparation" && consent && screened) {
          phase = 1;
        } else if (phase == 1 && to == "dosing" && checklist.size() >= 3 && vitals_ok) {
          phase = 2;
          schedule_since = at;
        } else if (phase == 2 && to == "guided_meditation" && !doses.empty()) {
          phase = 3;
        } else if (phase == 3 && to == "monitoring") {
          phase = 4;
        } else {
          return refuse(d, kap::errc::requirement_unmet, "this move is not allowed now");
        }
        phase_name = to;
        phase_since = at;
        break;
      }
      case kap::event_type::dose: {
        if ((r != kap::role::nurse && r != kap::role::prescriber) || !e.actor.licensed) {
          return refuse(d, kap::errc::unauthorized, "a dose needs a licensed nurse or prescriber");
        }
        const auto& x = std::get<kap::events::dose>(e.body);
        const bool vitals_ok = within_hold(at);
        if (phase != 2 || !consent || !screened || !vitals_ok) return refuse(d, kap::errc::requirement_unmet, "a dose requirement is unmet");
        if (x.route != kap::route::im || x.drug != kap::drug::ketamine) return refuse(d, kap::errc::dose_limit, "no limits for this route and drug");
        if (x.mg.count() > 60 || x.mg.count() > 0.75 * weight || cumulative + x.mg.count() > 80 || doses.size() >= 2 ||
            (!doses.empty() && e.at - doses.back().at < kap::minutes{10})) {
          return refuse(d, kap::errc::dose_limit, "the dose is over a limit");
        }
        cumulative += x.mg.count();
        doses.push_back(kap::dose_record{e.at, x.drug, x.route, x.mg, kap::mg_per_kg{x.mg.count() / weight}});
        dose_check_due = at + 40 * minute_ms;
        dose_check_done = false;
        dose_check_alerted = false;
        break;
      }
      case kap::event_type::vitals: {
        if (r != kap::role::nurse && r != kap::role::monitor && r != kap::role::system) {
          return refuse(d, kap::errc::unauthorized, "this role may not record vitals");
        }
        const auto& v = std::get<kap::events::vitals>(e.body);
        auto plausible = [](const auto& x, double hi) { return !x || (x->count() >= 0 && x->count() <= hi); };
        if (!plausible(v.systolic, 300) || !plausible(v.diastolic, 250) || !plausible(v.heart_rate, 300) ||
            !plausible(v.spo2, 100)) {
          return refuse(d, kap::errc::out_of_range, "a value is outside its plausible range");
        }
        if (v.systolic) sys = kap::last_reading{v.systolic->count(), e.at};
        if (v.diastolic) dia = kap::last_reading{v.diastolic->count(), e.at};
        if (v.heart_rate) hr = kap::last_reading{v.heart_rate->count(), e.at};
        if (v.spo2) spo2 = kap::last_reading{v.spo2->count(), e.at};
        if (v.systolic || v.diastolic) {
          bp_at = at;
          vitals_alerted = false;
          if (dose_check_due != INT64_MIN && at >= dose_check_due - 5 * minute_ms && at <= dose_check_due + 5 * minute_ms) {
            dose_check_done = true;
          }
          const double s = sys ? sys->value : 0;
          const double di = dia ? dia->value : 0;
          if (s > 140 || di > 90) judge(d, e, "blood_pressure", s > 180 || di > 110);
        }
        if (v.heart_rate && (hr->value > 110 || hr->value < 50)) judge(d, e, "heart_rate", hr->value > 130 || hr->value < 40);
        if (v.spo2 && spo2->value < 92) judge(d, e, "spo2", spo2->value < 88);
        break;
      }
      default: return refuse(d, kap::errc::unauthorized, "this event type is not handled");
    }
    // The schedule: each overdue check raises one alert.
    if (schedule_since != INT64_MIN && !vitals_alerted && at > std::max(schedule_since, bp_at) + 20 * minute_ms) {
      vitals_alerted = true;
      raise(d, e, kap::alert_kind::check_overdue, kap::alert_severity::warning, "vitals",
            overdue("vitals", std::max(schedule_since, bp_at) + 15 * minute_ms));
    }
    if (dose_check_due != INT64_MIN && !dose_check_done && !dose_check_alerted && at > dose_check_due + 10 * minute_ms) {
      dose_check_alerted = true;
      raise(d, e, kap::alert_kind::check_overdue, kap::alert_severity::warning, "bp_40min", overdue("bp_40min", dose_check_due));
    }
    if (phase == 4 && !cadss_alerted && at > phase_since + 5 * minute_ms) {
      cadss_alerted = true;
      raise(d, e, kap::alert_kind::check_overdue, kap::alert_severity::warning, "cadss", overdue("cadss", phase_since));
    }
    for (const auto& a : d.alerts) alerts.push_back(a);
    last_at = at;
    seen.add(h, content.h);
    kap::timeline_entry& t = timeline.emplace_back();
    t.id = e.id;
    t.type = e.type();
    t.at = e.at;
    t.role = r;
    return true;
  }
};

struct bare_session {
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
  seen_ids seen;
  int alerts = 0;
  void reserve(std::size_t events) { seen.reserve(events); }
  static std::uint64_t hash(const std::string& s) {
    std::uint64_t h = 14695981039346656037ULL;
    for (const char c : s) h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ULL;
    return h;
  }
  bool apply(const kap::event& e) {
    if (e.session.str() != id) return false;
    const std::uint64_t h = hash(e.id.str());
    // The same duplicate guard as the engine: a content hash to tell a repeat from a conflict.
    kap::detail::fnv1a content;
    kap::detail::hash_append(content, static_cast<const kap::event_header&>(e));
    kap::detail::hash_append(content, e.body);
    if (const std::size_t pos = seen.find(h); pos != SIZE_MAX) return content.h == seen.contents[pos];
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
    seen.add(h, content.h);
    return true;
  }
};

// True when record_session decides every event of the stream as the engine does (outcome and
// code) and raises the same alerts (kind and key), and bare_session accepts the same events.
bool baseline_agrees() {
  static const bool agrees = [] {
    const auto p = protocol();
    for (const auto& evs : stream()) {
      kap::session s(p, evs.front().session);
      record_session r;
      r.id = evs.front().session.str();
      bare_session b;
      b.id = r.id;
      for (const auto& e : evs) {
        const auto want = s.apply(e);
        const auto got = r.apply(e);
        if (want.outcome != got.outcome || want.code != got.code || want.alerts.size() != got.alerts.size()) return false;
        for (std::size_t i = 0; i < want.alerts.size(); ++i) {
          if (want.alerts[i].kind != got.alerts[i].kind || want.alerts[i].key != got.alerts[i].key) return false;
        }
        if (b.apply(e) != want.accepted()) return false;
      }
    }
    return true;
  }();
  return agrees;
}

void run_kap(benchmark::State& state) {
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

template <class Session>
void run_baseline(benchmark::State& state) {
  if (!baseline_agrees()) {
    state.SkipWithError("the baseline decides the stream differently from the engine");
    return;
  }
  const auto& sessions = stream();
  std::size_t events = 0;
  std::size_t rejected = 0;
  for (auto _ : state) {
    for (const auto& evs : sessions) {
      Session s;
      s.id = evs.front().session.str();
      s.reserve(evs.size());
      for (const auto& e : evs) {
        const auto d = s.apply(e);
        if constexpr (std::is_same_v<decltype(d), const bool>) {
          rejected += d ? 0U : 1U;
        } else {
          rejected += d.accepted() ? 0U : 1U;
        }
        benchmark::DoNotOptimize(d);
      }
      events += evs.size();
    }
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(events));
  state.counters["rejected_pct"] = 100.0 * static_cast<double>(rejected) / static_cast<double>(events);
  state.counters["ns_per_event"] = benchmark::Counter(static_cast<double>(events), benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}

void BM_SessionApply_Kap(benchmark::State& state) { run_kap(state); }
void BM_SessionApply_Baseline(benchmark::State& state) { run_baseline<record_session>(state); }
void BM_SessionApplyNoRecords_Kap(benchmark::State& state) { run_kap(state); }
void BM_SessionApplyNoRecords_Baseline(benchmark::State& state) { run_baseline<bare_session>(state); }
BENCHMARK(BM_SessionApply_Kap);
BENCHMARK(BM_SessionApply_Baseline);
BENCHMARK(BM_SessionApplyNoRecords_Kap);
BENCHMARK(BM_SessionApplyNoRecords_Baseline);

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
