// journal_options::read_only: reading never writes. The file's bytes, size and modification time
// stay the same through every read, a file that is not a journal is refused without being given a
// schema, a key is never recorded, the journal mode never changes, and append is refused.
#include <kap/journal/sqlite_journal.hpp>

#include "journal_helpers.hpp"

#include <gtest/gtest.h>

#include <sys/stat.h>

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

/// What must not change: the bytes, the size and the modification time (to the nanosecond).
struct ro_file_state {
  std::string bytes;
  std::uintmax_t size = 0;
  std::int64_t mtime_ns = 0;
  friend bool operator==(const ro_file_state&, const ro_file_state&) = default;
};

ro_file_state ro_snapshot(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) throw std::runtime_error("cannot stat " + path);
  return {test::slurp(path), static_cast<std::uintmax_t>(st.st_size),
          static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec};
}

journal_options ro_options(std::vector<unsigned char> key = {}) {
  journal_options o;
  o.read_only = true;
  o.hmac_key = std::move(key);
  return o;
}

void ro_fill(const std::string& path, std::vector<unsigned char> key = {}) {
  auto opt = appending(durability::normal);
  opt.hmac_key = std::move(key);
  auto j = open_journal(path, opt);
  for (const auto& name : {"full-session", "limits-and-early-discharge"}) {
    for (const auto& e : test::scenario(name)) {
      if (auto r = j.append(e); !r) throw std::runtime_error(r.error().message);
    }
  }
}

/// Every read the journal offers, each through its own read-only connection.
void ro_read_everything(const std::string& path) {
  auto j = open_journal(path, ro_options());
  auto rep = j.verify({});
  ASSERT_TRUE(rep) << rep.error().message;
  EXPECT_TRUE(rep->intact) << (rep->failure ? rep->failure->message : "");
  EXPECT_EQ(rep->rows, 55U);
  auto list = j.sessions();
  ASSERT_TRUE(list) << list.error().message;
  EXPECT_EQ(list->size(), 2U);
  for (const char* sid : {"S-1", "S-2"}) {
    auto rows = j.read(session_id{sid});
    ASSERT_TRUE(rows) << rows.error().message;
    auto replayed = j.replay(session_id{sid});
    ASSERT_TRUE(replayed) << replayed.error().message;
    EXPECT_TRUE(replayed->consistent());
  }
}

std::string ro_journal_mode(const std::string& path) {
  raw_db db(path);
  return db.text("PRAGMA journal_mode");
}

TEST(JournalReadOnly, AnEmptyFileIsCorruptAndStaysEmpty) {
  temp_journal f("ro-empty");
  { std::ofstream(f.path(), std::ios::binary); }
  const auto before = ro_snapshot(f.path());
  auto j = sqlite_journal::open(f.path(), ro_options());
  ASSERT_FALSE(j);
  EXPECT_EQ(j.error().code, errc::corrupt);
  EXPECT_EQ(j.error().message, f.path() + ": not a kap journal: the file is empty (0 bytes)");
  EXPECT_EQ(ro_snapshot(f.path()), before);
  EXPECT_EQ(std::filesystem::file_size(f.path()), 0U);
  EXPECT_FALSE(std::filesystem::exists(f.path() + "-wal"));
}

TEST(JournalReadOnly, AnEmptySqliteDatabaseAndAnotherDatabaseAreRefusedUnchanged) {
  temp_journal f("ro-other");
  { std::ofstream(f.path(), std::ios::binary); }
  {  // a SQLite file (with a header and pages) that holds no tables
    raw_db db(f.path());
    db.exec("CREATE TABLE scratch(a)");
    db.exec("DROP TABLE scratch");
  }
  ASSERT_GT(std::filesystem::file_size(f.path()), 0U);
  {
    const auto before = ro_snapshot(f.path());
    auto j = sqlite_journal::open(f.path(), ro_options());
    ASSERT_FALSE(j);
    EXPECT_EQ(j.error().code, errc::corrupt);
    EXPECT_EQ(j.error().message, f.path() + ": not a kap journal: an empty SQLite database without kap's schema");
    EXPECT_EQ(ro_snapshot(f.path()), before);
  }
  { raw_db db(f.path()); db.exec("CREATE TABLE patients(name TEXT)"); }
  const auto before = ro_snapshot(f.path());
  auto j = sqlite_journal::open(f.path(), ro_options());
  ASSERT_FALSE(j);
  EXPECT_EQ(j.error().code, errc::unsupported_schema);
  EXPECT_EQ(j.error().message,
            f.path() + ": not a kap journal: a SQLite database with other tables and no kap schema version");
  EXPECT_EQ(ro_snapshot(f.path()), before);
}

