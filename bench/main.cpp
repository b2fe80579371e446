// kap_bench's entry point: runs the benchmarks and then prints one row per pair
// (BM_<Pair>_Kap beside BM_<Pair>_Baseline): name, kap ns/op, baseline ns/op, ratio, target.
// --kap-json prints the rows as JSON instead. Other flags go to Google Benchmark. Exits 1 when a
// benchmark stopped with an error (bench.smoke runs it in the tests).
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstring>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace {

// Target ratios (kap / baseline) from the issues; a pair without a target prints "-".
const std::map<std::string, double, std::less<>> targets = {
    {"JsonDecode", 2.0},   {"JsonEncode", 2.0},     {"EventDecode", 2.0},         {"EventEncode", 2.0},
    {"Phq9Score", 1.5},    {"QidsScore", 1.5},      {"SessionApply", 1.5},        {"SessionLongHistory", 1.2},
    {"SimulateScaling", 1.2},
    {"JournalAppendFull", 1.10}, {"JournalAppendNormal", 1.25}, {"JournalAppendBatch100", 1.25},
    {"JournalRebuild", 1.25},    {"JournalAppendLarge", 1.2},
};

class collecting_reporter : public benchmark::ConsoleReporter {
 public:
  explicit collecting_reporter(bool quiet) : quiet_(quiet) {}
  bool ReportContext(const Context& context) override {
    return quiet_ ? true : benchmark::ConsoleReporter::ReportContext(context);
  }
  void ReportRuns(const std::vector<Run>& runs) override {
    for (const auto& run : runs) {
      if (run.error_occurred) failed_.push_back(run.benchmark_name());
      if (run.error_occurred || run.run_type != Run::RT_Iteration) continue;
      // A pair whose two sides process different amounts (a scaling pair) reports a per-item
      // cost in the counter "ns_per_patient" (seconds per item, kIsRate | kInvert): use it.
      double ns = run.GetAdjustedRealTime() * to_ns(run.time_unit);
      if (const auto it = run.counters.find("ns_per_patient"); it != run.counters.end()) ns = it->second.value * 1e9;
      results_[run.run_name.function_name] = ns;
    }
    if (!quiet_) benchmark::ConsoleReporter::ReportRuns(runs);
  }
  const std::map<std::string, double>& results() const { return results_; }
  /// The benchmarks that stopped with an error (SkipWithError): a baseline that disagrees with
  /// kap, a replay that failed.
  const std::vector<std::string>& failed() const { return failed_; }

 private:
  static double to_ns(benchmark::TimeUnit u) {
    switch (u) {
      case benchmark::kNanosecond: return 1.0;
      case benchmark::kMicrosecond: return 1e3;
      case benchmark::kMillisecond: return 1e6;
      case benchmark::kSecond: return 1e9;
    }
    return 1.0;
  }
  bool quiet_;
  std::map<std::string, double> results_;
  std::vector<std::string> failed_;
};

struct pair_row {
  std::string name;
  double kap_ns;
  double base_ns;
  double target;  // 0 when none
};

std::vector<pair_row> pairs(const std::map<std::string, double>& results) {
  std::vector<pair_row> rows;
  for (const auto& [name, ns] : results) {
    constexpr std::string_view suffix = "_Kap";
    if (name.size() < suffix.size() + 3 || name.compare(name.size() - suffix.size(), suffix.size(), suffix) != 0) continue;
    const std::string stem = name.substr(0, name.size() - suffix.size());
    const auto base = results.find(stem + "_Baseline");
    if (base == results.end()) continue;
    const std::string pair = stem.rfind("BM_", 0) == 0 ? stem.substr(3) : stem;
    const auto t = targets.find(pair);
    rows.push_back({pair, ns, base->second, t == targets.end() ? 0.0 : t->second});
  }
  return rows;
}

}  // namespace

int main(int argc, char** argv) {
  bool json = false;
  std::vector<char*> args;
  for (int i = 0; i < argc; ++i) {
    if (std::strcmp(argv[i], "--kap-json") == 0) {
      json = true;
    } else {
      args.push_back(argv[i]);
    }
  }
  int n = static_cast<int>(args.size());
  benchmark::Initialize(&n, args.data());
  if (benchmark::ReportUnrecognizedArguments(n, args.data())) return 2;
  collecting_reporter reporter(json);
  benchmark::RunSpecifiedBenchmarks(&reporter);
  benchmark::Shutdown();

  const auto rows = pairs(reporter.results());
  if (json) {
    std::printf("[");
    for (std::size_t i = 0; i < rows.size(); ++i) {
      const auto& r = rows[i];
      std::printf("%s{\"name\":\"%s\",\"kap_ns\":%.3f,\"baseline_ns\":%.3f,\"ratio\":%.3f", i ? "," : "", r.name.c_str(),
                  r.kap_ns, r.base_ns, r.kap_ns / r.base_ns);
      if (r.target > 0) std::printf(",\"target\":%.2f", r.target);
      std::printf("}");
    }
    std::printf("]\n");
  } else {
    std::printf("\n%-28s %14s %14s %8s %8s\n", "pair", "kap ns/op", "baseline ns/op", "ratio", "target");
    for (const auto& r : rows) {
      std::printf("%-28s %14.1f %14.1f %8.2f ", r.name.c_str(), r.kap_ns, r.base_ns, r.kap_ns / r.base_ns);
      if (r.target > 0) {
        std::printf("%8.2f\n", r.target);
      } else {
        std::printf("%8s\n", "-");
      }
    }
  }
  for (const auto& name : reporter.failed()) std::fprintf(stderr, "kap_bench: %s stopped with an error\n", name.c_str());
  return reporter.failed().empty() ? 0 : 1;
}
