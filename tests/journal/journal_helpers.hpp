#pragma once

// Helpers for the journal tests: temporary journal files, the test protocol, realistic event
// streams (the test-im scenarios plus a generated long monitoring session), raw SQLite access
// for tampering, and an independent implementation of the documented hash chain.

#include <kap/journal/sqlite_journal.hpp>
#include <kap/json.hpp>
#include <kap/protocol/validate.hpp>
#include <kap/session/session.hpp>

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <sqlite3.h>
#include <unistd.h>

#include <array>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <random>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace kap::test {

inline std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

inline std::shared_ptr<const validated_protocol> test_protocol(const std::string& name = "test-im") {
  auto p = json::read_protocol(slurp(std::string(KAP_TEST_DATA_DIR) + "/protocols/" + name + ".json"));
  if (!p) throw std::runtime_error(p.error().message);
  auto v = validate(std::move(*p));
  if (!v) throw std::runtime_error(v.error().message);
  return std::make_shared<const validated_protocol>(std::move(*v));
}

/// The events of tests/data/scenarios/test-im/<name>.jsonl.
inline std::vector<event> scenario(const std::string& name) {
  std::vector<event> out;
  for (auto& l : json::read_events_jsonl(slurp(std::string(KAP_TEST_DATA_DIR) + "/scenarios/test-im/" + name +
                                               ".jsonl"))) {
    if (!l.event) throw std::runtime_error(l.event.error().message);
    out.push_back(std::move(*l.event));
  }
  return out;
}

/// The lines of a scenario file, as read (for byte comparisons after canonicalisation).
inline std::vector<std::string> canonical_lines(const std::vector<event>& events) {
  std::vector<std::string> out;
  for (const auto& e : events) out.push_back(json::write_event(e));
  return out;
}

/// A long session on test-im: screened, consented, walked to monitoring, then `vitals` readings
/// a minute apart; about one in twenty is recorded by a therapist (rejected: unauthorized).
inline std::vector<event> monitoring_session(const std::string& sid, std::size_t vitals, std::uint32_t seed = 7) {
  std::mt19937 rng(seed);
  std::vector<event> out;
  timestamp t = *parse_rfc3339("2026-11-26T09:00:00Z");
  int n = 0;
  auto add = [&](role r, payload body) {
    t += minutes{1};
    event e;
    e.id = event_id{sid + "-e" + std::to_string(n++)};
    e.session = session_id{sid};
    e.at = t;
    const char* who = r == role::prescriber ? "P-1" : r == role::nurse ? "N-1" : "T-1";
    e.actor = actor{actor_id{who}, r, true};
    e.body = std::move(body);
    out.push_back(std::move(e));
  };
  events::screening s;
  s.weight_kg = kilograms{80};
  s.age = 40;
  for (const char* c : {"aneurysmal_vascular_disease", "psychosis_history", "pregnancy", "uncontrolled_hypertension"}) {
    s.answers[c] = false;
  }
  auto reading = [&](double sys) {
    events::vitals v;
    v.systolic = mmhg{sys};
    v.diastolic = mmhg{80};
    v.heart_rate = bpm{72};
    v.spo2 = spo2_percent{98};
    return v;
  };
  add(role::prescriber, s);
  add(role::prescriber, events::consent{"kap-session"});
  add(role::prescriber, events::phase{"preparation"});
  for (const char* item : {"intention_set", "fasting_confirmed", "driver_arranged"}) {
    add(role::therapist, events::checklist{item});
  }
  add(role::nurse, reading(120));
  add(role::therapist, events::phase{"dosing"});
  add(role::nurse, events::dose{drug::ketamine, route::im, milligrams{50}, std::nullopt});
  add(role::therapist, events::phase{"guided_meditation"});
  add(role::therapist, events::phase{"monitoring"});
  for (std::size_t i = 0; i < vitals; ++i) {
    const bool bad = rng() % 20 == 0;
    add(bad ? role::therapist : role::nurse, reading(110.0 + static_cast<double>(rng() % 25)));
  }
  return out;
}

/// A fresh path under /tmp for one test, removed (with -wal and -shm) when the object dies.
class temp_journal {
 public:
  explicit temp_journal(const std::string& tag) {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    path_ = "/tmp/kap-journal-test-" + std::to_string(::getpid()) + "-" + tag + "-" +
            (info ? std::string(info->name()) : std::string("x")) + ".db";
    remove();
  }
  temp_journal(const temp_journal&) = delete;
  temp_journal& operator=(const temp_journal&) = delete;
  ~temp_journal() { remove(); }
  [[nodiscard]] const std::string& path() const noexcept { return path_; }

 private:
  void remove() const {
    std::error_code ec;
    for (const char* suffix : {"", "-wal", "-shm", "-journal"}) std::filesystem::remove(path_ + suffix, ec);
  }
  std::string path_;
};

/// Opens a journal or fails the test.
inline sqlite_journal open_journal(const std::string& path, journal_options opt = {}) {
  auto j = sqlite_journal::open(path, std::move(opt));
  if (!j) throw std::runtime_error(std::string(to_string(j.error().code)) + ": " + j.error().message);
  return std::move(*j);
}

/// Options appending under test-im.
inline journal_options appending(durability d = durability::full) {
  journal_options o;
  o.protocol = test_protocol();
  o.durability = d;
  return o;
}

