#pragma once

/// @file
/// The session engine: one KAP session run under a validated protocol.
///
/// The state is a fold of events: `apply(event)` checks the event against the protocol and the
/// state so far and answers with a `decision`. An accepted event updates the state; a rejected
/// or duplicate one changes nothing at all (the checks run before any mutation). There is no
/// clock: every instant comes from an event, and the queries `blockers(phase, t)` and `due(t)`
/// take the instant to ask about, so replaying the same events always gives the same state.
///
/// Order of checks in `apply`: session id, duplicate id, session closed, time order, roster,
/// role permission, then the event type's own rules (phase transitions and their requirements,
/// dose requirements and limits, screening answers, measure scoring, vitals plausibility).
///
/// Cost: an accepted event allocates nothing beyond amortised growth of the timeline (reserve
/// it with `reserve`). The id index is an open-addressing table behind a Bloom filter, filled in
/// batches, so the cost of `apply` does not grow with the history; the checks due at the last
/// event are kept until time passes a due instant or an event changes the schedule, so most
/// events do not walk the whole schedule. Not thread-safe: one session is driven by one thread
/// at a time.

#include <kap/clinical/screening.hpp>
#include <kap/clinical/vitals.hpp>
#include <kap/core/config.hpp>
#include <kap/core/enum_name.hpp>
#include <kap/core/logger.hpp>
#include <kap/detail/code_text.hpp>
#include <kap/detail/hash.hpp>
#include <kap/measures/catalog.hpp>
#include <kap/measures/score.hpp>
#include <kap/protocol/validate.hpp>
#include <kap/session/decision.hpp>
#include <kap/session/events.hpp>

#include <boost/describe/class.hpp>
#include <boost/describe/enum.hpp>
#include <boost/describe/enumerators.hpp>
#include <boost/describe/members.hpp>
#include <boost/mp11/algorithm.hpp>

#include <algorithm>
#include <array>
#include <bit>
#include <cassert>
#include <cmath>
#include <cstdint>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace kap {

/// A dose given in the session.
struct dose_record {
  timestamp at;  ///< when it was given
  kap::drug drug{};  ///< ketamine or esketamine
  kap::route route{};  ///< how it was given
  milligrams mg;  ///< the amount
  std::optional<mg_per_kg> per_kg;  ///< mg over the screening weight, when one was recorded
  friend bool operator==(const dose_record&, const dose_record&) = default;
};
BOOST_DESCRIBE_STRUCT(dose_record, (), (at, drug, route, mg, per_kg))

/// The latest value of a vital sign and when it was taken.
struct last_reading {
  double value = 0;  ///< the value in the sign's unit
  timestamp at;  ///< when it was taken
  friend bool operator==(const last_reading&, const last_reading&) = default;
};
BOOST_DESCRIBE_STRUCT(last_reading, (), (value, at))

/// The latest score of an instrument.
struct measure_record {
  std::string instrument;  ///< the instrument id
  std::optional<int> total;  ///< absent for instruments without a total (C-SSRS screener, EBI)
  timestamp at;  ///< when it was recorded
  friend bool operator==(const measure_record&, const measure_record&) = default;
};
BOOST_DESCRIBE_STRUCT(measure_record, (), (instrument, total, at))

/// A sign-off recorded.
struct signoff_record {
  std::string what;  ///< what was signed off
  kap::role role{};  ///< the role that signed
  timestamp at;  ///< when
  friend bool operator==(const signoff_record&, const signoff_record&) = default;
};
BOOST_DESCRIBE_STRUCT(signoff_record, (), (what, role, at))

/// One accepted event in the timeline.
struct timeline_entry {
  event_id id;  ///< the event's id
  event_type type{};  ///< the event's type
  timestamp at;  ///< when it happened
  kap::role role{};  ///< the role that recorded it
  friend bool operator==(const timeline_entry&, const timeline_entry&) = default;
};
BOOST_DESCRIBE_STRUCT(timeline_entry, (), (id, type, at, role))

