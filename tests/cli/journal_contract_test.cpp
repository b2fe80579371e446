// The journal's promises through the real kapctl executable (issue 20, items 2 and 5): a retried
// event answers its stored decision and exits as the first time did; read commands never write
// to the journal, whatever it is (a 0-byte file, an unkeyed journal given a key, a DELETE-mode
// journal, a journal on read-only media).
#include "command.hpp"

#include <kap/json.hpp>

#include "cli_helpers.hpp"

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#ifdef KAP_KAPCTL_EXE

namespace {

using kapctl::test::lines;
using kapctl::test::slurp;
using kapctl::test::spawn_kapctl;

const std::string contract_data = std::string(KAP_TEST_DATA_DIR) + "/journal/";
const std::string contract_protocol = std::string(KAP_TEST_DATA_DIR) + "/protocols/test-im.json";

/// The bytes, size and modification time of a file: what a read command must leave alone.
struct contract_file_state {
  std::string bytes;
  long long size = 0;
  long long mtime_ns = 0;
  friend bool operator==(const contract_file_state&, const contract_file_state&) = default;
};

contract_file_state contract_snapshot(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return {};
  return {slurp(path), static_cast<long long>(st.st_size),
          static_cast<long long>(st.st_mtim.tv_sec) * 1'000'000'000LL + st.st_mtim.tv_nsec};
}

/// A one-column answer from the file through SQLite (read-only).
std::string contract_pragma(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  std::string out;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
    sqlite3_stmt* s = nullptr;
    if (sqlite3_prepare_v2(db, sql.c_str(), -1, &s, nullptr) == SQLITE_OK && sqlite3_step(s) == SQLITE_ROW) {
      out = reinterpret_cast<const char*>(sqlite3_column_text(s, 0));
    }
    sqlite3_finalize(s);
  }
  sqlite3_close_v2(db);
  return out;
}

class JournalContract : public ::testing::Test {
 protected:
  void SetUp() override {
    bool built = false;
    for (const auto& c : kapctl::commands()) built = built || c.name == "journal";
    if (!built) GTEST_SKIP() << "kap was built without the journal (KAP_WITH_JOURNAL=OFF)";
    tag = "contract-" + std::to_string(::getpid()) + "-" + ::testing::UnitTest::GetInstance()->current_test_info()->name();
    db = "/tmp/kap-" + tag + ".db";
    clean();
  }
  void TearDown() override { clean(); }
  void clean() const {
    std::error_code ec;
    for (const char* s : {"", "-wal", "-shm", "-journal"}) std::filesystem::remove(db + s, ec);
  }
  /// Appends a file of events; returns what kapctl did.
  kapctl::test::spawned append(const std::string& events, const std::string& name) const {
    return spawn_kapctl({"journal", "append", db, "--protocol", contract_protocol, "--sync", "normal"}, tag + name,
                        events);
  }
  /// Every read command on `db`, each checked to leave the file as it was.
  void every_read_leaves_it_alone(const std::string& path, int want_status) const {
    const std::vector<std::vector<std::string>> reads{
        {"journal", "verify", path},        {"journal", "sessions", path},       {"journal", "export", path, "S-1"},
        {"journal", "replay", path, "S-1"}, {"report", "session", path, "S-1"}, {"fhir", path, "S-1", "--subject", "X-1"},
    };
    for (const auto& args : reads) {
      const auto before = contract_snapshot(path);
      const auto r = spawn_kapctl(args, tag + "-read");
      EXPECT_EQ(r.status, want_status) << args[0] << " " << args[1] << ": " << r.err;
      EXPECT_EQ(contract_snapshot(path), before) << args[0] << " " << args[1] << " changed the file";
    }
  }
  std::string tag;
  std::string db;
};

// --- item 2: the retry contract -------------------------------------------------------------------

TEST_F(JournalContract, ARetriedRejectionExitsOneWithTheStoredDecision) {
  const auto first = append(contract_data + "retry-first.jsonl", "-first");
  ASSERT_EQ(first.status, 1) << first.err;  // e-03 is rejected
  const auto acks = lines(first.out);
  ASSERT_EQ(acks.size(), 3U);
  auto stored = kap::json::parse(acks[2]).value().as_object();
  ASSERT_EQ(stored.at("decision"), "rejected");
  ASSERT_EQ(stored.at("code"), "requirement_unmet");
  ASSERT_FALSE(stored.contains("duplicate"));

  const auto retry = append(contract_data + "retry-rejected.jsonl", "-retry");
  EXPECT_EQ(retry.status, 1) << retry.err;  // as the first time, not 0
  const auto again = lines(retry.out);
  ASSERT_EQ(again.size(), 1U);
  auto want = stored;
  want["duplicate"] = true;
  EXPECT_EQ(kap::json::parse(again[0]).value().as_object(), want) << again[0];
  EXPECT_EQ(again[0].rfind(R"({"ack":"e-03","seq":3,"session":"S-1","decision":"rejected","duplicate":true,)"
                           R"("code":"requirement_unmet","message":"cannot move to preparation: )",
                           0),
            0U)
      << again[0];
  // Nothing was written: still three rows.
  const auto v = spawn_kapctl({"journal", "verify", db}, tag + "-verify");
  EXPECT_EQ(v.status, 0) << v.err;
  EXPECT_NE(v.out.find(R"("rows":3,)"), std::string::npos) << v.out;
}

