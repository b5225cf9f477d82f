#include "sympozium/policy_diff.h"

#include <algorithm>
#include <optional>

#include "lib/compile/policy_table.h"
#include "sympozium/strings.h"
#include "sympozium/tool_gate.h"

namespace sympozium {
namespace {

// Orders a comparison: `tighter` when the new value restricts more.
ChangeDirection Compare(int before_rank, int after_rank) {
  return after_rank > before_rank ? ChangeDirection::kTighter : ChangeDirection::kLooser;
}

int Rank(ToolAction a) { return a == ToolAction::kDeny ? 2 : a == ToolAction::kAsk ? 1 : 0; }

class Differ {
 public:
  Differ(const PolicyTable& a, const PolicyTable& b) : a_(a), b_(b) {}

  std::vector<PolicyChange> Settings() {
    Bool("spec.sandboxPolicy.required", a_.sandbox_required, b_.sandbox_required, false);
    Cap("spec.sandboxPolicy.maxCPU", a_.max_cpu, b_.max_cpu);
    Cap("spec.sandboxPolicy.maxMemory", a_.max_memory, b_.max_memory);
    Text("spec.sandboxPolicy.defaultImage", a_.default_image, b_.default_image);
    Bool("spec.sandboxPolicy.allowHostMounts", a_.allow_host_mounts, b_.allow_host_mounts, true);
    Seccomp();
    Bool("spec.sandboxPolicy.agentSandboxPolicy.required", a_.agent_sandbox_required,
         b_.agent_sandbox_required, false);
    Text("spec.sandboxPolicy.agentSandboxPolicy.defaultRuntimeClass", a_.default_runtime_class,
         b_.default_runtime_class);
    Allowlist("spec.sandboxPolicy.agentSandboxPolicy.allowedRuntimeClasses",
              a_.allowed_runtime_classes, b_.allowed_runtime_classes);
    // No subagentPolicy, or maxDepth <= 0, means no depth check (check 9).
    Limit("spec.subagentPolicy.maxDepth", Depth(a_), Depth(b_));
    Limit("spec.subagentPolicy.maxConcurrent", Concurrent(a_), Concurrent(b_));
    Gates();
    Network();
    Allowlist("spec.imagePolicy.allowedRegistries", a_.allowed_registries, b_.allowed_registries);
    Entries("spec.lifecyclePolicy.deniedResources", a_.denied_resources, b_.denied_resources,
            ChangeDirection::kTighter);
    Allowlist("spec.modelPolicy.allowedModels", a_.allowed_models, b_.allowed_models);
    Allowlist("spec.modelPolicy.allowedNamespaces", a_.allowed_namespaces, b_.allowed_namespaces);
    return std::move(changes_);
  }

 private:
  static std::optional<int64_t> Depth(const PolicyTable& t) {
    if (!t.has_subagent_policy || t.max_depth <= 0) return std::nullopt;
    return t.max_depth;
  }
  static std::optional<int64_t> Concurrent(const PolicyTable& t) {
    if (!t.has_subagent_policy) return std::nullopt;
    return t.max_concurrent;
  }

  void Add(std::string field, std::string before, std::string after, ChangeDirection d) {
    changes_.push_back({std::move(field), std::move(before), std::move(after), d});
  }

  // `looser_when_true`: whether turning the setting on loosens.
  void Bool(std::string field, bool before, bool after, bool looser_when_true) {
    if (before == after) return;
    Add(std::move(field), before ? "true" : "false", after ? "true" : "false",
        after == looser_when_true ? ChangeDirection::kLooser : ChangeDirection::kTighter);
  }

  void Text(std::string field, const std::string& before, const std::string& after) {
    if (before == after) return;
    Add(std::move(field), before.empty() ? "none" : before, after.empty() ? "none" : after,
        ChangeDirection::kChanged);
  }

