// Tamper evidence: edits made through the SQLite C API, a recomputed plain chain, keys, anchors,
// and damaged files. Every failure names the file and the row.
#include <kap/journal/sqlite_journal.hpp>

#include "journal_helpers.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace {

using namespace kap;
using kap::test::appending;
using kap::test::open_journal;
using kap::test::raw_db;
using kap::test::temp_journal;

std::vector<unsigned char> key_bytes(const std::string& s) { return {s.begin(), s.end()}; }

/// A journal of both scenarios (55 rows), optionally keyed.
void fill(const std::string& path, std::vector<unsigned char> key = {}) {
  auto opt = appending(durability::normal);
  opt.hmac_key = std::move(key);
  auto j = open_journal(path, opt);
  for (const auto& name : {"full-session", "limits-and-early-discharge"}) {
    for (const auto& e : test::scenario(name)) {
      auto r = j.append(e);
      if (!r) throw std::runtime_error(r.error().message);
    }
  }
}

verify_report verify(const std::string& path, std::vector<unsigned char> key = {}, verify_options options = {}) {
  journal_options opt;
  opt.create = false;
  opt.hmac_key = std::move(key);
  auto j = open_journal(path, opt);
  auto r = j.verify(options);
  if (!r) throw std::runtime_error(r.error().message);
  return *r;
}

TEST(JournalTamper, AnIntactJournalVerifies) {
  temp_journal f("intact");
  fill(f.path());
  const auto rep = verify(f.path());
  EXPECT_TRUE(rep.intact);
  EXPECT_EQ(rep.rows, 55U);
  EXPECT_EQ(rep.head_seq, 55U);
  EXPECT_EQ(rep.head_hash.size(), 64U);
  EXPECT_FALSE(rep.macs_checked);
  EXPECT_EQ(rep.rows_with_mac, 0U);
  EXPECT_FALSE(rep.failure);
}

TEST(JournalTamper, TheChainIsTheDocumentedOne) {
  temp_journal f("documented");
  fill(f.path());
  const std::string head = verify(f.path()).head_hash;
  {
    raw_db db(f.path());
    test::documented_chain::rewrite(db, 1);  // recomputed from scratch by an independent implementation
  }
  const auto rep = verify(f.path());
  EXPECT_TRUE(rep.intact) << (rep.failure ? rep.failure->message : "");
  EXPECT_EQ(rep.head_hash, head);
}

TEST(JournalTamper, OneChangedByteNamesTheRow) {
  temp_journal f("byte");
  fill(f.path());
  {
    raw_db db(f.path());
    std::string text = db.text("SELECT event FROM events WHERE seq = ?1", 15);
    const auto pos = text.find("\"mg\":50");
    ASSERT_NE(pos, std::string::npos);
    text[pos + 5] = '9';  // 50 mg -> 90 mg
    db.set_event_column("event", 15, text);
  }
  const auto rep = verify(f.path());
  EXPECT_FALSE(rep.intact);
  EXPECT_EQ(rep.broken_seq, 15U);
  ASSERT_TRUE(rep.failure);
  EXPECT_EQ(rep.failure->code, errc::tampered);
  EXPECT_EQ(rep.failure->message,
            f.path() + ": row 15 (session S-1, event e-15): the hash does not match the row: this row, or the hash of "
                       "the row before it, was changed after it was written");
}

TEST(JournalTamper, AChangedDecisionNamesTheRow) {
  temp_journal f("decision");
  fill(f.path());
  {
    raw_db db(f.path());
    db.exec("UPDATE events SET outcome = 'accepted', code = NULL, decision = '{\"outcome\":\"accepted\"}' "
            "WHERE seq = 3");
  }
  const auto rep = verify(f.path());
  EXPECT_EQ(rep.broken_seq, 3U);
  ASSERT_TRUE(rep.failure);
  EXPECT_EQ(rep.failure->code, errc::tampered);
  EXPECT_EQ(rep.failure->message.rfind(f.path() + ": row 3 (session S-1, event e-03): the hash does not match", 0), 0U)
      << rep.failure->message;
}

