// Threads sharing one journal file, each through its own kap::sqlite_journal (a journal object is
// not thread-safe; several objects may share a file: docs/journal.md). Besides checking the
// record, these are the tests the ThreadSanitizer build runs (preset ci-tsan, from
// scripts/test): any data race in kap between journal objects, in the shared protocol or in
// process-wide state (the JSON codec, the hashing, SQLite's and OpenSSL's use) shows up here.

#include <kap/journal/sqlite_journal.hpp>

#include "journal_helpers.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstddef>
#include <string>
#include <thread>
#include <vector>

namespace {

using namespace kap;
using kap::test::appending;
using kap::test::open_journal;
using kap::test::temp_journal;

journal_options threaded(const std::shared_ptr<const validated_protocol>& protocol) {
  journal_options o;
  o.protocol = protocol;  // one protocol object shared by every thread
  o.durability = durability::normal;
  o.busy_timeout = std::chrono::milliseconds{60000};  // sanitizer builds are slow: never time out
  return o;
}

/// What one writer thread saw.
struct writer_log {
  std::string failure;  // the first error, or ""
  std::vector<append_result> results;
};

TEST(JournalThreads, WritersOnDifferentSessionsAndReadersShareOneFile) {
  temp_journal f("threads");
  const auto protocol = test::test_protocol();
  { auto j = open_journal(f.path(), threaded(protocol)); }  // the file exists before the race
  constexpr int writers = 3;
  constexpr std::size_t vitals = 25;
  std::vector<std::vector<event>> streams;
  for (int i = 0; i < writers; ++i) {
    streams.push_back(test::monitoring_session("T-" + std::to_string(i), vitals, static_cast<std::uint32_t>(i)));
  }

  std::vector<writer_log> logs(writers);
  std::atomic<int> running{writers};
  std::atomic<int> reads{0};
  std::string reader_failure;
  std::vector<std::thread> threads;
  for (int i = 0; i < writers; ++i) {
    threads.emplace_back([&, i] {
      auto j = sqlite_journal::open(f.path(), threaded(protocol));
      if (!j) {
        logs[static_cast<std::size_t>(i)].failure = j.error().message;
      } else {
        for (const auto& e : streams[static_cast<std::size_t>(i)]) {
          auto r = j->append(e);
          if (!r) {
            logs[static_cast<std::size_t>(i)].failure = r.error().message;
            break;
          }
          logs[static_cast<std::size_t>(i)].results.push_back(std::move(*r));
        }
      }
      running.fetch_sub(1);
    });
  }
  // A reader lists, reads and verifies while the writers append: it sees a consistent prefix.
  threads.emplace_back([&] {
    auto j = sqlite_journal::open(f.path(), threaded(protocol));
    if (!j) {
      reader_failure = j.error().message;
      return;
    }
    do {
      auto sessions = j->sessions();
      if (!sessions) {
        reader_failure = sessions.error().message;
        return;
      }
      for (const auto& s : *sessions) {
        auto rows = j->read(s.id);
        if (!rows || rows->size() < s.events) {
          reader_failure = rows ? "a session shrank while read" : rows.error().message;
          return;
        }
      }
      auto v = j->verify({});
      if (!v || !v->intact) {
        reader_failure = v ? v->failure->message : v.error().message;
        return;
      }
      reads.fetch_add(1);
    } while (running.load() > 0);
  });
  for (auto& t : threads) t.join();

  EXPECT_EQ(reader_failure, "");
  EXPECT_GE(reads.load(), 1);
  auto j = open_journal(f.path(), {});
  std::size_t total = 0;
  for (int i = 0; i < writers; ++i) {
    const auto& log = logs[static_cast<std::size_t>(i)];
    const auto& stream = streams[static_cast<std::size_t>(i)];
    ASSERT_EQ(log.failure, "") << "writer " << i;
    ASSERT_EQ(log.results.size(), stream.size());
    auto rows = j.read(stream.front().session);
    ASSERT_TRUE(rows) << rows.error().message;
    ASSERT_EQ(rows->size(), stream.size());
    session reference(protocol, stream.front().session);
    for (std::size_t k = 0; k < stream.size(); ++k) {
      EXPECT_TRUE(log.results[k].stored);
      EXPECT_EQ((*rows)[k].seq, log.results[k].seq);
      EXPECT_EQ((*rows)[k].event, stream[k]);
      EXPECT_EQ((*rows)[k].decision, reference.apply(stream[k])) << "writer " << i << ", event " << k;
    }
    total += stream.size();
  }
  auto rep = j.verify({});
  ASSERT_TRUE(rep);
  EXPECT_TRUE(rep->intact);
  EXPECT_EQ(rep->rows, total);
}

TEST(JournalThreads, TwoThreadsOnOneSessionStoreEachEventOnce) {
  temp_journal f("threads-same");
  const auto protocol = test::test_protocol();
  { auto j = open_journal(f.path(), threaded(protocol)); }
  const auto events = test::monitoring_session("S-1", 40);
  std::vector<writer_log> logs(2);
  std::vector<std::thread> threads;
  for (std::size_t i = 0; i < logs.size(); ++i) {
    threads.emplace_back([&, i] {
      auto j = sqlite_journal::open(f.path(), threaded(protocol));
      if (!j) {
        logs[i].failure = j.error().message;
        return;
      }
      for (const auto& e : events) {
        auto r = j->append(e);
        if (!r) {
          logs[i].failure = r.error().message;
          return;
        }
        logs[i].results.push_back(std::move(*r));
      }
    });
  }
  for (auto& t : threads) t.join();

  for (const auto& log : logs) {
    ASSERT_EQ(log.failure, "");
    ASSERT_EQ(log.results.size(), events.size());
  }
  session reference(protocol, session_id{"S-1"});
  for (std::size_t k = 0; k < events.size(); ++k) {
    // Exactly one thread stored each event; the other got it as a retry of the same row: the
    // stored decision, marked duplicate.
    const auto& a = logs[0].results[k];
    const auto& b = logs[1].results[k];
    EXPECT_NE(a.stored, b.stored) << "event " << k;
    EXPECT_EQ(a.seq, b.seq) << "event " << k;
    const auto& stored = a.stored ? a : b;
    const auto& other = a.stored ? b : a;
    EXPECT_EQ(stored.decision, reference.apply(events[k])) << "event " << k;
    EXPECT_TRUE(other.duplicate) << "event " << k;
    EXPECT_FALSE(stored.duplicate) << "event " << k;
    EXPECT_EQ(other.decision, stored.decision) << "event " << k;
  }
  auto j = open_journal(f.path(), {});
  auto rows = j.read(session_id{"S-1"});
  ASSERT_TRUE(rows);
  EXPECT_EQ(rows->size(), events.size());
  EXPECT_TRUE(j.replay(session_id{"S-1"})->consistent());
  EXPECT_TRUE(j.verify({})->intact);
}

}  // namespace
