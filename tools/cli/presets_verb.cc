// presets: the built-in presets, their settings and their tool decisions.
#include <iostream>

#include "lib/compile/policy_table.h"
#include "lib/write/write.h"
#include "sympozium/strings.h"
#include "sympozium/tool_gate.h"
#include "tools/cli/cli.h"
#include "tools/cli/verbs.h"

namespace sympozium::cli {
namespace {

std::string Pad(std::string s, size_t width) {
  if (s.size() < width) s.resize(width, ' ');
  return s;
}

std::string Cap(const QuantityCap& cap) { return cap.set() ? cap.text : "-"; }

}  // namespace

int PresetsVerb(const std::vector<std::string>& argv) {
  auto args = Args::Parse(argv, CommonFlags({}));
  if (!args.ok()) return Fail(args.status());
  auto mode = ModeFlag(*args);
  if (!mode.ok()) return Fail(mode.status());
  auto output = OutputFlag(*args, {"text", "json"});
  if (!output.ok()) return Fail(output.status());
  std::vector<PolicyPtr> presets;
  for (const PresetInfo& info : Presets()) {
    auto p = Preset(info.name, *mode);
    if (!p.ok()) return Fail(p.status());
    presets.push_back(*p);
  }
  if (*output == "json") {
    std::string json = "[";
    for (size_t i = 0; i < presets.size(); ++i) {
      const CompiledPolicy& p = *presets[i];
      StrAppend(&json, i ? "," : "", "{\"preset\":");
      AppendJsonString(&json, p.preset());
      json += ",\"tools\":{";
      for (size_t t = 0; t < BuiltinTools().size(); ++t) {
        std::string_view tool = BuiltinTools()[t];
        if (t) json += ",";
        AppendJsonString(&json, tool);
        json += ":";
        AppendJsonString(&json, ToolActionName(DecideTool(&p, nullptr, tool).action));
      }
      json += "}}";
    }
    std::cout << json << "]\n";
    return kExitOk;
  }
  std::string header = Pad("tool", 26);
  for (const PolicyPtr& p : presets) header += Pad(p->preset(), 22);
  std::cout << header << "\n";
  for (std::string_view tool : BuiltinTools()) {
    std::string row = Pad(std::string(tool), 26);
    for (const PolicyPtr& p : presets)
      row += Pad(std::string(ToolActionName(DecideTool(p.get(), nullptr, tool).action)), 22);
    std::cout << row << "\n";
  }
  std::cout << "\n" << Pad("setting", 26);
  for (const PolicyPtr& p : presets) std::cout << Pad(p->preset(), 22);
  std::cout << "\n";
  auto line = [&](const std::string& name, auto field) {
    std::string row = Pad(name, 26);
    for (const PolicyPtr& p : presets) row += Pad(field(TableOf(*p)), 22);
    std::cout << row << "\n";
  };
  line("sandbox required", [](const PolicyTable& t) { return t.sandbox_required ? "yes" : "no"; });
  line("maxCPU / maxMemory",
       [](const PolicyTable& t) { return StrCat(Cap(t.max_cpu), " / ", Cap(t.max_memory)); });
  line("default tool action",
       [](const PolicyTable& t) { return std::string(ToolActionName(t.default_action)); });
  line("maxDepth / maxConcurrent",
       [](const PolicyTable& t) { return StrCat(t.max_depth, " / ", t.max_concurrent); });
  line("network deny-all", [](const PolicyTable& t) {
    return std::string(!t.has_network_policy ? "-" : t.deny_all ? "yes" : "no");
  });
  line("allowed registries", [](const PolicyTable& t) {
    return t.allowed_registries.empty() ? std::string("any")
                                        : StrCat(t.allowed_registries.size(), " entries");
  });
  // The pod rules (docs/pod-security.md): every preset enforces the
  // restricted standard at its latest version plus Sympozium's own rules;
  // only host access and the seccomp type differ by policy.
  line("pod rules", [](const PolicyTable&) { return std::string("restricted + P2,P9-14"); });
  line("pod host access", [](const PolicyTable& t) {
    return std::string(t.allow_host_mounts ? "permitted" : "forbidden");
  });
  line("pod seccomp type", [](const PolicyTable& t) {
    return t.seccomp_type.empty() ? std::string("RuntimeDefault|Localhost") : t.seccomp_type;
  });
  return kExitOk;
}

}  // namespace sympozium::cli
