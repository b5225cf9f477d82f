#include "sympozium/cluster_store.h"

#include <string>
#include <tuple>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "lib/base/status_macros.h"
#include "sympozium/strings.h"

namespace sympozium {
namespace {

using ObjectKey = std::tuple<std::string, std::string, std::string>;  // kind, namespace, name

ObjectKey KeyOf(const Document& doc) { return ObjectKey(doc.kind(), doc.namespace_(), doc.name()); }

// Two documents of one load may not claim the same object: which one would
// win depends on file order, and the loser would vanish without a word.
absl::Status CheckUnique(const std::vector<Document>& docs) {
  absl::flat_hash_map<ObjectKey, const Document*> seen;
  for (const Document& doc : docs) {
    SYM_RETURN_IF_ERROR(CheckClusterKind(doc));
    auto [it, inserted] = seen.emplace(KeyOf(doc), &doc);
    if (!inserted)
      return absl::InvalidArgumentError(StrCat(doc.Describe(), ": ", doc.kind(), " ",
                                               doc.namespace_(), "/", doc.name(),
                                               " is also defined by ", it->second->Describe(),
                                               " (kind, namespace and name must be unique)"));
  }
  return absl::OkStatus();
}

}  // namespace

bool IsStoredBroken(const absl::Status& status) {
  return status.code() == absl::StatusCode::kFailedPrecondition;
}

ClusterStore::ClusterStore(Mode mode, Limits limits)
    : mode_(mode), limits_(limits), published_(std::make_shared<PolicySet>()) {}

absl::StatusOr<Cluster> ClusterStore::Build(std::vector<Document> docs,
                                            absl::Status* first_error) const {
  SYM_RETURN_IF_ERROR(CheckUnique(docs));
  Cluster built;
  for (Document& doc : docs) {
    BrokenObject key{std::string(doc.kind()), std::string(doc.namespace_()),
                     std::string(doc.name()), ""};
    absl::Status added = built.Add(std::move(doc), limits_);
    if (!added.ok()) {
      key.error = std::string(added.message());
      if (first_error->ok()) *first_error = absl::FailedPreconditionError(key.error);
      built.AddBroken(std::move(key));
      continue;
    }
    if (mode_ != Mode::kStrict || key.kind != "SympoziumPolicy" || !first_error->ok()) continue;
    const CompiledPolicy* policy = built.FindPolicy(key.namespace_, key.name);
    if (!policy->strict_errors().empty())
      *first_error = absl::FailedPreconditionError(
          StrCat("SympoziumPolicy ", key.namespace_, "/", key.name,
                 " does not compile in strict mode: ", policy->strict_errors().front().ToString()));
  }
  return built;
}

template <class Change>
void ClusterStore::Publish(Change change) {
  std::lock_guard<std::mutex> lock(write_mu_);
  auto next = std::make_shared<PolicySet>(*published_.Current());  // shares every object
  change(*next);
  published_.Swap(std::move(next));
}

absl::Status ClusterStore::Upsert(Document doc) {
  std::vector<Document> docs;
  docs.push_back(std::move(doc));
  return Upsert(std::move(docs));
}

absl::Status ClusterStore::Upsert(std::string_view bytes) {
  ReadOptions read;
  read.limits = limits_;
  absl::StatusOr<std::vector<Document>> docs = ReadDocuments(bytes, read);
  if (!docs.ok()) return absl::InvalidArgumentError(docs.status().message());
  return Upsert(std::move(*docs));
}

absl::Status ClusterStore::Upsert(std::vector<Document> docs) {
  absl::Status status;
  absl::StatusOr<Cluster> built = Build(std::move(docs), &status);
  if (!built.ok()) return built.status();
  Publish([&](PolicySet& set) { set.cluster.Merge(*built); });
  return status;
}

bool ClusterStore::Remove(std::string_view kind, std::string_view ns, std::string_view name) {
  std::lock_guard<std::mutex> lock(write_mu_);
  const PolicySetPtr current = published_.Current();
  if (!current->cluster.Contains(kind, ns, name)) return false;
  auto next = std::make_shared<PolicySet>(*current);
  next->cluster.Remove(kind, ns, name);
  published_.Swap(std::move(next));
  return true;
}

absl::Status ClusterStore::Replace(std::string_view kind, std::string_view ns,
                                   std::vector<Document> docs) {
  for (const Document& doc : docs)
    if (doc.kind() != kind || (!ns.empty() && doc.namespace_() != ns))
      return absl::InvalidArgumentError(
          StrCat(doc.Describe(), ": ", doc.kind(), " ", doc.namespace_(), "/", doc.name(),
                 " is not a ", kind, " in the namespace replaced (", ns.empty() ? "all" : ns, ")"));
  absl::Status status;
  absl::StatusOr<Cluster> built = Build(std::move(docs), &status);
  if (!built.ok()) return built.status();
  Publish([&](PolicySet& set) {
    set.cluster.RemoveAll(kind, ns);
    set.cluster.Merge(*built);
  });
  return status;
}

absl::Status ClusterStore::Load(std::vector<Document> docs) {
  absl::Status status;
  absl::StatusOr<Cluster> built = Build(std::move(docs), &status);
  if (!built.ok()) return built.status();
  Publish([&](PolicySet& set) {
    set.cluster = std::move(*built);
    set.sources.clear();
  });
  return status;
}

}  // namespace sympozium
