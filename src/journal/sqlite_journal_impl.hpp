#pragma once

// The SQLite journal's connection, `sqlite_journal::impl`, shared by the files that implement
// it, one concern each (the way date's tz_private.h serves tz.cpp). This header declares the
// connection: its members, its prepared statements, the sessions it holds in memory, and the
// small helpers every part uses (run, exec, scalar, prepare). The members are defined in
//
//   sqlite_journal.cpp   the public class: open() and the members that forward to impl
//   sqlite_schema.cpp    opening the file, the schema and its migrations, whose file it is
//   sqlite_keys.cpp      the HMAC key and the file's key check
//   sqlite_append.cpp    the sessions in memory, and appending
//   sqlite_read.cpp      reading, the list of sessions, the stored protocol, replay
//   sqlite_verify.cpp    verify, one step per part of the file
//
// Internal to kap::journal, and not installed: SQLite and OpenSSL stay out of kap's headers.

#include <kap/journal/sqlite_journal.hpp>

#include "crypto.hpp"
#include "sqlite_util.hpp"

#include <kap/json/events.hpp>
#include <kap/session/session.hpp>

#include <sqlite3.h>

#include <algorithm>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace kap {

namespace detail::journal {

/// Limits for reading back what the journal itself stored. An event built in C++ is not bound by
/// the wire limits of kap::json::event_read_limits (a long note), and append refuses anything
/// over these, so every stored row can be read back.
inline constexpr json::read_limits stored_limits = json::stored_event_limits;

/// Copies a stored hash into `out`; false when it is not a digest's size.
inline bool to_digest(std::span<const unsigned char> b, digest& out) noexcept {
  if (b.size() != out.size()) return false;
  std::copy(b.begin(), b.end(), out.begin());
  return true;
}

/// The first 12 hex digits of a digest, for messages.
inline std::string short_hex(const digest& d) { return detail::journal::to_hex(d).substr(0, 12); }

}  // namespace detail::journal

// The journal's files name these unqualified (this header is included by them alone).
using detail::journal::digest;
using detail::journal::reset_on_exit;
using detail::journal::short_hex;
using detail::journal::sql_error;
using detail::journal::statement;
using detail::journal::stored_limits;
using detail::journal::to_digest;

// --- the connection and its statements ------------------------------------------------------------

// KAP_JOURNAL_NO_EXPORT: a class nested in an exported class is exported with it, and these
// members are defined out of line; they stay out of a shared libkap_journal's symbols.
struct KAP_JOURNAL_NO_EXPORT sqlite_journal::impl {
  std::string path;
  journal_options opt;
  sqlite3* db = nullptr;
  detail::journal::sha256 sha;
  std::unique_ptr<detail::journal::hmac_sha256> mac;  // when a key was given
  bool keyed_file = false;                            // the file holds a key check

  // The protocol appends run under.
  std::string protocol_body;
  digest protocol_digest{};
  std::weak_ptr<const validated_protocol> digested;  // the last other protocol hashed (replay)
  digest last_digest{};
  bool protocol_row_known = false;    // this connection has seen the protocols row committed
  bool protocol_row_written = false;  // ... or wrote it in the open transaction

  statement begin_immediate, commit, rollback, tail, find_session, insert_protocol, insert_session, insert_event,
      rows_after, find_event, list_sessions, protocol_row, count_rows;

  // Sessions this connection has decided events for: the live engine, and the stored ids the
  // engine does not index (it remembers only the events it accepted).
  struct live_session {
    std::int64_t sid = 0;  // 0: not in the file (yet)
    std::unique_ptr<kap::session> engine;
    std::uint64_t last_seq = 0;  // its last row this engine has applied
    bool stale = true;           // rows may have been appended by another writer
    std::unordered_map<std::string, std::uint64_t> unindexed;  // id -> row
    std::uint64_t used = 0;                                     // the append that last used it
  };
  std::unordered_map<std::string, live_session> live;
  std::uint64_t known_tail = 0;  // the file's last row as of this connection's last commit
  std::uint64_t tick = 0;        // counts appends, to find the least recently used session

  struct head {
    std::uint64_t seq = 0;
    digest hash{};
    digest mac{};
  };
  std::optional<head> cached_head;  // the file's last row after this connection's last commit
  unsigned int cached_version = 0;  // the file's data version right after that commit

  /// SQLite's data version of the main file: it changes with every commit to it, by this
  /// connection or any other (SQLITE_FCNTL_DATA_VERSION).
  unsigned int data_version() const noexcept {
    unsigned int v = 0;
    if (sqlite3_file_control(db, "main", SQLITE_FCNTL_DATA_VERSION, &v) != SQLITE_OK) return 0;
    return v;
  }

  ~impl() {
    // Statements first: sqlite3_close_v2 waits for them otherwise.
    begin_immediate = {};
    commit = {};
    rollback = {};
    tail = {};
    find_session = {};
    insert_protocol = {};
    insert_session = {};
    insert_event = {};
    rows_after = {};
    find_event = {};
    count_rows = {};
    list_sessions = {};
    protocol_row = {};
    if (db) sqlite3_close_v2(db);
  }

  logger& log() const noexcept { return opt.log ? *opt.log : no_logger(); }
  void note(log_level level, const std::string& text) const noexcept {
    if (log().enabled(level)) log().write(level, "journal " + path + ": " + text);
  }

  [[nodiscard]] error fail(std::string_view what, int rc) const { return sql_error(path, what, rc, db); }
  [[nodiscard]] error problem(errc code, const std::string& what) const { return error{code, path + ": " + what}; }