/// A raw SQLite connection for tampering with a journal file (closed on destruction).
class raw_db {
 public:
  explicit raw_db(const std::string& path) {
    if (sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) {
      throw std::runtime_error("cannot open " + path);
    }
  }
  raw_db(const raw_db&) = delete;
  raw_db& operator=(const raw_db&) = delete;
  ~raw_db() { sqlite3_close_v2(db_); }
  [[nodiscard]] sqlite3* get() const noexcept { return db_; }

  /// Runs SQL without parameters (test set-up only).
  void exec(const std::string& sql) {
    char* msg = nullptr;
    if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &msg) != SQLITE_OK) {
      std::string m = msg ? msg : "?";
      sqlite3_free(msg);
      throw std::runtime_error(m + " in " + sql);
    }
  }

  /// The first column of the first row, as text ("" when there is no row); `arg` binds ?1.
  std::string text(const std::string& sql, std::int64_t arg = 0) {
    sqlite3_stmt* s = nullptr;
    sqlite3_prepare_v2(db_, sql.c_str(), -1, &s, nullptr);
    if (sqlite3_bind_parameter_count(s) > 0) sqlite3_bind_int64(s, 1, arg);
    std::string out;
    if (sqlite3_step(s) == SQLITE_ROW) {
      const auto* p = sqlite3_column_text(s, 0);
      out.assign(reinterpret_cast<const char*>(p), static_cast<std::size_t>(sqlite3_column_bytes(s, 0)));
    }
    sqlite3_finalize(s);
    return out;
  }

  /// Sets a text column of one row of `events` to `value`.
  void set_event_column(const std::string& column, std::int64_t seq, const std::string& value) {
    sqlite3_stmt* s = nullptr;
    const std::string sql = "UPDATE events SET " + column + " = ?1 WHERE seq = ?2";
    ASSERT_EQ(sqlite3_prepare_v2(db_, sql.c_str(), -1, &s, nullptr), SQLITE_OK);
    sqlite3_bind_text(s, 1, value.data(), static_cast<int>(value.size()), SQLITE_TRANSIENT);
    sqlite3_bind_int64(s, 2, seq);
    ASSERT_EQ(sqlite3_step(s), SQLITE_DONE);
    sqlite3_finalize(s);
  }

 private:
  sqlite3* db_ = nullptr;
};

/// An independent implementation of the chain hash documented in docs/journal.md, so the tests
/// check the documented layout rather than kap's own code.
struct documented_chain {
  using digest = std::array<unsigned char, 32>;

  static void put(std::string& m, std::uint64_t v, int bytes) {
    for (int i = bytes - 1; i >= 0; --i) m.push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
  }
  static digest sha256(const std::string& m) {
    digest d{};
    unsigned int n = 0;
    EVP_Digest(m.data(), m.size(), d.data(), &n, EVP_sha256(), nullptr);
    return d;
  }
  static digest row_hash(const digest& prev, std::uint64_t seq, const std::string& session, const digest& protocol,
                         const std::string& decision, const std::string& event) {
    std::string m("kap.journal/1", 13);
    m.push_back('\0');
    m.append(reinterpret_cast<const char*>(prev.data()), prev.size());
    put(m, seq, 8);
    put(m, session.size(), 4);
    m += session;
    m.append(reinterpret_cast<const char*>(protocol.data()), protocol.size());
    put(m, decision.size(), 4);
    m += decision;
    put(m, event.size(), 4);
    m += event;
    return sha256(m);
  }

  /// Recomputes and rewrites every row's plain hash from `from_seq` on (what an attacker with
  /// write access and no key can do).
  static void rewrite(raw_db& db, std::int64_t from_seq) {
    sqlite3_stmt* s = nullptr;
    sqlite3_prepare_v2(db.get(),
                       "SELECT e.seq, s.name, s.protocol_sha256, e.decision, e.event, e.hash FROM events e "
                       "JOIN sessions s ON s.sid = e.session ORDER BY e.seq",
                       -1, &s, nullptr);
    digest prev{};
    std::vector<std::pair<std::int64_t, digest>> updates;
    while (sqlite3_step(s) == SQLITE_ROW) {
      const std::int64_t seq = sqlite3_column_int64(s, 0);
      auto text = [&](int i) {
        return std::string(reinterpret_cast<const char*>(sqlite3_column_text(s, i)),
                           static_cast<std::size_t>(sqlite3_column_bytes(s, i)));
      };
      digest proto{};
      std::memcpy(proto.data(), sqlite3_column_blob(s, 2), 32);
      if (seq < from_seq) {
        std::memcpy(prev.data(), sqlite3_column_blob(s, 5), 32);
        continue;
      }
      prev = row_hash(prev, static_cast<std::uint64_t>(seq), text(1), proto, text(3), text(4));
      updates.emplace_back(seq, prev);
    }
    sqlite3_finalize(s);
    for (const auto& [seq, h] : updates) {
      sqlite3_stmt* u = nullptr;
      sqlite3_prepare_v2(db.get(), "UPDATE events SET hash = ?1 WHERE seq = ?2", -1, &u, nullptr);
      sqlite3_bind_blob(u, 1, h.data(), 32, SQLITE_TRANSIENT);
      sqlite3_bind_int64(u, 2, seq);
      sqlite3_step(u);
      sqlite3_finalize(u);
    }
  }
};

}  // namespace kap::test
