// Decoder: reads typed fields out of a Value tree the way Go's typed JSON
// decoding does, keeping the document path for messages. Used by every
// decode_*.cc; one overload of Field per field type.
#ifndef SYMPOZIUM_LIB_DECODE_DECODER_H_
#define SYMPOZIUM_LIB_DECODE_DECODER_H_

#include <optional>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "lib/base/path.h"
#include "lib/base/status_macros.h"
#include "sympozium/decode.h"
#include "sympozium/model.h"
#include "sympozium/value.h"

namespace sympozium::decode_internal {

class Decoder {
 public:
  Decoder(std::string_view source, Arena& arena) : source_(source), arena_(arena) {}

  Arena& arena() { return arena_; }
  Path& path() { return path_; }

  // An error at the current path, pointing at `at`.
  absl::Status Error(const Value& at, std::string_view message);
  absl::Status TypeError(const Value& at, std::string_view expected);

  // Checks that `v` is a map (the caller has already skipped null).
  absl::Status ExpectMap(const Value& v) {
    return v.is_map() ? absl::OkStatus() : TypeError(v, "an object");
  }

  // Field(map, key, out): decodes map[key] into *out. An absent or null
  // member leaves *out as it is (its default).
  absl::Status Field(const Value& map, std::string_view key, Str* out);
  absl::Status Field(const Value& map, std::string_view key, bool* out);
  absl::Status Field(const Value& map, std::string_view key, std::optional<bool>* out);
  absl::Status Field(const Value& map, std::string_view key, int64_t* out);
  absl::Status Field(const Value& map, std::string_view key, std::optional<int64_t>* out);
  absl::Status Field(const Value& map, std::string_view key, List<Str>* out);
  absl::Status Field(const Value& map, std::string_view key, StringMap* out);
  // Kubernetes resource quantities: strings, or numbers as written.
  absl::Status QuantityMap(const Value& map, std::string_view key, StringMap* out);

  // Nested object into an optional: engaged (with defaults) when present.
  template <class T, class Fn>
  absl::Status Object(const Value& map, std::string_view key, std::optional<T>* out, Fn decode) {
    const Value* v = map.Find(key);
    if (v == nullptr || v->is_null()) return absl::OkStatus();
    Path::Scope scope(path_, key);
    SYM_RETURN_IF_ERROR(ExpectMap(*v));
    out->emplace();
    return decode(*this, *v, &**out);
  }

  // Nested object that Go holds by value: decoded when present.
  template <class T, class Fn>
  absl::Status Embedded(const Value& map, std::string_view key, T* out, Fn decode) {
    const Value* v = map.Find(key);
    if (v == nullptr || v->is_null()) return absl::OkStatus();
    Path::Scope scope(path_, key);
    SYM_RETURN_IF_ERROR(ExpectMap(*v));
    return decode(*this, *v, out);
  }

  // A list of objects.
  template <class T, class Fn>
  absl::Status ObjectList(const Value& map, std::string_view key, List<T>* out, Fn decode) {
    const Value* v = map.Find(key);
    if (v == nullptr || v->is_null()) return absl::OkStatus();
    Path::Scope scope(path_, key);
    if (!v->is_list()) return TypeError(*v, "a list");
    for (size_t i = 0; i < v->items.size(); ++i) {
      const Value& item = v->items[i];
      Path::Scope index(path_, i);
      T& elem = out->Append(arena_);
      if (item.is_null()) continue;  // Go decodes null into a zero value
      SYM_RETURN_IF_ERROR(ExpectMap(item));
      SYM_RETURN_IF_ERROR(decode(*this, item, &elem));
    }
    return absl::OkStatus();
  }

  // Scalar conversions on a value at the current path.
  absl::Status AsString(const Value& v, Str* out);
  absl::Status AsBool(const Value& v, bool* out);
  absl::Status AsInt(const Value& v, int64_t* out);

 private:
  std::string_view source_;
  Arena& arena_;
  Path path_;
};

// Decoders shared by several kinds.
absl::Status DecodeMeta(Decoder& d, const Value& root, TypeMeta* type, ObjectMeta* meta);
absl::Status DecodeEnvVar(Decoder& d, const Value& v, EnvVar* out);
absl::Status DecodeRbacRule(Decoder& d, const Value& v, RbacRule* out);
absl::Status DecodeVolume(Decoder& d, const Value& v, Volume* out);
absl::Status DecodeSkillRef(Decoder& d, const Value& v, SkillRef* out);
absl::Status DecodeResourceMaps(Decoder& d, const Value& v, ResourceMaps* out);

// Decodes a whole object (kind checked first); one per kind, in
// decode_<kind>.cc.
absl::Status DecodeTree(Decoder& d, const Value& root, Policy* out);
absl::Status DecodeTree(Decoder& d, const Value& root, AgentRun* out);
absl::Status DecodeTree(Decoder& d, const Value& root, Agent* out);
absl::Status DecodeTree(Decoder& d, const Value& root, SkillPack* out);
absl::Status DecodeTree(Decoder& d, const Value& root, Model* out);
absl::Status DecodeTree(Decoder& d, const Value& root, PodObject* out);

// Checks kind/apiVersion before decoding: `kind` must be `want_kind`, and
// `apiVersion` must be `want_api` unless that is empty.
absl::Status ExpectKind(Decoder& d, const Value& root, std::string_view want_kind,
                        std::string_view want_api);

}  // namespace sympozium::decode_internal

#endif  // SYMPOZIUM_LIB_DECODE_DECODER_H_
