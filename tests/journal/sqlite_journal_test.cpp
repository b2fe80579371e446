// kap::sqlite_journal: appending with decisions, duplicates, reading back, listing sessions,
// replaying, protocol identity, busy handling and the schema's versions.
#include <kap/journal/sqlite_journal.hpp>

#include "journal_helpers.hpp"

#include <kap/json.hpp>

#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <string>
#include <tuple>
#include <vector>

namespace {

using namespace kap;
using kap::test::appending;
using kap::test::open_journal;
using kap::test::raw_db;
using kap::test::temp_journal;

std::vector<append_result> append_all(sqlite_journal& j, const std::vector<event>& events) {
  std::vector<append_result> out;
  for (const auto& e : events) {
    auto r = j.append(e);
    if (!r) throw std::runtime_error(r.error().message);
    out.push_back(std::move(*r));
  }
  return out;
}

TEST(SqliteJournal, AppendStoresEveryAttemptWithTheEnginesDecision) {
  temp_journal f("append");
  auto j = open_journal(f.path(), appending());
  const auto events = test::scenario("full-session");
  const auto acks = append_all(j, events);

  // The same events through a bare session give the same decisions, row by row.
  session reference(test::test_protocol(), session_id{"S-1"});
  for (std::size_t i = 0; i < events.size(); ++i) {
    EXPECT_EQ(acks[i].seq, i + 1);
    EXPECT_TRUE(acks[i].stored);
    EXPECT_EQ(acks[i].decision, reference.apply(events[i])) << events[i].id.str();
  }
  auto rows = j.read(session_id{"S-1"});
  ASSERT_TRUE(rows) << rows.error().message;
  ASSERT_EQ(rows->size(), events.size());  // rejected attempts are stored too
  std::size_t rejected = 0;
  for (std::size_t i = 0; i < events.size(); ++i) {
    EXPECT_EQ((*rows)[i].seq, i + 1);
    EXPECT_EQ((*rows)[i].event, events[i]);
    EXPECT_EQ((*rows)[i].decision, acks[i].decision);
    EXPECT_EQ((*rows)[i].canonical, json::write_event(events[i]));
    rejected += (*rows)[i].decision.outcome == outcome::rejected ? 1U : 0U;
  }
  EXPECT_EQ(rejected, 4U);  // e-03, e-11, e-14 and e-26 in the reviewed scenario
}

TEST(SqliteJournal, RoundTripExportReproducesTheCanonicalInput) {
  temp_journal f("roundtrip");
  {
    auto j = open_journal(f.path(), appending());
    append_all(j, test::scenario("full-session"));
    append_all(j, test::scenario("limits-and-early-discharge"));
  }
  auto j = open_journal(f.path(), {});  // reopened, without a protocol: reading needs none
  for (const auto& [sid, name] : {std::pair{"S-1", "full-session"}, std::pair{"S-2", "limits-and-early-discharge"}}) {
    auto rows = j.read(session_id{sid});
    ASSERT_TRUE(rows) << rows.error().message;
    std::vector<std::string> got;
    for (const auto& r : *rows) got.push_back(r.canonical);
    EXPECT_EQ(got, test::canonical_lines(test::scenario(name))) << sid;
  }
}

TEST(SqliteJournal, ARetryOfARejectedEventAnswersTheStoredRejection) {
  temp_journal f("retry-rejected");
  auto j = open_journal(f.path(), appending());
  const auto events = test::scenario("full-session");
  std::vector<append_result> first;
  for (const auto& e : events) {
    auto r = j.append(e);
    ASSERT_TRUE(r) << r.error().message;
    first.push_back(*r);
  }
  ASSERT_EQ(first[2].decision.outcome, outcome::rejected);  // e-03 was stored as rejected
  ASSERT_FALSE(first[2].duplicate);

  auto again = j.append(events[2]);  // a client that lost the acknowledgement sends it again
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_TRUE(again->duplicate);
  EXPECT_FALSE(again->stored);
  EXPECT_EQ(again->seq, 3U);
  EXPECT_EQ(again->decision, first[2].decision);  // outcome, code, message, unmet and alerts
  EXPECT_EQ(again->decision.outcome, outcome::rejected);
  EXPECT_EQ(again->decision.code, errc::requirement_unmet);
  EXPECT_EQ(again->decision.message,
            "cannot move to preparation: relative contraindication uncontrolled_hypertension needs a recorded override");
  EXPECT_EQ(j.read(session_id{"S-1"})->size(), events.size());  // nothing was written

  // A second connection (as after a restart) answers the same from the file.
  auto other = open_journal(f.path(), appending());
  auto later = other.append(events[2]);
  ASSERT_TRUE(later) << later.error().message;
  EXPECT_TRUE(later->duplicate);
  EXPECT_EQ(later->seq, 3U);
  EXPECT_EQ(later->decision, first[2].decision);
  EXPECT_EQ(other.read(session_id{"S-1"})->size(), events.size());
}

TEST(SqliteJournal, ARetryOfAnAcceptedEventAnswersTheStoredAcceptance) {
  temp_journal f("retry-accepted");
  auto j = open_journal(f.path(), appending());
  const auto events = test::scenario("full-session");
  std::vector<append_result> first;
  for (const auto& e : events) first.push_back(*j.append(e));
  // Every accepted row, retried on this connection and on a fresh one, answers what it got.
  auto other = open_journal(f.path(), appending());
  for (std::size_t i = 0; i < events.size(); ++i) {
    for (auto* conn : {&j, &other}) {
      auto again = conn->append(events[i]);
      ASSERT_TRUE(again) << again.error().message;
      EXPECT_TRUE(again->duplicate) << i;
      EXPECT_FALSE(again->stored) << i;
      EXPECT_EQ(again->seq, first[i].seq) << i;
      EXPECT_EQ(again->decision, first[i].decision) << i;
      EXPECT_NE(again->decision.outcome, outcome::duplicate) << i;
    }
  }
  EXPECT_EQ(j.read(session_id{"S-1"})->size(), events.size());
  auto rep = j.replay(session_id{"S-1"});
  ASSERT_TRUE(rep);
  EXPECT_TRUE(rep->consistent());
}

TEST(SqliteJournal, ARetryInsideOneBatchAnswersTheRowOfTheSameBatch) {
  temp_journal f("retry-batch");
  auto j = open_journal(f.path(), appending());
  const auto events = test::scenario("full-session");
  const std::vector<event> batch{events[0], events[1], events[2], events[2], events[1]};
  auto r = j.append(batch);
  ASSERT_TRUE(r) << r.error().message;
  ASSERT_EQ(r->size(), 5U);
  EXPECT_TRUE((*r)[3].duplicate);
  EXPECT_EQ((*r)[3].seq, 3U);
  EXPECT_EQ((*r)[3].decision, (*r)[2].decision);
  EXPECT_TRUE((*r)[4].duplicate);
  EXPECT_EQ((*r)[4].decision, (*r)[1].decision);
  EXPECT_EQ(j.read(session_id{"S-1"})->size(), 3U);
}

TEST(SqliteJournal, TheSameIdWithOtherContentIsAConflictNeverASecondRow) {
  temp_journal f("dup");
  auto j = open_journal(f.path(), appending());
  const auto events = test::scenario("full-session");
  append_all(j, events);
  for (const std::size_t i : {std::size_t{2}, std::size_t{4}}) {  // stored rejected, stored accepted
    event changed = events[i];
    changed.at += minutes{1};
    auto conflict = j.append(changed);
    ASSERT_TRUE(conflict);
    EXPECT_FALSE(conflict->stored);
    EXPECT_FALSE(conflict->duplicate);
    EXPECT_EQ(conflict->seq, i + 1);
    EXPECT_EQ(conflict->decision.outcome, outcome::rejected);
    EXPECT_EQ(conflict->decision.code, errc::conflicting_duplicate);
    EXPECT_EQ(conflict->decision.message, "event id " + changed.id.str() + " is already stored as row " +
                                              std::to_string(i + 1) + " with different content; nothing was written");
  }
  EXPECT_EQ(j.read(session_id{"S-1"})->size(), events.size());
}

TEST(SqliteJournal, AReopenedJournalContinuesTheSessionsState) {
  temp_journal f("reopen");
  const auto events = test::scenario("full-session");
  {
    auto j = open_journal(f.path(), appending());
    append_all(j, std::vector<event>(events.begin(), events.begin() + 15));
  }
  auto j = open_journal(f.path(), appending());
  session reference(test::test_protocol(), session_id{"S-1"});
  for (std::size_t i = 0; i < 15; ++i) (void)reference.apply(events[i]);
  for (std::size_t i = 15; i < events.size(); ++i) {
    auto r = j.append(events[i]);
    ASSERT_TRUE(r) << r.error().message;
    EXPECT_EQ(r->decision, reference.apply(events[i])) << events[i].id.str();
  }
}

TEST(SqliteJournal, BatchAppendIsOneTransaction) {
  temp_journal f("batch");
  auto j = open_journal(f.path(), appending(durability::normal));
  const auto events = test::monitoring_session("S-9", 120);
  auto acks = j.append(std::span<const event>(events));
  ASSERT_TRUE(acks) << acks.error().message;
  ASSERT_EQ(acks->size(), events.size());
  EXPECT_EQ(acks->back().seq, events.size());
  auto list = j.sessions();
  ASSERT_TRUE(list);
  ASSERT_EQ(list->size(), 1U);
  EXPECT_EQ((*list)[0].events, events.size());
  EXPECT_EQ((*list)[0].accepted + (*list)[0].rejected, events.size());
  EXPECT_GT((*list)[0].rejected, 0U);
}

TEST(SqliteJournal, SessionsRecordTheirProtocol) {
  temp_journal f("sessions");
  auto j = open_journal(f.path(), appending());
  append_all(j, test::scenario("full-session"));
  append_all(j, test::scenario("limits-and-early-discharge"));
  auto list = j.sessions();
  ASSERT_TRUE(list) << list.error().message;
  ASSERT_EQ(list->size(), 2U);
  const auto sha = protocol_sha256(test::test_protocol()->definition());
  ASSERT_TRUE(sha);
  EXPECT_EQ(sha->size(), 64U);
  EXPECT_EQ((*list)[0], (session_info{session_id{"S-1"}, protocol_id{"test-im"}, "1", *sha, 30, 26, 4, 1, 30}));
  EXPECT_EQ((*list)[1].id, session_id{"S-2"});
  EXPECT_EQ((*list)[1].first_seq, 31U);
  EXPECT_EQ((*list)[1].last_seq, 55U);
  EXPECT_EQ((*list)[1].events, 25U);
  EXPECT_EQ(json::to_string((*list)[0]),
            R"({"id":"S-1","protocol":"test-im","protocol_version":"1","protocol_sha256":")" + *sha +
                R"(","events":30,"accepted":26,"rejected":4,"first_seq":1,"last_seq":30})");
}