  // Caps compare as quantities ("2000m" is "2"); no cap is no limit.
  void Cap(std::string field, const QuantityCap& before, const QuantityCap& after) {
    std::string b = before.set() ? before.text : "none";
    std::string a = after.set() ? after.text : "none";
    if (!before.value || !after.value) {
      if (before.set() != after.set() && (before.value || after.value)) {
        Add(std::move(field), b, a,
            after.set() ? ChangeDirection::kTighter : ChangeDirection::kLooser);
      } else if (b != a) {
        Add(std::move(field), b, a, ChangeDirection::kChanged);  // a cap that is not a quantity
      }
      return;
    }
    int c = after.value->Compare(*before.value);
    if (c != 0)
      Add(std::move(field), b, a, c < 0 ? ChangeDirection::kTighter : ChangeDirection::kLooser);
  }

  void Limit(std::string field, std::optional<int64_t> before, std::optional<int64_t> after) {
    if (before == after) return;
    auto text = [](std::optional<int64_t> v) { return v ? StrCat(*v) : std::string("none"); };
    bool tighter = !before || (after && *after < *before);
    Add(std::move(field), text(before), text(after),
        tighter ? ChangeDirection::kTighter : ChangeDirection::kLooser);
  }

  // RuntimeDefault and Localhost filter syscalls; no profile, Unconfined or
  // an unknown type do not.
  void Seccomp() {
    auto text = [](const PolicyTable& t) { return t.has_seccomp_profile ? t.seccomp_type : ""; };
    auto filters = [](const std::string& type) {
      return type == "RuntimeDefault" || type == "Localhost";
    };
    std::string before = text(a_), after = text(b_);
    if (before == after) return;
    ChangeDirection d = filters(before) == filters(after)
                            ? ChangeDirection::kChanged
                            : Compare(filters(before), filters(after));
    Add("spec.sandboxPolicy.seccompProfile.type", before.empty() ? "none" : before,
        after.empty() ? "none" : after, d);
  }

  // A gate that is absent (or no featureGates at all) is enabled.
  void Gates() {
    std::vector<std::string> names = {"browser-automation", "code-execution", "file-access",
                                      "sub-agents"};
    for (const PolicyTable* t : {&a_, &b_})
      for (const auto& [name, on] : t->feature_gates)
        if (std::find(names.begin(), names.end(), name) == names.end()) names.push_back(name);
    std::sort(names.begin(), names.end());
    auto enabled = [](const PolicyTable& t, const std::string& name) {
      auto it = t.feature_gates.find(name);
      return it == t.feature_gates.end() || it->second;
    };
    for (const std::string& name : names)
      Bool(StrCat("spec.featureGates.", name), enabled(a_, name), enabled(b_, name), true);
  }

  // Without networkPolicy, or with denyAll: false, no NetworkPolicy is
  // generated and all traffic is open; DNS and the event bus are then open
  // too.
  void Network() {
    auto deny_all = [](const PolicyTable& t) { return t.has_network_policy && t.deny_all; };
    Bool("spec.networkPolicy.denyAll", deny_all(a_), deny_all(b_), false);
    Bool("spec.networkPolicy.allowDNS", !deny_all(a_) || a_.allow_dns,
         !deny_all(b_) || b_.allow_dns, true);
    Bool("spec.networkPolicy.allowEventBus", !deny_all(a_) || a_.allow_event_bus,
         !deny_all(b_) || b_.allow_event_bus, true);
    auto egress = [](const PolicyTable& t) {
      std::vector<std::string> out;
      for (const auto& [host, port] : t.allowed_egress)
        out.push_back(port > 0 ? StrCat(host, ":", port) : host);
      return out;
    };
    Entries("spec.networkPolicy.allowedEgress", egress(a_), egress(b_), ChangeDirection::kLooser);
  }

  // A list where empty means "any": restricting from any tightens, opening
  // to any loosens, and otherwise an added entry loosens.
  void Allowlist(const std::string& field, const std::vector<std::string>& before,
                 const std::vector<std::string>& after) {
    if (before.empty() != after.empty()) {
      Add(field, before.empty() ? "any" : GoList(before), after.empty() ? "any" : GoList(after),
          before.empty() ? ChangeDirection::kTighter : ChangeDirection::kLooser);
      return;
    }
    Entries(field, before, after, ChangeDirection::kLooser);
  }

