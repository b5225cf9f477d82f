#include "lib/rbac/object_builder.h"

namespace sympozium::rbac_internal {

Value ObjectBuilder::Map(std::initializer_list<std::pair<std::string_view, Value>> members) const {
  Value map = Value::EmptyMap();
  for (const auto& [key, value] : members) map.Set(arena_, key, value);
  return map;
}

Value ObjectBuilder::ListOf(std::initializer_list<Value> items) const {
  Value list = Value::EmptyList();
  for (const Value& item : items) list.Push(arena_, item);
  return list;
}

Value ObjectBuilder::Strings(const List<Str>& items) const {
  Value list = Value::EmptyList();
  for (Str s : items) list.Push(arena_, String(s));
  return list;
}

Value ObjectBuilder::Object(std::string_view api_version, std::string_view kind,
                            std::string_view name, std::string_view namespace_) const {
  Value metadata = Map({{"name", String(name)}});
  if (!namespace_.empty()) metadata.Set(arena_, "namespace", String(namespace_));
  return Map({{"apiVersion", String(api_version)}, {"kind", String(kind)}, {"metadata", metadata}});
}

}  // namespace sympozium::rbac_internal
