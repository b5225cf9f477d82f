// How a pod-bearing object finds its policy in a cluster. Agent pods carry
// `sympozium.ai/instance: <Agent>`; the Agent's policyRef, in the pod's
// namespace, is the pod's policy, as for AgentRuns. Evaluate uses it for
// every pod kind bound by Binding::Lookup; admission reads it to name the
// policy in its decision facts.
#ifndef SYMPOZIUM_LIB_EVALUATE_POD_BINDING_H_
#define SYMPOZIUM_LIB_EVALUATE_POD_BINDING_H_

#include <initializer_list>
#include <string>
#include <string_view>

#include "lib/base/value.h"
#include "lib/cluster/lookup.h"
#include "sympozium/cluster.h"
#include "sympozium/diagnostic.h"

namespace sympozium {

struct PodPolicyLookup {
  std::string_view agent_name;  // from the label; "" when there is none
  PolicyLookup found;           // found.policy null: no policy applies
};

inline constexpr std::string_view kInstanceLabel = "sympozium.ai/instance";

// The label, from the object itself, else its pod template (spec.template:
// Job, Deployment, ...), else a CronJob's (spec.jobTemplate.spec.template).
// `string_at(path)` is the string at that path of keys, "" when there is
// none: so the tree and the JSON fast path's DOM read it alike.
template <class StringAt>
std::string_view InstanceLabel(const StringAt& string_at) {
  using Path = std::initializer_list<std::string_view>;
  std::string_view name = string_at(Path{"metadata", "labels", kInstanceLabel});
  if (name.empty())
    name = string_at(Path{"spec", "template", "metadata", "labels", kInstanceLabel});
  if (name.empty())
    name = string_at(
        Path{"spec", "jobTemplate", "spec", "template", "metadata", "labels", kInstanceLabel});
  return name;
}

// The policy of the Agent `agent_name` ("": no label) in namespace `ns`.
PodPolicyLookup LookupPodPolicy(std::string_view agent_name, std::string_view ns,
                                const Cluster& cluster);
// The same, with the label read from the tree of the object.
PodPolicyLookup LookupPodPolicy(const Value& object, std::string_view ns, const Cluster& cluster);

// The warning of a pod no policy applies to, saying why.
Diagnostic NoPodPolicyWarning(const PodPolicyLookup& lookup, std::string_view ns);

}  // namespace sympozium

#endif  // SYMPOZIUM_LIB_EVALUATE_POD_BINDING_H_
