// PolicyCompiler: Policy -> CompiledPolicy, with strict errors and
// compile-time warnings (docs/checks.md#compile-time-warnings, plus the rule
// hygiene lint reports).
#include <algorithm>

#include "absl/strings/str_join.h"
#include "lib/base/image_ref.h"
#include "lib/base/path.h"
#include "lib/base/status_macros.h"
#include "lib/base/value_path.h"
#include "lib/compile/compile.h"
#include "lib/compile/policy_table.h"
#include "lib/compile/shared_table.h"
#include "lib/schema/schema.h"
#include "sympozium/policy.h"
#include "sympozium/strings.h"

namespace sympozium {
namespace {

// An allowlist entry with a digest (`@sha256:...`) or a tag (`:v1` after the
// last '/'; a ':' in the first component is a registry's port).
bool PinsImage(std::string_view entry) {
  if (entry.find('@') != std::string_view::npos) return true;
  size_t slash = entry.rfind('/');
  if (slash == std::string_view::npos) return false;
  return entry.find(':', slash) != std::string_view::npos;
}

std::string S(Str s) { return std::string(s); }

// The feature gates Sympozium knows (docs/model.md#sympoziumpolicy).
bool IsKnownFeatureGate(std::string_view name) {
  return name == "code-execution" || name == "sub-agents" || name == "browser-automation" ||
         name == "file-access";
}

bool IsFileTool(std::string_view tool) {
  return tool == "read_file" || tool == "write_file" || tool == "edit_file" ||
         tool == "list_directory";
}

int Severity(ToolAction a) {  // deny > ask > allow
  return a == ToolAction::kDeny ? 2 : a == ToolAction::kAsk ? 1 : 0;
}

}  // namespace

class PolicyCompiler {
 public:
  PolicyCompiler(const CompileOptions& options, const Value* root, std::string source,
                 bool share_table = false)
      : options_(options), root_(root), source_(std::move(source)), share_table_(share_table) {}

  absl::StatusOr<PolicyPtr> Run(const Policy& policy) {
    std::shared_ptr<CompiledPolicy> out(new CompiledPolicy());
    out_ = out.get();
    out_->name_ = S(policy.metadata.name);
    out_->ns_ = S(policy.metadata.namespace_);
    out_->source_ = source_;
    if (const Str* v = policy.metadata.annotations.Find("sympozium.ai/preset-version"))
      out_->preset_ = StrCat(out_->name_, "@", S(*v));
    if (root_ != nullptr) {
      for (Diagnostic& d : CheckSchema(*root_, source_)) {
        if (d.severity == Diagnostic::Severity::kError) {
          out_->strict_errors_.push_back(std::move(d));
        } else {
          out_->warnings_.push_back(std::move(d));
        }
      }
    }
    const PolicySpec& spec = policy.spec;
    SYM_RETURN_IF_ERROR(CompileSandbox(spec));
    CompileSubagents(spec);
    SYM_RETURN_IF_ERROR(CompileTools(spec));
    CompileGates(spec);
    CompileNetwork(spec);
    SYM_RETURN_IF_ERROR(CompileImagesAndLifecycle(spec));
    WarnFileAccess();
    if (options_.mode == Mode::kStrict && !out_->strict_errors_.empty())
      return ToStatus(out_->strict_errors_.front());
    // The table depends on the spec alone (names, warnings and positions
    // stay in the policy), so identical specs can share it.
    if (share_table_)
      out_->table_ = ShareTable(std::move(table_), root_->Find("spec"));
    else
      out_->table_ = std::move(table_);
    return PolicyPtr(std::move(out));
  }

 private:
  PolicyTable& t() { return *table_; }

  Mark MarkOf(const std::string& path) const {
    return root_ != nullptr ? MarkAtPath(*root_, path) : Mark{};
  }
  void Warn(std::string code, std::string path, std::string message) {
    Mark mark = MarkOf(path);
    out_->warnings_.push_back(
        Diagnostic::Warning(std::move(code), std::move(path), std::move(message), source_, mark));
  }
  void StrictError(std::string code, std::string path, std::string message) {
    Mark mark = MarkOf(path);
    out_->strict_errors_.push_back(
        Diagnostic::Error(std::move(code), std::move(path), std::move(message), source_, mark));
  }
  absl::Status LimitError(std::string path, std::string_view limit, size_t value) {
    Mark mark = MarkOf(path);
    return ToStatus(Diagnostic::Error(
        "limit.exceeded", std::move(path),
        StrCat("limit.", std::string(limit), ": more than ", value, " entries"), source_, mark));
  }

