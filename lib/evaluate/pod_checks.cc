// Pod evaluation: the pod rules P1-P22 (docs/pod-security.md) on a Pod or
// the pod template of a workload. One engine serves two callers:
//  - EvaluatePod: the agent-pod rules under a policy (or none). These are
//    the Pod Security Standards' `restricted` checks at the latest version,
//    kept stricter where Sympozium's own rules are (P1, P2, P6, P9-P14),
//    the same in strict and compat mode (Go has no counterpart); P9 and
//    P10 use the strict image matching (S3) and env denylist (S2).
//  - EvaluatePodSecurity: one Pod Security Standard (baseline or
//    restricted, at a policy version) alone, with Pod Security Admission's
//    semantics, under the same codes, messages and paths.
// Every violation is reported, rule by rule, and within a rule container
// by container (init, regular, ephemeral).
//
// Choices:
//  - Only runAsNonRoot, runAsUser and seccompProfile are inherited from the
//    pod's securityContext, as the kubelet does (seccompProfile as a whole).
//  - P1 and P6 are container rules even when the value is the pod's: each
//    inheriting container gets its own violation, all at the pod's path.
//    Under the agent-pod rules a bad pod-level value that every container
//    overrides decides nothing (the container wins); a standard alone
//    reports it once at the pod's path, as Pod Security Admission rejects it.
//  - P6 under a policy that sets seccompProfile.type keeps code pod.seccomp;
//    when the type is otherwise fine the message names the required type.
//  - The sandbox container (P12, P13) is the regular container named
//    `sandbox`, or an init container of that name with restartPolicy Always
//    (a native sidecar runs beside the agent); an ordinary init container
//    exits before the agent starts and an ephemeral one is a debug shell.
//    With a runtimeClassName P12 caps every container.
//  - Host access (sandboxPolicy.allowHostMounts) permits P5, P7, P8, P15
//    and P16; the other volume types of P22 stay forbidden.
//  - Windows pods (spec.os.name: windows) are exempt from P3, P4 and P6 from
//    policy version 1.25, as in Pod Security Admission; Sympozium's P2 still
//    applies to them under a policy.
#include <algorithm>
#include <optional>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "lib/base/image_ref.h"
#include "lib/base/path.h"
#include "lib/base/quantity.h"
#include "lib/compile/policy_table.h"
#include "lib/evaluate/checks.h"
#include "lib/evaluate/env_denylist.h"
#include "sympozium/evaluate.h"
#include "sympozium/pod_security.h"
#include "sympozium/strings.h"