TEST(SqliteJournal, ReplayRederivesEveryDecision) {
  temp_journal f("replay");
  {
    auto j = open_journal(f.path(), appending());
    append_all(j, test::scenario("full-session"));
  }
  auto j = open_journal(f.path(), {});
  // Under the protocol stored in the file...
  auto rep = j.replay(session_id{"S-1"});
  ASSERT_TRUE(rep) << rep.error().message;
  EXPECT_TRUE(rep->consistent());
  EXPECT_EQ(rep->accepted, 26U);
  EXPECT_EQ(rep->rejected, 4U);
  EXPECT_EQ(rep->session->phase(), "discharge");
  EXPECT_TRUE(rep->session->closed());
  // ... and under the same protocol offered by the caller: the same state.
  auto again = j.replay(session_id{"S-1"}, test::test_protocol());
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_EQ(again->session->snapshot(), rep->session->snapshot());

  session reference(test::test_protocol(), session_id{"S-1"});
  for (const auto& e : test::scenario("full-session")) (void)reference.apply(e);
  EXPECT_EQ(rep->session->snapshot(), reference.snapshot());
}

TEST(SqliteJournal, ReplayReportsAStoredDecisionThatDiffers) {
  temp_journal f("replay-diff");
  {
    auto j = open_journal(f.path(), appending());
    append_all(j, test::scenario("full-session"));
  }
  {
    raw_db db(f.path());  // as an older engine, or an edit, would have left it
    db.set_event_column("decision", 3, R"({"outcome":"accepted"})");
  }
  auto j = open_journal(f.path(), {});
  auto rep = j.replay(session_id{"S-1"});
  ASSERT_TRUE(rep) << rep.error().message;
  ASSERT_EQ(rep->differences.size(), 1U);
  const auto& d = rep->differences[0];
  EXPECT_EQ(d.seq, 3U);
  EXPECT_EQ(d.event, event_id{"e-03"});
  EXPECT_EQ(d.stored.outcome, outcome::accepted);
  EXPECT_EQ(d.derived.outcome, outcome::rejected);
  EXPECT_EQ(d.derived.code, errc::requirement_unmet);
  EXPECT_FALSE(rep->consistent());
}

