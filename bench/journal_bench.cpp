// kap::sqlite_journal beside raw SQLite doing the same storage work with the same schema and
// pragmas (the schema is the journal's own: created by kap, then written by hand here).
//
//   JournalAppendFull     one event per transaction, synchronous=FULL (an fsync per event)
//   JournalAppendNormal   one event per transaction, synchronous=NORMAL
//   JournalAppendBatch100 100 events per transaction, synchronous=FULL
//   JournalRebuild        a 1,000-event session among 20,000 rows: indexed SELECT + decode + apply
//                         (kap's replay, which also re-derives and compares every decision) beside
//                         the same indexed SELECT + decode alone
//   JournalAppendLarge    kap's append (NORMAL) with 1,000,000 rows already in the file (_Kap)
//                         beside the same append with 1,000 rows in the file (_Baseline): the cost
//                         of a large file, not of kap
//
// The events arrive typed (kap::event), made ahead of the timed region. The baseline encodes
// each (kap::json::write_event: a store of typed events has to) and inserts its row with a
// fixed decision and a fixed 32-byte hash, in the same transactions; so what counts against
// kap is what the journal adds: the session engine's decision, the duplicate check, the chain
// hash, the file's head and the bookkeeping. Sessions hold 1,000 events each, then the next
// one opens (both sides add the session's row in the transaction of its first event).
// Files live under /tmp. KAP_BENCH_LARGE_ROWS changes the size of the large file (the smoke
// test uses a small one).
#include <kap/journal/sqlite_journal.hpp>
#include <kap/json.hpp>
#include <kap/protocol/validate.hpp>
#include <kap/session/session.hpp>

#include <benchmark/benchmark.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <random>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace bench {
namespace {

std::shared_ptr<const kap::validated_protocol> journal_protocol() {
  static const auto p = [] {
    std::ifstream in(KAP_BENCH_PROTOCOL);
    std::ostringstream ss;
    ss << in.rdbuf();
    return std::make_shared<const kap::validated_protocol>(
        kap::validate(kap::json::read_protocol(ss.str()).value()).value());
  }();
  return p;
}

// --- events ------------------------------------------------------------------------------------

/// A clinic's stream of sessions on the test protocol: each session is walked to monitoring
/// (screening, consent, checklist, vitals, dose, phases), then vitals a minute apart until it
/// holds `per_session` events; then the next session starts ("<prefix>-0", "<prefix>-1", ...).
/// About one vitals reading in twenty is recorded by a therapist (rejected: unauthorized).
class event_source {
 public:
  explicit event_source(std::string prefix, std::size_t per_session = 1000, std::uint32_t seed = 7)
      : prefix_(std::move(prefix)), per_session_(per_session), rng_(seed) {}

  /// The next event; `first` tells whether it opens a session.
  kap::event next(bool* first = nullptr) {
    if (in_session_ == per_session_ || sid_.empty()) start_session();
    if (first) *first = in_session_ == 0;
    ++in_session_;
    if (setup_pos_ < setup_.size()) return setup_[setup_pos_++];
    const bool bad = rng_() % 20 == 0;
    return make(bad ? kap::role::therapist : kap::role::nurse, vitals(110.0 + static_cast<double>(rng_() % 25)));
  }

