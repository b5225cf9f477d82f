// Pod evaluation (docs/pods.md): rules P1-P14 on a Pod or the pod template of a
// Job, CronJob or Deployment. The rules are the same in strict and compat
// mode (Go has no counterpart); P9 and P10 use the strict image matching
// (S3) and env denylist (S2). Every violation is reported, rule by rule, and
// within a rule container by container (init, regular, ephemeral).
//
// Choices of our own, beyond docs/pods.md:
//  - Only runAsNonRoot, runAsUser and seccompProfile are inherited from the
//    pod's securityContext: Kubernetes has no pod-level
//    readOnlyRootFilesystem, allowPrivilegeEscalation, privileged or
//    capabilities, so such a field there protects nothing and satisfies no
//    rule.
//  - P1 and P6 are container rules even when the value is the pod's: each
//    inheriting container gets its own violation, all at the pod's path.
//  - seccompProfile is inherited as a whole (type and localhostProfile), as
//    the kubelet does.
//  - P6 under a policy that sets seccompProfile.type keeps code pod.seccomp;
//    when the type is otherwise fine the message names the required type.
//  - P12 caps containers named `sandbox` in any list (with a
//    runtimeClassName, every container), per dimension CPU then memory,
//    requests before limits. A cap that is not a quantity (only a compat-
//    compiled policy has one) is `resources.invalid_cap` and a value that is
//    not one is `resources.invalid_value`, as in docs/checks.md, check 8.
//  - P13 counts only a regular container named `sandbox`: an init container
//    has exited before the agent runs and an ephemeral one is a debug shell.
#include <algorithm>
#include <optional>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "lib/base/strings.h"
#include "lib/evaluate/env_denylist.h"
#include "sympozium/evaluate.h"
#include "sympozium/image_ref.h"
#include "sympozium/quantity.h"

namespace sympozium {
namespace {

using evaluate_internal::IsStrictDeniedEnv;

constexpr std::string_view kSandboxContainer = "sandbox";

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
};

// A securityContext value as a container sees it, and which level set it.
template <class T>
struct Effective {
  const T* value = nullptr;  // null when neither level sets it
  bool from_pod = false;     // inherited from the pod's securityContext
};

class PodChecks {
 public:
  PodChecks(const PodObject& pod, const CompiledPolicy* policy, Mode mode)
      : spec_(pod.pod),
        // A PodObject built in memory may leave spec_path unset.
        spec_path_(pod.spec_path.empty() ? std::string_view("spec") : pod.spec_path),
        t_(policy != nullptr ? &policy->table() : nullptr),
        host_access_(t_ != nullptr && t_->allow_host_mounts) {
    decision_.mode = mode;
    containers_.reserve(spec_.init_containers.size() + spec_.containers.size() +
                        spec_.ephemeral_containers.size());
    Collect("initContainers", spec_.init_containers);
    Collect("containers", spec_.containers);
    Collect("ephemeralContainers", spec_.ephemeral_containers);
  }

  Decision Run() {
    ForEach(&PodChecks::CheckRunAsNonRoot);  // P1
    ForEach(&PodChecks::CheckReadOnlyRoot);  // P2
    ForEach(&PodChecks::CheckNoEscalation);  // P3
    ForEach(&PodChecks::CheckCapabilities);  // P4
    ForEach(&PodChecks::CheckPrivileged);    // P5
    ForEach(&PodChecks::CheckSeccomp);       // P6
    CheckHostNamespaces();                   // P7
    CheckHostPaths();                        // P8
    CheckImages();                           // P9
    ForEach(&PodChecks::CheckEnv);           // P10
    ForEach(&PodChecks::CheckEnvFrom);       // P11
    if (t_ != nullptr) {
      CheckResourceCaps();  // P12
      CheckSandbox();       // P13
      CheckRuntimeClass();  // P14
    }
    if (!decision_.violations.empty()) return std::move(decision_);
    return Decision::Allow(
        t_ != nullptr ? "pod satisfies policy" : "pod satisfies the pod security rules",
        decision_.mode);
  }

 private:
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

  // The container's own value, else the pod's, else none.
  template <class T>
  Effective<T> Resolve(const ContainerRef& c, std::optional<T> SecurityContext::*field) const {
    if (const SecurityContext* sc = c.sc(); sc != nullptr && (sc->*field))
      return {&*(sc->*field), false};
    if (const auto& pod = spec_.security_context; pod && ((*pod).*field))
      return {&*((*pod).*field), true};
    return {};
  }

  // The path of the field `name` that decided `e`: the pod's when the
  // container inherits it, else the container's (also when neither sets it).
  template <class T>
  std::string PathOf(const ContainerRef& c, const Effective<T>& e, std::string_view name) const {
    return e.from_pod ? StrCat(spec_path_, ".securityContext.", name) : c.Field(name);
  }

  // P1.
  void CheckRunAsNonRoot(const ContainerRef& c) {
    Effective<bool> non_root = Resolve(c, &SecurityContext::run_as_non_root);
    Effective<int64_t> user = Resolve(c, &SecurityContext::run_as_user);
    std::string path;
    if (non_root.value == nullptr || !*non_root.value) {
      path = PathOf(c, non_root, "runAsNonRoot");
    } else if (user.value != nullptr && *user.value == 0) {
      path = PathOf(c, user, "runAsUser");
    } else {
      return;
    }
    Deny("pod.run_as_root",
         StrCat(c.Who(), " must run as non-root (runAsNonRoot: true, runAsUser not 0)"),
         std::move(path));
  }