namespace sympozium {
namespace {

using evaluate_internal::IsStrictDeniedEnv;

constexpr std::string_view kSandboxContainer = "sandbox";
constexpr std::string_view kAppArmorAnnotationPrefix =
    "container.apparmor.security.beta.kubernetes.io/";
constexpr std::string_view kSeccompPodAnnotation = "seccomp.security.alpha.kubernetes.io/pod";
constexpr std::string_view kSeccompContainerAnnotationPrefix =
    "container.seccomp.security.alpha.kubernetes.io/";

// The capabilities the baseline level lets a container add.
constexpr std::string_view kBaselineCapabilities[] = {
    "AUDIT_WRITE",      "CHOWN",   "DAC_OVERRIDE", "FOWNER",  "FSETID", "KILL",      "MKNOD",
    "NET_BIND_SERVICE", "SETFCAP", "SETGID",       "SETPCAP", "SETUID", "SYS_CHROOT"};
constexpr std::string_view kBaselineCapabilitiesText =
    "AUDIT_WRITE, CHOWN, DAC_OVERRIDE, FOWNER, FSETID, KILL, MKNOD, NET_BIND_SERVICE, SETFCAP, "
    "SETGID, SETPCAP, SETUID, SYS_CHROOT";

// The volume sources the restricted level allows (image from Kubernetes
// 1.33, at every policy version, as Pod Security Admission does).
constexpr std::string_view kRestrictedVolumeTypes[] = {
    "configMap", "csi",   "downwardAPI", "emptyDir", "ephemeral", "image", "persistentVolumeClaim",
    "projected", "secret"};
constexpr std::string_view kRestrictedVolumeTypesText =
    "configMap, csi, downwardAPI, emptyDir, ephemeral, image, persistentVolumeClaim, projected, "
    "secret";

constexpr std::string_view kSeLinuxTypes[] = {"", "container_t", "container_init_t",
                                              "container_kvm_t"};
constexpr std::string_view kSeLinuxEngineType = "container_engine_t";  // from v1.31

// The safe sysctls, and the policy version that made each one safe.
struct SafeSysctl {
  std::string_view name;
  int since;
};
constexpr SafeSysctl kSafeSysctls[] = {
    {"kernel.shm_rmid_forced", 0},
    {"net.ipv4.ip_local_port_range", 0},
    {"net.ipv4.tcp_syncookies", 0},
    {"net.ipv4.ping_group_range", 0},
    {"net.ipv4.ip_unprivileged_port_start", 0},
    {"net.ipv4.ip_local_reserved_ports", 27},
    {"net.ipv4.tcp_keepalive_time", 29},
    {"net.ipv4.tcp_fin_timeout", 29},
    {"net.ipv4.tcp_keepalive_intvl", 29},
    {"net.ipv4.tcp_keepalive_probes", 29},
    {"net.ipv4.tcp_rmem", 32},
    {"net.ipv4.tcp_wmem", 32},
    {"net.ipv4.tcp_slow_start_after_idle", 37},
    {"net.ipv4.tcp_notsent_lowat", 37},
};

bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

template <size_t N>
bool Contains(const std::string_view (&set)[N], std::string_view s) {
  return std::find(std::begin(set), std::end(set), s) != std::end(set);
}

// What one run of the checks enforces.
struct PodRules {
  const PolicyTable* table = nullptr;  // the bound policy's, or none
  bool agent = true;  // Sympozium's agent-pod rules: P2, P6's stricter forms, P9-P14
  PodSecurityLevel level = PodSecurityLevel::kRestricted;
  int minor = kLatestPodSecurityMinor;
  bool host_access = false;  // sandboxPolicy.allowHostMounts
};

// A container and where it sits; paths and names are only rendered for a
// violation, so an allowed pod builds no strings.
struct ContainerRef {
  const Container* c;
  std::string_view spec_path;  // "spec.template.spec"
  std::string_view list;       // "initContainers"
  size_t index;

  const SecurityContext* sc() const {
    return c->security_context ? &*c->security_context : nullptr;
  }
  // "spec.template.spec.initContainers[0]"
  std::string Path() const { return StrCat(spec_path, ".", list, "[", index, "]"); }
  std::string Field(std::string_view field) const {
    return StrCat(Path(), ".securityContext.", field);
  }
  std::string Who() const { return StrCat("container ", Quote(c->name)); }
  bool IsSandbox() const {
    return c->name == kSandboxContainer &&
           (list == "containers" || (list == "initContainers" && c->restart_policy == "Always"));
  }
};

// A securityContext value as a container sees it, and which level set it.
template <class T>
struct Effective {
  const T* value = nullptr;  // null when neither level sets it
  bool from_pod = false;     // inherited from the pod's securityContext
};

class PodChecks {
 public:
  PodChecks(const PodObject& pod, const PodRules& rules, Mode mode)
      : pod_(pod),
        spec_(pod.pod),
        // A PodObject built in memory may leave spec_path unset.
        spec_path_(pod.spec_path.empty() ? std::string_view("spec") : pod.spec_path),
        rules_(rules),
        t_(rules.table) {
    decision_.mode = mode;
    containers_.reserve(spec_.init_containers.size() + spec_.containers.size() +
                        spec_.ephemeral_containers.size());
    Collect("initContainers", spec_.init_containers);
    Collect("containers", spec_.containers);
    Collect("ephemeralContainers", spec_.ephemeral_containers);
  }