 private:
  void start_session() {
    sid_ = prefix_ + "-" + std::to_string(sessions_++);
    in_session_ = 0;
    setup_pos_ = 0;
    setup_.clear();
    kap::events::screening s;
    s.weight_kg = kap::kilograms{80};
    s.age = 40;
    for (const char* c :
         {"aneurysmal_vascular_disease", "psychosis_history", "pregnancy", "uncontrolled_hypertension"}) {
      s.answers[c] = false;
    }
    setup_.push_back(make(kap::role::prescriber, s));
    setup_.push_back(make(kap::role::prescriber, kap::events::consent{"kap-session"}));
    setup_.push_back(make(kap::role::prescriber, kap::events::phase{"preparation"}));
    for (const char* item : {"intention_set", "fasting_confirmed", "driver_arranged"}) {
      setup_.push_back(make(kap::role::therapist, kap::events::checklist{item}));
    }
    setup_.push_back(make(kap::role::nurse, vitals(120)));
    setup_.push_back(make(kap::role::therapist, kap::events::phase{"dosing"}));
    setup_.push_back(
        make(kap::role::nurse, kap::events::dose{kap::drug::ketamine, kap::route::im, kap::milligrams{50}, {}}));
    setup_.push_back(make(kap::role::therapist, kap::events::phase{"guided_meditation"}));
    setup_.push_back(make(kap::role::therapist, kap::events::phase{"monitoring"}));
  }
  static kap::events::vitals vitals(double sys) {
    kap::events::vitals v;
    v.systolic = kap::mmhg{sys};
    v.diastolic = kap::mmhg{80};
    v.heart_rate = kap::bpm{72};
    v.spo2 = kap::spo2_percent{98};
    return v;
  }
  kap::event make(kap::role r, kap::payload body) {
    t_ += kap::minutes{1};
    kap::event e;
    std::string id = std::to_string(n_++);
    id.insert(id.begin(), 'e');  // not "e" + to_string(): GCC 12 -O2 warns -Wrestrict on it (a false positive)
    e.id = kap::event_id{id};
    e.session = kap::session_id{sid_};
    e.at = t_;
    e.actor = kap::actor{kap::actor_id{r == kap::role::prescriber ? "P-1" : r == kap::role::nurse ? "N-1" : "T-1"}, r,
                         true};
    e.body = std::move(body);
    return e;
  }
  std::string prefix_;
  std::size_t per_session_;
  std::mt19937 rng_;
  std::string sid_;
  std::size_t sessions_ = 0;
  std::size_t in_session_ = 0;
  std::size_t setup_pos_ = 0;
  std::vector<kap::event> setup_;
  kap::timestamp t_ = *kap::parse_rfc3339("2026-11-26T09:00:00Z");
  int n_ = 0;
};

/// Events made ahead in chunks (outside the timed region), so both sides of a pair time only
/// the store.
class event_pool {
 public:
  explicit event_pool(event_source& src) : src_(src) {}
  const kap::event& at(benchmark::State& state, std::size_t i) {
    if (i >= events_.size()) {
      state.PauseTiming();
      for (int k = 0; k < 4096; ++k) events_.push_back(src_.next());
      state.ResumeTiming();
    }
    return events_[i];
  }

 private:
  event_source& src_;
  std::vector<kap::event> events_;
};

// --- files --------------------------------------------------------------------------------------

class temp_file {
 public:
  explicit temp_file(const std::string& tag)
      : path_("/tmp/kap-journal-bench-" + std::to_string(::getpid()) + "-" + tag + ".db") {
    remove();
  }
  temp_file(const temp_file&) = delete;
  temp_file& operator=(const temp_file&) = delete;
  ~temp_file() { remove(); }
  [[nodiscard]] const std::string& path() const noexcept { return path_; }

 private:
  void remove() const {
    std::error_code ec;
    for (const char* s : {"", "-wal", "-shm", "-journal"}) std::filesystem::remove(path_ + s, ec);
  }
  std::string path_;
};

kap::sqlite_journal open_kap(const std::string& path, kap::durability d) {
  kap::journal_options o;
  o.protocol = journal_protocol();
  o.durability = d;
  auto j = kap::sqlite_journal::open(path, o);
  if (!j) throw std::runtime_error(j.error().message);
  return std::move(*j);
}

const std::string accepted_decision = R"({"outcome":"accepted"})";
const unsigned char fixed_hash[32] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,
                                      17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32};