/// A scheduled check that is due or overdue at some instant.
struct due_item {
  std::string kind;  ///< vitals, dose_check, measure
  std::string what;  ///< "vitals" / the dose check's name / the instrument id
  timestamp due_at;  ///< when it falls (or fell) due
  bool overdue = false;  ///< true when past due plus the protocol's grace
  friend bool operator==(const due_item&, const due_item&) = default;
};
BOOST_DESCRIBE_STRUCT(due_item, (), (kind, what, due_at, overdue))

/// What a session reports, as one serialisable value (see `session::snapshot`). The engine also
/// keeps working indexes that are not part of it and are rebuilt by replaying the events: the id
/// index, the due checks, and the adverse event kinds reported and not yet resolved (kept apart
/// because a kind may be free text).
struct session_state {
  session_id id;  ///< the session's id
  protocol_id protocol;  ///< the protocol it runs under
  std::string phase;  ///< the current phase
  std::optional<timestamp> phase_since;  ///< when the current phase was entered
  bool closed = false;  ///< true once the session reached discharge or was aborted
  std::optional<timestamp> last_event_at;  ///< the time of the last accepted event
  bool consent = false;  ///< consent recorded
  std::vector<std::string> checklist;  ///< checklist items done
  screening_outcome screening;  ///< the screening outcome
  std::map<std::string, bool> screening_answers;  ///< the screening answers as given
  std::optional<kilograms> weight;  ///< body weight from screening
  std::optional<int> age;  ///< age from screening
  std::vector<dose_record> doses;  ///< every dose given
  milligrams cumulative_mg;  ///< the sum of the doses
  std::optional<last_reading> systolic;  ///< latest systolic pressure
  std::optional<last_reading> diastolic;  ///< latest diastolic pressure
  std::optional<last_reading> heart_rate;  ///< latest heart rate
  std::optional<last_reading> spo2;  ///< latest oxygen saturation
  std::optional<last_reading> respiratory_rate;  ///< latest respiratory rate
  std::vector<measure_record> measures;  ///< latest score per instrument
  std::vector<signoff_record> signoffs;  ///< sign-offs recorded
  std::vector<alert> alerts;  ///< every alert raised, open or cleared
  std::vector<timeline_entry> timeline;  ///< every accepted event
  friend bool operator==(const session_state&, const session_state&) = default;
};
BOOST_DESCRIBE_STRUCT(session_state, (),
                      (id, protocol, phase, phase_since, closed, last_event_at, consent, checklist, screening,
                       screening_answers, weight, age, doses, cumulative_mg, systolic, diastolic, heart_rate, spo2,
                       respiratory_rate, measures, signoffs, alerts, timeline))

/// Plausibility bounds on vitals values; a reading outside them is refused as a data error
/// (`errc::out_of_range`), not judged against the protocol.
inline constexpr double max_plausible_systolic = 300;
inline constexpr double max_plausible_diastolic = 250;  ///< mmHg
inline constexpr double max_plausible_heart_rate = 300;  ///< beats per minute
inline constexpr double max_plausible_spo2 = 100;  ///< percent
inline constexpr double max_plausible_respiratory_rate = 100;  ///< breaths per minute
inline constexpr double max_plausible_weight_kg = 500;  ///< kilograms

namespace detail {
/// Reaches into a session for the tests (declared here, defined only by kap's tests).
struct session_test_access;
}  // namespace detail

/// One session under one validated protocol.
class KAP_CORE_API session {
 public:
  /// Opens a session in the protocol's initial phase. The phase clock starts at the first event.
  /// @param protocol the protocol (shared, immutable)
  /// @param id the session's pseudonymous id; events for other sessions are rejected
  /// @param log diagnostics (event kinds, codes and ids only); silent by default
  session(std::shared_ptr<const validated_protocol> protocol, session_id id, logger& log = no_logger())
      : protocol_(std::move(protocol)), log_(&log), logging_(&log != &no_logger()) {
    st_.id = std::move(id);
    st_.protocol = protocol_->definition().id;
    st_.phase = protocol_->definition().initial;
    phase_index_ = tables().initial;
    may_record_ = tables().may_record;  // a copy beside the rest of the hot state
    hold_ = protocol_->definition().vitals.hold;
    hold_bounds_ = bounds_of(hold_);
    critical_bounds_ = bounds_of(protocol_->definition().vitals.critical);
    calm_bounds_ = tighter(hold_bounds_, critical_bounds_);
    quiet_bounds_ = tighter(calm_bounds_, plausible_bounds());
    const auto& sched = protocol_->definition().schedules;
    schedule_since_.assign(sched.vitals.size(), std::nullopt);
    measure_last_at_.assign(sched.measures.size(), std::nullopt);
  }

