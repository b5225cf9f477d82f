// Options and limits shared by every stage: the evaluation mode, tool
// actions, read limits, how a run finds its policy, and the options of
// compiling and evaluating. Small on purpose, so that a stage can name its
// options without including the stages above it (docs/library.md).
#ifndef SYMPOZIUM_OPTIONS_H_
#define SYMPOZIUM_OPTIONS_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sympozium/export.h"

SYMPOZIUM_API_BEGIN
namespace sympozium {

class CompiledPolicy;
class Cluster;

// strict (default): what Sympozium's Security page promises (docs/checks.md#strict-mode).
// compat: bug-for-bug parity with the Go webhook of Sympozium v0.10.46.
enum class Mode { kStrict, kCompat };
std::string_view ModeName(Mode mode);
bool ParseMode(std::string_view name, Mode* mode);

enum class ToolAction : uint8_t { kAllow = 0, kDeny = 1, kAsk = 2 };
std::string_view ToolActionName(ToolAction action);
// "allow", "deny", "ask" (exact); anything else is not an action.
std::optional<ToolAction> ParseToolAction(std::string_view name);

// Limits on what a reader or compiler accepts. Exceeding one is an error
// naming the limit (`limit.max_depth`), never a crash and never "allowed".
struct Limits {
  size_t max_bytes = 8u << 20;        // one input (file, request body)
  uint32_t max_depth = 64;            // nesting of maps and lists
  uint32_t max_documents = 100000;    // documents in one stream
  uint32_t max_nodes = 1000000;       // nodes in one input, all documents (bounds alias expansion)
  uint32_t max_list_length = 100000;  // items in one list or members in one map
  uint32_t max_tool_rules = 100000;   // spec.toolGating.rules in one policy
  uint32_t max_registries = 100000;   // spec.imagePolicy.allowedRegistries
};

const Limits& DefaultLimits();

// Calls f(name, field) for every field of `limits` (a Limits, const or not),
// in declaration order: the one table of limit names ("max_depth") that the
// C API and the Python module read, so a new limit is named once.
template <class L, class F>
void ForEachLimit(L& limits, F&& f) {
  f("max_bytes", limits.max_bytes);
  f("max_depth", limits.max_depth);
  f("max_documents", limits.max_documents);
  f("max_nodes", limits.max_nodes);
  f("max_list_length", limits.max_list_length);
  f("max_tool_rules", limits.max_tool_rules);
  f("max_registries", limits.max_registries);
}

enum class Format { kAuto, kYaml, kJson };

struct ReadOptions {
  Format format = Format::kAuto;  // kAuto: JSON if the first non-space byte is '{' or '['
  std::string source_name;        // used in messages, e.g. "policy.yaml"
  Limits limits = DefaultLimits();
  // A `kind: List` or typed list (`AgentRunList`, `PodList`, ...) stands
  // for its items. Off for a reader that needs the list itself (a
  // Kubernetes API client reads metadata.resourceVersion and continue).
  bool expand_lists = true;
};

struct CompileOptions {
  Mode mode = Mode::kStrict;
  Limits limits = DefaultLimits();
  // Tool names declared by SkillPacks the policy will see; with the built-in
  // tools they are the names a rule may use without an "unknown tool" warning.
  std::vector<std::string> known_tools;
};

// How a run finds its policy.
//  - Direct: `policy` is bound as is (may be null: explicitly none); the
//    Agent and policy lookups (checks 2, 5, 6) are skipped. SkillPacks still
//    resolve through `cluster` when one is given.
//  - Lookup: `cluster` is searched the way the webhook does (Agent in the
//    run's namespace, its policyRef there). A pod or workload names its
//    Agent with its `sympozium.ai/instance` label (on the object or its pod
//    template); without one, or when the lookup fails, only the
//    policy-independent pod rules run and a `pod.no_policy` warning says why.
//  - Neither: no policy and no Agent lookup; only policy-independent checks.
struct Binding {
  const CompiledPolicy* policy = nullptr;
  bool direct = false;
  const Cluster* cluster = nullptr;

  static Binding Direct(const CompiledPolicy* policy, const Cluster* cluster = nullptr) {
    return {policy, true, cluster};
  }
  static Binding Lookup(const Cluster* cluster) { return {nullptr, false, cluster}; }
  static Binding None() { return {}; }
};

struct EvaluateOptions {
  Mode mode = Mode::kStrict;
  // Apply mutate() (docs/mutation.md) before validating, as `admit --mutate` does.
  bool mutate_first = false;
  // Add CRD schema findings as warnings (costs a schema walk).
  bool schema_warnings = false;
  ReadOptions read;  // source name and limits for byte inputs
};

}  // namespace sympozium
SYMPOZIUM_API_END

#endif  // SYMPOZIUM_OPTIONS_H_
