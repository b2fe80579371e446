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
/// @par Complexity
/// `apply` costs the same whatever the length of the history: the id index is a hash table
/// (kap/session/detail/id_index.hpp), and the checks due at the last event are kept until time
/// passes a due instant or an event changes the schedule. It is linear in what the protocol asks
/// of the event (a transition's requirements, the doses of a route for its limits) and in the
/// open alerts. `blockers`, `due` and `explain` are linear in the protocol's requirements and
/// schedules and in the doses given.
/// @par Allocation
/// An accepted event allocates nothing in steady state beyond amortised growth of the timeline
/// and the id index (make room with `reserve`); a refusal allocates its sentence, an alert its
/// record.
/// @par Exception safety
/// Bad input never throws: every refusal is a decision, and a refused or duplicate event changes
/// nothing. Only running out of memory throws (`std::bad_alloc`); a session that threw may hold
/// part of the event and is to be rebuilt from its events. The queries do not change the session.
/// @par Thread safety
/// None inside a session: one session is driven by one thread at a time (its const queries may
/// run at once from several threads while nothing applies an event). Different sessions, even
/// under one protocol, are independent.
///
/// The rules live in kap/session/rules-inl.hpp, one check and one commit per event type; the
/// requirements in requirements-inl.hpp, the schedule in schedule-inl.hpp and the steps every
/// event takes in session-inl.hpp (compiled into kap::core, or included here with
/// KAP_HEADER_ONLY).

#include <kap/clinical/screening.hpp>
#include <kap/clinical/vitals.hpp>
#include <kap/core/config.hpp>
#include <kap/core/enum_name.hpp>
#include <kap/core/logger.hpp>
#include <kap/measures/catalog.hpp>
#include <kap/protocol/validate.hpp>
#include <kap/events/decision.hpp>
#include <kap/session/detail/id_index.hpp>
#include <kap/session/detail/open_alerts.hpp>
#include <kap/session/detail/vitals_bounds.hpp>
#include <kap/events/event.hpp>

#include <boost/describe/class.hpp>

#include <array>
#include <cstdint>
#include <map>
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


/// One session under one validated protocol.
class KAP_CORE_API session {
 public:
  /// Opens a session in the protocol's initial phase. The phase clock starts at the first event.
  /// @param protocol the protocol (shared, immutable)
  /// @param id the session's pseudonymous id; events for other sessions are rejected
  /// @param log diagnostics (event kinds, codes and ids only); silent by default
  session(std::shared_ptr<const validated_protocol> protocol, session_id id, logger& log = no_logger());

  /// Reserves room for `events` accepted events (avoids growth during a session).
  void reserve(std::size_t events);

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
    out.reserve(open_.entries().size());
    for (const auto& a : open_.entries()) out.push_back(st_.alerts[a.position]);
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
  /// What an event's check found, for its commit (defined in session-inl.hpp).
  struct pending;

  /// The protocol's lookup tables (built once by validate, shared by its sessions).
  [[nodiscard]] const detail::engine_tables& tables() const noexcept { return protocol_->engine_tables(); }
  [[nodiscard]] std::size_t phase_index() const noexcept { return static_cast<std::size_t>(phase_index_); }

  // The steps of `apply` (session-inl.hpp): the checks every event passes, then its type's rule,
  // then the bookkeeping of an accepted event.
  /// Marks `d` rejected. Returns false, so a check can end with `return reject(...)`.
  bool reject(decision& d, const event& e, errc code, std::string message, std::vector<unmet> unmet = {},
              std::vector<alert> alerts = {}) const;
  /// Checks the actor: a named role, on the roster, allowed (and licensed) to record this type.
  bool check_actor(const event& e, decision& d) const;
  /// Checks `e` and, when it passes, commits it; `d` is accepted on entry (with the event's id)
  /// and left accepted with the alerts raised, or duplicate, or rejected with nothing changed.
  bool decide(const event& e, decision& d);
  /// Opens the alerts an accepted event raised and closes every alert whose condition it cleared.
  void settle_alerts(const pending& p, std::vector<alert>& raised, unsigned changed_parts, timestamp at);
  /// Appends an accepted event to the timeline and the id index, with its content hash.
  void remember(const event& e, std::uint64_t content, std::uint64_t id_hash);
  void enter_phase(std::string_view id, timestamp t);

