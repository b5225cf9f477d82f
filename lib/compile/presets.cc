// Built-in presets (docs/presets.md), compiled from the YAML in lib/data/presets.
#include <mutex>

#include "absl/strings/str_join.h"
#include "lib/data/embedded.h"
#include "sympozium/policy.h"
#include "sympozium/strings.h"

namespace sympozium {
namespace {

constexpr std::string_view kPresetNames[] = {"permissive", "default", "restrictive",
                                             "network-isolated"};

std::string VersionOf(std::string_view yaml) {
  // The annotation line `sympozium.ai/preset-version: v1`.
  constexpr std::string_view kKey = "sympozium.ai/preset-version:";
  size_t at = yaml.find(kKey);
  if (at == std::string_view::npos) return "";
  size_t start = yaml.find_first_not_of(' ', at + kKey.size());
  size_t end = yaml.find('\n', start);
  return std::string(yaml.substr(start, end - start));
}

}  // namespace

const std::vector<PresetInfo>& Presets() {
  static const std::vector<PresetInfo> presets = [] {
    std::vector<PresetInfo> out;
    for (std::string_view name : kPresetNames) {
      std::string_view yaml = data::Embedded(StrCat("presets/", std::string(name), ".yaml"));
      out.push_back({std::string(name), VersionOf(yaml), yaml});
    }
    return out;
  }();
  return presets;
}

absl::StatusOr<PolicyPtr> Preset(std::string_view name, Mode mode) {
  std::string_view version;
  if (size_t at = name.find('@'); at != std::string_view::npos) {
    version = name.substr(at + 1);
    name = name.substr(0, at);
  }
  const std::vector<PresetInfo>& presets = Presets();
  for (size_t i = 0; i < presets.size(); ++i) {
    const PresetInfo& info = presets[i];
    if (info.name != name) continue;
    if (!version.empty() && version != info.version)
      return absl::NotFoundError(StrCat("preset ", std::string(name), " has no version ",
                                        std::string(version), " (it is at ", info.version, ")"));
    // Compiled once per process and mode; CompiledPolicy is immutable.
    static std::once_flag once[std::size(kPresetNames)][2];
    static PolicyPtr compiled[std::size(kPresetNames)][2];
    static absl::Status errors[std::size(kPresetNames)][2];
    int m = mode == Mode::kStrict ? 0 : 1;
    std::call_once(once[i][m], [&] {
      CompileOptions options;
      options.mode = mode;
      absl::StatusOr<PolicyPtr> p = CompilePolicy(info.yaml, options, StrCat("preset:", info.name));
      if (p.ok()) {
        compiled[i][m] = *p;
      } else {
        errors[i][m] = p.status();
      }
    });
    if (!errors[i][m].ok()) return errors[i][m];
    return compiled[i][m];
  }
  std::vector<std::string> names;
  for (const PresetInfo& p : presets) names.push_back(p.name);
  return absl::NotFoundError(StrCat("unknown preset \"", std::string(name),
                                    "\" (presets: ", absl::StrJoin(names, ", "), ")"));
}

}  // namespace sympozium