  /// Reserves room for `events` accepted events (avoids growth during a session).
  void reserve(std::size_t events) {
    st_.timeline.reserve(events);
    hashes_.reserve(events);
    grow_index(events * 2);
  }

  /// Applies one event. Never throws for bad input; a rejection changes nothing.
  /// @return the decision: accepted, duplicate (same id, same content: nothing changes) or
  ///         rejected with one of `unknown_session`, `conflicting_duplicate`, `session_closed`,
  ///         `out_of_order`, `unauthorized`, `invalid_transition`, `requirement_unmet`,
  ///         `excluded`, `dose_limit`, `missing_field`, `unknown_field`, `out_of_range`, or a
  ///         measure scoring code (`item_out_of_range`, `wrong_item_count`, `unknown_instrument`)
  decision apply(const event& e);

  /// The requirements that stop a move to `target` at instant `t` (empty when it may go ahead).
  [[nodiscard]] std::vector<unmet> blockers(std::string_view target, timestamp t) const;
  /// The scheduled checks due or overdue at instant `t`, in due order.
  [[nodiscard]] std::vector<due_item> due(timestamp t) const;
  /// Why `r` does not hold at instant `t`, or nothing when it holds.
  [[nodiscard]] std::optional<std::string> explain(const requirement& r, timestamp t) const;

  /// The current phase id.
  [[nodiscard]] const std::string& phase() const noexcept { return st_.phase; }
  /// The current phase's kind.
  [[nodiscard]] phase_kind current_kind() const noexcept { return definition().phases[phase_index()].kind; }
  /// When the current phase was entered (the first event's instant for the initial phase).
  [[nodiscard]] std::optional<timestamp> phase_since() const noexcept { return st_.phase_since; }
  /// True once the session reached discharge or was aborted.
  [[nodiscard]] bool closed() const noexcept { return st_.closed; }
  /// The open alerts.
  [[nodiscard]] std::vector<alert> open_alerts() const {
    std::vector<alert> out;
    out.reserve(open_.size());
    for (const std::uint32_t i : open_) out.push_back(st_.alerts[i]);
    return out;
  }
  /// Doses given, in order.
  [[nodiscard]] const std::vector<dose_record>& doses() const noexcept { return st_.doses; }
  /// The total of all doses.
  [[nodiscard]] milligrams cumulative_dose() const noexcept { return st_.cumulative_mg; }
  /// The accepted events, in order.
  [[nodiscard]] const std::vector<timeline_entry>& timeline() const noexcept { return st_.timeline; }
  /// The screening outcome so far.
  [[nodiscard]] const screening_outcome& screening() const noexcept { return st_.screening; }
  /// The whole state as one value (serialise it with kap::json::to_string).
  [[nodiscard]] const session_state& snapshot() const noexcept { return st_; }
  /// The protocol.
  [[nodiscard]] const protocol& definition() const noexcept { return protocol_->definition(); }
  /// The hold limits for this subject: the protocol's, with its age band's put in once screening
  /// recorded an age (see `hold_for_age`).
  [[nodiscard]] const vitals_limits& hold_limits() const noexcept { return hold_; }
  /// The session id.
  [[nodiscard]] const session_id& id() const noexcept { return st_.id; }

 private:
  /// The protocol's lookup tables (built once by validate, shared by its sessions).
  [[nodiscard]] const detail::engine_tables& tables() const noexcept { return protocol_->engine_tables(); }

  // Rejections ---------------------------------------------------------------------------------
  /// Marks `d` rejected (it was accepted so far and changed nothing). Returns false, so a check
  /// can end with `return reject(...)`.
  bool reject(decision& d, const event& e, errc code, std::string message, std::vector<unmet> unmet = {},
              std::vector<alert> alerts = {}) const {
    if (logging_ && log_->enabled(log_level::debug)) {
      log_->write(log_level::debug, "session " + st_.id.str() + " event " + e.id.str() + " (" +
                                        std::string(wire_name(e.type())) + ") rejected: " +
                                        std::string(to_string(code)));
    }
    d.outcome = outcome::rejected;
    d.code = code;
    d.message = std::move(message);
    d.unmet = std::move(unmet);
    d.alerts = std::move(alerts);
    return false;
  }