TEST(SqliteJournal, AnotherProtocolIsRefused) {
  temp_journal f("mismatch");
  {
    auto j = open_journal(f.path(), appending());
    append_all(j, test::scenario("full-session"));
  }
  auto other_def = test::test_protocol()->definition();
  other_def.version = "2";
  auto other = std::make_shared<const validated_protocol>(validate(other_def).value());
  const std::string stored_sha = protocol_sha256(test::test_protocol()->definition()).value().substr(0, 12);
  const std::string offered_sha = protocol_sha256(other_def).value().substr(0, 12);

  auto j = open_journal(f.path(), {});
  auto rep = j.replay(session_id{"S-1"}, other);
  ASSERT_FALSE(rep);
  EXPECT_EQ(rep.error().code, errc::protocol_mismatch);
  EXPECT_EQ(rep.error().message, f.path() + ": session S-1 was recorded under protocol test-im version 1 (sha256 " +
                                     stored_sha + "...); refusing to replay it under test-im version 2 (sha256 " +
                                     offered_sha + "...)");

  // Appending to the session under the other protocol is refused too; a new session is fine.
  journal_options opt;
  opt.protocol = other;
  auto w = open_journal(f.path(), opt);
  auto e = test::scenario("full-session").back();
  e.id = event_id{"e-99"};
  auto r = w.append(e);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, errc::protocol_mismatch);
  EXPECT_EQ(r.error().message, f.path() + ": session S-1 runs under protocol test-im version 1 (sha256 " + stored_sha +
                                   "...), not test-im version 2 (sha256 " + offered_sha + "...)");
  auto fresh = w.append(test::monitoring_session("S-7", 1).front());
  ASSERT_TRUE(fresh) << fresh.error().message;
  EXPECT_EQ(j.sessions()->back().protocol_version, "2");
}

