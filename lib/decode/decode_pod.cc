// Pods and pod templates: the securityContext, host, port, probe, volume,
// env and resource fields the pod checks read (see docs/pod-security.md).
#include <algorithm>
#include <initializer_list>
#include <utility>

#include "absl/strings/str_cat.h"
#include "lib/decode/decode.h"
#include "lib/decode/decoder.h"
#include "sympozium/strings.h"

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
absl::Status DecodeSeLinux(Decoder<N>& d, const N& v, SeLinuxOptions* out) {
  SYM_RETURN_IF_ERROR(d.Field(v, "user", &out->user));
  SYM_RETURN_IF_ERROR(d.Field(v, "role", &out->role));
  return d.Field(v, "type", &out->type);
}

template <class N>
absl::Status DecodeAppArmor(Decoder<N>& d, const N& v, AppArmorProfile* out) {
  return d.Field(v, "type", &out->type);
}

template <class N>
absl::Status DecodeSysctl(Decoder<N>& d, const N& v, Sysctl* out) {
  return d.Field(v, "name", &out->name);
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
  SYM_RETURN_IF_ERROR(d.Object(v, "seLinuxOptions", &out->se_linux_options, DecodeSeLinux<N>));
  SYM_RETURN_IF_ERROR(d.Object(v, "appArmorProfile", &out->app_armor_profile, DecodeAppArmor<N>));
  N windows = v.Find("windowsOptions");
  if (windows && !windows.is_null()) {
    typename Decoder<N>::Scope scope(d.path(), "windowsOptions");
    SYM_RETURN_IF_ERROR(d.ExpectMap(windows));
    SYM_RETURN_IF_ERROR(d.Field(windows, "hostProcess", &out->windows_host_process));
  }
  if (IsSet(v, "procMount")) {
    Str mount;
    SYM_RETURN_IF_ERROR(d.Field(v, "procMount", &mount));
    out->proc_mount = mount;
  }
  SYM_RETURN_IF_ERROR(d.ObjectList(v, "sysctls", &out->sysctls, DecodeSysctl<N>));
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
absl::Status DecodePort(Decoder<N>& d, const N& v, PodContainerPort* out) {
  SYM_RETURN_IF_ERROR(d.Field(v, "containerPort", &out->container_port));
  return d.Field(v, "hostPort", &out->host_port);
}

// The `host` of handler.httpGet and handler.tcpSocket, when not empty.
// `field` is the handler's key path in the container ("livenessProbe",
// "lifecycle.preStop"), kept in the arena for the checks' paths.
template <class N>
absl::Status DecodeHandlerHosts(Decoder<N>& d, const N& handler, std::string_view field,
                                List<HandlerHost>* out) {
  for (std::string_view action : {"httpGet", "tcpSocket"}) {
    N a = handler.Find(action);
    if (!a || a.is_null()) continue;
    typename Decoder<N>::Scope scope(d.path(), action);
    SYM_RETURN_IF_ERROR(d.ExpectMap(a));
    Str host;
    SYM_RETURN_IF_ERROR(d.Field(a, "host", &host));
    if (host.empty()) continue;
    out->Append(d.arena(), HandlerHost{d.arena().Copy(StrCat(field, ".", action, ".host")), host});
  }
  return absl::OkStatus();
}

template <class N>
absl::Status DecodeHandlers(Decoder<N>& d, const N& v, Container* out) {
  for (std::string_view probe : {"livenessProbe", "readinessProbe", "startupProbe"}) {
    N p = v.Find(probe);
    if (!p || p.is_null()) continue;
    typename Decoder<N>::Scope scope(d.path(), probe);
    SYM_RETURN_IF_ERROR(d.ExpectMap(p));
    SYM_RETURN_IF_ERROR(DecodeHandlerHosts(d, p, probe, &out->handler_hosts));
  }
  N lifecycle = v.Find("lifecycle");
  if (!lifecycle || lifecycle.is_null()) return absl::OkStatus();
  typename Decoder<N>::Scope scope(d.path(), "lifecycle");
  SYM_RETURN_IF_ERROR(d.ExpectMap(lifecycle));
  for (std::string_view hook : {"postStart", "preStop"}) {
    N h = lifecycle.Find(hook);
    if (!h || h.is_null()) continue;
    typename Decoder<N>::Scope hook_scope(d.path(), hook);
    SYM_RETURN_IF_ERROR(d.ExpectMap(h));
    SYM_RETURN_IF_ERROR(DecodeHandlerHosts(d, h, StrCat("lifecycle.", hook), &out->handler_hosts));
  }
  return absl::OkStatus();
}

template <class N>
absl::Status DecodeContainer(Decoder<N>& d, const N& v, Container* out) {
  SYM_RETURN_IF_ERROR(d.Field(v, "name", &out->name));
  SYM_RETURN_IF_ERROR(d.Field(v, "image", &out->image));
  SYM_RETURN_IF_ERROR(d.Field(v, "restartPolicy", &out->restart_policy));
  SYM_RETURN_IF_ERROR(d.ObjectList(v, "env", &out->env, DecodeEnvVar<N>));
  SYM_RETURN_IF_ERROR(d.ObjectList(v, "envFrom", &out->env_from, DecodeEnvFrom<N>));
  SYM_RETURN_IF_ERROR(d.ObjectList(v, "ports", &out->ports, DecodePort<N>));
  SYM_RETURN_IF_ERROR(DecodeHandlers(d, v, out));
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
  for (NodeMember<N> m : v.members())
    if (m.key != "name" && !m.value.is_null()) out->sources.Append(d.arena(), m.key);
  return absl::OkStatus();
}

template <class N>
absl::Status DecodePodSpec(Decoder<N>& d, const N& v, PodSpec* out) {
  SYM_RETURN_IF_ERROR(
      d.Object(v, "securityContext", &out->security_context, DecodeSecurityContext<N>));
  SYM_RETURN_IF_ERROR(d.Field(v, "hostNetwork", &out->host_network));
  SYM_RETURN_IF_ERROR(d.Field(v, "hostPID", &out->host_pid));
  SYM_RETURN_IF_ERROR(d.Field(v, "hostIPC", &out->host_ipc));
  SYM_RETURN_IF_ERROR(d.Field(v, "hostUsers", &out->host_users));
  N os = v.Find("os");
  if (os && !os.is_null()) {
    typename Decoder<N>::Scope scope(d.path(), "os");
    SYM_RETURN_IF_ERROR(d.ExpectMap(os));
    SYM_RETURN_IF_ERROR(d.Field(os, "name", &out->os_name));
  }
  SYM_RETURN_IF_ERROR(d.Field(v, "runtimeClassName", &out->runtime_class_name));
  SYM_RETURN_IF_ERROR(d.ObjectList(v, "initContainers", &out->init_containers, DecodeContainer<N>));
  SYM_RETURN_IF_ERROR(d.ObjectList(v, "containers", &out->containers, DecodeContainer<N>));
  SYM_RETURN_IF_ERROR(
      d.ObjectList(v, "ephemeralContainers", &out->ephemeral_containers, DecodeContainer<N>));
  return d.ObjectList(v, "volumes", &out->volumes, DecodePodVolume<N>);
}

// The pod template of a workload: its metadata.annotations and its spec.
template <class N>
absl::Status DecodeTemplate(Decoder<N>& d, const N& tmpl, PodObject* out) {
  N meta = tmpl.Find("metadata");
  if (meta && !meta.is_null()) {
    typename Decoder<N>::Scope scope(d.path(), "metadata");
    SYM_RETURN_IF_ERROR(d.ExpectMap(meta));
    SYM_RETURN_IF_ERROR(d.Field(meta, "annotations", &out->pod_annotations));
  }
  N spec = tmpl.Find("spec");
  if (!spec || spec.is_null()) return absl::OkStatus();
  typename Decoder<N>::Scope scope(d.path(), "spec");
  SYM_RETURN_IF_ERROR(d.ExpectMap(spec));
  return DecodePodSpec(d, spec, &out->pod);
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
  // Paths always name the full pod spec, also when a level above it is
  // missing (a missing level means an empty pod spec).
  out->spec_path = pod_kind->spec_path;
  if (pod_kind->kind == "Pod") return DecodeTemplate(d, root, out);
  // Walk down to the pod template: "spec.template" of "spec.template.spec".
  const std::string_view template_path =
      out->spec_path.substr(0, out->spec_path.size() - std::string_view(".spec").size());
  N v = root;
  for (size_t start = 0; start < template_path.size();) {
    size_t end = std::min(template_path.find('.', start), template_path.size());
    v = v.Find(template_path.substr(start, end - start));
    if (!v || v.is_null()) return absl::OkStatus();
    if (!v.is_map()) {
      d.path().PushRaw(template_path.substr(0, end));
      absl::Status s = d.TypeError(v, "an object");
      d.path().Pop();
      return s;
    }
    start = end + 1;
  }
  d.path().PushRaw(template_path);
  absl::Status s = DecodeTemplate(d, v, out);
  d.path().Pop();
  return s;
}

template absl::Status DecodeTree(Decoder<ValueNode>&, const ValueNode&, PodObject*);
template absl::Status DecodeTree(Decoder<DomNode>&, const DomNode&, PodObject*);

}  // namespace sympozium::decode_internal