  Decision Run(std::string allow_message) {
    CheckRunAsNonRoot();                                       // P1
    if (rules_.agent) ForEach(&PodChecks::CheckReadOnlyRoot);  // P2
    CheckNoEscalation();                                       // P3
    ForEach(&PodChecks::CheckCapabilities);                    // P4
    ForEach(&PodChecks::CheckPrivileged);                      // P5
    CheckSeccomp();                                            // P6
    CheckHostNamespaces();                                     // P7
    CheckHostPaths();                                          // P8
    if (rules_.agent) {
      CheckImages();                      // P9
      ForEach(&PodChecks::CheckEnv);      // P10
      ForEach(&PodChecks::CheckEnvFrom);  // P11
      if (t_ != nullptr) {
        CheckResourceCaps();  // P12
        CheckSandbox();       // P13
        CheckRuntimeClass();  // P14
      }
    }
    CheckHostProcess();                      // P15
    ForEach(&PodChecks::CheckHostPorts);     // P16
    CheckAppArmor();                         // P17
    CheckSeLinux();                          // P18
    ForEach(&PodChecks::CheckProcMount);     // P19
    CheckSysctls();                          // P20
    ForEach(&PodChecks::CheckHandlerHosts);  // P21
    CheckVolumeTypes();                      // P22
    if (!decision_.violations.empty()) return std::move(decision_);
    return Decision::Allow(std::move(allow_message), decision_.mode);
  }

 private:
  // Policy versions and the pod's kind of node.
  bool At(int minor) const { return rules_.minor >= minor; }
  bool Restricted() const { return rules_.level == PodSecurityLevel::kRestricted; }
  bool WindowsExempt() const { return spec_.os_name == "windows" && At(25); }
  // A user-namespace pod, which the standards relax from policy 1.35 (never
  // under the agent-pod rules).
  bool UserNamespaceRelaxed() const { return !rules_.agent && At(35) && spec_.host_users == false; }

  void Collect(std::string_view list, const List<Container>& containers) {
    for (size_t i = 0; i < containers.size(); ++i)
      containers_.push_back({&containers[i], spec_path_, list, i});
  }

  void ForEach(void (PodChecks::*check)(const ContainerRef&)) {
    for (const ContainerRef& c : containers_) (this->*check)(c);
  }

  void Deny(std::string_view code, std::string message, std::string path) {
    decision_.Deny(code, std::move(message), std::move(path));
  }

  bool Reported(std::string_view path) const {
    return std::any_of(decision_.violations.begin(), decision_.violations.end(),
                       [&](const Violation& v) { return v.path == path; });
  }

  const SecurityContext* PodContext() const {
    return spec_.security_context ? &*spec_.security_context : nullptr;
  }
  std::string PodField(std::string_view field) const {
    return StrCat(spec_path_, ".securityContext.", field);
  }
  // "metadata.annotations" of a Pod, "spec.template.metadata.annotations"
  // of a workload.
  std::string AnnotationPath(std::string_view key) const {
    std::string_view tmpl = spec_path_.substr(0, spec_path_.size() - 4);  // drop "spec"
    std::string out = StrCat(tmpl, "metadata.annotations");
    AppendPathKey(&out, key);
    return out;
  }

  // The container's own value, else the pod's, else none.
  template <class T>
  Effective<T> Resolve(const ContainerRef& c, std::optional<T> SecurityContext::*field) const {
    if (const SecurityContext* sc = c.sc(); sc != nullptr && (sc->*field))
      return {&*(sc->*field), false};
    if (const SecurityContext* pod = PodContext(); pod != nullptr && (pod->*field))
      return {&*(pod->*field), true};
    return {};
  }

  // The path of the field `name` that decided `e`: the pod's when the
  // container inherits it, else the container's (also when neither sets it).
  template <class T>
  std::string PathOf(const ContainerRef& c, const Effective<T>& e, std::string_view name) const {
    return e.from_pod ? PodField(name) : c.Field(name);
  }

  // P1 (restricted): runAsNonRoot from version 1.0, runAsUser from 1.23.
  void CheckRunAsNonRoot() {
    if (!Restricted() || UserNamespaceRelaxed()) return;
    bool check_user = rules_.agent || At(23);
    for (const ContainerRef& c : containers_) {
      Effective<bool> non_root = Resolve(c, &SecurityContext::run_as_non_root);
      Effective<int64_t> user = Resolve(c, &SecurityContext::run_as_user);
      std::string path;
      if (non_root.value == nullptr || !*non_root.value) {
        path = PathOf(c, non_root, "runAsNonRoot");
      } else if (check_user && user.value != nullptr && *user.value == 0) {
        path = PathOf(c, user, "runAsUser");
      } else {
        continue;
      }
      Deny("pod.run_as_root",
           StrCat(c.Who(), " must run as non-root (runAsNonRoot: true, runAsUser not 0)"),
           std::move(path));
    }
    // A bad pod-level value that no reported container inherits (the
    // standard alone only: the agent-pod rules judge what containers run).
    const SecurityContext* pod = PodContext();
    if (rules_.agent || pod == nullptr) return;
    if (pod->run_as_non_root == false && !Reported(PodField("runAsNonRoot")))
      Deny("pod.run_as_root", "pod must not set runAsNonRoot: false", PodField("runAsNonRoot"));
    if (check_user && pod->run_as_user == 0 && !Reported(PodField("runAsUser")))
      Deny("pod.run_as_root", "pod must not set runAsUser: 0", PodField("runAsUser"));
  }