  // Entries added (direction `added`) and removed (the opposite).
  void Entries(const std::string& field, const std::vector<std::string>& before,
               const std::vector<std::string>& after, ChangeDirection added) {
    ChangeDirection removed =
        added == ChangeDirection::kLooser ? ChangeDirection::kTighter : ChangeDirection::kLooser;
    for (const std::string& e : before)
      if (std::find(after.begin(), after.end(), e) == after.end()) Add(field, e, "", removed);
    for (const std::string& e : after)
      if (std::find(before.begin(), before.end(), e) == before.end()) Add(field, "", e, added);
  }

  const PolicyTable& a_;
  const PolicyTable& b_;
  std::vector<PolicyChange> changes_;
};

// Tool decisions for a run without its own toolPolicy: the built-in tools,
// every tool either policy names, then "*" for any other tool (defaultAction).
std::vector<PolicyChange> ToolChanges(const CompiledPolicy& a, const CompiledPolicy& b) {
  std::vector<std::string> tools(BuiltinTools().begin(), BuiltinTools().end());
  std::vector<std::string> named;
  for (const CompiledPolicy* p : {&a, &b})
    for (const auto& [tool, action] : TableOf(*p).rules)
      if (!IsBuiltinTool(tool)) named.push_back(tool);
  std::sort(named.begin(), named.end());
  named.erase(std::unique(named.begin(), named.end()), named.end());
  tools.insert(tools.end(), named.begin(), named.end());
  std::vector<PolicyChange> changes;
  auto add = [&](const std::string& tool, ToolAction before, ToolAction after) {
    if (before != after)
      changes.push_back({tool, std::string(ToolActionName(before)),
                         std::string(ToolActionName(after)), Compare(Rank(before), Rank(after))});
  };
  for (const std::string& tool : tools)
    add(tool, DecideTool(&a, nullptr, tool).action, DecideTool(&b, nullptr, tool).action);
  auto fallback = [](const PolicyTable& t) {
    return t.has_tool_gating ? t.default_action : ToolAction::kAllow;
  };
  add("*", fallback(TableOf(a)), fallback(TableOf(b)));
  return changes;
}

}  // namespace

PolicyDiff DiffPolicies(const CompiledPolicy& a, const CompiledPolicy& b) {
  PolicyDiff d;
  d.tools = ToolChanges(a, b);
  d.settings = Differ(TableOf(a), TableOf(b)).Settings();
  for (const std::vector<PolicyChange>* list : {&d.tools, &d.settings})
    for (const PolicyChange& c : *list) ++d.counts[static_cast<int>(c.direction)];
  return d;
}

std::string_view ChangeDirectionName(ChangeDirection d) {
  return d == ChangeDirection::kTighter  ? "tighter"
         : d == ChangeDirection::kLooser ? "looser"
                                         : "changed";
}

std::vector<PolicySetting> DescribeSettings(const CompiledPolicy& policy) {
  const PolicyTable& t = TableOf(policy);
  auto cap = [](const QuantityCap& c) { return c.set() ? c.text : std::string("-"); };
  return {
      {"sandbox required", t.sandbox_required ? "yes" : "no"},
      {"maxCPU / maxMemory", StrCat(cap(t.max_cpu), " / ", cap(t.max_memory))},
      {"default tool action", std::string(ToolActionName(t.default_action))},
      {"maxDepth / maxConcurrent", StrCat(t.max_depth, " / ", t.max_concurrent)},
      {"network deny-all", !t.has_network_policy ? "-"
                           : t.deny_all          ? "yes"
                                                 : "no"},
      {"allowed registries", t.allowed_registries.empty()
                                 ? std::string("any")
                                 : StrCat(t.allowed_registries.size(), " entries")},
      // The pod rules (docs/pod-security.md): every policy enforces the
      // restricted standard at its latest version plus Sympozium's own
      // rules; only host access and the seccomp type differ by policy.
      {"pod rules", "restricted + P2,P9-14"},
      {"pod host access", t.allow_host_mounts ? "permitted" : "forbidden"},
      {"pod seccomp type", t.seccomp_type.empty() ? "RuntimeDefault|Localhost" : t.seccomp_type},
  };
}

}  // namespace sympozium