// A stored decision whose code names no errc is refused when read, quoting the code as kap's
// messages quote a value (cut to 40 bytes), with the file and the row.
TEST(JournalTamper, AStoredDecisionWithAnUnknownCodeIsRefusedOnRead) {
  temp_journal f("decision-code");
  fill(f.path());
  {
    raw_db db(f.path());
    db.exec("UPDATE events SET decision = "
            "'{\"outcome\":\"rejected\",\"code\":\"no_such_code_at_all_in_kap_and_longer_than_forty\"}' "
            "WHERE seq = 3");
  }
  journal_options opt;
  opt.create = false;
  auto j = open_journal(f.path(), opt);
  const auto rows = j.read(session_id{"S-1"});
  ASSERT_FALSE(rows);
  EXPECT_EQ(rows.error().code, errc::corrupt);
  EXPECT_EQ(rows.error().message,
            f.path() + ": row 3 (session S-1): the stored decision does not decode: /code: unknown code "
                       "\"no_such_code_at_all_in_kap_and_longer_th...\"");
}

TEST(JournalTamper, ADeletedRowIsNamed) {
  temp_journal f("delete");
  fill(f.path());
  {
    raw_db db(f.path());
    db.exec("DELETE FROM events WHERE seq = 20");
  }
  const auto rep = verify(f.path());
  EXPECT_FALSE(rep.intact);
  EXPECT_EQ(rep.broken_seq, 20U);
  ASSERT_TRUE(rep.failure);
  EXPECT_EQ(rep.failure->code, errc::tampered);
  EXPECT_EQ(rep.failure->message, f.path() + ": row 20 is missing: rows jump from 19 to 21 (a row was deleted)");

  // Renumbering the rows after the gap does not help: the chain breaks at the renumbered row.
  {
    raw_db db(f.path());
    db.exec("UPDATE events SET seq = seq - 1 WHERE seq > 20");
  }
  const auto again = verify(f.path());
  EXPECT_EQ(again.broken_seq, 20U);
  EXPECT_EQ(again.failure->code, errc::tampered);
  EXPECT_EQ(again.failure->message.rfind(f.path() + ": row 20 (session S-1, event e-21): the hash does not match", 0),
            0U)
      << again.failure->message;
}

TEST(JournalTamper, DeletingTheFirstRowIsNamed) {
  temp_journal f("delete-first");
  fill(f.path());
  {
    raw_db db(f.path());
    db.exec("DELETE FROM events WHERE seq = 1");
  }
  const auto rep = verify(f.path());
  EXPECT_EQ(rep.broken_seq, 1U);
  EXPECT_EQ(rep.failure->code, errc::tampered);
  EXPECT_EQ(rep.failure->message, f.path() + ": row 1 is missing: the first row is 2 (rows were deleted)");
}

TEST(JournalTamper, ASwappedProtocolIsDetected) {
  temp_journal f("protocol");
  fill(f.path());
  {
    raw_db db(f.path());
    db.exec("UPDATE protocols SET body = replace(body, '\"version\":\"1\"', '\"version\":\"1 \"')");
  }
  const auto rep = verify(f.path());
  EXPECT_FALSE(rep.intact);
  EXPECT_FALSE(rep.broken_seq);
  EXPECT_EQ(rep.failure->code, errc::tampered);
  EXPECT_EQ(rep.failure->message,
            f.path() + ": stored protocol test-im version 1 does not match its SHA-256 (its text was changed)");

  auto j = open_journal(f.path(), {});
  auto replayed = j.replay(session_id{"S-1"});
  ASSERT_FALSE(replayed);
  EXPECT_EQ(replayed.error().code, errc::tampered);
  EXPECT_EQ(replayed.error().message,
            f.path() + ": the stored protocol of session S-1 does not match its SHA-256 (its text was changed)");
}

TEST(JournalTamper, ARecomputedPlainChainPassesWithoutAKeyButNotWithOne) {
  temp_journal f("keyed");
  const auto key = key_bytes("correct horse battery staple");
  fill(f.path(), key);
  EXPECT_TRUE(verify(f.path(), key).macs_checked);
  EXPECT_EQ(verify(f.path(), key).rows_with_mac, 55U);
  const std::string anchor_hash = verify(f.path()).head_hash;

  // An attacker with write access but no key edits row 12 and recomputes the plain chain.
  {
    raw_db db(f.path());
    std::string text = db.text("SELECT event FROM events WHERE seq = ?1", 12);
    const auto pos = text.find("\"systolic\":132");
    ASSERT_NE(pos, std::string::npos);
    text.replace(pos, 14, "\"systolic\":122");
    db.set_event_column("event", 12, text);
    test::documented_chain::rewrite(db, 12);
  }
  // The plain chain cannot tell (that is what a plain chain can and cannot do) ...
  const auto plain = verify(f.path());
  EXPECT_TRUE(plain.intact);
  EXPECT_FALSE(plain.macs_checked);
  // ... the keyed chain can ...
  const auto keyed = verify(f.path(), key);
  EXPECT_FALSE(keyed.intact);
  EXPECT_EQ(keyed.broken_seq, 12U);
  EXPECT_EQ(keyed.failure->code, errc::tampered);
  EXPECT_EQ(keyed.failure->message,
            f.path() + ": row 12 (session S-1, event e-12): the HMAC does not match: the row was changed and the "
                       "plain chain recomputed, or the row was written with another key");
  // ... and so can a head hash exported before the edit.
  const auto anchored = verify(f.path(), {}, verify_options{chain_anchor{55, anchor_hash}});
  EXPECT_FALSE(anchored.intact);
  EXPECT_EQ(anchored.broken_seq, 55U);
  EXPECT_EQ(anchored.failure->code, errc::tampered);
  EXPECT_EQ(anchored.failure->message,
            f.path() + ": row 55 no longer carries the anchored hash: the chain was recomputed after the anchor "
                       "was taken");
}

