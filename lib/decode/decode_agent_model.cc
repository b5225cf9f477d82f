// Agent (docs/model.md#agent) and Model (the model-integrity checks).
#include "lib/decode/decoder.h"

namespace sympozium::decode_internal {

absl::Status DecodeTree(TreeDecoder& d, const ValueNode& root, Agent* out) {
  SYM_RETURN_IF_ERROR(ExpectKind(d, root, "Agent", kSympoziumApiVersion));
  SYM_RETURN_IF_ERROR(DecodeMeta(d, root, &out->type, &out->metadata));
  return d.Embedded(root, "spec", &out->spec, [](TreeDecoder& d, const ValueNode& v, AgentSpec* s) {
    SYM_RETURN_IF_ERROR(d.Field(v, "policyRef", &s->policy_ref));
    return d.ObjectList(v, "skills", &s->skills, DecodeSkillRef<ValueNode>);
  });
}

absl::Status DecodeTree(TreeDecoder& d, const ValueNode& root, Model* out) {
  SYM_RETURN_IF_ERROR(ExpectKind(d, root, "Model", kSympoziumApiVersion));
  SYM_RETURN_IF_ERROR(DecodeMeta(d, root, &out->type, &out->metadata));
  return d.Embedded(root, "spec", &out->spec, [](TreeDecoder& d, const ValueNode& v, ModelSpec* s) {
    return d.Object(v, "source", &s->source,
                    [](TreeDecoder& d, const ValueNode& v, ModelSource* src) {
                      SYM_RETURN_IF_ERROR(d.Field(v, "url", &src->url));
                      SYM_RETURN_IF_ERROR(d.Field(v, "modelID", &src->model_id));
                      return d.Field(v, "sha256", &src->sha256);
                    });
  });
}

}  // namespace sympozium::decode_internal