  static void prefetch(const void* p) noexcept {
#if defined(__GNUC__) || defined(__clang__)
    __builtin_prefetch(p);
#else
    (void)p;
#endif
  }
  [[nodiscard]] std::size_t phase_index() const noexcept { return static_cast<std::size_t>(phase_index_); }

  // Id index: open addressing over timeline positions; ids are compared in full. -------------
  [[nodiscard]] static std::uint64_t hash_id(std::string_view s) noexcept {
    detail::fnv1a h;
    h.bytes(s.data(), s.size());
    return h.finish();
  }
  // Each slot holds (upper 32 bits of the id's hash << 32) | (timeline position + 1), so a probe
  // touches the timeline only when the hash bits match: lookups stay in one small array however
  // long the history grows.
  [[nodiscard]] std::optional<std::size_t> find_id(const event_id& id, std::uint64_t h) const noexcept {
    if (index_.empty()) return std::nullopt;
    for (std::size_t k = 0; k < pending_.size(); ++k) {
      if (pending_[k] == h && st_.timeline[indexed_ + k].id == id) return indexed_ + k;
    }
    const std::uint64_t tag = h >> 32;
    const std::size_t mask = index_.size() - 1;
    for (std::size_t i = h & mask;; i = (i + 1) & mask) {
      const std::uint64_t slot = index_[i];
      if (slot == 0) return std::nullopt;
      if ((slot >> 32) == tag) {
        const std::size_t pos = static_cast<std::size_t>(slot & 0xffffffffU) - 1;
        if (st_.timeline[pos].id == id) return pos;
      }
    }
  }
  // Once the index outgrows the caches (from `bloom_from` slots on), a one-word-per-id Bloom
  // filter an eighth of its size (16 bits per id at the index's fullest) sits in front of it, so
  // the usual case - a new id - is answered from a small array that stays in cache however long
  // the session grows; only a "maybe" (a duplicate, or about 1 in 200 new ids) probes the index.
  // A smaller index is probed directly.
  static constexpr std::size_t bloom_from = 8192;
  [[nodiscard]] static std::uint64_t bloom_hash(std::uint64_t h) noexcept { return detail::fnv1a::mix(h ^ 0x5bd1e9955bd1e995ULL); }
  [[nodiscard]] static std::uint64_t bloom_bits(std::uint64_t g) noexcept {
    return (std::uint64_t{1} << ((g >> 40) & 63)) | (std::uint64_t{1} << ((g >> 46) & 63)) |
           (std::uint64_t{1} << ((g >> 52) & 63)) | (std::uint64_t{1} << ((g >> 58) & 63));
  }
  [[nodiscard]] const std::uint64_t& bloom_word(std::uint64_t g) const noexcept { return bloom_[g & (bloom_.size() - 1)]; }
  [[nodiscard]] bool maybe_seen(std::uint64_t g) const noexcept {
    if (bloom_.empty()) return !index_.empty();
    const std::uint64_t m = bloom_bits(g);
    return (bloom_word(g) & m) == m;
  }
  void grow_index(std::size_t want) {
    std::size_t cap = index_.empty() ? 64 : index_.size();
    while (cap < want) cap *= 2;
    if (cap == index_.size()) return;
    index_.assign(cap, 0);
    if (cap >= bloom_from) {
      bloom_.assign(cap / 8, 0);
      pending_.reserve(index_batch);  // only a session with a Bloom filter batches its index
    } else {
      bloom_.clear();
    }
    pending_.clear();
    for (std::size_t k = 0; k < st_.timeline.size(); ++k) {
      const std::uint64_t h = hash_id(st_.timeline[k].id.str());
      insert_slot(k, h);
      insert_bloom(h);
    }
    indexed_ = st_.timeline.size();
  }
  void insert_slot(std::size_t pos, std::uint64_t h) noexcept {
    const std::size_t mask = index_.size() - 1;
    std::size_t i = h & mask;
    while (index_[i] != 0) i = (i + 1) & mask;
    index_[i] = ((h >> 32) << 32) | static_cast<std::uint64_t>(pos + 1);
  }
  // The same slot as insert_slot (the first empty one at or after the home slot), found 8 slots
  // (64 bytes) at a time without a branch per slot: in a large, well-filled index a slot-by-slot
  // walk mispredicts often enough to make an event late in a long session dearer than an early
  // one; in a small index the single branch of insert_slot is cheaper.
  void insert_slot_by_line(std::size_t pos, std::uint64_t h) noexcept {
    const std::size_t mask = index_.size() - 1;  // index_.size() is a power of two, at least 64
    for (std::size_t i = h & mask;;) {
      const std::size_t line = i & ~std::size_t{7};
      unsigned empty = 0;
      for (unsigned j = 0; j < 8; ++j) empty |= static_cast<unsigned>(index_[line + j] == 0) << j;
      empty &= ~0U << (i & 7U);  // only slots at or after i
      if (empty != 0) {
        index_[line + static_cast<unsigned>(std::countr_zero(empty))] =
            ((h >> 32) << 32) | static_cast<std::uint64_t>(pos + 1);
        return;
      }
      i = (line + 8) & mask;
    }
  }
  void insert_bloom(std::uint64_t h) noexcept {
    if (bloom_.empty()) return;
    const std::uint64_t g = bloom_hash(h);
    bloom_[g & (bloom_.size() - 1)] |= bloom_bits(g);
  }
  // The newest timeline entry joins the Bloom filter at once and a large index in batches: a
  // batch's slots are all requested from memory before the first is written, so in a long session
  // the cache misses overlap instead of costing one full memory round trip per event.
  static constexpr std::size_t index_batch = 16;
  /// Room made for checklist items at the first one (a clinical checklist has a handful).
  static constexpr std::size_t checklist_room = 8;
  void index_newest(std::uint64_t h) noexcept {
    if (bloom_.empty()) {
      insert_slot(st_.timeline.size() - 1, h);
      indexed_ = st_.timeline.size();
      return;
    }
    insert_bloom(h);
    pending_.push_back(h);
    if (pending_.size() < index_batch) return;
    const std::size_t mask = index_.size() - 1;
    for (const std::uint64_t x : pending_) prefetch(&index_[x & mask]);
    for (std::size_t k = 0; k < pending_.size(); ++k) insert_slot_by_line(indexed_ + k, pending_[k]);
    indexed_ += pending_.size();
    pending_.clear();
  }

