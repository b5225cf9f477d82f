// SkillPack (docs/model.md#skillpack): the sidecar is all evaluation reads.
#include "lib/decode/decoder.h"

namespace sympozium::decode_internal {
namespace {

absl::Status DecodeTool(TreeDecoder& d, const ValueNode& v, SidecarTool* out) {
  SYM_RETURN_IF_ERROR(d.Field(v, "name", &out->name));
  SYM_RETURN_IF_ERROR(d.Field(v, "description", &out->description));
  SYM_RETURN_IF_ERROR(d.Field(v, "exec", &out->exec));
  SYM_RETURN_IF_ERROR(d.Field(v, "subcommand", &out->subcommand));
  SYM_RETURN_IF_ERROR(d.Field(v, "inputMode", &out->input_mode));
  SYM_RETURN_IF_ERROR(d.Field(v, "positionalArgs", &out->positional_args));
  if (ValueNode p = v.Find("parameters")) out->parameters = p.ToValue(d.arena());  // free JSON
  return absl::OkStatus();
}

absl::Status DecodeHostMount(TreeDecoder& d, const ValueNode& v, HostMount* out) {
  SYM_RETURN_IF_ERROR(d.Field(v, "hostPath", &out->host_path));
  SYM_RETURN_IF_ERROR(d.Field(v, "mountPath", &out->mount_path));
  return d.Field(v, "readOnly", &out->read_only);
}

absl::Status DecodeHostAccess(TreeDecoder& d, const ValueNode& v, HostAccess* out) {
  SYM_RETURN_IF_ERROR(d.Field(v, "enabled", &out->enabled));
  SYM_RETURN_IF_ERROR(d.Field(v, "hostNetwork", &out->host_network));
  SYM_RETURN_IF_ERROR(d.Field(v, "hostPID", &out->host_pid));
  SYM_RETURN_IF_ERROR(d.Field(v, "privileged", &out->privileged));
  SYM_RETURN_IF_ERROR(d.Field(v, "runAsRoot", &out->run_as_root));
  return d.ObjectList(v, "mounts", &out->mounts, DecodeHostMount);
}

absl::Status DecodePort(TreeDecoder& d, const ValueNode& v, ContainerPort* out) {
  SYM_RETURN_IF_ERROR(d.Field(v, "name", &out->name));
  SYM_RETURN_IF_ERROR(d.Field(v, "containerPort", &out->container_port));
  return d.Field(v, "protocol", &out->protocol);
}

absl::Status DecodeSidecar(TreeDecoder& d, const ValueNode& v, Sidecar* out) {
  SYM_RETURN_IF_ERROR(d.Field(v, "image", &out->image));
  SYM_RETURN_IF_ERROR(d.Field(v, "imagePullPolicy", &out->image_pull_policy));
  SYM_RETURN_IF_ERROR(d.Field(v, "command", &out->command));
  SYM_RETURN_IF_ERROR(d.ObjectList(v, "env", &out->env, DecodeEnvVar<ValueNode>));
  SYM_RETURN_IF_ERROR(d.Field(v, "mountWorkspace", &out->mount_workspace));
  SYM_RETURN_IF_ERROR(d.Object(v, "resources", &out->resources,
                               [](TreeDecoder& d, const ValueNode& v, SidecarResources* r) {
                                 SYM_RETURN_IF_ERROR(d.Field(v, "cpu", &r->cpu));
                                 return d.Field(v, "memory", &r->memory);
                               }));
  SYM_RETURN_IF_ERROR(d.ObjectList(v, "rbac", &out->rbac, DecodeRbacRule<ValueNode>));
  SYM_RETURN_IF_ERROR(
      d.ObjectList(v, "clusterRBAC", &out->cluster_rbac, DecodeRbacRule<ValueNode>));
  SYM_RETURN_IF_ERROR(d.Field(v, "secretRef", &out->secret_ref));
  SYM_RETURN_IF_ERROR(d.Field(v, "secretMountPath", &out->secret_mount_path));
  SYM_RETURN_IF_ERROR(d.Object(v, "hostAccess", &out->host_access, DecodeHostAccess));
  SYM_RETURN_IF_ERROR(d.Field(v, "requiresServer", &out->requires_server));
  SYM_RETURN_IF_ERROR(d.ObjectList(v, "ports", &out->ports, DecodePort));
  SYM_RETURN_IF_ERROR(d.ObjectList(v, "volumes", &out->volumes, DecodeVolume<ValueNode>));
  return d.ObjectList(v, "tools", &out->tools, DecodeTool);
}

}  // namespace

absl::Status DecodeTree(TreeDecoder& d, const ValueNode& root, SkillPack* out) {
  SYM_RETURN_IF_ERROR(ExpectKind(d, root, "SkillPack", kSympoziumApiVersion));
  SYM_RETURN_IF_ERROR(DecodeMeta(d, root, &out->type, &out->metadata));
  return d.Embedded(root, "spec", &out->spec,
                    [](TreeDecoder& d, const ValueNode& v, SkillPackSpec* s) {
                      return d.Object(v, "sidecar", &s->sidecar, DecodeSidecar);
                    });
}

}  // namespace sympozium::decode_internal
