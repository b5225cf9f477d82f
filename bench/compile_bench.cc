// Compiling each built-in preset from YAML and from JSON, against the floor
// of a bare yaml-cpp load of the same YAML; and the bytes a compiled preset
// holds.
#include <benchmark/benchmark.h>
#include <yaml-cpp/yaml.h>

#include <string>

#include "bench/bench_util.h"
#include "lib/write/write.h"

namespace sympozium::bench {
namespace {

void CompileBytes(benchmark::State& state, const std::string& bytes) {
  MustCompile(bytes);
  for (auto _ : state) {
    absl::StatusOr<PolicyPtr> policy = CompilePolicy(bytes);
    benchmark::DoNotOptimize(policy);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * bytes.size()));
}

// Counters, not times: what CompiledPolicy::MemoryUsage() reports, and the
// heap the compiled policy really keeps (HeapGrowth around a compile, whose
// temporaries are freed again before it ends).
void PresetMemory(benchmark::State& state, const std::string& yaml) {
  MustCompile(yaml);  // first-use allocations (parser buffers) are not the policy's
  int64_t heap = 0;
  PolicyPtr policy;
  for (auto _ : state) {
    HeapGrowth growth;
    policy = MustCompile(yaml);
    heap = growth.bytes();
  }
  state.counters["memory_usage_bytes"] = static_cast<double>(policy->MemoryUsage());
  state.counters["heap_bytes"] = static_cast<double>(heap);
}

const bool kRegistered = [] {
  for (const PresetInfo& p : Presets()) {
    std::string yaml(p.yaml);
    std::string json = ToJson(Check(ReadDocument(yaml), p.name).root());
    benchmark::RegisterBenchmark(("BM_CompilePresetYaml/" + p.name).c_str(),
                                 [yaml](benchmark::State& s) { CompileBytes(s, yaml); });
    benchmark::RegisterBenchmark(("BM_CompilePresetJson/" + p.name).c_str(),
                                 [json](benchmark::State& s) { CompileBytes(s, json); });
    benchmark::RegisterBenchmark(("BM_FloorYamlCppPreset/" + p.name).c_str(),
                                 [yaml](benchmark::State& s) {
                                   for (auto _ : s) {
                                     YAML::Node node = YAML::Load(yaml);
                                     benchmark::DoNotOptimize(node);
                                   }
                                 });
    benchmark::RegisterBenchmark(("BM_MemoryPreset/" + p.name).c_str(), [yaml](
                                                                            benchmark::State& s) {
      PresetMemory(s, yaml);
    })->Iterations(1);
  }
  return true;
}();

}  // namespace
}  // namespace sympozium::bench
