// kapctl report course|session|cohort - in process, on a small simulated journal.
#include "command.hpp"

#include "cli_helpers.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace {

using kapctl::test::run;
using kapctl::test::slurp;

namespace fs = std::filesystem;

using kapctl::test::contains;

/// Counts occurrences of `part` in `s`.
std::size_t count(const std::string& s, std::string_view part) {
  std::size_t n = 0;
  for (auto at = s.find(part); at != std::string::npos; at = s.find(part, at + part.size())) ++n;
  return n;
}

class ReportCli : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir = fs::temp_directory_path() / ("kap-report-cli-" + std::to_string(::getpid()));
    fs::remove_all(dir);
    fs::create_directories(dir);
    bool journal = false;
    for (const auto& c : kapctl::commands()) journal = journal || c.name == "journal";
    if (journal) {
      auto r = run({"simulate", "--arm", "im-kap:3", "--arm", "psychotherapy-50:3", "--seed", "7", "--out",
                    (dir / "sim").string(), "--journal", db()});
      ASSERT_EQ(r.status, 0) << r.err;
    } else {
      auto r = run({"simulate", "--arm", "im-kap:3", "--arm", "psychotherapy-50:3", "--seed", "7", "--out",
                    (dir / "sim").string()});
      ASSERT_EQ(r.status, 0) << r.err;
    }
  }
  static void TearDownTestSuite() { fs::remove_all(dir); }
  void SetUp() override {
    for (const auto& c : kapctl::commands()) has_journal = has_journal || c.name == "journal";
  }
  static std::string db() { return (dir / "clinic.db").string(); }
  /// The first session of an im-kap patient in the journal (a patient can drop out before any).
  static std::string first_im_kap_session() {
    const auto listed = run({"journal", "sessions", db()}).out;
    const auto at = listed.find("\"id\":\"SYN-im-kap-");
    if (at == std::string::npos) return "";
    const auto begin = at + 6;
    return listed.substr(begin, listed.find('"', begin) - begin);
  }
  static std::string summary() { return (dir / "sim" / "summary.json").string(); }
  static std::string out(const char* name) { return (dir / name).string(); }
  static std::string write(const char* name, const std::string& text) {
    std::ofstream(dir / name, std::ios::binary) << text;
    return (dir / name).string();
  }
  static inline fs::path dir;
  bool has_journal = false;
};

TEST_F(ReportCli, UsageErrors) {
  auto none = run({"report"});
  EXPECT_EQ(none.status, 2);
  EXPECT_EQ(none.err.rfind("kapctl report: give a report: course, session or cohort\n", 0), 0U) << none.err;
  auto bogus = run({"report", "patient", db()});
  EXPECT_EQ(bogus.status, 2);
  EXPECT_EQ(bogus.err.rfind("kapctl report: unknown report 'patient' (course, session, cohort)\n", 0), 0U);
  auto cohort = run({"report", "cohort"});
  EXPECT_EQ(cohort.status, 2);
  EXPECT_EQ(cohort.err.rfind("kapctl report: cohort: give one cohort summary file\n", 0), 0U);
  auto option = run({"report", "cohort", summary(), "--pdf", "x"});
  EXPECT_EQ(option.status, 2);
  EXPECT_TRUE(contains(option.err, "--pdf")) << option.err;
  auto help = run({"report", "--help"});
  EXPECT_EQ(help.status, 0);
  EXPECT_EQ(help.out.rfind("Usage: kapctl report course DB SUBJECT", 0), 0U);
  if (!has_journal) GTEST_SKIP() << "kap was built without the journal";
  auto session = run({"report", "session", db()});
  EXPECT_EQ(session.status, 2);
  EXPECT_EQ(session.err.rfind("kapctl report: session: give a journal file and a session id\n", 0), 0U);
  auto course = run({"report", "course", db()});
  EXPECT_EQ(course.status, 2);
  EXPECT_EQ(course.err.rfind("kapctl report: course: give a journal file and a subject id\n", 0), 0U);
}

