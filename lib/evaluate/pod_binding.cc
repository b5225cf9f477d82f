#include "lib/evaluate/pod_binding.h"
#include "lib/cluster/lookup.h"

#include <initializer_list>

#include "lib/base/value_path.h"
#include "sympozium/strings.h"

namespace sympozium {
PodPolicyLookup LookupPodPolicy(std::string_view agent_name, std::string_view ns,
                                const Cluster& cluster) {
  PodPolicyLookup lookup;
  lookup.agent_name = agent_name;
  if (!agent_name.empty()) lookup.found = LookupPolicy(cluster, ns, agent_name);
  return lookup;
}

PodPolicyLookup LookupPodPolicy(const Value& object, std::string_view ns, const Cluster& cluster) {
  auto string_at = [&object](std::initializer_list<std::string_view> path) {
    return StringAt(&object, path);
  };
  return LookupPodPolicy(InstanceLabel(string_at), ns, cluster);
}

Diagnostic NoPodPolicyWarning(const PodPolicyLookup& lookup, std::string_view ns) {
  std::string why;
  if (lookup.agent_name.empty())
    why = StrCat("no ", kInstanceLabel, " label names its Agent");
  else if (lookup.found.agent == nullptr)
    why = StrCat("Agent ", ns, "/", lookup.agent_name, " not found");
  else if (lookup.found.policy_ref.empty())
    why = StrCat("Agent ", ns, "/", lookup.agent_name, " binds no policy");
  else
    why = StrCat("SympoziumPolicy ", ns, "/", lookup.found.policy_ref, " not found");
  return Diagnostic::Warning("pod.no_policy", StrCat("metadata.labels.", kInstanceLabel),
                             StrCat("no SympoziumPolicy applies (", why,
                                    "): only the policy-independent pod rules were checked"));
}

}  // namespace sympozium
