// PatchRecorder: edits a Value tree and records each edit as an RFC 6902
// operation, so the mutated object and its JSON Patch cannot disagree.
#ifndef SYMPOZIUM_LIB_MUTATE_PATCH_RECORDER_H_
#define SYMPOZIUM_LIB_MUTATE_PATCH_RECORDER_H_

#include <initializer_list>
#include <string_view>

#include "lib/base/arena.h"
#include "lib/base/value.h"

namespace sympozium::mutate_internal {

// A path of map keys from the root, e.g. {"metadata", "labels", "team"}.
using KeyPath = std::initializer_list<std::string_view>;

class PatchRecorder {
 public:
  // `root` must be a map allocated in `arena`; the recorder edits it in place.
  PatchRecorder(Arena& arena, Value* root) : arena_(arena), root_(root) {}

  // The value at `path`, or nullptr when it or any parent is absent or null
  // (Go decodes null as absent).
  const Value* Get(KeyPath path) const;
  // Whether the last key of `path` is a member, even with a null value (a Go
  // map keeps a key whose value is null).
  bool Has(KeyPath path) const;

  // Puts a copy of `value` at `path`: "replace" when the member exists,
  // "add" otherwise. A missing or null parent is created with the value
  // inside it, in the same operation, as Kubernetes webhook patches do.
  // Setting an equal value records nothing.
  void Set(KeyPath path, const Value& value);

  // The operations so far, each a map {op, path, value}, in the order made.
  const Value& ops() const { return ops_; }
  bool empty() const { return ops_.items.empty(); }

 private:
  // The map holding the last key of `path`, or nullptr.
  const Value* Parent(KeyPath path) const;

  Arena& arena_;
  Value* root_;
  Value ops_ = Value::EmptyList();
};

}  // namespace sympozium::mutate_internal

#endif  // SYMPOZIUM_LIB_MUTATE_PATCH_RECORDER_H_
