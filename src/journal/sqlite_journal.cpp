#include <kap/journal/sqlite_journal.hpp>

#include "codec.hpp"
#include "crypto.hpp"
#include "schema.hpp"
#include "sqlite_util.hpp"

#include <kap/core/enum_name.hpp>
#include <kap/json.hpp>
#include <kap/protocol/validate.hpp>
#include <kap/session/session.hpp>

#include <sqlite3.h>

#include <fcntl.h>
#include <sys/statvfs.h>
#include <unistd.h>
#if defined(__linux__)
#include <linux/fs.h>
#include <sys/ioctl.h>
#endif

#include <algorithm>
#include <filesystem>
#include <string>
#include <system_error>
#include <unordered_map>
#include <utility>
#include <vector>

namespace kap {

namespace {

using detail::journal::digest;
using detail::journal::reset_on_exit;
using detail::journal::sql_error;
using detail::journal::statement;

constexpr std::size_t min_key_bytes = 16;

/// Limits for reading back what the journal itself stored. An event built in C++ is not bound by
/// the wire limits of kap::json::event_read_limits (a long note), and append refuses anything
/// over these, so every stored row can be read back.
constexpr json::read_limits stored_limits = json::stored_event_limits;

bool to_digest(std::span<const unsigned char> b, digest& out) noexcept {
  if (b.size() != out.size()) return false;
  std::copy(b.begin(), b.end(), out.begin());
  return true;
}

/// The stored form of a plain acceptance (detail::journal::write_decision's output for it).
constexpr std::string_view accepted_plain = R"({"outcome":"accepted"})";

std::string short_hex(const digest& d) { return detail::journal::to_hex(d).substr(0, 12); }

/// The event's type name, for log lines (never its payload).
std::string_view type_name(const event& e) { return wire_name(e.type()); }

/// A SQLite URI for `path` (https://sqlite.org/uri.html) with the given query.
std::string file_uri(const std::string& path, std::string_view query) {
  std::string out = "file:";
  std::size_t i = 0;
  if (path.size() > 1 && path[0] == '/' && path[1] == '/') {  // "file://" would name an authority
    while (i + 1 < path.size() && path[i + 1] == '/') ++i;
  }
  for (; i < path.size(); ++i) {
    const char c = path[i];
    if (c == '?' || c == '#' || c == '%') {
      constexpr std::string_view hex = "0123456789ABCDEF";
      const auto u = static_cast<unsigned char>(c);
      out.push_back('%');
      out.push_back(hex[u >> 4]);
      out.push_back(hex[u & 0xF]);
    } else {
      out.push_back(c);
    }
  }
  out.push_back('?');
  out += query;
  return out;
}

/// True when nothing can write `path`: its file system is mounted read-only, or (Linux) the file
/// or its folder is marked immutable. Only then is SQLite's `immutable=1` safe.
bool on_read_only_media(const std::string& path) {
  struct statvfs fs {};
  if (::statvfs(path.c_str(), &fs) == 0 && (fs.f_flag & ST_RDONLY) != 0) return true;
#if defined(__linux__)
  auto immutable = [](const std::string& p) {
    const int fd = ::open(p.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) return false;
    int flags = 0;
    const bool set = ::ioctl(fd, FS_IOC_GETFLAGS, &flags) == 0 && (flags & FS_IMMUTABLE_FL) != 0;
    ::close(fd);
    return set;
  };
  std::error_code ec;
  auto dir = std::filesystem::absolute(path, ec).parent_path();
  if (immutable(path) || (!ec && immutable(dir.string()))) return true;
#endif
  return false;
}

}  // namespace

// --- the connection and its statements ------------------------------------------------------------

struct sqlite_journal::impl {
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

  // --- schema -----------------------------------------------------------------------------------

  result<void> migrate() {
    auto version = scalar("PRAGMA user_version", "reading the schema version");
    if (!version) return std::move(version).error();
    if (*version == sqlite_journal::schema_version) return check_identity();
    if (auto r = exec("BEGIN IMMEDIATE", "locking the file to upgrade its schema"); !r) return r;
    auto done = migrate_locked();
    if (!done) {
      (void)exec("ROLLBACK", "rolling back");
      return done;
    }
    if (auto r = exec("COMMIT", "committing the schema upgrade"); !r) {
      (void)exec("ROLLBACK", "rolling back");
      return r;
    }
    return check_identity();
  }

  result<void> migrate_locked() {
    auto version = scalar("PRAGMA user_version", "reading the schema version");
    if (!version) return std::move(version).error();
    if (*version < 0 || *version > static_cast<std::int64_t>(sqlite_journal::schema_version)) {
      return problem(errc::unsupported_schema, "journal schema version " + std::to_string(*version) +
                                                   " is newer than this kap understands (up to " +
                                                   std::to_string(sqlite_journal::schema_version) + ")");
    }
    if (*version == 0) {
      if (auto empty = refuse_foreign_tables(); !empty) return empty;
    } else if (auto id = check_identity(); !id) {
      return id;
    }
    for (const auto& step : detail::journal::migrations) {
      if (step.to <= static_cast<std::uint32_t>(*version)) continue;
      for (const auto sql : step.statements) {
        if (auto r = exec(sql, "upgrading the schema to version " + std::to_string(step.to)); !r) return r;
      }
      if (auto r = exec("PRAGMA user_version = " + std::to_string(step.to), "setting the schema version"); !r) {
        return r;
      }
      note(log_level::info, "schema upgraded to version " + std::to_string(step.to));
    }
    return {};
  }

  /// Opens an existing journal with SQLITE_OPEN_READONLY and checks, without writing, that it
  /// is a kap journal of this schema version (journal_options::read_only).
  result<void> open_for_writing();

