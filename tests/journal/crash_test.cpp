// Durability under SIGKILL, and several processes on one file.
//
// The crash test forks a child that appends a long stream of events and writes one ack line to
// a pipe after each append returns; the parent kills it with SIGKILL at a seeded random moment,
// many times. After each kill the journal must open, verify, and hold every acknowledged event
// at its acknowledged row, in input order, with no partial event. KAP_CRASH_SEED and
// KAP_CRASH_ROUNDS override the seed and the number of kills.
#include <kap/journal/sqlite_journal.hpp>

#include "journal_helpers.hpp"

#include <gtest/gtest.h>

#include <csignal>
#include <filesystem>
#include <cstdlib>
#include <map>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

namespace {

using namespace kap;
using kap::test::appending;
using kap::test::open_journal;
using kap::test::temp_journal;

std::uint64_t env_or(const char* name, std::uint64_t fallback) {
  const char* v = std::getenv(name);
  return v ? std::strtoull(v, nullptr, 10) : fallback;
}

/// The input: three sessions, interleaved in blocks, as a clinic's day would be.
std::vector<event> day_of_events() {
  std::vector<event> a = test::scenario("full-session");
  std::vector<event> b = test::scenario("limits-and-early-discharge");
  std::vector<event> c = test::monitoring_session("S-3", 900);
  std::vector<event> out;
  std::size_t ia = 0, ib = 0, ic = 0;
  while (ia < a.size() || ib < b.size() || ic < c.size()) {
    for (int k = 0; k < 3 && ia < a.size(); ++k) out.push_back(a[ia++]);
    for (int k = 0; k < 3 && ib < b.size(); ++k) out.push_back(b[ib++]);
    for (int k = 0; k < 20 && ic < c.size(); ++k) out.push_back(c[ic++]);
  }
  return out;
}

void write_all(int fd, const std::string& s) {
  const char* p = s.data();
  std::size_t left = s.size();
  while (left > 0) {
    const ssize_t n = ::write(fd, p, left);
    if (n <= 0) ::_exit(4);
    p += n;
    left -= static_cast<std::size_t>(n);
  }
}

std::string read_all(int fd) {
  std::string out;
  char buf[4096];
  for (;;) {
    const ssize_t n = ::read(fd, buf, sizeof buf);
    if (n <= 0) break;
    out.append(buf, static_cast<std::size_t>(n));
  }
  return out;
}

/// The child: appends events[from..] and acknowledges each once append returned. Never returns.
[[noreturn]] void append_and_ack(const std::string& path, const std::vector<event>& events, std::size_t from,
                                 int ack_fd) {
  auto j = sqlite_journal::open(path, appending());
  if (!j) ::_exit(2);
  for (std::size_t i = from; i < events.size(); ++i) {
    auto r = j->append(events[i]);
    if (!r) ::_exit(3);
    write_all(ack_fd, events[i].id.str() + " " + std::to_string(r->seq) + "\n");
  }
  ::_exit(0);
}

TEST(JournalCrash, EveryAcknowledgedEventSurvivesSigkill) {
  temp_journal f("crash");
  const auto events = day_of_events();
  const auto canonical = test::canonical_lines(events);
  const std::uint64_t seed = env_or("KAP_CRASH_SEED", 20261126);
  const std::uint64_t rounds = env_or("KAP_CRASH_ROUNDS", 50);
  std::mt19937_64 rng(seed);
  SCOPED_TRACE("KAP_CRASH_SEED=" + std::to_string(seed));

  std::size_t stored = 0;           // rows in the file after the last round
  std::size_t killed_mid_run = 0;   // rounds killed after at least one ack and before the end
  std::size_t total_acks = 0;
  std::size_t completed = 0;        // times the whole input got stored (then a new file starts)
  for (std::uint64_t round = 0; round < rounds; ++round) {
    SCOPED_TRACE("round " + std::to_string(round));
    if (stored == events.size()) {
      ++completed;
      stored = 0;
      std::error_code ec;
      for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(f.path() + suffix, ec);
    }
    // Resubmit the last few stored events too: they must come back as duplicates of their rows.
    const std::size_t from = stored > 3 ? stored - 3 : 0;
    int fds[2];
    ASSERT_EQ(::pipe(fds), 0);
    const pid_t pid = ::fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      ::close(fds[0]);
      append_and_ack(f.path(), events, from, fds[1]);
    }
    ::close(fds[1]);
    // Kill at a random instant: sometimes while opening, mostly in the middle of an append.
    const long delay_us = static_cast<long>(rng() % 80000);
    timespec ts{0, delay_us * 1000};
    ::nanosleep(&ts, nullptr);
    ::kill(pid, SIGKILL);
    const std::string acks_text = read_all(fds[0]);
    ::close(fds[0]);
    int status = 0;
    ASSERT_EQ(::waitpid(pid, &status, 0), pid);
    ASSERT_TRUE(WIFSIGNALED(status) || (WIFEXITED(status) && WEXITSTATUS(status) == 0))
        << "the child failed on its own: exit " << (WIFEXITED(status) ? WEXITSTATUS(status) : -1);

    // Every ack line is whole (a pipe write under PIPE_BUF is atomic).
    std::map<std::uint64_t, std::string> acked;  // seq -> event id
    std::istringstream in(acks_text);
    std::size_t acks = 0;
    for (std::string id, seq; in >> id >> seq;) {
      acked[std::stoull(seq)] = id;
      ++acks;
    }
    total_acks += acks;
    if (acks > 0 && from + acks < events.size() && WIFSIGNALED(status)) ++killed_mid_run;

    // The journal opens, verifies, and holds a prefix of the input with every acked event.
    journal_options opt;
    opt.create = false;
    auto j = sqlite_journal::open(f.path(), opt);
    if (!j && stored == 0 && acks == 0 && j.error().code == errc::io_error) continue;  // killed before the file existed
    ASSERT_TRUE(j) << j.error().message;
    auto rep = j->verify({});
    ASSERT_TRUE(rep) << rep.error().message;
    ASSERT_TRUE(rep->intact) << rep->failure->message;
    std::map<std::uint64_t, journal_entry> rows;
    auto list = j->sessions();
    ASSERT_TRUE(list) << list.error().message;
    for (const auto& s : *list) {
      auto r = j->read(s.id);
      ASSERT_TRUE(r) << r.error().message;
      for (auto& e : *r) rows.emplace(e.seq, std::move(e));
    }
    ASSERT_EQ(rows.size(), rep->rows);
    std::size_t k = 0;
    for (const auto& [seq, row] : rows) {
      ASSERT_EQ(seq, k + 1) << "rows are numbered without gaps";
      ASSERT_LT(k, events.size());
      ASSERT_EQ(row.canonical, canonical[k]) << "row " << seq << " is not input event " << k;
      ++k;
    }
    for (const auto& [seq, id] : acked) {
      const auto it = rows.find(seq);
      ASSERT_NE(it, rows.end()) << "acknowledged event " << id << " (row " << seq << ") was lost";
      ASSERT_EQ(it->second.event.id.str(), id);
    }
    ASSERT_GE(rows.size(), stored) << "rows disappeared";
    stored = rows.size();
  }
  EXPECT_GT(total_acks, 0U);
  EXPECT_GE(killed_mid_run, rounds / 4) << "too few kills landed while events were being appended";
  RecordProperty("rows_stored", static_cast<int>(stored));
  RecordProperty("kills_mid_run", static_cast<int>(killed_mid_run));
  RecordProperty("inputs_completed", static_cast<int>(completed));
}

