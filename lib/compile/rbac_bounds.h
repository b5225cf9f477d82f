// Whether a requested RBAC resource hits a policy's deniedResources
// (docs/checks.md, check 15 and rule S4).
#ifndef SYMPOZIUM_LIB_COMPILE_RBAC_BOUNDS_H_
#define SYMPOZIUM_LIB_COMPILE_RBAC_BOUNDS_H_

#include <string>
#include <string_view>

#include "absl/container/flat_hash_set.h"

namespace sympozium::compile_internal {

// compat: exact match only. strict: also `*` (every resource) and
// `res/sub` when `res` is denied.
bool RequestedResourceIsDenied(std::string_view requested,
                               const absl::flat_hash_set<std::string>& denied, bool strict);

}  // namespace sympozium::compile_internal

#endif  // SYMPOZIUM_LIB_COMPILE_RBAC_BOUNDS_H_