  // P2.
  void CheckReadOnlyRoot(const ContainerRef& c) {
    const SecurityContext* sc = c.sc();
    if (sc != nullptr && sc->read_only_root_filesystem == true) return;
    Deny("pod.writable_root_fs", StrCat(c.Who(), " must set readOnlyRootFilesystem: true"),
         c.Field("readOnlyRootFilesystem"));
  }

  // P3.
  void CheckNoEscalation(const ContainerRef& c) {
    const SecurityContext* sc = c.sc();
    if (sc != nullptr && sc->allow_privilege_escalation == false) return;
    Deny("pod.privilege_escalation", StrCat(c.Who(), " must set allowPrivilegeEscalation: false"),
         c.Field("allowPrivilegeEscalation"));
  }

  // P4.
  void CheckCapabilities(const ContainerRef& c) {
    const SecurityContext* sc = c.sc();
    bool ok = sc != nullptr &&
              std::find(sc->capabilities_drop.begin(), sc->capabilities_drop.end(), "ALL") !=
                  sc->capabilities_drop.end() &&
              std::all_of(sc->capabilities_add.begin(), sc->capabilities_add.end(),
                          [](Str cap) { return cap == "NET_BIND_SERVICE"; });
    if (ok) return;
    Deny("pod.capabilities",
         StrCat(c.Who(), " must drop ALL capabilities and add none but NET_BIND_SERVICE"),
         c.Field("capabilities"));
  }

  // P5.
  void CheckPrivileged(const ContainerRef& c) {
    const SecurityContext* sc = c.sc();
    if (host_access_ || sc == nullptr || sc->privileged != true) return;
    Deny("pod.privileged", StrCat(c.Who(), " must not be privileged"), c.Field("privileged"));
  }

  // P6.
  void CheckSeccomp(const ContainerRef& c) {
    Effective<PodSeccompProfile> profile = Resolve(c, &SecurityContext::seccomp_profile);
    std::string_view type = profile.value != nullptr ? profile.value->type : std::string_view();
    bool baseline = type == "RuntimeDefault" ||
                    (type == "Localhost" && !profile.value->localhost_profile.empty());
    if (!baseline) {
      Deny("pod.seccomp",
           StrCat(c.Who(), " seccomp profile ", Quote(type),
                  " is not allowed (RuntimeDefault or Localhost with a profile)"),
           PathOf(c, profile, "seccompProfile"));
    } else if (t_ != nullptr && !t_->seccomp_type.empty() && type != t_->seccomp_type) {
      Deny("pod.seccomp",
           StrCat(c.Who(), " seccomp profile ", Quote(type),
                  " is not allowed by policy (required: ", Quote(t_->seccomp_type), ")"),
           PathOf(c, profile, "seccompProfile"));
    }
  }

  // P7.
  void CheckHostNamespaces() {
    if (host_access_) return;
    for (auto [on, field] : {std::pair{spec_.host_network, "hostNetwork"},
                             {spec_.host_pid, "hostPID"},
                             {spec_.host_ipc, "hostIPC"}})
      if (on)
        Deny("pod.host_namespace", StrCat("pod must not use ", field),
             StrCat(spec_path_, ".", field));
  }

  // P8.
  void CheckHostPaths() {
    if (host_access_) return;
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

  // P12.
  void CheckResourceCaps() {
    if (!t_->max_cpu.set() && !t_->max_memory.set()) return;
    bool every = !spec_.runtime_class_name.empty();
    for (const ContainerRef& c : containers_)
      if (every || c.c->name == kSandboxContainer) CheckCaps(c);
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
      for (auto [map, field, noun] : {std::tuple{&c.c->resources.requests, "requests", "request"},
                                      std::tuple{&c.c->resources.limits, "limits", "limit"}}) {
        const Str* value = map->Find(dim.key);
        if (value == nullptr || value->empty()) continue;
        absl::StatusOr<Quantity> q = Quantity::Parse(*value);
        if (!q.ok()) {
          Deny("resources.invalid_value",
               StrCat(c.Who(), " ", dim.name, " ", noun, " ", Quote(*value),
                      " is not a valid quantity: ", q.status().message()),
               StrCat(c.Path(), ".resources.", field, ".", dim.key));
        } else if (*q > *dim.cap.value) {
          Deny("resources.exceeds",
               StrCat(c.Who(), " ", dim.name, " ", *value, " exceeds policy limit ", dim.cap.text),
               StrCat(c.Path(), ".resources.", field, ".", dim.key));
        }
      }
    }
  }

  // P13.
  void CheckSandbox() {
    if (!t_->sandbox_required || !spec_.runtime_class_name.empty()) return;
    for (const Container& c : spec_.containers)
      if (c.name == kSandboxContainer) return;
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

  const PodSpec& spec_;
  std::string_view spec_path_;
  const PolicyTable* t_;
  bool host_access_;  // sandboxPolicy.allowHostMounts permits P5, P7, P8
  std::vector<ContainerRef> containers_;
  Decision decision_;
};

}  // namespace

Decision EvaluatePod(const PodObject& pod, const CompiledPolicy* policy,
                     const EvaluateOptions& options) {
  return PodChecks(pod, policy, options.mode).Run();
}

}  // namespace sympozium