  result<void> open_read_only() {
    std::error_code ec;
    const auto st = std::filesystem::status(path, ec);
    if (!std::filesystem::exists(st)) return problem(errc::io_error, "no such file");
    const int flags = SQLITE_OPEN_READONLY | SQLITE_OPEN_URI | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE;
    auto attempt = [&](std::string_view query) -> result<std::int64_t> {
      if (db) {
        sqlite3_close_v2(db);
        db = nullptr;
      }
      if (const int rc = sqlite3_open_v2(file_uri(path, query).c_str(), &db, flags, nullptr); rc != SQLITE_OK) {
        return fail("opening", rc);
      }
      sqlite3_busy_timeout(db, static_cast<int>(std::clamp<std::int64_t>(opt.busy_timeout.count(), 0, 1 << 30)));
      // The header: SQLite reads it here (and, for a WAL file, opens the WAL index).
      return scalar("PRAGMA user_version", "reading the file header");
    };
    auto version = attempt("mode=ro");
    if (!version && version.error().code != errc::corrupt && on_read_only_media(path)) {
      // A WAL file on read-only media has no -shm and cannot get one. Nothing can write the
      // file there, so SQLite may treat it as immutable - unless a -wal beside it holds rows.
      const auto wal_size = std::filesystem::file_size(path + "-wal", ec);
      if (ec || wal_size == 0) {
        version = attempt("mode=ro&immutable=1");
        if (version) note(log_level::debug, "on read-only media: opened as immutable");
      }
    }
    if (!version) return std::move(version).error();
    if (*version == 0) {
      if (auto empty = refuse_foreign_tables(); !empty) return empty;
      const auto size = std::filesystem::file_size(path, ec);
      return problem(errc::corrupt, !ec && size == 0
                                        ? "not a kap journal: the file is empty (0 bytes)"
                                        : "not a kap journal: an empty SQLite database without kap's schema");
    }
    if (*version != static_cast<std::int64_t>(sqlite_journal::schema_version)) {
      return problem(errc::unsupported_schema,
                     *version > static_cast<std::int64_t>(sqlite_journal::schema_version) || *version < 0
                         ? "journal schema version " + std::to_string(*version) +
                               " is newer than this kap understands (up to " +
                               std::to_string(sqlite_journal::schema_version) + ")"
                         : "journal schema version " + std::to_string(*version) +
                               " is older than this kap's; open it for appending once to upgrade it");
    }
    return check_identity();
  }

  // A database without kap's schema version: refused when it holds tables of its own (someone
  // else's database), fine when it holds none.
  result<void> refuse_foreign_tables() {
    auto objects = scalar("SELECT count(*) FROM sqlite_schema", "reading the schema");
    if (!objects) return std::move(objects).error();
    if (*objects != 0) {
      return problem(errc::unsupported_schema,
                     "not a kap journal: a SQLite database with other tables and no kap schema version");
    }
    return {};
  }

  result<void> check_identity() {
    auto app = scalar("PRAGMA application_id", "reading the application id");
    if (!app) return std::move(app).error();
    if (*app != sqlite_journal::application_id) {
      return problem(errc::unsupported_schema, "not a kap journal (SQLite application_id " + std::to_string(*app) +
                                                   ", a kap journal has " +
                                                   std::to_string(sqlite_journal::application_id) + ")");
    }
    return {};
  }

  // --- keys -------------------------------------------------------------------------------------

  result<void> setup_key() {
    statement s;
    if (auto r = prepare(s, "SELECT value FROM meta WHERE name = 'hmac_check'"); !r) return r;
    std::optional<digest> stored;
    {
      reset_on_exit guard(s);
      const int rc = s.step();
      if (rc == SQLITE_ROW) {
        digest d{};
        if (!to_digest(s.blob(0), d)) return problem(errc::corrupt, "the HMAC key check value is damaged");
        stored = d;
      } else if (rc != SQLITE_DONE) {
        return fail("reading the key check value", rc);
      }
    }
    keyed_file = stored.has_value();
    if (opt.hmac_key.empty()) return {};
    if (opt.hmac_key.size() < min_key_bytes) {
      return problem(errc::out_of_range, "an HMAC key must be at least " + std::to_string(min_key_bytes) +
                                             " bytes; this one has " + std::to_string(opt.hmac_key.size()));
    }
    mac = std::make_unique<detail::journal::hmac_sha256>(opt.hmac_key);
    detail::journal::cleanse(opt.hmac_key.data(), opt.hmac_key.size());  // the context keeps its own copy
    opt.hmac_key.clear();
    if (!mac->ok()) return problem(errc::io_error, "OpenSSL cannot provide HMAC-SHA-256");
    const digest check = detail::journal::key_check(*mac);
    if (stored) {
      if (!detail::journal::equal(*stored, check)) {
        return problem(errc::unauthorized,
                       "the key is not this journal's key (its key check value differs: a wrong key, or the "
                       "keyed chain was replaced)");
      }
      return {};
    }
    if (opt.read_only) {
      return problem(errc::unauthorized,
                     "this journal was started without a key (or its key check was removed): there is no key "
                     "check to test the key against; opened read-only, nothing was recorded");
    }
    // No key check yet: a key may be given only while the journal holds no rows.
    if (auto r = exec("BEGIN IMMEDIATE", "locking the file to record the key check"); !r) return r;
    auto done = [&]() -> result<void> {
      auto rows = scalar("SELECT count(*) FROM events", "counting rows");
      if (!rows) return std::move(rows).error();
      if (*rows != 0) {
        return problem(errc::unauthorized,
                       "this journal was started without a key (or its key check was removed); a key cannot be "
                       "added to a journal that holds rows");
      }
      statement ins;
      if (auto r = prepare(ins, "INSERT INTO meta(name, value) VALUES ('hmac_check', ?1) ON CONFLICT(name) DO NOTHING");
          !r) {
        return r;
      }
      ins.bind_blob(1, check.data(), check.size());
      if (auto r = run(ins, "recording the key check"); !r) return r;
      statement again;
      if (auto r = prepare(again, "SELECT value FROM meta WHERE name = 'hmac_check'"); !r) return r;
      reset_on_exit guard(again);
      digest d{};
      if (again.step() != SQLITE_ROW || !to_digest(again.blob(0), d) || !detail::journal::equal(d, check)) {
        return problem(errc::unauthorized, "another process started this journal with a different key");
      }
      return {};
    }();
    if (!done) {
      (void)exec("ROLLBACK", "rolling back");
      return done;
    }
    if (auto r = exec("COMMIT", "committing the key check"); !r) {
      (void)exec("ROLLBACK", "rolling back");
      return r;
    }
    keyed_file = true;
    return {};
  }

  // --- sessions in memory ---------------------------------------------------------------------------

  /// Applies the session's rows after `L.last_seq` to its engine.
  result<void> catch_up(live_session& L, const std::string& name) {
    reset_on_exit guard(rows_after);
    rows_after.bind(1, L.sid);
    rows_after.bind(2, static_cast<std::int64_t>(L.last_seq));
    int rc = 0;
    while ((rc = rows_after.step()) == SQLITE_ROW) {
      const auto seq = static_cast<std::uint64_t>(rows_after.int64(0));
      const std::string_view text = rows_after.text(1);
      auto e = json::read_event(text, stored_limits);
      if (!e) {
        return problem(errc::corrupt, "row " + std::to_string(seq) + " (session " + name +
                                          "): the stored event does not decode: " + e.error().message);
      }
      if (!L.engine->apply(*e).accepted()) L.unindexed.emplace(e->id.str(), seq);
      L.last_seq = seq;
    }
    if (rc != SQLITE_DONE) return fail("reading session " + name, rc);
    L.stale = false;
    return {};
  }

