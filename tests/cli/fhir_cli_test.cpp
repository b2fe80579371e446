// kapctl fhir: a FHIR R4 Bundle of one session, or of a subject's sessions, from the journal.
#include "command.hpp"

#include "cli_helpers.hpp"

#include <boost/json/parse.hpp>

#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <string>
#include <vector>

namespace {

using kapctl::test::run;
using kapctl::test::slurp;

std::string replace_all(std::string s, const std::string& from, const std::string& to) {
  for (std::size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size())) {
    s.replace(at, from.size(), to);
  }
  return s;
}

class FhirCli : public ::testing::Test {
 protected:
  void SetUp() override {
    bool built = false;
    for (const auto& c : kapctl::commands()) built = built || c.name == "journal";
    if (!built) GTEST_SKIP() << "kap was built without the journal (KAP_WITH_JOURNAL=OFF)";
    base = "/tmp/kap-fhir-cli-" + std::to_string(::getpid()) + "-" +
           ::testing::UnitTest::GetInstance()->current_test_info()->name();
    db = base + ".db";
    clean();
    const std::string protocol = std::string(KAP_TEST_DATA_DIR) + "/protocols/test-im.json";
    const std::string dir = std::string(KAP_TEST_DATA_DIR) + "/scenarios/test-im/";
    // Two sessions of subject SUBJ-7 (the SUBJECT-sN convention) and one whose id names no subject.
    const std::string events =
        replace_all(slurp(dir + "full-session.jsonl"), "\"S-1\"", "\"SUBJ-7-s1\"") +
        replace_all(slurp(dir + "limits-and-early-discharge.jsonl"), "\"S-2\"", "\"SUBJ-7-s2\"") +
        replace_all(slurp(dir + "full-session.jsonl"), "\"S-1\"", "\"S-OTHER\"");
    const auto r = run({"journal", "append", db, "--protocol", protocol, "--sync", "normal"}, events);
    ASSERT_NE(r.status, 2) << r.err;
  }
  void TearDown() override { clean(); }
  void clean() {
    std::error_code ec;
    for (const char* s : {"", "-wal", "-shm"}) std::filesystem::remove(db + s, ec);
    std::filesystem::remove(base + ".json", ec);
  }
  static std::vector<std::string> encounters(const std::string& bundle) {
    std::vector<std::string> out;
    const boost::json::value parsed = boost::json::parse(bundle);
    for (const auto& e : parsed.at("entry").as_array()) {
      const auto& r = e.at("resource").as_object();
      if (r.at("resourceType").as_string() == "Encounter") {
        out.emplace_back(r.at("identifier").as_array()[0].at("value").as_string());
      }
    }
    return out;
  }
  std::string base;
  std::string db;
};

TEST_F(FhirCli, OneSessionNamesItsSubjectByConvention) {
  const auto r = run({"fhir", db, "SUBJ-7-s1"});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(encounters(r.out), std::vector<std::string>{"SUBJ-7-s1"});
  EXPECT_NE(r.out.find("\"value\":\"SUBJ-7\""), std::string::npos);
  EXPECT_NE(r.out.find("\"type\":\"collection\""), std::string::npos);
  EXPECT_EQ(r.out, run({"fhir", db, "SUBJ-7-s1"}).out) << "same journal, same bytes";
}

TEST_F(FhirCli, SubjectExportsEverySessionOfTheSubject) {
  const auto r = run({"fhir", db, "--subject", "SUBJ-7", "--type", "transaction"});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(encounters(r.out), (std::vector<std::string>{"SUBJ-7-s1", "SUBJ-7-s2"}));
  EXPECT_NE(r.out.find("\"type\":\"transaction\""), std::string::npos);
  EXPECT_NE(r.out.find("\"request\":{\"method\":\"PUT\""), std::string::npos);
  EXPECT_EQ(r.out.find("S-OTHER"), std::string::npos);
}

TEST_F(FhirCli, ExplicitSubjectAndOutFile) {
  const auto r = run({"fhir", db, "S-OTHER", "--subject", "SUBJ-9", "--out", base + ".json"});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_TRUE(r.out.empty());
  const std::string file = slurp(base + ".json");
  EXPECT_EQ(encounters(file), std::vector<std::string>{"S-OTHER"});
  EXPECT_NE(file.find("\"value\":\"SUBJ-9\""), std::string::npos);
}

TEST_F(FhirCli, ErrorsAndExitCodes) {
  auto r = run({"fhir", db, "S-OTHER"});
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.err.find("give --subject"), std::string::npos) << r.err;
  EXPECT_TRUE(r.out.empty());

  r = run({"fhir", db, "S-NOPE"});
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.err.find("no session S-NOPE"), std::string::npos) << r.err;

  r = run({"fhir", db, "--subject", "NOBODY"});
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.err.find("no session of subject NOBODY"), std::string::npos) << r.err;

  r = run({"fhir", db, "SUBJ-7-s1", "--type", "batch"});
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("--type must be collection or transaction"), std::string::npos) << r.err;

  r = run({"fhir", db});
  EXPECT_EQ(r.status, 2);

  r = run({"fhir", db, "--subject", "bad subject"});
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("--subject"), std::string::npos) << r.err;

  r = run({"fhir", base + "-missing.db", "SUBJ-7-s1"});
  EXPECT_EQ(r.status, 2);
  EXPECT_FALSE(r.err.empty());

  r = run({"fhir", db, "SUBJ-7-s1", "--out", "/nonexistent-dir/x.json"});
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("cannot write"), std::string::npos) << r.err;

  // A session whose id names another subject is not filed under --subject.
  r = run({"fhir", db, "SUBJ-7-s1", "--subject", "SUBJ-9"});
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.err.find("session SUBJ-7-s1 belongs to subject SUBJ-7, not SUBJ-9"), std::string::npos) << r.err;
  EXPECT_TRUE(r.out.empty());
}

TEST_F(FhirCli, OutFileIsReplacedWholeOrLeftAlone) {
  // The target is a directory: refused before anything is written, nothing left behind, exit 2.
  std::filesystem::create_directories(base + ".json/inner");
  const auto r = run({"fhir", db, "SUBJ-7-s1", "--out", base + ".json"});
  EXPECT_EQ(r.status, 2);
  EXPECT_EQ(r.err, "kapctl fhir: " + base + ".json is not a regular file\n");
  EXPECT_TRUE(std::filesystem::is_directory(base + ".json/inner"));
  std::error_code ec;
  std::filesystem::remove_all(base + ".json", ec);
}

}  // namespace
