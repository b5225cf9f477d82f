#include "lib/decode/decoder.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <string>

#include "absl/strings/str_cat.h"
#include "lib/base/quantity.h"
#include "lib/base/value_kind.h"
#include "sympozium/diagnostic.h"

namespace sympozium::decode_internal {
namespace {

// A YAML float that is a whole number ("1000.0", "1e3"): kubectl's
// YAML-to-JSON step writes it as an integer, so Go decodes it into an int.
bool WholeNumber(std::string_view text, int64_t* out) {
  std::string s(text);
  char* end = nullptr;
  double d = std::strtod(s.c_str(), &end);
  // 2^63 is exactly representable; everything below it that is whole fits.
  if (end != s.c_str() + s.size() || !std::isfinite(d) || d != std::floor(d) ||
      d < -9223372036854775808.0 || d >= 9223372036854775808.0)
    return false;
  *out = static_cast<int64_t>(d);
  return true;
}

}  // namespace

Path& ThreadPath() {
  thread_local Path path;
  return path;
}

template <class N>
absl::Status Decoder<N>::Error(const N& at, std::string_view message) {
  return ToStatus(Diagnostic::Error("decode.error", path_.ToString(), std::string(message),
                                    std::string(source_), at.mark()));
}

template <class N>
absl::Status Decoder<N>::TypeError(const N& at, std::string_view expected) {
  std::string got = ValueKindName(at.kind());
  if (at.is_scalar()) absl::StrAppend(&got, " (", std::string(at.text().substr(0, 40)), ")");
  return Error(at, absl::StrCat("expected ", std::string(expected), ", got ", got));
}

template <class N>
absl::Status Decoder<N>::AsString(const N& v, Str* out) {
  // A YAML scalar written without quotes reads as a string where Go wants
  // one (sigs.k8s.io/yaml does the same); a JSON number does not.
  if (v.is_string() || (v.plain() && v.is_scalar())) {
    *out = v.text();
    return absl::OkStatus();
  }
  return TypeError(v, "a string");
}

template <class N>
absl::Status Decoder<N>::AsBool(const N& v, bool* out) {
  if (v.kind() != Value::Kind::kBool) return TypeError(v, "a bool");
  *out = v.boolean();
  return absl::OkStatus();
}

template <class N>
absl::Status Decoder<N>::AsInt(const N& v, int64_t* out) {
  if (v.kind() == Value::Kind::kFloat && v.plain() && WholeNumber(v.text(), out))
    return absl::OkStatus();
  if (v.kind() != Value::Kind::kInt) return TypeError(v, "an integer");
  if (!v.Int(out))
    return Error(v, absl::StrCat("integer ", std::string(v.text()), " is out of range"));
  return absl::OkStatus();
}

#define SYM_SCALAR_FIELD(Type, Convert)                                           \
  template <class N>                                                              \
  absl::Status Decoder<N>::Field(const N& map, std::string_view key, Type* out) { \
    N v = map.Find(key);                                                          \
    if (!v || v.is_null()) return absl::OkStatus();                               \
    Scope scope(path_, key);                                                      \
    return Convert(v, out);                                                       \
  }
SYM_SCALAR_FIELD(Str, AsString)
SYM_SCALAR_FIELD(bool, AsBool)
SYM_SCALAR_FIELD(int64_t, AsInt)
#undef SYM_SCALAR_FIELD

template <class N>
absl::Status Decoder<N>::Field(const N& map, std::string_view key, std::optional<bool>* out) {
  bool b = false;
  if (!IsSet(map, key)) return absl::OkStatus();
  SYM_RETURN_IF_ERROR(Field(map, key, &b));
  *out = b;
  return absl::OkStatus();
}

template <class N>
absl::Status Decoder<N>::Field(const N& map, std::string_view key, std::optional<int64_t>* out) {
  int64_t n = 0;
  if (!IsSet(map, key)) return absl::OkStatus();
  SYM_RETURN_IF_ERROR(Field(map, key, &n));
  *out = n;
  return absl::OkStatus();
}

template <class N>
absl::Status Decoder<N>::Field(const N& map, std::string_view key, List<Str>* out) {
  N v = map.Find(key);
  if (!v || v.is_null()) return absl::OkStatus();
  Scope scope(path_, key);
  if (!v.is_list()) return TypeError(v, "a list of strings");
  size_t i = 0;
  for (N item : v.items()) {
    Scope index(path_, i++);
    Str s;
    if (!item.is_null()) SYM_RETURN_IF_ERROR(AsString(item, &s));
    out->Append(arena_, s);
  }
  return absl::OkStatus();
}

template <class N>
absl::Status Decoder<N>::Field(const N& map, std::string_view key, StringMap* out) {
  N v = map.Find(key);
  if (!v || v.is_null()) return absl::OkStatus();
  Scope scope(path_, key);
  if (!v.is_map()) return TypeError(v, "a map of strings");
  out->present = true;
  for (NodeMember<N> m : v.members()) {
    Scope member(path_, m.key);
    Str s;
    if (!m.value.is_null()) SYM_RETURN_IF_ERROR(AsString(m.value, &s));
    out->entries.Append(arena_, StringPair{m.key, s});
  }
  return absl::OkStatus();
}

template <class N>
absl::Status Decoder<N>::QuantityMap(const N& map, std::string_view key, StringMap* out) {
  N v = map.Find(key);
  if (!v || v.is_null()) return absl::OkStatus();
  Scope scope(path_, key);
  if (!v.is_map()) return TypeError(v, "a map of quantities");
  out->present = true;
  for (NodeMember<N> m : v.members()) {
    Scope member(path_, m.key);
    // As resource.Quantity's UnmarshalJSON: null is the zero quantity, a
    // string or number is parsed with surrounding spaces trimmed, and a
    // value that does not parse makes the whole object undecodable.
    if (m.value.is_null()) {
      out->entries.Append(arena_, StringPair{m.key, "0"});
      continue;
    }
    Value::Kind kind = m.value.kind();
    bool number = kind == Value::Kind::kInt || kind == Value::Kind::kFloat;
    if (!m.value.is_string() && !number) return TypeError(m.value, "a quantity");
    std::string_view text = m.value.text();
    text.remove_prefix(std::min(text.find_first_not_of(" \t\r\n"), text.size()));
    text.remove_suffix(text.size() - (text.find_last_not_of(" \t\r\n") + 1));
    if (absl::StatusOr<Quantity> q = Quantity::Parse(text); !q.ok())
      return Error(m.value, absl::StrCat("invalid quantity \"", std::string(m.value.text()),
                                         "\": ", q.status().message()));
    out->entries.Append(arena_, StringPair{m.key, text});
  }
  return absl::OkStatus();
}

template <class N>
absl::Status DecodeMeta(Decoder<N>& d, const N& root, TypeMeta* type, ObjectMeta* meta) {
  SYM_RETURN_IF_ERROR(d.Field(root, "apiVersion", &type->api_version));
  SYM_RETURN_IF_ERROR(d.Field(root, "kind", &type->kind));
  return d.Embedded(root, "metadata", meta, [](Decoder<N>& d, const N& v, ObjectMeta* m) {
    SYM_RETURN_IF_ERROR(d.Field(v, "name", &m->name));
    SYM_RETURN_IF_ERROR(d.Field(v, "namespace", &m->namespace_));
    SYM_RETURN_IF_ERROR(d.Field(v, "uid", &m->uid));
    SYM_RETURN_IF_ERROR(d.Field(v, "labels", &m->labels));
    SYM_RETURN_IF_ERROR(d.Field(v, "annotations", &m->annotations));
    Str deletion;
    SYM_RETURN_IF_ERROR(d.Field(v, "deletionTimestamp", &deletion));
    m->deletion_timestamp_set = IsSet(v, "deletionTimestamp");
    return absl::OkStatus();
  });
}

template <class N>
absl::Status DecodeEnvVar(Decoder<N>& d, const N& v, EnvVar* out) {
  SYM_RETURN_IF_ERROR(d.Field(v, "name", &out->name));
  SYM_RETURN_IF_ERROR(d.Field(v, "value", &out->value));
  out->value_set = IsSet(v, "value");
  return d.Object(v, "valueFrom", &out->value_from, [](Decoder<N>& d, const N& v, EnvVarSource* s) {
    return d.Object(v, "secretKeyRef", &s->secret_key_ref,
                    [](Decoder<N>& d, const N& v, SecretKeySelector* k) {
                      SYM_RETURN_IF_ERROR(d.Field(v, "name", &k->name));
                      SYM_RETURN_IF_ERROR(d.Field(v, "key", &k->key));
                      return d.Field(v, "optional", &k->optional);
                    });
  });
}

template <class N>
absl::Status DecodeRbacRule(Decoder<N>& d, const N& v, RbacRule* out) {
  SYM_RETURN_IF_ERROR(d.Field(v, "apiGroups", &out->api_groups));
  SYM_RETURN_IF_ERROR(d.Field(v, "resources", &out->resources));
  return d.Field(v, "verbs", &out->verbs);
}

template <class N>
absl::Status DecodeVolume(Decoder<N>& d, const N& v, Volume* out) {
  SYM_RETURN_IF_ERROR(d.Field(v, "name", &out->name));
  out->source = Value::EmptyMap();
  out->source.mark = v.mark();
  for (NodeMember<N> m : v.members()) {
    if (m.key == "name") continue;
    Member member;
    member.key = m.key;
    member.value = m.value.ToValue(d.arena());
    member.key_mark = m.key_mark;
    out->source.members.Append(d.arena(), member);
  }
  return absl::OkStatus();
}

template <class N>
absl::Status DecodeSkillRef(Decoder<N>& d, const N& v, SkillRef* out) {
  SYM_RETURN_IF_ERROR(d.Field(v, "skillPackRef", &out->skill_pack_ref));
  SYM_RETURN_IF_ERROR(d.Field(v, "configMapRef", &out->config_map_ref));
  return d.Field(v, "params", &out->params);
}

template <class N>
absl::Status DecodeResourceMaps(Decoder<N>& d, const N& v, ResourceMaps* out) {
  SYM_RETURN_IF_ERROR(d.Field(v, "requests", &out->requests));
  return d.Field(v, "limits", &out->limits);
}

template <class N>
absl::Status ExpectKind(Decoder<N>& d, const N& root, std::string_view want_kind,
                        std::string_view want_api) {
  if (!root.is_map()) return d.TypeError(root, "an object");
  N kind = root.Find("kind");
  N api = root.Find("apiVersion");
  std::string_view got_kind = kind && kind.is_string() ? kind.text() : "";
  if (got_kind != want_kind) {
    typename Decoder<N>::Scope scope(d.path(), "kind");
    return d.Error(kind ? kind : root,
                   got_kind.empty()
                       ? absl::StrCat("missing kind, expected ", std::string(want_kind))
                       : absl::StrCat("expected kind ", std::string(want_kind), ", got ",
                                      std::string(got_kind)));
  }
  std::string_view got_api = api && api.is_string() ? api.text() : "";
  if (!want_api.empty() && got_api != want_api) {
    typename Decoder<N>::Scope scope(d.path(), "apiVersion");
    return d.Error(api ? api : root,
                   absl::StrCat("expected apiVersion ", std::string(want_api), " for ",
                                std::string(want_kind), ", got \"", std::string(got_api), "\""));
  }
  return absl::OkStatus();
}

#define SYM_INSTANTIATE_SHARED(N)                                                  \
  template class Decoder<N>;                                                       \
  template absl::Status DecodeMeta(Decoder<N>&, const N&, TypeMeta*, ObjectMeta*); \
  template absl::Status DecodeEnvVar(Decoder<N>&, const N&, EnvVar*);              \
  template absl::Status DecodeRbacRule(Decoder<N>&, const N&, RbacRule*);          \
  template absl::Status DecodeVolume(Decoder<N>&, const N&, Volume*);              \
  template absl::Status DecodeSkillRef(Decoder<N>&, const N&, SkillRef*);          \
  template absl::Status DecodeResourceMaps(Decoder<N>&, const N&, ResourceMaps*);  \
  template absl::Status ExpectKind(Decoder<N>&, const N&, std::string_view, std::string_view);
SYM_INSTANTIATE_SHARED(ValueNode)
SYM_INSTANTIATE_SHARED(DomNode)
#undef SYM_INSTANTIATE_SHARED

}  // namespace sympozium::decode_internal