TEST_F(ReportCli, CohortFromTheSimulatorsSummary) {
  const auto html = out("cohort.html");
  auto r = run({"report", "cohort", summary(), "--html", html});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.out.rfind("kap cohort report: phq9   [SYNTHETIC DATA]\n", 0), 0U) << r.out;
  EXPECT_TRUE(contains(r.out, "\nim-kap ")) << r.out;
  EXPECT_TRUE(contains(r.out, "\npsychotherapy-50 ")) << r.out;
  EXPECT_TRUE(contains(r.out, "wrote " + html + "\n"));
  const auto page = slurp(html);
  EXPECT_EQ(page.rfind("<!DOCTYPE html>", 0), 0U);
  EXPECT_TRUE(contains(page, "SYNTHETIC DATA"));
  EXPECT_TRUE(contains(page, "<svg"));
  EXPECT_TRUE(contains(page, "psychotherapy-50"));
  // Without --html nothing is written, the summary is the same.
  auto text = run({"report", "cohort", summary()});
  EXPECT_EQ(text.status, 0);
  EXPECT_EQ(text.out + "wrote " + html + "\n", r.out);
}

TEST_F(ReportCli, CohortRefusesOtherFilesWithTheReason) {
  auto courses = run({"report", "cohort", (dir / "sim" / "courses.json").string()});
  EXPECT_EQ(courses.status, 1);
  EXPECT_TRUE(contains(courses.err, "is a kap.courses/1 file, not a cohort summary: give the summary.json")) << courses.err;
  auto missing = run({"report", "cohort", out("nope.json")});
  EXPECT_EQ(missing.status, 2);
  EXPECT_TRUE(contains(missing.err, "nope.json")) << missing.err;
  auto broken = run({"report", "cohort", write("broken.json", "{\"arms\":")});
  EXPECT_EQ(broken.status, 1);  // read, and found not to be JSON
  EXPECT_TRUE(contains(broken.err, "broken.json: not a cohort summary:")) << broken.err;
  auto wrong = run({"report", "cohort",
                    write("wrong.json", R"({"synthetic":true,"instrument":"phq9","arms":[{"arm":7}],"comparison":null})")});
  EXPECT_EQ(wrong.status, 1);
  EXPECT_TRUE(contains(wrong.err, "wrong.json: not a cohort summary: /arms/0/arm")) << wrong.err;
  auto empty = run({"report", "cohort", write("empty.json", R"({"synthetic":true,"instrument":"phq9","arms":[]})")});
  EXPECT_EQ(empty.status, 1);
  EXPECT_TRUE(contains(empty.err, "empty.json: /arms: the summary has no arms")) << empty.err;
  EXPECT_FALSE(fs::exists(out("never.html")));
}

TEST_F(ReportCli, HtmlIsWrittenWholeOrNotAtAll) {
  // The temporary files left in the output directory whose names start with `prefix`.
  auto temporaries = [&](const std::string& prefix) {
    int n = 0;
    for (const auto& entry : fs::directory_iterator(dir)) {
      const auto name = entry.path().filename().string();
      n += name.rfind(prefix, 0) == 0 && name.size() > 4 && name.substr(name.size() - 4) == ".tmp" ? 1 : 0;
    }
    return n;
  };
  // A directory that does not exist: nothing written, exit 2.
  const auto nodir = out("no-such-dir/cohort.html");
  auto r = run({"report", "cohort", summary(), "--html", nodir});
  EXPECT_EQ(r.status, 2);
  EXPECT_TRUE(contains(r.err, "kapctl report cohort: cannot write " + nodir + ": no such directory")) << r.err;
  EXPECT_FALSE(fs::exists(nodir));
  // A target that is not a regular file (here a directory) is refused before anything is
  // written: no temporary file, the target untouched.
  fs::create_directories(dir / "occupied.html" / "inner");
  auto blocked = run({"report", "cohort", summary(), "--html", out("occupied.html")});
  EXPECT_EQ(blocked.status, 2);
  EXPECT_EQ(blocked.err, "kapctl report cohort: " + out("occupied.html") + " is not a regular file\n") << blocked.err;
  EXPECT_TRUE(fs::is_directory(dir / "occupied.html" / "inner"));
  EXPECT_EQ(temporaries(".occupied.html."), 0);
  // An existing page is replaced whole.
  const auto page = write("replaced.html", "old");
  auto ok = run({"report", "cohort", summary(), "--html", page});
  EXPECT_EQ(ok.status, 0) << ok.err;
  EXPECT_EQ(slurp(page).rfind("<!DOCTYPE html>", 0), 0U);
  EXPECT_EQ(temporaries(".replaced.html."), 0);
}

