#include "sympozium/policy_store.h"

#include "sympozium/cluster_store.h"

#include "lib/base/status_macros.h"
#include "sympozium/strings.h"

namespace sympozium {
absl::StatusOr<std::shared_ptr<PolicySet>> LoadPolicySet(const std::vector<std::string>& paths,
                                                         const ReadOptions& options,
                                                         Mode serving_mode) {
  absl::StatusOr<std::vector<std::string>> files = ExpandDocumentPaths(paths);
  if (!files.ok()) return files.status();
  absl::StatusOr<std::vector<Document>> docs = ReadDocumentFiles(*files, options);
  if (!docs.ok()) return docs.status();
  // Through a store, for its checks (one object per kind, namespace and
  // name). A file is fixed by its author, so unlike a watched object a
  // broken one fails the whole load rather than being served as broken.
  ClusterStore store(serving_mode, options.limits);
  if (absl::Status loaded = store.Load(std::move(*docs)); !loaded.ok())
    return absl::InvalidArgumentError(loaded.message());
  auto set = std::make_shared<PolicySet>();
  set->cluster = store.Snapshot()->cluster;
  set->sources = std::move(*files);
  return set;
}

PolicyStore::PolicyStore() : current_(std::make_shared<const PolicySet>()) {}

PolicyStore::PolicyStore(std::shared_ptr<PolicySet> initial) { Swap(std::move(initial)); }

uint64_t PolicyStore::Swap(std::shared_ptr<PolicySet> next) {
  // Numbering and publishing under one lock, so two reloads cannot publish
  // out of order (the older set left current, generations going back).
  std::lock_guard<std::mutex> lock(swap_mu_);
  uint64_t generation = next_generation_++;
  next->generation = generation;
  std::atomic_store(&current_, std::shared_ptr<const PolicySet>(std::move(next)));
  return generation;
}

}  // namespace sympozium