TEST_F(JournalContract, ARetriedAcceptanceExitsZeroAndAConflictOne) {
  ASSERT_EQ(append(contract_data + "retry-first.jsonl", "-first").status, 1);
  const auto retry = append(contract_data + "retry-accepted.jsonl", "-accepted");
  EXPECT_EQ(retry.status, 0) << retry.err;
  EXPECT_EQ(retry.out,
            R"({"ack":"e-01","seq":1,"session":"S-1","decision":"accepted","duplicate":true,"unmet":[],"alerts":[]})"
            "\n");

  const auto conflict = append(contract_data + "retry-conflict.jsonl", "-conflict");
  EXPECT_EQ(conflict.status, 1) << conflict.err;
  EXPECT_EQ(conflict.out,
            R"({"ack":"e-01","seq":1,"session":"S-1","decision":"rejected","code":"conflicting_duplicate",)"
            R"("message":"event id e-01 is already stored as row 1 with different content; nothing was written",)"
            R"("unmet":[],"alerts":[]})"
            "\n");
}

// --- item 5: read commands never write ------------------------------------------------------------

TEST_F(JournalContract, AnEmptyFileIsCorruptForEveryReadAndStaysEmpty) {
  std::filesystem::copy_file(contract_data + "empty.db", db);
  every_read_leaves_it_alone(db, 1);
  EXPECT_EQ(std::filesystem::file_size(db), 0U);
  const auto v = spawn_kapctl({"journal", "verify", db}, tag + "-verify");
  EXPECT_EQ(v.status, 1);
  EXPECT_EQ(v.out, R"({"intact":false,"code":"corrupt","message":")" + db +
                       R"x(: not a kap journal: the file is empty (0 bytes)"})x"
                       "\n");
  const auto s = spawn_kapctl({"journal", "sessions", db}, tag + "-sessions");
  EXPECT_EQ(s.status, 1);
  EXPECT_EQ(s.out, "");
  EXPECT_NE(s.err.find(db + ": not a kap journal: the file is empty (0 bytes)"), std::string::npos) << s.err;
  EXPECT_EQ(std::filesystem::file_size(db), 0U);
}

TEST_F(JournalContract, VerifyWithAKeyNeverKeysAnUnkeyedJournal) {
  ASSERT_EQ(append("/dev/null", "-init").status, 0);  // a journal with its schema and no rows yet
  ASSERT_EQ(contract_pragma(db, "SELECT count(*) FROM events"), "0");
  const std::string key = "/tmp/kap-" + tag + ".key";
  { std::ofstream(key, std::ios::binary) << "0123456789abcdef0123"; }
  const auto before = contract_snapshot(db);
  const auto v = spawn_kapctl({"journal", "verify", db, "--key-file", key}, tag + "-verify");
  EXPECT_EQ(v.status, 1) << v.err;
  EXPECT_NE(v.out.find(R"("intact":false,"code":"unauthorized")"), std::string::npos) << v.out;
  EXPECT_NE(v.out.find("started without a key"), std::string::npos) << v.out;
  EXPECT_EQ(contract_snapshot(db), before);
  EXPECT_EQ(contract_pragma(db, "SELECT count(*) FROM meta WHERE name = 'hmac_check'"), "0");
  // Appends without a key still go on (before the fix, verify had keyed it and they were refused).
  const auto more = append(contract_data + "retry-accepted.jsonl", "-more");
  EXPECT_EQ(more.status, 0) << more.err;
  std::filesystem::remove(key);
}

