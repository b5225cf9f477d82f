// rbacFor (docs/rbac.md): the Role, RoleBinding, ClusterRole and
// ClusterRoleBinding the controller creates for SkillPack sidecars and a
// run's lifecycle hooks, as Kubernetes objects, with a least-privilege
// analysis of every rule requested.
#ifndef SYMPOZIUM_RBAC_H_
#define SYMPOZIUM_RBAC_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "sympozium/decision.h"
#include "sympozium/diagnostic.h"
#include "sympozium/export.h"
#include "sympozium/options.h"
#include "sympozium/policy.h"
#include "sympozium/read.h"

SYMPOZIUM_API_BEGIN
namespace sympozium {

struct RbacOptions {
  Mode mode = Mode::kStrict;
  // strict: SkillPack rules are bounded by this policy's
  // lifecyclePolicy.deniedResources (docs/checks.md, rule S4). May be null.
  const CompiledPolicy* policy = nullptr;
};

struct RbacResult {
  // rbac.authorization.k8s.io/v1 objects, ready for `kubectl apply -f`:
  // per eligible pack Role + RoleBinding (rbac) and ClusterRole +
  // ClusterRoleBinding (clusterRBAC), then the lifecycle Role + RoleBinding.
  // A pack whose name was already seen adds nothing (the controller's
  // create-if-absent keeps the first).
  std::vector<Document> objects;
  // Least-privilege findings, warnings about the rules of eligible packs and
  // of the lifecycle:
  //   rbac.wildcard       `*` as a verb or API group, or in a resource
  //   rbac.secrets        the `secrets` resource
  //   rbac.escalation     the escalate, bind or impersonate verbs
  //   rbac.exec           pods/exec, pods/attach and pods/portforward
  //   rbac.rbac_objects   roles, rolebindings, clusterroles, clusterrolebindings
  //   rbac.cluster_write  create/update/patch/delete/deletecollection/* in clusterRBAC
  //   rbac.name_too_long  a generated name over 253 characters (the API server
  //                       checks RBAC names only as path segments, but tools
  //                       expecting object names reject it)
  //   rbac.label_too_long a run or pack name over 63 characters, which the
  //                       API server rejects as a label value
  // Resources are matched by name in any API group. A path names the
  // document, then the field: `SkillPack/k8s-ops spec.sidecar.rbac[0].resources[6]`,
  // `SkillPack/k8s-ops spec.sidecar.clusterRBAC[1].verbs[0]`,
  // `AgentRun/run-1 spec.lifecycle.rbac[0].verbs[2]`,
  // `AgentRun/run-1 metadata.name` (`SkillPack/<metadata.name>`, `AgentRun/<run>`).
  Diagnostics warnings;
  // strict + policy: rule resources of eligible packs and of the lifecycle
  // that ask for a denied resource (S4, in its order: lifecycle rules, then
  // each pack's rbac and clusterRBAC), with paths as above. When any exist,
  // `objects` and `cleanup_selectors` are empty (fail closed).
  std::vector<Violation> violations;
  // Label selectors that find the run's cluster-scoped objects for cleanup
  // (`sympozium.ai/agent-run=<run>,sympozium.ai/managed-by=sympozium`);
  // empty when no cluster-scoped object is made.
  std::vector<std::string> cleanup_selectors;

  // A `v1` `List` of copies of the objects.
  Document AsList() const;
};

// `packs` (SkillPack documents) are treated as attached and resolved
// whatever their namespace, in the order given; each pack's name is
// metadata.name minus one leading "skillpack-". A pack is eligible when its
// sidecar is set with a non-empty image and, unless `spec.mode` is
// "server", is not `requiresServer`. An error when `run` does not decode as
// an AgentRun or a pack as a SkillPack.
absl::StatusOr<RbacResult> RbacFor(const std::vector<Document>& packs, const Document& run,
                                   const RbacOptions& options = {});

}  // namespace sympozium
SYMPOZIUM_API_END

#endif  // SYMPOZIUM_RBAC_H_