TEST_F(ReportCli, SessionFromTheJournal) {
  if (!has_journal) GTEST_SKIP() << "kap was built without the journal";
  const auto html = out("session.html");
  const auto session = first_im_kap_session();
  ASSERT_FALSE(session.empty());
  auto r = run({"report", "session", db(), session, "--html", html});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.out.rfind("kap session report: " + session + "   [SYNTHETIC DATA]\n", 0), 0U) << r.out;
  EXPECT_TRUE(contains(r.out, "protocol im-kap")) << r.out;
  EXPECT_TRUE(contains(r.out, "doses    1 (")) << r.out;
  const auto page = slurp(html);
  EXPECT_EQ(page.rfind("<!DOCTYPE html>", 0), 0U);
  EXPECT_TRUE(contains(page, "SYNTHETIC DATA"));
  EXPECT_GE(count(page, "<svg"), 4U);  // the timeline and three vitals charts
}

TEST_F(ReportCli, SessionListsTheStoredRejections) {
  if (!has_journal) GTEST_SKIP() << "kap was built without the journal";
  const auto small = out("rejections.db");
  const std::string protocol = std::string(KAP_TEST_DATA_DIR) + "/protocols/test-im.json";
  auto appended = run({"journal", "append", small, "--protocol", protocol},
                      slurp(std::string(KAP_TEST_DATA_DIR) + "/scenarios/test-im/full-session.jsonl"));
  ASSERT_EQ(appended.status, 1) << appended.err;  // the scenario has rejected events
  auto r = run({"report", "session", small, "S-1"});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_FALSE(contains(r.out, "SYNTHETIC")) << r.out;  // not a SYN- id
  EXPECT_TRUE(contains(r.out, "e-03")) << r.out;
  EXPECT_TRUE(contains(r.out, "requirement_unmet")) << r.out;
}

TEST_F(ReportCli, SessionErrors) {
  if (!has_journal) GTEST_SKIP() << "kap was built without the journal";
  auto unknown = run({"report", "session", db(), "SYN-im-kap-9-s1", "--html", out("unknown.html")});
  EXPECT_EQ(unknown.status, 1);
  EXPECT_EQ(unknown.err, "kapctl report session: " + db() + ": no session SYN-im-kap-9-s1\n");
  EXPECT_FALSE(fs::exists(out("unknown.html")));
  auto missing = run({"report", "session", out("missing.db"), "S-1"});
  EXPECT_EQ(missing.status, 2);
  EXPECT_TRUE(contains(missing.err, "kapctl report session: ")) << missing.err;
  EXPECT_TRUE(contains(missing.err, "missing.db")) << missing.err;
  EXPECT_FALSE(fs::exists(out("missing.db")));  // never created by a report
  auto not_db = run({"report", "session", summary(), "S-1"});
  EXPECT_EQ(not_db.status, 1);
  EXPECT_TRUE(contains(not_db.err, "summary.json")) << not_db.err;
  auto bad_id = run({"report", "session", db(), "has space"});
  EXPECT_EQ(bad_id.status, 2);
  EXPECT_EQ(bad_id.err.rfind("kapctl report: session: ", 0), 0U) << bad_id.err;
}

TEST_F(ReportCli, CourseFromTheJournal) {
  if (!has_journal) GTEST_SKIP() << "kap was built without the journal";
  const auto html = out("course.html");
  const auto session = first_im_kap_session();
  const auto subject = session.substr(0, session.rfind("-s"));
  ASSERT_EQ(subject.rfind("SYN-im-kap-", 0), 0U) << session;
  auto r = run({"report", "course", db(), subject, "--html", html});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.out.rfind("kap course report: " + subject + "   [SYNTHETIC DATA]\n", 0), 0U) << r.out;
  EXPECT_TRUE(contains(r.out, "phq9")) << r.out;
  const auto page = slurp(html);
  EXPECT_EQ(page.rfind("<!DOCTYPE html>", 0), 0U);
  EXPECT_TRUE(contains(page, "SYNTHETIC DATA"));
  // One PHQ-9 point per session of the subject in the journal: the simulator's courses file
  // has the same scores (plus the intake baseline and the follow-up, which are not sessions).
  auto sessions = run({"journal", "sessions", db()});
  const auto own = count(sessions.out, "\"id\":\"" + subject + "-s");
  EXPECT_GE(own, 1U);
  EXPECT_EQ(count(sessions.out, "\"id\":\"" + subject), own);  // no SYN-im-kap-1x subjects to confuse
  EXPECT_TRUE(contains(r.out, "(day ")) << r.out;
  EXPECT_TRUE(contains(r.out, std::to_string(own) + " assessments")) << r.out;
}

