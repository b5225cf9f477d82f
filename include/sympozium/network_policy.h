// The NetworkPolicy a SympoziumPolicy's `networkPolicy` asks for (docs/rbac.md#networkpolicy).
// Sympozium's controller generates none.
#ifndef SYMPOZIUM_NETWORK_POLICY_H_
#define SYMPOZIUM_NETWORK_POLICY_H_

#include <optional>
#include <string>

#include "sympozium/diagnostic.h"
#include "sympozium/export.h"
#include "sympozium/policy.h"
#include "sympozium/read.h"

SYMPOZIUM_API_BEGIN
namespace sympozium {

struct NetworkPolicyResult {
  // A networking.k8s.io/v1 NetworkPolicy `sympozium-policy-<policy>`, or
  // nothing when the policy has no networkPolicy or `denyAll: false`.
  std::optional<Document> object;
  // allowedEgress entries that get no rule, never dropped silently:
  // `netpol.unsupported_host` for hostnames and invalid CIDRs (NetworkPolicy
  // takes only IP blocks), `netpol.invalid_port` for a port outside
  // 0-65535 (0 = every port). Also `netpol.name_too_long` when the name
  // exceeds 253 characters. Paths are in the policy:
  // `spec.networkPolicy.allowedEgress[2].host`.
  Diagnostics warnings;
};

// `namespace_` is where the object goes (the policy's own when empty; left
// out of the object when both are empty). The egress rules, in order:
// allowDNS (UDP+TCP 53 to kube-system k8s-app=kube-dns), allowEventBus (TCP
// 4222 to sympozium-system app.kubernetes.io/component=nats), then one
// ipBlock rule per IP/CIDR host (a bare address as /32 or /128, host bits
// cleared), with TCP `port` when it is set.
NetworkPolicyResult GenerateNetworkPolicy(const CompiledPolicy& policy,
                                          const std::string& namespace_ = "");

}  // namespace sympozium
SYMPOZIUM_API_END

#endif  // SYMPOZIUM_NETWORK_POLICY_H_
