// kapctl journal: append, sessions, replay, export, verify - in process.
#include "command.hpp"

#include <kap/json.hpp>

#include "cli_helpers.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

namespace {

using kapctl::test::lines;
using kapctl::test::outcome;
using kapctl::test::run;
using kapctl::test::slurp;





class JournalCli : public ::testing::Test {
 protected:
  void SetUp() override {
    bool built = false;
    for (const auto& c : kapctl::commands()) built = built || c.name == "journal";
    if (!built) GTEST_SKIP() << "kap was built without the journal (KAP_WITH_JOURNAL=OFF)";
    db = "/tmp/kap-journal-cli-" + std::to_string(::getpid()) + "-" +
         ::testing::UnitTest::GetInstance()->current_test_info()->name() + ".db";
    clean();
  }
  void TearDown() override { clean(); }
  void clean() {
    std::error_code ec;
    for (const char* s : {"", "-wal", "-shm"}) std::filesystem::remove(db + s, ec);
  }
  std::string db;
  const std::string protocol = std::string(KAP_TEST_DATA_DIR) + "/protocols/test-im.json";
  const std::string full = slurp(std::string(KAP_TEST_DATA_DIR) + "/scenarios/test-im/full-session.jsonl");
  const std::string limits =
      slurp(std::string(KAP_TEST_DATA_DIR) + "/scenarios/test-im/limits-and-early-discharge.jsonl");
};

TEST_F(JournalCli, HelpStartsWithUsage) {
  auto r = run({"journal", "--help"});
  EXPECT_EQ(r.status, 0);
  EXPECT_EQ(r.out.rfind("Usage: kapctl journal", 0), 0U);
  auto none = run({"journal"});
  EXPECT_EQ(none.status, 2);
  EXPECT_EQ(none.err, "kapctl journal: give a verb: append, sessions, replay, export or verify\n"
                      "Run 'kapctl journal --help' for usage.\n");
  auto bogus = run({"journal", "frob", db});
  EXPECT_EQ(bogus.status, 2);
  auto noproto = run({"journal", "append", db});
  EXPECT_EQ(noproto.status, 2);
  EXPECT_EQ(noproto.err, "kapctl journal: append: --protocol NAME|FILE is required\n"
                         "Run 'kapctl journal --help' for usage.\n");
}

TEST_F(JournalCli, AppendAcknowledgesEachEventWithItsDecision) {
  auto r = run({"journal", "append", db, "--protocol", protocol}, full);
  EXPECT_EQ(r.status, 1) << r.err;  // the reviewed scenario has rejected events
  const auto acks = lines(r.out);
  ASSERT_EQ(acks.size(), 30U);
  EXPECT_EQ(acks[0], R"({"ack":"e-01","seq":1,"session":"S-1","decision":"accepted","unmet":[],"alerts":[]})");
  EXPECT_EQ(acks[2].rfind(R"({"ack":"e-03","seq":3,"session":"S-1","decision":"rejected","code":"requirement_unmet",)",
                          0),
            0U)
      << acks[2];

  // The decisions are kapctl run's, event for event.
  auto ran = run({"run", protocol, "-"}, full);
  const auto decisions = lines(ran.out);
  for (std::size_t i = 0; i < acks.size(); ++i) {
    auto a = kap::json::parse(acks[i]).value().as_object();
    auto d = kap::json::parse(decisions[i]).value().as_object();
    EXPECT_EQ(a.at("decision"), d.at("decision")) << i;
    EXPECT_EQ(a.contains("code"), d.contains("code")) << i;
    if (a.contains("code")) {
      EXPECT_EQ(a.at("code"), d.at("code")) << i;
    }
  }

  // Appending the same input again writes nothing: every event is a retry, answered with its
  // stored decision (so the rejections still exit 1) and marked "duplicate":true.
  auto again = run({"journal", "append", db, "--protocol", protocol, "--sync", "normal"}, full);
  EXPECT_EQ(again.status, 1) << again.err;
  const auto dups = lines(again.out);
  ASSERT_EQ(dups.size(), acks.size());
  for (std::size_t i = 0; i < acks.size(); ++i) {
    auto first = kap::json::parse(acks[i]).value().as_object();
    first["duplicate"] = true;
    EXPECT_EQ(kap::json::parse(dups[i]).value().as_object(), first) << i;
  }
}

TEST_F(JournalCli, ExportIsByteIdenticalToTheCanonicalInput) {
  ASSERT_NE(run({"journal", "append", db, "--protocol", protocol}, full + limits).status, 2);
  auto r = run({"journal", "export", db, "S-2"});
  EXPECT_EQ(r.status, 0) << r.err;
  std::string expected;
  for (auto& l : kap::json::read_events_jsonl(limits)) expected += kap::json::write_event(*l.event) + "\n";
  EXPECT_EQ(r.out, expected);  // the input, canonicalised (screening answers in key order)
}

TEST_F(JournalCli, SessionsReplayAndVerify) {
  ASSERT_NE(run({"journal", "append", db, "--protocol", protocol}, full + limits).status, 2);
  auto s = run({"journal", "sessions", db});
  EXPECT_EQ(s.status, 0) << s.err;
  const auto list = lines(s.out);
  ASSERT_EQ(list.size(), 2U);
  EXPECT_EQ(list[0].rfind(R"({"id":"S-1","protocol":"test-im","protocol_version":"1","protocol_sha256":")", 0), 0U);
  EXPECT_NE(list[1].find(R"("events":25)"), std::string::npos);

  // Replay prints the summary kapctl run prints for the session.
  auto rep = run({"journal", "replay", db, "S-1"});
  EXPECT_EQ(rep.status, 0) << rep.err;
  auto ran = run({"run", protocol, "-"}, full);
  const auto ran_lines = lines(ran.out);
  EXPECT_EQ(rep.out, ran_lines.back() + "\n");
  auto under = run({"journal", "replay", db, "S-1", "--protocol", protocol});
  EXPECT_EQ(under.status, 0) << under.err;
  EXPECT_EQ(under.out, rep.out);

  auto v = run({"journal", "verify", db});
  EXPECT_EQ(v.status, 0) << v.err;
  EXPECT_EQ(v.out.rfind(R"({"intact":true,"rows":55,"head_seq":55,"head":")", 0), 0U) << v.out;
  EXPECT_NE(v.out.find(R"("macs":"none")"), std::string::npos);
  const std::string head = kap::json::parse(v.out).value().as_object().at("head").as_string().c_str();
  auto anchored = run({"journal", "verify", db, "--anchor", "55:" + head});
  EXPECT_EQ(anchored.status, 0) << anchored.err;
}

TEST_F(JournalCli, VerifyNamesTheFirstBrokenRow) {
  ASSERT_NE(run({"journal", "append", db, "--protocol", protocol}, full).status, 2);
  {
    // Change one byte of a stored event in the file itself (kapctl checkpointed the WAL on exit).
    std::string bytes = slurp(db);
    const std::string needle = R"("systolic":152)";
    const auto pos = bytes.find(needle);
    ASSERT_NE(pos, std::string::npos);
    ASSERT_EQ(bytes.find(needle, pos + 1), std::string::npos);
    std::fstream io(db, std::ios::in | std::ios::out | std::ios::binary);
    io.seekp(static_cast<std::streamoff>(pos + needle.size() - 1));
    io.put('3');
  }
  auto v = run({"journal", "verify", db});
  EXPECT_EQ(v.status, 1);
  const std::string message = db + ": row 10 (session S-1, event e-10): the hash does not match the row: this row, "
                                   "or the hash of the row before it, was changed after it was written";
  EXPECT_EQ(v.out, R"({"intact":false,"row":10,"code":"tampered","message":")" + message + "\"}\n");
  EXPECT_EQ(v.err, "kapctl journal verify: " + message + "\n");
}

TEST_F(JournalCli, KeyedJournal) {
  const std::string key = db + ".key";
  const std::string wrong = db + ".wrong";
  std::ofstream(key, std::ios::binary) << "a key of more than sixteen bytes";
  std::ofstream(wrong, std::ios::binary) << "another key of more than sixteen bytes";
  auto a = run({"journal", "append", db, "--protocol", protocol, "--key-file", key}, limits);
  EXPECT_EQ(a.status, 1) << a.err;
  auto v = run({"journal", "verify", db, "--key-file", key});
  EXPECT_EQ(v.status, 0) << v.err;
  EXPECT_NE(v.out.find(R"("macs":"checked")"), std::string::npos);
  auto plain = run({"journal", "verify", db});
  EXPECT_EQ(plain.status, 0);
  EXPECT_NE(plain.out.find(R"("macs":"unchecked")"), std::string::npos);
  auto w = run({"journal", "verify", db, "--key-file", wrong});
  EXPECT_EQ(w.status, 1);
  EXPECT_EQ(w.out, R"({"intact":false,"code":"unauthorized","message":")" + db +
                       R"(: the key is not this journal's key (its key check value differs: a wrong key, or the )"
                       R"x(keyed chain was replaced)"})x" "\n");
  auto nokey = run({"journal", "append", db, "--protocol", protocol}, full);
  EXPECT_EQ(nokey.status, 2);
  EXPECT_EQ(nokey.err, "kapctl journal append: " + db + ": this journal is keyed: appending needs its HMAC key\n");
  std::filesystem::remove(key);
  std::filesystem::remove(wrong);
}

