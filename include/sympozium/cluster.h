// Cluster: the objects that exist, for the lookups admission makes (docs/model.md#lookups,
// docs/checks.md#skill-resolution): Agents, SympoziumPolicies and SkillPacks by namespace and name.
// Immutable once built, so one Cluster can serve many threads. Copies share
// the (immutable) objects, so copying costs a map of pointers; ClusterStore
// builds each snapshot that way.
#ifndef SYMPOZIUM_CLUSTER_H_
#define SYMPOZIUM_CLUSTER_H_

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "sympozium/decode.h"
#include "sympozium/document.h"
#include "sympozium/export.h"
#include "sympozium/policy.h"

SYMPOZIUM_API_BEGIN
namespace sympozium {

// The policy a run's Agent binds (docs/checks.md, checks 2, 5 and 6): the Agent
// in the run's namespace, then its policyRef in that namespace. Callers word
// each failure as the Go code they follow does.
struct BrokenObject;
struct PolicyLookup {
  const Agent* agent = nullptr;            // null: no such Agent
  Str policy_ref;                          // the Agent's; empty: it binds none
  const CompiledPolicy* policy = nullptr;  // null: none bound, or none by that name
  // The Agent (when `agent` is null) or its policy (when `policy` is null)
  // exists but could not be decoded or compiled: an error, never "not bound".
  const BrokenObject* broken = nullptr;
};

// An object that exists (by kind, namespace and name) but does not decode or
// compile. Kept so that what depends on it fails naming it and its error,
// rather than as if it did not exist (or, worse, with a stale version).
struct BrokenObject {
  std::string kind;  // Agent, SympoziumPolicy or SkillPack
  std::string namespace_;
  std::string name;
  std::string error;  // the decode or compile error, naming the document

  // "SympoziumPolicy team/p cannot be used: <error>".
  std::string Describe() const;
  // The reason code of a decision that needed it: agent.invalid,
  // policy.invalid or skillpack.invalid.
  std::string_view reason_code() const;
};

// The kinds a Cluster holds: Agent, SympoziumPolicy, SkillPack.
bool IsClusterKind(std::string_view kind);
// OK when `doc` is of a kind a Cluster holds, else the error Cluster::Add
// gives, naming the document.
absl::Status CheckClusterKind(const Document& doc);

class Cluster {
 public:
  Cluster() = default;
  Cluster(const Cluster&) = default;
  Cluster& operator=(const Cluster&) = default;
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
  // Records `broken` in place of any object of its kind, namespace and name
  // (Add of a good object replaces a broken one in turn).
  void AddBroken(BrokenObject broken);
  // Removes the object (good or broken) of that kind, namespace and name;
  // false if there was none.
  bool Remove(std::string_view kind, std::string_view ns, std::string_view name);
  // Removes every object (good or broken) of `kind` in namespace `ns` ("":
  // in every namespace).
  void RemoveAll(std::string_view kind, std::string_view ns);
  // Adds every object of `from` (good or broken), each replacing what this
  // cluster held under its kind, namespace and name.
  void Merge(const Cluster& from);
  // True if an object (good or broken) of that kind, namespace and name is held.
  bool Contains(std::string_view kind, std::string_view ns, std::string_view name) const;

  const Agent* FindAgent(std::string_view ns, std::string_view name) const;
  const CompiledPolicy* FindPolicy(std::string_view ns, std::string_view name) const;
  PolicyPtr FindPolicyShared(std::string_view ns, std::string_view name) const;
  const SkillPack* FindSkillPack(std::string_view ns, std::string_view name) const;
  PolicyLookup LookupPolicy(std::string_view ns, std::string_view agent_name) const;
  const BrokenObject* FindBroken(std::string_view kind, std::string_view ns,
                                 std::string_view name) const;

  // docs/checks.md#skill-resolution: trims one leading "skillpack-", tries `run_ns`, then
  // "sympozium-system"; nullptr when neither has it. `*broken` (optional)
  // is set when the first of those that exists is broken.
  const SkillPack* ResolveSkillPack(std::string_view run_ns, std::string_view ref,
                                    const BrokenObject** broken = nullptr) const;

  size_t agent_count() const { return agents_.size(); }
  size_t policy_count() const { return policies_.size(); }
  size_t skill_pack_count() const { return skill_packs_.size(); }
  size_t broken_count() const { return broken_.size(); }
  // The broken objects, sorted by kind, namespace and name.
  std::vector<const BrokenObject*> Broken() const;
  // Bytes held by the cluster (compiled policies, documents' arenas, maps).
  size_t MemoryUsage() const;

  // Every SkillPack tool name (for compile's unknown-tool warnings).
  std::vector<std::string> SkillPackToolNames() const;

  void ForEachPolicy(const std::function<void(const CompiledPolicy&)>& fn) const;

 private:
  using Key = std::pair<std::string, std::string>;                    // namespace, name
  using KindKey = std::tuple<std::string, std::string, std::string>;  // kind, namespace, name
  // Drops the good object of that key, if any (not a broken one).
  bool EraseGood(std::string_view kind, const Key& key);
  absl::flat_hash_map<Key, std::shared_ptr<const Decoded<Agent>>> agents_;
  absl::flat_hash_map<Key, PolicyPtr> policies_;
  absl::flat_hash_map<Key, std::shared_ptr<const Decoded<SkillPack>>> skill_packs_;
  absl::flat_hash_map<KindKey, std::shared_ptr<const BrokenObject>> broken_;
};

}  // namespace sympozium
SYMPOZIUM_API_END

#endif  // SYMPOZIUM_CLUSTER_H_
