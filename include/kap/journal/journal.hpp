#pragma once

/// @file
/// `kap::journal`: the append-only store of a clinic's session events.
///
/// Why it is shaped this way. A clinic app must be able to crash, lose power or be killed at any
/// instant without losing a recorded dose, and an auditor must be able to tell whether a record
/// was altered afterwards. So the journal owns three things an app should not have to get right
/// on its own:
///
/// - **Durability.** `append` returns only once the event is on disk (or, with a weaker
///   durability the host chose, once it survives the process being killed).
/// - **Decisions, not just events.** Every event submitted is run through `kap::session::apply`
///   under the session's protocol and stored *with its decision*, accepted or rejected with its
///   code: the trail shows attempts, not only successes. `replay` runs the stored events through
///   a fresh session and reports every decision that comes out differently.
/// - **Tamper evidence.** Rows are chained by hash (and by HMAC when the host supplies a key);
///   `verify` recomputes the chain and names the first row that fails. docs/journal.md says what
///   this does and does not protect against.
///
/// The interface is abstract so hosts can put another store behind it; kap ships
/// `kap::sqlite_journal` (kap/journal/sqlite_journal.hpp). The public functions are non-virtual
/// and call private virtual `do_*` members, so defaults live in one place.
///
/// A journal object is not thread-safe: use one per thread (several objects, threads or
/// processes may share one file).

#include <kap/core/error.hpp>
#include <kap/core/ids.hpp>
#include <kap/core/result.hpp>
#include <kap/journal_export.hpp>
#include <kap/events/decision.hpp>
#include <kap/events/event.hpp>

#include <boost/describe/class.hpp>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace kap {

// Declared only: the journal's interface names them, and a program that calls the engine or
// validate includes <kap/session.hpp> or <kap/protocol/validate.hpp> itself.
struct protocol;            ///< a protocol's data (kap/protocol/protocol.hpp)
class validated_protocol;   ///< a protocol validate accepted (kap/protocol/validate.hpp)
class session;              ///< the session engine (kap/session/session.hpp)

/// What `journal::append` answers for one event.
///
/// The retry contract: a client that did not see an acknowledgement sends the event again. An
/// event whose id is already stored for its session with the same content (the same canonical
/// JSON) writes nothing and answers the *stored* decision - the same outcome (accepted or
/// rejected), code, message, unmet requirements and alerts as the first time - with
/// `duplicate == true`, `stored == false` and `seq` of the stored row. So a retried rejection is
/// still a rejection. The same id with other content is rejected with
/// `errc::conflicting_duplicate` (`duplicate == false`, `stored == false`, `seq` of the stored
/// row). `outcome::duplicate` is the session engine's in-memory answer for a repeated id; the
/// journal never returns it, and never stores a row for a repeated id.
struct append_result {
  /// The row that holds the event: the new row, or for a retry or a conflict the row stored before.
  std::uint64_t seq = 0;
  /// True when this call wrote the row; false when the event id was already stored for the
  /// session (a retry or a conflict, see above). An event id is never stored twice in a session.
  bool stored = false;
  /// The decision: the session engine's for a new row, the stored one for a retry, or rejected
  /// `conflicting_duplicate` for a conflict.
  kap::decision decision;
  /// True when the event was already stored with the same content: `decision` is the stored one.
  bool duplicate = false;
  friend bool operator==(const append_result&, const append_result&) = default;
};

/// One stored row: an event as it was submitted, with the decision it got.
struct journal_entry {
  std::uint64_t seq = 0;   ///< the row's position in the file (1, 2, 3, ... across all sessions)
  kap::event event;        ///< the event, decoded
  kap::decision decision;  ///< the decision stored with it
  std::string canonical;   ///< the stored JSON text (`kap::json::write_event` of what was appended)
  friend bool operator==(const journal_entry&, const journal_entry&) = default;
};