  // P2.
  void CheckReadOnlyRoot(const ContainerRef& c) {
    const SecurityContext* sc = c.sc();
    if (sc != nullptr && sc->read_only_root_filesystem == true) return;
    Deny("pod.writable_root_fs", StrCat(c.Who(), " must set readOnlyRootFilesystem: true"),
         c.Field("readOnlyRootFilesystem"));
  }

  // P3 (restricted, from version 1.8).
  void CheckNoEscalation() {
    if (!Restricted() || !At(8) || WindowsExempt()) return;
    for (const ContainerRef& c : containers_) {
      const SecurityContext* sc = c.sc();
      if (sc != nullptr && sc->allow_privilege_escalation == false) continue;
      Deny("pod.privilege_escalation", StrCat(c.Who(), " must set allowPrivilegeEscalation: false"),
           c.Field("allowPrivilegeEscalation"));
    }
  }

  // P4: restricted (from 1.22) wants drop ALL and adds nothing but
  // NET_BIND_SERVICE; baseline (and restricted before 1.22) limits adds to
  // the baseline set.
  void CheckCapabilities(const ContainerRef& c) {
    const SecurityContext* sc = c.sc();
    bool restricted = Restricted() && At(22);
    if (restricted && WindowsExempt()) return;
    if (restricted &&
        (sc == nullptr || std::find(sc->capabilities_drop.begin(), sc->capabilities_drop.end(),
                                    "ALL") == sc->capabilities_drop.end()))
      Deny("pod.capabilities", StrCat(c.Who(), " must drop ALL capabilities"),
           c.Field("capabilities.drop"));
    if (sc == nullptr) return;
    for (size_t j = 0; j < sc->capabilities_add.size(); ++j) {
      Str cap = sc->capabilities_add[j];
      if (restricted ? cap == "NET_BIND_SERVICE" : Contains(kBaselineCapabilities, cap)) continue;
      Deny("pod.capabilities",
           StrCat(c.Who(), " must not add capability ", Quote(cap), " (allowed: ",
                  restricted ? std::string_view("NET_BIND_SERVICE") : kBaselineCapabilitiesText,
                  ")"),
           c.Field(StrCat("capabilities.add[", j, "]")));
    }
  }

  // P5.
  void CheckPrivileged(const ContainerRef& c) {
    const SecurityContext* sc = c.sc();
    if (rules_.host_access || sc == nullptr || sc->privileged != true) return;
    Deny("pod.privileged", StrCat(c.Who(), " must not be privileged"), c.Field("privileged"));
  }

  // P6: restricted (from 1.19) needs an allowed effective profile on every
  // container; baseline forbids only an explicit other type (before 1.19,
  // in the seccomp annotations).
  void CheckSeccomp() {
    if (WindowsExempt()) return;
    if (!Restricted() || !At(19)) {
      if (At(19)) {
        CheckExplicitSeccomp();
      } else {
        CheckSeccompAnnotations();
      }
      return;
    }
    for (const ContainerRef& c : containers_) CheckEffectiveSeccomp(c);
    const SecurityContext* pod = PodContext();
    if (!rules_.agent && pod != nullptr && pod->seccomp_profile &&
        !AllowedSeccomp(*pod->seccomp_profile) && !Reported(PodField("seccompProfile")))
      Deny("pod.seccomp",
           StrCat("pod seccomp profile ", Quote(pod->seccomp_profile->type), " is not allowed (",
                  SeccompAllowedText(), ")"),
           PodField("seccompProfile"));
  }