  /// Checks that a stored session runs under the journal's protocol.
  result<void> check_protocol(const std::string& name, std::span<const unsigned char> stored_sha,
                              std::string_view stored_id_text, std::string_view stored_version) {
    digest d{};
    if (!to_digest(stored_sha, d)) return problem(errc::corrupt, "session " + name + ": the protocol hash is damaged");
    if (!detail::journal::equal(d, protocol_digest)) {
      const auto& def = opt.protocol->definition();
      return problem(errc::protocol_mismatch,
                     "session " + name + " runs under protocol " + std::string(stored_id_text) + " version " +
                         std::string(stored_version) + " (sha256 " + short_hex(d) + "...), not " + def.id.str() +
                         " version " + def.version + " (sha256 " + short_hex(protocol_digest) + "...)");
    }
    return {};
  }

  /// Looks a session up in the file; on finding it, checks its protocol and sets `L.sid`.
  result<bool> lookup(live_session& L, const std::string& name) {
    reset_on_exit guard(find_session);
    find_session.bind(1, name);
    const int rc = find_session.step();
    if (rc == SQLITE_DONE) return false;
    if (rc != SQLITE_ROW) return fail("looking up session " + name, rc);
    if (auto r = check_protocol(name, find_session.blob(1), find_session.text(2), find_session.text(3)); !r) {
      return std::move(r).error();
    }
    L.sid = find_session.int64(0);
    return true;
  }

  /// Keeps at most `opt.cache_sessions` engines in memory: drops the least recently used one
  /// that the current append does not need (it is rebuilt from the file when used again).
  void evict_one() {
    if (live.size() < std::max<std::size_t>(opt.cache_sessions, 1)) return;
    auto victim = live.end();
    for (auto it = live.begin(); it != live.end(); ++it) {
      if (it->second.used < tick && (victim == live.end() || it->second.used < victim->second.used)) victim = it;
    }
    if (victim != live.end()) live.erase(victim);
  }

  /// The live session for `name`, created (and loaded from the file) when first used. Outside
  /// a write transaction: the write transaction catches up with anything appended meanwhile.
  result<live_session*> session_for(const session_id& id) {
    auto it = live.find(id.str());
    if (it != live.end()) {
      it->second.used = tick;
      return &it->second;
    }
    evict_one();
    live_session L;
    L.used = tick;
    L.engine = std::make_unique<kap::session>(opt.protocol, id, log());
    auto found = lookup(L, id.str());
    if (!found) return std::move(found).error();
    if (*found) {
      if (auto r = catch_up(L, id.str()); !r) return std::move(r).error();
      L.stale = true;  // rows may land before our write transaction starts
    }
    return &live.emplace(id.str(), std::move(L)).first->second;
  }

  // --- appending ----------------------------------------------------------------------------------

  result<head> read_tail() {
    reset_on_exit guard(tail);
    const int rc = tail.step();
    head h;
    if (rc == SQLITE_DONE) return h;
    if (rc != SQLITE_ROW) return fail("reading the last row", rc);
    h.seq = static_cast<std::uint64_t>(tail.int64(0));
    if (!to_digest(tail.blob(1), h.hash)) {
      return problem(errc::corrupt, "row " + std::to_string(h.seq) + ": the stored hash is damaged");
    }
    if (!tail.is_null(2)) (void)to_digest(tail.blob(2), h.mac);
    return h;
  }

  result<void> ensure_protocol_row() {
    if (protocol_row_known || protocol_row_written) return {};
    const auto& def = opt.protocol->definition();
    insert_protocol.bind_blob(1, protocol_digest.data(), protocol_digest.size());
    insert_protocol.bind(2, def.id.str());
    insert_protocol.bind(3, def.version);
    insert_protocol.bind(4, protocol_body);
    if (auto r = run(insert_protocol, "storing the protocol"); !r) return r;
    protocol_row_written = true;
    return {};
  }

  result<void> create_session(live_session& L, const std::string& name) {
    if (auto r = ensure_protocol_row(); !r) return r;
    const auto& def = opt.protocol->definition();
    insert_session.bind(1, name);
    insert_session.bind_blob(2, protocol_digest.data(), protocol_digest.size());
    insert_session.bind(3, def.id.str());
    insert_session.bind(4, def.version);
    if (auto r = run(insert_session, "opening session " + name); !r) return r;
    L.sid = sqlite3_last_insert_rowid(db);
    L.stale = false;
    note(log_level::info, "session " + name + " opened under protocol " + def.id.str() + " version " + def.version);
    return {};
  }

  /// The answer for an event whose id is already stored for the session (row `seq`, or 0 when
  /// only the engine knows it). The same stored bytes are a retry: the stored decision, marked
  /// `duplicate` (the retry contract, docs/journal.md). Other bytes are rejected as
  /// conflicting_duplicate. Writes nothing.
  result<append_result> duplicate_of(const event& e, const live_session& L, std::uint64_t seq,
                                     const std::string& bytes) {
    reset_on_exit guard(find_event);
    find_event.bind(1, L.sid);
    find_event.bind(2, e.id.str());
    const int rc = find_event.step();
    if (rc != SQLITE_ROW) {
      return fail("reading the stored event " + e.id.str() + (seq ? " (row " + std::to_string(seq) + ")" : ""),
                  rc == SQLITE_DONE ? SQLITE_CORRUPT : rc);
    }
    append_result out;
    out.seq = static_cast<std::uint64_t>(find_event.int64(0));
    out.stored = false;
    out.decision.event = e.id;
    if (find_event.text(1) == bytes) {
      auto d = detail::journal::read_decision(find_event.text(2), e.id);
      if (!d) {
        return problem(errc::corrupt, "row " + std::to_string(out.seq) + " (session " + e.session.str() +
                                          "): the stored decision does not decode: " + d.error().message);
      }
      out.decision = std::move(*d);
      out.duplicate = true;
    } else {
      out.decision.outcome = outcome::rejected;
      out.decision.code = errc::conflicting_duplicate;
      out.decision.message = "event id " + e.id.str() + " is already stored as row " + std::to_string(out.seq) +
                             " with different content; nothing was written";
    }
    note(log_level::debug, "event " + e.id.str() + " (" + std::string(type_name(e)) + ") of session " +
                               e.session.str() + ": " + (out.duplicate ? "a retry" : "a conflicting id") +
                               " of row " + std::to_string(out.seq) + " (stored " +
                               std::string(enum_name(out.decision.outcome)) + ")");
    return out;
  }

  static void touch(std::vector<std::string>& touched, const std::string& name) {
    if (touched.empty() || touched.back() != name) touched.push_back(name);
  }

