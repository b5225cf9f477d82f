// The typed document model: the fields of Sympozium's objects that policy
// evaluation reads (docs/model.md), and the pod fields the pod checks read (docs/pods.md).
//
// Types are plain data; strings and lists point into the Arena of the
// document they were decoded from (see decode.h). Presence is tracked where
// Go's types track it (pointers, maps, slices): std::optional for objects,
// `has_*` flags for maps and lists whose nil-ness matters. CRD defaults are
// already applied by the decoder exactly where docs/model.md#sympoziumpolicy says they are.
//
// Every element that can be named in a violation carries its index in the
// source list implicitly (its position), so paths can be rebuilt.
#ifndef SYMPOZIUM_LIB_DECODE_MODEL_H_
#define SYMPOZIUM_LIB_DECODE_MODEL_H_

#include <cstdint>
#include <optional>
#include <string_view>

#include "lib/base/arena.h"
#include "lib/base/value.h"

namespace sympozium {

using Str = std::string_view;

struct StringPair {
  Str key;
  Str value;
};

// A map[string]string, in document order. `present` distinguishes an absent
// (nil) map from an empty one.
struct StringMap {
  List<StringPair> entries;
  bool present = false;

  const Str* Find(Str key) const {
    for (const StringPair& e : entries)
      if (e.key == key) return &e.value;
    return nullptr;
  }
};

struct ObjectMeta {
  Str name;
  Str namespace_;
  Str uid;
  StringMap labels;
  StringMap annotations;
  bool deletion_timestamp_set = false;
};

// Common envelope of every object.
struct TypeMeta {
  Str api_version;
  Str kind;
};

// ---------------------------------------------------------------------------
// Shared pieces

struct SecretKeySelector {
  Str name;
  Str key;
  std::optional<bool> optional;
};

struct EnvVarSource {
  std::optional<SecretKeySelector> secret_key_ref;
};

struct EnvVar {
  Str name;
  Str value;
  bool value_set = false;  // `value` present (even if empty)
  std::optional<EnvVarSource> value_from;
};

struct RbacRule {
  List<Str> api_groups;
  List<Str> resources;
  List<Str> verbs;
};

// A core/v1 Volume, kept generic: only the name matters to the checks, and
// the source is compared structurally (docs/checks.md, check 3).
struct Volume {
  Str name;
  Value source;  // the volume object minus `name`, as a map
};

// ---------------------------------------------------------------------------
// SympoziumPolicy (docs/model.md#sympoziumpolicy)

struct SeccompProfileSpec {
  Str type;
};

struct AgentSandboxPolicy {
  bool required = false;
  Str default_runtime_class;
  List<Str> allowed_runtime_classes;
};

struct SandboxPolicy {
  bool required = false;
  Str default_image;
  Str max_cpu;
  Str max_memory;
  bool allow_host_mounts = false;
  std::optional<SeccompProfileSpec> seccomp_profile;
  std::optional<AgentSandboxPolicy> agent_sandbox_policy;
};

struct SubagentPolicy {
  int64_t max_depth = 3;       // CRD default
  int64_t max_concurrent = 5;  // CRD default
};

struct ToolGatingRule {
  Str tool;
  Str action;
};

struct ToolGating {
  Str default_action = "allow";  // CRD default
  List<ToolGatingRule> rules;
};

struct FeatureGate {
  Str name;
  bool enabled = false;
};

struct EgressRule {
  Str host;
  int64_t port = 0;
};

struct NetworkPolicySpec {
  bool deny_all = true;         // CRD default
  bool allow_dns = true;        // CRD default
  bool allow_event_bus = true;  // CRD default
  List<EgressRule> allowed_egress;
};

struct ModelPolicy {
  List<Str> allowed_namespaces;
  List<Str> allowed_models;
};

struct ImagePolicy {
  List<Str> allowed_registries;
};

struct LifecyclePolicy {
  List<Str> denied_resources;
};

struct PolicySpec {
  std::optional<SandboxPolicy> sandbox_policy;
  std::optional<SubagentPolicy> subagent_policy;
  std::optional<ToolGating> tool_gating;
  List<FeatureGate> feature_gates;
  bool feature_gates_set = false;  // a nil map disables check 11
  std::optional<NetworkPolicySpec> network_policy;
  std::optional<ModelPolicy> model_policy;
  std::optional<ImagePolicy> image_policy;
  std::optional<LifecyclePolicy> lifecycle_policy;
};

struct Policy {
  TypeMeta type;
  ObjectMeta metadata;
  PolicySpec spec;
};

// ---------------------------------------------------------------------------
// Agent (docs/model.md#agent)

struct SkillRef {
  Str skill_pack_ref;
  Str config_map_ref;
  StringMap params;
};

struct AgentSpec {
  Str policy_ref;
  List<SkillRef> skills;
};

struct Agent {
  TypeMeta type;
  ObjectMeta metadata;
  AgentSpec spec;
};

// ---------------------------------------------------------------------------
// AgentRun (docs/model.md#agentrun)

struct ParentRef {
  Str run_name;
  Str session_key;
  int64_t spawn_depth = 0;
};

// sandbox.resources / agentSandbox.resources: map[string]string requests and
// limits.
struct ResourceMaps {
  StringMap requests;
  StringMap limits;
};

struct SandboxSecurityContext {
  std::optional<bool> read_only_root_filesystem;
  std::optional<bool> run_as_non_root;
  List<Str> capabilities_drop;
  bool capabilities_set = false;
  std::optional<SeccompProfileSpec> seccomp_profile;
};

struct SandboxSpec {
  bool enabled = false;
  Str image;
  Str image_pull_policy;
  std::optional<SandboxSecurityContext> security_context;
  std::optional<ResourceMaps> resources;
};

struct AgentSandboxSpec {
  bool enabled = false;
  Str runtime_class;
  Str warm_pool_ref;
  std::optional<ResourceMaps> resources;
};

struct ToolPolicySpec {
  List<Str> allow;
  List<Str> deny;
};

struct LifecycleHook {
  Str name;
  Str image;
  List<Str> command;
  List<Str> args;
  List<EnvVar> env;
  bool gate = false;
};

struct Lifecycle {
  List<LifecycleHook> pre_run;
  List<LifecycleHook> post_run;
  List<RbacRule> rbac;
  Str gate_default = "block";  // CRD default
};

struct ModelRef {
  Str provider;
  Str model;
  Str model_ref;
  Str auth_secret_ref;
  Str base_url;
};

struct AgentRunSpec {
  Str agent_ref;
  Str agent_id;
  Str session_key;
  Str mode = "task";  // CRD default
  ModelRef model;
  std::optional<ParentRef> parent;
  std::optional<SandboxSpec> sandbox;
  std::optional<AgentSandboxSpec> agent_sandbox;
  std::optional<ToolPolicySpec> tool_policy;
  StringMap env;
  std::optional<Lifecycle> lifecycle;
  List<SkillRef> skills;
  List<Volume> volumes;
  bool task_set = false;  // the controller fails a run with no task (docs/start.md)
};

struct AgentRun {
  TypeMeta type;
  ObjectMeta metadata;
  AgentRunSpec spec;
};

// ---------------------------------------------------------------------------
// SkillPack (docs/model.md#skillpack)

struct SidecarTool {
  Str name;
  Str description;
  List<Str> exec;
  Str subcommand;
  Str input_mode;  // "" counts as args
  List<Str> positional_args;
  Value parameters;  // free JSON; kNull when absent
};

struct HostMount {
  Str host_path;
  Str mount_path;
  bool read_only = true;  // CRD default
};

struct HostAccess {
  bool enabled = false;
  bool host_network = false;
  bool host_pid = false;
  bool privileged = false;
  bool run_as_root = false;
  List<HostMount> mounts;
};

struct SidecarResources {
  Str cpu;
  Str memory;
};

struct ContainerPort {
  Str name;
  int64_t container_port = 0;
  Str protocol;
};

struct Sidecar {
  Str image;
  Str image_pull_policy;
  List<Str> command;
  List<EnvVar> env;
  bool mount_workspace = true;  // CRD default
  std::optional<SidecarResources> resources;
  List<RbacRule> rbac;
  List<RbacRule> cluster_rbac;
  Str secret_ref;
  Str secret_mount_path;
  std::optional<HostAccess> host_access;
  bool requires_server = false;
  List<ContainerPort> ports;
  List<Volume> volumes;
  List<SidecarTool> tools;
};

struct SkillPackSpec {
  std::optional<Sidecar> sidecar;
};

struct SkillPack {
  TypeMeta type;
  ObjectMeta metadata;
  SkillPackSpec spec;
};

// ---------------------------------------------------------------------------
// Model (sympozium.ai Model objects, issue "model integrity")

struct ModelSource {
  Str url;
  Str model_id;
  Str sha256;
};

struct ModelSpec {
  std::optional<ModelSource> source;
};

struct Model {
  TypeMeta type;
  ObjectMeta metadata;
  ModelSpec spec;
};

// ---------------------------------------------------------------------------
// Pods (docs/pods.md): a Pod, or the pod template of a Job, Deployment or CronJob.

struct PodSeccompProfile {
  Str type;
  Str localhost_profile;
  bool localhost_profile_set = false;
};

struct SeLinuxOptions {
  Str user;
  Str role;
  Str type;
};

// securityContext.appArmorProfile.
struct AppArmorProfile {
  Str type;
};

// A pod-level securityContext.sysctls entry (only the name is checked).
struct Sysctl {
  Str name;
};

// The securityContext fields the pod checks read, with presence. The pod
// level holds the same struct; fields Kubernetes has only on one level stay
// unset on the other.
struct SecurityContext {
  std::optional<bool> run_as_non_root;
  std::optional<int64_t> run_as_user;
  std::optional<bool> read_only_root_filesystem;
  std::optional<bool> allow_privilege_escalation;
  std::optional<bool> privileged;
  bool capabilities_set = false;
  List<Str> capabilities_add;
  List<Str> capabilities_drop;
  std::optional<PodSeccompProfile> seccomp_profile;
  std::optional<SeLinuxOptions> se_linux_options;
  std::optional<AppArmorProfile> app_armor_profile;
  std::optional<bool> windows_host_process;  // windowsOptions.hostProcess
  std::optional<Str> proc_mount;             // container level only
  List<Sysctl> sysctls;                      // pod level only
};

// A containers[].ports[] entry.
struct PodContainerPort {
  int64_t container_port = 0;
  int64_t host_port = 0;
};

// A non-empty `host` of a probe or lifecycle handler, e.g. field
// "livenessProbe.httpGet.host" (relative to the container).
struct HandlerHost {
  Str field;
  Str host;
};

struct EnvFromSource {
  bool secret_ref_set = false;
  bool config_map_ref_set = false;
};

struct Container {
  Str name;
  Str image;
  Str restart_policy;  // "Always" makes an init container a native sidecar
  List<EnvVar> env;
  List<EnvFromSource> env_from;
  std::optional<SecurityContext> security_context;
  ResourceMaps resources;
  List<PodContainerPort> ports;
  List<HandlerHost> handler_hosts;  // probes' and lifecycle handlers' hosts
};

struct PodVolume {
  Str name;
  bool host_path = false;
  // The volume source keys that are set (not null), as written: one for a
  // valid volume ("emptyDir"), none when only unknown keys were given.
  List<Str> sources;
};

struct PodSpec {
  std::optional<SecurityContext> security_context;  // pod-level subset
  bool host_network = false;
  bool host_pid = false;
  bool host_ipc = false;
  std::optional<bool> host_users;  // false: the pod runs in a user namespace
  Str os_name;                     // spec.os.name ("linux", "windows", or unset)
  Str runtime_class_name;
  List<Container> init_containers;
  List<Container> containers;
  List<Container> ephemeral_containers;
  List<PodVolume> volumes;
};

// A pod-bearing object: kind Pod, Job, Deployment, CronJob, StatefulSet,
// DaemonSet or ReplicaSet.
struct PodObject {
  TypeMeta type;
  ObjectMeta metadata;
  PodSpec pod;
  Str spec_path;              // where the pod spec sits: "spec", "spec.template.spec", ...
  StringMap pod_annotations;  // the pod's own (a template's) metadata.annotations
};

}  // namespace sympozium

#endif  // SYMPOZIUM_LIB_DECODE_MODEL_H_
