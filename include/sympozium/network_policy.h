// The NetworkPolicy a SympoziumPolicy's `networkPolicy` asks for (SPEC §8
// "Recommended generator"). Sympozium's controller generates none.
#ifndef SYMPOZIUM_NETWORK_POLICY_H_
#define SYMPOZIUM_NETWORK_POLICY_H_

#include <memory>
#include <optional>
#include <string>

#include "sympozium/diagnostic.h"
#include "sympozium/policy.h"
#include "sympozium/value.h"

namespace sympozium {

struct NetworkPolicyResult {
  // A networking.k8s.io/v1 NetworkPolicy `sympozium-policy-<policy>`, or
  // nothing when the policy has no networkPolicy or `denyAll: false`.
  std::optional<Value> object;
  // Hostnames in allowedEgress (NetworkPolicy takes only IP blocks) as
  // `netpol.unsupported_host` warnings, never dropped silently.
  Diagnostics warnings;
  std::shared_ptr<Arena> memory;
};

// `namespace_` is where the object goes (the policy's own when empty).
NetworkPolicyResult GenerateNetworkPolicy(const CompiledPolicy& policy,
                                          const std::string& namespace_ = "");

}  // namespace sympozium

#endif  // SYMPOZIUM_NETWORK_POLICY_H_
