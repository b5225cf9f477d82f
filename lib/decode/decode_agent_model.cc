// Agent (SPEC §1.4) and Model (the model-integrity checks).
#include "lib/decode/decoder.h"

namespace sympozium::decode_internal {

absl::Status DecodeTree(Decoder& d, const Value& root, Agent* out) {
  SYM_RETURN_IF_ERROR(ExpectKind(d, root, "Agent", kSympoziumApiVersion));
  SYM_RETURN_IF_ERROR(DecodeMeta(d, root, &out->type, &out->metadata));
  return d.Embedded(root, "spec", &out->spec, [](Decoder& d, const Value& v, AgentSpec* s) {
    SYM_RETURN_IF_ERROR(d.Field(v, "policyRef", &s->policy_ref));
    return d.ObjectList(v, "skills", &s->skills, DecodeSkillRef);
  });
}

absl::Status DecodeTree(Decoder& d, const Value& root, Model* out) {
  SYM_RETURN_IF_ERROR(ExpectKind(d, root, "Model", kSympoziumApiVersion));
  SYM_RETURN_IF_ERROR(DecodeMeta(d, root, &out->type, &out->metadata));
  return d.Embedded(root, "spec", &out->spec, [](Decoder& d, const Value& v, ModelSpec* s) {
    return d.Object(v, "source", &s->source, [](Decoder& d, const Value& v, ModelSource* src) {
      SYM_RETURN_IF_ERROR(d.Field(v, "url", &src->url));
      SYM_RETURN_IF_ERROR(d.Field(v, "modelID", &src->model_id));
      return d.Field(v, "sha256", &src->sha256);
    });
  });
}

}  // namespace sympozium::decode_internal