  /// Decides and stores one event inside the open write transaction.
  result<append_result> append_one(const event& e, head& h, std::vector<std::string>& touched) {
    // Refused before anything (the engine included) sees it, so that every row reads back.
    std::string bytes = json::write_event(e);
    const bool id_ok = event_id::check(e.id.str()).empty();  // an invalid id may hold free text
    const std::string what = id_ok ? "event " + e.id.str() : std::string("an event");
    if (bytes.size() > stored_limits.max_bytes) {
      return error{errc::too_large, what + ": " + std::to_string(bytes.size()) +
                                        " bytes is over the journal's limit of " +
                                        std::to_string(stored_limits.max_bytes) + " bytes"};
    }
    // What the reader refuses is refused here, with the reader's code and message: a NaN or
    // negative amount, an enum value without a name, an instant outside 0000-9999, an invalid id
    // or invalid UTF-8 - values only C++ code makes, which would leave the row, and so the
    // session, unreadable for good. check_event applies the reader's rules to the values
    // without decoding `bytes` (the size, its one blind spot, is judged above).
    if (auto back = json::check_event(e); !back) {
      return error{back.error().code, what + " would not read back (" + back.error().message + "); nothing was written"};
    }
    // An optional amount that is not a number, or an optional enum value without a name, is
    // written as null and reads back as absent: the row would not be the event the engine judged,
    // and a replay could decide it otherwise. Only text holding "null" can hide one; only that
    // text is read back and compared.
    if (bytes.find("null") != std::string::npos) {
      if (auto back = json::read_event(bytes, stored_limits); !back || !(*back == e)) {
        return error{errc::wrong_type, what + " would not read back as the same event (a value that is not a number, "
                                              "or an enum value without a name, is written as null); nothing was written"};
      }
    }
    const std::string& name = e.session.str();
    live_session& L = live.at(name);
    if (L.sid == 0) {
      auto found = lookup(L, name);
      if (!found) return std::move(found).error();
      touch(touched, name);
      if (*found) {
        if (auto r = catch_up(L, name); !r) return std::move(r).error();
      } else if (auto r = create_session(L, name); !r) {
        return std::move(r).error();
      }
    } else if (L.stale) {
      touch(touched, name);
      if (auto r = catch_up(L, name); !r) return std::move(r).error();
    }

    // An id already stored for the session writes nothing. Ids the engine accepted are in its own
    // index (apply answers duplicate or conflicting_duplicate without changing anything); the
    // others (stored as rejected) are in `unindexed`.
    std::optional<std::uint64_t> stored_seq;
    decision d;
    if (const auto known = L.unindexed.find(e.id.str()); known != L.unindexed.end()) {
      stored_seq = known->second;
    } else {
      touch(touched, name);
      d = L.engine->apply(e);
      if (d.outcome == outcome::duplicate || d.code == errc::conflicting_duplicate) stored_seq = 0;
    }
    if (stored_seq) return duplicate_of(e, L, *stored_seq, bytes);

    std::string dec;
    detail::journal::write_decision(dec, d);
    const std::uint64_t seq = h.seq + 1;
    const digest hash = detail::journal::row_hash(sha, h.hash, seq, name, protocol_digest, dec, bytes);
    digest tag{};
    if (mac) tag = detail::journal::row_mac(*mac, h.mac, hash);

    insert_event.bind(1, static_cast<std::int64_t>(seq));
    insert_event.bind(2, L.sid);
    insert_event.bind(3, e.id.str());
    insert_event.bind(4, enum_name(d.outcome));
    if (d.code) {
      insert_event.bind(5, to_string(*d.code));
    } else {
      insert_event.bind_null(5);
    }
    insert_event.bind(6, dec);
    insert_event.bind(7, bytes);
    insert_event.bind_blob(8, hash.data(), hash.size());
    if (mac) {
      insert_event.bind_blob(9, tag.data(), tag.size());
    } else {
      insert_event.bind_null(9);
    }
    if (auto r = run(insert_event, "storing event " + e.id.str() + " of session " + name); !r) {
      return std::move(r).error();
    }
    h.seq = seq;
    h.hash = hash;
    h.mac = tag;
    if (!d.accepted()) L.unindexed.emplace(e.id.str(), seq);
    L.last_seq = seq;
    if (log().enabled(log_level::debug)) {
      note(log_level::debug, "row " + std::to_string(seq) + ": event " + e.id.str() + " (" +
                                 std::string(type_name(e)) + ") of session " + name + " " +
                                 std::string(enum_name(d.outcome)) +
                                 (d.code ? " (" + std::string(to_string(*d.code)) + ")" : std::string()));
    }
    append_result out;
    out.seq = seq;
    out.stored = true;
    out.decision = std::move(d);
    return out;
  }

  /// Forgets sessions whose engines may hold state that was not committed.
  void forget(const std::vector<std::string>& touched) {
    for (const auto& name : touched) live.erase(name);
    known_tail = 0;
    cached_head.reset();
    protocol_row_written = false;
  }

  result<std::vector<append_result>> append(std::span<const event> events) {
    if (opt.read_only) {
      return problem(errc::io_error,
                     "the journal was opened read-only (journal_options::read_only); nothing was written");
    }
    if (!opt.protocol) {
      return problem(errc::invalid_protocol,
                     "the journal was opened without a protocol; appending needs one (journal_options::protocol)");
    }
    if (keyed_file && !mac) {
      return problem(errc::unauthorized, "this journal is keyed: appending needs its HMAC key");
    }
    std::vector<append_result> out;
    if (events.empty()) return out;
    out.reserve(events.size());
    ++tick;
    for (const auto& e : events) {
      auto L = session_for(e.session);
      if (!L) return std::move(L).error();
    }

    if (const int rc = begin_immediate.step(); rc != SQLITE_DONE) {
      begin_immediate.reset();
      return fail("locking the file to append", rc);
    }
    begin_immediate.reset();
    std::vector<std::string> touched;
    auto abort = [&](error err) -> result<std::vector<append_result>> {
      (void)run(rollback, "rolling back");
      forget(touched);
      note(log_level::warn, "append rolled back: " + std::string(to_string(err.code)));
      return err;
    };

    // The file's last row: remembered from our own last commit when nobody has written since
    // (SQLite's data version of the file is unchanged), read otherwise.
    head h;
    try {
      if (cached_head && data_version() == cached_version) {
        h = *cached_head;
      } else {
        auto t = read_tail();
        if (!t) return abort(std::move(t).error());
        h = *t;
        if (h.seq != known_tail) {
          for (auto& [name, L] : live) L.stale = true;  // another writer appended since our last commit
        }
      }
      for (const auto& e : events) {
        auto r = append_one(e, h, touched);
        if (!r) return abort(std::move(r).error());
        out.push_back(std::move(*r));
      }
    } catch (...) {  // std::bad_alloc: leave no transaction open and no engine half-updated
      commit.reset();
      (void)run(rollback, "rolling back");
      forget(touched);
      throw;
    }
    if (const int rc = commit.step(); rc != SQLITE_DONE) {
      commit.reset();
      return abort(fail("committing", rc));
    }
    commit.reset();
    protocol_row_known = protocol_row_known || protocol_row_written;
    protocol_row_written = false;
    known_tail = h.seq;
    cached_head = h;
    cached_version = data_version();
    return out;
  }

