// Pods and pod templates (SPEC §12): the securityContext, host, volume,
// env and resource fields the pod checks read.
#include "absl/strings/str_cat.h"
#include "lib/decode/decoder.h"
#include "sympozium/decode.h"

namespace sympozium::decode_internal {
namespace {

struct PodKind {
  std::string_view kind;
  std::string_view api_version;
  std::initializer_list<std::string_view> spec_path;  // keys from the root to the pod spec
};

const PodKind kPodKinds[] = {
    {"Pod", "v1", {"spec"}},
    {"Job", "batch/v1", {"spec", "template", "spec"}},
    {"CronJob", "batch/v1", {"spec", "jobTemplate", "spec", "template", "spec"}},
    {"Deployment", "apps/v1", {"spec", "template", "spec"}},
    {"StatefulSet", "apps/v1", {"spec", "template", "spec"}},
    {"DaemonSet", "apps/v1", {"spec", "template", "spec"}},
    {"ReplicaSet", "apps/v1", {"spec", "template", "spec"}},
};

const PodKind* FindPodKind(std::string_view kind) {
  for (const PodKind& k : kPodKinds)
    if (k.kind == kind) return &k;
  return nullptr;
}

absl::Status DecodeSeccomp(Decoder& d, const Value& v, PodSeccompProfile* out) {
  SYM_RETURN_IF_ERROR(d.Field(v, "type", &out->type));
  SYM_RETURN_IF_ERROR(d.Field(v, "localhostProfile", &out->localhost_profile));
  const Value* p = v.Find("localhostProfile");
  out->localhost_profile_set = p != nullptr && !p->is_null();
  return absl::OkStatus();
}

absl::Status DecodeSecurityContext(Decoder& d, const Value& v, SecurityContext* out) {
  SYM_RETURN_IF_ERROR(d.Field(v, "runAsNonRoot", &out->run_as_non_root));
  SYM_RETURN_IF_ERROR(d.Field(v, "runAsUser", &out->run_as_user));
  SYM_RETURN_IF_ERROR(d.Field(v, "readOnlyRootFilesystem", &out->read_only_root_filesystem));
  SYM_RETURN_IF_ERROR(d.Field(v, "allowPrivilegeEscalation", &out->allow_privilege_escalation));
  SYM_RETURN_IF_ERROR(d.Field(v, "privileged", &out->privileged));
  const Value* caps = v.Find("capabilities");
  if (caps != nullptr && !caps->is_null()) {
    Path::Scope scope(d.path(), "capabilities");
    SYM_RETURN_IF_ERROR(d.ExpectMap(*caps));
    out->capabilities_set = true;
    SYM_RETURN_IF_ERROR(d.Field(*caps, "add", &out->capabilities_add));
    SYM_RETURN_IF_ERROR(d.Field(*caps, "drop", &out->capabilities_drop));
  }
  return d.Object(v, "seccompProfile", &out->seccomp_profile, DecodeSeccomp);
}

absl::Status DecodeEnvFrom(Decoder& d, const Value& v, EnvFromSource* out) {
  (void)d;
  const Value* secret = v.Find("secretRef");
  const Value* config_map = v.Find("configMapRef");
  out->secret_ref_set = secret != nullptr && !secret->is_null();
  out->config_map_ref_set = config_map != nullptr && !config_map->is_null();
  return absl::OkStatus();
}

absl::Status DecodeContainer(Decoder& d, const Value& v, Container* out) {
  SYM_RETURN_IF_ERROR(d.Field(v, "name", &out->name));
  SYM_RETURN_IF_ERROR(d.Field(v, "image", &out->image));
  SYM_RETURN_IF_ERROR(d.ObjectList(v, "env", &out->env, DecodeEnvVar));
  SYM_RETURN_IF_ERROR(d.ObjectList(v, "envFrom", &out->env_from, DecodeEnvFrom));
  SYM_RETURN_IF_ERROR(
      d.Object(v, "securityContext", &out->security_context, DecodeSecurityContext));
  return d.Embedded(v, "resources", &out->resources,
                    [](Decoder& d, const Value& v, ResourceMaps* r) {
                      SYM_RETURN_IF_ERROR(d.QuantityMap(v, "requests", &r->requests));
                      return d.QuantityMap(v, "limits", &r->limits);
                    });
}

absl::Status DecodePodVolume(Decoder& d, const Value& v, PodVolume* out) {
  SYM_RETURN_IF_ERROR(d.Field(v, "name", &out->name));
  const Value* host_path = v.Find("hostPath");
  out->host_path = host_path != nullptr && !host_path->is_null();
  return absl::OkStatus();
}

absl::Status DecodePodSpec(Decoder& d, const Value& v, PodSpec* out) {
  SYM_RETURN_IF_ERROR(
      d.Object(v, "securityContext", &out->security_context, DecodeSecurityContext));
  SYM_RETURN_IF_ERROR(d.Field(v, "hostNetwork", &out->host_network));
  SYM_RETURN_IF_ERROR(d.Field(v, "hostPID", &out->host_pid));
  SYM_RETURN_IF_ERROR(d.Field(v, "hostIPC", &out->host_ipc));
  SYM_RETURN_IF_ERROR(d.Field(v, "runtimeClassName", &out->runtime_class_name));
  SYM_RETURN_IF_ERROR(d.ObjectList(v, "initContainers", &out->init_containers, DecodeContainer));
  SYM_RETURN_IF_ERROR(d.ObjectList(v, "containers", &out->containers, DecodeContainer));
  SYM_RETURN_IF_ERROR(
      d.ObjectList(v, "ephemeralContainers", &out->ephemeral_containers, DecodeContainer));
  return d.ObjectList(v, "volumes", &out->volumes, DecodePodVolume);
}

}  // namespace

absl::Status DecodeTree(Decoder& d, const Value& root, PodObject* out) {
  if (!root.is_map()) return d.TypeError(root, "an object");
  const Value* kind = root.Find("kind");
  const PodKind* pod_kind =
      kind != nullptr && kind->is_string() ? FindPodKind(kind->text) : nullptr;
  if (pod_kind == nullptr) {
    Path::Scope scope(d.path(), "kind");
    return d.Error(kind ? *kind : root,
                   absl::StrCat("expected kind Pod, Job, CronJob, Deployment, StatefulSet, "
                                "DaemonSet or ReplicaSet, got \"",
                                kind ? std::string(kind->text) : std::string(), "\""));
  }
  SYM_RETURN_IF_ERROR(ExpectKind(d, root, pod_kind->kind, pod_kind->api_version));
  SYM_RETURN_IF_ERROR(DecodeMeta(d, root, &out->type, &out->metadata));
  // Walk down to the pod spec; a missing level means an empty pod spec.
  std::string spec_path;
  const Value* v = &root;
  for (std::string_view key : pod_kind->spec_path) {
    if (!spec_path.empty()) spec_path.push_back('.');
    spec_path.append(key);
    v = v->Find(key);
    if (v == nullptr || v->is_null()) break;
    if (!v->is_map()) {
      d.path().PushRaw(spec_path);
      absl::Status s = d.TypeError(*v, "an object");
      d.path().Pop();
      return s;
    }
  }
  out->spec_path = d.arena().Copy(spec_path);
  if (v == nullptr || v->is_null()) return absl::OkStatus();
  d.path().PushRaw(out->spec_path);
  absl::Status s = DecodePodSpec(d, *v, &out->pod);
  d.path().Pop();
  return s;
}

}  // namespace sympozium::decode_internal