  void CompileCap(Str text, std::string_view field, QuantityCap* cap) {
    cap->text = S(text);
    if (!cap->set()) return;
    absl::StatusOr<Quantity> q = Quantity::Parse(text);
    if (q.ok()) {
      cap->value = *q;
      return;
    }
    cap->error = std::string(q.status().message());
    StrictError("compile.invalid_quantity", StrCat("spec.sandboxPolicy.", field),
                StrCat(Quote(text), " is not a valid quantity: ", cap->error));
  }

  absl::Status CompileSandbox(const PolicySpec& spec) {
    if (!spec.sandbox_policy) return absl::OkStatus();
    const SandboxPolicy& sp = *spec.sandbox_policy;
    t().has_sandbox_policy = true;
    t().sandbox_required = sp.required;
    t().default_image = S(sp.default_image);
    CompileCap(sp.max_cpu, "maxCPU", &t().max_cpu);
    CompileCap(sp.max_memory, "maxMemory", &t().max_memory);
    t().allow_host_mounts = sp.allow_host_mounts;
    if (sp.seccomp_profile) {
      t().has_seccomp_profile = true;
      t().seccomp_type = S(sp.seccomp_profile->type);
    }
    if (sp.agent_sandbox_policy) {
      const AgentSandboxPolicy& asp = *sp.agent_sandbox_policy;
      t().has_agent_sandbox_policy = true;
      t().agent_sandbox_required = asp.required;
      t().default_runtime_class = S(asp.default_runtime_class);
      for (Str c : asp.allowed_runtime_classes) t().allowed_runtime_classes.push_back(S(c));
      if (sp.required && asp.required)
        Warn("lint.unsatisfiable_sandbox", "spec.sandboxPolicy.agentSandboxPolicy.required",
             "sandboxPolicy.required and agentSandboxPolicy.required cannot both be met: a run "
             "may not enable both sandbox.enabled and agentSandbox.enabled");
    }
    return absl::OkStatus();
  }

  void CompileSubagents(const PolicySpec& spec) {
    if (!spec.subagent_policy) return;
    t().has_subagent_policy = true;
    t().max_depth = spec.subagent_policy->max_depth;
    t().max_concurrent = spec.subagent_policy->max_concurrent;
    if (t().max_concurrent == 0)
      Warn("lint.max_concurrent_zero", "spec.subagentPolicy.maxConcurrent",
           "maxConcurrent: 0 makes the controller refuse every run of a bound Agent (compat); "
           "strict mode reads it as \"no children\"");
  }

  absl::Status CompileTools(const PolicySpec& spec) {
    if (!spec.tool_gating) return absl::OkStatus();
    const ToolGating& tg = *spec.tool_gating;
    if (tg.rules.size() > options_.limits.max_tool_rules)
      return LimitError("spec.toolGating.rules", "max_tool_rules", options_.limits.max_tool_rules);
    t().has_tool_gating = true;
    t().default_action_text = S(tg.default_action);
    if (std::optional<ToolAction> a = ParseToolAction(tg.default_action)) {
      t().default_action = *a;
    } else if (!tg.default_action.empty()) {
      StrictError("compile.unknown_action", "spec.toolGating.defaultAction",
                  StrCat("unknown action ", Quote(tg.default_action),
                         " (allow, deny or ask); Go treats it as allow"));
    }
    absl::flat_hash_map<std::string, size_t> first_rule;  // tool -> index of its first rule
    t().tool_rules.reserve(tg.rules.size());
    for (size_t i = 0; i < tg.rules.size(); ++i) {
      const ToolGatingRule& rule = tg.rules[i];
      std::string tool = S(rule.tool);
      std::string path = StrCat("spec.toolGating.rules[", i, "]");
      t().rules.emplace_back(tool, S(rule.action));
      std::optional<ToolAction> action = ParseToolAction(rule.action);
      if (!action) {
        StrictError("compile.unknown_action", StrCat(path, ".action"),
                    StrCat("unknown action ", Quote(rule.action),
                           " (allow, deny or ask); Go ignores this rule"));
        continue;
      }
      if (*action == ToolAction::kDeny) t().deny_rule_tools.push_back(tool);
      if (!IsBuiltinTool(tool) &&
          std::find(options_.known_tools.begin(), options_.known_tools.end(), tool) ==
              options_.known_tools.end())
        Warn("lint.unknown_tool", StrCat(path, ".tool"),
             StrCat("tool ", Quote(tool),
                    " is neither a built-in tool nor declared by a known SkillPack"));
      auto [it, inserted] = t().tool_rules.try_emplace(tool, *action);
      if (inserted) {
        first_rule[tool] = i;
        continue;
      }
      size_t first = first_rule[tool];
      if (it->second == *action) {
        Warn("lint.duplicate_rule", path,
             StrCat("rule repeats rules[", first, "] (", tool, ": ", ToolActionName(*action), ")"));
      } else {
        ToolAction winner = Severity(*action) > Severity(it->second) ? *action : it->second;
        Warn("lint.conflicting_rule", path,
             StrCat("rule for ", Quote(tool), " says ", ToolActionName(*action),
                    " but an earlier rule says ", ToolActionName(it->second), "; ",
                    ToolActionName(winner), " wins"));
        it->second = winner;
      }
    }
    return absl::OkStatus();
  }