/// A raw connection with the journal's pragmas and prepared statements.
class raw_journal {
 public:
  raw_journal(const std::string& path, kap::durability d) {
    { auto j = open_kap(path, d); }  // the same schema, created by kap
    if (sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nullptr) != SQLITE_OK) {
      throw std::runtime_error("cannot open " + path);
    }
    sqlite3_busy_timeout(db_, 5000);
    exec("PRAGMA journal_mode = WAL");
    exec(d == kap::durability::full ? "PRAGMA synchronous = FULL" : "PRAGMA synchronous = NORMAL");
    begin_ = prepare("BEGIN IMMEDIATE");
    commit_ = prepare("COMMIT");
    insert_ = prepare(
        "INSERT INTO events(seq, session, event_id, outcome, code, decision, event, hash, mac) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)");
    session_ = prepare(
        "INSERT INTO sessions(name, protocol_sha256, protocol_id, protocol_version) "
        "VALUES (?1, zeroblob(32), 'test-im', '1')");
  }
  raw_journal(const raw_journal&) = delete;
  raw_journal& operator=(const raw_journal&) = delete;
  ~raw_journal() {
    for (auto* s : {begin_, commit_, insert_, session_}) sqlite3_finalize(s);
    sqlite3_close_v2(db_);
  }
  [[nodiscard]] sqlite3* db() const noexcept { return db_; }

  void exec(const char* sql) {
    sqlite3_stmt* s = prepare(sql);
    while (sqlite3_step(s) == SQLITE_ROW) {
    }
    sqlite3_finalize(s);
  }
  sqlite3_stmt* prepare(const char* sql) {
    sqlite3_stmt* s = nullptr;
    if (sqlite3_prepare_v3(db_, sql, -1, SQLITE_PREPARE_PERSISTENT, &s, nullptr) != SQLITE_OK) {
      throw std::runtime_error(sqlite3_errmsg(db_));
    }
    return s;
  }
  /// A session row to hang rows on.
  std::int64_t add_session(const std::string& name) {
    sqlite3_bind_text(session_, 1, name.data(), static_cast<int>(name.size()), SQLITE_STATIC);
    step(session_);
    return sqlite3_last_insert_rowid(db_);
  }

  void begin() { step(begin_); }
  void commit() { step(commit_); }
  /// Encodes an event and inserts its row (an accepted decision and a fixed hash).
  void insert(std::int64_t seq, std::int64_t sid, const kap::event& e) {
    text_ = kap::json::write_event(e);
    const std::string& id = e.id.str();
    sqlite3_bind_int64(insert_, 1, seq);
    sqlite3_bind_int64(insert_, 2, sid);
    sqlite3_bind_text(insert_, 3, id.data(), static_cast<int>(id.size()), SQLITE_STATIC);
    sqlite3_bind_text(insert_, 4, "accepted", 8, SQLITE_STATIC);
    sqlite3_bind_null(insert_, 5);
    sqlite3_bind_text(insert_, 6, accepted_decision.data(), static_cast<int>(accepted_decision.size()), SQLITE_STATIC);
    sqlite3_bind_text(insert_, 7, text_.data(), static_cast<int>(text_.size()), SQLITE_STATIC);
    sqlite3_bind_blob(insert_, 8, fixed_hash, 32, SQLITE_STATIC);
    sqlite3_bind_null(insert_, 9);
    step(insert_);
  }

 private:
  void step(sqlite3_stmt* s) {
    const int rc = sqlite3_step(s);
    sqlite3_reset(s);
    if (rc != SQLITE_DONE) throw std::runtime_error(sqlite3_errmsg(db_));
  }
  sqlite3* db_ = nullptr;
  sqlite3_stmt* begin_ = nullptr;
  sqlite3_stmt* commit_ = nullptr;
  sqlite3_stmt* insert_ = nullptr;
  sqlite3_stmt* session_ = nullptr;
  std::string text_;
};

/// What the baseline stores per event: the event (encoded inside the timed region, as any
/// store of typed events must) and whether it opens a session (the baseline then adds the
/// session's row, as kap does in the same transaction).
struct raw_row {
  kap::event event;
  bool first = false;
};
raw_row make_row(event_source& src) {
  raw_row r;
  r.event = src.next(&r.first);
  return r;
}
class row_pool {
 public:
  explicit row_pool(event_source& src) : src_(src) {}
  const raw_row& at(benchmark::State& state, std::size_t i) {
    if (i >= rows_.size()) {
      state.PauseTiming();
      for (int k = 0; k < 4096; ++k) rows_.push_back(make_row(src_));
      state.ResumeTiming();
    }
    return rows_[i];
  }

 private:
  event_source& src_;
  std::vector<raw_row> rows_;
};

// --- appends ------------------------------------------------------------------------------------

void kap_append(benchmark::State& state, kap::durability d, const std::string& tag) {
  temp_file f(tag);
  auto j = open_kap(f.path(), d);
  event_source src("S");
  event_pool pool(src);
  std::size_t i = 0;
  for (auto _ : state) {
    auto r = j.append(pool.at(state, i++));
    benchmark::DoNotOptimize(r);
  }
  state.SetItemsProcessed(state.iterations());
}