  // --- reading ------------------------------------------------------------------------------------

  struct session_row {
    std::int64_t sid = 0;
    digest sha{};
    std::string protocol_id;
    std::string protocol_version;
  };

  result<session_row> find(const session_id& id) {
    reset_on_exit guard(find_session);
    find_session.bind(1, id.str());
    const int rc = find_session.step();
    if (rc == SQLITE_DONE) return problem(errc::unknown_session, "no session " + id.str());
    if (rc != SQLITE_ROW) return fail("looking up session " + id.str(), rc);
    session_row s;
    s.sid = find_session.int64(0);
    if (!to_digest(find_session.blob(1), s.sha)) {
      return problem(errc::corrupt, "session " + id.str() + ": the protocol hash is damaged");
    }
    s.protocol_id = std::string(find_session.text(2));
    s.protocol_version = std::string(find_session.text(3));
    return s;
  }

  result<std::vector<journal_entry>> read(const session_id& id) {
    auto s = find(id);
    if (!s) return std::move(s).error();
    std::vector<journal_entry> out;
    reset_on_exit guard(rows_after);
    rows_after.bind(1, s->sid);
    rows_after.bind(2, std::int64_t{0});
    int rc = 0;
    while ((rc = rows_after.step()) == SQLITE_ROW) {
      journal_entry en;
      en.seq = static_cast<std::uint64_t>(rows_after.int64(0));
      en.canonical = std::string(rows_after.text(1));
      auto e = json::read_event(en.canonical, stored_limits);
      if (!e) {
        return problem(errc::corrupt, "row " + std::to_string(en.seq) + " (session " + id.str() +
                                          "): the stored event does not decode: " + e.error().message);
      }
      auto d = detail::journal::read_decision(rows_after.text(2), e->id);
      if (!d) {
        return problem(errc::corrupt, "row " + std::to_string(en.seq) + " (session " + id.str() +
                                          "): the stored decision does not decode: " + d.error().message);
      }
      en.event = std::move(*e);
      en.decision = std::move(*d);
      out.push_back(std::move(en));
    }
    if (rc != SQLITE_DONE) return fail("reading session " + id.str(), rc);
    return out;
  }

  result<std::vector<session_info>> sessions() {
    std::vector<session_info> out;
    reset_on_exit guard(list_sessions);
    int rc = 0;
    while ((rc = list_sessions.step()) == SQLITE_ROW) {
      session_info s;
      const std::string_view name = list_sessions.text(0);
      if (!session_id::check(name).empty()) {
        return problem(errc::corrupt, "a stored session id is not a valid id");
      }
      s.id = session_id{std::string(name)};
      s.protocol = protocol_id{std::string(list_sessions.text(1))};
      s.protocol_version = std::string(list_sessions.text(2));
      digest d{};
      if (!to_digest(list_sessions.blob(3), d)) {
        return problem(errc::corrupt, "session " + s.id.str() + ": the protocol hash is damaged");
      }
      s.protocol_sha256 = detail::journal::to_hex(d);
      s.events = static_cast<std::uint64_t>(list_sessions.int64(4));
      s.accepted = static_cast<std::uint64_t>(list_sessions.int64(5));
      s.rejected = static_cast<std::uint64_t>(list_sessions.int64(6));
      s.first_seq = static_cast<std::uint64_t>(list_sessions.int64(7));
      s.last_seq = static_cast<std::uint64_t>(list_sessions.int64(8));
      out.push_back(std::move(s));
    }
    if (rc != SQLITE_DONE) return fail("listing sessions", rc);
    return out;
  }

  /// The protocol stored under `sha`, checked against its hash and validated.
  result<std::shared_ptr<const validated_protocol>> stored_protocol(const digest& stored_sha, const std::string& session) {
    std::string body;
    {
      reset_on_exit guard(protocol_row);
      protocol_row.bind_blob(1, stored_sha.data(), stored_sha.size());
      const int rc = protocol_row.step();
      if (rc == SQLITE_DONE) {
        return problem(errc::tampered, "session " + session + " names protocol sha256 " + short_hex(stored_sha) +
                                           "..., which is not stored in the file");
      }
      if (rc != SQLITE_ROW) return fail("reading the protocol of session " + session, rc);
      body = std::string(protocol_row.text(2));
    }
    if (!detail::journal::equal(stored_sha, sha.of(body))) {
      return problem(errc::tampered, "the stored protocol of session " + session +
                                         " does not match its SHA-256 (its text was changed)");
    }
    auto p = json::read_protocol(body, stored_limits);
    if (!p) {
      return problem(errc::corrupt, "the stored protocol of session " + session +
                                        " does not decode: " + p.error().message);
    }
    auto v = validate(std::move(*p));
    if (!v) {
      return problem(errc::corrupt, "the stored protocol of session " + session +
                                        " does not validate: " + v.error().message);
    }
    return std::make_shared<const validated_protocol>(std::move(*v));
  }

  /// The content hash of a protocol, remembered for the last one asked about.
  result<digest> digest_of(const std::shared_ptr<const validated_protocol>& p) {
    if (p == opt.protocol) return protocol_digest;
    if (auto last = digested.lock(); last && last == p) return last_digest;
    auto body = json::write_protocol(p->definition());
    if (!body) return std::move(body).error();
    last_digest = sha.of(*body);
    digested = p;
    return last_digest;
  }