TEST_F(JournalContract, ADeleteModeJournalIsReadWithoutChangingIt) {
  ASSERT_EQ(append(contract_data + "retry-first.jsonl", "-first").status, 1);
  {
    sqlite3* raw = nullptr;
    ASSERT_EQ(sqlite3_open_v2(db.c_str(), &raw, SQLITE_OPEN_READWRITE, nullptr), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(raw, "PRAGMA journal_mode = DELETE", nullptr, nullptr, nullptr), SQLITE_OK);
    sqlite3_close_v2(raw);
  }
  ASSERT_EQ(contract_pragma(db, "PRAGMA journal_mode"), "delete");
  every_read_leaves_it_alone(db, 0);
  EXPECT_EQ(contract_pragma(db, "PRAGMA journal_mode"), "delete");
  EXPECT_FALSE(std::filesystem::exists(db + "-wal"));
}

TEST_F(JournalContract, AWalJournalIsReadWithoutChangingIt) {
  ASSERT_EQ(append(contract_data + "retry-first.jsonl", "-first").status, 1);
  ASSERT_EQ(contract_pragma(db, "PRAGMA journal_mode"), "wal");
  every_read_leaves_it_alone(db, 0);
}

/// Runs `script` with sh in a private mount namespace; returns its exit status, or -1.
int contract_in_namespace(const std::string& script) {
  const std::string cmd = "unshare -m sh -c '" + script + "' >/dev/null 2>&1";
  const int rc = std::system(cmd.c_str());
  return rc == -1 || !WIFEXITED(rc) ? -1 : WEXITSTATUS(rc);
}

TEST_F(JournalContract, AJournalOnAReadOnlyMountIsRead) {
  ASSERT_EQ(append(contract_data + "retry-first.jsonl", "-first").status, 1);
  ASSERT_FALSE(std::filesystem::exists(db + "-wal"));  // closed cleanly: no WAL index to lean on
  const std::string mnt = "/tmp/kap-" + tag + "-mnt";
  const std::string out = "/tmp/kap-" + tag + "-ro.out";
  std::filesystem::create_directories(mnt);
  // Probe: can this machine mount a tmpfs in a private namespace and make it read-only?
  const int probe = contract_in_namespace("mount -t tmpfs none " + mnt + " && mount -o remount,ro " + mnt +
                                          " && ! touch " + mnt + "/w");
  if (probe != 0) {
    std::filesystem::remove_all(mnt);
    GTEST_SKIP() << "cannot mount a read-only tmpfs here (unshare -m and mount -t tmpfs need root and "
                    "CAP_SYS_ADMIN); the read-only media case is untested on this machine";
  }
  const std::string k = KAP_KAPCTL_EXE;
  const std::string ro = mnt + "/j.db";
  const int rc = contract_in_namespace(
      "mount -t tmpfs none " + mnt + " && cp " + db + " " + ro + " && mount -o remount,ro " + mnt + " && { " + k +
      " journal verify " + ro + "; echo \"verify $?\"; " + k + " journal sessions " + ro + "; echo \"sessions $?\"; " +
      k + " journal export " + ro + " S-1 | wc -l; " + k + " journal replay " + ro + " S-1 >/dev/null; echo \"replay $?\"; " +
      "ls " + mnt + "; } > " + out);
  std::filesystem::remove_all(mnt);
  ASSERT_EQ(rc, 0);
  const std::string text = slurp(out);
  std::filesystem::remove(out);
  const auto got = lines(text);
  ASSERT_EQ(got.size(), 7U) << text;
  EXPECT_EQ(got[0].rfind(R"({"intact":true,"rows":3,)", 0), 0U) << got[0];
  EXPECT_EQ(got[1], "verify 0");
  EXPECT_EQ(got[2].rfind(R"({"id":"S-1",)", 0), 0U) << got[2];
  EXPECT_EQ(got[3], "sessions 0");
  EXPECT_EQ(got[4], "3");
  EXPECT_EQ(got[5], "replay 0");
  EXPECT_EQ(got[6], "j.db");  // no -wal or -shm could be, or was, created
}

}  // namespace

#endif
