// AgentRun admission from bytes, read as JSON (fuzz_agent_run_json) or YAML
// (fuzz_agent_run_yaml, built with SYMPOZIUM_FUZZ_YAML): every evaluation
// well-formed and fail-closed, tool decisions in range, and mutation's patch
// consistent with its object.
#include <cstddef>
#include <cstdint>

#include "lib/cluster/lookup.h"
#include "lib/decode/decode.h"
#include "lib/evaluate/tool_lists.h"
#include "lib/rbac/rbac_for.h"
#include "sympozium/rbac.h"
#include "sympozium/tool_gate.h"
#include "tests/fuzz/fuzz_util.h"

namespace sympozium::fuzz {
namespace {

#ifdef SYMPOZIUM_FUZZ_YAML
constexpr Format kFormat = Format::kYaml;
#else
constexpr Format kFormat = Format::kJson;
#endif

void Run(std::string_view bytes) {
  EvaluateAllWays(bytes, kFormat);
  ReadOptions read;
  read.format = kFormat;
  absl::StatusOr<Document> doc = ReadDocument(bytes, read);
  if (!doc.ok()) return;
  CheckMutation(*doc);
  absl::StatusOr<Decoded<AgentRun>> run = DecodeAgentRun(doc->Subtree(doc->root(), ""));
  if (!run.ok()) return;
  const Context& c = Context::Get();
  RunToolLists lists = ToolListsOf(**run);
  for (std::string_view tool : {"execute_command", "read_file", "kubectl_get", ""}) {
    ToolDecision d = DecideTool(c.policy.get(), &lists, tool);
    FUZZ_CHECK(d.action == ToolAction::kAllow || d.action == ToolAction::kDeny ||
               d.action == ToolAction::kAsk);
    // The run's lists only narrow: what the policy denies stays denied.
    if (DecideTool(c.policy.get(), nullptr, tool).action == ToolAction::kDeny)
      FUZZ_CHECK(d.action == ToolAction::kDeny);
  }
  RbacOptions options;
  options.policy = c.policy.get();
  RbacResult rbac =
      RbacFor({FindSkillPack(c.cluster, "sympozium-system", "k8s-ops")}, **run, options);
  // Fail closed: a denied resource means nothing is created.
  if (!rbac.violations.empty()) FUZZ_CHECK(rbac.objects.empty());
}

}  // namespace
}  // namespace sympozium::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  sympozium::fuzz::Run(std::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}
