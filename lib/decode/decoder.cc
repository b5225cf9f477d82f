#include "lib/decode/decoder.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "sympozium/diagnostic.h"

namespace sympozium::decode_internal {
namespace {

const char* KindName(const Value& v) {
  switch (v.kind) {
    case Value::Kind::kNull:
      return "null";
    case Value::Kind::kBool:
      return "a bool";
    case Value::Kind::kInt:
    case Value::Kind::kFloat:
      return "a number";
    case Value::Kind::kString:
      return "a string";
    case Value::Kind::kList:
      return "a list";
    case Value::Kind::kMap:
      return "an object";
  }
  return "a value";
}

}  // namespace

absl::Status Decoder::Error(const Value& at, std::string_view message) {
  return ToStatus(Diagnostic::Error("decode.error", path_.ToString(), std::string(message),
                                    std::string(source_), at.mark));
}

absl::Status Decoder::TypeError(const Value& at, std::string_view expected) {
  std::string got = KindName(at);
  if (at.is_scalar()) absl::StrAppend(&got, " (", std::string(at.text.substr(0, 40)), ")");
  return Error(at, absl::StrCat("expected ", std::string(expected), ", got ", got));
}

absl::Status Decoder::AsString(const Value& v, Str* out) {
  // A YAML scalar written without quotes reads as a string where Go wants
  // one (sigs.k8s.io/yaml does the same); a JSON number does not.
  if (v.is_string() || (v.plain && v.is_scalar())) {
    *out = v.text;
    return absl::OkStatus();
  }
  return TypeError(v, "a string");
}

absl::Status Decoder::AsBool(const Value& v, bool* out) {
  if (v.kind != Value::Kind::kBool) return TypeError(v, "a bool");
  *out = v.boolean;
  return absl::OkStatus();
}

absl::Status Decoder::AsInt(const Value& v, int64_t* out) {
  if (v.kind != Value::Kind::kInt) return TypeError(v, "an integer");
  if (!absl::SimpleAtoi(absl::string_view(v.text.data(), v.text.size()), out))
    return Error(v, absl::StrCat("integer ", std::string(v.text), " is out of range"));
  return absl::OkStatus();
}

#define SYM_SCALAR_FIELD(Type, Convert)                                            \
  absl::Status Decoder::Field(const Value& map, std::string_view key, Type* out) { \
    const Value* v = map.Find(key);                                                \
    if (v == nullptr || v->is_null()) return absl::OkStatus();                     \
    Path::Scope scope(path_, key);                                                 \
    return Convert(*v, out);                                                       \
  }
SYM_SCALAR_FIELD(Str, AsString)
SYM_SCALAR_FIELD(bool, AsBool)
SYM_SCALAR_FIELD(int64_t, AsInt)
#undef SYM_SCALAR_FIELD

absl::Status Decoder::Field(const Value& map, std::string_view key, std::optional<bool>* out) {
  bool b = false;
  if (const Value* v = map.Find(key); v == nullptr || v->is_null()) return absl::OkStatus();
  SYM_RETURN_IF_ERROR(Field(map, key, &b));
  *out = b;
  return absl::OkStatus();
}

absl::Status Decoder::Field(const Value& map, std::string_view key, std::optional<int64_t>* out) {
  int64_t n = 0;
  if (const Value* v = map.Find(key); v == nullptr || v->is_null()) return absl::OkStatus();
  SYM_RETURN_IF_ERROR(Field(map, key, &n));
  *out = n;
  return absl::OkStatus();
}

absl::Status Decoder::Field(const Value& map, std::string_view key, List<Str>* out) {
  const Value* v = map.Find(key);
  if (v == nullptr || v->is_null()) return absl::OkStatus();
  Path::Scope scope(path_, key);
  if (!v->is_list()) return TypeError(*v, "a list of strings");
  for (size_t i = 0; i < v->items.size(); ++i) {
    Path::Scope index(path_, i);
    Str s;
    if (!v->items[i].is_null()) SYM_RETURN_IF_ERROR(AsString(v->items[i], &s));
    out->Append(arena_, s);
  }
  return absl::OkStatus();
}

absl::Status Decoder::Field(const Value& map, std::string_view key, StringMap* out) {
  const Value* v = map.Find(key);
  if (v == nullptr || v->is_null()) return absl::OkStatus();
  Path::Scope scope(path_, key);
  if (!v->is_map()) return TypeError(*v, "a map of strings");
  out->present = true;
  for (const Member& m : v->members) {
    Path::Scope member(path_, m.key);
    Str s;
    if (!m.value.is_null()) SYM_RETURN_IF_ERROR(AsString(m.value, &s));
    out->entries.Append(arena_, StringPair{m.key, s});
  }
  return absl::OkStatus();
}

absl::Status Decoder::QuantityMap(const Value& map, std::string_view key, StringMap* out) {
  const Value* v = map.Find(key);
  if (v == nullptr || v->is_null()) return absl::OkStatus();
  Path::Scope scope(path_, key);
  if (!v->is_map()) return TypeError(*v, "a map of quantities");
  out->present = true;
  for (const Member& m : v->members) {
    Path::Scope member(path_, m.key);
    bool number = m.value.kind == Value::Kind::kInt || m.value.kind == Value::Kind::kFloat;
    if (!m.value.is_string() && !number) return TypeError(m.value, "a quantity");
    out->entries.Append(arena_, StringPair{m.key, m.value.text});
  }
  return absl::OkStatus();
}

absl::Status DecodeMeta(Decoder& d, const Value& root, TypeMeta* type, ObjectMeta* meta) {
  SYM_RETURN_IF_ERROR(d.Field(root, "apiVersion", &type->api_version));
  SYM_RETURN_IF_ERROR(d.Field(root, "kind", &type->kind));
  return d.Embedded(root, "metadata", meta, [](Decoder& d, const Value& v, ObjectMeta* m) {
    SYM_RETURN_IF_ERROR(d.Field(v, "name", &m->name));
    SYM_RETURN_IF_ERROR(d.Field(v, "namespace", &m->namespace_));
    SYM_RETURN_IF_ERROR(d.Field(v, "uid", &m->uid));
    SYM_RETURN_IF_ERROR(d.Field(v, "labels", &m->labels));
    SYM_RETURN_IF_ERROR(d.Field(v, "annotations", &m->annotations));
    Str deletion;
    SYM_RETURN_IF_ERROR(d.Field(v, "deletionTimestamp", &deletion));
    const Value* ts = v.Find("deletionTimestamp");
    m->deletion_timestamp_set = ts != nullptr && !ts->is_null();
    return absl::OkStatus();
  });
}

absl::Status DecodeEnvVar(Decoder& d, const Value& v, EnvVar* out) {
  SYM_RETURN_IF_ERROR(d.Field(v, "name", &out->name));
  SYM_RETURN_IF_ERROR(d.Field(v, "value", &out->value));
  const Value* value = v.Find("value");
  out->value_set = value != nullptr && !value->is_null();
  return d.Object(v, "valueFrom", &out->value_from,
                  [](Decoder& d, const Value& v, EnvVarSource* s) {
                    return d.Object(v, "secretKeyRef", &s->secret_key_ref,
                                    [](Decoder& d, const Value& v, SecretKeySelector* k) {
                                      SYM_RETURN_IF_ERROR(d.Field(v, "name", &k->name));
                                      SYM_RETURN_IF_ERROR(d.Field(v, "key", &k->key));
                                      return d.Field(v, "optional", &k->optional);
                                    });
                  });
}

absl::Status DecodeRbacRule(Decoder& d, const Value& v, RbacRule* out) {
  SYM_RETURN_IF_ERROR(d.Field(v, "apiGroups", &out->api_groups));
  SYM_RETURN_IF_ERROR(d.Field(v, "resources", &out->resources));
  return d.Field(v, "verbs", &out->verbs);
}

absl::Status DecodeVolume(Decoder& d, const Value& v, Volume* out) {
  SYM_RETURN_IF_ERROR(d.Field(v, "name", &out->name));
  out->source = Value::EmptyMap();
  out->source.mark = v.mark;
  for (const Member& m : v.members)
    if (m.key != "name") out->source.members.Append(d.arena(), m);
  return absl::OkStatus();
}

absl::Status DecodeSkillRef(Decoder& d, const Value& v, SkillRef* out) {
  SYM_RETURN_IF_ERROR(d.Field(v, "skillPackRef", &out->skill_pack_ref));
  SYM_RETURN_IF_ERROR(d.Field(v, "configMapRef", &out->config_map_ref));
  return d.Field(v, "params", &out->params);
}

absl::Status DecodeResourceMaps(Decoder& d, const Value& v, ResourceMaps* out) {
  SYM_RETURN_IF_ERROR(d.Field(v, "requests", &out->requests));
  return d.Field(v, "limits", &out->limits);
}

absl::Status ExpectKind(Decoder& d, const Value& root, std::string_view want_kind,
                        std::string_view want_api) {
  if (!root.is_map()) return d.TypeError(root, "an object");
  const Value* kind = root.Find("kind");
  const Value* api = root.Find("apiVersion");
  std::string_view got_kind = kind != nullptr && kind->is_string() ? kind->text : "";
  if (got_kind != want_kind) {
    Path::Scope scope(d.path(), "kind");
    return d.Error(kind ? *kind : root,
                   got_kind.empty()
                       ? absl::StrCat("missing kind, expected ", std::string(want_kind))
                       : absl::StrCat("expected kind ", std::string(want_kind), ", got ",
                                      std::string(got_kind)));
  }
  std::string_view got_api = api != nullptr && api->is_string() ? api->text : "";
  if (!want_api.empty() && got_api != want_api) {
    Path::Scope scope(d.path(), "apiVersion");
    return d.Error(api ? *api : root,
                   absl::StrCat("expected apiVersion ", std::string(want_api), " for ",
                                std::string(want_kind), ", got \"", std::string(got_api), "\""));
  }
  return absl::OkStatus();
}

}  // namespace sympozium::decode_internal
