// Run-start checks: what the controller re-checks when it starts a Pending
// AgentRun (docs/start.md), with the facts admission cannot know (how many runs
// are already Running). The strict form follows docs/start.md.
#ifndef SYMPOZIUM_START_H_
#define SYMPOZIUM_START_H_

#include <cstdint>
#include <string_view>

#include "sympozium/decision.h"
#include "sympozium/evaluate.h"
#include "sympozium/export.h"
#include "sympozium/options.h"
#include "sympozium/read.h"

SYMPOZIUM_API_BEGIN
namespace sympozium {

// What the controller learns by listing AgentRuns in the run's namespace.
// The run being started is still Pending, so it is never one of the
// Running runs counted here.
struct StartContext {
  // compat: Running AgentRuns labelled `sympozium.ai/instance=<agentRef>`.
  int64_t running_for_agent = 0;
  // False when the list failed: compat then skips the concurrency check, as
  // the controller does (and warns).
  bool running_for_agent_known = true;
  // strict: Running child runs of this run's parent (same
  // `spec.parent.runName`). Read only for child runs.
  int64_t running_children_of_parent = 0;
  // False when unknown: strict then refuses a child run under a
  // subagentPolicy with an error, because the bound cannot be checked.
  bool running_children_known = true;
};

// Checks a run as the controller does before creating its Job. Every
// violation is listed; the first is the one the controller reports as
// `status.error`. Codes: start.no_task, agent.not_found, policy.not_found,
// policy.invalid (strict), start.depth, start.concurrency,
// start.concurrency_unknown (strict), start.gate_hook.
//
// compat (docs/start.md): a null spec.task fails first; the Agent and policy
// lookups (Binding::Lookup) fail with `instance %q not found: %w` /
// `policy %q not found: %w`; depth fails when spawnDepth > maxDepth (no zero
// guard); concurrency fails for every run when running_for_agent >=
// maxConcurrent; then the gate-hook rules. Policy messages carry the prefix
// "policy validation failed: ", gate-hook messages "gate hook validation
// failed: ".
// strict: the same, except depth is admission's rule (maxDepth > 0 and
// spawnDepth >= maxDepth, `sub-agent depth %d exceeds maximum %d`) and
// concurrency applies only to child runs, counting
// running_children_of_parent (so maxConcurrent 0 means no children).
// A document that does not decode as an AgentRun is an error decision
// (code decode.error).
Decision AdmitStart(const Document& doc, const Binding& binding, const StartContext& context,
                    const EvaluateOptions& options = {});
// The same for YAML/JSON bytes.
Decision AdmitStart(std::string_view bytes, const Binding& binding, const StartContext& context,
                    const EvaluateOptions& options = {});

}  // namespace sympozium
SYMPOZIUM_API_END

#endif  // SYMPOZIUM_START_H_
