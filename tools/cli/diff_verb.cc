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

#include "sympozium/policy_diff.h"
#include "sympozium/strings.h"
#include "tools/cli/cli.h"
#include "tools/cli/report.h"
#include "tools/cli/verbs.h"

namespace sympozium::cli {
namespace {

std::string Pad(std::string s, size_t width) {
  if (s.size() < width) s.resize(width, ' ');
  return s;
}

void PrintText(const std::string& old_label, const std::string& new_label, Mode mode,
               const PolicyDiff& d) {
  std::cout << "diff " << old_label << " -> " << new_label << " (" << ModeName(mode) << " mode)\n";
  if (d.total() == 0) {
    std::cout << "no changes for users\n";
    return;
  }
  if (!d.tools.empty()) {
    std::cout << "\nTool decisions (for a run without its own toolPolicy):\n";
    for (const PolicyChange& c : d.tools)
      std::cout << "  " << Pad(c.field == "*" ? "(any other tool)" : c.field, 26)
                << Pad(StrCat(c.before, " -> ", c.after), 16) << ChangeDirectionName(c.direction)
                << "\n";
  }
  if (!d.settings.empty()) {
    std::cout << "\nSettings:\n";
    size_t width = 0;
    for (const PolicyChange& c : d.settings) width = std::max(width, c.field.size());
    for (const PolicyChange& c : d.settings) {
      std::string what = c.before.empty()  ? StrCat("+ ", c.after)
                         : c.after.empty() ? StrCat("- ", c.before)
                                           : StrCat(c.before, " -> ", c.after);
      std::cout << "  " << Pad(c.field, width + 2) << Pad(what, 24) << " "
                << ChangeDirectionName(c.direction) << "\n";
    }
  }
  std::cout << "\n"
            << d.total() << " changes: " << d.tighter() << " tighter, " << d.looser() << " looser, "
            << d.changed() << " changed\n";
}

void AppendChanges(Json& json, std::string_view key, std::string_view name,
                   const std::vector<PolicyChange>& changes) {
  json.Key(key).BeginArray();
  for (const PolicyChange& c : changes) {
    json.BeginObject().Field(name, c.field);
    for (const auto& [k, v] : {std::pair{"old", &c.before}, std::pair{"new", &c.after}}) {
      json.Key(k);
      if (v->empty()) {
        json.Null();
      } else {
        json.String(*v);
      }
    }
    json.Field("direction", ChangeDirectionName(c.direction)).EndObject();
  }
  json.EndArray();
}

// One pair as a JSON object; `policy` (namespace/name) only when pairing.
void AppendPair(Json& json, std::string_view policy, const std::string& old_label,
                const std::string& new_label, Mode mode, const PolicyDiff& d) {
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
    absl::StatusOr<PolicyPtr> p = Compile(doc, options);
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
    PolicyDiff diff;
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
    pairs.push_back({&key, p, it->second, DiffPolicies(*p->policy, *it->second->policy)});
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
          .Field("direction", ChangeDirectionName(ChangeDirection::kLooser))
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
  PolicyDiff d = DiffPolicies(*a.policy, *b.policy);
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
