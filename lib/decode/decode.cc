// The public decode entry points (decode.h): one template over the kinds.
#include "lib/decode/decode.h"

#include "lib/decode/decoder.h"

namespace sympozium {
namespace {

template <class T>
absl::StatusOr<Decoded<T>> DecodeDocument(Document doc) {
  T value{};
  std::string source = doc.Describe();  // the decoder keeps a view of it
  decode_internal::TreeDecoder d(source, doc.arena(), decode_internal::ThreadPath());
  SYM_RETURN_IF_ERROR(
      decode_internal::DecodeTree(d, decode_internal::ValueNode(doc.root()), &value));
  return Decoded<T>(std::move(doc), value);
}

template <class T>
absl::Status DecodeTreeInto(const Value& root, std::string_view source, Arena& arena, T* out) {
  *out = T{};
  decode_internal::TreeDecoder d(source, arena, decode_internal::ThreadPath());
  return decode_internal::DecodeTree(d, decode_internal::ValueNode(root), out);
}

}  // namespace

absl::StatusOr<Decoded<Policy>> DecodePolicy(Document doc) {
  return DecodeDocument<Policy>(std::move(doc));
}
absl::StatusOr<Decoded<AgentRun>> DecodeAgentRun(Document doc) {
  return DecodeDocument<AgentRun>(std::move(doc));
}
absl::StatusOr<Decoded<Agent>> DecodeAgent(Document doc) {
  return DecodeDocument<Agent>(std::move(doc));
}
absl::StatusOr<Decoded<SkillPack>> DecodeSkillPack(Document doc) {
  return DecodeDocument<SkillPack>(std::move(doc));
}
absl::StatusOr<Decoded<Model>> DecodeModel(Document doc) {
  return DecodeDocument<Model>(std::move(doc));
}
absl::StatusOr<Decoded<PodObject>> DecodePodObject(Document doc) {
  return DecodeDocument<PodObject>(std::move(doc));
}

absl::Status DecodeInto(const Value& root, std::string_view source, Arena& arena, Policy* out) {
  return DecodeTreeInto(root, source, arena, out);
}
absl::Status DecodeInto(const Value& root, std::string_view source, Arena& arena, AgentRun* out) {
  return DecodeTreeInto(root, source, arena, out);
}
absl::Status DecodeInto(const Value& root, std::string_view source, Arena& arena, Agent* out) {
  return DecodeTreeInto(root, source, arena, out);
}
absl::Status DecodeInto(const Value& root, std::string_view source, Arena& arena, SkillPack* out) {
  return DecodeTreeInto(root, source, arena, out);
}
absl::Status DecodeInto(const Value& root, std::string_view source, Arena& arena, Model* out) {
  return DecodeTreeInto(root, source, arena, out);
}
absl::Status DecodeInto(const Value& root, std::string_view source, Arena& arena, PodObject* out) {
  return DecodeTreeInto(root, source, arena, out);
}

bool IsPodKind(std::string_view kind) {
  for (std::string_view k :
       {"Pod", "Job", "CronJob", "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet"})
    if (k == kind) return true;
  return false;
}

}  // namespace sympozium
