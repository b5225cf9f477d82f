// ClusterStore: a live view of a cluster's Agents, SympoziumPolicies and
// SkillPacks, kept in step one object at a time (a controller's informer, the
// webhook's API-server watch), for evaluation and admission to read.
//
// Every change builds the next immutable PolicySet off to the side and
// publishes it with the next generation number. Readers take Snapshot():
// they never wait for a writer, never see half of a change, and keep their
// snapshot for as long as they hold it. Writers are serialised among
// themselves. A policy is compiled once, when it is upserted.
//
// An object that does not decode or compile is kept *broken*, with its
// error, in place of whatever its kind, namespace and name held before:
// runs and pods that need it get an error decision naming it and the error
// (never "allowed", never a stale version), and Broken() reports it.
#ifndef SYMPOZIUM_CLUSTER_STORE_H_
#define SYMPOZIUM_CLUSTER_STORE_H_

#include <cstdint>
#include <memory>
#include <mutex>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "sympozium/cluster.h"
#include "sympozium/export.h"
#include "sympozium/policy.h"
#include "sympozium/policy_store.h"
#include "sympozium/read.h"

SYMPOZIUM_API_BEGIN
namespace sympozium {

class ClusterStore {
 public:
  // `mode` is the evaluation mode the store reports for: in strict mode a
  // policy that compiles only in compat form makes its upsert fail (it is
  // stored, and strict evaluation refuses it). `limits` bound reading and
  // compiling.
  explicit ClusterStore(Mode mode = Mode::kStrict, Limits limits = DefaultLimits());
  ClusterStore(const ClusterStore&) = delete;
  ClusterStore& operator=(const ClusterStore&) = delete;

  // Stores `doc` under its kind, namespace and name, replacing what that key
  // held. Returns:
  //   OK: stored, usable;
  //   FailedPrecondition: stored broken (or, strict, compat-only); the
  //     message is the error (see IsStoredBroken);
  //   InvalidArgument: nothing stored (not an Agent, SympoziumPolicy or
  //     SkillPack).
  absl::Status Upsert(Document doc);
  // Reads every document of `bytes` and upserts them all in one change.
  // Nothing is stored when the bytes do not read, a document is of another
  // kind, or two documents share a kind, namespace and name (InvalidArgument).
  // Otherwise the first document's error, in order, as above.
  absl::Status Upsert(std::string_view bytes);
  // Upserts `docs` in one change, as Upsert(bytes) once they are read.
  absl::Status Upsert(std::vector<Document> docs);
  // Removes the object (good or broken) of that kind, namespace and name.
  // False if there was none (nothing is published then).
  bool Remove(std::string_view kind, std::string_view ns, std::string_view name);
  // Makes the objects of `kind` in namespace `ns` ("": every namespace)
  // exactly `docs`, in one change: what a relist does. Objects no longer
  // listed disappear. Errors as for Upsert(bytes); every document must be
  // of `kind` (and in `ns`).
  absl::Status Replace(std::string_view kind, std::string_view ns, std::vector<Document> docs);
  // Makes the store hold exactly `docs`, in one change (a directory load).
  // Errors as for Upsert(bytes); a duplicate names both documents.
  absl::Status Load(std::vector<Document> docs);

  // The current set. Cheap; safe from any thread; never null.
  std::shared_ptr<const PolicySet> Snapshot() const { return published_.Current(); }
  uint64_t generation() const { return published_.generation(); }
  Mode mode() const { return mode_; }

 private:
  // The objects of `docs`, decoded and compiled, or InvalidArgument. The
  // first usable-object error, in order, goes to `*first_error`.
  absl::StatusOr<Cluster> Build(std::vector<Document> docs, absl::Status* first_error) const;
  // Publishes the current cluster changed by `change`.
  template <class Change>
  void Publish(Change change);

  const Mode mode_;
  const Limits limits_;
  std::mutex write_mu_;  // writers only: one read-modify-publish at a time
  PolicyStore published_;
};

// True when `status` (from ClusterStore) means the object was stored as
// broken (or, in strict mode, usable only in compat form).
bool IsStoredBroken(const absl::Status& status);

}  // namespace sympozium
SYMPOZIUM_API_END

#endif  // SYMPOZIUM_CLUSTER_STORE_H_
