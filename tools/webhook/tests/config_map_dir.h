// Test helpers shared by the webhook's C++ tests: fixture paths and a
// directory shaped like a mounted ConfigMap.
#ifndef SYMPOZIUM_TOOLS_WEBHOOK_TESTS_CONFIG_MAP_DIR_H_
#define SYMPOZIUM_TOOLS_WEBHOOK_TESTS_CONFIG_MAP_DIR_H_

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

namespace sympozium::webhook {

inline std::string Fixture(const std::string& rel) {
  return std::string(SYMPOZIUM_FIXTURES) + "/" + rel;
}

// A ConfigMap volume: visible names are symlinks through `..data`, which an
// update repoints at a new hidden directory in one rename. It holds the
// sample Agent (default/alice, bound to default/default-policy) and the
// policy given.
class ConfigMapDir {
 public:
  explicit ConfigMapDir(const std::string& name)
      : root_(std::filesystem::temp_directory_path() / (name + "-" + std::to_string(getpid()))) {
    std::filesystem::remove_all(root_);
    std::filesystem::create_directories(root_);
  }
  ~ConfigMapDir() { std::filesystem::remove_all(root_); }
  std::string path() const { return root_.string(); }

  void Publish(const std::string& policy_yaml) {
    namespace fs = std::filesystem;
    fs::path version = root_ / ("..v" + std::to_string(++version_));
    fs::create_directories(version);
    fs::copy_file(Fixture("samples/agent_sample.yaml"), version / "agent.yaml");
    std::ofstream(version / "policy.yaml") << policy_yaml;
    fs::create_directory_symlink(version.filename(), root_ / "..data_tmp");
    fs::rename(root_ / "..data_tmp", root_ / "..data");
    for (const char* name : {"agent.yaml", "policy.yaml"})
      if (!fs::is_symlink(root_ / name))
        fs::create_symlink(fs::path("..data") / name, root_ / name);
  }

 private:
  std::filesystem::path root_;
  int version_ = 0;
};

// default/default-policy with only a sandbox CPU cap (sandboxPolicy.required
// is spelled out, as strict mode wants).
inline std::string PolicyWithMaxCpu(const std::string& cpu) {
  return "apiVersion: sympozium.ai/v1alpha1\nkind: SympoziumPolicy\nmetadata:\n  name: "
         "default-policy\n  namespace: default\nspec:\n  sandboxPolicy:\n    required: false\n"
         "    maxCPU: \"" +
         cpu + "\"\n";
}

// A policy file that does not parse: a load of it fails and keeps the old set.
inline constexpr char kBrokenPolicy[] =
    "apiVersion: sympozium.ai/v1alpha1\nkind: SympoziumPolicy\nmetadata:\n  name: x\n"
    "spec:\n  toolGating: [\n";

}  // namespace sympozium::webhook

#endif  // SYMPOZIUM_TOOLS_WEBHOOK_TESTS_CONFIG_MAP_DIR_H_