  // The agent-pod rules also want a Localhost profile to name its file.
  bool AllowedSeccomp(const PodSeccompProfile& p) const {
    return p.type == "RuntimeDefault" ||
           (p.type == "Localhost" && (!rules_.agent || !p.localhost_profile.empty()));
  }
  std::string_view SeccompAllowedText() const {
    return rules_.agent ? "RuntimeDefault or Localhost with a profile"
                        : "RuntimeDefault or Localhost";
  }

  void CheckEffectiveSeccomp(const ContainerRef& c) {
    Effective<PodSeccompProfile> profile = Resolve(c, &SecurityContext::seccomp_profile);
    std::string_view type = profile.value != nullptr ? profile.value->type : std::string_view();
    if (profile.value == nullptr || !AllowedSeccomp(*profile.value)) {
      Deny("pod.seccomp",
           StrCat(c.Who(), " seccomp profile ", Quote(type), " is not allowed (",
                  SeccompAllowedText(), ")"),
           PathOf(c, profile, "seccompProfile"));
    } else if (t_ != nullptr && !t_->seccomp_type.empty() && type != t_->seccomp_type) {
      Deny("pod.seccomp",
           StrCat(c.Who(), " seccomp profile ", Quote(type),
                  " is not allowed by policy (required: ", Quote(t_->seccomp_type), ")"),
           PathOf(c, profile, "seccompProfile"));
    }
  }

  void CheckExplicitSeccomp() {
    auto bad = [](const SecurityContext* sc) {
      return sc != nullptr && sc->seccomp_profile &&
             sc->seccomp_profile->type != "RuntimeDefault" &&
             sc->seccomp_profile->type != "Localhost";
    };
    if (bad(PodContext()))
      Deny("pod.seccomp",
           StrCat("pod seccomp profile ", Quote(PodContext()->seccomp_profile->type),
                  " is not allowed (RuntimeDefault, Localhost or unset)"),
           PodField("seccompProfile.type"));
    for (const ContainerRef& c : containers_)
      if (bad(c.sc()))
        Deny("pod.seccomp",
             StrCat(c.Who(), " seccomp profile ", Quote(c.sc()->seccomp_profile->type),
                    " is not allowed (RuntimeDefault, Localhost or unset)"),
             c.Field("seccompProfile.type"));
  }

  void CheckSeccompAnnotations() {
    for (const StringPair& a : pod_.pod_annotations.entries) {
      if (a.key != kSeccompPodAnnotation && !StartsWith(a.key, kSeccompContainerAnnotationPrefix))
        continue;
      if (a.value.empty() || a.value == "runtime/default" || a.value == "docker/default" ||
          StartsWith(a.value, "localhost/"))
        continue;
      Deny("pod.seccomp",
           StrCat("annotation ", Quote(a.key), " seccomp profile ", Quote(a.value),
                  " is not allowed (runtime/default, docker/default or localhost/*)"),
           AnnotationPath(a.key));
    }
  }

  // P7.
  void CheckHostNamespaces() {
    if (rules_.host_access) return;
    for (auto [on, field] : {std::pair{spec_.host_network, "hostNetwork"},
                             {spec_.host_pid, "hostPID"},
                             {spec_.host_ipc, "hostIPC"}})
      if (on)
        Deny("pod.host_namespace", StrCat("pod must not use ", field),
             StrCat(spec_path_, ".", field));
  }

  // P8.
  void CheckHostPaths() {
    if (rules_.host_access) return;
    for (size_t i = 0; i < spec_.volumes.size(); ++i)
      if (spec_.volumes[i].host_path)
        Deny("pod.host_path",
             StrCat("volume ", Quote(spec_.volumes[i].name), " must not be a hostPath"),
             StrCat(spec_path_, ".volumes[", i, "].hostPath"));
  }

  // P9 (strict matching, S3).
  void CheckImages() {
    if (t_ == nullptr || t_->allowed_registries.empty()) return;
    ForEach(&PodChecks::CheckImage);
  }

  void CheckImage(const ContainerRef& c) {
    if (t_->registry_allowlist.MatchesStrict(c.c->image)) return;
    if (decision_.full()) {  // a message would only be counted: skip building it
      ++decision_.omitted_violations;
      return;
    }
    Deny("image.registry",
         StrCat("image ", Quote(c.c->image),
                " is not from an allowed registry (allowed: ", t_->allowed_registries_text, ")"),
         StrCat(c.Path(), ".image"));
  }