  void CompileGates(const PolicySpec& spec) {
    if (!spec.feature_gates_set) return;
    t().has_feature_gates = true;
    for (const FeatureGate& g : spec.feature_gates) {
      t().feature_gates[S(g.name)] = g.enabled;
      if (!IsKnownFeatureGate(g.name))
        Warn("lint.unknown_feature_gate", StrCat("spec.featureGates.", S(g.name)),
             StrCat("unknown feature gate ", Quote(g.name),
                    " (known: code-execution, sub-agents, browser-automation, "
                    "file-access)"));
    }
  }

  void CompileNetwork(const PolicySpec& spec) {
    if (!spec.network_policy) return;
    const NetworkPolicySpec& np = *spec.network_policy;
    t().has_network_policy = true;
    t().deny_all = np.deny_all;
    t().allow_dns = np.allow_dns;
    t().allow_event_bus = np.allow_event_bus;
    for (const EgressRule& e : np.allowed_egress)
      t().allowed_egress.emplace_back(S(e.host), e.port);
  }

  absl::Status CompileImagesAndLifecycle(const PolicySpec& spec) {
    if (spec.model_policy) {
      for (Str m : spec.model_policy->allowed_models) t().allowed_models.push_back(S(m));
      for (Str n : spec.model_policy->allowed_namespaces) t().allowed_namespaces.push_back(S(n));
    }
    if (spec.image_policy) {
      const List<Str>& regs = spec.image_policy->allowed_registries;
      if (regs.size() > options_.limits.max_registries)
        return LimitError("spec.imagePolicy.allowedRegistries", "max_registries",
                          options_.limits.max_registries);
      for (size_t i = 0; i < regs.size(); ++i) {
        t().allowed_registries.push_back(S(regs[i]));
        t().allowed_registries_normalized.push_back(NormalizeRegistryEntry(regs[i]));
        std::string path = StrCat("spec.imagePolicy.allowedRegistries[", i, "]");
        if (PinsImage(regs[i])) {
          // A lookalike suffix cannot follow a tag or digest: say what the
          // entry really does instead.
          Warn("lint.registry_pins_image", std::move(path),
               StrCat("entry ", Quote(regs[i]),
                      " names a tag or digest: entries are registries or repository prefixes, "
                      "matched against the image name without tag or digest, so strict mode "
                      "admits no image with it (compat mode admits only images written with "
                      "exactly this prefix); list the repository instead"));
        } else if (regs[i].empty() || regs[i].back() != '/') {
          Warn("lint.registry_without_slash", std::move(path),
               StrCat("entry ", Quote(regs[i]),
                      " has no trailing '/': compat mode matches it as a raw prefix, so it "
                      "also admits images of lookalike names (",
                      S(regs[i]), "-evil/...)"));
        }
      }
      t().allowed_registries_text = GoList(t().allowed_registries);
      t().registry_allowlist =
          RegistryAllowlist(t().allowed_registries, t().allowed_registries_normalized);
    }
    if (spec.lifecycle_policy) {
      for (Str r : spec.lifecycle_policy->denied_resources) {
        t().denied_resources.push_back(S(r));
        t().denied_resource_set.insert(S(r));
      }
    }
    return absl::OkStatus();
  }

  // docs/checks.md#strict-mode: `file-access: false` beside file tools the policy allows.
  void WarnFileAccess() {
    auto gate = t().feature_gates.find("file-access");
    if (gate == t().feature_gates.end() || gate->second) return;
    std::vector<std::string> allowed;
    for (std::string_view tool : BuiltinTools()) {
      if (!IsFileTool(tool)) continue;
      auto rule = t().tool_rules.find(std::string(tool));
      ToolAction action = rule != t().tool_rules.end() ? rule->second
                          : t().has_tool_gating        ? t().default_action
                                                       : ToolAction::kAllow;
      if (action != ToolAction::kDeny) allowed.push_back(std::string(tool));
    }
    if (!allowed.empty())
      Warn("lint.file_access_conflict", "spec.featureGates.file-access",
           StrCat("file-access is false but tool gating still lets through ",
                  absl::StrJoin(allowed, ", "), " (no Go code enforces the file-access gate)"));
  }

