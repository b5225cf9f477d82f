// AgentRun admission: every check of docs/checks.md in its order, with the Go
// wording, plus the strict rules S1-S8 of docs/checks.md#strict-mode at their positions.
// Unlike the Go webhook this goes on after a violation, so the Decision
// lists every one; the first is the one Go reports.
#include <algorithm>
#include <array>
#include <optional>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "lib/base/image_ref.h"
#include "lib/base/path.h"
#include "lib/cluster/lookup.h"
#include "lib/compile/policy_table.h"
#include "lib/compile/rbac_bounds.h"
#include "lib/decode/skill_pack_name.h"
#include "lib/evaluate/checks.h"
#include "lib/evaluate/env_denylist.h"
#include "lib/evaluate/sidecar_tools.h"
#include "lib/evaluate/volume_equality.h"
#include "sympozium/evaluate.h"
#include "sympozium/strings.h"

namespace sympozium {
namespace {

using compile_internal::RequestedResourceIsDenied;
using evaluate_internal::CheckToolStructure;
using evaluate_internal::IsCompatDeniedEnv;
using evaluate_internal::IsStrictDeniedEnv;
using evaluate_internal::VolumeSourcesEqual;

constexpr char kReservedVolumes[] = "workspace, ipc, skills, tmp, memory, mcp-config";

std::string EnvPath(std::string_view key) {
  std::string path = "spec.env";
  AppendPathKey(&path, key);
  return path;
}

bool IsReservedVolume(std::string_view name) {
  for (std::string_view r :
       {"workspace", "ipc", "skills", "tmp", "memory", "mcp-config", "sidecar-tools"})
    if (r == name) return true;
  return false;
}

std::string Path2(std::string_view a, size_t i, std::string_view b = "") {
  return StrCat(a, "[", i, "]", b);
}

// A SkillPack resolved from spec.skills[skill_index] (docs/checks.md#skill-resolution).
struct ResolvedPack {
  const SkillPack* pack;
  std::string name;  // skillPackRef minus one leading "skillpack-"
  size_t skill_index;
  std::string path() const { return Path2("spec.skills", skill_index); }
};

class AgentRunChecks {
 public:
  AgentRunChecks(const AgentRun& run, const Binding& binding, const EvaluateOptions& options)
      : run_(run), spec_(run.spec), binding_(binding), strict_(options.mode == Mode::kStrict) {
    decision_.mode = options.mode;
  }

  Decision Run() {
    if (run_.metadata.deletion_timestamp_set)  // check 1, before everything
      return Decision::Allow("run is being deleted; skipping policy validation", decision_.mode);
    PolicyLookup found;
    bool lookups = !binding_.direct && binding_.cluster != nullptr;
    if (lookups) {  // check 2
      found = LookupPolicy(*binding_.cluster, run_.metadata.namespace_, spec_.agent_ref);
      if (found.agent == nullptr && found.broken != nullptr)
        SetBroken(*found.broken, "spec.agentRef");
      else if (found.agent == nullptr)
        SetError(400, "agent.not_found",
                 StrCat("failed to find Agent ", spec_.agent_ref, ": agents.sympozium.ai ",
                        Quote(spec_.agent_ref), " not found"),
                 "spec.agentRef");
    }
    ResolvePacks();
    CheckVolumes();       // check 3
    CheckSidecarTools();  // check 4
    if (lookups && found.agent == nullptr) return Finish();

    // checks 5 and 6: find the bound policy.
    if (lookups) {
      if (found.policy_ref.empty()) return NoPolicy();
      policy_ = found.policy;
      if (policy_ == nullptr && found.broken != nullptr) {
        SetBroken(*found.broken, "spec.agentRef");
        return Finish();
      }
      if (policy_ == nullptr) {
        SetError(500, "policy.not_found",
                 StrCat("failed to find SympoziumPolicy ", found.policy_ref,
                        ": sympoziumpolicies.sympozium.ai ", Quote(found.policy_ref), " not found"),
                 "spec.agentRef");
        return Finish();
      }
    } else {
      policy_ = binding_.direct ? binding_.policy : nullptr;
      if (policy_ == nullptr) return NoPolicy();
    }
    if (strict_ && !policy_->strict_errors().empty()) {
      SetError(500, "policy.invalid",
               StrCat("SympoziumPolicy ", policy_->name(), " does not compile in strict mode: ",
                      policy_->strict_errors().front().ToString()),
               "");
      return Finish();
    }
    t_ = &TableOf(*policy_);
    CheckSandboxRequired();     // 7
    CheckResources();           // 8 (+S5)
    CheckDepth();               // 9
    CheckTools();               // 10 (+S7)
    CheckFeatureGates();        // 11
    CheckAgentSandbox();        // 12 (+S6)
    CheckEnv();                 // 13 (+S2)
    CheckImages();              // 14 (+S3)
    CheckRbac();                // 15 (+S4)
    if (strict_) CheckModel();  // S8
    return Finish("policy validated");
  }

