// The hot paths on typical inputs: tool decisions, AgentRun admission and
// Pod evaluation from bytes, rbacFor; and the parsing floors they are held
// to (a bare simdjson DOM parse, a bare yaml-cpp load of the same bytes).
#include <benchmark/benchmark.h>
#include <yaml-cpp/yaml.h>

#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "bench/bench_util.h"
#include "lib/decode/decode.h"
#include "lib/decode/fast_json.h"
#include "lib/evaluate/checks.h"
#include "lib/rbac/rbac_for.h"
#include "simdjson.h"
#include "sympozium/evaluate.h"
#include "sympozium/rbac.h"
#include "sympozium/tool_gate.h"

namespace sympozium::bench {
namespace {

// Every tool the restrictive preset names, plus built-ins it leaves to its
// defaultAction: rule hits and misses in a fixed rotation.
const std::vector<std::string_view> kTools = {
    "execute_command",      "read_file",    "list_directory", "write_file", "fetch_url",
    "send_channel_message", "browser_open", "memory_search"};

// The JSON output names the simdjson kernel chosen at run time (stage 1 and
// string unescaping dispatch through it; see README "Performance").
const bool kContext = [] {
  benchmark::AddCustomContext("simdjson_implementation",
                              simdjson::get_active_implementation()->name());
  return true;
}();

void BM_ToolDecision(benchmark::State& state) {
  PolicyPtr policy = MustPreset("restrictive");
  size_t i = 0;
  for (auto _ : state) {
    ToolDecision d = DecideTool(policy.get(), nullptr, kTools[i++ & 7]);
    benchmark::DoNotOptimize(d);
  }
}
BENCHMARK(BM_ToolDecision);

// The decision timed must be the whole decision the general path makes
// (ReadDocument, then Evaluate of the parsed document): same answer, same
// messages and violations, so no figure is bought by doing less work.
Decision MustEvaluate(std::string_view bytes, const Binding& binding, bool want_allowed) {
  Decision d = Evaluate(bytes, binding);
  if (d.allowed != want_allowed) Die("unexpected decision: " + d.ToJson());
  Decision general = Evaluate(Check(ReadDocument(bytes), "bench input"), binding);
  if (d.ToJson() != general.ToJson())
    Die("the bytes path and the general path differ:\n  " + d.ToJson() + "\n  " + general.ToJson());
  return d;
}

void AdmitBytes(benchmark::State& state, const std::string& bytes, bool want_allowed) {
  PolicyPtr policy = MustPreset("restrictive");
  Binding binding = Binding::Direct(policy.get());
  MustEvaluate(bytes, binding, want_allowed);
  {
    HeapGrowth growth;  // a warm call: what still goes to the heap
    MustEvaluate(bytes, binding, want_allowed);
    state.counters["allocs"] = static_cast<double>(growth.allocations());
  }
  for (auto _ : state) {
    Decision d = Evaluate(bytes, binding);
    benchmark::DoNotOptimize(d);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * bytes.size()));
}

void BM_AdmitAgentRunJson(benchmark::State& state) {
  AdmitBytes(state, BenchData("agentrun.json"), true);
}
BENCHMARK(BM_AdmitAgentRunJson);

// The run with four checks broken, in the same size class: a sandbox
// limit over maxCPU and one over maxMemory, a hook image from a registry the
// preset does not allow, and a hook RBAC rule on denied resources. The
// timing includes building the messages and violations.
std::string DeniedAgentRunJson() {
  std::string run = BenchData("agentrun.json");
  run = Replace(run, "\"limits\":{\"cpu\":\"1\",\"memory\":\"1Gi\"}",
                "\"limits\":{\"cpu\":\"8\",\"memory\":\"64Gi\"}");
  run = Replace(run, "docker.io/library/alpine:3.20", "quay.io/evil/alpine:3.20");
  run = Replace(run, "\"resources\":[\"configmaps\"]", "\"resources\":[\"secrets\"]");
  return run;
}

void BM_AdmitAgentRunJsonDenied(benchmark::State& state) {
  AdmitBytes(state, DeniedAgentRunJson(), false);
}
BENCHMARK(BM_AdmitAgentRunJsonDenied);

void BM_AdmitAgentRunYaml(benchmark::State& state) {
  AdmitBytes(state, BenchData("agentrun.yaml"), true);
}
BENCHMARK(BM_AdmitAgentRunYaml);

void BM_PodEvalJson(benchmark::State& state) { AdmitBytes(state, BenchData("pod.json"), true); }
BENCHMARK(BM_PodEvalJson);

// The pod exactly as the controller builds it: its sandbox container leaves
// allowPrivilegeEscalation unset, so P3 denies it (docs/pods.md) and the timing
// includes building the violation.
void BM_PodEvalJsonDenied(benchmark::State& state) {
  std::string pod = BenchData("pod.json");
  size_t sandbox = pod.find("\"name\":\"sandbox\"");
  size_t field = pod.find("\"allowPrivilegeEscalation\":false,", sandbox);
  if (sandbox == std::string::npos || field == std::string::npos) Die("pod.json changed shape");
  pod.erase(field, std::string_view("\"allowPrivilegeEscalation\":false,").size());
  AdmitBytes(state, pod, false);
}
BENCHMARK(BM_PodEvalJsonDenied);

// Breakdown, not a floor: the checks and the decision alone, on an object
// decoded once before timing (the same decision as from its bytes). What is
// left of an admission for reading and decoding is the difference.
template <class T>
void ChecksAlone(benchmark::State& state, const std::string& bytes, bool want_allowed) {
  PolicyPtr policy = MustPreset("restrictive");
  Binding binding = Binding::Direct(policy.get());
  Document doc = Check(ReadDocument(bytes), "bench input");
  Arena arena;
  T object;
  if (!DecodeInto(doc.root(), "<input>", arena, &object).ok()) Die("bench input does not decode");
  auto decide = [&] {
    if constexpr (std::is_same_v<T, AgentRun>)
      return EvaluateAgentRun(object, binding);
    else
      return EvaluatePod(object, policy.get());
  };
  if (decide().ToJson() != MustEvaluate(bytes, binding, want_allowed).ToJson())
    Die("the checks alone decide otherwise than the bytes path");
  for (auto _ : state) {
    Decision d = decide();
    benchmark::DoNotOptimize(d);
  }
}

void BM_ChecksAloneAgentRun(benchmark::State& state) {
  ChecksAlone<AgentRun>(state, BenchData("agentrun.json"), true);
}
BENCHMARK(BM_ChecksAloneAgentRun);

void BM_ChecksAlonePod(benchmark::State& state) {
  ChecksAlone<PodObject>(state, BenchData("pod.json"), true);
}
BENCHMARK(BM_ChecksAlonePod);

// Breakdown, not a floor: the JSON fast path's stages before the checks,
// in a reused arena as on the admission path: the padded copy, the DOM
// parse and the reader's rules (duplicate keys, limits); then the same and
// decoding into the typed model. With the DOM floor and the checks alone
// they account for an admission's time stage by stage.
template <class T>
void FastPathStages(benchmark::State& state, const std::string& bytes, bool decode) {
  Arena arena;
  ReadOptions options;
  auto run = [&] {
    arena.Reset();
    decode_internal::FastJson json(arena);
    if (!json.Parse(bytes, options)) return false;
    if (!decode) return true;
    T object;
    return json.Decode(&object);
  };
  if (!run()) Die("bench input leaves the fast path");
  for (auto _ : state) benchmark::DoNotOptimize(run());
}

void BM_FastParseAgentRun(benchmark::State& state) {
  FastPathStages<AgentRun>(state, BenchData("agentrun.json"), false);
}
BENCHMARK(BM_FastParseAgentRun);

void BM_FastDecodeAgentRun(benchmark::State& state) {
  FastPathStages<AgentRun>(state, BenchData("agentrun.json"), true);
}
BENCHMARK(BM_FastDecodeAgentRun);

void BM_FastParsePod(benchmark::State& state) {
  FastPathStages<PodObject>(state, BenchData("pod.json"), false);
}
BENCHMARK(BM_FastParsePod);

void BM_FastDecodePod(benchmark::State& state) {
  FastPathStages<PodObject>(state, BenchData("pod.json"), true);
}
BENCHMARK(BM_FastDecodePod);

// The read stage alone (bytes -> Value tree in a reused arena), to set
// beside the DOM floor below.
void BM_ReadAgentRunJson(benchmark::State& state) {
  std::string json = BenchData("agentrun.json");
  Arena arena;
  for (auto _ : state) {
    arena.Reset();
    Value root;
    if (!ReadInto(json, {}, arena, &root).ok()) Die("agentrun.json does not read");
    benchmark::DoNotOptimize(root);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * json.size()));
}
BENCHMARK(BM_ReadAgentRunJson);

