// Decoding: generic tree -> typed model (model.h). The second stage.
//
// Decoding is what Go's typed JSON decoding does, not schema validation
// (docs/model.md#decoding-not-schema-validation): a wrong type is an error, while
// a missing required field or an out-of-enum value is not (schema.h checks
// those separately). `null` counts as absent. CRD defaults are applied where
// the parent object is present and the field absent (docs/model.md#sympoziumpolicy).
#ifndef SYMPOZIUM_LIB_DECODE_DECODE_H_
#define SYMPOZIUM_LIB_DECODE_DECODE_H_

#include <string_view>
#include <utility>

#include "absl/status/statusor.h"
#include "lib/decode/model.h"
#include "lib/read/document.h"
#include "sympozium/diagnostic.h"

namespace sympozium {

inline constexpr std::string_view kSympoziumApiVersion = "sympozium.ai/v1alpha1";

// A typed object together with the document (and arena) it points into.
template <class T>
class Decoded {
 public:
  Decoded(Document doc, T value) : doc_(std::move(doc)), value_(value) {}

  const T& operator*() const { return value_; }
  const T* operator->() const { return &value_; }
  const T& get() const { return value_; }
  const Document& document() const { return doc_; }

 private:
  Document doc_;
  T value_;
};

// Each checks `kind` and `apiVersion` first: a document of another kind is
// an error naming what was expected.
absl::StatusOr<Decoded<Policy>> DecodePolicy(Document doc);
absl::StatusOr<Decoded<AgentRun>> DecodeAgentRun(Document doc);
absl::StatusOr<Decoded<Agent>> DecodeAgent(Document doc);
absl::StatusOr<Decoded<SkillPack>> DecodeSkillPack(Document doc);
absl::StatusOr<Decoded<Model>> DecodeModel(Document doc);
// Pod, Job, Deployment or CronJob.
absl::StatusOr<Decoded<PodObject>> DecodePodObject(Document doc);

// The same decoders on a tree whose memory the caller owns (the hot path).
// Lists are allocated in `arena`; `source` names the input in messages.
absl::Status DecodeInto(const Value& root, std::string_view source, Arena& arena, Policy* out);
absl::Status DecodeInto(const Value& root, std::string_view source, Arena& arena, AgentRun* out);
absl::Status DecodeInto(const Value& root, std::string_view source, Arena& arena, Agent* out);
absl::Status DecodeInto(const Value& root, std::string_view source, Arena& arena, SkillPack* out);
absl::Status DecodeInto(const Value& root, std::string_view source, Arena& arena, Model* out);
absl::Status DecodeInto(const Value& root, std::string_view source, Arena& arena, PodObject* out);

// DecodePodObject accepts the kinds IsPodKind names (sympozium/read.h).

}  // namespace sympozium

#endif  // SYMPOZIUM_LIB_DECODE_DECODE_H_
