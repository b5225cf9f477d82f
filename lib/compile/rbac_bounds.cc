#include "lib/compile/rbac_bounds.h"

#include "sympozium/strings.h"

namespace sympozium::compile_internal {

bool RequestedResourceIsDenied(std::string_view requested,
                               const absl::flat_hash_set<std::string>& denied, bool strict) {
  if (denied.empty()) return false;
  if (denied.contains(AsAbsl(requested))) return true;
  if (!strict) return false;
  if (requested == "*") return true;
  size_t slash = requested.find('/');
  return slash != std::string_view::npos && denied.contains(AsAbsl(requested.substr(0, slash)));
}

}  // namespace sympozium::compile_internal
