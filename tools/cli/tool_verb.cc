// tool: allow, deny or ask for each tool name.
#include <iostream>

#include "sympozium/decode.h"
#include "sympozium/tool_gate.h"
#include "sympozium/write.h"
#include "tools/cli/cli.h"
#include "tools/cli/verbs.h"

namespace sympozium::cli {

int Tool(const std::vector<std::string>& argv) {
  auto args = Args::Parse(argv, CommonFlags({{"policy", true}, {"preset", true}, {"run", true}}));
  if (!args.ok()) return Fail(args.status());
  auto mode = ModeFlag(*args);
  if (!mode.ok()) return Fail(mode.status());
  auto output = OutputFlag(*args, {"text", "json"});
  if (!output.ok()) return Fail(output.status());
  if (args->positional().empty()) return Fail("tool needs at least one TOOL name");
  auto holder = LoadBinding(*args, *mode);
  if (!holder.ok()) return Fail(holder.status());

  std::optional<RunToolLists> lists;
  if (args->Has("run")) {
    auto docs = LoadDocuments({args->Get("run")});
    if (!docs.ok()) return Fail(docs.status());
    if (docs->size() != 1) return Fail("--run needs a file with one AgentRun");
    auto run = DecodeAgentRun(std::move(docs->front()));
    if (!run.ok()) return Fail(run.status());
    lists = RunToolLists::FromRun(**run);
  }
  const CompiledPolicy* policy = (*holder)->policy.get();
  bool any_denied = false;
  std::string json = "[";
  for (size_t i = 0; i < args->positional().size(); ++i) {
    const std::string& tool = args->positional()[i];
    ToolDecision d = DecideTool(policy, lists ? &*lists : nullptr, tool);
    any_denied = any_denied || d.action == ToolAction::kDeny;
    std::string reason = d.Reason(tool, policy);
    if (*output == "json") {
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
  if (*output == "json") std::cout << json << "]\n";
  return any_denied ? kExitDenied : kExitOk;
}

}  // namespace sympozium::cli