void raw_append(benchmark::State& state, kap::durability d, const std::string& tag) {
  temp_file f(tag);
  raw_journal raw(f.path(), d);
  event_source src("S");
  row_pool pool(src);
  std::int64_t seq = 0;
  std::int64_t sid = 0;
  std::size_t i = 0;
  for (auto _ : state) {
    const raw_row& row = pool.at(state, i++);
    raw.begin();
    if (row.first) sid = raw.add_session(row.event.session.str());
    raw.insert(++seq, sid, row.event);
    raw.commit();
  }
  state.SetItemsProcessed(state.iterations());
}

void BM_JournalAppendFull_Kap(benchmark::State& state) { kap_append(state, kap::durability::full, "full-kap"); }
void BM_JournalAppendFull_Baseline(benchmark::State& state) { raw_append(state, kap::durability::full, "full-raw"); }
void BM_JournalAppendNormal_Kap(benchmark::State& state) { kap_append(state, kap::durability::normal, "normal-kap"); }
void BM_JournalAppendNormal_Baseline(benchmark::State& state) {
  raw_append(state, kap::durability::normal, "normal-raw");
}

constexpr std::size_t batch = 100;

void BM_JournalAppendBatch100_Kap(benchmark::State& state) {
  temp_file f("batch-kap");
  auto j = open_kap(f.path(), kap::durability::full);
  event_source src("S");
  std::vector<kap::event> events;
  for (auto _ : state) {
    state.PauseTiming();
    events.clear();
    for (std::size_t k = 0; k < batch; ++k) events.push_back(src.next());
    state.ResumeTiming();
    auto r = j.append(std::span<const kap::event>(events));
    benchmark::DoNotOptimize(r);
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(batch));
}

void BM_JournalAppendBatch100_Baseline(benchmark::State& state) {
  temp_file f("batch-raw");
  raw_journal raw(f.path(), kap::durability::full);
  event_source src("S");
  std::vector<raw_row> rows;
  std::int64_t seq = 0;
  std::int64_t sid = 0;
  for (auto _ : state) {
    state.PauseTiming();
    rows.clear();
    for (std::size_t k = 0; k < batch; ++k) rows.push_back(make_row(src));
    state.ResumeTiming();
    raw.begin();
    for (const auto& row : rows) {
      if (row.first) sid = raw.add_session(row.event.session.str());
      raw.insert(++seq, sid, row.event);
    }
    raw.commit();
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(batch));
}

// --- rebuilding a session -----------------------------------------------------------------------

constexpr int rebuild_sessions = 20;
constexpr std::size_t rebuild_events = 1000;

/// A file of 20 sessions x 1,000 events ("R0-0" ... "R19-0"), interleaved in blocks of 10,
/// appended by kap.
const std::string& rebuild_file() {
  static temp_file f("rebuild");
  static const bool built = [] {
    auto j = open_kap(f.path(), kap::durability::normal);
    std::vector<event_source> sources;
    for (int s = 0; s < rebuild_sessions; ++s) {
      sources.emplace_back("R" + std::to_string(s), rebuild_events, static_cast<std::uint32_t>(s));
    }
    for (std::size_t block = 0; block < rebuild_events / 10; ++block) {
      std::vector<kap::event> tx;
      for (auto& src : sources) {
        for (int k = 0; k < 10; ++k) tx.push_back(src.next());
      }
      if (!j.append(std::span<const kap::event>(tx))) throw std::runtime_error("rebuild file");
    }
    return true;
  }();
  (void)built;
  return f.path();
}

void BM_JournalRebuild_Kap(benchmark::State& state) {
  journal_protocol();
  kap::journal_options o;
  o.create = false;
  auto j = kap::sqlite_journal::open(rebuild_file(), o).value();
  const auto protocol = journal_protocol();
  const kap::session_id id{"R7-0"};
  for (auto _ : state) {
    auto r = j.replay(id, protocol);
    if (!r || !r->consistent()) state.SkipWithError("replay failed");
    benchmark::DoNotOptimize(r);
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(rebuild_events));
}