TEST_F(ReportCli, CourseFromTheCoursesFileHasTheIntakeBaseline) {
  if (!has_journal) GTEST_SKIP() << "kap was built without the journal";
  const auto session = first_im_kap_session();
  const auto subject = session.substr(0, session.rfind("-s"));
  const auto courses = (dir / "sim" / "courses.json").string();
  auto r = run({"report", "course", db(), subject, "--courses", courses});
  ASSERT_EQ(r.status, 0) << r.err;
  // The simulator's intake is on 2026-01-05 plus the patient's index modulo 28, at 09:00; the
  // first session is the next day. kapctl dates day 0 from the journal's first session.
  const int index = std::stoi(subject.substr(std::string("SYN-im-kap-").size()));
  const std::string intake = "2026-01-" + std::string(index + 4 < 10 ? "0" : "") + std::to_string(index + 4);
  EXPECT_TRUE(contains(r.out, "intake    " + intake + "\n")) << r.out;
  // Baseline, one score per session, the follow-up: the file's series, not the journal's.
  const auto file = slurp(courses);
  const auto at = file.find("\"subject\":\"" + subject + "\"");
  ASSERT_NE(at, std::string::npos);
  const auto baseline = file.substr(file.find("\"baseline\":", at) + 11, 3);
  EXPECT_TRUE(contains(r.out, "phq9      " + std::to_string(std::stoi(baseline)) + " -> ")) << r.out;
  auto journal_only = run({"report", "course", db(), subject});
  EXPECT_FALSE(contains(journal_only.out, "intake")) << journal_only.out;  // no intake date without the file

  auto absent = run({"report", "course", db(), subject, "--courses", summary()});
  EXPECT_EQ(absent.status, 1);
  EXPECT_TRUE(contains(absent.err, "summary.json: not a kap.courses/1 file: ")) << absent.err;
  const auto other = write("other.json", R"({"format":"kap.courses/1","synthetic":true,"instrument":"phq9","courses":[]})");
  auto missing_subject = run({"report", "course", db(), subject, "--courses", other});
  EXPECT_EQ(missing_subject.status, 1);
  EXPECT_EQ(missing_subject.err, "kapctl report course: subject " + subject + " is not in " + other + "\n");
  auto unreadable = run({"report", "course", db(), subject, "--courses", out("nope.json")});
  EXPECT_EQ(unreadable.status, 2);
  EXPECT_TRUE(contains(unreadable.err, "nope.json")) << unreadable.err;
}

TEST_F(ReportCli, CourseErrors) {
  if (!has_journal) GTEST_SKIP() << "kap was built without the journal";
  // Subjects SYN-im-kap-N exist; their prefix SYN-im-kap is not a subject of its own.
  auto prefix = run({"report", "course", db(), "SYN-im-kap"});
  EXPECT_EQ(prefix.status, 1);
  EXPECT_EQ(prefix.err, "kapctl report course: no sessions of subject SYN-im-kap in " + db() +
                            " (a subject's sessions are named SYN-im-kap-s1, SYN-im-kap-s2, ...)\n");
  auto missing = run({"report", "course", out("missing.db"), "SYN-im-kap-2"});
  EXPECT_EQ(missing.status, 2);
  EXPECT_TRUE(contains(missing.err, "missing.db")) << missing.err;
  // A subject whose sessions hold no measure: nothing to chart.
  const auto small = out("nomeasure.db");
  const std::string protocol = std::string(KAP_TEST_DATA_DIR) + "/protocols/test-im.json";
  std::string events;
  for (auto& line : kapctl::test::lines(slurp(std::string(KAP_TEST_DATA_DIR) + "/scenarios/test-im/full-session.jsonl"))) {
    if (line.find("\"type\":\"measure\"") != std::string::npos) continue;  // leave the measures out
    for (auto at = line.find("\"S-1\""); at != std::string::npos; at = line.find("\"S-1\"", at)) {
      line.replace(at, 5, "\"P-1-s1\"");
    }
    events += line + "\n";
  }
  ASSERT_EQ(events.find("\"measure\""), std::string::npos);
  (void)run({"journal", "append", small, "--protocol", protocol}, events);
  ASSERT_TRUE(contains(run({"journal", "sessions", small}).out, "\"id\":\"P-1-s1\""));
  auto none = run({"report", "course", small, "P-1", "--html", out("nomeasure.html")});
  EXPECT_EQ(none.status, 1);
  EXPECT_EQ(none.err, "kapctl report course: subject P-1 has 1 session(s) but no accepted measure with a total to chart\n");
  EXPECT_FALSE(fs::exists(out("nomeasure.html")));
}

}  // namespace