TEST(JournalTamper, AnAnchorCatchesRowsRemovedFromTheEnd) {
  temp_journal f("anchor");
  fill(f.path());
  const std::string head = verify(f.path()).head_hash;
  EXPECT_TRUE(verify(f.path(), {}, verify_options{chain_anchor{55, head}}).intact);
  {
    raw_db db(f.path());
    db.exec("DELETE FROM events WHERE seq > 50");
  }
  EXPECT_TRUE(verify(f.path()).intact);  // a shorter chain is still a chain
  const auto rep = verify(f.path(), {}, verify_options{chain_anchor{55, head}});
  EXPECT_FALSE(rep.intact);
  EXPECT_EQ(rep.broken_seq, 55U);
  EXPECT_EQ(rep.failure->message,
            f.path() + ": row 55 of the anchor no longer exists: rows were removed from the end");
}

TEST(JournalTamper, KeysAreChecked) {
  temp_journal f("keys");
  const auto key = key_bytes("0123456789abcdef0123");
  fill(f.path(), key);

  journal_options wrong = appending();
  wrong.hmac_key = key_bytes("not the key, but long enough");
  auto j = sqlite_journal::open(f.path(), wrong);
  ASSERT_FALSE(j);
  EXPECT_EQ(j.error().code, errc::unauthorized);
  EXPECT_EQ(j.error().message, f.path() + ": the key is not this journal's key (its key check value differs: a "
                                          "wrong key, or the keyed chain was replaced)");

  auto keyless = open_journal(f.path(), appending());  // reading and plain verification need no key
  EXPECT_TRUE(keyless.keyed());
  EXPECT_TRUE(keyless.verify({})->intact);
  auto e = test::monitoring_session("S-5", 0).front();
  auto r = keyless.append(e);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, errc::unauthorized);
  EXPECT_EQ(r.error().message, f.path() + ": this journal is keyed: appending needs its HMAC key");

  journal_options short_key = appending();
  short_key.hmac_key = key_bytes("short");
  auto s = sqlite_journal::open(f.path(), short_key);
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code, errc::out_of_range);
  EXPECT_EQ(s.error().message, f.path() + ": an HMAC key must be at least 16 bytes; this one has 5");
}

TEST(JournalTamper, AKeyCannotBeAddedToAJournalWithRows) {
  temp_journal f("late-key");
  fill(f.path());
  journal_options opt = appending();
  opt.hmac_key = key_bytes("0123456789abcdef0123");
  auto j = sqlite_journal::open(f.path(), opt);
  ASSERT_FALSE(j);
  EXPECT_EQ(j.error().code, errc::unauthorized);
  EXPECT_EQ(j.error().message, f.path() + ": this journal was started without a key (or its key check was removed); "
                                          "a key cannot be added to a journal that holds rows");
}

// --- what readers show: protocol labels, sessions without rows, the meta table ---------------------

/// verify through a read-only connection, as kapctl's read commands open the file.
verify_report verify_labels(const std::string& path, std::vector<unsigned char> key = {}) {
  journal_options opt;
  opt.read_only = true;
  opt.hmac_key = std::move(key);
  auto j = open_journal(path, opt);
  auto r = j.verify({});
  if (!r) throw std::runtime_error(r.error().message);
  return *r;
}

void expect_tampered(const verify_report& rep, const std::string& message) {
  EXPECT_FALSE(rep.intact);
  EXPECT_FALSE(rep.broken_seq);
  ASSERT_TRUE(rep.failure);
  EXPECT_EQ(rep.failure->code, errc::tampered);
  EXPECT_EQ(rep.failure->message, message);
}

