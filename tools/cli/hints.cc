#include "tools/cli/hints.h"

#include <utility>

namespace sympozium::cli {

std::string_view HintFor(std::string_view code) {
  static constexpr std::pair<std::string_view, std::string_view> kHints[] = {
      {"decode.error", "the document does not decode as its kind; fix the field's type"},
      {"agent.not_found", "create the Agent named by spec.agentRef in the run's namespace"},
      {"policy.not_found", "create the SympoziumPolicy the Agent's policyRef names, or clear it"},
      {"policy.invalid", "run `sympozium-policy lint` on the policy; compat mode accepts it"},
      {"volume.reserved", "rename the volume: Sympozium mounts its own volumes under that name"},
      {"volume.conflict", "give one of the two volumes another name (prefix the SkillPack name)"},
      {"sidecar_tool.invalid", "fix the SkillPack's sidecar tool definition"},
      {"sidecar_tool.duplicate", "tool names must be unique across the run's SkillPacks"},
      {"sandbox.required", "set spec.sandbox.enabled: true"},
      {"resources.invalid_cap", "fix the policy's sandboxPolicy cap: it is not a quantity"},
      {"resources.invalid_value", "write the value as a Kubernetes quantity (500m, 2, 4Gi)"},
      {"resources.exceeds", "lower the value to the policy's cap or below"},
      {"resources.negative", "resource values cannot be negative"},
      {"subagent.depth", "this sub-agent is nested deeper than subagentPolicy.maxDepth allows"},
      {"tool.denied", "remove the tool from spec.toolPolicy.allow"},
      {"feature_gate.disabled", "the policy's featureGates turn this feature off"},
      {"agent_sandbox.exclusive", "enable either spec.sandbox or spec.agentSandbox, not both"},
      {"agent_sandbox.server_mode", "server-mode runs cannot use agentSandbox"},
      {"agent_sandbox.required", "set spec.agentSandbox.enabled: true"},
      {"agent_sandbox.runtime_class", "use one of the policy's allowedRuntimeClasses"},
      {"env.denied", "do not override system variables; use another name"},
      {"hook_env.invalid", "use either value or valueFrom.secretKeyRef{name, key}"},
      {"image.registry", "use an image from one of the policy's allowedRegistries"},
      {"rbac.denied_resource", "drop the resource from the RBAC rule: the policy denies it"},
      {"model.not_allowed", "use a model (and namespace) the policy's modelPolicy lists"},
      {"pod.run_as_root", "set securityContext.runAsNonRoot: true and a non-zero runAsUser"},
      {"pod.writable_root_fs", "set securityContext.readOnlyRootFilesystem: true"},
      {"pod.privilege_escalation", "set securityContext.allowPrivilegeEscalation: false"},
      {"pod.capabilities", "drop ALL capabilities; add back only what the message allows"},
      {"pod.privileged", "remove privileged: true"},
      {"pod.seccomp", "set seccompProfile.type: RuntimeDefault"},
      {"pod.host_namespace", "remove hostNetwork/hostPID/hostIPC"},
      {"pod.host_path", "use another volume type than hostPath"},
      {"pod.env_from_secret", "load single keys with valueFrom.secretKeyRef instead"},
      {"pod.host_process", "remove windowsOptions.hostProcess: true"},
      {"pod.host_port", "remove the hostPort; expose the port through a Service"},
      {"pod.apparmor", "use the RuntimeDefault or a Localhost AppArmor profile"},
      {"pod.selinux", "use an allowed SELinux type and leave user and role unset"},
      {"pod.proc_mount", "remove procMount (or set Default)"},
      {"pod.sysctl", "set only the safe sysctls (docs/pod-security.md)"},
      {"pod.probe_host", "remove the host: probes and hooks then target the pod itself"},
      {"pod.volume_type",
       "use configMap, secret, emptyDir, projected, csi, ephemeral, image or a "
       "persistentVolumeClaim"},
  };
  for (const auto& [c, hint] : kHints)
    if (c == code) return hint;
  return "";
}

}  // namespace sympozium::cli