  // The rules (rules-inl.hpp): for each event type, a check that reads the state and either
  // notes what it found in `p` or rejects `d`, and a commit that applies an accepted event. The
  // templates are the rule of a type with none of its own: nothing to check, nothing to keep.
  template <class Body>
  bool check(const event&, const Body&, pending&, decision&) const {
    return true;
  }
  template <class Body>
  void commit(const event&, const Body&, pending&) {}
  bool check(const event& e, const events::screening& s, pending& p, decision& d) const;
  void commit(const event& e, const events::screening& s, pending& p);
  bool check(const event& e, const events::override_contraindication& o, pending& p, decision& d) const;
  void commit(const event& e, const events::override_contraindication& o, pending& p);
  void commit(const event& e, const events::consent& c, pending& p);
  bool check(const event& e, const events::checklist& c, pending& p, decision& d) const;
  void commit(const event& e, const events::checklist& c, pending& p);
  bool check(const event& e, const events::phase& ph, pending& p, decision& d) const;
  void commit(const event& e, const events::phase& ph, pending& p);
  void commit(const event& e, const events::abort& a, pending& p);
  bool check(const event& e, const events::vitals& v, pending& p, decision& d) const;
  void commit(const event& e, const events::vitals& v, pending& p);
  bool check(const event& e, const events::dose& dose, pending& p, decision& d) const;
  void commit(const event& e, const events::dose& dose, pending& p);
  bool check(const event& e, const events::measure& m, pending& p, decision& d) const;
  void commit(const event& e, const events::measure& m, pending& p);
  bool check(const event& e, const events::intervention& i, pending& p, decision& d) const;
  bool check(const event& e, const events::adverse_event& a, pending& p, decision& d) const;
  void commit(const event& e, const events::adverse_event& a, pending& p);
  bool check(const event& e, const events::signoff& s, pending& p, decision& d) const;
  void commit(const event& e, const events::signoff& s, pending& p);
  [[nodiscard]] screening_outcome evaluate_screening(const std::map<std::string, bool>& answers,
                                                     const std::vector<std::string>& overridden) const;

  // Alerts (session-inl.hpp).
  /// True when an alert with this key is open, or was raised earlier by this same event.
  [[nodiscard]] bool has_open(const pending& p, detail::alert_key key) const noexcept;
  /// Raises an alert by an event that may be accepted: into `p` and the decision's alerts.
  void raise(pending& p, std::vector<alert>& out, const event& e, detail::alert_key key, alert_severity sev,
             std::string subject, std::string message) const;

  // Requirements (requirements-inl.hpp).
  [[nodiscard]] bool is_excluded() const noexcept { return st_.screening.status == screening_status::excluded; }
  void collect(const std::vector<requirement>& reqs, timestamp t, std::vector<unmet>& out) const;
  void collect_move(std::string_view target, timestamp t, std::vector<unmet>& out) const;

  // The schedule (schedule-inl.hpp): vitals every N minutes while a phase runs, checks after each
  // dose, measures in a phase. The checks due at the last event are kept while they cannot
  // change: for instants from due_checked_at_ to before due_until_, and until an event changes a
  // part of the schedule (see parts_changed_by; a reading re-walks a part only when a check of it
  // is due, since otherwise it can only move that part's due instants later).
  static constexpr unsigned part_vitals = 1;
  static constexpr unsigned part_dose_checks = 2;
  static constexpr unsigned part_measures = 4;
  static constexpr unsigned all_parts = 7;
  /// One check due at the last event.
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
  /// Recomputes the cached due checks of the given parts at instant t, and until when each
  /// part's answer holds while the state stays as it is.
  void refresh_due(timestamp t, unsigned parts);
  /// The parts of the schedule an accepted event of this type can change.
  [[nodiscard]] static unsigned parts_changed_by(event_type type) noexcept;
  /// Raises an alert for each check overdue at the event and for a phase over its maximum.
  void overdue_alerts(const event& e, pending& p, std::vector<alert>& out);

  /// The latest value of every sign, from the state.
  [[nodiscard]] vitals_reading latest_readings() const;
  /// Distinct adverse event kinds one session records (a clinical session has a handful; the
  /// bound keeps alert keys unique and the table small whatever a stream holds).
  static constexpr std::size_t max_adverse_kinds = 1024;
  /// The number of an adverse event kind, or the next free number for a kind not reported yet.
  [[nodiscard]] std::uint32_t adverse_kind_number(const std::string& kind) const {
    const auto it = adverse_kinds_.find(kind);
    return it != adverse_kinds_.end() ? it->second : static_cast<std::uint32_t>(adverse_kinds_.size());
  }
  /// Sets the hold limits (the protocol's, or an age band's) and the bounds made from them.
  void set_hold(const vitals_limits& hold);

  std::shared_ptr<const validated_protocol> protocol_;
  logger* log_;
  bool logging_;  // false for the shared no_logger() (never enabled): no virtual call per event
  session_state st_;
  int phase_index_ = 0;
  detail::id_index ids_;                           // event id -> timeline position
  std::vector<std::uint64_t> hashes_;              // content hash per timeline entry
  std::vector<std::optional<timestamp>> schedule_since_;  // per vitals schedule: active since
  std::vector<std::string> overridden_;            // relative contraindications overridden
  detail::open_alerts open_;                       // the open alerts among st_.alerts
  std::vector<due_hit> due_hits_;                  // the checks due at the last event (see above)
  std::array<timestamp, 3> part_until_{};
  timestamp due_until_ = timestamp::min();
  timestamp due_checked_at_ = timestamp::min();     // the instant the cache was last brought up to date
  std::optional<timestamp> last_vitals_at_;        // the latest vitals reading of any sign
  std::vector<std::optional<timestamp>> measure_last_at_;  // per measure schedule: last recorded
  vitals_limits hold_;                             // the hold limits for the subject's age
  detail::vitals_bounds hold_bounds_;              // hold_ as bounds
  detail::vitals_bounds critical_bounds_;          // the protocol's critical limits as bounds
  detail::vitals_bounds calm_bounds_;              // within both: no vitals alert
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
