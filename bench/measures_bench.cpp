// Scoring throughput: kap's integer fast path next to a hand-written loop doing the same
// arithmetic with the same range checks, in one binary so the ratio is read from one run.
// Target (issue #3): kap within 1.5x of the baseline for PHQ-9 and QIDS-SR16.
//
// Each iteration scores 1M pre-generated records (seeded, so every run scores the same data).
// Both sides produce a total, a band and the suicidal-ideation flag per record and hand it to
// benchmark::DoNotOptimize. Linked with benchmark_main by the bench runner (no BENCHMARK_MAIN).

#include <kap/measures/score.hpp>

#include <benchmark/benchmark.h>

#include <cstddef>
#include <cstdint>
#include <random>
#include <span>
#include <vector>

namespace {

constexpr std::size_t record_count = 1'000'000;
constexpr auto phq9 = kap::measures::instrument_id::phq9;
constexpr auto qids = kap::measures::instrument_id::qids_sr16;

/// `record_count` records of `items` answers in 0..max, row-major, from a fixed seed.
std::vector<int> make_records(std::size_t items, int max, std::uint32_t seed) {
  std::mt19937 gen(seed);
  std::uniform_int_distribution<int> dist(0, max);
  std::vector<int> v(record_count * items);
  for (int& x : v) x = dist(gen);
  return v;
}

const std::vector<int>& phq9_records() {
  static const std::vector<int> v = make_records(9, 3, 20261126u);
  return v;
}

const std::vector<int>& qids_records() {
  static const std::vector<int> v = make_records(16, 3, 20261127u);
  return v;
}

/// What the hand-written loops produce per record.
struct baseline_result {
  int total;
  int band;
  bool flag;
  bool ok;
};

void BM_Phq9Score_Kap(benchmark::State& state) {
  const std::vector<int>& data = phq9_records();
  for (auto _ : state) {
    for (std::size_t r = 0; r < record_count; ++r) {
      auto s = kap::measures::score<phq9>(std::span<const int, 9>(data.data() + r * 9, 9));
      benchmark::DoNotOptimize(s);
    }
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * static_cast<std::int64_t>(record_count));
}
BENCHMARK(BM_Phq9Score_Kap)->Unit(benchmark::kMillisecond);

void BM_Phq9Score_Baseline(benchmark::State& state) {
  const std::vector<int>& data = phq9_records();
  for (auto _ : state) {
    for (std::size_t r = 0; r < record_count; ++r) {
      const int* p = data.data() + r * 9;
      int total = 0;
      unsigned bad = 0;
      for (int i = 0; i < 9; ++i) {
        total += p[i];
        bad |= static_cast<unsigned>(static_cast<unsigned>(p[i]) > 3u);
      }
      const int band = total >= 20 ? 4 : total >= 15 ? 3 : total >= 10 ? 2 : total >= 5 ? 1 : 0;
      baseline_result out{total, band, p[8] >= 1, bad == 0};
      benchmark::DoNotOptimize(out);
    }
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * static_cast<std::int64_t>(record_count));
}
BENCHMARK(BM_Phq9Score_Baseline)->Unit(benchmark::kMillisecond);

void BM_QidsScore_Kap(benchmark::State& state) {
  const std::vector<int>& data = qids_records();
  for (auto _ : state) {
    for (std::size_t r = 0; r < record_count; ++r) {
      auto s = kap::measures::score<qids>(std::span<const int, 16>(data.data() + r * 16, 16));
      benchmark::DoNotOptimize(s);
    }
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * static_cast<std::int64_t>(record_count));
}
BENCHMARK(BM_QidsScore_Kap)->Unit(benchmark::kMillisecond);

void BM_QidsScore_Baseline(benchmark::State& state) {
  const std::vector<int>& data = qids_records();
  auto max2 = [](int a, int b) { return a > b ? a : b; };
  for (auto _ : state) {
    for (std::size_t r = 0; r < record_count; ++r) {
      const int* p = data.data() + r * 16;
      unsigned bad = 0;
      for (int i = 0; i < 16; ++i) bad |= static_cast<unsigned>(static_cast<unsigned>(p[i]) > 3u);
      const int sleep = max2(max2(p[0], p[1]), max2(p[2], p[3]));
      const int appetite = max2(max2(p[5], p[6]), max2(p[7], p[8]));
      const int total = sleep + p[4] + appetite + p[9] + p[10] + p[11] + p[12] + p[13] + max2(p[14], p[15]);
      const int band = total >= 21 ? 4 : total >= 16 ? 3 : total >= 11 ? 2 : total >= 6 ? 1 : 0;
      baseline_result out{total, band, p[11] >= 1, bad == 0};
      benchmark::DoNotOptimize(out);
    }
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * static_cast<std::int64_t>(record_count));
}
BENCHMARK(BM_QidsScore_Baseline)->Unit(benchmark::kMillisecond);

}  // namespace
