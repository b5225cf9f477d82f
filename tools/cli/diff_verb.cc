// diff: what changes for users between two policies. Every tool whose
// decision changes (the built-in tools and every tool either policy names),
// then the settings that tighten, loosen or just change: caps and limits,
// sandbox requirements, allowlists, denied resources, feature gates and the
// network policy. Information, so exit 0, unless --fail-on-looser is given
// and something loosens (exit 1). Each side may hold several policies (a
// directory, a multi-document file); they are then paired by
// namespace/name, and a policy on one side only is added or removed.
#include <algorithm>
#include <iostream>
#include <map>
#include <optional>

#include "lib/compile/compile.h"
#include "lib/compile/policy_table.h"
#include "lib/decode/decode.h"
#include "sympozium/strings.h"
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
    for (const auto& [tool, action] : TableOf(*p).rules)
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
  add("*", fallback(TableOf(a)), fallback(TableOf(b)));
  return changes;
}

std::string Pad(std::string s, size_t width) {
  if (s.size() < width) s.resize(width, ' ');
  return s;
}

// The changes between two policies, counted by direction.
struct PairDiff {
  std::vector<Change> tools;
  std::vector<Change> settings;
  size_t counts[3] = {0, 0, 0};  // indexed by Direction

  size_t tighter() const { return counts[static_cast<int>(Direction::kTighter)]; }
  size_t looser() const { return counts[static_cast<int>(Direction::kLooser)]; }
  size_t changed() const { return counts[static_cast<int>(Direction::kChanged)]; }
  size_t total() const { return counts[0] + counts[1] + counts[2]; }
};

PairDiff DiffPair(const CompiledPolicy& a, const CompiledPolicy& b) {
  PairDiff d;
  d.tools = ToolChanges(a, b);
  d.settings = Differ(TableOf(a), TableOf(b)).Settings();
  for (const std::vector<Change>* list : {&d.tools, &d.settings})
    for (const Change& c : *list) ++d.counts[static_cast<int>(c.direction)];
  return d;
}