  // P10 (the strict list, S2).
  void CheckEnv(const ContainerRef& c) {
    for (size_t j = 0; j < c.c->env.size(); ++j)
      if (IsStrictDeniedEnv(c.c->env[j].name))
        Deny("env.denied",
             StrCat(c.Who(), ": environment variable ", Quote(c.c->env[j].name),
                    " is not allowed: overriding system variables is denied"),
             StrCat(c.Path(), ".env[", j, "]"));
  }

  // P11.
  void CheckEnvFrom(const ContainerRef& c) {
    for (size_t j = 0; j < c.c->env_from.size(); ++j)
      if (c.c->env_from[j].secret_ref_set)
        Deny("pod.env_from_secret",
             StrCat(c.Who(), " must not load a whole Secret through envFrom (use secretKeyRef)"),
             StrCat(c.Path(), ".envFrom[", j, "].secretRef"));
  }

  // P12. Quantities are valid here: decoding refuses any that is not.
  void CheckResourceCaps() {
    if (!t_->max_cpu.set() && !t_->max_memory.set()) return;
    bool every = !spec_.runtime_class_name.empty();
    for (const ContainerRef& c : containers_)
      if (every || c.IsSandbox()) CheckCaps(c);
  }

  void CheckCaps(const ContainerRef& c) {
    struct Dimension {
      std::string_view key;   // "cpu"
      std::string_view name;  // "CPU"
      const QuantityCap& cap;
    };
    for (const Dimension& dim :
         {Dimension{"cpu", "CPU", t_->max_cpu}, Dimension{"memory", "Memory", t_->max_memory}}) {
      if (!dim.cap.set()) continue;
      if (!dim.cap.value) {
        Deny("resources.invalid_cap",
             StrCat("policy sandboxPolicy.max", dim.name, " ", Quote(dim.cap.text),
                    " is not a valid quantity: ", dim.cap.error),
             StrCat(c.Path(), ".resources"));
        continue;
      }
      for (auto [map, field] : {std::pair{&c.c->resources.requests, "requests"},
                                std::pair{&c.c->resources.limits, "limits"}}) {
        const Str* value = map->Find(dim.key);
        if (value == nullptr || value->empty()) continue;
        absl::StatusOr<Quantity> q = Quantity::Parse(*value);
        if (q.ok() && *q > *dim.cap.value)
          Deny("resources.exceeds",
               StrCat(c.Who(), " ", dim.name, " ", *value, " exceeds policy limit ", dim.cap.text),
               StrCat(c.Path(), ".resources.", field, ".", dim.key));
      }
    }
  }

  // P13.
  void CheckSandbox() {
    if (!t_->sandbox_required || !spec_.runtime_class_name.empty()) return;
    if (std::any_of(containers_.begin(), containers_.end(),
                    [](const ContainerRef& c) { return c.IsSandbox(); }))
      return;
    Deny("sandbox.required", "sandbox is required by policy", StrCat(spec_path_, ".containers"));
  }

  // P14.
  void CheckRuntimeClass() {
    std::string_view cls = spec_.runtime_class_name;
    const std::vector<std::string>& allowed = t_->allowed_runtime_classes;
    std::string path = StrCat(spec_path_, ".runtimeClassName");
    if (cls.empty()) {
      if (t_->agent_sandbox_required)
        Deny("agent_sandbox.runtime_class",
             StrCat("runtime class is required by policy (allowed: ", GoList(allowed), ")"),
             std::move(path));
    } else if (!allowed.empty() &&
               std::find(allowed.begin(), allowed.end(), cls) == allowed.end()) {
      Deny("agent_sandbox.runtime_class",
           StrCat("runtime class ", Quote(cls),
                  " is not allowed by policy (allowed: ", GoList(allowed), ")"),
           std::move(path));
    }
  }

  // P15.
  void CheckHostProcess() {
    if (rules_.host_access) return;
    if (const SecurityContext* pod = PodContext();
        pod != nullptr && pod->windows_host_process == true)
      Deny("pod.host_process", "pod must not set windowsOptions.hostProcess: true",
           PodField("windowsOptions.hostProcess"));
    for (const ContainerRef& c : containers_)
      if (c.sc() != nullptr && c.sc()->windows_host_process == true)
        Deny("pod.host_process", StrCat(c.Who(), " must not set windowsOptions.hostProcess: true"),
             c.Field("windowsOptions.hostProcess"));
  }