// --- several processes ------------------------------------------------------------------------------

/// Forks `n` children running `body(i)`, releases them together, and returns their exit codes.
template <class F>
std::vector<int> run_children(int n, F body) {
  int gate[2];
  if (::pipe(gate) != 0) return {};
  std::vector<pid_t> pids;
  for (int i = 0; i < n; ++i) {
    const pid_t pid = ::fork();
    if (pid == 0) {
      ::close(gate[1]);
      char c = 0;
      (void)::read(gate[0], &c, 1);  // returns 0 when the parent closes the gate
      ::_exit(body(i));
    }
    pids.push_back(pid);
  }
  ::close(gate[0]);
  ::close(gate[1]);  // go
  std::vector<int> codes;
  for (const pid_t pid : pids) {
    int status = 0;
    ::waitpid(pid, &status, 0);
    codes.push_back(WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
  }
  return codes;
}

TEST(JournalConcurrency, SeveralProcessesAppendToDifferentSessionsOfOneFile) {
  temp_journal f("procs");
  { auto j = open_journal(f.path(), appending()); }  // the file exists before the race
  constexpr int processes = 4;
  constexpr std::size_t vitals = 40;
  const auto codes = run_children(processes, [&](int i) {
    auto j = sqlite_journal::open(f.path(), appending());
    if (!j) return 2;
    for (const auto& e : test::monitoring_session("P-" + std::to_string(i), vitals, static_cast<std::uint32_t>(i))) {
      auto r = j->append(e);
      if (!r || !r->stored) return 3;
    }
    return 0;
  });
  ASSERT_EQ(codes, std::vector<int>(processes, 0)) << "every append of every process must succeed";

  auto j = open_journal(f.path(), {});
  auto rep = j.verify({});
  ASSERT_TRUE(rep);
  EXPECT_TRUE(rep->intact);
  EXPECT_EQ(rep->rows, processes * test::monitoring_session("P-0", vitals).size());
  for (int i = 0; i < processes; ++i) {
    const auto expected = test::monitoring_session("P-" + std::to_string(i), vitals, static_cast<std::uint32_t>(i));
    auto rows = j.read(session_id{"P-" + std::to_string(i)});
    ASSERT_TRUE(rows) << rows.error().message;
    ASSERT_EQ(rows->size(), expected.size());
    for (std::size_t k = 0; k < expected.size(); ++k) EXPECT_EQ((*rows)[k].event, expected[k]);
    auto replayed = j.replay(session_id{"P-" + std::to_string(i)});
    ASSERT_TRUE(replayed);
    EXPECT_TRUE(replayed->consistent());
  }
}

TEST(JournalConcurrency, TwoWritersOnOneSessionNeverDecideOnStaleState) {
  temp_journal f("same-session");
  { auto j = open_journal(f.path(), appending()); }
  const auto events = test::monitoring_session("S-1", 60);
  const auto codes = run_children(2, [&](int) {
    auto j = sqlite_journal::open(f.path(), appending(durability::normal));
    if (!j) return 2;
    for (const auto& e : events) {
      if (!j->append(e)) return 3;
    }
    return 0;
  });
  ASSERT_EQ(codes, std::vector<int>(2, 0));

  auto j = open_journal(f.path(), {});
  auto rows = j.read(session_id{"S-1"});
  ASSERT_TRUE(rows);
  ASSERT_EQ(rows->size(), events.size()) << "each event id is stored once";
  session reference(test::test_protocol(), session_id{"S-1"});
  for (std::size_t k = 0; k < events.size(); ++k) {
    EXPECT_EQ((*rows)[k].event, events[k]);
    EXPECT_EQ((*rows)[k].decision, reference.apply(events[k])) << "row " << k + 1;
  }
  EXPECT_TRUE(j.replay(session_id{"S-1"})->consistent());
  EXPECT_TRUE(j.verify({})->intact);
}

}  // namespace