TEST(SqliteJournal, ErrorsNameTheSessionAndTheFile) {
  temp_journal f("errors");
  auto j = open_journal(f.path(), {});
  auto rows = j.read(session_id{"S-404"});
  ASSERT_FALSE(rows);
  EXPECT_EQ(rows.error().code, errc::unknown_session);
  EXPECT_EQ(rows.error().message, f.path() + ": no session S-404");
  auto rep = j.replay(session_id{"S-404"});
  ASSERT_FALSE(rep);
  EXPECT_EQ(rep.error().code, errc::unknown_session);

  auto r = j.append(test::scenario("full-session").front());
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, errc::invalid_protocol);
  EXPECT_EQ(r.error().message, f.path() + ": the journal was opened without a protocol; appending needs one "
                                          "(journal_options::protocol)");
}

TEST(SqliteJournal, MissingFileIsNotCreatedForReading) {
  const std::string path = "/tmp/kap-journal-test-does-not-exist.db";
  std::filesystem::remove(path);
  journal_options opt;
  opt.create = false;
  auto j = sqlite_journal::open(path, opt);
  ASSERT_FALSE(j);
  EXPECT_EQ(j.error().code, errc::io_error);
  EXPECT_EQ(j.error().message, path + ": no such file");
  EXPECT_FALSE(std::filesystem::exists(path));
}

