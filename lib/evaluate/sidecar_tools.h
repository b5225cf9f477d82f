// The structural checks of a SkillPack sidecar tool (docs/checks.md, check 4,
// docs/checks.md#skillpack-admission), shared by AgentRun admission and SkillPack admission.
#ifndef SYMPOZIUM_LIB_EVALUATE_SIDECAR_TOOLS_H_
#define SYMPOZIUM_LIB_EVALUATE_SIDECAR_TOOLS_H_

#include <string>
#include <string_view>
#include <vector>

#include "lib/decode/model.h"

namespace sympozium::evaluate_internal {

struct ToolProblem {
  std::string message;  // with the `SkillPack %q sidecar tool %q: ` prefix
  std::string field;    // the tool's field it concerns: "name", "exec", "parameters"...
};

// Every structural problem of `tool` in Go's check order; the first is the
// one Go reports. Where a check makes the later ones meaningless (a schema
// that cannot be read, positionals without parameters), those are skipped.
std::vector<ToolProblem> CheckToolStructure(const SidecarTool& tool, std::string_view pack);

}  // namespace sympozium::evaluate_internal

#endif  // SYMPOZIUM_LIB_EVALUATE_SIDECAR_TOOLS_H_