// Floor: simdjson's DOM parse of `bytes`, from a padded copy made once
// (the admission path pads the caller's bytes itself). Each admission
// figure has one of these beside it, on its own bytes.
void DomParseFloor(benchmark::State& state, const std::string& bytes) {
  simdjson::padded_string json(bytes);
  simdjson::dom::parser parser;
  for (auto _ : state) {
    simdjson::dom::element root;
    if (parser.parse(json).get(root) != simdjson::SUCCESS) Die("simdjson DOM parse failed");
    benchmark::DoNotOptimize(root);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * json.size()));
}

void BM_FloorSimdjsonDom(benchmark::State& state) {
  DomParseFloor(state, BenchData("agentrun.json"));
}
BENCHMARK(BM_FloorSimdjsonDom);

void BM_FloorSimdjsonDomDenied(benchmark::State& state) {
  DomParseFloor(state, DeniedAgentRunJson());
}
BENCHMARK(BM_FloorSimdjsonDomDenied);

void BM_FloorSimdjsonDomPod(benchmark::State& state) {
  DomParseFloor(state, BenchData("pod.json"));
}
BENCHMARK(BM_FloorSimdjsonDomPod);

// Floor: an On Demand walk of the same bytes that visits every value (as
// the reader must, to validate them) but builds nothing: what simdjson's
// On Demand costs before any tree is made.
simdjson::error_code Walk(simdjson::ondemand::value v, size_t* visited) {
  namespace od = simdjson::ondemand;
  ++*visited;
  od::json_type type;
  if (auto err = v.type().get(type)) return err;
  switch (type) {
    case od::json_type::object:
      for (auto field : v.get_object()) {
        std::string_view key;
        if (auto err = field.unescaped_key().get(key)) return err;
        if (auto err = Walk(field.value(), visited)) return err;
      }
      return simdjson::SUCCESS;
    case od::json_type::array:
      for (auto item : v.get_array())
        if (auto err = Walk(item.value(), visited)) return err;
      return simdjson::SUCCESS;
    case od::json_type::string:
      return v.get_string().error();
    case od::json_type::number:
      return v.get_number().error();
    case od::json_type::boolean:
      return v.get_bool().error();
    case od::json_type::null:
      return v.is_null().error();
  }
  return simdjson::INCORRECT_TYPE;
}

