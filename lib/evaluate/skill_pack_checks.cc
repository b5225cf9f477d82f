// SkillPack admission (docs/checks.md#skillpack-admission): the sidecar tool checks on one pack.
#include "absl/container/flat_hash_set.h"
#include "lib/evaluate/checks.h"
#include "lib/evaluate/sidecar_tools.h"
#include "sympozium/evaluate.h"
#include "sympozium/strings.h"

namespace sympozium {

Decision EvaluateSkillPack(const SkillPack& pack, const EvaluateOptions& options) {
  const std::optional<Sidecar>& sidecar = pack.spec.sidecar;
  if (!sidecar || sidecar->tools.empty())
    return Decision::Allow("no sidecar tools to validate", options.mode);
  Decision decision;
  decision.mode = options.mode;
  std::string_view name = pack.metadata.name;
  absl::flat_hash_set<std::string_view> seen;
  for (size_t i = 0; i < sidecar->tools.size(); ++i) {
    const SidecarTool& tool = sidecar->tools[i];
    std::string path = StrCat("spec.sidecar.tools[", i, "]");
    for (auto& problem : evaluate_internal::CheckToolStructure(tool, name))
      decision.Deny("sidecar_tool.invalid", std::move(problem.message),
                    StrCat(path, ".", problem.field));
    if (!seen.insert(tool.name).second)
      decision.Deny("sidecar_tool.duplicate",
                    StrCat("SkillPack ", Quote(name), " declares sidecar tool ", Quote(tool.name),
                           " more than once"),
                    StrCat(path, ".name"));
  }
  if (decision.violations.empty()) return Decision::Allow("sidecar tools validated", options.mode);
  return decision;
}

}  // namespace sympozium