  /// Runs a statement that returns no rows (or whose rows are ignored).
  result<void> run(statement& s, std::string_view what) {
    reset_on_exit r(s);
    int rc = 0;
    while ((rc = s.step()) == SQLITE_ROW) {
    }
    if (rc != SQLITE_DONE) return fail(what, rc);
    return {};
  }

  /// Prepares and runs one statement of fixed text.
  result<void> exec(std::string_view sql, std::string_view what) {
    statement s;
    if (const int rc = s.prepare(db, sql); rc != SQLITE_OK) return fail(what, rc);
    return run(s, what);
  }

  /// Prepares and runs a statement that returns one integer.
  result<std::int64_t> scalar(std::string_view sql, std::string_view what) {
    statement s;
    if (const int rc = s.prepare(db, sql); rc != SQLITE_OK) return fail(what, rc);
    const int rc = s.step();
    if (rc != SQLITE_ROW) return fail(what, rc == SQLITE_DONE ? SQLITE_CORRUPT : rc);
    return s.int64(0);
  }

  result<void> prepare(statement& s, std::string_view sql) {
    if (const int rc = s.prepare(db, sql); rc != SQLITE_OK) return fail("preparing a statement", rc);
    return {};
  }

  result<void> prepare_all() {
    const std::pair<statement*, std::string_view> all[] = {
        {&begin_immediate, "BEGIN IMMEDIATE"},
        {&commit, "COMMIT"},
        {&rollback, "ROLLBACK"},
        {&tail, "SELECT seq, hash, mac FROM events ORDER BY seq DESC LIMIT 1"},
        {&find_session, "SELECT sid, protocol_sha256, protocol_id, protocol_version FROM sessions WHERE name = ?1"},
        {&insert_protocol,
         "INSERT INTO protocols(sha256, id, version, body) VALUES (?1, ?2, ?3, ?4) ON CONFLICT(sha256) DO NOTHING"},
        {&insert_session,
         "INSERT INTO sessions(name, protocol_sha256, protocol_id, protocol_version) VALUES (?1, ?2, ?3, ?4)"},
        {&insert_event,
         "INSERT INTO events(seq, session, event_id, outcome, code, decision, event, hash, mac) "
         "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"},
        {&rows_after, "SELECT seq, event, decision FROM events WHERE session = ?1 AND seq > ?2 ORDER BY seq"},
        {&find_event, "SELECT seq, event, decision FROM events WHERE session = ?1 AND event_id = ?2"},
        {&list_sessions,
         "SELECT s.name, s.protocol_id, s.protocol_version, s.protocol_sha256, count(e.seq), "
         "coalesce(sum(e.outcome = 'accepted'), 0), coalesce(sum(e.outcome = 'rejected'), 0), "
         "coalesce(min(e.seq), 0), coalesce(max(e.seq), 0) "
         "FROM sessions AS s LEFT JOIN events AS e ON e.session = s.sid GROUP BY s.sid ORDER BY s.sid"},
        {&protocol_row, "SELECT id, version, body FROM protocols WHERE sha256 = ?1"},
        {&count_rows, "SELECT count(*) FROM events WHERE session = ?1"},
    };
    for (const auto& [s, sql] : all) {
      if (auto r = prepare(*s, sql); !r) return r;
    }
    return {};
  }

  // Schema, and opening the file (sqlite_schema.cpp).
  result<void> migrate();
  result<void> migrate_locked();
  result<void> open_for_writing();
  result<void> open_read_only();
  result<void> refuse_foreign_tables();
  result<void> check_identity();

  // Keys (sqlite_keys.cpp).
  result<void> setup_key();

  // Sessions in memory, and appending (sqlite_append.cpp).
  result<void> catch_up(live_session& L, const std::string& name);
  result<void> check_protocol(const std::string& name, std::span<const unsigned char> stored_sha,
                              std::string_view stored_id_text, std::string_view stored_version);
  result<bool> lookup(live_session& L, const std::string& name);
  void evict_one();
  result<live_session*> session_for(const session_id& id);
  result<head> read_tail();
  result<void> ensure_protocol_row();
  result<void> create_session(live_session& L, const std::string& name);
  result<append_result> duplicate_of(const event& e, const live_session& L, std::uint64_t seq,
                                     const std::string& bytes);
  static void touch(std::vector<std::string>& touched, const std::string& name);
  result<append_result> append_one(const event& e, head& h, std::vector<std::string>& touched);
  void forget(const std::vector<std::string>& touched);
  result<std::vector<append_result>> append(std::span<const event> events);

  // Reading, and replay (sqlite_read.cpp).
  struct session_row {
    std::int64_t sid = 0;
    digest sha{};
    std::string protocol_id;
    std::string protocol_version;
  };
  result<session_row> find(const session_id& id);
  result<std::vector<journal_entry>> read(const session_id& id);
  result<std::vector<session_info>> sessions();
  result<std::shared_ptr<const validated_protocol>> stored_protocol(const digest& stored_sha,
                                                                    const std::string& session);
  result<digest> digest_of(const std::shared_ptr<const validated_protocol>& p);
  result<replay_report> replay(const session_id& id, std::shared_ptr<const validated_protocol> protocol);

  // Verifying (sqlite_verify.cpp).
  struct verify_scan;  // one run of verify(): what its steps find, and the steps
  result<verify_report> verify(const verify_options& options);
};

}  // namespace kap
