#include "sympozium/policy_store.h"

#include <algorithm>
#include <filesystem>

#include "lib/base/status_macros.h"
#include "lib/base/strings.h"

namespace sympozium {
namespace {

bool IsDocumentFile(const std::filesystem::path& p) {
  std::string ext = p.extension().string();
  return ext == ".yaml" || ext == ".yml" || ext == ".json";
}

absl::StatusOr<std::vector<std::string>> ListFiles(const std::vector<std::string>& paths) {
  namespace fs = std::filesystem;
  std::vector<std::string> files;
  for (const std::string& path : paths) {
    std::error_code ec;
    if (!fs::is_directory(path, ec)) {
      files.push_back(path);
      continue;
    }
    std::vector<std::string> found;
    for (auto it = fs::recursive_directory_iterator(path, ec); !ec && it != fs::end(it);
         it.increment(ec)) {
      // Skip hidden entries: Kubernetes ConfigMap volumes keep their data
      // under ..data/..<timestamp> symlinks next to the visible names.
      if (it->path().filename().string().rfind('.', 0) == 0) {
        if (it->is_directory(ec)) it.disable_recursion_pending();
        continue;
      }
      if (it->is_regular_file(ec) && IsDocumentFile(it->path()))
        found.push_back(it->path().string());
    }
    if (ec) return absl::NotFoundError(StrCat(path, ": ", ec.message()));
    std::sort(found.begin(), found.end());
    files.insert(files.end(), found.begin(), found.end());
  }
  return files;
}

}  // namespace

absl::StatusOr<std::shared_ptr<PolicySet>> LoadPolicySet(const std::vector<std::string>& paths,
                                                         const ReadOptions& options) {
  absl::StatusOr<std::vector<std::string>> files = ListFiles(paths);
  if (!files.ok()) return files.status();
  auto set = std::make_shared<PolicySet>();
  for (const std::string& file : *files) {
    absl::StatusOr<std::string> text = ReadFile(file, options.limits);
    if (!text.ok()) return text.status();
    ReadOptions file_options = options;
    file_options.source_name = file;
    SYM_RETURN_IF_ERROR(set->cluster.AddDocuments(*text, file_options));
    set->sources.push_back(file);
  }
  return set;
}

PolicyStore::PolicyStore() : current_(std::make_shared<const PolicySet>()) {}

PolicyStore::PolicyStore(std::shared_ptr<PolicySet> initial) { Swap(std::move(initial)); }

uint64_t PolicyStore::Swap(std::shared_ptr<PolicySet> next) {
  uint64_t generation = next_generation_.fetch_add(1);
  next->generation = generation;
  std::atomic_store(&current_, std::shared_ptr<const PolicySet>(std::move(next)));
  return generation;
}

}  // namespace sympozium
