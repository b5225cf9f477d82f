#include "lib/evaluate/pod_binding.h"

#include <initializer_list>

#include "lib/base/strings.h"
#include "lib/base/value_path.h"

namespace sympozium {
namespace {

constexpr std::string_view kInstanceLabel = "sympozium.ai/instance";

std::string_view InstanceLabel(const Value& object) {
  std::string_view name = StringAt(&object, {"metadata", "labels", kInstanceLabel});
  if (name.empty())
    name = StringAt(&object, {"spec", "template", "metadata", "labels", kInstanceLabel});
  if (name.empty())
    name = StringAt(
        &object, {"spec", "jobTemplate", "spec", "template", "metadata", "labels", kInstanceLabel});
  return name;
}

}  // namespace

PodPolicyLookup LookupPodPolicy(const Value& object, std::string_view ns, const Cluster& cluster) {
  PodPolicyLookup lookup;
  lookup.agent_name = InstanceLabel(object);
  if (!lookup.agent_name.empty()) lookup.found = cluster.LookupPolicy(ns, lookup.agent_name);
  return lookup;
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
