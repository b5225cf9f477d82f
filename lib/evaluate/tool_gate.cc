#include "sympozium/tool_gate.h"

#include "lib/compile/policy_table.h"
#include "lib/decode/decode.h"
#include "lib/decode/model.h"
#include "lib/evaluate/tool_lists.h"
#include "lib/read/document.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_split.h"
#include "sympozium/strings.h"

namespace sympozium {
namespace {

// The agent-runner joins each list with ',' and splits it again: entries
// may hold several names; blanks vanish.
void AddSplit(const List<Str>& entries, std::set<std::string, std::less<>>* out) {
  for (Str entry : entries)
    for (absl::string_view piece :
         absl::StrSplit(absl::string_view(entry.data(), entry.size()), ',')) {
      absl::string_view name = absl::StripAsciiWhitespace(piece);
      if (!name.empty()) out->insert(std::string(name));
    }
}

}  // namespace

RunToolLists ToolListsOf(const AgentRun& run) {
  RunToolLists lists;
  if (run.spec.tool_policy) {
    AddSplit(run.spec.tool_policy->allow, &lists.allow);
    AddSplit(run.spec.tool_policy->deny, &lists.deny);
  }
  return lists;
}

absl::StatusOr<RunToolLists> RunToolLists::FromDocument(const Document& run) {
  absl::StatusOr<Decoded<AgentRun>> decoded =
      DecodeAgentRun(run.Subtree(run.root(), run.Describe()));
  if (!decoded.ok()) return decoded.status();
  return ToolListsOf(decoded->get());
}

ToolDecision DecideTool(const CompiledPolicy* policy, const RunToolLists* run,
                        std::string_view tool) {
  using Because = ToolDecision::Because;
  absl::string_view key(tool.data(), tool.size());
  if (run != nullptr) {
    if (run->deny.count(tool) > 0) return {ToolAction::kDeny, Because::kRunDeny};
    if (!run->allow.empty() && run->allow.count(tool) == 0)
      return {ToolAction::kDeny, Because::kRunAllowList};
  }
  if (policy == nullptr) return {ToolAction::kAllow, Because::kNoPolicy};
  const PolicyTable& t = TableOf(*policy);
  if (!t.has_tool_gating) return {ToolAction::kAllow, Because::kNoToolGating};
  auto rule = t.tool_rules.find(key);
  if (rule != t.tool_rules.end()) return {rule->second, Because::kRule};
  return {t.default_action, Because::kDefaultAction};
}

std::string ToolDecision::Reason(std::string_view tool, const CompiledPolicy* policy) const {
  std::string name = policy != nullptr ? policy->name() : "";
  std::string t(tool);
  switch (because) {
    case Because::kRunDeny:
      return StrCat(t, " is on the run's toolPolicy.deny list");
    case Because::kRunAllowList:
      return StrCat(t, " is not on the run's toolPolicy.allow list");
    case Because::kRule:
      return StrCat("rule \"", t, ": ", ToolActionName(action), "\" in policy ", name);
    case Because::kDefaultAction:
      return StrCat("no rule for ", t, "; policy ", name, " defaults to ", ToolActionName(action));
    case Because::kNoToolGating:
      return StrCat("policy ", name, " has no toolGating");
    case Because::kNoPolicy:
      return "no policy bound";
  }
  return "";
}

}  // namespace sympozium
