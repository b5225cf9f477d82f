// Pods and pod templates (docs/pods.md): the securityContext, host, volume,
// env and resource fields the pod checks read.
#include <algorithm>

#include "absl/strings/str_cat.h"
#include "lib/decode/decoder.h"
#include "sympozium/decode.h"

namespace sympozium::decode_internal {
namespace {

struct PodKind {
  std::string_view kind;
  std::string_view api_version;
  std::string_view spec_path;  // the keys from the root to the pod spec, joined by '.'
};

const PodKind kPodKinds[] = {
    {"Pod", "v1", "spec"},
    {"Job", "batch/v1", "spec.template.spec"},
    {"CronJob", "batch/v1", "spec.jobTemplate.spec.template.spec"},
    {"Deployment", "apps/v1", "spec.template.spec"},
    {"StatefulSet", "apps/v1", "spec.template.spec"},
    {"DaemonSet", "apps/v1", "spec.template.spec"},
    {"ReplicaSet", "apps/v1", "spec.template.spec"},
};

const PodKind* FindPodKind(std::string_view kind) {
  for (const PodKind& k : kPodKinds)
    if (k.kind == kind) return &k;
  return nullptr;
}

template <class N>
absl::Status DecodeSeccomp(Decoder<N>& d, const N& v, PodSeccompProfile* out) {
  SYM_RETURN_IF_ERROR(d.Field(v, "type", &out->type));
  SYM_RETURN_IF_ERROR(d.Field(v, "localhostProfile", &out->localhost_profile));
  out->localhost_profile_set = IsSet(v, "localhostProfile");
  return absl::OkStatus();
}

template <class N>
absl::Status DecodeSecurityContext(Decoder<N>& d, const N& v, SecurityContext* out) {
  SYM_RETURN_IF_ERROR(d.Field(v, "runAsNonRoot", &out->run_as_non_root));
  SYM_RETURN_IF_ERROR(d.Field(v, "runAsUser", &out->run_as_user));
  SYM_RETURN_IF_ERROR(d.Field(v, "readOnlyRootFilesystem", &out->read_only_root_filesystem));
  SYM_RETURN_IF_ERROR(d.Field(v, "allowPrivilegeEscalation", &out->allow_privilege_escalation));
  SYM_RETURN_IF_ERROR(d.Field(v, "privileged", &out->privileged));
  N caps = v.Find("capabilities");
  if (caps && !caps.is_null()) {
    typename Decoder<N>::Scope scope(d.path(), "capabilities");
    SYM_RETURN_IF_ERROR(d.ExpectMap(caps));
    out->capabilities_set = true;
    SYM_RETURN_IF_ERROR(d.Field(caps, "add", &out->capabilities_add));
    SYM_RETURN_IF_ERROR(d.Field(caps, "drop", &out->capabilities_drop));
  }
  return d.Object(v, "seccompProfile", &out->seccomp_profile, DecodeSeccomp<N>);
}

template <class N>
absl::Status DecodeEnvFrom(Decoder<N>& d, const N& v, EnvFromSource* out) {
  (void)d;
  out->secret_ref_set = IsSet(v, "secretRef");
  out->config_map_ref_set = IsSet(v, "configMapRef");
  return absl::OkStatus();
}

template <class N>
absl::Status DecodeContainer(Decoder<N>& d, const N& v, Container* out) {
  SYM_RETURN_IF_ERROR(d.Field(v, "name", &out->name));
  SYM_RETURN_IF_ERROR(d.Field(v, "image", &out->image));
  SYM_RETURN_IF_ERROR(d.ObjectList(v, "env", &out->env, DecodeEnvVar<N>));
  SYM_RETURN_IF_ERROR(d.ObjectList(v, "envFrom", &out->env_from, DecodeEnvFrom<N>));
  SYM_RETURN_IF_ERROR(
      d.Object(v, "securityContext", &out->security_context, DecodeSecurityContext<N>));
  return d.Embedded(v, "resources", &out->resources,
                    [](Decoder<N>& d, const N& v, ResourceMaps* r) {
                      SYM_RETURN_IF_ERROR(d.QuantityMap(v, "requests", &r->requests));
                      return d.QuantityMap(v, "limits", &r->limits);
                    });
}

template <class N>
absl::Status DecodePodVolume(Decoder<N>& d, const N& v, PodVolume* out) {
  SYM_RETURN_IF_ERROR(d.Field(v, "name", &out->name));
  out->host_path = IsSet(v, "hostPath");
  return absl::OkStatus();
}

template <class N>
absl::Status DecodePodSpec(Decoder<N>& d, const N& v, PodSpec* out) {
  SYM_RETURN_IF_ERROR(
      d.Object(v, "securityContext", &out->security_context, DecodeSecurityContext<N>));
  SYM_RETURN_IF_ERROR(d.Field(v, "hostNetwork", &out->host_network));
  SYM_RETURN_IF_ERROR(d.Field(v, "hostPID", &out->host_pid));
  SYM_RETURN_IF_ERROR(d.Field(v, "hostIPC", &out->host_ipc));
  SYM_RETURN_IF_ERROR(d.Field(v, "runtimeClassName", &out->runtime_class_name));
  SYM_RETURN_IF_ERROR(d.ObjectList(v, "initContainers", &out->init_containers, DecodeContainer<N>));
  SYM_RETURN_IF_ERROR(d.ObjectList(v, "containers", &out->containers, DecodeContainer<N>));
  SYM_RETURN_IF_ERROR(
      d.ObjectList(v, "ephemeralContainers", &out->ephemeral_containers, DecodeContainer<N>));
  return d.ObjectList(v, "volumes", &out->volumes, DecodePodVolume<N>);
}

}  // namespace

template <class N>
absl::Status DecodeTree(Decoder<N>& d, const N& root, PodObject* out) {
  if (!root.is_map()) return d.TypeError(root, "an object");
  N kind = root.Find("kind");
  const PodKind* pod_kind = kind && kind.is_string() ? FindPodKind(kind.text()) : nullptr;
  if (pod_kind == nullptr) {
    typename Decoder<N>::Scope scope(d.path(), "kind");
    return d.Error(kind ? kind : root,
                   absl::StrCat("expected kind Pod, Job, CronJob, Deployment, StatefulSet, "
                                "DaemonSet or ReplicaSet, got \"",
                                kind ? std::string(kind.text()) : std::string(), "\""));
  }
  SYM_RETURN_IF_ERROR(ExpectKind(d, root, pod_kind->kind, pod_kind->api_version));
  SYM_RETURN_IF_ERROR(DecodeMeta(d, root, &out->type, &out->metadata));
  // Walk down to the pod spec; a missing level means an empty pod spec.
  // spec_path ends up naming the level the walk stopped at.
  const std::string_view full_path = pod_kind->spec_path;
  N v = root;
  for (size_t start = 0;;) {
    size_t end = std::min(full_path.find('.', start), full_path.size());
    out->spec_path = full_path.substr(0, end);
    v = v.Find(full_path.substr(start, end - start));
    if (!v || v.is_null()) break;
    if (!v.is_map()) {
      d.path().PushRaw(out->spec_path);
      absl::Status s = d.TypeError(v, "an object");
      d.path().Pop();
      return s;
    }
    if (end == full_path.size()) break;
    start = end + 1;
  }
  if (!v || v.is_null()) return absl::OkStatus();
  d.path().PushRaw(out->spec_path);
  absl::Status s = DecodePodSpec(d, v, &out->pod);
  d.path().Pop();
  return s;
}

template absl::Status DecodeTree(Decoder<ValueNode>&, const ValueNode&, PodObject*);
template absl::Status DecodeTree(Decoder<DomNode>&, const DomNode&, PodObject*);

}  // namespace sympozium::decode_internal
