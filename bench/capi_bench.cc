// The C API (libsympozium_c) on the bytes the C++ admission families use, so
// scripts/bench sets the two side by side: an evaluation through the C ABI
// (handle allocation, verdict read, free) against Evaluate(bytes).
#include <benchmark/benchmark.h>

#include <string>

#include "bench/bench_util.h"
#include "sympozium/evaluate.h"
#include "sympozium/sympozium.h"

namespace sympozium::bench {
namespace {

struct CPolicy {
  sym_policy_t* policy;
  explicit CPolicy(const char* preset) {
    char* err = nullptr;
    policy = sym_policy_preset(preset, &err);
    if (policy == nullptr) Die(std::string("sym_policy_preset: ") + (err ? err : "?"));
  }
  ~CPolicy() { sym_policy_free(policy); }
};

// The C API must answer exactly as the C++ call before either is timed.
void CheckSameDecision(const sym_policy_t* c_policy, const CompiledPolicy* policy,
                       const std::string& bytes) {
  char* err = nullptr;
  sym_decision_t* d = sym_evaluate(c_policy, bytes.data(), bytes.size(), &err);
  if (d == nullptr) Die(std::string("sym_evaluate: ") + (err ? err : "?"));
  std::string want = Evaluate(bytes, Binding::Direct(policy)).ToJson();
  std::string got = sym_decision_json(d);
  sym_decision_free(d);
  if (got != want) Die("the C API decides otherwise:\n  C:   " + got + "\n  C++: " + want);
}

void CApiAdmitBytes(benchmark::State& state, const std::string& bytes) {
  CPolicy c_policy("restrictive");
  PolicyPtr policy = MustPreset("restrictive");
  CheckSameDecision(c_policy.policy, policy.get(), bytes);
  for (auto _ : state) {
    sym_decision_t* d = sym_evaluate(c_policy.policy, bytes.data(), bytes.size(), nullptr);
    benchmark::DoNotOptimize(sym_decision_allowed(d));
    sym_decision_free(d);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * bytes.size()));
}

void BM_CApiAdmitAgentRunJson(benchmark::State& state) {
  CApiAdmitBytes(state, BenchData("agentrun.json"));
}
BENCHMARK(BM_CApiAdmitAgentRunJson);

void BM_CApiPodEvalJson(benchmark::State& state) { CApiAdmitBytes(state, BenchData("pod.json")); }
BENCHMARK(BM_CApiPodEvalJson);

}  // namespace
}  // namespace sympozium::bench
