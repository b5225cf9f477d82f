// SympoziumPolicy compilation from bytes (YAML or JSON): compiles or fails,
// in both modes; whatever compiles decides tools and evaluates a run.
#include <cstddef>
#include <cstdint>

#include "sympozium/tool_gate.h"
#include "tests/fuzz/fuzz_util.h"

namespace sympozium::fuzz {
namespace {

constexpr std::string_view kRun = R"(apiVersion: sympozium.ai/v1alpha1
kind: AgentRun
metadata: {name: r, namespace: ns}
spec:
  agentRef: alice
  task: t
  model: {provider: openai, model: gpt-4o}
  sandbox: {enabled: true, image: "ghcr.io/sympozium-ai/sandbox:1", resources: {limits: {cpu: "1"}}}
  lifecycle: {preRun: [{name: h, image: busybox}], rbac: [{apiGroups: [""], resources: [secrets], verbs: [get]}]}
  skills: [{skillPackRef: k8s-ops}]
)";

void Run(std::string_view bytes) {
  bool reads = ReadDocument(bytes).ok();
  absl::StatusOr<PolicyPtr> compiled[2];
  for (Mode mode : {Mode::kStrict, Mode::kCompat}) {
    CompileOptions options;
    options.mode = mode;
    absl::StatusOr<PolicyPtr>& p = compiled[mode == Mode::kCompat];
    p = CompilePolicy(bytes, options);
    if (!reads) FUZZ_CHECK(!p.ok());
    if (!p.ok()) continue;
    const CompiledPolicy& policy = **p;
    FUZZ_CHECK(policy.MemoryUsage() >= sizeof(CompiledPolicy));
    if (mode == Mode::kStrict) FUZZ_CHECK(policy.strict_errors().empty());
    for (std::string_view tool : BuiltinTools()) {
      ToolAction a = DecideTool(&policy, nullptr, tool).action;
      FUZZ_CHECK(a == ToolAction::kAllow || a == ToolAction::kDeny || a == ToolAction::kAsk);
    }
    EvaluateOptions eval;
    eval.mode = mode;
    eval.mutate_first = true;
    CheckDecision(Evaluate(kRun, Binding::Direct(&policy, &Context::Get().cluster), eval));
  }
  // Strict only adds refusals: what compiles strict compiles compat.
  if (compiled[0].ok()) FUZZ_CHECK(compiled[1].ok());
  // Through a cluster: a stream that does not read adds nothing, and the
  // run bound to the missing policy is not admitted.
  if (ReadDocuments(bytes).ok()) return;
  Cluster cluster;
  FUZZ_CHECK(cluster
                 .AddDocuments("apiVersion: sympozium.ai/v1alpha1\nkind: Agent\n"
                               "metadata: {name: alice, namespace: ns}\n"
                               "spec: {policyRef: team}\n")
                 .ok());
  FUZZ_CHECK(!cluster.AddDocuments(bytes).ok());
  FUZZ_CHECK(!Evaluate(kRun, Binding::Lookup(&cluster)).allowed);
}

}  // namespace
}  // namespace sympozium::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  sympozium::fuzz::Run(std::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}
