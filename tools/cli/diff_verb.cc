// diff: what changes for users between two policies. Every tool whose
// decision changes (the built-in tools and every tool either policy names),
// then the settings that tighten, loosen or just change: caps and limits,
// sandbox requirements, allowlists, denied resources, feature gates and the
// network policy. Information, so exit 0, unless --fail-on-looser is given
// and something loosens (exit 1).
#include <algorithm>
#include <iostream>
#include <optional>

#include "lib/base/strings.h"
#include "sympozium/tool_gate.h"
#include "tools/cli/cli.h"
#include "tools/cli/report.h"
#include "tools/cli/verbs.h"

namespace sympozium::cli {
namespace {

enum class Direction { kTighter, kLooser, kChanged };

std::string_view DirectionName(Direction d) {
  return d == Direction::kTighter ? "tighter" : d == Direction::kLooser ? "looser" : "changed";
}

// One line of the diff: `field` went from `before` to `after` ("" = an
// allowlist entry that is not there).
struct Change {
  std::string field;
  std::string before;
  std::string after;
  Direction direction;
};

// Orders a comparison: `tighter` when the new value restricts more.
Direction Compare(int before_rank, int after_rank) {
  return after_rank > before_rank ? Direction::kTighter : Direction::kLooser;
}

int Rank(ToolAction a) { return a == ToolAction::kDeny ? 2 : a == ToolAction::kAsk ? 1 : 0; }

class Differ {
 public:
  Differ(const PolicyTable& a, const PolicyTable& b) : a_(a), b_(b) {}

  std::vector<Change> Settings() {
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
            Direction::kTighter);
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

  void Add(std::string field, std::string before, std::string after, Direction d) {
    changes_.push_back({std::move(field), std::move(before), std::move(after), d});
  }

  // `looser_when_true`: whether turning the setting on loosens.
  void Bool(std::string field, bool before, bool after, bool looser_when_true) {
    if (before == after) return;
    Add(std::move(field), before ? "true" : "false", after ? "true" : "false",
        after == looser_when_true ? Direction::kLooser : Direction::kTighter);
  }

  void Text(std::string field, const std::string& before, const std::string& after) {
    if (before == after) return;
    Add(std::move(field), before.empty() ? "none" : before, after.empty() ? "none" : after,
        Direction::kChanged);
  }

  // Caps compare as quantities ("2000m" is "2"); no cap is no limit.
  void Cap(std::string field, const QuantityCap& before, const QuantityCap& after) {
    std::string b = before.set() ? before.text : "none";
    std::string a = after.set() ? after.text : "none";
    if (!before.value || !after.value) {
      if (before.set() != after.set() && (before.value || after.value)) {
        Add(std::move(field), b, a, after.set() ? Direction::kTighter : Direction::kLooser);
      } else if (b != a) {
        Add(std::move(field), b, a, Direction::kChanged);  // a cap that is not a quantity
      }
      return;
    }
    int c = after.value->Compare(*before.value);
    if (c != 0) Add(std::move(field), b, a, c < 0 ? Direction::kTighter : Direction::kLooser);
  }

  void Limit(std::string field, std::optional<int64_t> before, std::optional<int64_t> after) {
    if (before == after) return;
    auto text = [](std::optional<int64_t> v) { return v ? StrCat(*v) : std::string("none"); };
    bool tighter = !before || (after && *after < *before);
    Add(std::move(field), text(before), text(after),
        tighter ? Direction::kTighter : Direction::kLooser);
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
    Direction d = filters(before) == filters(after) ? Direction::kChanged
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
    Entries("spec.networkPolicy.allowedEgress", egress(a_), egress(b_), Direction::kLooser);
  }

  // A list where empty means "any": restricting from any tightens, opening
  // to any loosens, and otherwise an added entry loosens.
  void Allowlist(const std::string& field, const std::vector<std::string>& before,
                 const std::vector<std::string>& after) {
    if (before.empty() != after.empty()) {
      Add(field, before.empty() ? "any" : GoList(before), after.empty() ? "any" : GoList(after),
          before.empty() ? Direction::kTighter : Direction::kLooser);
      return;
    }
    Entries(field, before, after, Direction::kLooser);
  }

  // Entries added (direction `added`) and removed (the opposite).
  void Entries(const std::string& field, const std::vector<std::string>& before,
               const std::vector<std::string>& after, Direction added) {
    Direction removed = added == Direction::kLooser ? Direction::kTighter : Direction::kLooser;
    for (const std::string& e : before)
      if (std::find(after.begin(), after.end(), e) == after.end()) Add(field, e, "", removed);
    for (const std::string& e : after)
      if (std::find(before.begin(), before.end(), e) == before.end()) Add(field, "", e, added);
  }