void PrintText(const std::string& old_label, const std::string& new_label, Mode mode,
               const PairDiff& d) {
  std::cout << "diff " << old_label << " -> " << new_label << " (" << ModeName(mode) << " mode)\n";
  if (d.total() == 0) {
    std::cout << "no changes for users\n";
    return;
  }
  if (!d.tools.empty()) {
    std::cout << "\nTool decisions (for a run without its own toolPolicy):\n";
    for (const Change& c : d.tools)
      std::cout << "  " << Pad(c.field == "*" ? "(any other tool)" : c.field, 26)
                << Pad(StrCat(c.before, " -> ", c.after), 16) << DirectionName(c.direction) << "\n";
  }
  if (!d.settings.empty()) {
    std::cout << "\nSettings:\n";
    size_t width = 0;
    for (const Change& c : d.settings) width = std::max(width, c.field.size());
    for (const Change& c : d.settings) {
      std::string what = c.before.empty()  ? StrCat("+ ", c.after)
                         : c.after.empty() ? StrCat("- ", c.before)
                                           : StrCat(c.before, " -> ", c.after);
      std::cout << "  " << Pad(c.field, width + 2) << Pad(what, 24) << " "
                << DirectionName(c.direction) << "\n";
    }
  }
  std::cout << "\n"
            << d.total() << " changes: " << d.tighter() << " tighter, " << d.looser() << " looser, "
            << d.changed() << " changed\n";
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

// One pair as a JSON object; `policy` (namespace/name) only when pairing.
void AppendPair(Json& json, std::string_view policy, const std::string& old_label,
                const std::string& new_label, Mode mode, const PairDiff& d) {
  json.BeginObject();
  if (!policy.empty()) json.Field("policy", policy);
  json.Field("old", old_label).Field("new", new_label).Field("mode", ModeName(mode));
  AppendChanges(json, "tools", "tool", d.tools);
  AppendChanges(json, "settings", "field", d.settings);
  json.Field("tighter", d.tighter())
      .Field("looser", d.looser())
      .Field("changed", d.changed())
      .EndObject();
}

constexpr std::string_view kPreset = "preset:";

bool IsPreset(const std::string& operand) {
  return operand.compare(0, kPreset.size(), kPreset) == 0;
}

LoadedPolicy FromFile(PolicyPtr p) {
  std::string label = StrCat("policy ", p->name(), " (", p->source(), ")");
  return LoadedPolicy{std::move(p), std::move(label)};
}

// Every policy an operand names: a preset, or the SympoziumPolicies of a
// file, multi-document file or directory. A lone document is compiled
// whatever its kind, so a wrong kind is reported as for a single policy;
// among several, other kinds (the Agents of a cluster dump) are skipped.
absl::StatusOr<std::vector<LoadedPolicy>> LoadPolicies(const std::string& operand, Mode mode,
                                                       const Limits& limits) {
  std::vector<LoadedPolicy> out;
  if (IsPreset(operand)) {
    absl::StatusOr<LoadedPolicy> p = LoadPolicyOperand(operand, mode, limits);
    if (!p.ok()) return p.status();
    out.push_back(std::move(*p));
    return out;
  }
  absl::StatusOr<std::vector<Document>> docs = LoadDocuments({operand}, limits);
  if (!docs.ok()) return docs.status();
  CompileOptions options;
  options.mode = mode;
  options.limits = limits;
  for (Document& doc : *docs) {
    if (docs->size() > 1 && doc.kind() != "SympoziumPolicy") continue;
    absl::StatusOr<Decoded<Policy>> decoded = DecodePolicy(std::move(doc));
    if (!decoded.ok()) return decoded.status();
    absl::StatusOr<PolicyPtr> p = Compile(*decoded, options);
    if (!p.ok()) return p.status();
    out.push_back(FromFile(*p));
  }
  if (out.empty())
    return absl::InvalidArgumentError(
        StrCat(operand == "-" ? "<stdin>" : operand, ": no SympoziumPolicy documents"));
  return out;
}

// `namespace/name`, or the name alone for a policy without a namespace (a
// preset).
std::string PolicyKey(const CompiledPolicy& p) {
  return p.namespace_().empty() ? p.name() : StrCat(p.namespace_(), "/", p.name());
}

// One side's policies by PolicyKey; a key twice is an error, since the
// pairing would be ambiguous.
absl::StatusOr<std::map<std::string, const LoadedPolicy*>> ByKey(
    const std::string& operand, const std::vector<LoadedPolicy>& policies) {
  std::map<std::string, const LoadedPolicy*> out;
  for (const LoadedPolicy& p : policies) {
    auto [it, inserted] = out.emplace(PolicyKey(*p.policy), &p);
    if (!inserted)
      return absl::InvalidArgumentError(StrCat(operand, ": SympoziumPolicy ", it->first,
                                               " appears twice (", it->second->policy->source(),
                                               " and ", p.policy->source(), ")"));
  }
  return out;
}

// Several policies on a side: pairs by namespace/name, then the policies on
// one side only. An added policy counts as looser: it newly governs its
// namespace, admitting runs whose Agents name it.
int DiffPaired(const Args& args, Mode mode, bool json_output,
               const std::vector<LoadedPolicy>& before, const std::vector<LoadedPolicy>& after) {
  const std::string& old_operand = args.positional()[0];
  const std::string& new_operand = args.positional()[1];
  auto old_keys = ByKey(old_operand, before);
  if (!old_keys.ok()) return Fail(old_keys.status());
  auto new_keys = ByKey(new_operand, after);
  if (!new_keys.ok()) return Fail(new_keys.status());

  struct Pair {
    const std::string* key;
    const LoadedPolicy* before;
    const LoadedPolicy* after;
    PairDiff diff;
  };
  std::vector<Pair> pairs;
  std::vector<std::pair<const std::string*, const LoadedPolicy*>> added, removed;
  size_t counts[3] = {0, 0, 0};
  for (const auto& [key, p] : *old_keys) {
    auto it = new_keys->find(key);
    if (it == new_keys->end()) {
      removed.emplace_back(&key, p);
      continue;
    }
    pairs.push_back({&key, p, it->second, DiffPair(*p->policy, *it->second->policy)});
    for (int i = 0; i < 3; ++i) counts[i] += pairs.back().diff.counts[i];
  }
  for (const auto& [key, p] : *new_keys)
    if (old_keys->count(key) == 0) added.emplace_back(&key, p);
  size_t tighter = counts[0], looser = counts[1] + added.size(), changed = counts[2];

  if (json_output) {
    Json json;
    json.BeginObject()
        .Field("old", old_operand)
        .Field("new", new_operand)
        .Field("mode", ModeName(mode))
        .Key("pairs")
        .BeginArray();
    for (const Pair& p : pairs)
      AppendPair(json, *p.key, p.before->label, p.after->label, mode, p.diff);
    json.EndArray().Key("added").BeginArray();
    for (const auto& [key, p] : added)
      json.BeginObject()
          .Field("policy", *key)
          .Field("new", p->label)
          .Field("direction", DirectionName(Direction::kLooser))
          .EndObject();
    json.EndArray().Key("removed").BeginArray();
    for (const auto& [key, p] : removed)
      json.BeginObject().Field("policy", *key).Field("old", p->label).EndObject();
    json.EndArray()
        .Field("tighter", tighter)
        .Field("looser", looser)
        .Field("changed", changed)
        .EndObject();
    std::cout << json.str() << "\n";
  } else {
    std::cout << "diff " << old_operand << " -> " << new_operand << " (" << ModeName(mode)
              << " mode), policies paired by namespace/name\n";
    for (const Pair& p : pairs) {
      std::cout << "\n== " << *p.key << "\n";
      PrintText(p.before->label, p.after->label, mode, p.diff);
    }
    if (!added.empty() || !removed.empty()) std::cout << "\n";
    for (const auto& [key, p] : added)
      std::cout << "added    " << *key << ": " << p->label
                << "  looser (it newly governs its namespace)\n";
    for (const auto& [key, p] : removed)
      std::cout << "removed  " << *key << ": " << p->label << "\n";
    std::cout << "\n"
              << pairs.size() << (pairs.size() == 1 ? " pair, " : " pairs, ") << added.size()
              << " added, " << removed.size() << " removed: " << tighter << " tighter, " << looser
              << " looser, " << changed << " changed\n";
  }
  return args.Has("fail-on-looser") && looser > 0 ? kExitDenied : kExitOk;
}

}  // namespace

