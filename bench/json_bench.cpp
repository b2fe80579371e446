// JSON: typed decode of an event-sized record vs raw boost::json::parse of the same text, and
// typed encode vs raw boost::json::serialize of the same (already built) value.
#include <kap/json.hpp>

#include <benchmark/benchmark.h>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <optional>
#include <string>

namespace bench {

// The shape of a vitals event on the wire (DESIGN.md "Wire formats").
struct vitals_record {
  kap::event_id id;
  kap::session_id session;
  kap::timestamp at;
  kap::actor actor;
  std::string type;
  std::optional<kap::mmhg> systolic;
  std::optional<kap::mmhg> diastolic;
  std::optional<kap::bpm> heart_rate;
  std::optional<kap::spo2_percent> spo2;
};
BOOST_DESCRIBE_STRUCT(vitals_record, (), (id, session, at, actor, type, systolic, diastolic, heart_rate, spo2))

const std::string text =
    R"({"id":"e-0007","session":"S-0001","at":"2026-11-26T10:15:00Z",)"
    R"("actor":{"id":"N-7","role":"nurse","licensed":true},)"
    R"("type":"vitals","systolic":132,"diastolic":84,"heart_rate":78,"spo2":98})";

void BM_JsonDecode_Kap(benchmark::State& state) {
  for (auto _ : state) {
    auto r = kap::json::from_string<vitals_record>(text);
    benchmark::DoNotOptimize(r);
  }
}
BENCHMARK(BM_JsonDecode_Kap);

void BM_JsonDecode_Baseline(benchmark::State& state) {
  for (auto _ : state) {
    auto v = boost::json::parse(text);
    benchmark::DoNotOptimize(v);
  }
}
BENCHMARK(BM_JsonDecode_Baseline);

void BM_JsonEncode_Kap(benchmark::State& state) {
  const auto rec = kap::json::from_string<vitals_record>(text).value();
  for (auto _ : state) {
    auto s = kap::json::to_string(rec);
    benchmark::DoNotOptimize(s);
  }
}
BENCHMARK(BM_JsonEncode_Kap);

void BM_JsonEncode_Baseline(benchmark::State& state) {
  const auto v = boost::json::parse(text);
  for (auto _ : state) {
    auto s = boost::json::serialize(v);
    benchmark::DoNotOptimize(s);
  }
}
BENCHMARK(BM_JsonEncode_Baseline);

}  // namespace bench

namespace bench {

// The real event type (kap::event): decode and encode of one vitals line.
void BM_EventDecode_Kap(benchmark::State& state) {
  for (auto _ : state) {
    auto r = kap::json::read_event(text);
    benchmark::DoNotOptimize(r);
  }
}
BENCHMARK(BM_EventDecode_Kap);

void BM_EventDecode_Baseline(benchmark::State& state) {
  for (auto _ : state) {
    auto v = boost::json::parse(text);
    benchmark::DoNotOptimize(v);
  }
}
BENCHMARK(BM_EventDecode_Baseline);

void BM_EventEncode_Kap(benchmark::State& state) {
  const auto e = kap::json::read_event(text).value();
  for (auto _ : state) {
    auto s = kap::json::write_event(e);
    benchmark::DoNotOptimize(s);
  }
}
BENCHMARK(BM_EventEncode_Kap);

void BM_EventEncode_Baseline(benchmark::State& state) {
  const auto v = boost::json::parse(text);
  for (auto _ : state) {
    auto s = boost::json::serialize(v);
    benchmark::DoNotOptimize(s);
  }
}
BENCHMARK(BM_EventEncode_Baseline);

}  // namespace bench
