// Building Kubernetes objects as Value trees (rbac/ and the NetworkPolicy
// generator). Every string is copied into the builder's arena, so the
// objects outlive the documents they were made from.
#ifndef SYMPOZIUM_LIB_RBAC_OBJECT_BUILDER_H_
#define SYMPOZIUM_LIB_RBAC_OBJECT_BUILDER_H_

#include <cstdint>
#include <initializer_list>
#include <string_view>
#include <utility>

#include "lib/base/arena.h"
#include "lib/base/value.h"
#include "lib/decode/model.h"

namespace sympozium::rbac_internal {

class ObjectBuilder {
 public:
  explicit ObjectBuilder(Arena& arena) : arena_(arena) {}

  Arena& arena() const { return arena_; }

  Value String(std::string_view s) const { return Value::String(arena_, s); }
  Value Int(int64_t n) const { return Value::Int(arena_, n); }
  // A map with these members, in this order.
  Value Map(std::initializer_list<std::pair<std::string_view, Value>> members) const;
  Value ListOf(std::initializer_list<Value> items) const;
  Value Strings(const List<Str>& items) const;
  // {apiVersion, kind, metadata: {name, namespace}}; the namespace is left
  // out when empty (cluster-scoped kinds, or "the current namespace").
  Value Object(std::string_view api_version, std::string_view kind, std::string_view name,
               std::string_view namespace_) const;

 private:
  Arena& arena_;
};

}  // namespace sympozium::rbac_internal

#endif  // SYMPOZIUM_LIB_RBAC_OBJECT_BUILDER_H_