  // Checks ----------------------------------------------------------------------------------------
  [[nodiscard]] bool is_excluded() const noexcept { return st_.screening.status == screening_status::excluded; }
  [[nodiscard]] std::optional<timestamp> last_dose_at() const noexcept {
    if (st_.doses.empty()) return std::nullopt;
    return st_.doses.back().at;
  }
  void collect(const std::vector<requirement>& reqs, timestamp t, std::vector<unmet>& out) const {
    for (const auto& r : reqs) {
      if (auto why = explain(r, t)) out.push_back({std::string(kind_of(r)), std::move(*why)});
    }
  }
  void collect_move(std::string_view target, timestamp t, std::vector<unmet>& out) const;
  // The three parts of the schedule; `walk_schedule` walks the ones in its mask.
  static constexpr unsigned part_vitals = 1;
  static constexpr unsigned part_dose_checks = 2;
  static constexpr unsigned part_measures = 4;
  static constexpr unsigned all_parts = 7;
  struct due_hit {
    unsigned part;
    std::uint32_t check;  // index into tables().check_names
    timestamp due_at;
    bool overdue;
  };
  /// Calls f(part, check, due_from, due_at, overdue_after) for each check of the given parts not
  /// yet done: it is due at instants from `due_from` on, and overdue after `overdue_after`.
  template <class F>
  void walk_schedule(unsigned parts, F&& f) const;
  /// Calls f(part, check, due_at, overdue) for each check due at t, without allocating.
  template <class F>
  void visit_due(timestamp t, F&& f) const {
    walk_schedule(all_parts, [&](unsigned part, std::uint32_t check, timestamp from, timestamp at, timestamp after) {
      if (t >= from) f(part, check, at, t > after);
    });
  }
  /// Recomputes the cached due checks of the given parts at instant t, and until when each
  /// part's answer holds while the state stays as it is.
  void refresh_due(timestamp t, unsigned parts);
  /// The parts of the schedule an accepted event of this type can change.
  [[nodiscard]] static unsigned parts_changed_by(event_type type) noexcept {
    switch (type) {
      case event_type::vitals: return part_vitals | part_dose_checks;  // the last reading anchors both
      case event_type::dose: return part_dose_checks;
      case event_type::measure: return part_measures;
      case event_type::phase:
      case event_type::abort: return all_parts;
      default: return 0;
    }
  }
  void overdue_alerts(const event& e, std::vector<alert>& out);
  // An alert's identity as one integer: its kind and the number of what it is about (the vital
  // sign, the scheduled check, the phase, the adverse event kind and level), in 24 bits.
  static constexpr std::uint32_t key_mask = 0xffffffU;
  [[nodiscard]] static std::uint32_t tag_of(alert_kind kind, std::uint32_t key) noexcept {
    return (static_cast<std::uint32_t>(kind) << 24) | (key & key_mask);
  }
  [[nodiscard]] static alert_kind kind_of_tag(std::uint32_t tag) noexcept { return static_cast<alert_kind>(tag >> 24); }
  [[nodiscard]] static std::uint32_t key_of_tag(std::uint32_t tag) noexcept { return tag & key_mask; }
  /// True when an alert of this kind and key is open, or was raised earlier by this same event.
  [[nodiscard]] bool has_open(alert_kind kind, std::uint32_t key) const noexcept {
    const std::uint32_t t = tag_of(kind, key);
    return std::find(open_tag_.begin(), open_tag_.end(), t) != open_tag_.end() ||
           std::find(new_tags_.begin(), new_tags_.end(), t) != new_tags_.end();
  }
  /// An alert kept only in a rejection (never committed, so it needs no tag).
  static void add_alert(std::vector<alert>& out, const event& e, alert_kind kind, alert_severity sev,
                        std::string key, std::string message) {
    out.push_back(alert{kind, sev, std::move(key), std::move(message), e.at, e.id, true});
  }
  /// An alert raised by an event that may be accepted.
  void raise(std::vector<alert>& out, const event& e, alert_kind kind, alert_severity sev, std::uint32_t key_id,
             std::string key, std::string message) {
    add_alert(out, e, kind, sev, std::move(key), std::move(message));
    new_tags_.push_back(tag_of(kind, key_id));
  }