/// One session in a journal, with the protocol it runs under.
struct session_info {
  session_id id;  ///< the session's id
  protocol_id protocol;          ///< the protocol's id
  std::string protocol_version;  ///< the protocol's version
  std::string protocol_sha256;   ///< hex SHA-256 of the protocol's canonical JSON
  std::uint64_t events = 0;      ///< rows stored (every attempt)
  std::uint64_t accepted = 0;    ///< rows stored as accepted
  std::uint64_t rejected = 0;    ///< rows stored as rejected
  std::uint64_t first_seq = 0;   ///< its first row
  std::uint64_t last_seq = 0;    ///< its last row
  friend bool operator==(const session_info&, const session_info&) = default;
};
BOOST_DESCRIBE_STRUCT(session_info, (),
                      (id, protocol, protocol_version, protocol_sha256, events, accepted, rejected, first_seq, last_seq))

/// A stored decision that a replay derived differently.
struct replay_difference {
  std::uint64_t seq = 0;  ///< the row's position in the file
  event_id event;  ///< the event it stores
  kap::decision stored;   ///< what the journal holds
  kap::decision derived;  ///< what the session engine answers now
  friend bool operator==(const replay_difference&, const replay_difference&) = default;
};

/// The outcome of a replay: the session rebuilt from the stored events, and every decision that
/// came out differently from the stored one (none when the engine and the record agree).
struct replay_report {
  /// The session after every stored event (never null in a returned report). Include
  /// <kap/session/session.hpp> to use it; the journal's header only declares the class.
  std::shared_ptr<kap::session> session;
  std::vector<replay_difference> differences;  ///< in row order
  std::size_t accepted = 0;                    ///< events the replay accepted
  std::size_t rejected = 0;                    ///< events the replay rejected
  /// True when every derived decision equals the stored one.
  [[nodiscard]] bool consistent() const noexcept { return differences.empty(); }
};

/// A hash exported earlier (say, printed on a signed discharge form): row `seq` had hash `hash`.
struct chain_anchor {
  std::uint64_t seq = 0;  ///< the row the difference is on
  std::string hash;  ///< hex SHA-256 (64 characters)
  friend bool operator==(const chain_anchor&, const chain_anchor&) = default;
};
BOOST_DESCRIBE_STRUCT(chain_anchor, (), (seq, hash))

/// What `verify` checks beyond the chain itself.
struct verify_options {
  /// When set, row `anchor->seq` must still carry `anchor->hash`: this catches a plain chain
  /// recomputed after an edit, and rows removed from the end.
  std::optional<chain_anchor> anchor;
};

/// The outcome of `verify`.
struct verify_report {
  bool intact = true;               ///< every check passed
  std::uint64_t rows = 0;           ///< rows checked
  std::uint64_t head_seq = 0;       ///< the last row (0 when the journal is empty)
  std::string head_hash;            ///< its hex SHA-256 chain hash ("" when empty): export it as an anchor
  bool macs_checked = false;        ///< true when a key was given and every row's HMAC was checked
  std::uint64_t rows_with_mac = 0;  ///< rows that carry an HMAC
  /// The first row that fails (the missing row, for a deleted one); unset when intact or when
  /// the failure is not a row's (a damaged file, a wrong key).
  std::optional<std::uint64_t> broken_seq;
  /// What failed, naming the file and the row: `errc::tampered` (a hash, an HMAC or a
  /// cross-check does not match), `errc::corrupt` (the file's pages are damaged, or a row does
  /// not decode), `errc::unauthorized` (the key is not the journal's key).
  std::optional<kap::error> failure;
};

/// An append-only, tamper-evident store of session events (see the file comment).
class KAP_JOURNAL_EXPORT journal {
 public:
  journal() = default;
  /// Closes the journal.
  virtual ~journal();

