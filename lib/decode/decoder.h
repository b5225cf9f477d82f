// Decoder: reads typed fields out of a document tree the way Go's typed JSON
// decoding does, keeping the document path for messages. Used by every
// decode_*.cc; one overload of Field per field type.
//
// Decoders are written once over a node type N (value_node.h): ValueNode
// for the Value tree, and DomNode (dom_node.h) for the JSON hot path, which
// decodes AgentRuns and pods straight from a simdjson DOM. The decoders of
// the other kinds are instantiated for ValueNode only.
#ifndef SYMPOZIUM_LIB_DECODE_DECODER_H_
#define SYMPOZIUM_LIB_DECODE_DECODER_H_

#include <optional>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "lib/base/path.h"
#include "lib/base/status_macros.h"
#include "lib/base/value.h"
#include "lib/decode/decode.h"
#include "lib/decode/dom_node.h"
#include "lib/decode/model.h"
#include "lib/decode/value_node.h"

namespace sympozium::decode_internal {

template <class N>
class Decoder {
 public:
  // Where the document path is kept: the node type says (a DomNode decoder's
  // errors are never shown, so it keeps none).
  using PathType = typename N::PathType;
  using Scope = typename PathType::Scope;

  // `path` must be empty; decoding leaves it empty again. Callers on the hot
  // path pass one the thread keeps, so decoding allocates nothing for it.
  Decoder(std::string_view source, Arena& arena, PathType& path)
      : source_(source), arena_(arena), path_(path) {}

  Arena& arena() { return arena_; }
  PathType& path() { return path_; }

  // An error at the current path, pointing at `at`.
  absl::Status Error(const N& at, std::string_view message);
  absl::Status TypeError(const N& at, std::string_view expected);

  // Checks that `v` is a map (the caller has already skipped null).
  absl::Status ExpectMap(const N& v) {
    return v.is_map() ? absl::OkStatus() : TypeError(v, "an object");
  }

  // Field(map, key, out): decodes map[key] into *out. An absent or null
  // member leaves *out as it is (its default).
  absl::Status Field(const N& map, std::string_view key, Str* out);
  absl::Status Field(const N& map, std::string_view key, bool* out);
  absl::Status Field(const N& map, std::string_view key, std::optional<bool>* out);
  absl::Status Field(const N& map, std::string_view key, int64_t* out);
  absl::Status Field(const N& map, std::string_view key, std::optional<int64_t>* out);
  absl::Status Field(const N& map, std::string_view key, List<Str>* out);
  absl::Status Field(const N& map, std::string_view key, StringMap* out);
  // Kubernetes resource quantities: strings, or numbers as written.
  absl::Status QuantityMap(const N& map, std::string_view key, StringMap* out);

  // Nested object into an optional: engaged (with defaults) when present.
  template <class T, class Fn>
  absl::Status Object(const N& map, std::string_view key, std::optional<T>* out, Fn decode) {
    N v = map.Find(key);
    if (!v || v.is_null()) return absl::OkStatus();
    Scope scope(path_, key);
    SYM_RETURN_IF_ERROR(ExpectMap(v));
    out->emplace();
    return decode(*this, v, &**out);
  }

  // Nested object that Go holds by value: decoded when present.
  template <class T, class Fn>
  absl::Status Embedded(const N& map, std::string_view key, T* out, Fn decode) {
    N v = map.Find(key);
    if (!v || v.is_null()) return absl::OkStatus();
    Scope scope(path_, key);
    SYM_RETURN_IF_ERROR(ExpectMap(v));
    return decode(*this, v, out);
  }

  // A list of objects.
  template <class T, class Fn>
  absl::Status ObjectList(const N& map, std::string_view key, List<T>* out, Fn decode) {
    N v = map.Find(key);
    if (!v || v.is_null()) return absl::OkStatus();
    Scope scope(path_, key);
    if (!v.is_list()) return TypeError(v, "a list");
    size_t i = 0;
    for (N item : v.items()) {
      Scope index(path_, i++);
      T& elem = out->Append(arena_);
      if (item.is_null()) continue;  // Go decodes null into a zero value
      SYM_RETURN_IF_ERROR(ExpectMap(item));
      SYM_RETURN_IF_ERROR(decode(*this, item, &elem));
    }
    return absl::OkStatus();
  }

  // Scalar conversions on a value at the current path.
  absl::Status AsString(const N& v, Str* out);
  absl::Status AsBool(const N& v, bool* out);
  absl::Status AsInt(const N& v, int64_t* out);

 private:
  std::string_view source_;
  Arena& arena_;
  PathType& path_;
};

extern template class Decoder<ValueNode>;
extern template class Decoder<DomNode>;
using TreeDecoder = Decoder<ValueNode>;

// An empty Path the calling thread reuses for its decoders (decoders do not
// re-enter), so the hot path allocates none.
Path& ThreadPath();

// True when the member `key` of `map` is there and not null.
template <class N>
bool IsSet(const N& map, std::string_view key) {
  N v = map.Find(key);
  return v && !v.is_null();
}

// Decoders shared by several kinds (instantiated for both node types).
template <class N>
absl::Status DecodeMeta(Decoder<N>& d, const N& root, TypeMeta* type, ObjectMeta* meta);
template <class N>
absl::Status DecodeEnvVar(Decoder<N>& d, const N& v, EnvVar* out);
template <class N>
absl::Status DecodeRbacRule(Decoder<N>& d, const N& v, RbacRule* out);
template <class N>
absl::Status DecodeVolume(Decoder<N>& d, const N& v, Volume* out);
template <class N>
absl::Status DecodeSkillRef(Decoder<N>& d, const N& v, SkillRef* out);
template <class N>
absl::Status DecodeResourceMaps(Decoder<N>& d, const N& v, ResourceMaps* out);

// Checks kind/apiVersion before decoding: `kind` must be `want_kind`, and
// `apiVersion` must be `want_api` unless that is empty.
template <class N>
absl::Status ExpectKind(Decoder<N>& d, const N& root, std::string_view want_kind,
                        std::string_view want_api);

// Decodes a whole object (kind checked first); one per kind, in
// decode_<kind>.cc. AgentRun and PodObject are also instantiated for
// DomNode.
absl::Status DecodeTree(TreeDecoder& d, const ValueNode& root, Policy* out);
template <class N>
absl::Status DecodeTree(Decoder<N>& d, const N& root, AgentRun* out);
absl::Status DecodeTree(TreeDecoder& d, const ValueNode& root, Agent* out);
absl::Status DecodeTree(TreeDecoder& d, const ValueNode& root, SkillPack* out);
absl::Status DecodeTree(TreeDecoder& d, const ValueNode& root, Model* out);
template <class N>
absl::Status DecodeTree(Decoder<N>& d, const N& root, PodObject* out);

}  // namespace sympozium::decode_internal

#endif  // SYMPOZIUM_LIB_DECODE_DECODER_H_