  /// The latest value of every sign, from the state.
  [[nodiscard]] vitals_reading latest_readings() const {
    vitals_reading r;
    if (st_.systolic) r.systolic = mmhg{st_.systolic->value};
    if (st_.diastolic) r.diastolic = mmhg{st_.diastolic->value};
    if (st_.heart_rate) r.heart_rate = bpm{st_.heart_rate->value};
    if (st_.spo2) r.spo2 = spo2_percent{st_.spo2->value};
    if (st_.respiratory_rate) r.respiratory_rate = breaths_per_min{st_.respiratory_rate->value};
    return r;
  }
  // A reading as five numbers (systolic, diastolic, heart rate, SpO2, respiratory rate) with a
  // bit per value present, and limits as lower and upper bounds on them (minus and plus infinity
  // where a limit is not set): the checks on every reading compare numbers under a mask, without
  // branching on optionals or copying readings. `check` still words a violation.
  struct vitals_values {
    std::array<double, 5> v{};
    unsigned present = 0;
  };
  static constexpr double unbounded = std::numeric_limits<double>::infinity();
  struct vitals_bounds {
    std::array<double, 5> lo{-unbounded, -unbounded, -unbounded, -unbounded, -unbounded};
    std::array<double, 5> hi{unbounded, unbounded, unbounded, unbounded, unbounded};
  };
  template <class Reading>  // events::vitals or vitals_reading
  [[nodiscard]] static vitals_values values_of(const Reading& r) noexcept {
    vitals_values out;
    auto put = [&](unsigned i, const auto& x) {
      if (x) {
        out.v[i] = x->count();
        out.present |= 1U << i;
      }
    };
    put(0, r.systolic);
    put(1, r.diastolic);
    put(2, r.heart_rate);
    put(3, r.spo2);
    put(4, r.respiratory_rate);
    return out;
  }
  [[nodiscard]] static vitals_bounds bounds_of(const vitals_limits& l) noexcept {
    vitals_bounds b;
    auto put = [](double& to, const auto& x) {
      if (x) to = x->count();  // finite: validate refuses a NaN or infinite limit
    };
    put(b.lo[0], l.systolic_min);
    put(b.hi[0], l.systolic_max);
    put(b.hi[1], l.diastolic_max);
    put(b.lo[2], l.heart_rate_min);
    put(b.hi[2], l.heart_rate_max);
    put(b.lo[3], l.spo2_min);
    put(b.lo[4], l.respiratory_rate_min);
    put(b.hi[4], l.respiratory_rate_max);
    return b;
  }
  /// The bounds both `a` and `b` allow (a reading within them is within each).
  [[nodiscard]] static vitals_bounds tighter(const vitals_bounds& a, const vitals_bounds& b) noexcept {
    vitals_bounds out;
    for (unsigned i = 0; i < 5; ++i) {
      out.lo[i] = std::max(a.lo[i], b.lo[i]);
      out.hi[i] = std::min(a.hi[i], b.hi[i]);
    }
    return out;
  }
  /// The most a reading may hold: a value above these is a typing or device error.
  [[nodiscard]] static constexpr vitals_bounds plausible_bounds() noexcept {
    vitals_bounds b;
    b.lo = {0, 0, 0, 0, 0};
    b.hi = {max_plausible_systolic, max_plausible_diastolic, max_plausible_heart_rate, max_plausible_spo2,
            max_plausible_respiratory_rate};
    return b;
  }
  /// The values a sign covers, as bits of `vitals_values::present` (both pressures for blood pressure).
  [[nodiscard]] static constexpr unsigned sign_bits(vital_sign sign) noexcept {
    switch (sign) {
      case vital_sign::blood_pressure: return 3U;
      case vital_sign::heart_rate: return 4U;
      case vital_sign::spo2: return 8U;
      case vital_sign::respiratory_rate: return 16U;
    }
    return 0;
  }
  /// The values present among `bits` that are outside the bounds, as bits (the same rule as
  /// `kap::within`: a value equal to a bound is within it, an absent value is not judged). A
  /// NaN is within no bounds.
  [[nodiscard]] static unsigned outside_bounds(const vitals_values& x, const vitals_bounds& b, unsigned bits = 31U) noexcept {
    unsigned out = 0;
    for (unsigned i = 0; i < 5; ++i) out |= static_cast<unsigned>(!(x.v[i] >= b.lo[i] && x.v[i] <= b.hi[i])) << i;
    return out & x.present & bits;
  }
  [[nodiscard]] static bool within_bounds(const vitals_values& x, const vitals_bounds& b, unsigned bits = 31U) noexcept {
    return outside_bounds(x, b, bits) == 0;
  }
  /// Distinct adverse event kinds one session records (a clinical session has a handful; the
  /// bound keeps alert keys unique and the table small whatever a stream holds).
  static constexpr std::size_t max_adverse_kinds = 1024;
  /// The number of an adverse event kind, or the next free number for a kind not reported yet.
  [[nodiscard]] std::uint32_t adverse_kind_number(const std::string& kind) const {
    const auto it = adverse_kinds_.find(kind);
    return it != adverse_kinds_.end() ? it->second : static_cast<std::uint32_t>(adverse_kinds_.size());
  }