 private:
  void SetError(int status, std::string_view code, std::string message, std::string path) {
    decision_.Fail(status, code, std::move(message), std::move(path));
  }

  // An object the run needs exists but cannot be used: an error, as a
  // policy that fails to compile is.
  void SetBroken(const BrokenObject& broken, std::string path) {
    SetError(500, broken.reason_code(), broken.Describe(), std::move(path));
  }

  void Deny(std::string_view code, std::string message, std::string path) {
    decision_.Deny(code, std::move(message), std::move(path));
  }

  Decision Finish(std::string_view allow_message = "") {
    if (decision_.violations.empty()) {
      Decision allow = Decision::Allow(std::string(allow_message), decision_.mode);
      allow.warnings = std::move(decision_.warnings);
      return allow;
    }
    return std::move(decision_);
  }

  // Check 5: no policy. Strict still checks env (S1).
  Decision NoPolicy() {
    if (strict_) CheckEnv();
    return Finish("no policy bound");
  }

  void ResolvePacks() {
    if (binding_.cluster == nullptr) return;
    for (size_t i = 0; i < spec_.skills.size(); ++i) {
      Str ref = spec_.skills[i].skill_pack_ref;
      const BrokenObject* broken = nullptr;
      const SkillPack* pack =
          ResolveSkillPack(*binding_.cluster, run_.metadata.namespace_, ref, &broken);
      if (broken != nullptr) SetBroken(*broken, Path2("spec.skills", i, ".skillPackRef"));
      if (pack == nullptr || !pack->spec.sidecar) continue;
      packs_.push_back({pack, std::string(SkillPackName(ref)), i});
    }
  }

  // Check 3.
  void CheckVolumes() {
    for (size_t i = 0; i < spec_.volumes.size(); ++i)
      if (IsReservedVolume(spec_.volumes[i].name))
        Deny("volume.reserved",
             StrCat("AgentRun.spec.volumes[", Quote(spec_.volumes[i].name),
                    "]: name is reserved by Sympozium (reserved: ", kReservedVolumes, ")"),
             Path2("spec.volumes", i, ".name"));
    for (const ResolvedPack& p : packs_)
      for (const Volume& v : p.pack->spec.sidecar->volumes)
        if (IsReservedVolume(v.name))
          Deny("volume.reserved",
               StrCat("SkillPack ", Quote(p.name), " sidecar volume ", Quote(v.name),
                      ": name is reserved by Sympozium (reserved: ", kReservedVolumes, ")"),
               p.path());

    struct Declaration {
      const Volume* volume;
      std::string source;
      std::string path;
    };
    absl::flat_hash_map<std::string_view, std::vector<Declaration>> groups;
    std::vector<std::string_view> order;
    auto declare = [&](const Volume& v, std::string source, std::string path) {
      auto& group = groups[v.name];
      if (group.empty()) order.push_back(v.name);
      group.push_back({&v, std::move(source), std::move(path)});
    };
    for (size_t i = 0; i < spec_.volumes.size(); ++i)
      declare(spec_.volumes[i], "AgentRun.spec.volumes", Path2("spec.volumes", i));
    for (const ResolvedPack& p : packs_)
      for (const Volume& v : p.pack->spec.sidecar->volumes)
        declare(v, StrCat("SkillPack/", p.name, ".spec.sidecar.volumes"), p.path());
    // Go visits the groups in map order; sorted here so answers are stable.
    std::sort(order.begin(), order.end());
    for (std::string_view name : order) {
      const std::vector<Declaration>& group = groups[name];
      for (size_t k = 1; k < group.size(); ++k)
        if (!VolumeSourcesEqual(group[0].volume->source, group[k].volume->source))
          Deny("volume.conflict",
               StrCat("volume ", Quote(name), " is declared by both ", group[0].source, " and ",
                      group[k].source,
                      " with different VolumeSource; rename one (e.g. prefix the SkillPack name) "
                      "so each declaration is unambiguous"),
               group[k].path);
    }
  }