TEST(JournalReadOnly, AMissingFileIsNotCreated) {
  temp_journal f("ro-missing");
  auto j = sqlite_journal::open(f.path(), ro_options());
  ASSERT_FALSE(j);
  EXPECT_EQ(j.error().code, errc::io_error);
  EXPECT_EQ(j.error().message, f.path() + ": no such file");
  EXPECT_FALSE(std::filesystem::exists(f.path()));
}

TEST(JournalReadOnly, EveryReadLeavesAWalJournalUnchanged) {
  temp_journal f("ro-wal");
  ro_fill(f.path());
  ASSERT_EQ(ro_journal_mode(f.path()), "wal");
  const auto before = ro_snapshot(f.path());
  ro_read_everything(f.path());
  EXPECT_EQ(ro_snapshot(f.path()), before);
}

TEST(JournalReadOnly, ADeleteModeJournalStaysInDeleteMode) {
  temp_journal f("ro-delete");
  ro_fill(f.path());
  { raw_db db(f.path()); db.exec("PRAGMA journal_mode = DELETE"); }
  ASSERT_EQ(ro_journal_mode(f.path()), "delete");
  const auto before = ro_snapshot(f.path());
  ro_read_everything(f.path());
  EXPECT_EQ(ro_snapshot(f.path()), before);
  EXPECT_EQ(ro_journal_mode(f.path()), "delete");
  EXPECT_FALSE(std::filesystem::exists(f.path() + "-wal"));
}

TEST(JournalReadOnly, AKeyIsNeverRecordedInAnUnkeyedJournal) {
  temp_journal f("ro-key");
  ro_fill(f.path());
  const auto before = ro_snapshot(f.path());
  const std::string k = "0123456789abcdef";
  auto j = sqlite_journal::open(f.path(), ro_options({k.begin(), k.end()}));
  ASSERT_FALSE(j);
  EXPECT_EQ(j.error().code, errc::unauthorized);
  EXPECT_EQ(j.error().message, f.path() +
                                   ": this journal was started without a key (or its key check was removed): there "
                                   "is no key check to test the key against; opened read-only, nothing was recorded");
  EXPECT_EQ(ro_snapshot(f.path()), before);
  // Still unkeyed: an append without a key goes on.
  auto w = open_journal(f.path(), appending());
  EXPECT_FALSE(w.keyed());
}

TEST(JournalReadOnly, AKeyIsNeverRecordedInAJournalWithoutRows) {
  temp_journal f("ro-key-empty");
  { auto w = open_journal(f.path(), appending()); }  // the schema, no rows: a key could still be added
  const auto before = ro_snapshot(f.path());
  const std::string k = "0123456789abcdef";
  auto j = sqlite_journal::open(f.path(), ro_options({k.begin(), k.end()}));
  ASSERT_FALSE(j);
  EXPECT_EQ(j.error().code, errc::unauthorized);
  EXPECT_EQ(ro_snapshot(f.path()), before);
  auto w = open_journal(f.path(), appending());
  EXPECT_FALSE(w.keyed());
  auto more = test::monitoring_session("S-9", 1);
  EXPECT_TRUE(w.append(more.front()));
}

TEST(JournalReadOnly, AKeyedJournalIsVerifiedWithItsKey) {
  temp_journal f("ro-keyed");
  const std::string k = "0123456789abcdef";
  ro_fill(f.path(), {k.begin(), k.end()});
  const auto before = ro_snapshot(f.path());
  auto j = open_journal(f.path(), ro_options({k.begin(), k.end()}));
  EXPECT_TRUE(j.keyed());
  auto rep = j.verify({});
  ASSERT_TRUE(rep);
  EXPECT_TRUE(rep->intact);
  EXPECT_TRUE(rep->macs_checked);
  const std::string wrong = "fedcba9876543210";
  auto w = sqlite_journal::open(f.path(), ro_options({wrong.begin(), wrong.end()}));
  ASSERT_FALSE(w);
  EXPECT_EQ(w.error().code, errc::unauthorized);
  EXPECT_EQ(ro_snapshot(f.path()), before);
}

TEST(JournalReadOnly, AppendIsRefusedAndWritesNothing) {
  temp_journal f("ro-append");
  ro_fill(f.path());
  const auto before = ro_snapshot(f.path());
  auto opt = ro_options();
  opt.protocol = test::test_protocol();
  auto j = open_journal(f.path(), opt);
  auto more = test::monitoring_session("S-9", 1);
  auto r = j.append(more.front());
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, errc::io_error);
  EXPECT_EQ(r.error().message,
            f.path() + ": the journal was opened read-only (journal_options::read_only); nothing was written");
  EXPECT_EQ(ro_snapshot(f.path()), before);
  EXPECT_EQ(j.sessions()->size(), 2U);
  // Replaying under the journal's own protocol works read-only (its digest is known).
  auto rep = j.replay(session_id{"S-1"}, test::test_protocol());
  ASSERT_TRUE(rep) << rep.error().message;
  EXPECT_TRUE(rep->consistent());
}

}  // namespace
