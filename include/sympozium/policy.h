// Compiling: typed SympoziumPolicy -> CompiledPolicy, the decision table that
// evaluation reads. The third stage.
//
// A CompiledPolicy is immutable once built and safe to share between
// threads (hold it by shared_ptr). Everything evaluation needs is in ready
// form: the tool table as a hash map with deny > ask > allow resolved, caps
// as exact quantities, registries normalised, denied resources as a set.
#ifndef SYMPOZIUM_POLICY_H_
#define SYMPOZIUM_POLICY_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/statusor.h"
#include "sympozium/decode.h"
#include "sympozium/diagnostic.h"
#include "sympozium/document.h"
#include "sympozium/export.h"
#include "sympozium/image_ref.h"
#include "sympozium/model.h"
#include "sympozium/options.h"
#include "sympozium/quantity.h"

SYMPOZIUM_API_BEGIN
namespace sympozium {

// The tools Sympozium itself provides (docs/checks.md, check 4.2).
const std::vector<std::string_view>& BuiltinTools();
bool IsBuiltinTool(std::string_view name);

// A sandboxPolicy cap (maxCPU / maxMemory).
struct QuantityCap {
  std::string text;               // as written; empty = no cap
  std::optional<Quantity> value;  // when text parses
  std::string error;              // Go's parse error when it does not
  bool set() const { return !text.empty(); }
};

// The decision table. Field names follow the policy document; `has_*`
// records whether the part was present, which is what the checks test.
struct PolicyTable {
  // sandboxPolicy
  bool has_sandbox_policy = false;
  bool sandbox_required = false;
  std::string default_image;
  QuantityCap max_cpu;
  QuantityCap max_memory;
  bool allow_host_mounts = false;
  bool has_seccomp_profile = false;
  std::string seccomp_type;
  // sandboxPolicy.agentSandboxPolicy
  bool has_agent_sandbox_policy = false;
  bool agent_sandbox_required = false;
  std::string default_runtime_class;
  std::vector<std::string> allowed_runtime_classes;  // in order, for messages

  // subagentPolicy
  bool has_subagent_policy = false;
  int64_t max_depth = 3;
  int64_t max_concurrent = 5;

  // toolGating
  bool has_tool_gating = false;
  ToolAction default_action = ToolAction::kAllow;
  std::string default_action_text;  // as written, "allow" when absent
  // Exact tool name -> the most restrictive action among its rules (rules
  // whose action is not allow/deny/ask are left out).
  absl::flat_hash_map<std::string, ToolAction> tool_rules;
  // Every rule as written, in order (mutation and lint read these).
  std::vector<std::pair<std::string, std::string>> rules;
  // Tools of `deny` rules, in rule order (admission check 10).
  std::vector<std::string> deny_rule_tools;

  // featureGates (nil map = no gates at all)
  bool has_feature_gates = false;
  absl::flat_hash_map<std::string, bool> feature_gates;

  // networkPolicy (only generators read it)
  bool has_network_policy = false;
  bool deny_all = true;
  bool allow_dns = true;
  bool allow_event_bus = true;
  std::vector<std::pair<std::string, int64_t>> allowed_egress;  // host, port

  // modelPolicy
  std::vector<std::string> allowed_models;
  std::vector<std::string> allowed_namespaces;

  // imagePolicy
  std::vector<std::string> allowed_registries;             // as written (compat, messages)
  std::vector<std::string> allowed_registries_normalized;  // strict matching
  std::string allowed_registries_text;   // Go's %v of allowed_registries, for messages
  RegistryAllowlist registry_allowlist;  // both, indexed for evaluation

  // lifecyclePolicy
  std::vector<std::string> denied_resources;  // in order
  absl::flat_hash_set<std::string> denied_resource_set;
};

class CompiledPolicy {
 public:
  const std::string& name() const { return name_; }
  const std::string& namespace_() const { return ns_; }
  // The preset version ("restrictive@v1") for built-ins, else "".
  const std::string& preset() const { return preset_; }
  const std::string& source() const { return source_; }
  const PolicyTable& table() const { return table_; }
  // Compile-time warnings (docs/checks.md#compile-time-warnings), with paths.
  const Diagnostics& warnings() const { return warnings_; }
  // Reasons this policy does not compile in strict mode (empty when it
  // does). A policy with such reasons compiles only in compat mode.
  const Diagnostics& strict_errors() const { return strict_errors_; }

  // Bytes held by this object (tables, strings, containers), counted.
  size_t MemoryUsage() const;

 private:
  friend class PolicyCompiler;
  std::string name_;
  std::string ns_;
  std::string preset_;
  std::string source_;
  PolicyTable table_;
  Diagnostics warnings_;
  Diagnostics strict_errors_;
};

using PolicyPtr = std::shared_ptr<const CompiledPolicy>;

// Compiles a decoded policy. In strict mode a policy with strict errors
// (schema violations, an unknown tool action or defaultAction, a cap that is
// not a quantity) is refused with the first of them; in compat mode it
// compiles and behaves as in Go.
absl::StatusOr<PolicyPtr> Compile(const Policy& policy, const CompileOptions& options = {});
// The same, keeping the source document for schema checks and positions.
absl::StatusOr<PolicyPtr> Compile(const Decoded<Policy>& policy,
                                  const CompileOptions& options = {});
// Reads, decodes and compiles one SympoziumPolicy document (YAML or JSON).
absl::StatusOr<PolicyPtr> CompilePolicy(std::string_view bytes, const CompileOptions& options = {},
                                        std::string source_name = "");

// Built-in presets: "permissive", "default", "restrictive",
// "network-isolated", optionally with a version ("restrictive@v1").
absl::StatusOr<PolicyPtr> Preset(std::string_view name, Mode mode = Mode::kStrict);
struct PresetInfo {
  std::string name;     // "restrictive"
  std::string version;  // "v1"
  std::string_view yaml;
};
const std::vector<PresetInfo>& Presets();

}  // namespace sympozium
SYMPOZIUM_API_END

#endif  // SYMPOZIUM_POLICY_H_