  // Check 4.
  void CheckSidecarTools() {
    absl::flat_hash_map<std::string_view, std::string_view> owner;  // tool -> first pack
    for (const ResolvedPack& p : packs_) {
      for (const SidecarTool& tool : p.pack->spec.sidecar->tools) {
        for (auto& problem : CheckToolStructure(tool, p.name))
          Deny("sidecar_tool.invalid", std::move(problem.message), p.path());
        auto [it, first] = owner.try_emplace(tool.name, p.name);
        if (!first)
          Deny("sidecar_tool.duplicate",
               StrCat("sidecar tool ", Quote(tool.name), " is declared by both SkillPack ",
                      Quote(it->second), " and SkillPack ", Quote(p.name),
                      "; tool names must be unique across attached SkillPacks"),
               p.path());
      }
    }
  }

  // Check 7.
  void CheckSandboxRequired() {
    if (!t_->sandbox_required) return;
    if (!spec_.sandbox || !spec_.sandbox->enabled)
      Deny("sandbox.required", "sandbox is required by policy",
           spec_.sandbox ? "spec.sandbox.enabled" : "spec.sandbox");
  }

  struct Dimension {
    std::string_view key;   // "cpu"
    std::string_view name;  // "CPU"
    const QuantityCap* cap;
  };

  std::array<Dimension, 2> Dimensions() const {
    return {{{"cpu", "CPU", &t_->max_cpu}, {"memory", "Memory", &t_->max_memory}}};
  }

  // Check 8, then S5.
  void CheckResources() {
    bool have_sandbox_resources = spec_.sandbox && spec_.sandbox->resources;
    if (t_->has_sandbox_policy && have_sandbox_resources) {
      const ResourceMaps& res = *spec_.sandbox->resources;
      for (const Dimension& dim : Dimensions()) {
        if (!dim.cap->set()) continue;
        if (!dim.cap->value) {
          Deny("resources.invalid_cap",
               StrCat("policy sandboxPolicy.max", dim.name == "CPU" ? "CPU" : "Memory", " ",
                      Quote(dim.cap->text), " is not a valid quantity: ", dim.cap->error),
               StrCat("spec.sandbox.resources"));
          continue;
        }
        CheckAgainstCap("sandbox", "spec.sandbox.resources", res, dim);
      }
    }
    if (!strict_) return;
    if (have_sandbox_resources) {  // S5(a)
      const ResourceMaps& res = *spec_.sandbox->resources;
      for (const Dimension& dim : Dimensions())
        for (auto [map, field] : {std::pair{&res.requests, "requests"}, {&res.limits, "limits"}}) {
          // Only a quantity written with a leading '-' can be negative.
          const Str* value = map->Find(dim.key);
          if (value == nullptr || value->empty() || value->front() != '-') continue;
          absl::StatusOr<Quantity> q = Quantity::Parse(*value);
          if (q.ok() && q->IsNegative())
            Deny("resources.negative",
                 StrCat("sandbox ", dim.name, " ", *value, " must not be negative"),
                 StrCat("spec.sandbox.resources.", field, ".", dim.key));
        }
    }
    if (t_->has_sandbox_policy && spec_.agent_sandbox && spec_.agent_sandbox->resources) {  // S5(b)
      for (const Dimension& dim : Dimensions())
        if (dim.cap->value)
          CheckAgainstCap("agentSandbox", "spec.agentSandbox.resources",
                          *spec_.agent_sandbox->resources, dim);
    }
  }