  const PolicyTable& a_;
  const PolicyTable& b_;
  std::vector<Change> changes_;
};

// Tool decisions for a run without its own toolPolicy: the built-in tools,
// every tool either policy names, then "*" for any other tool (defaultAction).
std::vector<Change> ToolChanges(const CompiledPolicy& a, const CompiledPolicy& b) {
  std::vector<std::string> tools(BuiltinTools().begin(), BuiltinTools().end());
  std::vector<std::string> named;
  for (const CompiledPolicy* p : {&a, &b})
    for (const auto& [tool, action] : p->table().rules)
      if (!IsBuiltinTool(tool)) named.push_back(tool);
  std::sort(named.begin(), named.end());
  named.erase(std::unique(named.begin(), named.end()), named.end());
  tools.insert(tools.end(), named.begin(), named.end());
  std::vector<Change> changes;
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
  add("*", fallback(a.table()), fallback(b.table()));
  return changes;
}

std::string Pad(std::string s, size_t width) {
  if (s.size() < width) s.resize(width, ' ');
  return s;
}

void PrintText(const std::string& old_label, const std::string& new_label, Mode mode,
               const std::vector<Change>& tools, const std::vector<Change>& settings) {
  std::cout << "diff " << old_label << " -> " << new_label << " (" << ModeName(mode) << " mode)\n";
  if (tools.empty() && settings.empty()) {
    std::cout << "no changes for users\n";
    return;
  }
  if (!tools.empty()) {
    std::cout << "\nTool decisions (for a run without its own toolPolicy):\n";
    for (const Change& c : tools)
      std::cout << "  " << Pad(c.field == "*" ? "(any other tool)" : c.field, 26)
                << Pad(StrCat(c.before, " -> ", c.after), 16) << DirectionName(c.direction) << "\n";
  }
  if (!settings.empty()) {
    std::cout << "\nSettings:\n";
    size_t width = 0;
    for (const Change& c : settings) width = std::max(width, c.field.size());
    for (const Change& c : settings) {
      std::string what = c.before.empty()  ? StrCat("+ ", c.after)
                         : c.after.empty() ? StrCat("- ", c.before)
                                           : StrCat(c.before, " -> ", c.after);
      std::cout << "  " << Pad(c.field, width + 2) << Pad(what, 24) << " "
                << DirectionName(c.direction) << "\n";
    }
  }
}

void AppendChanges(Json& json, std::string_view key, std::string_view name,
                   const std::vector<Change>& changes) {
  json.Key(key).BeginArray();
  for (const Change& c : changes) {
    json.BeginObject().Field(name, c.field);
    for (const auto& [k, v] : {std::pair{"old", &c.before}, std::pair{"new", &c.after}}) {
      json.Key(k);
      if (v->empty()) {
        json.Null();
      } else {
        json.String(*v);
      }
    }
    json.Field("direction", DirectionName(c.direction)).EndObject();
  }
  json.EndArray();
}

}  // namespace

absl::StatusOr<LoadedPolicy> LoadPolicyOperand(const std::string& operand, Mode mode,
                                               const Limits& limits) {
  constexpr std::string_view kPreset = "preset:";
  if (operand.compare(0, kPreset.size(), kPreset) == 0) {
    absl::StatusOr<PolicyPtr> p = Preset(operand.substr(kPreset.size()), mode);
    if (!p.ok()) return p.status();
    return LoadedPolicy{*p, StrCat("preset ", (*p)->preset())};
  }
  absl::StatusOr<std::string> text = ReadFile(operand, limits);
  if (!text.ok()) return text.status();
  CompileOptions options;
  options.mode = mode;
  options.limits = limits;
  std::string source = operand == "-" ? "<stdin>" : operand;
  absl::StatusOr<PolicyPtr> p = CompilePolicy(*text, options, source);
  if (!p.ok()) return p.status();
  return LoadedPolicy{*p, StrCat("policy ", (*p)->name(), " (", source, ")")};
}

int Diff(const std::vector<std::string>& argv) {
  auto args = Args::Parse(argv, ReaderFlags({{"fail-on-looser", false}}));
  if (!args.ok()) return Fail(args.status());
  auto mode = ModeFlag(*args);
  if (!mode.ok()) return Fail(mode.status());
  auto output = OutputFlag(*args, {"text", "json"});
  if (!output.ok()) return Fail(output.status());
  auto limits = LimitsFlag(*args);
  if (!limits.ok()) return Fail(limits.status());
  if (args->positional().size() != 2)
    return Fail("diff needs two policies, OLD and NEW (see diff --help)");
  auto before = LoadPolicyOperand(args->positional()[0], *mode, *limits);
  if (!before.ok()) return Fail(before.status());
  auto after = LoadPolicyOperand(args->positional()[1], *mode, *limits);
  if (!after.ok()) return Fail(after.status());

  std::vector<Change> tools = ToolChanges(*before->policy, *after->policy);
  std::vector<Change> settings = Differ(before->policy->table(), after->policy->table()).Settings();
  size_t counts[3] = {0, 0, 0};
  for (const std::vector<Change>* list : {&tools, &settings})
    for (const Change& c : *list) ++counts[static_cast<int>(c.direction)];
  size_t tighter = counts[0], looser = counts[1], changed = counts[2];

  if (*output == "json") {
    Json json;
    json.BeginObject()
        .Field("old", before->label)
        .Field("new", after->label)
        .Field("mode", ModeName(*mode));
    AppendChanges(json, "tools", "tool", tools);
    AppendChanges(json, "settings", "field", settings);
    json.Field("tighter", tighter).Field("looser", looser).Field("changed", changed).EndObject();
    std::cout << json.str() << "\n";
  } else {
    PrintText(before->label, after->label, *mode, tools, settings);
    if (tighter + looser + changed > 0)
      std::cout << "\n"
                << tighter + looser + changed << " changes: " << tighter << " tighter, " << looser
                << " looser, " << changed << " changed\n";
  }
  return args->Has("fail-on-looser") && looser > 0 ? kExitDenied : kExitOk;
}

}  // namespace sympozium::cli
