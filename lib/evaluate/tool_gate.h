// Tool gating (docs/tools.md): is a tool allowed, denied, or does it need
// approval? The same in both modes.
//
//   1. The run's lists (spec.toolPolicy): entries split on ',', trimmed,
//      blanks dropped. A tool on the deny list is denied; with a non-empty
//      allow list, a tool not on it is denied.
//   2. Otherwise the policy's toolGating: the exact rule for the tool
//      (deny > ask > allow among several), else defaultAction (empty or
//      unknown: allow). No toolGating, or no policy: allow.
#ifndef SYMPOZIUM_LIB_EVALUATE_TOOL_GATE_H_
#define SYMPOZIUM_LIB_EVALUATE_TOOL_GATE_H_

#include <string>
#include <string_view>

#include "absl/container/flat_hash_set.h"
#include "lib/decode/model.h"
#include "sympozium/policy.h"

namespace sympozium {

// A run's toolPolicy lists in the form the runtime uses them.
struct RunToolLists {
  absl::flat_hash_set<std::string> allow;
  absl::flat_hash_set<std::string> deny;

  static RunToolLists FromRun(const AgentRun& run);
};

struct ToolDecision {
  enum class Because : uint8_t {
    kRunDeny,        // on the run's deny list
    kRunAllowList,   // the run's allow list is non-empty and lacks it
    kRule,           // a toolGating rule names it
    kDefaultAction,  // no rule: the policy's defaultAction
    kNoToolGating,   // the policy has no toolGating
    kNoPolicy,       // no policy bound
  };
  ToolAction action = ToolAction::kAllow;
  Because because = Because::kNoPolicy;

  // A sentence for people: `rule "execute_command: ask" in policy restrictive`.
  std::string Reason(std::string_view tool, const CompiledPolicy* policy) const;
};

// `policy` and `run` may be null.
ToolDecision DecideTool(const CompiledPolicy* policy, const RunToolLists* run,
                        std::string_view tool);

}  // namespace sympozium

#endif  // SYMPOZIUM_LIB_EVALUATE_TOOL_GATE_H_