  // Requests then limits of one dimension against its (valid) cap.
  void CheckAgainstCap(std::string_view who, std::string_view base, const ResourceMaps& res,
                       const Dimension& dim) {
    for (auto [map, field] : {std::pair{&res.requests, "requests"}, {&res.limits, "limits"}}) {
      const Str* value = map->Find(dim.key);
      if (value == nullptr || value->empty()) continue;
      absl::StatusOr<Quantity> q = Quantity::Parse(*value);
      if (!q.ok()) {
        Deny("resources.invalid_value",
             StrCat(who, " ", dim.name, " request ", Quote(*value),
                    " is not a valid quantity: ", q.status().message()),
             StrCat(base, ".", field, ".", dim.key));
      } else if (*q > *dim.cap->value) {
        Deny("resources.exceeds",
             StrCat(who, " ", dim.name, " ", *value, " exceeds policy limit ", dim.cap->text),
             StrCat(base, ".", field, ".", dim.key));
      }
    }
  }

  // Check 9 (the same rule in strict).
  void CheckDepth() {
    if (!t_->has_subagent_policy || !spec_.parent) return;
    if (t_->max_depth > 0 && spec_.parent->spawn_depth >= t_->max_depth)
      Deny(
          "subagent.depth",
          StrCat("sub-agent depth ", spec_.parent->spawn_depth, " exceeds maximum ", t_->max_depth),
          "spec.parent.spawnDepth");
  }

  // Check 10, then S7.
  void CheckTools() {
    if (!spec_.tool_policy || !t_->has_tool_gating) return;
    const List<Str>& allow = spec_.tool_policy->allow;
    for (const std::string& denied : t_->deny_rule_tools)
      for (size_t j = 0; j < allow.size(); ++j)
        if (allow[j] == denied)
          Deny("tool.denied", StrCat("tool ", Quote(denied), " is denied by policy"),
               Path2("spec.toolPolicy.allow", j));
    if (!strict_ || t_->default_action != ToolAction::kDeny) return;
    for (size_t j = 0; j < allow.size(); ++j) {
      // The runtime splits entries on ',' (docs/tools.md), so each piece counts.
      std::string_view entry = allow[j];
      while (!entry.empty()) {
        size_t comma = entry.find(',');
        std::string_view piece = entry.substr(0, comma);
        entry = comma == std::string_view::npos ? std::string_view() : entry.substr(comma + 1);
        while (!piece.empty() && (piece.front() == ' ' || piece.front() == '\t'))
          piece.remove_prefix(1);
        while (!piece.empty() && (piece.back() == ' ' || piece.back() == '\t'))
          piece.remove_suffix(1);
        if (piece.empty() || RuleMentions(piece)) continue;
        Deny("tool.denied",
             StrCat("tool ", Quote(piece), " is not allowed by policy (default deny)"),
             Path2("spec.toolPolicy.allow", j));
      }
    }
  }

  bool RuleMentions(std::string_view tool) const {
    for (const auto& [rule_tool, action] : t_->rules)
      if (rule_tool == tool) return true;
    return false;
  }

  bool GateOff(std::string_view gate) const {
    auto it = t_->feature_gates.find(AsAbsl(gate));
    return it != t_->feature_gates.end() && !it->second;
  }

  // Check 11.
  void CheckFeatureGates() {
    if (!t_->has_feature_gates) return;
    if (spec_.sandbox && spec_.sandbox->enabled && GateOff("code-execution"))
      Deny("feature_gate.disabled", "feature gate 'code-execution' is disabled by policy",
           "spec.sandbox.enabled");
    if (spec_.parent && GateOff("sub-agents"))
      Deny("feature_gate.disabled", "feature gate 'sub-agents' is disabled by policy",
           "spec.parent");
  }

  bool RuntimeClassAllowed(std::string_view cls) const {
    const auto& allowed = t_->allowed_runtime_classes;
    return std::find(allowed.begin(), allowed.end(), cls) != allowed.end();
  }