TEST(SqliteJournal, TwoConnectionsTakeTurnsOnOneFile) {
  temp_journal f("turns");
  auto a = open_journal(f.path(), appending(durability::normal));
  auto b = open_journal(f.path(), appending(durability::normal));
  const auto one = test::monitoring_session("S-A", 20);
  const auto two = test::monitoring_session("S-B", 20);
  const auto same = test::monitoring_session("S-C", 20);
  std::uint64_t seq = 0;
  for (std::size_t i = 0; i < one.size(); ++i) {
    // Each connection sees the other's rows: the sequence and the chain continue across them.
    auto r1 = a.append(one[i]);
    ASSERT_TRUE(r1) << r1.error().message;
    EXPECT_EQ(r1->seq, ++seq);
    auto r2 = b.append(two[i]);
    ASSERT_TRUE(r2) << r2.error().message;
    EXPECT_EQ(r2->seq, ++seq);
    // Both append to one session in turn: each decides on the other's rows too.
    auto r3 = (i % 2 == 0 ? a : b).append(same[i]);
    ASSERT_TRUE(r3) << r3.error().message;
    EXPECT_TRUE(r3->stored);
    EXPECT_EQ(r3->seq, ++seq);
  }
  auto rep = a.verify({});
  ASSERT_TRUE(rep);
  EXPECT_TRUE(rep->intact) << rep->failure->message;
  EXPECT_EQ(rep->rows, seq);
  EXPECT_TRUE(b.replay(session_id{"S-C"})->consistent());
  auto dup = b.append(same[2]);  // stored through the other connection
  ASSERT_TRUE(dup);
  EXPECT_TRUE(dup->duplicate);
  EXPECT_NE(dup->decision.outcome, outcome::duplicate);
}

TEST(SqliteJournal, BusyLockFailsCleanlyAfterTheTimeout) {
  temp_journal f("busy");
  auto opt = appending(durability::normal);
  opt.busy_timeout = std::chrono::milliseconds{50};
  auto j = open_journal(f.path(), opt);
  const auto events = test::scenario("full-session");
  ASSERT_TRUE(j.append(events[0]));
  {
    raw_db holder(f.path());
    holder.exec("BEGIN IMMEDIATE");  // another writer holds the write lock
    auto r = j.append(events[1]);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, errc::io_error);
    EXPECT_EQ(r.error().message, f.path() + ": locking the file to append: another writer holds the lock for longer "
                                            "than the busy timeout (database is locked)");
    holder.exec("ROLLBACK");
  }
  auto r = j.append(events[1]);  // the failed attempt left nothing behind
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->seq, 2U);
  EXPECT_TRUE(j.verify({})->intact);
}

// --- schema versions -------------------------------------------------------------------------------

TEST(JournalSchema, AnEmptyFileIsMigratedToTheCurrentVersion) {
  temp_journal f("v0-empty");
  { std::ofstream(f.path()).flush(); }  // 0 bytes: a new file
  ASSERT_EQ(std::filesystem::file_size(f.path()), 0U);
  {
    auto j = open_journal(f.path(), appending());
    ASSERT_TRUE(j.append(test::scenario("full-session").front()));
  }
  raw_db db(f.path());
  EXPECT_EQ(db.text("SELECT CAST(user_version AS TEXT) FROM pragma_user_version"), "1");
  EXPECT_EQ(db.text("SELECT CAST(application_id AS TEXT) FROM pragma_application_id"),
            std::to_string(sqlite_journal::application_id));
  EXPECT_EQ(db.text("SELECT value FROM meta WHERE name = 'format'"), "kap.journal/1");
  EXPECT_EQ(db.text("SELECT name FROM sqlite_schema WHERE name = 'events_by_session'"),
            "events_by_session");
}

