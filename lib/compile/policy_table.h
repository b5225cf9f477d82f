// PolicyTable: what a CompiledPolicy holds for evaluation, in ready form.
// Inside the library only: sympozium/policy.h keeps it behind the object.
#ifndef SYMPOZIUM_LIB_COMPILE_POLICY_TABLE_H_
#define SYMPOZIUM_LIB_COMPILE_POLICY_TABLE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "lib/base/image_ref.h"
#include "lib/base/quantity.h"
#include "sympozium/options.h"
#include "sympozium/policy.h"

namespace sympozium {

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

// Bytes a table holds (strings, containers), itself included.
size_t TableMemoryUsage(const PolicyTable& table);

// The table of a compiled policy.
struct PolicyTableAccess {
  static const PolicyTable& Of(const CompiledPolicy& policy) { return *policy.table_; }
};
inline const PolicyTable& TableOf(const CompiledPolicy& policy) {
  return PolicyTableAccess::Of(policy);
}

}  // namespace sympozium

#endif  // SYMPOZIUM_LIB_COMPILE_POLICY_TABLE_H_