  /// Runs one event through its session under the journal's protocol and stores it with its
  /// decision, in one transaction. Returns only after the row is durable (see the
  /// implementation's durability setting). The first event of a new session id opens the
  /// session under the journal's protocol. An event id already stored for the session writes
  /// nothing: the same content answers the stored decision with `append_result::duplicate` set
  /// (the retry contract, see `append_result`), other content is rejected `conflicting_duplicate`.
  /// @return the row and the decision, or `errc::protocol_mismatch` (the session is stored under
  ///         another protocol), `errc::unauthorized` (the journal is keyed and its key was not
  ///         given), `errc::invalid_protocol` (the journal was opened without a protocol),
  ///         `errc::io_error` also when the journal was opened read-only,
  ///         `errc::io_error` (the disk or the lock failed; nothing was stored), `errc::corrupt`
  ///         (stored rows of the session do not decode), `errc::too_large` (the event's JSON is
  ///         over 16 MiB), or the reader's code (`wrong_type`, `invalid_quantity`,
  ///         `invalid_timestamp`, `invalid_id`, `parse_error`, ...) for an event built in C++
  ///         whose JSON would not read back; nothing is stored then
  [[nodiscard]] result<append_result> append(const event& e) {
    auto r = do_append(std::span<const event>(&e, 1));
    if (!r) return std::move(r).error();
    return std::move(r->front());
  }

  /// Appends several events in one transaction: all are stored, or none.
  /// @return one result per event, in order; errors as for `append` (one event refused, for
  ///         example one that would not read back, stores none of them)
  [[nodiscard]] result<std::vector<append_result>> append(std::span<const event> events) { return do_append(events); }

  /// A session's rows in the order they were appended (every attempt, with its decision).
  /// @return the rows, or `errc::unknown_session`, `errc::corrupt` (a row does not decode),
  ///         `errc::io_error`
  [[nodiscard]] result<std::vector<journal_entry>> read(const session_id& id) { return do_read(id); }

  /// Every session in the journal, in the order they were opened.
  /// @return the sessions, or `errc::corrupt`, `errc::io_error`
  [[nodiscard]] result<std::vector<session_info>> sessions() { return do_sessions(); }

  /// Rebuilds a session from its stored events and re-derives every decision.
  /// @param id the session
  /// @param protocol the protocol to replay under; it must be the one the session is stored
  ///        under (same canonical JSON). nullptr replays under the protocol stored in the file.
  /// @return the rebuilt session and the decisions that differ, or `errc::unknown_session`,
  ///         `errc::protocol_mismatch`, `errc::tampered` (the stored protocol does not match its
  ///         hash), `errc::corrupt`, `errc::io_error`
  /// Complexity: one indexed scan of the session's rows.
  [[nodiscard]] result<replay_report> replay(const session_id& id,
                                             std::shared_ptr<const validated_protocol> protocol = nullptr) {
    return do_replay(id, std::move(protocol));
  }

  /// Recomputes the hash chain (and the HMAC chain when a key was given) over every row and
  /// cross-checks the rows against their sessions and protocols.
  /// @return the report (`intact`, or the first failure naming the row), or `errc::io_error`
  ///         when the file cannot be read at all
  /// Complexity: one scan of the whole file.
  [[nodiscard]] result<verify_report> verify(const verify_options& options = {}) { return do_verify(options); }

 protected:
  // Copying or moving through the base would slice: only implementations move themselves.
  journal(const journal&) = default;
  journal(journal&&) = default;
  journal& operator=(const journal&) = default;
  journal& operator=(journal&&) = default;

 private:
  virtual result<std::vector<append_result>> do_append(std::span<const event> events) = 0;
  virtual result<std::vector<journal_entry>> do_read(const session_id& id) = 0;
  virtual result<std::vector<session_info>> do_sessions() = 0;
  virtual result<replay_report> do_replay(const session_id& id, std::shared_ptr<const validated_protocol> protocol) = 0;
  virtual result<verify_report> do_verify(const verify_options& options) = 0;
};

/// The hex SHA-256 of a protocol's canonical JSON (`kap::json::write_protocol`): the content
/// hash a journal stores for each session.
/// @return the 64-character hex digest, or `errc::unsupported_schema` when the protocol holds a
///         C++ predicate and so has no JSON form
[[nodiscard]] KAP_JOURNAL_EXPORT result<std::string> protocol_sha256(const protocol& p);

}  // namespace kap