  // P16.
  void CheckHostPorts(const ContainerRef& c) {
    if (rules_.host_access) return;
    for (size_t j = 0; j < c.c->ports.size(); ++j)
      if (int64_t port = c.c->ports[j].host_port; port != 0)
        Deny("pod.host_port", StrCat(c.Who(), " must not use host port ", port),
             StrCat(c.Path(), ".ports[", j, "].hostPort"));
  }

  // P17: the appArmorProfile fields and the beta annotations.
  void CheckAppArmor() {
    auto bad = [](const SecurityContext* sc) -> const Str* {
      if (sc == nullptr || !sc->app_armor_profile) return nullptr;
      const Str& type = sc->app_armor_profile->type;
      return type == "RuntimeDefault" || type == "Localhost" ? nullptr : &type;
    };
    if (const Str* type = bad(PodContext()))
      Deny("pod.apparmor",
           StrCat("pod AppArmor profile ", Quote(*type),
                  " is not allowed (RuntimeDefault or Localhost)"),
           PodField("appArmorProfile.type"));
    for (const ContainerRef& c : containers_)
      if (const Str* type = bad(c.sc()))
        Deny("pod.apparmor",
             StrCat(c.Who(), " AppArmor profile ", Quote(*type),
                    " is not allowed (RuntimeDefault or Localhost)"),
             c.Field("appArmorProfile.type"));
    for (const StringPair& a : pod_.pod_annotations.entries) {
      if (!StartsWith(a.key, kAppArmorAnnotationPrefix)) continue;
      if (a.value.empty() || a.value == "runtime/default" || StartsWith(a.value, "localhost/"))
        continue;
      Deny("pod.apparmor",
           StrCat("annotation ", Quote(a.key), " AppArmor profile ", Quote(a.value),
                  " is not allowed (runtime/default or localhost/*)"),
           AnnotationPath(a.key));
    }
  }

  // P18.
  void CheckSeLinux() {
    CheckSeLinuxOptions([] { return std::string("pod"); }, PodContext(),
                        [&](std::string_view f) { return PodField(f); });
    for (const ContainerRef& c : containers_)
      CheckSeLinuxOptions([&] { return c.Who(); }, c.sc(),
                          [&](std::string_view f) { return c.Field(f); });
  }

  // `who_of()` names the pod or container, built only when it is used.
  template <class Who, class FieldPath>
  void CheckSeLinuxOptions(Who who_of, const SecurityContext* sc, FieldPath path) {
    if (sc == nullptr || !sc->se_linux_options) return;
    const std::string who = who_of();
    const SeLinuxOptions& o = *sc->se_linux_options;
    if (!Contains(kSeLinuxTypes, o.type) && !(At(31) && o.type == kSeLinuxEngineType))
      Deny("pod.selinux",
           StrCat(who, " SELinux type ", Quote(o.type), " is not allowed (container_t, ",
                  "container_init_t, container_kvm_t", At(31) ? ", container_engine_t" : "",
                  " or unset)"),
           path("seLinuxOptions.type"));
    for (auto [value, field] : {std::pair{o.user, "user"}, std::pair{o.role, "role"}})
      if (!value.empty())
        Deny("pod.selinux",
             StrCat(who, " must not set seLinuxOptions.", field, " (", Quote(value), ")"),
             path(StrCat("seLinuxOptions.", field)));
  }

  // P19: the baseline level lets a user-namespace pod unmask /proc from
  // 1.35; restricted never does.
  void CheckProcMount(const ContainerRef& c) {
    if (!Restricted() && UserNamespaceRelaxed()) return;
    const SecurityContext* sc = c.sc();
    if (sc == nullptr || !sc->proc_mount || *sc->proc_mount == "Default") return;
    Deny("pod.proc_mount",
         StrCat(c.Who(), " /proc mount type ", Quote(*sc->proc_mount),
                " is not allowed (Default or unset)"),
         c.Field("procMount"));
  }