  // Check 12, then S6.
  void CheckAgentSandbox() {
    bool a = spec_.agent_sandbox && spec_.agent_sandbox->enabled;
    bool s = spec_.sandbox && spec_.sandbox->enabled;
    if (a && s)
      Deny("agent_sandbox.exclusive",
           "sandbox.enabled and agentSandbox.enabled are mutually exclusive",
           "spec.agentSandbox.enabled");
    if (a && spec_.mode == "server")
      Deny("agent_sandbox.server_mode", "agentSandbox is not supported with mode=server",
           "spec.mode");
    if (!t_->has_agent_sandbox_policy) return;
    if (t_->agent_sandbox_required && !a)
      Deny("agent_sandbox.required", "agent-sandbox mode is required by policy",
           spec_.agent_sandbox ? "spec.agentSandbox.enabled" : "spec.agentSandbox");
    if (!a || t_->allowed_runtime_classes.empty()) return;
    std::string_view cls = spec_.agent_sandbox->runtime_class;
    std::string allowed = GoList(t_->allowed_runtime_classes);
    if (!cls.empty()) {
      if (!RuntimeClassAllowed(cls))
        Deny("agent_sandbox.runtime_class",
             StrCat("runtime class ", Quote(cls), " is not allowed by policy (allowed: ", allowed,
                    ")"),
             "spec.agentSandbox.runtimeClass");
      return;
    }
    if (!strict_) return;  // compat: an empty class passes
    std::string_view fallback = t_->default_runtime_class;
    if (fallback.empty()) {
      Deny("agent_sandbox.runtime_class",
           StrCat("runtime class is required by policy (allowed: ", allowed, ")"),
           "spec.agentSandbox.runtimeClass");
    } else if (!RuntimeClassAllowed(fallback)) {
      Deny("agent_sandbox.runtime_class",
           StrCat("runtime class ", Quote(fallback),
                  " is not allowed by policy (allowed: ", allowed, ")"),
           "spec.agentSandbox.runtimeClass");
    }
  }

  // Check 13 (compat), or S2 (strict; also S1 when no policy is bound).
  void CheckEnv() {
    std::vector<const StringPair*> keys;
    keys.reserve(spec_.env.entries.size());
    for (const StringPair& e : spec_.env.entries) keys.push_back(&e);
    std::sort(keys.begin(), keys.end(),
              [](const StringPair* a, const StringPair* b) { return a->key < b->key; });
    for (const StringPair* e : keys)
      if (strict_ ? IsStrictDeniedEnv(e->key) : IsCompatDeniedEnv(e->key))
        Deny("env.denied",
             StrCat("environment variable ", Quote(e->key),
                    " is not allowed: overriding system variables is denied"),
             EnvPath(e->key));
    if (!spec_.lifecycle) return;
    CheckHookEnv("preRun", spec_.lifecycle->pre_run);
    CheckHookEnv("postRun", spec_.lifecycle->post_run);
  }

  void CheckHookEnv(std::string_view phase, const List<LifecycleHook>& hooks) {
    for (size_t h = 0; h < hooks.size(); ++h) {
      const LifecycleHook& hook = hooks[h];
      for (size_t i = 0; i < hook.env.size(); ++i) {
        const EnvVar& env = hook.env[i];
        // Paths and messages are built only for a violation.
        auto path = [&](std::string_view field) {
          return StrCat("spec.lifecycle.", phase, "[", h, "].env[", i, "]", field);
        };
        if (strict_ && IsStrictDeniedEnv(env.name))
          Deny("env.denied",
               StrCat(phase, " hook ", Quote(hook.name), ": environment variable ", Quote(env.name),
                      " is not allowed: overriding system variables is denied"),
               path(".name"));
        if (!env.value_from) continue;
        auto invalid = [&](std::string_view problem, std::string_view field) {
          Deny("hook_env.invalid",
               StrCat(phase, " hook ", Quote(hook.name), " env ", Quote(env.name), ": ", problem),
               path(field));
        };
        if (!env.value.empty()) {
          invalid("value and valueFrom are mutually exclusive", ".valueFrom");
        } else if (!env.value_from->secret_key_ref) {
          invalid("valueFrom must set secretKeyRef", ".valueFrom");
        } else if (env.value_from->secret_key_ref->name.empty() ||
                   env.value_from->secret_key_ref->key.empty()) {
          invalid("secretKeyRef requires both name and key", ".valueFrom.secretKeyRef");
        }
      }
    }
  }

  bool ImageAllowed(std::string_view image) const {
    const RegistryAllowlist& allowlist = t_->registry_allowlist;
    return strict_ ? allowlist.MatchesStrict(image) : allowlist.MatchesCompat(image);
  }

  // `path()` makes the violation's path; only a denied image needs one.
  template <class PathFn>
  void CheckImage(std::string_view image, PathFn path) {
    if (ImageAllowed(image)) return;
    if (decision_.full()) {  // a message would only be counted: skip building it
      ++decision_.omitted_violations;
      return;
    }
    Deny("image.registry",
         StrCat("image ", Quote(image),
                " is not from an allowed registry (allowed: ", t_->allowed_registries_text, ")"),
         path());
  }