  result<replay_report> replay(const session_id& id, std::shared_ptr<const validated_protocol> protocol) {
    auto s = find(id);
    if (!s) return std::move(s).error();
    if (protocol) {
      auto offered_digest = digest_of(protocol);
      if (!offered_digest) {
        return problem(errc::protocol_mismatch, "session " + id.str() + " cannot be replayed under a protocol " +
                                                    "without a JSON form (" + offered_digest.error().message + ")");
      }
      const digest offered = *offered_digest;
      if (!detail::journal::equal(offered, s->sha)) {
        const auto& def = protocol->definition();
        return problem(errc::protocol_mismatch,
                       "session " + id.str() + " was recorded under protocol " + s->protocol_id + " version " +
                           s->protocol_version + " (sha256 " + short_hex(s->sha) + "...); refusing to replay it under " +
                           def.id.str() + " version " + def.version + " (sha256 " + short_hex(offered) + "...)");
      }
    } else {
      auto p = stored_protocol(s->sha, id.str());
      if (!p) return std::move(p).error();
      protocol = std::move(*p);
    }

    replay_report rep{std::make_shared<kap::session>(protocol, id, log()), {}, 0, 0};
    {
      reset_on_exit count_guard(count_rows);
      count_rows.bind(1, s->sid);
      if (count_rows.step() == SQLITE_ROW) rep.session->reserve(static_cast<std::size_t>(count_rows.int64(0)));
    }
    // Rows are decoded a block at a time and then applied: decoding and the engine each stay
    // in the instruction cache for a whole block instead of evicting each other at every row.
    struct pending {
      std::uint64_t seq = 0;
      kap::event event;
      bool plain = false;  // stored as a plain acceptance
      std::string stored;  // the stored decision otherwise
    };
    constexpr std::size_t block = 64;
    std::vector<pending> rows(block);
    std::size_t filled = 0;
    std::string derived_text;
    auto apply_block = [&]() -> result<void> {
      for (std::size_t i = 0; i < filled; ++i) {
        pending& row = rows[i];
        decision d = rep.session->apply(row.event);
        if (d.accepted()) {
          ++rep.accepted;
        } else {
          ++rep.rejected;
        }
        bool same = false;
        if (d.accepted() && d.alerts.empty()) {
          same = row.plain;  // the common case, without writing the decision
        } else {
          derived_text.clear();
          detail::journal::write_decision(derived_text, d);
          same = !row.plain && derived_text == row.stored;
        }
        if (same) continue;
        auto stored = detail::journal::read_decision(row.plain ? accepted_plain : row.stored, row.event.id);
        if (!stored) {
          return problem(errc::corrupt, "row " + std::to_string(row.seq) + " (session " + id.str() +
                                            "): the stored decision does not decode: " + stored.error().message);
        }
        note(log_level::warn, "replay of session " + id.str() + ": row " + std::to_string(row.seq) + " (event " +
                                  row.event.id.str() + ") was " + std::string(enum_name(stored->outcome)) +
                                  ", now " + std::string(enum_name(d.outcome)));
        rep.differences.push_back(replay_difference{row.seq, row.event.id, std::move(*stored), std::move(d)});
      }
      filled = 0;
      return {};
    };
    reset_on_exit guard(rows_after);
    rows_after.bind(1, s->sid);
    rows_after.bind(2, std::int64_t{0});
    int rc = 0;
    while ((rc = rows_after.step()) == SQLITE_ROW) {
      pending& row = rows[filled];
      row.seq = static_cast<std::uint64_t>(rows_after.int64(0));
      auto e = json::read_event(rows_after.text(1), stored_limits);
      if (!e) {
        return problem(errc::corrupt, "row " + std::to_string(row.seq) + " (session " + id.str() +
                                          "): the stored event does not decode: " + e.error().message);
      }
      row.event = std::move(*e);
      const std::string_view stored_text = rows_after.text(2);
      row.plain = stored_text == accepted_plain;
      if (!row.plain) row.stored.assign(stored_text);
      if (++filled == block) {
        if (auto r = apply_block(); !r) return std::move(r).error();
      }
    }
    if (rc != SQLITE_DONE) return fail("reading session " + id.str(), rc);
    if (auto r = apply_block(); !r) return std::move(r).error();
    return rep;
  }

  // --- verifying ------------------------------------------------------------------------------

