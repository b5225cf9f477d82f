#include "tests/conformance/matchers.h"

#include "lib/write/write.h"
#include "sympozium/strings.h"

namespace sympozium::conformance {
namespace {

// Scalars compare by text within a class: YAML's 'true' (a string) is not
// the bool true, while 2 and 2 are equal whether read as int or float.
int ScalarClass(const Value& v) {
  switch (v.kind) {
    case Value::Kind::kString:
      return 0;
    case Value::Kind::kBool:
      return 1;
    case Value::Kind::kInt:
    case Value::Kind::kFloat:
      return 2;
    default:
      return 3;
  }
}

bool ScalarsEqual(const Value& a, const Value& b) {
  return ScalarClass(a) == ScalarClass(b) && a.text == b.text;
}

// Exact equality with the scalar rule above.
bool Equal(const Value& a, const Value& b) {
  if (a.is_scalar() && b.is_scalar()) return ScalarsEqual(a, b);
  if (a.kind != b.kind) return false;
  if (a.is_list()) {
    if (a.items.size() != b.items.size()) return false;
    for (size_t i = 0; i < a.items.size(); ++i)
      if (!Equal(a.items[i], b.items[i])) return false;
    return true;
  }
  if (a.is_map()) {
    if (a.members.size() != b.members.size()) return false;
    for (const Member& m : a.members) {
      const Value* other = b.Find(m.key);
      if (other == nullptr || !Equal(m.value, *other)) return false;
    }
  }
  return true;
}

std::string Join(const std::string& path, std::string_view key) {
  return path.empty() ? std::string(key) : StrCat(path, ".", key);
}

// The fields README's `objects` rule compares.
Value Project(Arena& arena, const Value& object) {
  Value out = Value::EmptyMap();
  for (std::string_view key : {"apiVersion", "kind", "rules", "roleRef", "subjects"})
    if (const Value* v = object.Find(key)) out.Set(arena, key, *v);
  if (const Value* meta = object.Find("metadata")) {
    Value m = Value::EmptyMap();
    for (std::string_view key : {"name", "namespace", "labels"})
      if (const Value* v = meta->Find(key)) m.Set(arena, key, *v);
    out.Set(arena, "metadata", m);
  }
  return out;
}

}  // namespace

std::string SubsetMismatch(const Value& want, const Value* got, const std::string& path) {
  if (want.is_null())
    return got == nullptr || got->is_null() ? ""
                                            : StrCat(path, ": want absent, got ", ToJson(*got));
  if (got == nullptr) return StrCat(path, ": missing, want ", ToJson(want));
  return SubsetMismatch(want, *got, path);
}

std::string SubsetMismatch(const Value& want, const Value& got, const std::string& path) {
  if (want.is_map()) {
    if (!got.is_map()) return StrCat(path, ": want an object, got ", ToJson(got));
    for (const Member& m : want.members)
      if (std::string d = SubsetMismatch(m.value, got.Find(m.key), Join(path, m.key)); !d.empty())
        return d;
    return "";
  }
  if (want.is_list()) {
    if (!got.is_list() || got.items.size() != want.items.size())
      return StrCat(path, ": want ", ToJson(want), ", got ", ToJson(got));
    for (size_t i = 0; i < want.items.size(); ++i)
      if (std::string d = SubsetMismatch(want.items[i], got.items[i], StrCat(path, "[", i, "]"));
          !d.empty())
        return d;
    return "";
  }
  if (want.is_null()) return got.is_null() ? "" : StrCat(path, ": want null, got ", ToJson(got));
  return ScalarsEqual(want, got) ? ""
                                 : StrCat(path, ": want ", ToJson(want), ", got ", ToJson(got));
}

std::string ObjectsMismatch(const Value& want_list, const std::vector<Document>& got) {
  if (!want_list.is_list()) return "expect.objects is not a list";
  Arena arena;
  std::vector<Value> want;
  for (const Value& w : want_list.items) want.push_back(Project(arena, w));
  std::vector<bool> used(want.size(), false);
  std::string out;
  for (const Document& g : got) {
    Value projected = Project(arena, g.root());
    bool matched = false;
    for (size_t i = 0; i < want.size() && !matched; ++i)
      if (!used[i] && Equal(want[i], projected)) used[i] = matched = true;
    if (!matched) StrAppend(&out, out.empty() ? "" : "; ", "unexpected object ", ToJson(projected));
  }
  for (size_t i = 0; i < want.size(); ++i)
    if (!used[i]) StrAppend(&out, out.empty() ? "" : "; ", "missing object ", ToJson(want[i]));
  return out;
}

}  // namespace sympozium::conformance
