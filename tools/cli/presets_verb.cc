// presets: the built-in presets, their settings and their tool decisions.
#include <iostream>

#include "sympozium/json.h"
#include "sympozium/policy_diff.h"
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
  std::vector<std::vector<PolicySetting>> settings;
  for (const PolicyPtr& p : presets) settings.push_back(DescribeSettings(*p));
  for (size_t row = 0; row < settings.front().size(); ++row) {
    std::string line = Pad(settings.front()[row].name, 26);
    for (const std::vector<PolicySetting>& s : settings) line += Pad(s[row].value, 22);
    std::cout << line << "\n";
  }
  return kExitOk;
}

}  // namespace sympozium::cli
