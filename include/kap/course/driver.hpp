#pragma once

/// @file
/// A driver that walks a session through any protocol by answering its blockers with events.
///
/// The simulator (and tests, and demos) need sessions that follow a protocol without a script
/// written per protocol. The driver asks the real engine what stands in the way of the next
/// phase (`session::blockers`) and what is due (`session::due`), and records the event a clinic
/// would record for each: consent, screening (with overrides of relative contraindications),
/// checklist items, vitals from the subject's generator, the dose (the largest the protocol
/// allows, times a fraction, rounded down to the device step), measures, sign-offs by the
/// named role, and the passing of time on a virtual clock. Every event goes through
/// `session::apply`; nothing is assumed accepted. A protocol the driver cannot satisfy (a C++
/// predicate, a measure threshold it cannot meet) ends in an abort, with the reason.

#include <kap/measures/catalog.hpp>
#include <kap/session/session.hpp>

#include <algorithm>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <utility>
#include <vector>

namespace kap::course {

/// The subject as the driver presents them.
struct subject_profile {
  kilograms weight{75};  ///< body weight reported at screening
  int age = 40;  ///< age in years reported at screening
  std::vector<std::string> relative_present;  ///< relative contraindications answered yes (then overridden)
  double dose_fraction = 1.0;                 ///< of the largest dose the protocol allows (0-1]
  double systolic = 122, diastolic = 78, heart_rate = 72, spo2 = 98;  ///< resting vitals
  std::map<std::string, int> measure_totals;  ///< total to report per instrument (default: low)
  std::vector<events::adverse_event> after_dose;  ///< adverse events recorded after each dose
};

/// What the driver recorded: every event and its decision.
struct driven_session {
  std::vector<event> events;  ///< every event recorded, in order
  std::vector<decision> decisions;  ///< the engine's decision on each event, same order
  bool completed = false;       ///< reached discharge
  std::string stopped_because;  ///< when not completed
};

/// Items for an instrument that add up to about `total` (spread evenly, within item ranges).
[[nodiscard]] inline std::vector<item_answer> items_for(std::string_view instrument, int total) {
  std::vector<item_answer> out;
  auto found = measures::find_instrument(instrument);
  if (!found) return out;
  const auto& inst = *found;
  if (instrument == "cssrs-screen") {
    for (const char* a : {"n", "n", "-", "-", "-", "n", "-"}) out.push_back({a});
    return out;
  }
  const std::size_t n = inst.items.size();
  int left = std::max(total, 0);
  for (std::size_t i = 0; i < n; ++i) {
    const int max = inst.items[i].max;
    const int min = inst.items[i].min;
    const int share = static_cast<int>((left + static_cast<int>(n - i) - 1) / static_cast<int>(n - i));
    const int v = std::clamp(share, min, max);
    left -= v;
    const bool lettered = instrument == "bdi2" && (i == 15 || i == 17);
    out.push_back({lettered ? (v == 0 ? std::string("0") : std::to_string(v) + "a") : std::to_string(v)});
  }
  return out;
}

/// Drives one session under `protocol` from `start`, answering blockers until discharge.
class session_driver {
 public:
  session_driver(std::shared_ptr<const validated_protocol> protocol, session_id id, subject_profile subject,
                 timestamp start, std::uint64_t seed)
      : protocol_(std::move(protocol)), s_(protocol_, id), id_(std::move(id)), subject_(std::move(subject)),
        t_(start), rng_(seed) {}

  /// Records one extra event now (e.g. a pre-session measure); returns its decision.
  decision record(role r, payload body) {
    event e;
    e.id = event_id{id_.str() + "-e" + std::to_string(++n_)};
    e.session = id_;
    e.at = t_;
    e.actor = actor_for(r);
    e.body = std::move(body);
    auto d = s_.apply(e);
    out_.events.push_back(std::move(e));
    out_.decisions.push_back(d);
    t_ += minutes{1};
    return d;
  }

  /// Walks the session to its end (or up to `max_events`).
  driven_session run(std::size_t max_events = 400) {
    while (!s_.closed() && out_.events.size() < max_events) {
      if (!step()) break;
    }
    out_.completed = s_.closed() && s_.current_kind() == phase_kind::discharge;
    if (!s_.closed()) {
      if (out_.stopped_because.empty()) out_.stopped_because = "event limit reached";
      record(role::prescriber, events::abort{out_.stopped_because});
    }
    return std::move(out_);
  }

