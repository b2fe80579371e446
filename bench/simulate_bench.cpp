// The simulator through the real engine: cost per simulated patient (6 dosing sessions each)
// for a cohort of 100,000 beside a cohort of 1,000 - the cost must grow linearly, so the ratio
// of the per-patient costs stays near 1.
#include <kap/course/simulate.hpp>
#include <kap/json.hpp>

#include <benchmark/benchmark.h>

#include <memory>

namespace bench {
namespace {

std::shared_ptr<const kap::validated_protocol> im_kap() {
  static const auto p = std::make_shared<const kap::validated_protocol>(
      kap::validate(kap::json::reference_protocol("im-kap").value()).value());
  return p;
}

void simulate_patients(benchmark::State& state, std::size_t patients) {
  std::size_t sessions = 0;
  for (auto _ : state) {
    kap::course::simulation_params params;
    params.seed = 7;
    auto courses = kap::course::simulate(params, {kap::course::default_arm("im-kap", im_kap(), patients)});
    for (const auto& c : courses) sessions += static_cast<std::size_t>(c.sessions_completed + c.sessions_aborted);
    benchmark::DoNotOptimize(courses);
  }
  // Reported per patient, so the two sizes compare directly.
  const double items = static_cast<double>(state.iterations()) * static_cast<double>(patients);
  state.SetItemsProcessed(static_cast<std::int64_t>(items));
  state.counters["ns_per_patient"] = benchmark::Counter(items,
                                                        benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
  state.counters["sessions_per_s"] = benchmark::Counter(static_cast<double>(sessions), benchmark::Counter::kIsRate);
}

// Time per iteration divided by patients is what scripts/bench compares: both report per patient.
void BM_SimulateScaling_Kap(benchmark::State& state) { simulate_patients(state, 100000); }
void BM_SimulateScaling_Baseline(benchmark::State& state) { simulate_patients(state, 1000); }
BENCHMARK(BM_SimulateScaling_Kap)->Iterations(1)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_SimulateScaling_Baseline)->Iterations(3)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace bench
