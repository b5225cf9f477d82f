// The name a SkillPack goes by: a skillPackRef or metadata.name without one
// leading "skillpack-" (docs/checks.md#skillpack-admission). Cluster lookups,
// the sidecar checks and the RBAC objects all name a pack this way.
#ifndef SYMPOZIUM_LIB_DECODE_SKILL_PACK_NAME_H_
#define SYMPOZIUM_LIB_DECODE_SKILL_PACK_NAME_H_

#include <string_view>

namespace sympozium {

inline std::string_view SkillPackName(std::string_view ref) {
  constexpr std::string_view kPrefix = "skillpack-";
  if (ref.substr(0, kPrefix.size()) == kPrefix) ref.remove_prefix(kPrefix.size());
  return ref;
}

}  // namespace sympozium

#endif  // SYMPOZIUM_LIB_DECODE_SKILL_PACK_NAME_H_