  /// The session as driven so far.
  [[nodiscard]] const session& state() const noexcept { return s_; }
  /// The virtual clock.
  [[nodiscard]] timestamp now() const noexcept { return t_; }

 private:
  actor actor_for(role r) const {
    switch (r) {
      case role::prescriber: return {actor_id{"P-1"}, r, true};
      case role::nurse: return {actor_id{"N-1"}, r, true};
      case role::therapist: return {actor_id{"T-1"}, r, true};
      case role::monitor: return {actor_id{"M-1"}, r, false};
      case role::patient: return {actor_id{"SUBJ"}, r, false};
      case role::system: return {actor_id{"DEV-1"}, r, false};
    }
    return {actor_id{"SYS"}, role::system, false};
  }

  role first_allowed(event_type t, role preferred) const {
    const auto& perm = protocol_->permission_for(t);
    if (std::find(perm.roles.begin(), perm.roles.end(), preferred) != perm.roles.end()) return preferred;
    return perm.roles.empty() ? preferred : perm.roles.front();
  }

  events::vitals vitals_now() {
    std::normal_distribution<double> noise(0.0, 3.0);
    events::vitals v;
    v.systolic = mmhg{std::round(subject_.systolic + noise(rng_))};
    v.diastolic = mmhg{std::round(subject_.diastolic + noise(rng_) * 0.6)};
    v.heart_rate = bpm{std::round(subject_.heart_rate + noise(rng_))};
    v.spo2 = spo2_percent{std::min(100.0, std::round(subject_.spo2 + noise(rng_) * 0.3))};
    v.respiratory_rate = breaths_per_min{14};
    return v;
  }

  std::optional<events::dose> planned_dose() const {
    const auto& def = protocol_->definition();
    if (def.limits.empty()) return std::nullopt;
    const dose_limit& l = def.limits.front();
    double mg = 1e9;
    if (l.max_mg) mg = std::min(mg, l.max_mg->count());
    if (l.max_mg_per_kg) mg = std::min(mg, (*l.max_mg_per_kg * subject_.weight).count());
    if (l.max_cumulative_mg) mg = std::min(mg, (l.max_cumulative_mg->count() - s_.cumulative_dose().count()));
    mg *= std::clamp(subject_.dose_fraction, 0.05, 1.0);
    if (l.step_mg) {
      mg = std::floor(mg / l.step_mg->count() + 1e-9) * l.step_mg->count();
    } else {
      mg = std::floor(mg);
    }
    if (mg <= 0) return std::nullopt;
    return events::dose{l.drug, l.route, milligrams{mg}, std::nullopt};
  }

  /// Records what is due now (scheduled vitals, dose checks, measures).
  bool satisfy_due() {
    bool any = false;
    for (const auto& d : s_.due(t_)) {
      if (d.kind == "measure") {
        record(kap::detail::is_self_report(d.what) ? role::patient : role::therapist, measure(d.what));
      } else {
        record(first_allowed(event_type::vitals, role::nurse), vitals_now());
      }
      any = true;
      break;  // one at a time; the next step looks again
    }
    return any;
  }

  events::measure measure(const std::string& instrument) {
    const auto it = subject_.measure_totals.find(instrument);
    const int total = it == subject_.measure_totals.end() ? 2 : it->second;
    return events::measure{instrument, items_for(instrument, total)};
  }

  /// Advances the clock towards `until`, recording due checks on the way.
  void wait_until(timestamp until) {
    while (t_ < until) {
      if (satisfy_due()) continue;
      const auto due = s_.due(until);
      timestamp next = until;
      for (const auto& d : due) next = std::min(next, std::max(d.due_at, t_ + minutes{1}));
      t_ = std::max(next, t_ + minutes{1});
    }
  }

