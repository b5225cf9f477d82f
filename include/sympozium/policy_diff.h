// Comparing and describing compiled policies: what changes for users
// between two policies (`sympozium-policy diff`, docs/cli.md#diff) and a
// policy's main settings a line each (`sympozium-policy presets`).
#ifndef SYMPOZIUM_POLICY_DIFF_H_
#define SYMPOZIUM_POLICY_DIFF_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "sympozium/export.h"
#include "sympozium/policy.h"

SYMPOZIUM_API_BEGIN
namespace sympozium {

// Whether a change restricts more (tighter), less (looser), or neither.
enum class ChangeDirection : uint8_t { kTighter, kLooser, kChanged };
std::string_view ChangeDirectionName(ChangeDirection d);  // "tighter", ...

// One line of a diff: `field` went from `before` to `after`. For an
// allowlist entry that was added or removed, the other side is "".
struct PolicyChange {
  std::string field;  // a tool name ("*": any other tool) or a spec path
  std::string before;
  std::string after;
  ChangeDirection direction;
};

struct PolicyDiff {
  // Tool decisions for a run without its own toolPolicy: the built-in
  // tools, every tool either policy names, then "*" (defaultAction).
  std::vector<PolicyChange> tools;
  // Caps and limits, sandbox requirements, allowlists, denied resources,
  // feature gates and the network policy, in that order.
  std::vector<PolicyChange> settings;
  size_t counts[3] = {0, 0, 0};  // indexed by ChangeDirection

  size_t tighter() const { return counts[static_cast<int>(ChangeDirection::kTighter)]; }
  size_t looser() const { return counts[static_cast<int>(ChangeDirection::kLooser)]; }
  size_t changed() const { return counts[static_cast<int>(ChangeDirection::kChanged)]; }
  size_t total() const { return counts[0] + counts[1] + counts[2]; }
};

PolicyDiff DiffPolicies(const CompiledPolicy& before, const CompiledPolicy& after);

// A policy's main settings as people read them: ("sandbox required",
// "yes"), ("maxCPU / maxMemory", "2 / 4Gi"), ... in a fixed order, the same
// names for every policy, so that policies can be shown side by side.
struct PolicySetting {
  std::string name;
  std::string value;
};
std::vector<PolicySetting> DescribeSettings(const CompiledPolicy& policy);

}  // namespace sympozium
SYMPOZIUM_API_END

#endif  // SYMPOZIUM_POLICY_DIFF_H_