void BM_JournalRebuild_Baseline(benchmark::State& state) {
  const std::string& path = rebuild_file();
  sqlite3* db = nullptr;
  sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nullptr);
  sqlite3_stmt* find = nullptr;
  sqlite3_stmt* rows = nullptr;
  sqlite3_prepare_v3(db, "SELECT sid FROM sessions WHERE name = ?1", -1, SQLITE_PREPARE_PERSISTENT, &find, nullptr);
  sqlite3_prepare_v3(db, "SELECT seq, event FROM events WHERE session = ?1 AND seq > ?2 ORDER BY seq", -1,
                     SQLITE_PREPARE_PERSISTENT, &rows, nullptr);
  const std::string name = "R7-0";
  for (auto _ : state) {
    sqlite3_bind_text(find, 1, name.data(), static_cast<int>(name.size()), SQLITE_STATIC);
    sqlite3_step(find);
    const std::int64_t sid = sqlite3_column_int64(find, 0);
    sqlite3_reset(find);
    sqlite3_bind_int64(rows, 1, sid);
    sqlite3_bind_int64(rows, 2, 0);
    std::size_t n = 0;
    while (sqlite3_step(rows) == SQLITE_ROW) {
      const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(rows, 1));
      const auto len = static_cast<std::size_t>(sqlite3_column_bytes(rows, 1));
      auto e = kap::json::read_event(std::string_view(p, len));
      benchmark::DoNotOptimize(e);
      n += e ? 1U : 0U;
    }
    sqlite3_reset(rows);
    if (n != rebuild_events) state.SkipWithError("decode failed");
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(rebuild_events));
  sqlite3_finalize(find);
  sqlite3_finalize(rows);
  sqlite3_close_v2(db);
}

// --- appending to a large file ------------------------------------------------------------------

std::size_t large_rows() {
  const char* v = std::getenv("KAP_BENCH_LARGE_ROWS");
  return v ? static_cast<std::size_t>(std::strtoull(v, nullptr, 10)) : 1'000'000;
}

/// A journal file holding `n` rows in sessions of 1,000, written by a fast raw bulk insert in
/// one transaction (realistic events; their hashes are not a real chain, which appending does
/// not read).
void fill_rows(const std::string& path, std::size_t n) {
  raw_journal raw(path, kap::durability::normal);
  raw.exec("PRAGMA synchronous = OFF");
  raw.begin();
  std::int64_t seq = 0;
  std::int64_t sid = 0;
  event_source src("B");
  for (std::size_t i = 0; i < n; ++i) {
    const raw_row row = make_row(src);
    if (row.first) sid = raw.add_session(row.event.session.str());
    raw.insert(++seq, sid, row.event);
  }
  raw.commit();
  raw.exec("PRAGMA wal_checkpoint(TRUNCATE)");
  // Flush the bulk-written pages now, so the timed appends do not pay for them at a checkpoint.
  const int fd = ::open(path.c_str(), O_RDONLY);
  if (fd >= 0) {
    (void)::fsync(fd);
    ::close(fd);
  }
}

void append_after(benchmark::State& state, std::size_t rows, const std::string& tag) {
  temp_file f(tag);
  fill_rows(f.path(), rows);
  auto j = open_kap(f.path(), kap::durability::normal);
  event_source src("S");
  event_pool pool(src);
  std::size_t i = 0;
  for (auto _ : state) {
    auto r = j.append(pool.at(state, i++));
    benchmark::DoNotOptimize(r);
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["rows_before"] = static_cast<double>(rows);
}

void BM_JournalAppendLarge_Kap(benchmark::State& state) { append_after(state, large_rows(), "large"); }
void BM_JournalAppendLarge_Baseline(benchmark::State& state) { append_after(state, 1000, "small"); }

BENCHMARK(BM_JournalAppendFull_Kap)->Unit(benchmark::kMicrosecond)->UseRealTime();
BENCHMARK(BM_JournalAppendFull_Baseline)->Unit(benchmark::kMicrosecond)->UseRealTime();
BENCHMARK(BM_JournalAppendNormal_Kap)->Unit(benchmark::kMicrosecond)->UseRealTime();
BENCHMARK(BM_JournalAppendNormal_Baseline)->Unit(benchmark::kMicrosecond)->UseRealTime();
BENCHMARK(BM_JournalAppendBatch100_Kap)->Unit(benchmark::kMicrosecond)->UseRealTime();
BENCHMARK(BM_JournalAppendBatch100_Baseline)->Unit(benchmark::kMicrosecond)->UseRealTime();
BENCHMARK(BM_JournalRebuild_Kap)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_JournalRebuild_Baseline)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_JournalAppendLarge_Kap)->Unit(benchmark::kMicrosecond)->UseRealTime();
BENCHMARK(BM_JournalAppendLarge_Baseline)->Unit(benchmark::kMicrosecond)->UseRealTime();

}  // namespace
}  // namespace bench