TEST(JournalTamper, ProtocolLabelsChangedTogetherAreDetected) {
  for (const char* column : {"id", "version"}) {
    temp_journal f(std::string("labels-") + column);
    fill(f.path());
    const std::string sha = [&] {
      raw_db db(f.path());
      return db.text("SELECT lower(hex(sha256)) FROM protocols");
    }();
    {
      raw_db db(f.path());
      // Both tables, consistently: `journal sessions` would now report another protocol.
      db.exec(std::string("UPDATE protocols SET ") + column + " = 'other'");
      db.exec(std::string("UPDATE sessions SET protocol_") + column + " = 'other'");
    }
    auto j = open_journal(f.path(), {});
    ASSERT_EQ(std::string(column) == "id" ? j.sessions()->front().protocol.str() : j.sessions()->front().protocol_version,
              "other");
    expect_tampered(verify_labels(f.path()),
                    f.path() + ": stored protocol sha256 " + sha.substr(0, 12) +
                        "...: its id and version columns differ from the hashed protocol's (test-im version 1)");
  }
}

TEST(JournalTamper, SessionLabelsChangedAloneAreDetected) {
  temp_journal f("session-labels");
  fill(f.path());
  {
    raw_db db(f.path());
    db.exec("UPDATE sessions SET protocol_version = '2' WHERE name = 'S-2'");
  }
  expect_tampered(verify_labels(f.path()),
                  f.path() + ": session S-2: its protocol id and version do not match the stored protocol");
}

TEST(JournalTamper, ASessionWithoutRowsIsDetected) {
  temp_journal f("empty-session");
  fill(f.path());
  {
    raw_db db(f.path());
    db.exec("INSERT INTO sessions(name, protocol_sha256, protocol_id, protocol_version) "
            "SELECT 'S-9', protocol_sha256, protocol_id, protocol_version FROM sessions WHERE name = 'S-1'");
  }
  expect_tampered(verify_labels(f.path()),
                  f.path() + ": session S-9 has no rows (a session is stored only with its first event: it was "
                             "inserted, or its rows deleted, afterwards)");
}

TEST(JournalTamper, AChangedOrDeletedMetaRowIsDetected) {
  const std::pair<const char*, const char*> cases[] = {
      {"UPDATE meta SET value = 'kap.journal/2' WHERE name = 'format'",
       ": the meta row 'format' was changed (it must be kap.journal/1)"},
      {"DELETE FROM meta WHERE name = 'format'", ": the meta row 'format' was deleted"},
      {"INSERT INTO meta(name, value) VALUES ('note', 'x')", ": the meta table holds a row kap never writes"},
      {"INSERT INTO meta(name, value) VALUES ('hmac_check', zeroblob(32))",
       ": the meta row 'hmac_check' is present but 55 rows carry no HMAC (a key check was added to a journal "
       "started without a key)"},
  };
  int n = 0;
  for (const auto& [sql, message] : cases) {
    temp_journal f("meta-" + std::to_string(++n));
    fill(f.path());
    {
      raw_db db(f.path());
      db.exec(sql);
    }
    expect_tampered(verify_labels(f.path()), f.path() + message);
  }
}

TEST(JournalTamper, ADeletedKeyCheckIsDetectedWithoutTheKey) {
  temp_journal f("meta-key");
  const auto key = key_bytes("0123456789abcdef0123");
  fill(f.path(), key);
  {
    raw_db db(f.path());
    db.exec("DELETE FROM meta WHERE name = 'hmac_check'");
  }
  expect_tampered(verify_labels(f.path()),
                  f.path() + ": the meta row 'hmac_check' was deleted: 55 rows carry an HMAC");
  // With the key, the open itself refuses (nothing to check the key against), and writes nothing.
  journal_options opt;
  opt.read_only = true;
  opt.hmac_key = key;
  auto j = sqlite_journal::open(f.path(), opt);
  ASSERT_FALSE(j);
  EXPECT_EQ(j.error().code, errc::unauthorized);
  raw_db db(f.path());
  EXPECT_EQ(db.text("SELECT count(*) FROM meta WHERE name = 'hmac_check'"), "0");
}

