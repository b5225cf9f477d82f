// The lookups of decoded objects in a Cluster that evaluation, mutation and
// admission make (docs/model.md#lookups, docs/checks.md#skill-resolution).
#ifndef SYMPOZIUM_LIB_CLUSTER_LOOKUP_H_
#define SYMPOZIUM_LIB_CLUSTER_LOOKUP_H_

#include <string_view>

#include "lib/base/arena.h"
#include "lib/decode/model.h"
#include "sympozium/cluster.h"
#include "sympozium/policy.h"

namespace sympozium {

// The policy a run's Agent binds (docs/checks.md, checks 2, 5 and 6): the Agent
// in the run's namespace, then its policyRef in that namespace. Callers word
// each failure as the Go code they follow does.
struct PolicyLookup {
  const Agent* agent = nullptr;            // null: no such Agent
  Str policy_ref;                          // the Agent's; empty: it binds none
  const CompiledPolicy* policy = nullptr;  // null: none bound, or none by that name
  // The Agent (when `agent` is null) or its policy (when `policy` is null)
  // exists but could not be decoded or compiled: an error, never "not bound".
  const BrokenObject* broken = nullptr;
};

const Agent* FindAgent(const Cluster& cluster, std::string_view ns, std::string_view name);
const SkillPack* FindSkillPack(const Cluster& cluster, std::string_view ns, std::string_view name);
PolicyLookup LookupPolicy(const Cluster& cluster, std::string_view ns, std::string_view agent_name);

// docs/checks.md#skill-resolution: trims one leading "skillpack-", tries `run_ns`, then
// "sympozium-system"; nullptr when neither has it. `*broken` (optional)
// is set when the first of those that exists is broken.
const SkillPack* ResolveSkillPack(const Cluster& cluster, std::string_view run_ns,
                                  std::string_view ref, const BrokenObject** broken = nullptr);

}  // namespace sympozium

#endif  // SYMPOZIUM_LIB_CLUSTER_LOOKUP_H_
