// The whole-policy lint rules: each reads the compiled decision table and
// says what a policy's text does not make obvious.
#include "lib/lint/rules.h"

#include <algorithm>
#include <optional>
#include <tuple>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "lib/base/image_ref.h"
#include "lib/compile/policy_table.h"
#include "sympozium/network_policy.h"
#include "sympozium/strings.h"

namespace sympozium::lint_internal {

using Severity = Diagnostic::Severity;

void Findings::Add(Severity severity, std::string code, std::string path, std::string message) {
  Diagnostic d;
  d.severity = severity;
  d.code = std::move(code);
  d.message = std::move(message);
  d.path = std::move(path);
  Position(&d);
  out_->push_back(std::move(d));
}

void Findings::AddStatus(const absl::Status& status) {
  std::string path = PathOf(status);
  std::string code = CodeOf(status);
  std::string message(status.message());
  if (!path.empty() && message.compare(0, path.size() + 2, path + ": ") == 0)
    message.erase(0, path.size() + 2);
  // The suffix is the last parenthesis: decode's own texts may hold one
  // ("got a number (5)") but always before it.
  if (size_t at = message.rfind(" ("); at != std::string::npos && message.back() == ')')
    message.erase(at);
  Add(Severity::kError, code.empty() ? "decode.error" : code, path, message);
}

void Findings::Adopt(Diagnostic d, Severity severity) {
  d.severity = severity;
  Position(&d);
  out_->push_back(std::move(d));
}

void Findings::Position(Diagnostic* d) const {
  if (doc_ == nullptr) return;
  if (d->mark.line == 0) d->mark = doc_->MarkAt(d->path);
  d->source = doc_->Describe();
}

namespace {

// A rule that repeats defaultAction decides nothing (deny rules excepted:
// compat admission check 10 reads only deny rules, so they still matter).
void CheckRedundantRules(const PolicyTable& t, Findings& f) {
  if (!t.has_tool_gating) return;
  absl::flat_hash_set<std::string> seen;
  for (size_t i = 0; i < t.rules.size(); ++i) {
    const auto& [tool, text] = t.rules[i];
    std::optional<ToolAction> action = ParseToolAction(text);
    if (!action || *action != t.default_action || *action == ToolAction::kDeny) continue;
    auto rule = t.tool_rules.find(tool);
    if (rule == t.tool_rules.end() || rule->second != *action || !seen.insert(tool).second)
      continue;  // another rule for the tool decides it (compiler warnings say so)
    std::string message = StrCat("rule ", Quote(StrCat(tool, ": ", text)),
                                 " repeats defaultAction and changes no tool decision");
    if (*action == ToolAction::kAllow)
      StrAppend(&message,
                "; mutate (docs/mutation.md, step 6) still copies allow rules into "
                "spec.toolPolicy.allow, "
                "and a non-empty allow list hides every tool it does not name");
    f.Warn("lint.redundant_rule", StrCat("spec.toolGating.rules[", i, "]"), message);
  }
}

void CheckLimits(const PolicyTable& t, Findings& f) {
  for (const auto& [cap, field, what] : {std::tuple{&t.max_cpu, "maxCPU", "CPU"},
                                         std::tuple{&t.max_memory, "maxMemory", "memory"}}) {
    if (!cap->value || cap->value->Compare(Quantity()) > 0) continue;
    f.Warn(
        "lint.cap_not_positive", StrCat("spec.sandboxPolicy.", field),
        StrCat(field, " ", Quote(cap->text), " is ", cap->value->IsNegative() ? "negative" : "zero",
               ": every run that sets any sandbox ", what, " request or limit is denied"));
  }
  if (t.has_subagent_policy && t.max_depth <= 0)
    f.Warn("lint.max_depth_zero", "spec.subagentPolicy.maxDepth",
           StrCat("maxDepth: ", t.max_depth,
                  " sets no depth limit at admission (check 9 needs maxDepth > 0), while the "
                  "controller refuses every sub-agent when it starts (spawnDepth > maxDepth)"));
}

// Defaults the policy hands out that its own allowlists refuse.
void CheckDefaults(const PolicyTable& t, Mode mode, Findings& f) {
  const std::vector<std::string>& classes = t.allowed_runtime_classes;
  if (!t.default_runtime_class.empty() && !classes.empty() &&
      std::find(classes.begin(), classes.end(), t.default_runtime_class) == classes.end())
    f.Warn("lint.default_runtime_class",
           "spec.sandboxPolicy.agentSandboxPolicy.defaultRuntimeClass",
           StrCat("defaultRuntimeClass ", Quote(t.default_runtime_class),
                  " is not in allowedRuntimeClasses ", GoList(classes),
                  ": agent-sandbox runs that take the default are denied"));
  if (!t.default_image.empty() && !t.allowed_registries.empty()) {
    bool allowed = false;
    if (mode == Mode::kStrict) {
      ImageRef image = NormalizeImage(t.default_image);
      for (const std::string& entry : t.allowed_registries_normalized)
        allowed = allowed || ImageMatchesEntry(image, entry);
    } else {
      for (const std::string& entry : t.allowed_registries)
        allowed = allowed || ImageHasPrefix(t.default_image, entry);
    }
    if (!allowed)
      f.Warn("lint.default_image_registry", "spec.sandboxPolicy.defaultImage",
             StrCat("defaultImage ", Quote(t.default_image), " is not from an allowed registry ",
                    GoList(t.allowed_registries),
                    ": sandboxed runs that take the default image are denied"));
  }
}

void CheckPodSettings(const PolicyTable& t, Findings& f) {
  if (t.has_seccomp_profile && t.seccomp_type != "RuntimeDefault" && t.seccomp_type != "Localhost")
    f.Warn("lint.seccomp_profile", "spec.sandboxPolicy.seccompProfile.type",
           t.seccomp_type == "Unconfined"
               ? std::string("seccomp profile Unconfined turns syscall filtering off, and no agent "
                             "pod can pass pod rule P6 (RuntimeDefault or Localhost)")
               : StrCat("unknown seccomp profile type ", Quote(t.seccomp_type),
                        " (RuntimeDefault, Localhost, Unconfined): no agent pod can match it "
                        "(pod rule P6)"));
  if (t.allow_host_mounts)
    f.Warn("lint.allow_host_mounts", "spec.sandboxPolicy.allowHostMounts",
           "allowHostMounts: true lets agent pods run privileged, share the host's network, PID "
           "and IPC namespaces and mount hostPath volumes (pod rules P5, P7, P8 are waived)");
}

void CheckNetwork(const CompiledPolicy& policy, Findings& f) {
  const PolicyTable& t = TableOf(policy);
  if (!t.has_network_policy) return;
  if (!t.deny_all && !t.allowed_egress.empty())
    f.Warn("lint.egress_without_deny_all", "spec.networkPolicy.allowedEgress",
           "allowedEgress has no effect: with denyAll: false no NetworkPolicy is generated and "
           "all egress stays open");
  for (Diagnostic& d : GenerateNetworkPolicy(policy).warnings)
    f.Adopt(std::move(d), Severity::kWarning);
}

// compat mode is Sympozium itself, which reads some fields nowhere (docs/model.md#lookups,
// docs/tools.md): a reviewer should know which settings are words only there.
void CheckCompatGaps(const PolicyTable& t, Findings& f) {
  if (t.has_tool_gating && t.default_action != ToolAction::kAllow)
    f.Warn("lint.not_enforced", "spec.toolGating.defaultAction",
           StrCat("Sympozium never reads defaultAction: tools no rule names stay allowed, not ",
                  ToolActionName(t.default_action)));
  bool has_allow_rule = false;
  for (const auto& [tool, action] : t.tool_rules) has_allow_rule |= action == ToolAction::kAllow;
  for (size_t i = 0; i < t.rules.size(); ++i)
    if (t.rules[i].second == "ask")
      f.Warn("lint.not_enforced", StrCat("spec.toolGating.rules[", i, "].action"),
             StrCat("Sympozium has no approval step for ask: after the toolPolicy conversion "
                    "(docs/mutation.md, step 6) ",
                    Quote(t.rules[i].first), " is ",
                    has_allow_rule ? "hidden, since the policy has allow rules"
                                   : "allowed, since the policy has no allow rules"));
  if (t.has_network_policy && t.deny_all)
    f.Warn("lint.not_enforced", "spec.networkPolicy",
           "Sympozium generates no NetworkPolicy from networkPolicy; apply the output of "
           "`sympozium-policy netpol` yourself");
  if (!t.allowed_models.empty() || !t.allowed_namespaces.empty())
    f.Warn("lint.not_enforced", "spec.modelPolicy",
           "Sympozium never enforces modelPolicy; only strict mode checks it (S8)");
  auto browser = t.feature_gates.find("browser-automation");
  if (browser != t.feature_gates.end() && !browser->second)
    f.Warn("lint.not_enforced", "spec.featureGates.browser-automation",
           "no Sympozium code enforces the browser-automation gate");
}

}  // namespace

void CheckPolicy(const CompiledPolicy& policy, Mode mode, Findings& f) {
  for (const Diagnostic& d : policy.strict_errors()) {
    // Schema errors are the API server's; the rest only strict refuses.
    bool schema = d.code.compare(0, 7, "schema.") == 0;
    f.Adopt(d, schema || mode == Mode::kStrict ? Severity::kError : Severity::kWarning);
  }
  for (const Diagnostic& d : policy.warnings()) f.Adopt(d, Severity::kWarning);
  const PolicyTable& t = TableOf(policy);
  CheckRedundantRules(t, f);
  CheckLimits(t, f);
  CheckDefaults(t, mode, f);
  CheckPodSettings(t, f);
  CheckNetwork(policy, f);
  if (mode == Mode::kCompat) CheckCompatGaps(t, f);
}

}  // namespace sympozium::lint_internal
