#include "lib/evaluate/volume_equality.h"

#include <string_view>

#include "lib/base/quantity.h"

namespace sympozium::evaluate_internal {
namespace {

// A member that decodes to Go's zero value for a collection.
bool IsEmpty(const Value& v) {
  return v.is_null() || (v.is_map() && v.members.empty()) || (v.is_list() && v.items.empty());
}

// Fields of VolumeSource typed resource.Quantity: emptyDir.sizeLimit and
// the resource maps of an ephemeral volume's claim template.
bool IsQuantityField(std::string_view key, std::string_view parent) {
  return key == "sizeLimit" || parent == "requests" || parent == "limits";
}

bool Equal(const Value& a, const Value& b, std::string_view key, std::string_view parent);

bool MapsEqual(const Value& a, const Value& b, std::string_view parent) {
  // Every non-empty member of one must equal the other's; empty ones match
  // absent ones.
  for (const Member& m : a.members) {
    const Value* other = b.Find(m.key);
    if (other == nullptr) {
      if (!IsEmpty(m.value)) return false;
    } else if (!Equal(m.value, *other, m.key, parent)) {
      return false;
    }
  }
  for (const Member& m : b.members)
    if (a.Find(m.key) == nullptr && !IsEmpty(m.value)) return false;
  return true;
}

bool Equal(const Value& a, const Value& b, std::string_view key, std::string_view parent) {
  if (IsEmpty(a) && IsEmpty(b)) return true;
  if (a.is_map() && b.is_map()) return MapsEqual(a, b, key);
  if (a.is_list() && b.is_list()) {
    if (a.items.size() != b.items.size()) return false;
    for (size_t i = 0; i < a.items.size(); ++i)
      if (!Equal(a.items[i], b.items[i], key, parent)) return false;
    return true;
  }
  if (!a.is_scalar() || !b.is_scalar()) return false;
  if (a.kind == b.kind && a.text == b.text) return true;
  if (IsQuantityField(key, parent)) {
    auto qa = Quantity::Parse(a.text);
    auto qb = Quantity::Parse(b.text);
    return qa.ok() && qb.ok() && *qa == *qb;
  }
  return false;
}

}  // namespace

bool VolumeSourcesEqual(const Value& a, const Value& b) { return Equal(a, b, "", ""); }

}  // namespace sympozium::evaluate_internal
