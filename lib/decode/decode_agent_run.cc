// AgentRun (docs/model.md#agentrun).
#include "lib/decode/decoder.h"

namespace sympozium::decode_internal {
namespace {

template <class N>
absl::Status DecodeParent(Decoder<N>& d, const N& v, ParentRef* out) {
  SYM_RETURN_IF_ERROR(d.Field(v, "runName", &out->run_name));
  SYM_RETURN_IF_ERROR(d.Field(v, "sessionKey", &out->session_key));
  return d.Field(v, "spawnDepth", &out->spawn_depth);
}

template <class N>
absl::Status DecodeSandboxSecurityContext(Decoder<N>& d, const N& v, SandboxSecurityContext* out) {
  SYM_RETURN_IF_ERROR(d.Field(v, "readOnlyRootFilesystem", &out->read_only_root_filesystem));
  SYM_RETURN_IF_ERROR(d.Field(v, "runAsNonRoot", &out->run_as_non_root));
  N caps = v.Find("capabilities");
  if (caps && !caps.is_null()) {
    typename Decoder<N>::Scope scope(d.path(), "capabilities");
    SYM_RETURN_IF_ERROR(d.ExpectMap(caps));
    out->capabilities_set = true;
    SYM_RETURN_IF_ERROR(d.Field(caps, "drop", &out->capabilities_drop));
  }
  return d.Object(v, "seccompProfile", &out->seccomp_profile,
                  [](Decoder<N>& d, const N& v, SeccompProfileSpec* s) {
                    return d.Field(v, "type", &s->type);
                  });
}

template <class N>
absl::Status DecodeSandbox(Decoder<N>& d, const N& v, SandboxSpec* out) {
  SYM_RETURN_IF_ERROR(d.Field(v, "enabled", &out->enabled));
  SYM_RETURN_IF_ERROR(d.Field(v, "image", &out->image));
  SYM_RETURN_IF_ERROR(d.Field(v, "imagePullPolicy", &out->image_pull_policy));
  SYM_RETURN_IF_ERROR(
      d.Object(v, "securityContext", &out->security_context, DecodeSandboxSecurityContext<N>));
  return d.Object(v, "resources", &out->resources, DecodeResourceMaps<N>);
}

template <class N>
absl::Status DecodeAgentSandbox(Decoder<N>& d, const N& v, AgentSandboxSpec* out) {
  SYM_RETURN_IF_ERROR(d.Field(v, "enabled", &out->enabled));
  SYM_RETURN_IF_ERROR(d.Field(v, "runtimeClass", &out->runtime_class));
  SYM_RETURN_IF_ERROR(d.Field(v, "warmPoolRef", &out->warm_pool_ref));
  return d.Object(v, "resources", &out->resources, DecodeResourceMaps<N>);
}

template <class N>
absl::Status DecodeHook(Decoder<N>& d, const N& v, LifecycleHook* out) {
  SYM_RETURN_IF_ERROR(d.Field(v, "name", &out->name));
  SYM_RETURN_IF_ERROR(d.Field(v, "image", &out->image));
  SYM_RETURN_IF_ERROR(d.Field(v, "command", &out->command));
  SYM_RETURN_IF_ERROR(d.Field(v, "args", &out->args));
  SYM_RETURN_IF_ERROR(d.ObjectList(v, "env", &out->env, DecodeEnvVar<N>));
  return d.Field(v, "gate", &out->gate);
}

template <class N>
absl::Status DecodeLifecycle(Decoder<N>& d, const N& v, Lifecycle* out) {
  SYM_RETURN_IF_ERROR(d.ObjectList(v, "preRun", &out->pre_run, DecodeHook<N>));
  SYM_RETURN_IF_ERROR(d.ObjectList(v, "postRun", &out->post_run, DecodeHook<N>));
  SYM_RETURN_IF_ERROR(d.ObjectList(v, "rbac", &out->rbac, DecodeRbacRule<N>));
  return d.Field(v, "gateDefault", &out->gate_default);
}

template <class N>
absl::Status DecodeModelRef(Decoder<N>& d, const N& v, ModelRef* out) {
  SYM_RETURN_IF_ERROR(d.Field(v, "provider", &out->provider));
  SYM_RETURN_IF_ERROR(d.Field(v, "model", &out->model));
  SYM_RETURN_IF_ERROR(d.Field(v, "modelRef", &out->model_ref));
  SYM_RETURN_IF_ERROR(d.Field(v, "authSecretRef", &out->auth_secret_ref));
  return d.Field(v, "baseURL", &out->base_url);
}

template <class N>
absl::Status DecodeAgentRunSpec(Decoder<N>& d, const N& v, AgentRunSpec* out) {
  SYM_RETURN_IF_ERROR(d.Field(v, "agentRef", &out->agent_ref));
  SYM_RETURN_IF_ERROR(d.Field(v, "agentId", &out->agent_id));
  SYM_RETURN_IF_ERROR(d.Field(v, "sessionKey", &out->session_key));
  SYM_RETURN_IF_ERROR(d.Field(v, "mode", &out->mode));
  SYM_RETURN_IF_ERROR(d.Embedded(v, "model", &out->model, DecodeModelRef<N>));
  SYM_RETURN_IF_ERROR(d.Object(v, "parent", &out->parent, DecodeParent<N>));
  SYM_RETURN_IF_ERROR(d.Object(v, "sandbox", &out->sandbox, DecodeSandbox<N>));
  SYM_RETURN_IF_ERROR(d.Object(v, "agentSandbox", &out->agent_sandbox, DecodeAgentSandbox<N>));
  SYM_RETURN_IF_ERROR(d.Object(v, "toolPolicy", &out->tool_policy,
                               [](Decoder<N>& d, const N& v, ToolPolicySpec* t) {
                                 SYM_RETURN_IF_ERROR(d.Field(v, "allow", &t->allow));
                                 return d.Field(v, "deny", &t->deny);
                               }));
  SYM_RETURN_IF_ERROR(d.Field(v, "env", &out->env));
  SYM_RETURN_IF_ERROR(d.Object(v, "lifecycle", &out->lifecycle, DecodeLifecycle<N>));
  SYM_RETURN_IF_ERROR(d.ObjectList(v, "skills", &out->skills, DecodeSkillRef<N>));
  SYM_RETURN_IF_ERROR(d.ObjectList(v, "volumes", &out->volumes, DecodeVolume<N>));
  out->task_set = IsSet(v, "task");
  return absl::OkStatus();
}

}  // namespace

template <class N>
absl::Status DecodeTree(Decoder<N>& d, const N& root, AgentRun* out) {
  SYM_RETURN_IF_ERROR(ExpectKind(d, root, "AgentRun", kSympoziumApiVersion));
  SYM_RETURN_IF_ERROR(DecodeMeta(d, root, &out->type, &out->metadata));
  return d.Embedded(root, "spec", &out->spec, DecodeAgentRunSpec<N>);
}

template absl::Status DecodeTree(Decoder<ValueNode>&, const ValueNode&, AgentRun*);
template absl::Status DecodeTree(Decoder<DomNode>&, const DomNode&, AgentRun*);

}  // namespace sympozium::decode_internal
