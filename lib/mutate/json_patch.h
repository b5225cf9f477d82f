// RFC 6902 JSON Patch applied to a tree (what a mutating webhook's answer
// does to the object), for tests that hold a patch to the object it makes.
#ifndef SYMPOZIUM_LIB_MUTATE_JSON_PATCH_H_
#define SYMPOZIUM_LIB_MUTATE_JSON_PATCH_H_

#include "absl/status/status.h"
#include "lib/base/arena.h"
#include "lib/base/value.h"

namespace sympozium {

// Applies an RFC 6902 patch to `*doc`, all or nothing: the operations add,
// replace and remove (what webhook patches use); others are an error, as is
// a path that does not exist. New nodes are allocated in `arena`.
absl::Status ApplyJsonPatch(Arena& arena, Value* doc, const Value& patch);

}  // namespace sympozium

#endif  // SYMPOZIUM_LIB_MUTATE_JSON_PATCH_H_