TEST(JournalSchema, AVersionZeroSqliteFileIsMigrated) {
  temp_journal f("v0-sqlite");
  {
    sqlite3* db = nullptr;  // a SQLite file with a header, no tables and user_version 0
    ASSERT_EQ(sqlite3_open(f.path().c_str(), &db), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(db, "CREATE TABLE t(x); DROP TABLE t;", nullptr, nullptr, nullptr), SQLITE_OK);
    sqlite3_close(db);
  }
  ASSERT_GT(std::filesystem::file_size(f.path()), 0U);
  {
    auto j = open_journal(f.path(), appending());
    ASSERT_TRUE(j.append(test::scenario("full-session").front()));
    EXPECT_TRUE(j.verify({})->intact);
  }
  raw_db db(f.path());
  EXPECT_EQ(db.text("SELECT CAST(user_version AS TEXT) FROM pragma_user_version"), "1");
}

TEST(JournalSchema, AFutureVersionIsRefused) {
  temp_journal f("future");
  { auto j = open_journal(f.path(), {}); }
  {
    raw_db db(f.path());
    db.exec("PRAGMA user_version = 7");
  }
  auto j = sqlite_journal::open(f.path(), {});
  ASSERT_FALSE(j);
  EXPECT_EQ(j.error().code, errc::unsupported_schema);
  EXPECT_EQ(j.error().message,
            f.path() + ": journal schema version 7 is newer than this kap understands (up to 1)");
}

TEST(JournalSchema, AnotherSqliteDatabaseIsRefused) {
  temp_journal f("foreign");
  {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(f.path().c_str(), &db), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(db, "CREATE TABLE patients(name TEXT)", nullptr, nullptr, nullptr), SQLITE_OK);
    sqlite3_close(db);
  }
  auto j = sqlite_journal::open(f.path(), {});
  ASSERT_FALSE(j);
  EXPECT_EQ(j.error().code, errc::unsupported_schema);
  EXPECT_EQ(j.error().message,
            f.path() + ": not a kap journal: a SQLite database with other tables and no kap schema version");

  {
    raw_db db(f.path());
    db.exec("PRAGMA user_version = 1");  // claims a version but is not ours
  }
  auto k = sqlite_journal::open(f.path(), {});
  ASSERT_FALSE(k);
  EXPECT_EQ(k.error().code, errc::unsupported_schema);
  EXPECT_EQ(k.error().message, f.path() + ": not a kap journal (SQLite application_id 0, a kap journal has 1801547882)");
}

}  // namespace

// Events built in C++ are not bound by the wire limits of kap::json::event_read_limits; the
// journal reads its own rows back under larger limits and refuses, before the engine sees it,
// an event too large to read back.
TEST(SqliteJournal, LargeEventsBuiltInCppReadBackAndHugeOnesAreRefused) {
  temp_journal f("large");
  const auto stream = test::scenario("full-session");
  event small = stream.front();
  small.id = event_id{"note-1"};
  small.body = events::note{std::string(20000, 'n')};  // over the 8 KiB string limit for wire events
  event huge = small;
  huge.id = event_id{"note-2"};
  huge.body = events::note{std::string(std::size_t{17} << 20, 'h')};
  {
    auto j = open_journal(f.path(), appending());
    auto first = j.append(stream.front());
    ASSERT_TRUE(first) << first.error().message;
    auto r = j.append(small);
    ASSERT_TRUE(r) << r.error().message;
    auto big = j.append(huge);
    ASSERT_FALSE(big);
    EXPECT_EQ(big.error().code, errc::too_large);
    EXPECT_NE(big.error().message.find("over the journal's limit of 16777216 bytes"), std::string::npos)
        << big.error().message;
  }
  auto j = open_journal(f.path(), appending());
  auto rows = j.read(session_id{"S-1"});
  ASSERT_TRUE(rows) << rows.error().message;
  ASSERT_EQ(rows->size(), 2U);
  EXPECT_EQ((*rows)[1].event, small);
  auto v = j.verify();
  ASSERT_TRUE(v) << v.error().message;
  EXPECT_TRUE(v->intact);
  EXPECT_EQ(v->rows, 2U);
  // The session goes on after a reopen (the stored rows were read back into the engine).
  auto next = j.append(stream[1]);
  ASSERT_TRUE(next) << next.error().message;
  EXPECT_EQ(next->seq, 3U);
}

