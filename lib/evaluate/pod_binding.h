// How a pod-bearing object finds its policy in a cluster. Agent pods carry
// `sympozium.ai/instance: <Agent>`; the Agent's policyRef, in the pod's
// namespace, is the pod's policy, as for AgentRuns. Evaluate uses it for
// every pod kind bound by Binding::Lookup; admission reads it to name the
// policy in its decision facts.
#ifndef SYMPOZIUM_LIB_EVALUATE_POD_BINDING_H_
#define SYMPOZIUM_LIB_EVALUATE_POD_BINDING_H_

#include <string>
#include <string_view>

#include "sympozium/cluster.h"
#include "sympozium/diagnostic.h"
#include "sympozium/value.h"

namespace sympozium {

struct PodPolicyLookup {
  std::string_view agent_name;  // from the label; "" when there is none
  PolicyLookup found;           // found.policy null: no policy applies
};

// The label is read from the object itself, else its pod template
// (spec.template: Job, Deployment, ...), else a CronJob's
// (spec.jobTemplate.spec.template). `ns` is the object's namespace.
PodPolicyLookup LookupPodPolicy(const Value& object, std::string_view ns, const Cluster& cluster);

// The warning of a pod no policy applies to, saying why.
Diagnostic NoPodPolicyWarning(const PodPolicyLookup& lookup, std::string_view ns);

}  // namespace sympozium

#endif  // SYMPOZIUM_LIB_EVALUATE_POD_BINDING_H_
