// The sessions a connection holds in memory, and appending: each event decided by its session's
// engine and stored as one chained row (see sqlite_journal_impl.hpp).

#include "sqlite_journal_impl.hpp"

#include "codec.hpp"

#include <kap/core/enum_name.hpp>
#include <kap/json.hpp>

#include <sqlite3.h>

#include <algorithm>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace kap {

namespace {

/// The event's type name, for log lines (never its payload).
std::string_view type_name(const event& e) { return wire_name(e.type()); }

}  // namespace

// --- sessions in memory ---------------------------------------------------------------------------

/// Applies the session's rows after `L.last_seq` to its engine.
result<void> sqlite_journal::impl::catch_up(live_session& L, const std::string& name) {
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
result<void> sqlite_journal::impl::check_protocol(const std::string& name, std::span<const unsigned char> stored_sha,
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
result<bool> sqlite_journal::impl::lookup(live_session& L, const std::string& name) {
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
void sqlite_journal::impl::evict_one() {
  if (live.size() < std::max<std::size_t>(opt.cache_sessions, 1)) return;
  auto victim = live.end();
  for (auto it = live.begin(); it != live.end(); ++it) {
    if (it->second.used < tick && (victim == live.end() || it->second.used < victim->second.used)) victim = it;
  }
  if (victim != live.end()) live.erase(victim);
}

/// The live session for `name`, created (and loaded from the file) when first used. Outside
/// a write transaction: the write transaction catches up with anything appended meanwhile.
result<sqlite_journal::impl::live_session*> sqlite_journal::impl::session_for(const session_id& id) {
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

result<sqlite_journal::impl::head> sqlite_journal::impl::read_tail() {
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

result<void> sqlite_journal::impl::ensure_protocol_row() {
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

result<void> sqlite_journal::impl::create_session(live_session& L, const std::string& name) {
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
result<append_result> sqlite_journal::impl::duplicate_of(const event& e, const live_session& L, std::uint64_t seq,
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

void sqlite_journal::impl::touch(std::vector<std::string>& touched, const std::string& name) {
  if (touched.empty() || touched.back() != name) touched.push_back(name);
}

/// Decides and stores one event inside the open write transaction.
result<append_result> sqlite_journal::impl::append_one(const event& e, head& h, std::vector<std::string>& touched) {
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
void sqlite_journal::impl::forget(const std::vector<std::string>& touched) {
  for (const auto& name : touched) live.erase(name);
  known_tail = 0;
  cached_head.reset();
  protocol_row_written = false;
}

result<std::vector<append_result>> sqlite_journal::impl::append(std::span<const event> events) {
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

}  // namespace kap