  // Check 14, or S3.
  void CheckImages() {
    if (t_->allowed_registries.empty()) return;
    if (spec_.lifecycle) {
      for (size_t i = 0; i < spec_.lifecycle->pre_run.size(); ++i)
        CheckImage(spec_.lifecycle->pre_run[i].image,
                   [&] { return Path2("spec.lifecycle.preRun", i, ".image"); });
      for (size_t i = 0; i < spec_.lifecycle->post_run.size(); ++i)
        CheckImage(spec_.lifecycle->post_run[i].image,
                   [&] { return Path2("spec.lifecycle.postRun", i, ".image"); });
    }
    auto sandbox_image = [] { return std::string("spec.sandbox.image"); };
    if (spec_.sandbox && !spec_.sandbox->image.empty())
      CheckImage(spec_.sandbox->image, sandbox_image);
    if (!strict_) return;
    if (spec_.sandbox && spec_.sandbox->enabled && spec_.sandbox->image.empty() &&
        !t_->default_image.empty())
      CheckImage(t_->default_image, sandbox_image);
    for (const ResolvedPack& p : packs_)
      if (!p.pack->spec.sidecar->image.empty())
        CheckImage(p.pack->spec.sidecar->image, [&] { return p.path(); });
  }

  // Check 15, or S4.
  void CheckRbac() {
    if (t_->denied_resources.empty()) return;
    if (spec_.lifecycle) {
      const List<RbacRule>& rules = spec_.lifecycle->rbac;
      for (size_t r = 0; r < rules.size(); ++r)
        for (size_t k = 0; k < rules[r].resources.size(); ++k) {
          Str res = rules[r].resources[k];
          if (RequestedResourceIsDenied(res, t_->denied_resource_set, strict_))
            Deny("rbac.denied_resource",
                 StrCat("lifecycle RBAC requests access to denied resource ", Quote(res)),
                 StrCat("spec.lifecycle.rbac[", r, "].resources[", k, "]"));
        }
    }
    if (!strict_) return;
    for (const ResolvedPack& p : packs_)
      for (const List<RbacRule>* rules :
           {&p.pack->spec.sidecar->rbac, &p.pack->spec.sidecar->cluster_rbac})
        for (const RbacRule& rule : *rules)
          for (Str res : rule.resources)
            if (RequestedResourceIsDenied(res, t_->denied_resource_set, true))
              Deny("rbac.denied_resource",
                   StrCat("SkillPack ", Quote(p.name),
                          " sidecar RBAC requests access to denied resource ", Quote(res)),
                   p.path());
  }

  // S8.
  void CheckModel() {
    bool by_ref = !spec_.model.model_ref.empty();
    std::string_view model = by_ref ? spec_.model.model_ref : spec_.model.model;
    const auto& models = t_->allowed_models;
    if (!models.empty() && std::find(models.begin(), models.end(), model) == models.end())
      Deny("model.not_allowed",
           StrCat("model ", Quote(model), " is not allowed by policy (allowed: ", GoList(models),
                  ")"),
           by_ref ? "spec.model.modelRef" : "spec.model.model");
    const auto& namespaces = t_->allowed_namespaces;
    std::string_view ns = run_.metadata.namespace_;
    if (by_ref && !namespaces.empty() &&
        std::find(namespaces.begin(), namespaces.end(), ns) == namespaces.end())
      Deny("model.not_allowed",
           StrCat("model namespace ", Quote(ns),
                  " is not allowed by policy (allowed: ", GoList(namespaces), ")"),
           "spec.model.modelRef");
  }

  const AgentRun& run_;
  const AgentRunSpec& spec_;
  const Binding& binding_;
  bool strict_;
  Decision decision_;
  const CompiledPolicy* policy_ = nullptr;
  const PolicyTable* t_ = nullptr;
  std::vector<ResolvedPack> packs_;
};

}  // namespace

Decision EvaluateAgentRun(const AgentRun& run, const Binding& binding,
                          const EvaluateOptions& options) {
  return AgentRunChecks(run, binding, options).Run();
}

}  // namespace sympozium
