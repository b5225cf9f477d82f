// Cluster: the objects that exist, for the lookups admission makes (docs/model.md#lookups,
// docs/checks.md#skill-resolution): Agents, SympoziumPolicies and SkillPacks by namespace and name.
// Evaluation (Binding::Lookup), mutation and admission look up in it.
// Immutable once built, so one Cluster can serve many threads. Copies share
// the (immutable) objects, so copying costs a map of pointers; ClusterStore
// builds each snapshot that way.
#ifndef SYMPOZIUM_CLUSTER_H_
#define SYMPOZIUM_CLUSTER_H_

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "sympozium/export.h"
#include "sympozium/options.h"
#include "sympozium/policy.h"
#include "sympozium/read.h"

SYMPOZIUM_API_BEGIN
namespace sympozium {

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
  Cluster();
  Cluster(const Cluster& other);
  Cluster& operator=(const Cluster& other);
  Cluster(Cluster&& other);  // leaves `other` empty
  Cluster& operator=(Cluster&& other);
  ~Cluster();

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

  const CompiledPolicy* FindPolicy(std::string_view ns, std::string_view name) const;
  PolicyPtr FindPolicyShared(std::string_view ns, std::string_view name) const;
  const BrokenObject* FindBroken(std::string_view kind, std::string_view ns,
                                 std::string_view name) const;
  // The policy admission binds `run` (an AgentRun document) to
  // (docs/checks.md, checks 2, 5 and 6): the run's Agent in the run's
  // namespace, then the Agent's policyRef there. Null when the Agent names
  // no policy. NotFound, its message ending in the reason code, when the
  // Agent or the policy is missing (agent.not_found, policy.not_found) or
  // broken (agent.invalid, policy.invalid); InvalidArgument when `run` is
  // not an AgentRun.
  absl::StatusOr<const CompiledPolicy*> PolicyForRun(const Document& run) const;

  size_t agent_count() const;
  size_t policy_count() const;
  size_t skill_pack_count() const;
  size_t broken_count() const;
  // The broken objects, sorted by kind, namespace and name.
  std::vector<const BrokenObject*> Broken() const;
  // Bytes held by the cluster (compiled policies, documents' arenas, maps).
  size_t MemoryUsage() const;

  // Every SkillPack tool name (for compile's unknown-tool warnings).
  std::vector<std::string> SkillPackToolNames() const;

  void ForEachPolicy(const std::function<void(const CompiledPolicy&)>& fn) const;

 private:
  // The objects by kind, namespace and name (lib/cluster/cluster.cc); the
  // lookups of decoded Agents and SkillPacks are lib/cluster/lookup.h.
  struct Rep;
  friend struct ClusterAccess;
  std::unique_ptr<Rep> rep_;  // never null
};

}  // namespace sympozium
SYMPOZIUM_API_END

#endif  // SYMPOZIUM_CLUSTER_H_
