// Scaling: tool decisions against 10..10,000 rules, admission against 1..1,000
// allowed registries, and admission through a Cluster of 10..10,000
// namespaces that each hold their own policy and Agent; with the bytes that
// cluster holds.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_format.h"
#include "bench/bench_util.h"
#include "sympozium/cluster.h"
#include "sympozium/evaluate.h"
#include "sympozium/tool_gate.h"

namespace sympozium::bench {
namespace {

std::string Numbered(const char* format, int i) { return absl::StrFormat(format, i); }

void BM_ToolDecisionRules(benchmark::State& state) {
  const int n = static_cast<int>(state.range(0));
  std::vector<std::string> tools;
  for (int i = 0; i < n; ++i) tools.push_back(Numbered("tool_%05d", i));
  PolicyPtr policy = MustCompile(RestrictivePolicyJson("scaled", "", tools, {}));
  // Eight tools spread over the table, asked in rotation.
  std::vector<std::string> asked;
  for (int k = 0; k < 8; ++k) asked.push_back(tools[k * n / 8]);
  size_t i = 0;
  for (auto _ : state) {
    ToolDecision d = DecideTool(policy.get(), nullptr, asked[i++ & 7]);
    benchmark::DoNotOptimize(d);
  }
}
BENCHMARK(BM_ToolDecisionRules)->Arg(10)->Arg(100)->Arg(1000)->Arg(10000);

// The typical run with every image under ghcr.io/sympozium-ai/, so one
// allowed registry admits it; the matching entry comes last in the list.
void BM_AdmitRegistries(benchmark::State& state) {
  const int n = static_cast<int>(state.range(0));
  std::vector<std::string> registries;
  for (int i = 0; i + 1 < n; ++i)
    registries.push_back(Numbered("registry-%04d.example.com/team/", i));
  registries.push_back("ghcr.io/sympozium-ai/");
  PolicyPtr policy = MustCompile(RestrictivePolicyJson("scaled", "", {}, registries));
  std::string run = Replace(BenchData("agentrun.json"), "docker.io/library/alpine:3.20",
                            "ghcr.io/sympozium-ai/sympozium/git:v0.10.46");
  Binding binding = Binding::Direct(policy.get());
  if (!Evaluate(run, binding).allowed) Die("registry scaling run was not admitted");
  for (auto _ : state) {
    Decision d = Evaluate(run, binding);
    benchmark::DoNotOptimize(d);
  }
}
BENCHMARK(BM_AdmitRegistries)->Arg(1)->Arg(10)->Arg(100)->Arg(1000);

struct BuiltCluster {
  Cluster cluster;
  int64_t heap_bytes = 0;  // what building it left on the heap
};

std::string AgentJson(const std::string& ns) {
  return absl::StrFormat(
      R"({"apiVersion":"sympozium.ai/v1alpha1","kind":"Agent",)"
      R"("metadata":{"name":"alice","namespace":"%s"},"spec":{"policyRef":"restrictive"}})",
      ns);
}

// Namespace ns-NNNNN holds Agent `alice` bound to its own copy of the
// restrictive preset. Built once per size: Google Benchmark calls the
// benchmark function several times.
const BuiltCluster& ClusterOf(int n) {
  static std::map<int, std::unique_ptr<BuiltCluster>> built;
  std::unique_ptr<BuiltCluster>& slot = built[n];
  if (slot) return *slot;
  // The documents, and one warm-up read, before counting starts.
  std::vector<std::string> docs;
  for (int i = 0; i < n; ++i) {
    std::string ns = Numbered("ns-%05d", i);
    docs.push_back(AgentJson(ns));
    docs.push_back(RestrictivePolicyJson("restrictive", ns, {}, {}));
  }
  Cluster().Add(Check(ReadDocument(docs.back()), "policy")).IgnoreError();
  auto b = std::make_unique<BuiltCluster>();
  {
    HeapGrowth growth;
    for (const std::string& bytes : docs) {
      absl::Status s = b->cluster.Add(Check(ReadDocument(bytes), "cluster object"));
      if (!s.ok()) Die(std::string(s.message()));
    }
    b->heap_bytes = growth.bytes();
  }
  slot = std::move(b);
  return *slot;
}

void BM_AdmitCluster(benchmark::State& state) {
  const int n = static_cast<int>(state.range(0));
  const BuiltCluster& b = ClusterOf(n);
  std::string run = Replace(BenchData("agentrun.json"), "\"namespace\":\"default\"",
                            "\"namespace\":\"" + Numbered("ns-%05d", n / 2) + "\"");
  Binding binding = Binding::Lookup(&b.cluster);
  if (!Evaluate(run, binding).allowed) Die("cluster run was not admitted");
  for (auto _ : state) {
    Decision d = Evaluate(run, binding);
    benchmark::DoNotOptimize(d);
  }
  state.counters["memory_usage_bytes"] = static_cast<double>(b.cluster.MemoryUsage());
  state.counters["heap_bytes"] = static_cast<double>(b.heap_bytes);
  // What one namespace (one policy, one Agent) costs: the figure the
  // cluster memory target bounds.
  state.counters["heap_bytes_per_namespace"] = static_cast<double>(b.heap_bytes) / n;
}
BENCHMARK(BM_AdmitCluster)->Arg(10)->Arg(1000)->Arg(10000);

}  // namespace
}  // namespace sympozium::bench
