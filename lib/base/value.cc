#include "lib/base/value.h"

#include <cstdio>

#include "lib/base/value_kind.h"

namespace sympozium {

const Value* Value::Find(std::string_view key) const {
  if (kind != Kind::kMap) return nullptr;
  for (const Member& m : members)
    if (m.key == key) return &m.value;
  return nullptr;
}

Value* Value::FindMutable(std::string_view key) {
  return const_cast<Value*>(static_cast<const Value*>(this)->Find(key));
}

Value Value::Bool(bool b) {
  Value v;
  v.kind = Kind::kBool;
  v.boolean = b;
  v.text = b ? "true" : "false";
  return v;
}

Value Value::Int(Arena& arena, int64_t n) {
  char buf[32];
  int len = std::snprintf(buf, sizeof(buf), "%lld", static_cast<long long>(n));
  Value v;
  v.kind = Kind::kInt;
  v.text = arena.Copy(std::string_view(buf, static_cast<size_t>(len)));
  return v;
}

Value Value::String(Arena& arena, std::string_view s) { return StringView(arena.Copy(s)); }

Value Value::StringView(std::string_view s) {
  Value v;
  v.kind = Kind::kString;
  v.text = s;
  return v;
}

Value Value::EmptyMap() {
  Value v;
  v.kind = Kind::kMap;
  return v;
}

Value Value::EmptyList() {
  Value v;
  v.kind = Kind::kList;
  return v;
}

Value& Value::Set(Arena& arena, std::string_view key, const Value& v) {
  if (Value* existing = FindMutable(key)) {
    *existing = v;
    return *existing;
  }
  Member m;
  m.key = arena.Copy(key);
  m.value = v;
  return members.Append(arena, m).value;
}

bool Value::Remove(std::string_view key) {
  for (size_t i = 0; i < members.size(); ++i) {
    if (members[i].key == key) {
      members.Erase(i);
      return true;
    }
  }
  return false;
}

Value CopyValue(Arena& arena, const Value& v) {
  Value out = v;
  out.text = arena.Copy(v.text);
  out.items = {};
  out.members = {};
  for (const Value& item : v.items) out.items.Append(arena, CopyValue(arena, item));
  for (const Member& m : v.members) {
    Member copy = m;
    copy.key = arena.Copy(m.key);
    copy.value = CopyValue(arena, m.value);
    out.members.Append(arena, copy);
  }
  return out;
}

bool ValueEquals(const Value& a, const Value& b) {
  if (a.kind != b.kind) return false;
  switch (a.kind) {
    case Value::Kind::kNull:
      return true;
    case Value::Kind::kBool:
      return a.boolean == b.boolean;
    case Value::Kind::kList:
      if (a.items.size() != b.items.size()) return false;
      for (size_t i = 0; i < a.items.size(); ++i)
        if (!ValueEquals(a.items[i], b.items[i])) return false;
      return true;
    case Value::Kind::kMap:
      if (a.members.size() != b.members.size()) return false;
      for (const Member& m : a.members) {
        const Value* other = b.Find(m.key);
        if (other == nullptr || !ValueEquals(m.value, *other)) return false;
      }
      return true;
    default:
      return a.text == b.text;
  }
}

const char* ValueKindName(Value::Kind kind) {
  switch (kind) {
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

}  // namespace sympozium