TEST(JournalTamper, AnEditedKeyCheckIsRefusedWithTheKey) {
  temp_journal f("meta-key-edit");
  const auto key = key_bytes("0123456789abcdef0123");
  fill(f.path(), key);
  {
    raw_db db(f.path());
    db.exec("UPDATE meta SET value = zeroblob(32) WHERE name = 'hmac_check'");
  }
  journal_options opt;
  opt.read_only = true;
  opt.hmac_key = key;
  auto j = sqlite_journal::open(f.path(), opt);
  ASSERT_FALSE(j);
  EXPECT_EQ(j.error().code, errc::unauthorized);
  EXPECT_EQ(j.error().message, f.path() + ": the key is not this journal's key (its key check value differs: a wrong "
                                          "key, or the keyed chain was replaced)");
  {
    raw_db db(f.path());
    db.exec("UPDATE meta SET value = zeroblob(31) WHERE name = 'hmac_check'");
  }
  opt.hmac_key.clear();
  auto damaged = sqlite_journal::open(f.path(), opt);  // even without the key, the open refuses it
  ASSERT_FALSE(damaged);
  EXPECT_EQ(damaged.error().code, errc::corrupt);
  EXPECT_EQ(damaged.error().message, f.path() + ": the HMAC key check value is damaged");
}

// --- damaged files -----------------------------------------------------------------------------------

TEST(JournalCorrupt, ADamagedHeaderNamesTheFile) {
  temp_journal f("header");
  fill(f.path());
  {
    std::fstream io(f.path(), std::ios::in | std::ios::out | std::ios::binary);
    io.seekp(0);
    io.write("SQLite format 4", 15);  // the magic string of the header
  }
  auto j = sqlite_journal::open(f.path(), {});
  ASSERT_FALSE(j);
  EXPECT_EQ(j.error().code, errc::corrupt);
  EXPECT_EQ(j.error().message, f.path() + ": reading the file header: not a SQLite database, or its header is "
                                          "damaged (file is not a database)");
}

TEST(JournalCorrupt, ATruncatedFileNamesTheFile) {
  temp_journal f("truncated");
  {
    auto j = open_journal(f.path(), appending(durability::normal));
    const auto events = test::monitoring_session("S-3", 400);
    ASSERT_TRUE(j.append(std::span<const event>(events)));
  }  // closing checkpoints the WAL into the file
  const auto size = std::filesystem::file_size(f.path());
  ASSERT_GT(size, 64U * 1024U);
  std::filesystem::resize_file(f.path(), size / 2);
  auto j = sqlite_journal::open(f.path(), {});
  ASSERT_FALSE(j);
  EXPECT_EQ(j.error().code, errc::corrupt);
  EXPECT_EQ(j.error().message.rfind(f.path() + ": reading the file header: the file is damaged or truncated (", 0), 0U)
      << j.error().message;
}

TEST(JournalCorrupt, ADamagedPageIsReportedByVerify) {
  temp_journal f("page");
  {
    auto j = open_journal(f.path(), appending(durability::normal));
    const auto events = test::monitoring_session("S-3", 400);
    ASSERT_TRUE(j.append(std::span<const event>(events)));
  }
  const auto size = std::filesystem::file_size(f.path());
  {
    // Scribble over a page in the middle of the file (not the header).
    std::fstream io(f.path(), std::ios::in | std::ios::out | std::ios::binary);
    io.seekp(static_cast<std::streamoff>(size / 2 / 4096 * 4096));
    const std::string junk(4096, '\x5A');
    io.write(junk.data(), static_cast<std::streamsize>(junk.size()));
  }
  journal_options opt;
  opt.create = false;
  auto j = sqlite_journal::open(f.path(), opt);
  ASSERT_TRUE(j) << j.error().message;  // the header is fine ...
  auto rep = j->verify({});             // ... the page is not
  ASSERT_TRUE(rep);
  EXPECT_FALSE(rep->intact);
  ASSERT_TRUE(rep->failure);
  EXPECT_EQ(rep->failure->code, errc::corrupt);
  EXPECT_EQ(rep->failure->message.rfind(f.path() + ": ", 0), 0U) << rep->failure->message;
  // Reading the session fails loudly rather than returning part of it.
  auto rows = j->read(session_id{"S-3"});
  if (!rows) {
    EXPECT_EQ(rows.error().code, errc::corrupt);
    EXPECT_EQ(rows.error().message.rfind(f.path() + ": ", 0), 0U) << rows.error().message;
  } else {
    EXPECT_EQ(rows->size(), test::monitoring_session("S-3", 400).size())
        << "a damaged file must never yield a partial session";
  }
}

}  // namespace
