// rbacFor on decoded objects (docs/rbac.md); sympozium/rbac.h takes documents.
#ifndef SYMPOZIUM_LIB_RBAC_RBAC_FOR_H_
#define SYMPOZIUM_LIB_RBAC_RBAC_FOR_H_

#include <vector>

#include "lib/decode/model.h"
#include "sympozium/rbac.h"

namespace sympozium {

// As RbacFor of documents, for packs and a run already decoded (null
// entries of `packs` are skipped).
RbacResult RbacFor(const std::vector<const SkillPack*>& packs, const AgentRun& run,
                   const RbacOptions& options = {});

}  // namespace sympozium

#endif  // SYMPOZIUM_LIB_RBAC_RBAC_FOR_H_
