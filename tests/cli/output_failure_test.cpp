// kapctl's output on a full disk, a closed pipe and a target that is not a regular file (issue 20,
// items 1, 3 and 4), through the real executable: standard output on /dev/full or on a pipe whose
// reader has gone, files written under RLIMIT_FSIZE (a real failed write, EFBIG, that works without
// mount privileges), and --out/--html pointed at a FIFO, a device node or a folder.
#include "cli_helpers.hpp"

#include <gtest/gtest.h>

#include <fcntl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>  // makedev
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#ifdef KAP_KAPCTL_EXE

namespace {

namespace fs = std::filesystem;

/// How to start kapctl: where its standard streams go and an optional file size limit.
struct outfail_options {
  std::string stdin_path = "/dev/null";
  std::string stdout_path = "/dev/null";
  int stdout_fd = -1;          // when >= 0, standard output is this descriptor instead
  long long fsize_limit = -1;  // RLIMIT_FSIZE in bytes for the child, or -1
};

struct outfail_result {
  int status = -1;
  int signal = 0;
  std::string err;
};

/// Runs the real kapctl in a child process (fork, then exec, so the file size limit is the child's only).
outfail_result outfail_run(const std::vector<std::string>& args, const fs::path& err_file, const outfail_options& o) {
  std::vector<std::string> argv_s{KAP_KAPCTL_EXE};
  argv_s.insert(argv_s.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : argv_s) argv.push_back(a.data());
  argv.push_back(nullptr);
  const std::string err_path = err_file.string();
  outfail_result r;
  const pid_t pid = ::fork();
  if (pid < 0) return r;
  if (pid == 0) {
    const int in = ::open(o.stdin_path.c_str(), O_RDONLY);
    const int out = o.stdout_fd >= 0 ? o.stdout_fd : ::open(o.stdout_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    const int err = ::open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (in < 0 || out < 0 || err < 0) ::_exit(127);
    ::dup2(in, 0);
    ::dup2(out, 1);
    ::dup2(err, 2);
    if (o.fsize_limit >= 0) {
      rlimit lim{static_cast<rlim_t>(o.fsize_limit), static_cast<rlim_t>(o.fsize_limit)};
      ::setrlimit(RLIMIT_FSIZE, &lim);
    }
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  // A kapctl that blocks (say, opening a FIFO that has no reader) fails the test, not hangs it.
  int ws = 0;
  for (int waited_ms = 0;; waited_ms += 10) {
    const pid_t done = ::waitpid(pid, &ws, WNOHANG);
    if (done == pid) break;
    if (done < 0) return r;
    if (waited_ms >= 60000) {
      ::kill(pid, SIGKILL);
      ::waitpid(pid, &ws, 0);
      r.err = "kapctl did not finish within 60 s";
      return r;
    }
    ::usleep(10000);
  }
  if (WIFEXITED(ws)) r.status = WEXITSTATUS(ws);
  if (WIFSIGNALED(ws)) r.signal = WTERMSIG(ws);
  r.err = kapctl::test::slurp(err_file);
  return r;
}

/// Every regular file under `dir` with its bytes.
std::map<std::string, std::string> outfail_snapshot(const fs::path& dir) {
  std::map<std::string, std::string> out;
  for (const auto& e : fs::directory_iterator(dir)) out[e.path().filename().string()] = kapctl::test::slurp(e.path());
  return out;
}

class KapctlOutput : public ::testing::Test {
 protected:
  void SetUp() override {
    dir = fs::temp_directory_path() /
          ("kap-output-" + std::to_string(::getpid()) + "-" +
           ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir);
    fs::create_directories(dir);
    err_file = dir.string() + ".err";
    events = std::string(KAP_TEST_DATA_DIR) + "/scenarios/test-im/full-session.jsonl";
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(dir, ec);
    fs::remove(err_file, ec);
  }
  bool journal_built() const {
    for (const auto& c : kapctl::commands()) {
      if (c.name == "journal") return true;
    }
    return false;
  }
  /// A journal with session S-1 of the test-im scenario, appended in-process.
  std::string make_journal() {
    const std::string db = (dir / "j.db").string();
    const auto r = kapctl::test::run({"journal", "append", db, "--protocol", protocol, "--sync", "normal"},
                                     kapctl::test::slurp(events));
    EXPECT_EQ(r.status, 1) << r.err;  // the scenario has rejected events
    return db;
  }
  outfail_result exe(const std::vector<std::string>& args, const outfail_options& o = {}) {
    return outfail_run(args, err_file, o);
  }
  fs::path dir;
  fs::path err_file;
  std::string events;
  const std::string protocol = std::string(KAP_TEST_DATA_DIR) + "/protocols/test-im.json";
};

// --- item 1: standard output -------------------------------------------------------------------

TEST_F(KapctlOutput, EveryCommandReportsAFullStandardOutput) {
  std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
      {{"run", protocol, events}, "/dev/null"},
      {{"protocol", "show", "im-kap"}, "/dev/null"},
      {{"protocols"}, "/dev/null"},
      {{"lint", "im-kap"}, "/dev/null"},
      {{"validate", "im-kap"}, "/dev/null"},
      {{"graph", "im-kap"}, "/dev/null"},
      {{"simulate", "--arm", "im-kap:2", "--seed", "1"}, "/dev/null"},
      {{"--help"}, "/dev/null"},
      {{"journal", "--help"}, "/dev/null"},
  };
  if (journal_built()) {
    const std::string db = make_journal();
    cases.push_back({{"journal", "append", (dir / "fresh.db").string(), "--protocol", protocol}, events});
    cases.push_back({{"journal", "export", db, "S-1"}, "/dev/null"});
    cases.push_back({{"journal", "verify", db}, "/dev/null"});
    cases.push_back({{"journal", "sessions", db}, "/dev/null"});
    cases.push_back({{"journal", "replay", db, "S-1"}, "/dev/null"});
    cases.push_back({{"fhir", db, "S-1", "--subject", "SUBJ-1"}, "/dev/null"});
  }
  for (const auto& [args, input] : cases) {
    outfail_options o;
    o.stdin_path = input;
    o.stdout_path = "/dev/full";
    const auto r = exe(args, o);
    const std::string what = args[0] + (args.size() > 1 ? " " + args[1] : "");
    EXPECT_EQ(r.signal, 0) << what;
    EXPECT_EQ(r.status, 2) << what << ": " << r.err;
    EXPECT_TRUE(kapctl::test::contains(r.err, "kapctl: cannot write to standard output: No space left on device\n"))
        << what << ": " << r.err;
  }
}

TEST_F(KapctlOutput, AppendStopsAtTheFirstLostAcknowledgementAndKeepsWhatIsStored) {
  if (!journal_built()) GTEST_SKIP() << "kap was built without the journal";
  const std::string db = (dir / "j.db").string();
  outfail_options o;
  o.stdin_path = events;
  o.stdout_path = "/dev/full";
  const auto r = exe({"journal", "append", db, "--protocol", protocol}, o);
  EXPECT_EQ(r.status, 2) << r.err;
  EXPECT_EQ(r.err, "kapctl: cannot write to standard output: No space left on device\n");
  // The first event was stored and its acknowledgement lost: kapctl stopped there, so the
  // caller that lost it knows where to retry from; the stored row stays stored.
  const auto exported = kapctl::test::run({"journal", "export", db, "S-1"});
  ASSERT_EQ(exported.status, 0) << exported.err;
  const auto rows = kapctl::test::lines(exported.out);
  ASSERT_EQ(rows.size(), 1U) << exported.out;
  EXPECT_TRUE(kapctl::test::contains(rows[0], "\"id\":\"e-01\"")) << rows[0];
  // A retry of the whole stream with a working output appends the rest.
  const auto again = kapctl::test::run({"journal", "append", db, "--protocol", protocol}, kapctl::test::slurp(events));
  EXPECT_EQ(again.status, 1) << again.err;
  EXPECT_EQ(kapctl::test::lines(kapctl::test::run({"journal", "export", db, "S-1"}).out).size(), 30U);
}

TEST_F(KapctlOutput, AClosedPipeIsReportedNotASilentSignal) {
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  ::close(fds[0]);  // the reader is gone before kapctl writes
  outfail_options o;
  o.stdout_fd = fds[1];
  const auto r = exe({"protocol", "show", "im-kap"}, o);
  ::close(fds[1]);
  EXPECT_EQ(r.signal, 0) << "kapctl died of signal " << r.signal;
  EXPECT_EQ(r.status, 2) << r.err;
  EXPECT_EQ(r.err, "kapctl: cannot write to standard output: Broken pipe\n");
}

// --- item 3: files on a full disk --------------------------------------------------------------

TEST_F(KapctlOutput, SimulateOutOnAFullDiskLeavesTheEarlierFilesAndNoTemporaryFile) {
  const fs::path out = dir / "sim";
  const auto first = kapctl::test::run({"simulate", "--arm", "im-kap:3", "--seed", "1", "--out", out.string()});
  ASSERT_EQ(first.status, 0) << first.err;
  const auto before = outfail_snapshot(out);
  ASSERT_EQ(before.size(), 3U);
  outfail_options o;
  o.fsize_limit = 4096;  // the events file of three patients is larger: its write fails with EFBIG
  const auto r = exe({"simulate", "--arm", "im-kap:3", "--seed", "2", "--out", out.string()}, o);
  EXPECT_EQ(r.signal, 0) << "kapctl died of signal " << r.signal;
  EXPECT_EQ(r.status, 2) << r.err;
  EXPECT_TRUE(kapctl::test::contains(
      r.err, "kapctl simulate: cannot write " + (out / "events-im-kap.jsonl").string() + ": File too large\n"))
      << r.err;
  EXPECT_EQ(outfail_snapshot(out), before) << "an earlier file changed, or a temporary file was left";
}

TEST_F(KapctlOutput, SimulateOutWritesEveryFileOrNone) {
  // courses.json and summary.json are small: with a limit between them and the events file the
  // events file fails, and neither of the others is replaced either.
  const fs::path out = dir / "sim";
  fs::create_directories(out);
  std::ofstream(out / "courses.json") << "earlier\n";
  outfail_options o;
  o.fsize_limit = 8192;
  const auto r = exe({"simulate", "--arm", "im-kap:3", "--seed", "2", "--out", out.string()}, o);
  EXPECT_EQ(r.status, 2) << r.err;
  const auto after = outfail_snapshot(out);
  EXPECT_EQ(after.size(), 1U) << "a temporary or partial file was left";
  EXPECT_EQ(after.at("courses.json"), "earlier\n");
}

TEST_F(KapctlOutput, ReportHtmlAndFhirOutOnAFullDiskLeaveTheEarlierFile) {
  const fs::path sim = dir / "sim";
  ASSERT_EQ(kapctl::test::run({"simulate", "--arm", "im-kap:3", "--seed", "1", "--out", sim.string()}).status, 0);
  const fs::path html = dir / "cohort.html";
  std::ofstream(html) << "earlier\n";
  outfail_options o;
  o.fsize_limit = 1024;
  auto r = exe({"report", "cohort", (sim / "summary.json").string(), "--html", html.string()}, o);
  EXPECT_EQ(r.signal, 0);
  EXPECT_EQ(r.status, 2) << r.err;
  EXPECT_TRUE(kapctl::test::contains(r.err, "cannot write " + html.string() + ": File too large\n")) << r.err;
  EXPECT_EQ(kapctl::test::slurp(html), "earlier\n");
  if (journal_built()) {
    const std::string db = make_journal();
    const fs::path bundle = dir / "bundle.json";
    std::ofstream(bundle) << "earlier\n";
    // SQLite itself needs more than 1 KiB to open the journal (its 32 KiB shared-memory file);
    // the bundle of S-1 is over 40 KiB.
    o.fsize_limit = 40000;
    r = exe({"fhir", db, "S-1", "--subject", "SUBJ-1", "--out", bundle.string()}, o);
    EXPECT_EQ(r.signal, 0);
    EXPECT_EQ(r.status, 2) << r.err;
    EXPECT_TRUE(kapctl::test::contains(r.err, "kapctl fhir: cannot write " + bundle.string() + ": File too large\n"))
        << r.err;
    EXPECT_EQ(kapctl::test::slurp(bundle), "earlier\n");
  }
  for (const auto& e : fs::directory_iterator(dir)) {
    EXPECT_EQ(e.path().filename().string().find(".tmp"), std::string::npos) << "left " << e.path();
  }
}

// --- item 4: targets that are not regular files ------------------------------------------------

TEST_F(KapctlOutput, OutAndHtmlRefuseATargetThatIsNotARegularFile) {
  const fs::path sim = dir / "sim";
  ASSERT_EQ(kapctl::test::run({"simulate", "--arm", "im-kap:3", "--seed", "1", "--out", sim.string()}).status, 0);
  const fs::path fifo = dir / "fifo";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  const fs::path folder = dir / "folder";
  fs::create_directories(folder);
  std::vector<fs::path> targets{fifo, folder};
  // A device node of our own (a copy of /dev/null's numbers), so that a failing test replaces
  // nothing of the system's; root may create one, others skip this target.
  const fs::path node = dir / "node";
  if (::mknod(node.c_str(), S_IFCHR | 0600, makedev(1, 3)) == 0) targets.push_back(node);
  for (const auto& t : targets) {
    const auto type = fs::symlink_status(t).type();
    auto r = exe({"report", "cohort", (sim / "summary.json").string(), "--html", t.string()});
    EXPECT_EQ(r.status, 2) << t << ": " << r.err;
    EXPECT_EQ(r.err, "kapctl report cohort: " + t.string() + " is not a regular file\n") << r.err;
    EXPECT_EQ(fs::symlink_status(t).type(), type) << t << " was replaced";
    if (journal_built()) {
      const std::string db = make_journal();
      r = exe({"fhir", db, "S-1", "--subject", "SUBJ-1", "--out", t.string()});
      EXPECT_EQ(r.status, 2) << t << ": " << r.err;
      EXPECT_EQ(r.err, "kapctl fhir: " + t.string() + " is not a regular file\n") << r.err;
      EXPECT_EQ(fs::symlink_status(t).type(), type) << t << " was replaced";
    }
  }
  // simulate's fixed names: a FIFO where courses.json goes is refused, and no file is replaced.
  const auto before = kapctl::test::slurp(sim / "events-im-kap.jsonl");
  fs::remove(sim / "courses.json");
  ASSERT_EQ(::mkfifo((sim / "courses.json").c_str(), 0600), 0);
  // A reader on the FIFO, so that a kapctl that opens it for writing does not block there.
  const int reader = ::open((sim / "courses.json").c_str(), O_RDONLY | O_NONBLOCK);
  const auto r = exe({"simulate", "--arm", "im-kap:3", "--seed", "2", "--out", sim.string()});
  if (reader >= 0) ::close(reader);
  EXPECT_EQ(r.status, 2) << r.err;
  EXPECT_TRUE(kapctl::test::contains(r.err, "kapctl simulate: " + (sim / "courses.json").string() +
                                                " is not a regular file\n"))
      << r.err;
  EXPECT_EQ(fs::symlink_status(sim / "courses.json").type(), fs::file_type::fifo);
  EXPECT_EQ(kapctl::test::slurp(sim / "events-im-kap.jsonl"), before);
}

}  // namespace

#endif