TEST_F(JournalCli, ErrorsAndExitCodes) {
  auto missing = run({"journal", "sessions", db});
  EXPECT_EQ(missing.status, 2);
  EXPECT_EQ(missing.err, "kapctl journal sessions: " + db + ": no such file\n");

  ASSERT_NE(run({"journal", "append", db, "--protocol", protocol}, full).status, 2);
  auto unknown = run({"journal", "export", db, "S-9"});
  EXPECT_EQ(unknown.status, 1);
  EXPECT_EQ(unknown.err, "kapctl journal export: " + db + ": no session S-9\n");

  // A bad line is reported and skipped; the rest is stored.
  auto mixed = run({"journal", "append", db, "--protocol", protocol}, "{\"id\":\"x\"}\n" + limits);
  EXPECT_EQ(mixed.status, 1);
  const auto out = lines(mixed.out);
  ASSERT_EQ(out.size(), 26U);
  EXPECT_EQ(out[0], R"({"line":1,"decision":"invalid","code":"missing_field","message":"/type: missing required field"})");

  // Another protocol for a stored session is refused, line by line.
  const std::string other = db + ".protocol.json";
  {
    std::string text = slurp(protocol);
    const auto pos = text.find("\"version\": \"1\"");
    ASSERT_NE(pos, std::string::npos);
    text.replace(pos, 14, "\"version\": \"2\"");
    std::ofstream(other, std::ios::binary) << text;
  }
  const std::string last = lines(full).back();
  std::string changed = last;
  changed.replace(changed.find("e-30"), 4, "e-31");
  auto refused = run({"journal", "append", db, "--protocol", other}, changed + "\n");
  EXPECT_EQ(refused.status, 1);
  EXPECT_EQ(refused.out.rfind(R"({"line":1,"event":"e-31","decision":"refused","code":"protocol_mismatch",)", 0), 0U)
      << refused.out;
  auto replay = run({"journal", "replay", db, "S-1", "--protocol", other});
  EXPECT_EQ(replay.status, 1);
  EXPECT_NE(replay.err.find("refusing to replay it under test-im version 2"), std::string::npos) << replay.err;
  std::filesystem::remove(other);

  // A damaged header is a clear error naming the file.
  {
    std::fstream io(db, std::ios::in | std::ios::out | std::ios::binary);
    io.write("garbage garbage!", 16);
  }
  std::error_code ec;
  std::filesystem::remove(db + "-wal", ec);
  std::filesystem::remove(db + "-shm", ec);
  auto bad = run({"journal", "verify", db});
  EXPECT_EQ(bad.status, 1);
  EXPECT_EQ(bad.out, R"({"intact":false,"code":"corrupt","message":")" + db +
                         R"x(: reading the file header: not a SQLite database, or its header is damaged (file is not )x"
                         R"x(a database)"})x" "\n");
}

TEST_F(JournalCli, AppendSkipsALineOverTheEventLimitWithoutBufferingIt) {
  const std::string first_line = full.substr(0, full.find('\n') + 1);
  const std::string input = std::string(std::size_t{200} << 10, ' ') + "{}\n" + first_line;
  auto r = run({"journal", "append", db, "--protocol", protocol}, input);
  EXPECT_EQ(r.status, 1) << r.err;
  const auto out = lines(r.out);
  ASSERT_EQ(out.size(), 2U) << r.out;
  EXPECT_EQ(out[0], R"({"line":1,"decision":"invalid","code":"too_large","message":"line is over the limit of 65536 bytes"})");
  EXPECT_EQ(out[1].rfind(R"({"ack":"e-01","seq":1,)", 0), 0U) << out[1];
}

}  // namespace
