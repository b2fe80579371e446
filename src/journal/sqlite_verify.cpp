// verify(): the whole file checked against its chain, one step per part of the file - its pages,
// the meta table, the protocols, the sessions, the rows - and then what must hold between them
// (see sqlite_journal_impl.hpp).

#include "sqlite_journal_impl.hpp"

#include "codec.hpp"

#include <kap/core/enum_name.hpp>
#include <kap/json.hpp>

#include <sqlite3.h>

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace kap {

// --- verifying ------------------------------------------------------------------------------

/// One run of verify(): the report so far, what the steps found that later steps use, and the
/// steps. A step answers nothing to go on, or verify's answer: the report of a broken journal
/// (`broken`) or an error.
struct sqlite_journal::impl::verify_scan {
  /// A step's answer: empty to go on to the next step.
  using stop = std::optional<result<verify_report>>;

  struct protocol_entry {
    std::string id;
    std::string version;
  };
  struct session_entry {
    std::string name;
    digest sha{};
    std::uint64_t rows = 0;
  };

  impl& self;
  const verify_options& options;
  verify_report rep;
  bool has_key_check = false;                                // the meta table holds one
  std::vector<std::pair<digest, protocol_entry>> protocols;  // by the SHA-256 of their body
  std::unordered_map<std::int64_t, session_entry> sessions;  // by sid
  std::optional<digest> anchored;                            // the hash of the anchor's row

  verify_scan(impl& owner, const verify_options& opts) : self(owner), options(opts) {}

  stop broken(errc code, const std::string& what, std::optional<std::uint64_t> seq) {
    rep.intact = false;
    rep.broken_seq = seq;
    rep.failure = self.problem(code, what);
    self.note(log_level::warn, "verify failed: " + std::string(to_string(code)) +
                                   (seq ? " at row " + std::to_string(*seq) : std::string()));
    return rep;
  }

  stop check_pages();
  stop check_meta();
  stop check_protocols();
  stop check_sessions();
  stop check_rows();
  stop check_no_empty_session();
  stop check_key_check_and_macs();
  stop check_anchor();
};

result<verify_report> sqlite_journal::impl::verify(const verify_options& options) {
  verify_scan scan(*this, options);
  if (auto done = scan.check_pages()) return std::move(*done);

  // One read transaction, so the scan sees one state of the file.
  if (auto r = exec("BEGIN", "starting a read"); !r) return std::move(r).error();
  struct end_read {
    impl& self;
    ~end_read() { (void)self.exec("COMMIT", "ending the read"); }
  } end{*this};

  if (auto done = scan.check_meta()) return std::move(*done);
  if (auto done = scan.check_protocols()) return std::move(*done);
  if (auto done = scan.check_sessions()) return std::move(*done);
  if (auto done = scan.check_rows()) return std::move(*done);
  if (auto done = scan.check_no_empty_session()) return std::move(*done);
  if (auto done = scan.check_key_check_and_macs()) return std::move(*done);
  scan.rep.macs_checked = mac != nullptr;
  if (auto done = scan.check_anchor()) return std::move(*done);
  note(log_level::info,
       "verified " + std::to_string(scan.rep.rows) + " rows" + (scan.rep.macs_checked ? " with HMAC" : ""));
  return std::move(scan.rep);
}

// Pages first: a damaged file is reported as such, not as a broken chain.
auto sqlite_journal::impl::verify_scan::check_pages() -> stop {
  statement check;
  if (const int rc = check.prepare(self.db, "PRAGMA quick_check(1)"); rc != SQLITE_OK) {
    if (detail::journal::code_for(rc) == errc::corrupt) {
      return broken(errc::corrupt, detail::journal::describe(rc, self.db), std::nullopt);
    }
    return self.fail("checking the file", rc);
  }
  const int rc = check.step();
  if (rc == SQLITE_ROW) {
    const std::string_view res = check.text(0);
    if (res != "ok") return broken(errc::corrupt, "the file is damaged: " + std::string(res), std::nullopt);
  } else if (detail::journal::code_for(rc) == errc::corrupt) {
    return broken(errc::corrupt, detail::journal::describe(rc, self.db), std::nullopt);
  } else {
    return self.fail("checking the file", rc);
  }
  return std::nullopt;
}

// Meta: exactly the format row, and the key check when keyed (checked against the rows' HMACs below).
auto sqlite_journal::impl::verify_scan::check_meta() -> stop {
  statement m;
  if (auto r = self.prepare(m, "SELECT name, value FROM meta ORDER BY name"); !r) return std::move(r).error();
  bool has_format = false;
  int rc = 0;
  while ((rc = m.step()) == SQLITE_ROW) {
    const std::string_view name = m.text(0);
    if (name == "format") {
      if (m.text(1) != "kap.journal/1") {
        return broken(errc::tampered, "the meta row 'format' was changed (it must be kap.journal/1)", std::nullopt);
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
  if (rc != SQLITE_DONE) return self.fail("reading the meta table", rc);
  if (!has_format) return broken(errc::tampered, "the meta row 'format' was deleted", std::nullopt);
  return std::nullopt;
}

// Protocols: each body must hash to its key.
auto sqlite_journal::impl::verify_scan::check_protocols() -> stop {
  statement s;
  if (auto r = self.prepare(s, "SELECT sha256, id, version, body FROM protocols"); !r) return std::move(r).error();
  int rc = 0;
  while ((rc = s.step()) == SQLITE_ROW) {
    digest key{};
    const bool ok = to_digest(s.blob(0), key);
    if (!ok || !detail::journal::equal(key, self.sha.of(s.text(3)))) {
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
  if (rc != SQLITE_DONE) return self.fail("reading the protocols", rc);
  return std::nullopt;
}

// Sessions: each names a stored protocol, with matching id and version.
auto sqlite_journal::impl::verify_scan::check_sessions() -> stop {
  statement s;
  if (auto r = self.prepare(s, "SELECT sid, name, protocol_sha256, protocol_id, protocol_version FROM sessions"); !r) {
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
  if (rc != SQLITE_DONE) return self.fail("reading the sessions", rc);
  return std::nullopt;
}

// Rows: contiguous, chained, decodable and consistent with their columns.
auto sqlite_journal::impl::verify_scan::check_rows() -> stop {
  statement s;
  if (auto r = self.prepare(s, "SELECT seq, session, event_id, outcome, code, decision, event, hash, mac FROM events "
                               "ORDER BY seq");
      !r) {
    return std::move(r).error();
  }
  digest prev{};
  digest prev_mac{};
  std::uint64_t expected = 1;
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
    const digest hash = detail::journal::row_hash(self.sha, prev, seq, sess->second.name, sess->second.sha,
                                                  decision_text, event_text_v);
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
    if (self.mac) {
      if (!has_mac) return broken(errc::tampered, where + ": the row has no HMAC (it was written without the key)", seq);
      if (!detail::journal::equal(detail::journal::row_mac(*self.mac, prev_mac, hash), stored_mac)) {
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
      return broken(errc::corrupt, detail::journal::describe(rc, self.db), expected);
    }
    return self.fail("reading the rows", rc);
  }
  if (rep.head_seq > 0) rep.head_hash = detail::journal::to_hex(prev);
  return std::nullopt;
}

// A session is stored with its first row, in one transaction: one without rows was inserted,
// or its rows deleted, after the fact. The lowest sid first, so the answer is deterministic.
auto sqlite_journal::impl::verify_scan::check_no_empty_session() -> stop {
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
  return std::nullopt;
}

// The key check and the HMACs go together: a journal started with a key has both.
auto sqlite_journal::impl::verify_scan::check_key_check_and_macs() -> stop {
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
  return std::nullopt;
}

// The anchor (verify_options::anchor): its row still exists and still carries its hash.
auto sqlite_journal::impl::verify_scan::check_anchor() -> stop {
  if (!options.anchor) return std::nullopt;
  digest want{};
  if (!detail::journal::from_hex(options.anchor->hash, want)) {
    return self.problem(errc::invalid_id, "the anchor hash must be 64 hex digits");
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
  return std::nullopt;
}

}  // namespace kap