  result<verify_report> verify(const verify_options& options) {
    verify_report rep;
    auto broken = [&](errc code, const std::string& what, std::optional<std::uint64_t> seq) {
      rep.intact = false;
      rep.broken_seq = seq;
      rep.failure = problem(code, what);
      note(log_level::warn, "verify failed: " + std::string(to_string(code)) +
                                (seq ? " at row " + std::to_string(*seq) : std::string()));
      return rep;
    };

    // Pages first: a damaged file is reported as such, not as a broken chain.
    {
      statement check;
      if (const int rc = check.prepare(db, "PRAGMA quick_check(1)"); rc != SQLITE_OK) {
        if (detail::journal::code_for(rc) == errc::corrupt) {
          return broken(errc::corrupt, detail::journal::describe(rc, db), std::nullopt);
        }
        return fail("checking the file", rc);
      }
      const int rc = check.step();
      if (rc == SQLITE_ROW) {
        const std::string_view res = check.text(0);
        if (res != "ok") return broken(errc::corrupt, "the file is damaged: " + std::string(res), std::nullopt);
      } else if (detail::journal::code_for(rc) == errc::corrupt) {
        return broken(errc::corrupt, detail::journal::describe(rc, db), std::nullopt);
      } else {
        return fail("checking the file", rc);
      }
    }

    // One read transaction, so the scan sees one state of the file.
    if (auto r = exec("BEGIN", "starting a read"); !r) return std::move(r).error();
    struct end_read {
      impl& self;
      ~end_read() { (void)self.exec("COMMIT", "ending the read"); }
    } end{*this};

    // Meta: exactly the format row, and the key check when keyed (checked against the rows' HMACs below).
    bool has_key_check = false;
    {
      statement m;
      if (auto r = prepare(m, "SELECT name, value FROM meta ORDER BY name"); !r) return std::move(r).error();
      bool has_format = false;
      int rc = 0;
      while ((rc = m.step()) == SQLITE_ROW) {
        const std::string_view name = m.text(0);
        if (name == "format") {
          if (m.text(1) != "kap.journal/1") {
            return broken(errc::tampered, "the meta row 'format' was changed (it must be kap.journal/1)",
                          std::nullopt);
          }
          has_format = true;
        } else if (name == "hmac_check") {
          if (m.blob(1).size() != digest{}.size()) {
            return broken(errc::tampered, "the meta row 'hmac_check' was changed (it is not 32 bytes)", std::nullopt);
          }
          has_key_check = true;
        } else {
          return broken(errc::tampered, "the meta table holds a row kap never writes", std::nullopt);
        }
      }
      if (rc != SQLITE_DONE) return fail("reading the meta table", rc);
      if (!has_format) return broken(errc::tampered, "the meta row 'format' was deleted", std::nullopt);
    }

    // Protocols: each body must hash to its key.
    struct protocol_entry {
      std::string id;
      std::string version;
    };
    std::vector<std::pair<digest, protocol_entry>> protocols;
    {
      statement s;
      if (auto r = prepare(s, "SELECT sha256, id, version, body FROM protocols"); !r) return std::move(r).error();
      int rc = 0;
      while ((rc = s.step()) == SQLITE_ROW) {
        digest key{};
        const bool ok = to_digest(s.blob(0), key);
        if (!ok || !detail::journal::equal(key, sha.of(s.text(3)))) {
          return broken(errc::tampered,
                        "stored protocol " + std::string(s.text(1)) + " version " + std::string(s.text(2)) +
                            " does not match its SHA-256 (its text was changed)",
                        std::nullopt);
        }
        // The id and version columns are what readers show: they must be the hashed body's.
        auto body = json::read_protocol(s.text(3), stored_limits);
        if (!body) {
          return broken(errc::corrupt,
                        "stored protocol sha256 " + short_hex(key) + "... does not decode: " + body.error().message,
                        std::nullopt);
        }
        if (body->id.str() != s.text(1) || body->version != s.text(2)) {
          return broken(errc::tampered,
                        "stored protocol sha256 " + short_hex(key) +
                            "...: its id and version columns differ from the hashed protocol's (" + body->id.str() +
                            " version " + body->version + ")",
                        std::nullopt);
        }
        protocols.push_back({key, protocol_entry{std::string(s.text(1)), std::string(s.text(2))}});
      }
      if (rc != SQLITE_DONE) return fail("reading the protocols", rc);
    }

    // Sessions: each names a stored protocol, with matching id and version.
    struct session_entry {
      std::string name;
      digest sha{};
      std::uint64_t rows = 0;
    };
    std::unordered_map<std::int64_t, session_entry> sessions;
    {
      statement s;
      if (auto r = prepare(s, "SELECT sid, name, protocol_sha256, protocol_id, protocol_version FROM sessions"); !r) {
        return std::move(r).error();
      }
      int rc = 0;
      while ((rc = s.step()) == SQLITE_ROW) {
        session_entry en;
        en.name = std::string(s.text(1));
        const bool ok = to_digest(s.blob(2), en.sha);
        const auto p = std::find_if(protocols.begin(), protocols.end(),
                                    [&](const auto& x) { return ok && detail::journal::equal(x.first, en.sha); });
        if (p == protocols.end()) {
          return broken(errc::tampered, "session " + en.name + " names a protocol that is not stored in the file",
                        std::nullopt);
        }
        if (p->second.id != s.text(3) || p->second.version != s.text(4)) {
          return broken(errc::tampered,
                        "session " + en.name + ": its protocol id and version do not match the stored protocol",
                        std::nullopt);
        }
        sessions.emplace(s.int64(0), std::move(en));
      }
      if (rc != SQLITE_DONE) return fail("reading the sessions", rc);
    }

    // Rows: contiguous, chained, decodable and consistent with their columns.
    statement s;
    if (auto r = prepare(s, "SELECT seq, session, event_id, outcome, code, decision, event, hash, mac FROM events "
                            "ORDER BY seq");
        !r) {
      return std::move(r).error();
    }
    digest prev{};
    digest prev_mac{};
    std::uint64_t expected = 1;
    std::optional<digest> anchored;
    std::string canonical;
    int rc = 0;
    while ((rc = s.step()) == SQLITE_ROW) {
      const auto seq = static_cast<std::uint64_t>(s.int64(0));
      if (seq != expected) {
        if (seq > expected) {
          return broken(errc::tampered,
                        expected == 1 ? "row 1 is missing: the first row is " + std::to_string(seq) +
                                            " (rows were deleted)"
                                      : "row " + std::to_string(expected) + " is missing: rows jump from " +
                                            std::to_string(expected - 1) + " to " + std::to_string(seq) +
                                            " (a row was deleted)",
                        expected);
        }
        return broken(errc::tampered, "row " + std::to_string(seq) + " is out of sequence", seq);
      }
      const auto sess = sessions.find(s.int64(1));
      if (sess == sessions.end()) {
        return broken(errc::tampered, "row " + std::to_string(seq) + " belongs to no stored session", seq);
      }
      const std::string where = "row " + std::to_string(seq) + " (session " + sess->second.name + ", event " +
                                std::string(s.text(2)).substr(0, 64) + ")";
      digest stored_hash{};
      if (!to_digest(s.blob(7), stored_hash)) {
        return broken(errc::tampered, where + ": the stored hash is not 32 bytes", seq);
      }
      const std::string_view decision_text = s.text(5);
      const std::string_view event_text_v = s.text(6);
      const digest hash =
          detail::journal::row_hash(sha, prev, seq, sess->second.name, sess->second.sha, decision_text, event_text_v);
      if (!detail::journal::equal(hash, stored_hash)) {
        return broken(errc::tampered,
                      where + ": the hash does not match the row: this row, or the hash of the row before it, "
                              "was changed after it was written",
                      seq);
      }
      digest stored_mac{};
      const bool has_mac = !s.is_null(8);
      if (has_mac) {
        ++rep.rows_with_mac;
        if (!to_digest(s.blob(8), stored_mac)) {
          return broken(errc::tampered, where + ": the stored HMAC is not 32 bytes", seq);
        }
      }
      if (mac) {
        if (!has_mac) return broken(errc::tampered, where + ": the row has no HMAC (it was written without the key)", seq);
        if (!detail::journal::equal(detail::journal::row_mac(*mac, prev_mac, hash), stored_mac)) {
          return broken(errc::tampered,
                        where + ": the HMAC does not match: the row was changed and the plain chain recomputed, "
                                "or the row was written with another key",
                        seq);
        }
      }
      // The hash holds; now the row must decode to what its columns say.
      auto e = json::read_event(event_text_v, stored_limits);
      if (!e) return broken(errc::corrupt, where + ": the stored event does not decode: " + e.error().message, seq);
      canonical = json::write_event(*e);
      if (canonical != event_text_v) {
        return broken(errc::corrupt, where + ": the stored event is not in canonical form", seq);
      }
      if (e->id.str() != s.text(2) || e->session.str() != sess->second.name) {
        return broken(errc::tampered, where + ": the event's id or session differs from the row's columns", seq);
      }
      auto d = detail::journal::read_decision(decision_text, e->id);
      if (!d) return broken(errc::corrupt, where + ": the stored decision does not decode: " + d.error().message, seq);
      const bool code_matches = s.is_null(4) ? !d->code : (d->code && to_string(*d->code) == s.text(4));
      if (enum_name(d->outcome) != s.text(3) || !code_matches) {
        return broken(errc::tampered, where + ": the outcome or code column differs from the hashed decision", seq);
      }
      if (options.anchor && options.anchor->seq == seq) anchored = stored_hash;
      ++sess->second.rows;
      prev = stored_hash;
      prev_mac = stored_mac;
      rep.rows = seq;
      rep.head_seq = seq;
      ++expected;
    }
    if (rc != SQLITE_DONE) {
      if (detail::journal::code_for(rc) == errc::corrupt) {
        return broken(errc::corrupt, detail::journal::describe(rc, db), expected);
      }
      return fail("reading the rows", rc);
    }
    if (rep.head_seq > 0) rep.head_hash = detail::journal::to_hex(prev);
    // A session is stored with its first row, in one transaction: one without rows was inserted,
    // or its rows deleted, after the fact. The lowest sid first, so the answer is deterministic.
    {
      std::optional<std::int64_t> empty;
      for (const auto& [sid, en] : sessions) {
        if (en.rows == 0 && (!empty || sid < *empty)) empty = sid;
      }
      if (empty) {
        return broken(errc::tampered,
                      "session " + sessions.at(*empty).name +
                          " has no rows (a session is stored only with its first event: it was inserted, or its "
                          "rows deleted, afterwards)",
                      std::nullopt);
      }
    }
    // The key check and the HMACs go together: a journal started with a key has both.
    if (has_key_check && rep.rows_with_mac != rep.rows) {
      return broken(errc::tampered,
                    "the meta row 'hmac_check' is present but " + std::to_string(rep.rows - rep.rows_with_mac) +
                        " rows carry no HMAC (a key check was added to a journal started without a key)",
                    std::nullopt);
    }
    if (!has_key_check && rep.rows_with_mac > 0) {
      return broken(errc::tampered,
                    "the meta row 'hmac_check' was deleted: " + std::to_string(rep.rows_with_mac) +
                        " rows carry an HMAC",
                    std::nullopt);
    }
    rep.macs_checked = mac != nullptr;
    if (options.anchor) {
      digest want{};
      if (!detail::journal::from_hex(options.anchor->hash, want)) {
        return problem(errc::invalid_id, "the anchor hash must be 64 hex digits");
      }
      if (!anchored) {
        return broken(errc::tampered,
                      "row " + std::to_string(options.anchor->seq) +
                          " of the anchor no longer exists: rows were removed from the end",
                      options.anchor->seq);
      }
      if (!detail::journal::equal(*anchored, want)) {
        return broken(errc::tampered,
                      "row " + std::to_string(options.anchor->seq) +
                          " no longer carries the anchored hash: the chain was recomputed after the anchor was taken",
                      options.anchor->seq);
      }
    }
    note(log_level::info, "verified " + std::to_string(rep.rows) + " rows" + (rep.macs_checked ? " with HMAC" : ""));
    return rep;
  }
};

// --- sqlite_journal -------------------------------------------------------------------------------

result<sqlite_journal> sqlite_journal::open(const std::string& path, journal_options options) {
  auto p = std::make_unique<impl>();
  p->path = path;
  p->opt = std::move(options);
  if (!p->sha.ok()) return p->problem(errc::io_error, "OpenSSL cannot provide SHA-256");

  if (p->opt.read_only) {
    if (auto r = p->open_read_only(); !r) return std::move(r).error();
  } else if (auto r = p->open_for_writing(); !r) {
    return std::move(r).error();
  }
  if (auto r = p->setup_key(); !r) return std::move(r).error();
  if (auto r = p->prepare_all(); !r) return std::move(r).error();

  if (p->opt.protocol) {
    auto body = json::write_protocol(p->opt.protocol->definition());
    if (!body) {
      return p->problem(errc::unsupported_schema, "a journal needs a protocol it can store as JSON: " +
                                                      body.error().message);
    }
    p->protocol_body = std::move(*body);
    p->protocol_digest = p->sha.of(p->protocol_body);
  }
  p->note(log_level::debug, std::string("opened (") +
                                (p->opt.read_only ? std::string("read-only")
                                                  : std::string(p->opt.durability == durability::full ? "full" : "normal") +
                                                        " durability") +
                                (p->keyed_file ? ", keyed" : "") + ")");
  return sqlite_journal(std::move(p));
}

/// Opens (creating when allowed) for appending: WAL mode, the durability, the schema brought up to date.
result<void> sqlite_journal::impl::open_for_writing() {
  impl* const p = this;
  if (!p->opt.create) {
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) return p->problem(errc::io_error, "no such file");
  }
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE;
  if (p->opt.create) flags |= SQLITE_OPEN_CREATE;
  if (const int rc = sqlite3_open_v2(path.c_str(), &p->db, flags, nullptr); rc != SQLITE_OK) {
    return p->fail("opening", rc);
  }
  sqlite3_busy_timeout(p->db, static_cast<int>(std::clamp<std::int64_t>(p->opt.busy_timeout.count(), 0, 1 << 30)));

