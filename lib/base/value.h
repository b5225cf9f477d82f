// Value: the generic document tree every input is read into first.
//
// YAML (yaml-cpp) and JSON (simdjson) both produce this one tree, so the
// typed decoders, the schema checks, mutation and the writers are written
// once. Nodes are plain data in an Arena (see arena.h) and remember where
// they came from (line and column) for error messages.
#ifndef SYMPOZIUM_LIB_BASE_VALUE_H_
#define SYMPOZIUM_LIB_BASE_VALUE_H_

#include <cstdint>
#include <string_view>

#include "lib/base/arena.h"
#include "sympozium/diagnostic.h"  // Mark

namespace sympozium {

struct Member;

struct Value {
  enum class Kind : uint8_t { kNull, kBool, kInt, kFloat, kString, kList, kMap };

  Kind kind = Kind::kNull;
  bool boolean = false;
  // A YAML scalar written without quotes. Go's sigs.k8s.io/yaml turns such a
  // scalar into a string when the field is a string (`maxCPU: 2` -> "2"),
  // so decoders accept it there; a JSON number in a string field is an error.
  bool plain = false;
  // kString: the string. kInt/kFloat: the number as written. kBool: the
  // literal. Empty for kNull, kList, kMap.
  std::string_view text;
  List<Value> items;     // kList
  List<Member> members;  // kMap, in document order
  Mark mark;

  bool is_null() const { return kind == Kind::kNull; }
  bool is_map() const { return kind == Kind::kMap; }
  bool is_list() const { return kind == Kind::kList; }
  bool is_string() const { return kind == Kind::kString; }
  bool is_scalar() const {
    return kind != Kind::kList && kind != Kind::kMap && kind != Kind::kNull;
  }

  // The member value for `key` in a map, or nullptr (also for non-maps).
  const Value* Find(std::string_view key) const;
  Value* FindMutable(std::string_view key);

  // Builders for trees made in memory (mutation, RBAC objects, reports).
  static Value Null() { return Value(); }
  static Value Bool(bool b);
  static Value Int(Arena& arena, int64_t n);
  static Value String(Arena& arena, std::string_view s);  // copies s
  static Value StringView(std::string_view s);            // s must outlive the tree
  static Value EmptyMap();
  static Value EmptyList();

  // Map editing; keys are copied. Set replaces an existing member in place.
  Value& Set(Arena& arena, std::string_view key, const Value& v);
  bool Remove(std::string_view key);
  Value& Push(Arena& arena, const Value& v) { return items.Append(arena, v); }
};

struct Member {
  std::string_view key;
  Value value;
  Mark key_mark;
};

// Deep copy of a tree into `arena` (for example, from a parsed document into
// a result that must outlive it).
Value CopyValue(Arena& arena, const Value& v);

// Structural equality: same kinds, strings and numbers by text, maps
// order-insensitive, lists in order.
bool ValueEquals(const Value& a, const Value& b);

}  // namespace sympozium

#endif  // SYMPOZIUM_LIB_BASE_VALUE_H_