absl::StatusOr<LoadedPolicy> LoadPolicyOperand(const std::string& operand, Mode mode,
                                               const Limits& limits) {
  if (IsPreset(operand)) {
    absl::StatusOr<PolicyPtr> p = Preset(operand.substr(kPreset.size()), mode);
    if (!p.ok()) return p.status();
    return LoadedPolicy{*p, StrCat("preset ", (*p)->preset())};
  }
  absl::StatusOr<std::string> text = ReadFile(operand, limits);
  if (!text.ok()) return text.status();
  CompileOptions options;
  options.mode = mode;
  options.limits = limits;
  absl::StatusOr<PolicyPtr> p = CompilePolicy(*text, options, operand == "-" ? "<stdin>" : operand);
  if (!p.ok()) return p.status();
  return FromFile(*p);
}

int Diff(const std::vector<std::string>& argv) {
  auto parsed = ParseReaderArgs(argv, {{"fail-on-looser", false}}, {"text", "json"});
  if (!parsed.ok()) return Fail(parsed.status());
  const auto& [args, mode, output, limits] = *parsed;
  if (args.positional().size() != 2)
    return Fail("diff needs two policies, OLD and NEW (see diff --help)");
  auto before = LoadPolicies(args.positional()[0], mode, limits);
  if (!before.ok()) return Fail(before.status());
  auto after = LoadPolicies(args.positional()[1], mode, limits);
  if (!after.ok()) return Fail(after.status());
  if (before->size() > 1 || after->size() > 1)
    return DiffPaired(args, mode, output == "json", *before, *after);

  // One policy a side: compared whatever their names.
  const LoadedPolicy& a = before->front();
  const LoadedPolicy& b = after->front();
  PairDiff d = DiffPair(*a.policy, *b.policy);
  if (output == "json") {
    Json json;
    AppendPair(json, "", a.label, b.label, mode, d);
    std::cout << json.str() << "\n";
  } else {
    PrintText(a.label, b.label, mode, d);
  }
  return args.Has("fail-on-looser") && d.looser() > 0 ? kExitDenied : kExitOk;
}

}  // namespace sympozium::cli
