// rbacFor (SPEC §6): the Role, RoleBinding, ClusterRole and
// ClusterRoleBinding the controller creates for SkillPack sidecars and a
// run's lifecycle hooks, as Kubernetes objects, with a least-privilege
// analysis of every rule requested.
#ifndef SYMPOZIUM_RBAC_H_
#define SYMPOZIUM_RBAC_H_

#include <memory>
#include <string>
#include <vector>

#include "sympozium/decision.h"
#include "sympozium/diagnostic.h"
#include "sympozium/model.h"
#include "sympozium/policy.h"
#include "sympozium/value.h"

namespace sympozium {

struct RbacOptions {
  Mode mode = Mode::kStrict;
  // strict: SkillPack rules are bounded by this policy's
  // lifecyclePolicy.deniedResources (SPEC §11 S4). May be null.
  const CompiledPolicy* policy = nullptr;
};

struct RbacResult {
  // rbac.authorization.k8s.io/v1 objects, ready for `kubectl apply -f`:
  // per eligible pack Role + RoleBinding (rbac) and ClusterRole +
  // ClusterRoleBinding (clusterRBAC), then the lifecycle Role + RoleBinding.
  std::vector<Value> objects;
  // Least-privilege findings (codes `rbac.wildcard`, `rbac.secrets`,
  // `rbac.escalation`, `rbac.exec`, `rbac.rbac_objects`,
  // `rbac.cluster_write`, `rbac.name_too_long`), each with a path into the
  // SkillPack or run (`spec.sidecar.rbac[0].verbs[2]`).
  Diagnostics warnings;
  // strict + policy: rules that ask for a denied resource (S4). When any
  // exist, `objects` is empty (fail closed).
  std::vector<Violation> violations;
  // Label selectors that find the run's cluster-scoped objects for cleanup
  // (`sympozium.ai/agent-run=<run>,sympozium.ai/managed-by=sympozium`).
  std::vector<std::string> cleanup_selectors;
  std::shared_ptr<Arena> memory;  // holds the objects

  // A `v1` `List` of the objects.
  Value AsList(Arena& arena) const;
};

// `packs` are treated as attached and resolved whatever their namespace;
// each pack's name is metadata.name minus one leading "skillpack-".
RbacResult RbacFor(const std::vector<const SkillPack*>& packs, const AgentRun& run,
                   const RbacOptions& options = {});

}  // namespace sympozium

#endif  // SYMPOZIUM_RBAC_H_
