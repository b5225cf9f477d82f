// AgentRun (SPEC §1.2).
#include "lib/decode/decoder.h"

namespace sympozium::decode_internal {
namespace {

absl::Status DecodeParent(Decoder& d, const Value& v, ParentRef* out) {
  SYM_RETURN_IF_ERROR(d.Field(v, "runName", &out->run_name));
  SYM_RETURN_IF_ERROR(d.Field(v, "sessionKey", &out->session_key));
  return d.Field(v, "spawnDepth", &out->spawn_depth);
}

absl::Status DecodeSandboxSecurityContext(Decoder& d, const Value& v, SandboxSecurityContext* out) {
  SYM_RETURN_IF_ERROR(d.Field(v, "readOnlyRootFilesystem", &out->read_only_root_filesystem));
  SYM_RETURN_IF_ERROR(d.Field(v, "runAsNonRoot", &out->run_as_non_root));
  const Value* caps = v.Find("capabilities");
  if (caps != nullptr && !caps->is_null()) {
    Path::Scope scope(d.path(), "capabilities");
    SYM_RETURN_IF_ERROR(d.ExpectMap(*caps));
    out->capabilities_set = true;
    SYM_RETURN_IF_ERROR(d.Field(*caps, "drop", &out->capabilities_drop));
  }
  return d.Object(v, "seccompProfile", &out->seccomp_profile,
                  [](Decoder& d, const Value& v, SeccompProfileSpec* s) {
                    return d.Field(v, "type", &s->type);
                  });
}

absl::Status DecodeSandbox(Decoder& d, const Value& v, SandboxSpec* out) {
  SYM_RETURN_IF_ERROR(d.Field(v, "enabled", &out->enabled));
  SYM_RETURN_IF_ERROR(d.Field(v, "image", &out->image));
  SYM_RETURN_IF_ERROR(d.Field(v, "imagePullPolicy", &out->image_pull_policy));
  SYM_RETURN_IF_ERROR(
      d.Object(v, "securityContext", &out->security_context, DecodeSandboxSecurityContext));
  return d.Object(v, "resources", &out->resources, DecodeResourceMaps);
}

absl::Status DecodeAgentSandbox(Decoder& d, const Value& v, AgentSandboxSpec* out) {
  SYM_RETURN_IF_ERROR(d.Field(v, "enabled", &out->enabled));
  SYM_RETURN_IF_ERROR(d.Field(v, "runtimeClass", &out->runtime_class));
  SYM_RETURN_IF_ERROR(d.Field(v, "warmPoolRef", &out->warm_pool_ref));
  return d.Object(v, "resources", &out->resources, DecodeResourceMaps);
}

absl::Status DecodeHook(Decoder& d, const Value& v, LifecycleHook* out) {
  SYM_RETURN_IF_ERROR(d.Field(v, "name", &out->name));
  SYM_RETURN_IF_ERROR(d.Field(v, "image", &out->image));
  SYM_RETURN_IF_ERROR(d.Field(v, "command", &out->command));
  SYM_RETURN_IF_ERROR(d.Field(v, "args", &out->args));
  SYM_RETURN_IF_ERROR(d.ObjectList(v, "env", &out->env, DecodeEnvVar));
  return d.Field(v, "gate", &out->gate);
}

absl::Status DecodeLifecycle(Decoder& d, const Value& v, Lifecycle* out) {
  SYM_RETURN_IF_ERROR(d.ObjectList(v, "preRun", &out->pre_run, DecodeHook));
  SYM_RETURN_IF_ERROR(d.ObjectList(v, "postRun", &out->post_run, DecodeHook));
  SYM_RETURN_IF_ERROR(d.ObjectList(v, "rbac", &out->rbac, DecodeRbacRule));
  return d.Field(v, "gateDefault", &out->gate_default);
}

absl::Status DecodeModelRef(Decoder& d, const Value& v, ModelRef* out) {
  SYM_RETURN_IF_ERROR(d.Field(v, "provider", &out->provider));
  SYM_RETURN_IF_ERROR(d.Field(v, "model", &out->model));
  SYM_RETURN_IF_ERROR(d.Field(v, "modelRef", &out->model_ref));
  SYM_RETURN_IF_ERROR(d.Field(v, "authSecretRef", &out->auth_secret_ref));
  return d.Field(v, "baseURL", &out->base_url);
}

absl::Status DecodeAgentRunSpec(Decoder& d, const Value& v, AgentRunSpec* out) {
  SYM_RETURN_IF_ERROR(d.Field(v, "agentRef", &out->agent_ref));
  SYM_RETURN_IF_ERROR(d.Field(v, "agentId", &out->agent_id));
  SYM_RETURN_IF_ERROR(d.Field(v, "sessionKey", &out->session_key));
  SYM_RETURN_IF_ERROR(d.Field(v, "mode", &out->mode));
  SYM_RETURN_IF_ERROR(d.Embedded(v, "model", &out->model, DecodeModelRef));
  SYM_RETURN_IF_ERROR(d.Object(v, "parent", &out->parent, DecodeParent));
  SYM_RETURN_IF_ERROR(d.Object(v, "sandbox", &out->sandbox, DecodeSandbox));
  SYM_RETURN_IF_ERROR(d.Object(v, "agentSandbox", &out->agent_sandbox, DecodeAgentSandbox));
  SYM_RETURN_IF_ERROR(d.Object(v, "toolPolicy", &out->tool_policy,
                               [](Decoder& d, const Value& v, ToolPolicySpec* t) {
                                 SYM_RETURN_IF_ERROR(d.Field(v, "allow", &t->allow));
                                 return d.Field(v, "deny", &t->deny);
                               }));
  SYM_RETURN_IF_ERROR(d.Field(v, "env", &out->env));
  SYM_RETURN_IF_ERROR(d.Object(v, "lifecycle", &out->lifecycle, DecodeLifecycle));
  SYM_RETURN_IF_ERROR(d.ObjectList(v, "skills", &out->skills, DecodeSkillRef));
  SYM_RETURN_IF_ERROR(d.ObjectList(v, "volumes", &out->volumes, DecodeVolume));
  const Value* task = v.Find("task");
  out->task_set = task != nullptr && !task->is_null();
  return absl::OkStatus();
}

}  // namespace

absl::Status DecodeTree(Decoder& d, const Value& root, AgentRun* out) {
  SYM_RETURN_IF_ERROR(ExpectKind(d, root, "AgentRun", kSympoziumApiVersion));
  SYM_RETURN_IF_ERROR(DecodeMeta(d, root, &out->type, &out->metadata));
  return d.Embedded(root, "spec", &out->spec, DecodeAgentRunSpec);
}

}  // namespace sympozium::decode_internal