  // P20.
  void CheckSysctls() {
    const SecurityContext* pod = PodContext();
    if (pod == nullptr) return;
    for (size_t i = 0; i < pod->sysctls.size(); ++i) {
      Str name = pod->sysctls[i].name;
      bool safe = std::any_of(std::begin(kSafeSysctls), std::end(kSafeSysctls),
                              [&](const SafeSysctl& s) { return s.name == name && At(s.since); });
      if (!safe)
        Deny("pod.sysctl", StrCat("sysctl ", Quote(name), " is not allowed (not a safe sysctl)"),
             PodField(StrCat("sysctls[", i, "].name")));
    }
  }

  // P21 (from 1.34).
  void CheckHandlerHosts(const ContainerRef& c) {
    if (!At(34)) return;
    for (const HandlerHost& h : c.c->handler_hosts)
      Deny("pod.probe_host", StrCat(c.Who(), " must not set ", h.field, " (", Quote(h.host), ")"),
           StrCat(c.Path(), ".", h.field));
  }

  // P22 (restricted). A hostPath is P8's, whatever host access permits.
  void CheckVolumeTypes() {
    if (!Restricted()) return;
    for (size_t i = 0; i < spec_.volumes.size(); ++i) {
      const PodVolume& v = spec_.volumes[i];
      if (v.host_path || std::any_of(v.sources.begin(), v.sources.end(),
                                     [](Str s) { return Contains(kRestrictedVolumeTypes, s); }))
        continue;
      std::string_view type = v.sources.empty() ? std::string_view("unknown") : v.sources[0];
      std::string path = StrCat(spec_path_, ".volumes[", i, "]");
      if (!v.sources.empty()) StrAppend(&path, ".", type);
      Deny("pod.volume_type",
           StrCat("volume ", Quote(v.name), " must not use volume type ", Quote(type),
                  " (allowed: ", kRestrictedVolumeTypesText, ")"),
           std::move(path));
    }
  }

  const PodObject& pod_;
  const PodSpec& spec_;
  std::string_view spec_path_;
  const PodRules& rules_;
  const PolicyTable* t_;
  std::vector<ContainerRef> containers_;
  Decision decision_;
};

}  // namespace

Decision EvaluatePod(const PodObject& pod, const CompiledPolicy* policy,
                     const EvaluateOptions& options) {
  PodRules rules;
  rules.table = policy != nullptr ? &TableOf(*policy) : nullptr;
  rules.host_access = rules.table != nullptr && rules.table->allow_host_mounts;
  return PodChecks(pod, rules, options.mode)
      .Run(policy != nullptr ? "pod satisfies policy" : "pod satisfies the pod security rules");
}

std::string PodSecurityStandard::ToString() const {
  return StrCat(level == PodSecurityLevel::kBaseline ? "baseline" : "restricted", "@",
                latest ? std::string("latest") : StrCat("v1.", minor));
}

absl::StatusOr<PodSecurityStandard> ParsePodSecurityStandard(std::string_view text) {
  PodSecurityStandard out;
  std::string_view level = text.substr(0, text.find('@'));
  if (level == "baseline") {
    out.level = PodSecurityLevel::kBaseline;
  } else if (level != "restricted") {
    return absl::InvalidArgumentError(
        StrCat("pod security level ", Quote(level), ": want baseline or restricted[@VERSION]"));
  }
  if (level.size() == text.size()) return out;
  std::string_view version = text.substr(level.size() + 1);
  if (version == "latest") return out;
  std::string_view digits = StartsWith(version, "v1.") ? version.substr(3) : "";
  bool number =
      !digits.empty() && digits.size() <= 4 && (digits == "0" || digits[0] != '0') &&
      std::all_of(digits.begin(), digits.end(), [](char ch) { return ch >= '0' && ch <= '9'; });
  if (!number)
    return absl::InvalidArgumentError(
        StrCat("pod security version ", Quote(version), ": want latest or v1.N (e.g. v1.37)"));
  out.minor = std::min(std::stoi(std::string(digits)), kLatestPodSecurityMinor);
  out.latest = false;
  return out;
}

Decision EvaluatePodSecurity(const PodObject& pod, const PodSecurityStandard& standard) {
  PodRules rules;
  rules.agent = false;
  rules.level = standard.level;
  rules.minor = standard.minor;
  return PodChecks(pod, rules, Mode::kStrict)
      .Run(StrCat("pod satisfies the pod security standard ", standard.ToString()));
}

}  // namespace sympozium