// An event built in C++ can hold what no reader accepts back: a NaN or negative amount, an enum
// value without a name, an instant after 9999, invalid UTF-8, an id with a space. Stored (even as
// rejected), such a row left the session unreadable for good (read, replay and verify failed on
// it); the journal now refuses it with the reader's code and message and writes nothing.
TEST(SqliteJournal, EventsTheReaderWouldRefuseAreNotStored) {
  temp_journal f("unreadable");
  const auto stream = test::scenario("full-session");
  const event first = stream.front();
  auto bad = [&](const std::string& id, auto change) {
    event e = first;
    e.id = event_id{id};
    change(e);
    return e;
  };
  const std::vector<std::tuple<event, errc, std::string>> cases{
      {bad("b-1", [](event& e) { e.body = events::dose{drug::ketamine, route::im, milligrams{std::nan("")}, std::nullopt}; }),
       errc::wrong_type, "event b-1 would not read back (/mg: expected a number, got null); nothing was written"},
      {bad("b-2", [](event& e) { e.body = events::vitals{std::nullopt, std::nullopt, std::nullopt, spo2_percent{-1}, std::nullopt}; }),
       errc::invalid_quantity, "event b-2 would not read back (/spo2: % value must not be negative); nothing was written"},
      {bad("b-3", [](event& e) { e.body = events::adverse_event{"nausea", static_cast<events::severity>(42), std::nullopt}; }),
       errc::wrong_type,
       "event b-3 would not read back (/severity: expected a severity name (string), got null); nothing was written"},
      {bad("b-4", [](event& e) { e.actor.role = static_cast<role>(40); }), errc::wrong_type,
       "event b-4 would not read back (/actor/role: expected a role name (string), got null); nothing was written"},
      {bad("b-5", [](event& e) { e.at = e.at + std::chrono::hours{24 * 366 * 8000}; }), errc::invalid_timestamp,
       "event b-5 would not read back (/at: \"10043-06-30T09:30:00Z\" is not an RFC 3339 timestamp: expected a date "
       "YYYY-MM-DD); nothing was written"},
      {bad("b-6", [](event& e) { e.body = events::note{std::string("caf\xe9")}; }), errc::parse_error,
       "event b-6 would not read back (invalid JSON at byte 138: syntax error); nothing was written"},
      {bad("b 7", [](event&) {}), errc::invalid_id,  // an invalid id is not repeated: it may hold free text
       "an event would not read back (/id: event id may only contain A-Z a-z 0-9 . _ : -); nothing was written"},
      // Optional values written as null read back as absent: the row would be another event.
      {bad("b-8", [](event& e) { e.body = events::vitals{mmhg{120}, mmhg{80}, bpm{std::nan("")}, std::nullopt, std::nullopt}; }),
       errc::wrong_type,
       "event b-8 would not read back as the same event (a value that is not a number, or an enum value without a "
       "name, is written as null); nothing was written"},
      {bad("b-9", [](event& e) {
         e.body = events::adverse_event{"nausea", events::severity::mild, static_cast<events::adverse_outcome>(42)};
       }),
       errc::wrong_type,
       "event b-9 would not read back as the same event (a value that is not a number, or an enum value without a "
       "name, is written as null); nothing was written"},
  };
  auto j = open_journal(f.path(), appending());
  ASSERT_TRUE(j.append(first));
  for (const auto& [e, code, message] : cases) {
    auto r = j.append(e);
    ASSERT_FALSE(r) << e.id.str();
    EXPECT_EQ(r.error().code, code) << r.error().message;
    EXPECT_EQ(r.error().message, message);
  }
  auto rows = j.read(session_id{"S-1"});
  ASSERT_TRUE(rows) << rows.error().message;
  EXPECT_EQ(rows->size(), 1U);
  auto v = j.verify();
  ASSERT_TRUE(v) << v.error().message;
  EXPECT_TRUE(v->intact);
  auto next = j.append(stream[1]);
  ASSERT_TRUE(next) << next.error().message;
  EXPECT_EQ(next->seq, 2U);
}