  /// One step: a due check, the dose, or the answer to the first unmet requirement, or the
  /// phase move.
  bool step() {
    if (satisfy_due()) return true;
    const auto& def = protocol_->definition();
    const std::string current = s_.phase();
    if (s_.current_kind() == phase_kind::dosing && !dosed_in_phase_) {
      for (const auto& r : def.dose_requires) {
        if (s_.explain(r, t_)) return answer(r);
      }
      auto dose = planned_dose();
      if (!dose) {
        out_.stopped_because = "no dose fits the protocol's limits";
        return false;
      }
      auto d = record(first_allowed(event_type::dose, role::nurse), *dose);
      if (!d.accepted()) {
        out_.stopped_because = "dose refused: " + d.message;
        return false;
      }
      dosed_in_phase_ = true;
      for (const auto& ae : subject_.after_dose) record(first_allowed(event_type::adverse_event, role::nurse), ae);
      return true;
    }
    const transition* next = nullptr;
    for (const auto& tr : def.transitions) {
      if (tr.from == current) {
        next = &tr;
        break;
      }
    }
    if (!next) {
      out_.stopped_because = "no transition out of " + current;
      return false;
    }
    const kap::phase& here = def.phases[static_cast<std::size_t>(protocol_->phase_index(current))];
    if (here.min_duration && s_.phase_since() && t_ - *s_.phase_since() < *here.min_duration) {
      wait_until(*s_.phase_since() + *here.min_duration);
      return true;
    }
    for (const auto& r : next->require) {
      if (s_.explain(r, t_)) return answer(r);
    }
    if (const kap::phase* target = def.find_phase(next->to)) {
      for (const auto& r : target->entry) {
        if (s_.explain(r, t_)) return answer(r);
      }
    }
    auto d = record(first_allowed(event_type::phase, role::therapist), events::phase{next->to});
    if (!d.accepted()) {
      out_.stopped_because = "phase move refused: " + d.message;
      return false;
    }
    dosed_in_phase_ = false;
    return true;
  }

  /// Records the event that answers one unmet requirement.
  bool answer(const requirement& req) {
    const std::string why = s_.explain(req, t_).value_or("");
    if (++attempts_[std::string(kind_of(req)) + why] > 3) {
      out_.stopped_because = "cannot satisfy " + std::string(kind_of(req)) + ": " + why;
      return false;
    }
    const auto& def = protocol_->definition();
    using namespace requirements;
    return std::visit(
        [&](const auto& r) -> bool {
          using R = std::remove_cvref_t<decltype(r)>;
          if constexpr (std::is_same_v<R, consent_signed>) {
            record(first_allowed(event_type::consent, role::prescriber), events::consent{"session"});
          } else if constexpr (std::is_same_v<R, screening_passed>) {
            if (s_.screening().status == screening_status::not_screened) {
              events::screening sc;
              sc.weight_kg = subject_.weight;
              sc.age = subject_.age;
              for (const auto& c : def.contraindications) {
                sc.answers[c.name] = c.tier == tier::relative &&
                                     std::find(subject_.relative_present.begin(), subject_.relative_present.end(),
                                               c.name) != subject_.relative_present.end();
              }
              record(first_allowed(event_type::screening, role::prescriber), sc);
            } else if (!s_.screening().relative_pending.empty()) {
              record(role::prescriber, events::override_contraindication{s_.screening().relative_pending.front(),
                                                                         "reviewed by prescriber"});
            } else {
              out_.stopped_because = "screening excluded the subject";
              return false;
            }
          } else if constexpr (std::is_same_v<R, checklist_done>) {
            record(first_allowed(event_type::checklist, role::nurse), events::checklist{r.item});
          } else if constexpr (std::is_same_v<R, vitals_within> || std::is_same_v<R, no_open_alerts>) {
            record(first_allowed(event_type::vitals, role::nurse), vitals_now());
          } else if constexpr (std::is_same_v<R, min_time_in_phase>) {
            wait_until(s_.phase_since().value_or(t_) + r.duration);
          } else if constexpr (std::is_same_v<R, min_time_since_dose>) {
            wait_until(s_.doses().empty() ? t_ : s_.doses().back().at + r.duration);
          } else if constexpr (std::is_same_v<R, measure_recorded>) {
            record(kap::detail::is_self_report(r.instrument) ? role::patient : role::therapist, measure(r.instrument));
          } else if constexpr (std::is_same_v<R, signed_off>) {
            record(r.role, events::signoff{r.what});
          } else {
            out_.stopped_because = "cannot satisfy " + std::string(R::kind) + ": " + why;
            return false;
          }
          return true;
        },
        req);
  }

  std::shared_ptr<const validated_protocol> protocol_;
  session s_;
  session_id id_;
  subject_profile subject_;
  timestamp t_;
  std::mt19937_64 rng_;
  driven_session out_;
  std::size_t n_ = 0;
  bool dosed_in_phase_ = false;
  std::map<std::string, int> attempts_;
};

}  // namespace kap::course