void BM_FloorSimdjsonOnDemandWalk(benchmark::State& state) {
  simdjson::padded_string json(BenchData("agentrun.json"));
  simdjson::ondemand::parser parser;
  size_t visited = 0;
  for (auto _ : state) {
    visited = 0;
    simdjson::ondemand::document doc;
    simdjson::ondemand::object root;
    if (parser.iterate(json).get(doc) || doc.get_object().get(root)) Die("On Demand failed");
    for (auto field : root) {
      std::string_view key;
      if (field.unescaped_key().get(key) || Walk(field.value(), &visited)) Die("On Demand walk");
    }
    benchmark::DoNotOptimize(visited);
  }
  state.counters["values"] = static_cast<double>(visited);
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * json.size()));
}
BENCHMARK(BM_FloorSimdjsonOnDemandWalk);

// Floor: yaml-cpp's YAML::Load of the AgentRun YAML.
void BM_FloorYamlCppLoad(benchmark::State& state) {
  std::string yaml = BenchData("agentrun.yaml");
  for (auto _ : state) {
    YAML::Node node = YAML::Load(yaml);
    benchmark::DoNotOptimize(node);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * yaml.size()));
}
BENCHMARK(BM_FloorYamlCppLoad);

// rbacFor (docs/rbac.md) on the real k8s-ops SkillPack and the typical run
// (strict, no policy: the objects plus the least-privilege warnings).
void BM_RbacForK8sOps(benchmark::State& state) {
  Decoded<SkillPack> pack =
      Check(DecodeSkillPack(Check(ReadDocument(TestData("fixtures/sympozium/skills/k8s-ops.yaml")),
                                  "k8s-ops.yaml")),
            "k8s-ops SkillPack");
  Decoded<AgentRun> run =
      Check(DecodeAgentRun(Check(ReadDocument(BenchData("agentrun.json")), "agentrun.json")),
            "agentrun.json");
  std::vector<const SkillPack*> packs = {&pack.get()};
  RbacResult first = RbacFor(packs, *run);
  if (first.objects.empty()) Die("rbacFor made no objects");
  state.counters["objects"] = static_cast<double>(first.objects.size());
  state.counters["warnings"] = static_cast<double>(first.warnings.size());
  for (auto _ : state) {
    RbacResult result = RbacFor(packs, *run);
    benchmark::DoNotOptimize(result);
  }
}
BENCHMARK(BM_RbacForK8sOps);

// For the peer comparison (bench/compare): the restrictive tool gate asked
// with JSON text, `{"tool":"..."}`, parse included as for the peers.
void BM_PeerToolGateJson(benchmark::State& state) {
  PolicyPtr policy = MustPreset("restrictive");
  std::vector<std::string> requests;
  for (std::string_view tool : kTools)
    requests.push_back("{\"tool\":\"" + std::string(tool) + "\"}");
  ReadOptions options;
  options.format = Format::kJson;
  Arena arena;
  size_t i = 0;
  for (auto _ : state) {
    arena.Reset();
    Value root;
    if (!ReadInto(requests[i++ & 7], options, arena, &root).ok()) Die("tool request");
    const Value* tool = root.Find("tool");
    ToolDecision d = DecideTool(policy.get(), nullptr, tool->text);
    benchmark::DoNotOptimize(d);
  }
}
BENCHMARK(BM_PeerToolGateJson);

}  // namespace
}  // namespace sympozium::bench
