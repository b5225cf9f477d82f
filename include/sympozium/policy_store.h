// PolicyStore: the compiled policies and cluster objects a long-running
// evaluator (an admission webhook, an operator) serves from, swapped
// atomically on reload.
//
// Readers take a snapshot (a shared_ptr to an immutable PolicySet) and
// evaluate against it; a reload builds the next set off to the side and
// swaps it in. Readers never wait for a reload, never see a half-built set,
// and an old set lives until its last reader lets go.
#ifndef SYMPOZIUM_POLICY_STORE_H_
#define SYMPOZIUM_POLICY_STORE_H_

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "sympozium/cluster.h"
#include "sympozium/export.h"
#include "sympozium/read.h"

SYMPOZIUM_API_BEGIN
namespace sympozium {

// One immutable generation of what the store serves.
struct PolicySet {
  Cluster cluster;                   // Agents, SympoziumPolicies, SkillPacks (and broken ones)
  std::vector<std::string> sources;  // the files it was loaded from
  uint64_t generation = 0;           // set by PolicyStore::Swap
};

using PolicySetPtr = std::shared_ptr<const PolicySet>;

// Loads every YAML/JSON file under `paths` (files or directories, searched
// recursively, sorted) into a new set, through a ClusterStore. Any
// unreadable or invalid document fails the whole load, naming the file and
// line, as do two documents of one kind, namespace and name (naming both):
// a bad file never yields a partial set. A policy that does not compile in
// `serving_mode` (a rule strict refuses, such as `action: maybe`) fails the
// load too, so a server keeps the set it has rather than serving one whose
// runs would all be errors.
absl::StatusOr<std::shared_ptr<PolicySet>> LoadPolicySet(const std::vector<std::string>& paths,
                                                         const ReadOptions& options = {},
                                                         Mode serving_mode = Mode::kCompat);

class PolicyStore {
 public:
  PolicyStore();
  explicit PolicyStore(std::shared_ptr<PolicySet> initial);

  // The current set. Cheap; safe from any thread.
  PolicySetPtr Current() const { return std::atomic_load(&current_); }

  // Makes `next` current (stamping its generation) and returns that
  // generation. Readers holding the previous set keep it. `next` must be a
  // set no reader holds yet (stamping writes to it). Concurrent Swaps
  // publish in generation order: the newest set is the one left current.
  uint64_t Swap(std::shared_ptr<PolicySet> next);

  uint64_t generation() const { return Current()->generation; }

 private:
  std::shared_ptr<const PolicySet> current_;
  std::mutex swap_mu_;            // writers only; readers never take it
  uint64_t next_generation_ = 1;  // guarded by swap_mu_
};

}  // namespace sympozium
SYMPOZIUM_API_END

#endif  // SYMPOZIUM_POLICY_STORE_H_