  const CompileOptions& options_;
  const Value* root_;
  std::string source_;
  bool share_table_;  // needs root_
  CompiledPolicy* out_ = nullptr;
  std::unique_ptr<PolicyTable> table_ = std::make_unique<PolicyTable>();  // until compiled
};

CompiledPolicy::CompiledPolicy() = default;
CompiledPolicy::~CompiledPolicy() = default;

absl::StatusOr<PolicyPtr> Compile(const Policy& policy, const CompileOptions& options) {
  return PolicyCompiler(options, nullptr, "").Run(policy);
}

absl::StatusOr<PolicyPtr> Compile(const Decoded<Policy>& policy, const CompileOptions& options) {
  return PolicyCompiler(options, &policy.document().root(), policy.document().Describe())
      .Run(*policy);
}

absl::StatusOr<PolicyPtr> CompileSharingTable(const Decoded<Policy>& policy,
                                              const CompileOptions& options) {
  return PolicyCompiler(options, &policy.document().root(), policy.document().Describe(),
                        /*share_table=*/true)
      .Run(*policy);
}

absl::StatusOr<PolicyPtr> Compile(const Document& policy, const CompileOptions& options) {
  absl::StatusOr<Decoded<Policy>> decoded =
      DecodePolicy(policy.Subtree(policy.root(), policy.Describe()));
  if (!decoded.ok()) return decoded.status();
  return Compile(*decoded, options);
}

absl::StatusOr<PolicyPtr> CompilePolicy(std::string_view bytes, const CompileOptions& options,
                                        std::string source_name) {
  ReadOptions read;
  read.source_name = std::move(source_name);
  read.limits = options.limits;
  absl::StatusOr<Document> doc = ReadDocument(bytes, read);
  if (!doc.ok()) return doc.status();
  absl::StatusOr<Decoded<Policy>> policy = DecodePolicy(std::move(*doc));
  if (!policy.ok()) return policy.status();
  return Compile(*policy, options);
}

namespace {
// libstdc++ keeps strings of up to 15 characters inside the object.
size_t HeapOf(const std::string& s) { return s.capacity() > 15 ? s.capacity() + 1 : 0; }
}  // namespace

size_t TableMemoryUsage(const PolicyTable& t) {
  auto str = HeapOf;
  auto strs = [&](const std::vector<std::string>& v) {
    size_t n = v.capacity() * sizeof(std::string);
    for (const std::string& s : v) n += str(s);
    return n;
  };
  size_t n = sizeof(t) + str(t.default_image) + str(t.max_cpu.text) + str(t.max_cpu.error) +
             str(t.max_memory.text) + str(t.max_memory.error) + str(t.seccomp_type) +
             str(t.default_runtime_class) + str(t.default_action_text) +
             str(t.allowed_registries_text);
  n += strs(t.allowed_runtime_classes) + strs(t.deny_rule_tools) + strs(t.allowed_models) +
       strs(t.allowed_namespaces) + strs(t.allowed_registries) +
       strs(t.allowed_registries_normalized) + strs(t.denied_resources);
  n += t.registry_allowlist.MemoryUsage();
  n += t.tool_rules.capacity() * (sizeof(std::pair<std::string, ToolAction>) + 1);
  for (const auto& [k, v] : t.tool_rules) n += str(k);
  n += t.rules.capacity() * sizeof(t.rules[0]);
  for (const auto& [tool, action] : t.rules) n += str(tool) + str(action);
  n += t.feature_gates.capacity() * (sizeof(std::pair<std::string, bool>) + 1);
  for (const auto& [k, v] : t.feature_gates) n += str(k);
  n += t.allowed_egress.capacity() * sizeof(t.allowed_egress[0]);
  for (const auto& [host, port] : t.allowed_egress) n += str(host);
  n += t.denied_resource_set.capacity() * (sizeof(std::string) + 1);
  for (const std::string& s : t.denied_resource_set) n += str(s);
  return n;
}

size_t CompiledPolicy::MemoryUsage() const {
  auto str = HeapOf;
  size_t n = sizeof(*this) + str(name_) + str(ns_) + str(preset_) + str(source_) +
             TableMemoryUsage(*table_);
  for (const Diagnostics* ds : {&warnings_, &strict_errors_}) {
    n += ds->capacity() * sizeof(Diagnostic);
    for (const Diagnostic& d : *ds) n += str(d.code) + str(d.path) + str(d.message) + str(d.source);
  }
  return n;
}

}  // namespace sympozium