  // The type-specific checks that need more than a few lines: true when the event passes them,
  // else false with `out` rejected.
  bool check_screening(const event& e, const events::screening& s, decision& out) const;
  bool check_dose(const event& e, const events::dose& dose, std::optional<mg_per_kg>& per_kg, decision& out) const;
  /// Checks `e` and, when it passes, commits it; `d` is accepted on entry (with the event's id)
  /// and left accepted with the alerts raised, or duplicate, or rejected with nothing changed.
  bool decide(const event& e, decision& d);
  /// Keeps the values of an accepted reading.
  void keep_reading(const events::vitals& v, timestamp at);
  /// Appends an accepted event to the timeline and the id index, with its content hash.
  void remember(const event& e, event_type type, std::uint64_t content, std::uint64_t id_hash);
  /// Sets quiet_until_ after an accepted event (see decide's quiet path).
  void update_quiet();
  friend struct detail::session_test_access;
  [[nodiscard]] screening_outcome evaluate_screening(const std::map<std::string, bool>& answers,
                                                     const std::vector<std::string>& overridden) const;

  void enter_phase(std::string_view id, timestamp t);
  static std::string minutes_text(duration d) {
    return std::to_string(std::chrono::duration_cast<minutes>(d).count()) + " min";
  }
  static std::string ceil_minutes_text(duration d) {
    return std::to_string(std::chrono::ceil<minutes>(d).count()) + " min";
  }

