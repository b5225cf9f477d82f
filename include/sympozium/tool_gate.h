// Tool gating (docs/tools.md): is a tool allowed, denied, or does it need
// approval? The same in both modes.
//
//   1. The run's lists (spec.toolPolicy): entries split on ',', trimmed,
//      blanks dropped. A tool on the deny list is denied; with a non-empty
//      allow list, a tool not on it is denied.
//   2. Otherwise the policy's toolGating: the exact rule for the tool
//      (deny > ask > allow among several), else defaultAction (empty or
//      unknown: allow). No toolGating, or no policy: allow.
#ifndef SYMPOZIUM_TOOL_GATE_H_
#define SYMPOZIUM_TOOL_GATE_H_

#include <cstdint>
#include <functional>
#include <set>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "sympozium/export.h"
#include "sympozium/options.h"
#include "sympozium/policy.h"
#include "sympozium/read.h"

SYMPOZIUM_API_BEGIN
namespace sympozium {

// A run's toolPolicy lists in the form the runtime uses them.
struct RunToolLists {
  std::set<std::string, std::less<>> allow;
  std::set<std::string, std::less<>> deny;

  // The lists of an AgentRun document; an error when it does not decode
  // as an AgentRun.
  static absl::StatusOr<RunToolLists> FromDocument(const Document& run);
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
SYMPOZIUM_API_END

#endif  // SYMPOZIUM_TOOL_GATE_H_
