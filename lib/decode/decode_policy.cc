// SympoziumPolicy (docs/model.md#sympoziumpolicy). Defaults (maxDepth 3, maxConcurrent 5,
// defaultAction allow, the network booleans true) come from the model's
// member initialisers, applied because a present parent object is
// value-initialised before its fields are read.
#include "lib/decode/decoder.h"

namespace sympozium::decode_internal {
namespace {

absl::Status DecodeSeccomp(TreeDecoder& d, const ValueNode& v, SeccompProfileSpec* out) {
  return d.Field(v, "type", &out->type);
}

absl::Status DecodeAgentSandboxPolicy(TreeDecoder& d, const ValueNode& v, AgentSandboxPolicy* out) {
  SYM_RETURN_IF_ERROR(d.Field(v, "required", &out->required));
  SYM_RETURN_IF_ERROR(d.Field(v, "defaultRuntimeClass", &out->default_runtime_class));
  return d.Field(v, "allowedRuntimeClasses", &out->allowed_runtime_classes);
}

absl::Status DecodeSandboxPolicy(TreeDecoder& d, const ValueNode& v, SandboxPolicy* out) {
  SYM_RETURN_IF_ERROR(d.Field(v, "required", &out->required));
  SYM_RETURN_IF_ERROR(d.Field(v, "defaultImage", &out->default_image));
  SYM_RETURN_IF_ERROR(d.Field(v, "maxCPU", &out->max_cpu));
  SYM_RETURN_IF_ERROR(d.Field(v, "maxMemory", &out->max_memory));
  SYM_RETURN_IF_ERROR(d.Field(v, "allowHostMounts", &out->allow_host_mounts));
  SYM_RETURN_IF_ERROR(d.Object(v, "seccompProfile", &out->seccomp_profile, DecodeSeccomp));
  return d.Object(v, "agentSandboxPolicy", &out->agent_sandbox_policy, DecodeAgentSandboxPolicy);
}

absl::Status DecodeSubagentPolicy(TreeDecoder& d, const ValueNode& v, SubagentPolicy* out) {
  SYM_RETURN_IF_ERROR(d.Field(v, "maxDepth", &out->max_depth));
  return d.Field(v, "maxConcurrent", &out->max_concurrent);
}

absl::Status DecodeToolGatingRule(TreeDecoder& d, const ValueNode& v, ToolGatingRule* out) {
  SYM_RETURN_IF_ERROR(d.Field(v, "tool", &out->tool));
  return d.Field(v, "action", &out->action);
}

absl::Status DecodeToolGating(TreeDecoder& d, const ValueNode& v, ToolGating* out) {
  SYM_RETURN_IF_ERROR(d.Field(v, "defaultAction", &out->default_action));
  return d.ObjectList(v, "rules", &out->rules, DecodeToolGatingRule);
}

absl::Status DecodeFeatureGates(TreeDecoder& d, const ValueNode& spec, PolicySpec* out) {
  ValueNode v = spec.Find("featureGates");
  if (!v || v.is_null()) return absl::OkStatus();
  Path::Scope scope(d.path(), "featureGates");
  if (!v.is_map()) return d.TypeError(v, "a map of bools");
  out->feature_gates_set = true;
  for (NodeMember<ValueNode> m : v.members()) {
    Path::Scope member(d.path(), m.key);
    FeatureGate gate{m.key, false};
    if (!m.value.is_null()) SYM_RETURN_IF_ERROR(d.AsBool(m.value, &gate.enabled));
    out->feature_gates.Append(d.arena(), gate);
  }
  return absl::OkStatus();
}

absl::Status DecodeEgressRule(TreeDecoder& d, const ValueNode& v, EgressRule* out) {
  SYM_RETURN_IF_ERROR(d.Field(v, "host", &out->host));
  return d.Field(v, "port", &out->port);
}

absl::Status DecodeNetworkPolicy(TreeDecoder& d, const ValueNode& v, NetworkPolicySpec* out) {
  SYM_RETURN_IF_ERROR(d.Field(v, "denyAll", &out->deny_all));
  SYM_RETURN_IF_ERROR(d.Field(v, "allowDNS", &out->allow_dns));
  SYM_RETURN_IF_ERROR(d.Field(v, "allowEventBus", &out->allow_event_bus));
  return d.ObjectList(v, "allowedEgress", &out->allowed_egress, DecodeEgressRule);
}

absl::Status DecodePolicySpec(TreeDecoder& d, const ValueNode& v, PolicySpec* out) {
  SYM_RETURN_IF_ERROR(d.Object(v, "sandboxPolicy", &out->sandbox_policy, DecodeSandboxPolicy));
  SYM_RETURN_IF_ERROR(d.Object(v, "subagentPolicy", &out->subagent_policy, DecodeSubagentPolicy));
  SYM_RETURN_IF_ERROR(d.Object(v, "toolGating", &out->tool_gating, DecodeToolGating));
  SYM_RETURN_IF_ERROR(DecodeFeatureGates(d, v, out));
  SYM_RETURN_IF_ERROR(d.Object(v, "networkPolicy", &out->network_policy, DecodeNetworkPolicy));
  SYM_RETURN_IF_ERROR(d.Object(
      v, "modelPolicy", &out->model_policy, [](TreeDecoder& d, const ValueNode& v, ModelPolicy* m) {
        SYM_RETURN_IF_ERROR(d.Field(v, "allowedNamespaces", &m->allowed_namespaces));
        return d.Field(v, "allowedModels", &m->allowed_models);
      }));
  SYM_RETURN_IF_ERROR(d.Object(v, "imagePolicy", &out->image_policy,
                               [](TreeDecoder& d, const ValueNode& v, ImagePolicy* m) {
                                 return d.Field(v, "allowedRegistries", &m->allowed_registries);
                               }));
  return d.Object(v, "lifecyclePolicy", &out->lifecycle_policy,
                  [](TreeDecoder& d, const ValueNode& v, LifecyclePolicy* m) {
                    return d.Field(v, "deniedResources", &m->denied_resources);
                  });
}

}  // namespace

absl::Status DecodeTree(TreeDecoder& d, const ValueNode& root, Policy* out) {
  SYM_RETURN_IF_ERROR(ExpectKind(d, root, "SympoziumPolicy", kSympoziumApiVersion));
  SYM_RETURN_IF_ERROR(DecodeMeta(d, root, &out->type, &out->metadata));
  return d.Embedded(root, "spec", &out->spec, DecodePolicySpec);
}

}  // namespace sympozium::decode_internal
