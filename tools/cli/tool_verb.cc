// tool: allow, deny or ask for each tool name.
#include <iostream>

#include "absl/strings/str_join.h"
#include "sympozium/cluster.h"
#include "sympozium/json.h"
#include "sympozium/strings.h"
#include "sympozium/tool_gate.h"
#include "tools/cli/cli.h"
#include "tools/cli/verbs.h"

namespace sympozium::cli {
namespace {

// The policy `cluster` binds: without `run`, the one SympoziumPolicy in
// `ns`; with it, the policy admission finds (the run's Agent in its
// namespace, then the Agent's policyRef there). Null when the Agent names
// no policy. A lookup that fails as admission's does (a missing Agent or
// policy, a policy strict mode refuses) is NotFound: an admission error,
// exit 1, not a usage error.
absl::StatusOr<const CompiledPolicy*> ClusterPolicy(const Cluster& cluster, const Document* run,
                                                    const std::string& ns, Mode mode) {
  const CompiledPolicy* policy = nullptr;
  if (run == nullptr) {
    std::vector<std::string> names;
    cluster.ForEachPolicy([&](const CompiledPolicy& p) {
      if (p.namespace_() != ns) return;
      policy = &p;
      names.push_back(p.name());
    });
    if (names.size() != 1)
      return absl::InvalidArgumentError(
          names.empty() ? StrCat("no SympoziumPolicy in namespace ", ns, " in the --cluster files")
                        : StrCat("namespace ", ns, " has ", names.size(), " SympoziumPolicies (",
                                 absl::StrJoin(names, ", "), "): give --run or --policy"));
  } else {
    absl::StatusOr<const CompiledPolicy*> found = cluster.PolicyForRun(*run);
    if (!found.ok() || *found == nullptr) return found;
    policy = *found;
  }
  if (mode == Mode::kStrict && !policy->strict_errors().empty())
    return absl::NotFoundError(
        StrCat("SympoziumPolicy ", policy->name(), " does not compile in strict mode: ",
               policy->strict_errors().front().ToString(), " (policy.invalid)"));
  return policy;
}

}  // namespace

int Tool(const std::vector<std::string>& argv) {
  auto parsed = ParseReaderArgs(argv,
                                {{"policy", true},
                                 {"preset", true},
                                 {"cluster", true, true},
                                 {"run", true},
                                 {"namespace", true}},
                                {"text", "json"});
  if (!parsed.ok()) return Fail(parsed.status());
  const auto& [args, mode, output, limits] = *parsed;
  if (args.positional().empty()) return Fail("tool needs at least one TOOL name");
  bool direct = args.Has("policy") || args.Has("preset");
  bool lookup = !direct && args.Has("cluster");
  if (args.Has("namespace") && (!lookup || args.Has("run")))
    return Fail("--namespace picks the policy of --cluster without --policy, --preset or --run");
  if (lookup && !args.Has("run") && !args.Has("namespace"))
    return Fail("tool --cluster needs --run RUN (its Agent's policy) or --namespace NS");
  auto holder = LoadBinding(args, mode, limits);
  if (!holder.ok()) return Fail(holder.status());

  std::optional<Document> run;
  std::optional<RunToolLists> lists;
  if (args.Has("run")) {
    auto docs = LoadDocuments({args.Get("run")}, limits);
    if (!docs.ok()) return Fail(docs.status());
    if (docs->size() != 1) return Fail("--run needs a file with one AgentRun");
    auto decoded = RunToolLists::FromDocument(docs->front());
    if (!decoded.ok()) return Fail(decoded.status());
    lists = std::move(*decoded);
    run = std::move(docs->front());
  }
  const CompiledPolicy* policy = (*holder)->policy.get();
  if (lookup) {
    auto found =
        ClusterPolicy((*holder)->cluster, run ? &*run : nullptr, args.Get("namespace"), mode);
    if (!found.ok()) {
      if (absl::IsInvalidArgument(found.status())) return Fail(found.status());
      std::cerr << "sympozium-policy: " << found.status().message() << "\n";
      return kExitDenied;
    }
    policy = *found;
  }
  bool any_denied = false;
  std::string json = "[";
  for (size_t i = 0; i < args.positional().size(); ++i) {
    const std::string& tool = args.positional()[i];
    ToolDecision d = DecideTool(policy, lists ? &*lists : nullptr, tool);
    any_denied = any_denied || d.action == ToolAction::kDeny;
    std::string reason = d.Reason(tool, policy);
    if (output == "json") {
      if (i > 0) json += ",";
      json += "{\"tool\":";
      AppendJsonString(&json, tool);
      json += ",\"decision\":";
      AppendJsonString(&json, ToolActionName(d.action));
      json += ",\"reason\":";
      AppendJsonString(&json, reason);
      json += "}";
    } else {
      std::string name = tool;
      if (name.size() < 24) name.resize(24, ' ');
      std::string action(ToolActionName(d.action));
      action.resize(6, ' ');
      std::cout << name << " " << action << " " << reason << "\n";
    }
  }
  if (output == "json") std::cout << json << "]\n";
  return any_denied ? kExitDenied : kExitOk;
}

}  // namespace sympozium::cli