  std::shared_ptr<const validated_protocol> protocol_;
  logger* log_;
  bool logging_;  // false for the shared no_logger() (never enabled): no virtual call per event
  session_state st_;
  int phase_index_ = 0;
  std::vector<std::uint64_t> index_;               // id index into the timeline (0 = empty)
  std::vector<std::uint64_t> bloom_;               // Bloom filter over every id in the timeline
  std::vector<std::uint64_t> pending_;             // id hashes of the timeline entries from indexed_ on,
  std::size_t indexed_ = 0;                        // which are not in index_ yet (see index_newest)
  std::vector<std::uint64_t> hashes_;              // content hash per timeline entry
  std::vector<std::optional<timestamp>> schedule_since_;  // per vitals schedule: active since
  std::vector<std::string> overridden_;            // relative contraindications overridden
  std::vector<std::uint32_t> open_;                // positions of the open alerts in st_.alerts
  std::vector<std::uint32_t> open_tag_;            // the tag of each open alert, in step with open_
  std::vector<std::uint32_t> new_tags_;            // scratch: tags of the alerts this event raised
  // The checks due at the last event, kept while they cannot change: for instants from
  // due_checked_at_ to before due_until_, and until an event changes a part of the schedule
  // (see parts_changed_by; a reading re-walks a part only when a check of it is due, since
  // otherwise it can only move that part's due instants later).
  std::vector<due_hit> due_hits_;
  std::array<timestamp, 3> part_until_{};
  timestamp due_until_ = timestamp::min();
  timestamp due_checked_at_ = timestamp::min();     // the instant the cache was last brought up to date
  std::optional<timestamp> last_vitals_at_;        // the latest vitals reading of any sign
  std::vector<std::optional<timestamp>> measure_last_at_;  // per measure schedule: last recorded
  std::array<std::uint32_t, event_type_count> may_record_{};  // per event type: a bit per role allowed to record it
  vitals_limits hold_;                             // the hold limits for the subject's age
  vitals_bounds hold_bounds_;                      // hold_ as bounds
  vitals_bounds critical_bounds_;                  // the protocol's critical limits as bounds
  vitals_bounds calm_bounds_;                      // within both: no vitals alert
  vitals_bounds quiet_bounds_;                     // within both and plausible: a quiet reading
  // Until this instant a reading within quiet_bounds_ takes the quiet path (see update_quiet);
  // timestamp::min() while some alert or due check needs the full path.
  timestamp quiet_until_ = timestamp::min();
  bool quiet_path_ = true;                         // off only in tests, to compare both paths
  std::unordered_map<std::string, std::uint32_t> adverse_kinds_;  // adverse event kind -> its number (never output)
  std::vector<unsigned char> adverse_unresolved_;  // per kind number: 1 while reported and not resolved
};

namespace detail {
/// True for instruments the catalogue lists as self-report (a patient may record only those).
inline bool is_self_report(std::string_view instrument) {
  auto found = measures::find_instrument(instrument);
  return found && found->administration == "self-report";
}
}  // namespace detail

}  // namespace kap

// The definitions: compiled into kap::core (src/session/session.cpp), or, with KAP_HEADER_ONLY,
// included here.
#if defined(KAP_HEADER_ONLY)
#include <kap/session/session-inl.hpp>
#endif
