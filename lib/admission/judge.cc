// The decision on one review's object, before any enforcement mode.
#include <utility>

#include "absl/strings/escaping.h"
#include "lib/admission/admission_internal.h"
#include "lib/base/value_path.h"
#include "lib/cluster/lookup.h"
#include "lib/decode/decode.h"
#include "lib/evaluate/pod_binding.h"
#include "sympozium/evaluate.h"
#include "sympozium/mutate.h"
#include "sympozium/strings.h"

namespace sympozium::admission_internal {
namespace {

std::string KindName(std::string_view kind) {
  return kind.empty() ? "an object without kind" : std::string(kind);
}

Decision UnsupportedKind(std::string_view handles, std::string_view kind, Mode mode) {
  return Decision::Error(400, "request.unsupported_kind", StrCat(handles, ", not ", KindName(kind)),
                         "kind", mode);
}

Decision Validate(const Document& object, const Cluster& cluster, Mode mode) {
  EvaluateOptions eval;
  eval.mode = mode;
  std::string_view kind = object.kind();
  if (kind == "AgentRun" || IsPodKind(kind))
    return Evaluate(object, Binding::Lookup(&cluster), eval);
  // Neither looks anything up in the cluster.
  if (kind == "SkillPack" || kind == "Model") return Evaluate(object, Binding::None(), eval);
  return UnsupportedKind(
      "/validate handles AgentRun, SkillPack, Model and Pod objects (and pod templates)", kind,
      mode);
}

Verdict MutateRun(const Document& object, const Cluster& cluster, Mode mode) {
  if (object.kind() != "AgentRun")
    return {UnsupportedKind("/mutate handles AgentRun objects", object.kind(), mode), ""};
  absl::StatusOr<MutateResult> m = Mutate(object, Binding::Lookup(&cluster), mode);
  if (!m.ok())
    return {Decision::Error(400, "decode.error", std::string(m.status().message()),
                            PathOf(m.status()), mode),
            ""};
  Verdict v{Decision::Allow(std::move(m->message), mode), ""};
  if (m->patch_size != 0) v.patch = absl::Base64Escape(m->PatchJson());
  return v;
}

}  // namespace

Verdict Judge(const Document& object, const Cluster& cluster, AdmissionEndpoint endpoint,
              Mode mode) {
  if (endpoint == AdmissionEndpoint::kMutate) return MutateRun(object, cluster, mode);
  return {Validate(object, cluster, mode), ""};
}

std::string PolicyName(const Document& object, const Cluster& cluster) {
  std::string_view ns = object.namespace_();
  PolicyLookup found;
  if (object.kind() == "AgentRun")
    found = LookupPolicy(cluster, ns, StringAt(&object.root(), {"spec", "agentRef"}));
  else if (IsPodKind(object.kind()))
    found = LookupPodPolicy(object.root(), ns, cluster).found;
  return found.policy != nullptr ? StrCat(ns, "/", found.policy_ref) : std::string();
}

}  // namespace sympozium::admission_internal
