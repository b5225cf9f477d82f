// Cluster: the objects that exist, for the lookups admission makes (docs/model.md#lookups,
// docs/checks.md#skill-resolution): Agents, SympoziumPolicies and SkillPacks by namespace and name.
// Immutable once built, so one Cluster can serve many threads.
#ifndef SYMPOZIUM_CLUSTER_H_
#define SYMPOZIUM_CLUSTER_H_

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "sympozium/decode.h"
#include "sympozium/document.h"
#include "sympozium/policy.h"

namespace sympozium {

// The policy a run's Agent binds (docs/checks.md, checks 2, 5 and 6): the Agent
// in the run's namespace, then its policyRef in that namespace. Callers word
// each failure as the Go code they follow does.
struct PolicyLookup {
  const Agent* agent = nullptr;            // null: no such Agent
  Str policy_ref;                          // the Agent's; empty: it binds none
  const CompiledPolicy* policy = nullptr;  // null: none bound, or none by that name
};

class Cluster {
 public:
  Cluster() = default;
  Cluster(Cluster&&) = default;
  Cluster& operator=(Cluster&&) = default;

  // Adds one object by its kind (Agent, SympoziumPolicy, SkillPack; other
  // kinds are an error). A policy is compiled here in compat form; strict
  // evaluation refuses to use one with strict errors. Adding an object with
  // the name of an existing one replaces it. `limits` bound the compile
  // (max_tool_rules, max_registries).
  absl::Status Add(Document doc, const Limits& limits = DefaultLimits());
  // Reads every document of `bytes` and adds each, under options.limits.
  absl::Status AddDocuments(std::string_view bytes, const ReadOptions& options = {});

  const Agent* FindAgent(std::string_view ns, std::string_view name) const;
  const CompiledPolicy* FindPolicy(std::string_view ns, std::string_view name) const;
  PolicyPtr FindPolicyShared(std::string_view ns, std::string_view name) const;
  const SkillPack* FindSkillPack(std::string_view ns, std::string_view name) const;
  PolicyLookup LookupPolicy(std::string_view ns, std::string_view agent_name) const;

  // docs/checks.md#skill-resolution: trims one leading "skillpack-", tries `run_ns`, then
  // "sympozium-system"; nullptr when neither has it.
  const SkillPack* ResolveSkillPack(std::string_view run_ns, std::string_view ref) const;

  size_t agent_count() const { return agents_.size(); }
  size_t policy_count() const { return policies_.size(); }
  size_t skill_pack_count() const { return skill_packs_.size(); }
  // Bytes held by the cluster (compiled policies, documents' arenas, maps).
  size_t MemoryUsage() const;

  // Every SkillPack tool name (for compile's unknown-tool warnings).
  std::vector<std::string> SkillPackToolNames() const;

  void ForEachPolicy(const std::function<void(const CompiledPolicy&)>& fn) const;

 private:
  using Key = std::pair<std::string, std::string>;  // namespace, name
  absl::flat_hash_map<Key, std::shared_ptr<const Decoded<Agent>>> agents_;
  absl::flat_hash_map<Key, PolicyPtr> policies_;
  absl::flat_hash_map<Key, std::shared_ptr<const Decoded<SkillPack>>> skill_packs_;
};

}  // namespace sympozium

#endif  // SYMPOZIUM_CLUSTER_H_
