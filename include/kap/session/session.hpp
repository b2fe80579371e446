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
class session {
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

// --- implementation ---------------------------------------------------------------------------

namespace detail {
/// Appends "a word" or "an word".
inline void append_a_or_an(std::string& out, std::string_view word) {
  const bool vowel = !word.empty() && std::string_view("aeiou").find(word.front()) != std::string_view::npos;
  out.append(vowel ? "an " : "a ");
  out.append(word);
}
/// "a word" or "an word".
inline std::string a_or_an(std::string_view word) {
  std::string out;
  append_a_or_an(out, word);
  return out;
}
/// "no phase "x" in the protocol" for a phase id shaped like a code; otherwise a sentence that
/// does not echo it (kap/detail/code_text.hpp).
inline std::string unknown_phase_text(std::string_view target) {
  if (!is_code(target)) return "unknown phase (not a phase id of this protocol)";
  return "no phase " + quoted_if_code(target) + " in the protocol";
}
/// "a therapist may not record a dose event", for every role and event type, built once: the
/// most common refusal costs one string copy.
inline std::string build_unauthorized_message(role r, event_type t) {
  std::string m;
  append_a_or_an(m, to_string(r));
  m.append(" may not record ");
  append_a_or_an(m, wire_name(t));
  m.append(" event");
  return m;
}
inline std::string unauthorized_message(role r, event_type t) {
  constexpr std::size_t roles = boost::mp11::mp_size<boost::describe::describe_enumerators<role>>::value;
  static const std::vector<std::string> table = [] {
    std::vector<std::string> v;
    v.reserve(roles * event_type_count);
    for (std::size_t i = 0; i < roles; ++i) {
      for (std::size_t k = 0; k < event_type_count; ++k) {
        v.push_back(build_unauthorized_message(static_cast<role>(i), static_cast<event_type>(k)));
      }
    }
    return v;
  }();
  const auto i = static_cast<std::size_t>(r);
  const auto k = static_cast<std::size_t>(t);
  if (i >= roles || k >= event_type_count) return build_unauthorized_message(r, t);
  return table[i * event_type_count + k];
}
/// True for instruments the catalogue lists as self-report (a patient may record only those).
inline bool is_self_report(std::string_view instrument) {
  auto found = measures::find_instrument(instrument);
  return found && found->administration == "self-report";
}
}  // namespace detail

inline std::optional<std::string> session::explain(const requirement& req, timestamp t) const {
  using namespace requirements;
  return std::visit(
      [&](const auto& r) -> std::optional<std::string> {
        using R = std::remove_cvref_t<decltype(r)>;
        if constexpr (std::is_same_v<R, consent_signed>) {
          if (!st_.consent) return "consent not signed";
        } else if constexpr (std::is_same_v<R, screening_passed>) {
          switch (st_.screening.status) {
            case screening_status::not_screened: return "screening not recorded";
            case screening_status::excluded:
              return "screening excluded the subject (" + st_.screening.absolute_present.front() + ")";
            case screening_status::needs_review:
              return "relative contraindication " + st_.screening.relative_pending.front() +
                     " needs a recorded override";
            case screening_status::eligible: break;
          }
        } else if constexpr (std::is_same_v<R, checklist_done>) {
          if (std::find(st_.checklist.begin(), st_.checklist.end(), r.item) == st_.checklist.end()) {
            return "checklist item " + r.item + " not done";
          }
        } else if constexpr (std::is_same_v<R, vitals_within>) {
          const vitals_limits& lim = r.limits ? *r.limits : hold_;
          const timestamp oldest = t - r.max_age;
          const bool bp_limited = lim.systolic_max || lim.diastolic_max || lim.systolic_min;
          auto fresh = [&](const std::optional<last_reading>& x, std::string_view name,
                           bool limited) -> std::optional<std::string> {
            if (!limited) return std::nullopt;
            if (!x || x->at < oldest) {
              return "no " + std::string(name) + " recorded in the last " + std::to_string(r.max_age.count()) + " min";
            }
            return std::nullopt;
          };
          if (auto why = fresh(st_.systolic, "blood pressure", bp_limited)) return why;
          if (auto why = fresh(st_.heart_rate, "heart rate", lim.heart_rate_min || lim.heart_rate_max)) return why;
          if (auto why = fresh(st_.spo2, "SpO2", lim.spo2_min.has_value())) return why;
          if (auto why = fresh(st_.respiratory_rate, "respiratory rate",
                               lim.respiratory_rate_min || lim.respiratory_rate_max)) {
            return why;
          }
          const vitals_reading latest = latest_readings();
          if (!within(latest, lim)) return check(latest, lim).front().message;
        } else if constexpr (std::is_same_v<R, min_time_in_phase>) {
          const timestamp since = st_.phase_since.value_or(t);
          if (t - since < r.duration) {
            return minutes_text(t - since) + " in phase " + st_.phase + "; " +
                   ceil_minutes_text(r.duration - (t - since)) + " more required";
          }
        } else if constexpr (std::is_same_v<R, min_time_since_dose>) {
          if (const auto last = last_dose_at(); last && t - *last < r.duration) {
            return minutes_text(t - *last) + " since the last dose; " + ceil_minutes_text(r.duration - (t - *last)) +
                   " more required";
          }
        } else if constexpr (std::is_same_v<R, measure_recorded>) {
          for (const auto& m : st_.measures) {
            if (m.instrument == r.instrument) return std::nullopt;
          }
          return "no " + r.instrument + " recorded";
        } else if constexpr (std::is_same_v<R, measure_at_most>) {
          for (const auto& m : st_.measures) {
            if (m.instrument != r.instrument) continue;
            if (!m.total) return r.instrument + " has no total to compare";
            if (*m.total > r.value) {
              return r.instrument + " total " + std::to_string(*m.total) + " is above " + std::to_string(r.value);
            }
            return std::nullopt;
          }
          return "no " + r.instrument + " recorded";
        } else if constexpr (std::is_same_v<R, signed_off>) {
          for (const auto& s : st_.signoffs) {
            if (s.what == r.what && s.role == r.role) return std::nullopt;
          }
          return r.what + " not signed off by a " + std::string(to_string(r.role));
        } else if constexpr (std::is_same_v<R, no_open_alerts>) {
          for (const std::uint32_t i : open_) {
            const alert& a = st_.alerts[i];
            if (a.severity >= r.severity) return "open alert: " + a.message;
          }
        } else if constexpr (std::is_same_v<R, dose_given>) {
          if (st_.doses.empty()) return "no dose given";
        } else if constexpr (std::is_same_v<R, predicate>) {
          if (r.check) {
            if (auto why = (*r.check)(*this, t)) return r.name + ": " + *why;
          }
        }
        return std::nullopt;
      },
      req);
}

inline void session::collect_move(std::string_view target, timestamp t, std::vector<unmet>& out) const {
  const auto& def = definition();
  const kap::phase& current = def.phases[phase_index()];
  if (const auto since = st_.phase_since; current.min_duration && since && t - *since < *current.min_duration) {
    out.push_back({"min_time_in_phase", minutes_text(t - *since) + " in phase " + current.id + "; " +
                                            ceil_minutes_text(*current.min_duration - (t - *since)) +
                                            " more required"});
  }
  if (const transition* tr = protocol_->find_transition(current.id, target)) collect(tr->require, t, out);
  if (const kap::phase* p = def.find_phase(target)) collect(p->entry, t, out);
}

inline std::vector<unmet> session::blockers(std::string_view target, timestamp t) const {
  std::vector<unmet> out;
  if (st_.closed) {
    out.push_back({"session_open", "the session is closed"});
    return out;
  }
  if (!definition().find_phase(target)) {
    out.push_back({"transition", detail::unknown_phase_text(target)});
    return out;
  }
  if (!protocol_->find_transition(st_.phase, target)) {
    out.push_back({"transition", "no transition from " + st_.phase + " to " + std::string(target)});
    return out;
  }
  if (is_excluded() && definition().find_phase(target)->kind != phase_kind::aborted) {
    out.push_back({"screening_passed", "screening excluded the subject (" + st_.screening.absolute_present.front() + ")"});
  }
  collect_move(target, t, out);
  return out;
}

template <class F>
void session::walk_schedule(unsigned parts, F&& f) const {
  if (st_.closed) return;
  const auto& def = definition();
  const minutes grace = def.schedules.grace;
  if ((parts & part_vitals) != 0) {
    for (std::size_t i = 0; i < def.schedules.vitals.size(); ++i) {
      if (!schedule_since_[i]) continue;
      timestamp anchor = *schedule_since_[i];
      if (last_vitals_at_ && *last_vitals_at_ > anchor) anchor = *last_vitals_at_;
      const timestamp due_at = anchor + def.schedules.vitals[i].every;
      f(part_vitals, tables().vitals_check, due_at, due_at, due_at + grace);
    }
  }
  if ((parts & part_dose_checks) != 0 && !def.schedules.dose_checks.empty()) {
    const timestamp last_bp = st_.systolic ? st_.systolic->at : timestamp::min();
    for (const auto& d : st_.doses) {
      for (std::size_t k = 0; k < def.schedules.dose_checks.size(); ++k) {
        const auto& c = def.schedules.dose_checks[k];
        const timestamp window = d.at + c.after - c.tolerance;
        if (last_bp >= window) continue;  // done
        f(part_dose_checks, tables().dose_check_id[k], window, d.at + c.after, d.at + c.after + c.tolerance);
      }
    }
  }
  if ((parts & part_measures) == 0 || !st_.phase_since) return;
  for (std::size_t k = 0; k < tables().measure_phase.size(); ++k) {
    if (tables().measure_phase[k] != phase_index_) continue;
    if (measure_last_at_[k] && *measure_last_at_[k] >= *st_.phase_since) continue;  // done in this phase
    f(part_measures, tables().measure_id[k], timestamp::min(), *st_.phase_since, *st_.phase_since + grace);
  }
}

inline void session::refresh_due(timestamp t, unsigned parts) {
  due_checked_at_ = t;
  std::erase_if(due_hits_, [&](const due_hit& hit) { return (hit.part & parts) != 0; });
  for (unsigned k = 0; k < 3; ++k) {
    if ((parts & (1U << k)) != 0) part_until_[k] = timestamp::max();
  }
  walk_schedule(parts, [&](unsigned part, std::uint32_t check, timestamp from, timestamp at, timestamp after) {
    timestamp& until = part_until_[part == part_vitals ? 0 : part == part_dose_checks ? 1 : 2];
    if (t < from) {
      until = std::min(until, from);  // falls due then
      return;
    }
    const bool overdue = t > after;
    if (!overdue) until = std::min(until, after + timestamp::duration{1});  // turns overdue then
    due_hits_.push_back({part, check, at, overdue});
  });
  due_until_ = std::min({part_until_[0], part_until_[1], part_until_[2]});
}

inline std::vector<due_item> session::due(timestamp t) const {
  std::vector<due_item> out;
  visit_due(t, [&](unsigned part, std::uint32_t check, timestamp at, bool overdue) {
    const char* kind = part == part_vitals ? "vitals" : part == part_dose_checks ? "dose_check" : "measure";
    out.push_back({kind, tables().check_names[check], at, overdue});
  });
  std::stable_sort(out.begin(), out.end(), [](const due_item& a, const due_item& b) { return a.due_at < b.due_at; });
  return out;
}

// Raises an alert for each check overdue at the event (one per check name, and none while one is
// open).
inline void session::overdue_alerts(const event& e, std::vector<alert>& out) {
  if (e.at >= due_until_ || e.at < due_checked_at_) refresh_due(e.at, all_parts);
  for (const due_hit& hit : due_hits_) {
    if (!hit.overdue || has_open(alert_kind::check_overdue, hit.check)) continue;
    // One alert per check name: it quotes the earliest due instant among that name's schedules.
    timestamp due_at = hit.due_at;
    for (const due_hit& other : due_hits_) {
      if (other.check == hit.check && other.overdue && other.due_at < due_at) due_at = other.due_at;
    }
    const std::string& what = tables().check_names[hit.check];
    raise(out, e, alert_kind::check_overdue, alert_severity::warning, hit.check, what,
          what + " check was due at " + format_rfc3339(due_at) + " and is overdue");
  }
  const kap::phase& current = definition().phases[phase_index()];
  if (current.max_duration && st_.phase_since && e.at - *st_.phase_since > *current.max_duration &&
      !has_open(alert_kind::phase_overrun, static_cast<std::uint32_t>(phase_index_))) {
    raise(out, e, alert_kind::phase_overrun, alert_severity::warning, static_cast<std::uint32_t>(phase_index_),
          current.id,
          "phase " + current.id + " has lasted " + minutes_text(e.at - *st_.phase_since) + ", over its " +
              std::to_string(current.max_duration->count()) + " min maximum");
  }
}

inline screening_outcome session::evaluate_screening(const std::map<std::string, bool>& answers,
                                                     const std::vector<std::string>& overridden) const {
  screening_outcome o;
  for (const auto& c : definition().contraindications) {
    const auto it = answers.find(c.name);
    if (it == answers.end() || !it->second) continue;
    if (c.tier != tier::relative) {  // fail safe: only a relative contraindication may be overridden
      o.absolute_present.push_back(c.name);
    } else if (std::find(overridden.begin(), overridden.end(), c.name) != overridden.end()) {
      o.relative_overridden.push_back(c.name);
    } else {
      o.relative_pending.push_back(c.name);
    }
  }
  o.status = !o.absolute_present.empty()   ? screening_status::excluded
             : !o.relative_pending.empty() ? screening_status::needs_review
                                           : screening_status::eligible;
  return o;
}

inline bool session::check_screening(const event& e, const events::screening& s, decision& out) const {
  if (!st_.doses.empty()) {
    return reject(out, e, errc::requirement_unmet, "screening cannot change after a dose has been given");
  }
  if (!std::isfinite(s.weight_kg.count())) {  // only the C++ API makes one; the JSON readers refuse it
    return reject(out, e, errc::invalid_quantity, "weight_kg is not a finite number");
  }
  if (s.weight_kg.count() <= 0 || s.weight_kg.count() > max_plausible_weight_kg) {
    return reject(out, e, errc::out_of_range, "weight_kg " + detail::num(s.weight_kg.count()) + " is outside 0-500");
  }
  if (s.age < 0 || s.age > max_plausible_age) {
    return reject(out, e, errc::out_of_range, "age " + std::to_string(s.age) + " is outside 0-" +
                                                  std::to_string(max_plausible_age));
  }
  for (const auto& [name, yes] : s.answers) {
    (void)yes;
    bool known = false;
    for (const auto& c : definition().contraindications) known = known || c.name == name;
    if (!known) {
      return reject(out, e, errc::unknown_field,
                    detail::is_code(name) ? "screening answer for " + detail::quoted_if_code(name) +
                                                ", which this protocol does not ask about"
                                          : std::string("screening answer for an unknown name (not a contraindication "
                                                        "this protocol asks about)"));
    }
  }
  for (const auto& c : definition().contraindications) {
    if (!s.answers.contains(c.name)) return reject(out, e, errc::missing_field, "screening has no answer for " + c.name);
  }
  return true;
}

inline bool session::check_dose(const event& e, const events::dose& d, std::optional<mg_per_kg>& per_kg,
                                decision& out) const {
  if (enum_name(d.drug).empty()) return reject(out, e, errc::unknown_enum, unnamed_value_text("dose drug", d.drug));
  if (enum_name(d.route).empty()) return reject(out, e, errc::unknown_enum, unnamed_value_text("dose route", d.route));
  if (is_excluded()) {
    return reject(out, e, errc::excluded,
                  "screening excluded the subject (" + st_.screening.absolute_present.front() + "); no dose may be given");
  }
  if (current_kind() != phase_kind::dosing) {
    return reject(out, e, errc::requirement_unmet, "doses are recorded in a dosing phase, not in " + st_.phase);
  }
  std::vector<unmet> missing;
  collect(definition().dose_requires, e.at, missing);
  if (!missing.empty()) {
    std::string msg = "dose requirements not met: " + missing.front().message;
    return reject(out, e, errc::requirement_unmet, std::move(msg), std::move(missing));
  }
  const dose_limit* lim = definition().find_limit(d.route);
  const std::string route_name(enum_name(d.route));
  std::vector<alert> alerts;
  auto refuse = [&](std::string why) {
    add_alert(alerts, e, alert_kind::dose_limit, alert_severity::critical, route_name, why);
    return reject(out, e, errc::dose_limit, std::move(why), {}, std::move(alerts));
  };
  if (!lim) return refuse("route " + route_name + " is not allowed by this protocol");
  if (d.drug != lim->drug) {
    return refuse(std::string(enum_name(d.drug)) + " is not allowed by the " + route_name + " route of this protocol");
  }
  if (!std::isfinite(d.mg.count())) {  // only the C++ API makes one; the JSON readers refuse it
    return reject(out, e, errc::invalid_quantity, "dose mg is not a finite number");
  }
  if (d.mg.count() <= 0) return reject(out, e, errc::out_of_range, "dose must be more than 0 mg");
  // Built only for a refusal's sentence.
  const auto mg_text = [&] { return detail::num(d.mg.count()) + " mg"; };
  if (lim->max_mg && d.mg > *lim->max_mg) {
    return refuse(mg_text() + " is above the " + detail::num(lim->max_mg->count()) + " mg limit per dose");
  }
  if (lim->min_mg && d.mg < *lim->min_mg) {
    return refuse(mg_text() + " is below the " + detail::num(lim->min_mg->count()) + " mg minimum per dose");
  }
  if (st_.weight) per_kg = d.mg / *st_.weight;
  if (lim->max_mg_per_kg) {
    if (!st_.weight) {
      return reject(out, e, errc::requirement_unmet, "a weight-based limit needs a screening weight",
                    {{"screening_passed", "no screening weight recorded"}});
    }
    const milligrams allowed = *lim->max_mg_per_kg * *st_.weight;
    if (d.mg > allowed * (1 + 1e-9)) {
      return refuse(mg_text() + " is " + detail::num(std::round(per_kg->count() * 1000) / 1000) + " mg/kg, above the " +
                    detail::num(lim->max_mg_per_kg->count()) + " mg/kg limit (" +
                    detail::num(std::round(allowed.count() * 100) / 100) + " mg for " +
                    detail::num(st_.weight->count()) + " kg)");
    }
  }
  if (lim->step_mg) {
    const double steps = d.mg / *lim->step_mg;
    if (std::abs(steps - std::round(steps)) > 1e-9) {
      return refuse(mg_text() + " is not a whole number of " + detail::num(lim->step_mg->count()) + " mg steps");
    }
  }
  int same_route = 0;
  milligrams route_total{0};
  std::optional<timestamp> last_on_route;
  for (const auto& g : st_.doses) {
    if (g.route != d.route) continue;
    ++same_route;
    route_total += g.mg;
    last_on_route = g.at;
  }
  if (same_route >= lim->max_doses) {
    return refuse("a dose by " + route_name + " would be number " + std::to_string(same_route + 1) + "; the limit is " +
                  std::to_string(lim->max_doses) + " per session");
  }
  if (lim->max_cumulative_mg && route_total + d.mg > *lim->max_cumulative_mg * (1 + 1e-9)) {
    return refuse(mg_text() + " would bring the session total to " + detail::num((route_total + d.mg).count()) +
                  " mg, above the " + detail::num(lim->max_cumulative_mg->count()) + " mg cumulative limit");
  }
  if (last_on_route && e.at - *last_on_route < lim->min_interval) {
    return refuse(minutes_text(e.at - *last_on_route) + " since the last " + route_name + " dose; the minimum interval is " +
                  std::to_string(lim->min_interval.count()) + " min");
  }
  return true;
}

inline void session::enter_phase(std::string_view id, timestamp t) {
  const auto& def = definition();
  const int next = protocol_->phase_index(id);
  const std::size_t phases = def.phases.size();
  for (std::size_t i = 0; i < def.schedules.vitals.size(); ++i) {
    const bool active = tables().vitals_active[i * phases + static_cast<std::size_t>(next)] != 0;
    if (!active) {
      schedule_since_[i].reset();
    } else if (!schedule_since_[i]) {
      schedule_since_[i] = t;
    }
  }
  st_.phase.assign(id.data(), id.size());
  st_.phase_since = t;
  phase_index_ = next;
  if (is_terminal(def.phases[static_cast<std::size_t>(next)].kind)) {
    st_.closed = true;
    for (auto& s : schedule_since_) s.reset();
  }
}

inline decision session::apply(const event& e) {
  decision d;  // one decision, filled in place: no copy of it on the way out
  d.event = e.id;
  decide(e, d);
  return d;
}

inline bool session::decide(const event& e, decision& d) {
  const auto& def = definition();
  const event_type type = e.type();
  if (e.session != st_.id) {
    return reject(d, e, errc::unknown_session, "event for session " + e.session.str() + " applied to session " + st_.id.str());
  }
  new_tags_.clear();
  // One pass gives both hashes: the content hash starts with the id (the header's first member),
  // and its state after the id is the id's own hash.
  detail::fnv1a h;
  h.str(e.id.str());
  const std::uint64_t id_hash = h.finish();
  const std::uint64_t bloom_h = bloom_.empty() ? 0 : bloom_hash(id_hash);
  // In a long session the id index outgrows the caches: start loading the Bloom word while the
  // rest of the content hash is computed.
  if (!bloom_.empty()) prefetch(&bloom_word(bloom_h));
  static_assert(boost::mp11::mp_size<boost::describe::describe_members<event_header, boost::describe::mod_public>>::value == 4,
                "the content hash names every header member: id, session, at, actor");
  detail::hash_append(h, e.session);
  detail::hash_append(h, e.at);
  detail::hash_append(h, e.actor);
  detail::hash_append(h, e.body);
  if (const auto pos = maybe_seen(bloom_h) ? find_id(e.id, id_hash) : std::nullopt) {
    if (hashes_[*pos] == h.h) {
      d.outcome = outcome::duplicate;
      d.code = errc::duplicate;
      d.message = "event " + e.id.str() + " was already applied; nothing changed";
      return false;
    }
    return reject(d, e, errc::conflicting_duplicate, "event id " + e.id.str() + " was already used for a different event");
  }
  if (st_.closed) return reject(d, e, errc::session_closed, "the session is closed (phase " + st_.phase + ")");
  if (st_.last_event_at && e.at < *st_.last_event_at) {
    return reject(d, e, errc::out_of_order, "event at " + format_rfc3339(e.at) + " is earlier than the last event at " +
                                             format_rfc3339(*st_.last_event_at));
  }
  // Only named roles hold a bit (validate refuses a protocol listing any other value), so an
  // unnamed one (only the C++ API makes one) may record nothing; it is refused as such.
  const auto role_bit = static_cast<unsigned>(e.actor.role);
  const bool may = role_bit < 32 && (may_record_[static_cast<std::size_t>(type)] >> role_bit & 1U) != 0;
  if (!may && enum_name(e.actor.role).empty()) {
    return reject(d, e, errc::unknown_enum, unnamed_value_text("actor role", e.actor.role));
  }
  if (def.roster) {
    bool on = false;
    for (const auto& r : *def.roster) {
      on = on || (r.id == e.actor.id && std::find(r.roles.begin(), r.roles.end(), e.actor.role) != r.roles.end());
    }
    if (!on && e.actor.role != role::patient && e.actor.role != role::system) {
      return reject(d, e, errc::unauthorized, "actor " + e.actor.id.str() + " is not on the roster as a " +
                                               std::string(to_string(e.actor.role)));
    }
  }
  if (!may) return reject(d, e, errc::unauthorized, detail::unauthorized_message(e.actor.role, type));
  if (protocol_->permission_for(type).licensed && !e.actor.licensed) {
    return reject(d, e, errc::unauthorized, detail::a_or_an(wire_name(type)) + " event needs a licensed " +
                                             std::string(to_string(e.actor.role)));
  }
  // The quiet path: the usual reading, plausible and within both sets of limits, while no
  // vitals alert is open and nothing but measures is due (see update_quiet). Such a reading
  // raises and closes no alert and changes no schedule answer: the full path below would only
  // keep its values.
  if (type == event_type::vitals && e.at < quiet_until_) {
    const auto& v = std::get<events::vitals>(e.body);
    const vitals_values r = values_of(v);
    if (r.present != 0 && within_bounds(r, quiet_bounds_)) {
      st_.last_event_at = e.at;
      keep_reading(v, e.at);
      remember(e, type, h.h, id_hash);
      return true;
    }
  }

  // Type-specific checks: nothing below mutates the state until the commit section.
  std::vector<alert>& alerts = d.alerts;
  std::optional<mg_per_kg> per_kg;
  std::optional<int> measure_total;
  const std::string* target = nullptr;
  vitals_values reading;  // a vitals event's values: they may clear open alerts
  std::optional<std::uint32_t> adverse_resolved;  // the adverse event kind this event resolves
  bool hold_changed = false;  // a screening moved the subject to other hold limits

  switch (type) {
    case event_type::screening: {
      if (!check_screening(e, std::get<events::screening>(e.body), d)) return false;
      break;
    }
    case event_type::override_contraindication: {
      const auto& o = std::get<events::override_contraindication>(e.body);
      const contraindication* c = nullptr;
      for (const auto& x : def.contraindications) {
        if (x.name == o.contraindication) c = &x;
      }
      if (!c) {
        return reject(d, e, errc::unknown_field,
                      detail::is_code(o.contraindication)
                          ? "this protocol has no contraindication " + detail::quoted_if_code(o.contraindication)
                          : std::string("unknown contraindication (not a contraindication of this protocol)"));
      }
      if (c->tier == tier::absolute) {
        return reject(d, e, errc::excluded, "absolute contraindication " + c->name + " cannot be overridden");
      }
      if (o.justification.empty()) return reject(d, e, errc::missing_field, "an override needs a justification");
      if (st_.screening.status == screening_status::not_screened) {
        return reject(d, e, errc::requirement_unmet, "no screening recorded to override");
      }
      if (std::find(st_.screening.relative_pending.begin(), st_.screening.relative_pending.end(), c->name) ==
          st_.screening.relative_pending.end()) {
        return reject(d, e, errc::requirement_unmet, "screening did not report " + c->name + " as present and pending");
      }
      break;
    }
    case event_type::consent:
    case event_type::note:
    case event_type::abort:
      break;
    case event_type::checklist:
      if (std::get<events::checklist>(e.body).item.empty()) {
        return reject(d, e, errc::missing_field, "checklist item must not be empty");
      }
      break;
    case event_type::phase: {
      target = &std::get<events::phase>(e.body).to;
      const kap::phase* p = def.find_phase(*target);
      if (!p) return reject(d, e, errc::invalid_transition, detail::unknown_phase_text(*target));
      if (p->kind == phase_kind::aborted) break;  // an abort by phase event is always allowed
      if (!protocol_->find_transition(st_.phase, *target)) {
        return reject(d, e, errc::invalid_transition, "no transition from " + st_.phase + " to " + *target);
      }
      if (is_excluded()) {
        return reject(d, e, errc::excluded, "screening excluded the subject (" + st_.screening.absolute_present.front() +
                                             "); only an abort is allowed");
      }
      std::vector<unmet> missing;
      collect_move(*target, e.at, missing);
      if (!missing.empty()) {
        std::string msg = "cannot move to " + *target + ": " + missing.front().message;
        if (missing.size() > 1) msg += " (and " + std::to_string(missing.size() - 1) + " more)";
        return reject(d, e, errc::requirement_unmet, std::move(msg), std::move(missing));
      }
      break;
    }
    case event_type::vitals: {
      const auto& v = std::get<events::vitals>(e.body);
      reading = values_of(v);
      if (reading.present == 0) return reject(d, e, errc::missing_field, "a vitals event needs at least one value");
      static constexpr vitals_bounds plausible = plausible_bounds();
      static constexpr std::array<const char*, 5> names{"systolic", "diastolic", "heart_rate", "spo2",
                                                        "respiratory_rate"};
      if (const unsigned implausible = outside_bounds(reading, plausible); implausible != 0) {
        const auto i = static_cast<std::size_t>(std::countr_zero(implausible));  // the first, in reading order
        if (!std::isfinite(reading.v[i])) {  // only the C++ API makes one; the JSON readers refuse it
          return reject(d, e, errc::invalid_quantity, std::string(names[i]) + " is not a finite number");
        }
        return reject(d, e, errc::out_of_range,
                      std::string(names[i]) + " " + detail::num(reading.v[i]) + " is outside 0-" +
                          detail::num(plausible.hi[i]));
      }
      // A sign outside the critical limits raises (or keeps) a critical alert; a sign outside
      // only the hold limits raises a hold warning, also while an earlier critical alert for it
      // is being closed by this very reading.
      if (within_bounds(reading, calm_bounds_)) break;  // the usual reading: within both sets of limits
      std::vector<vitals_violation> critical;
      if (!within_bounds(reading, critical_bounds_)) critical = check(v.reading(), def.vitals.critical);
      for (auto& viol : critical) {
        const auto sign = static_cast<std::uint32_t>(viol.sign);
        if (!has_open(alert_kind::vitals_critical, sign)) {
          raise(alerts, e, alert_kind::vitals_critical, alert_severity::critical, sign, std::string(enum_name(viol.sign)),
                viol.message);
        }
      }
      if (!within_bounds(reading, hold_bounds_)) {
        for (auto& viol : check(v.reading(), hold_)) {
          const bool critical_too = std::any_of(critical.begin(), critical.end(),
                                                [&](const vitals_violation& c) { return c.sign == viol.sign; });
          const auto sign = static_cast<std::uint32_t>(viol.sign);
          if (!critical_too && !has_open(alert_kind::vitals_hold, sign)) {
            raise(alerts, e, alert_kind::vitals_hold, alert_severity::warning, sign, std::string(enum_name(viol.sign)),
                  std::move(viol.message));
          }
        }
      }
      break;
    }
    case event_type::dose: {
      if (!check_dose(e, std::get<events::dose>(e.body), per_kg, d)) return false;
      break;
    }
    case event_type::measure: {
      const auto& m = std::get<events::measure>(e.body);
      std::vector<std::string_view> tokens;
      tokens.reserve(m.items.size());
      for (const auto& it : m.items) tokens.emplace_back(it.text);
      auto scored = measures::score_tokens(m.instrument, tokens);
      if (!scored) return reject(d, e, scored.error().code, scored.error().message);
      measure_total = scored->total;
      if (e.actor.role == role::patient && !detail::is_self_report(m.instrument)) {
        return reject(d, e, errc::unauthorized, "a patient may record self-report measures only; " +
                                                 m.instrument.substr(0, 32) + " is clinician-rated");
      }
      break;
    }
    case event_type::intervention:
      if (std::get<events::intervention>(e.body).kind.empty()) {
        return reject(d, e, errc::missing_field, "intervention kind must not be empty");
      }
      if (std::get<events::intervention>(e.body).minutes < minutes{0}) {  // only the C++ API makes one
        return reject(d, e, errc::out_of_range, "intervention minutes must not be negative");
      }
      break;
    case event_type::adverse_event: {
      const auto& a = std::get<events::adverse_event>(e.body);
      if (enum_name(a.severity).empty()) {
        return reject(d, e, errc::unknown_enum, unnamed_value_text("adverse event severity", a.severity));
      }
      if (a.outcome && enum_name(*a.outcome).empty()) {
        return reject(d, e, errc::unknown_enum, unnamed_value_text("adverse event outcome", *a.outcome));
      }
      if (a.kind.empty()) return reject(d, e, errc::missing_field, "adverse event kind must not be empty");
      // The kind is meant to be a code (nausea, dissociation); free text typed into it stays in
      // the event and never reaches an alert or a message, which reports and logs show.
      const std::string kind = detail::is_code(a.kind) ? a.kind : std::string("unspecified");
      const std::uint32_t k = adverse_kind_number(a.kind);
      if (k == adverse_kinds_.size() && k >= max_adverse_kinds && !a.resolves()) {
        return reject(d, e, errc::out_of_range,
                      "a session records at most " + std::to_string(max_adverse_kinds) + " distinct adverse event kinds");
      }
      const bool unresolved = k < adverse_unresolved_.size() && adverse_unresolved_[k] != 0;
      if (a.resolves()) {
        if (!unresolved) {
          return reject(d, e, errc::requirement_unmet, "no unresolved adverse event " + kind + " to resolve");
        }
        adverse_resolved = k;
      } else if (a.severity != events::severity::mild) {
        // One open alert per kind and level: a moderate and a severe report of the same kind
        // raise one alert each; a repeated report while its alert is open raises none.
        const bool severe = a.severity == events::severity::severe;
        const std::uint32_t key = k * 2 + (severe ? 1U : 0U);
        if (!has_open(alert_kind::adverse_event, key)) {
          raise(alerts, e, alert_kind::adverse_event, severe ? alert_severity::critical : alert_severity::warning, key,
                kind, std::string(enum_name(a.severity)) + " adverse event: " + kind);
        }
      }
      break;
    }
    case event_type::signoff:
      if (std::get<events::signoff>(e.body).what.empty()) {
        return reject(d, e, errc::missing_field, "sign-off must name what is signed off");
      }
      break;
  }
  overdue_alerts(e, alerts);

  // Commit: the event is accepted.
  unsigned changed = parts_changed_by(type);
  if (type == event_type::vitals) {
    // A reading only moves the vitals schedules' due instants later and only completes dose
    // checks: while nothing of such a part is due, the cached answer for it (nothing due before
    // its part_until_) stays true, so it is not walked again.
    for (const unsigned part : {part_vitals, part_dose_checks}) {
      if (std::none_of(due_hits_.begin(), due_hits_.end(), [&](const due_hit& hit) { return hit.part == part; })) {
        changed &= ~part;
      }
    }
  }
  if (!st_.phase_since) st_.phase_since = e.at;  // the first event starts the initial phase
  if (st_.timeline.empty()) {
    enter_phase(def.initial, e.at);
    changed = all_parts;
  }
  st_.last_event_at = e.at;
  switch (type) {
    case event_type::screening: {
      const auto& s = std::get<events::screening>(e.body);
      st_.screening = evaluate_screening(s.answers, overridden_);
      st_.screening_answers = s.answers;
      st_.weight = s.weight_kg;
      st_.age = s.age;
      const vitals_limits hold = hold_for_age(def.vitals, s.age);
      hold_changed = hold != hold_;
      hold_ = hold;
      hold_bounds_ = bounds_of(hold_);
      calm_bounds_ = tighter(hold_bounds_, critical_bounds_);
      quiet_bounds_ = tighter(calm_bounds_, plausible_bounds());
      break;
    }
    case event_type::override_contraindication:
      overridden_.push_back(std::get<events::override_contraindication>(e.body).contraindication);
      st_.screening = evaluate_screening(st_.screening_answers, overridden_);
      break;
    case event_type::consent: st_.consent = true; break;
    case event_type::checklist: {
      const auto& item = std::get<events::checklist>(e.body).item;
      if (std::find(st_.checklist.begin(), st_.checklist.end(), item) == st_.checklist.end()) {
        if (st_.checklist.empty()) st_.checklist.reserve(checklist_room);  // one allocation for a usual checklist
        st_.checklist.push_back(item);
      }
      break;
    }
    case event_type::phase: enter_phase(*target, e.at); break;
    case event_type::abort: enter_phase(protocol_->aborted_phase(), e.at); break;
    case event_type::vitals: keep_reading(std::get<events::vitals>(e.body), e.at); break;
    case event_type::dose: {
      const auto& dose = std::get<events::dose>(e.body);
      st_.doses.push_back(dose_record{e.at, dose.drug, dose.route, dose.mg, per_kg});
      st_.cumulative_mg += dose.mg;
      break;
    }
    case event_type::measure: {
      const auto& m = std::get<events::measure>(e.body);
      bool found = false;
      for (auto& rec : st_.measures) {
        if (rec.instrument == m.instrument) {
          rec.total = measure_total;
          rec.at = e.at;
          found = true;
        }
      }
      if (!found) st_.measures.push_back(measure_record{m.instrument, measure_total, e.at});
      for (std::size_t k = 0; k < measure_last_at_.size(); ++k) {
        if (def.schedules.measures[k].instrument == m.instrument) measure_last_at_[k] = e.at;
      }
      break;
    }
    case event_type::signoff:
      st_.signoffs.push_back(signoff_record{std::get<events::signoff>(e.body).what, e.actor.role, e.at});
      break;
    case event_type::adverse_event: {
      const auto& a = std::get<events::adverse_event>(e.body);
      const std::uint32_t k = adverse_kind_number(a.kind);
      if (k == adverse_kinds_.size()) {
        adverse_kinds_.emplace(a.kind, k);
        adverse_unresolved_.push_back(0);
      }
      adverse_unresolved_[k] = adverse_resolved ? 0 : 1;
      break;
    }
    case event_type::note:
    case event_type::intervention: break;
  }
  // Keep the new alerts, then close every alert whose condition this event cleared (an overdue
  // check that this very reading satisfies is recorded, already closed).
  const std::size_t first_new = st_.alerts.size();
  assert(new_tags_.size() == alerts.size() && "every alert of an accepted event comes through raise()");
  for (std::size_t i = 0; i < alerts.size(); ++i) {
    open_.push_back(static_cast<std::uint32_t>(st_.alerts.size()));
    open_tag_.push_back(new_tags_[i]);
    st_.alerts.push_back(alerts[i]);
  }
  bool overdue_open = false;
  for (std::size_t j = 0; j < open_.size(); ++j) {
    alert& a = st_.alerts[open_[j]];
    const alert_kind kind = kind_of_tag(open_tag_[j]);
    const std::uint32_t key = key_of_tag(open_tag_[j]);
    if (kind == alert_kind::check_overdue) {
      overdue_open = true;
    } else if (kind == alert_kind::phase_overrun) {
      if (key != static_cast<std::uint32_t>(phase_index_)) a.open = false;
    } else if (kind == alert_kind::adverse_event) {
      if (adverse_resolved && key / 2 == *adverse_resolved) a.open = false;  // both levels of the kind
    } else if (kind == alert_kind::vitals_hold || kind == alert_kind::vitals_critical) {
      // A reading of the same sign within the alert's limits clears it. Other hold limits (a
      // screening with another age) judge the latest reading of the sign again; a reading that
      // the new limits put outside raises its alert when the next reading comes, and until then
      // `vitals_within` already refuses it.
      const bool hold = kind == alert_kind::vitals_hold;
      const vitals_bounds& bounds = hold ? hold_bounds_ : critical_bounds_;
      const unsigned bits = sign_bits(static_cast<vital_sign>(key));
      auto clears = [&](const vitals_values& x) { return (x.present & bits) != 0 && within_bounds(x, bounds, bits); };
      if (reading.present != 0 ? clears(reading) : hold && hold_changed && clears(values_of(latest_readings()))) {
        a.open = false;
      }
    }
  }
  // The parts of the schedule this event changed are walked again; the others keep their answer.
  if (changed != 0) refresh_due(e.at, changed);
  if (overdue_open) {
    // An overdue alert stays open while its check is still due after this event.
    for (std::size_t j = 0; j < open_.size(); ++j) {
      if (kind_of_tag(open_tag_[j]) != alert_kind::check_overdue) continue;
      const std::uint32_t key = key_of_tag(open_tag_[j]);
      const bool still = std::any_of(due_hits_.begin(), due_hits_.end(), [&](const due_hit& hit) { return hit.check == key; });
      if (!still) st_.alerts[open_[j]].open = false;
    }
  }
  std::size_t kept = 0;
  for (std::size_t j = 0; j < open_.size(); ++j) {
    if (!st_.alerts[open_[j]].open) continue;
    open_[kept] = open_[j];
    open_tag_[kept] = open_tag_[j];
    ++kept;
  }
  if (kept != open_.size()) {
    open_.erase(open_.begin() + static_cast<std::ptrdiff_t>(kept), open_.end());
    open_tag_.erase(open_tag_.begin() + static_cast<std::ptrdiff_t>(kept), open_tag_.end());
  }
  for (std::size_t i = 0; i < alerts.size(); ++i) alerts[i].open = st_.alerts[first_new + i].open;
  update_quiet();
  remember(e, type, h.h, id_hash);
  return true;
}

inline void session::keep_reading(const events::vitals& v, timestamp at) {
  auto keep = [&](std::optional<last_reading>& slot, const auto& x) {
    if (x) slot = last_reading{x->count(), at};
  };
  keep(st_.systolic, v.systolic);
  keep(st_.diastolic, v.diastolic);
  keep(st_.heart_rate, v.heart_rate);
  keep(st_.spo2, v.spo2);
  keep(st_.respiratory_rate, v.respiratory_rate);
  last_vitals_at_ = at;
}

inline void session::remember(const event& e, event_type type, std::uint64_t content, std::uint64_t id_hash) {
  if (index_.empty() || (st_.timeline.size() + 1) * 2 > index_.size()) grow_index((st_.timeline.size() + 1) * 2);
  timeline_entry& entry = st_.timeline.emplace_back();  // in place: the id is copied once, not moved again
  entry.id = e.id;
  entry.type = type;
  entry.at = e.at;
  entry.role = e.actor.role;
  hashes_.push_back(content);
  index_newest(id_hash);
  if (logging_ && log_->enabled(log_level::debug)) {
    log_->write(log_level::debug, "session " + st_.id.str() + " event " + e.id.str() + " (" +
                                      std::string(wire_name(type)) + ") accepted; phase " + st_.phase);
  }
}

// A reading may skip the full path while the full path could do nothing but keep its values:
//  - no vitals alert is open (a reading could close it);
//  - every check due is a measure (a reading re-walks the vitals and dose-check parts of the
//    schedule when one of theirs is due), and each overdue one has its alert open already (a
//    check turns overdue only as time passes, which due_until_ bounds, so the full path has
//    raised that alert by now; the test below only guards this);
//  - the cached schedule answer holds (before due_until_: nothing falls due or turns overdue);
//  - the phase has not run over its maximum, or its overrun alert is open already.
// A reading within quiet_bounds_ is plausible and raises no vitals alert, so under these
// conditions the full path would raise no alert, close none and walk no part of the schedule.
inline void session::update_quiet() {
  quiet_until_ = timestamp::min();
  if (!quiet_path_) return;
  // Open now, after the commit (not has_open, which also counts this event's alerts, some of
  // which the commit may have closed at once).
  auto open = [&](alert_kind kind, std::uint32_t key) {
    return std::find(open_tag_.begin(), open_tag_.end(), tag_of(kind, key)) != open_tag_.end();
  };
  for (const std::uint32_t tag : open_tag_) {
    const alert_kind kind = kind_of_tag(tag);
    if (kind == alert_kind::vitals_hold || kind == alert_kind::vitals_critical) return;
  }
  for (const due_hit& hit : due_hits_) {
    if (hit.part != part_measures || (hit.overdue && !open(alert_kind::check_overdue, hit.check))) return;
  }
  timestamp until = due_until_;
  const kap::phase& current = definition().phases[phase_index()];
  if (current.max_duration && st_.phase_since &&
      !open(alert_kind::phase_overrun, static_cast<std::uint32_t>(phase_index_))) {
    // The full path raises the overrun alert once more than max_duration has passed.
    until = std::min(until, *st_.phase_since + *current.max_duration + duration{1});
  }
  quiet_until_ = until;
}

}  // namespace kap