  // The header: SQLite reads it here, so a damaged or truncated file fails now, with the file named.
  if (auto v = p->scalar("PRAGMA user_version", "reading the file header"); !v) return std::move(v).error();

  // WAL mode: readers never block the writer, and a commit is one append to the -wal file.
  {
    statement s;
    if (const int rc = s.prepare(p->db, "PRAGMA journal_mode = WAL"); rc != SQLITE_OK) {
      return p->fail("switching to WAL mode", rc);
    }
    const int rc = s.step();
    if (rc != SQLITE_ROW) return p->fail("switching to WAL mode", rc);
    if (s.text(0) != "wal") {
      return p->problem(errc::io_error, "cannot switch to WAL mode (the journal mode stays " +
                                            std::string(s.text(0)) + ")");
    }
  }
  const char* sync = p->opt.durability == durability::full ? "PRAGMA synchronous = FULL" : "PRAGMA synchronous = NORMAL";
  if (auto r = p->exec(sync, "setting the durability"); !r) return std::move(r).error();

  return p->migrate();
}

sqlite_journal::sqlite_journal(std::unique_ptr<impl> p) noexcept : impl_(std::move(p)) {}
sqlite_journal::sqlite_journal(sqlite_journal&& other) noexcept = default;
sqlite_journal& sqlite_journal::operator=(sqlite_journal&& other) noexcept = default;
sqlite_journal::~sqlite_journal() = default;

const std::string& sqlite_journal::path() const noexcept { return impl_->path; }
bool sqlite_journal::keyed() const noexcept { return impl_->keyed_file; }

result<std::vector<append_result>> sqlite_journal::do_append(std::span<const event> events) {
  return impl_->append(events);
}
result<std::vector<journal_entry>> sqlite_journal::do_read(const session_id& id) { return impl_->read(id); }
result<std::vector<session_info>> sqlite_journal::do_sessions() { return impl_->sessions(); }
result<replay_report> sqlite_journal::do_replay(const session_id& id, std::shared_ptr<const validated_protocol> protocol) {
  return impl_->replay(id, std::move(protocol));
}
result<verify_report> sqlite_journal::do_verify(const verify_options& options) { return impl_->verify(options); }

}  // namespace kap
