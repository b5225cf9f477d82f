// ClusterStore under load: 6 threads take snapshots and evaluate against
// them while one thread upserts policy A, upserts policy B, removes the
// policy, stores it broken, in a fixed cycle. The generation tells which
// step a snapshot follows, so every decision is checked against the state it
// was made under: a reader never sees half of a change, never an older
// generation after a newer one, and a held snapshot never changes. Built into
// the stress binary, which the ThreadSanitizer tree runs.
#include <doctest/doctest.h>

#include <atomic>
#include <cstdlib>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "sympozium/cluster_store.h"
#include "sympozium/evaluate.h"
#include "sympozium/strings.h"
#include "tests/stress/stress_util.h"

namespace sympozium {
namespace {

constexpr char kAgent[] = R"(apiVersion: sympozium.ai/v1alpha1
kind: Agent
metadata: {name: alice, namespace: ns}
spec: {policyRef: team}
)";
constexpr char kPolicyA[] = R"(apiVersion: sympozium.ai/v1alpha1
kind: SympoziumPolicy
metadata: {name: team, namespace: ns}
spec: {toolGating: {defaultAction: allow}}
)";
constexpr char kPolicyB[] = R"(apiVersion: sympozium.ai/v1alpha1
kind: SympoziumPolicy
metadata: {name: team, namespace: ns}
spec: {sandboxPolicy: {required: true}}
)";
constexpr char kPolicyBroken[] = R"(apiVersion: sympozium.ai/v1alpha1
kind: SympoziumPolicy
metadata: {name: team, namespace: ns}
spec: {sandboxPolicy: {required: [x]}}
)";
constexpr char kRun[] = R"(apiVersion: sympozium.ai/v1alpha1
kind: AgentRun
metadata: {name: r, namespace: ns}
spec: {agentRef: alice, task: t}
)";

// The code each step of the writer's cycle leaves a run with ("" allowed).
constexpr const char* kCycleCodes[] = {"", "sandbox.required", "policy.not_found",
                                       "policy.invalid"};
constexpr size_t kCycle = std::size(kCycleCodes);

std::string CodeOf(const PolicySet& set) {
  Decision d = Evaluate(kRun, Binding::Lookup(&set.cluster));
  return d.allowed ? "" : std::string(d.code);
}

TEST_CASE("stress: readers evaluate store snapshots while one thread changes the store") {
  const int changes = EnvInt("SYMPOZIUM_STRESS_SWAPS", 2000);
  ClusterStore store;
  REQUIRE(store.Upsert(std::string_view(kAgent)).ok());
  // Step k of the cycle publishes generation first + k.
  const uint64_t first = store.generation() + 1;

  std::atomic<bool> done{false};
  FirstFailure failures;
  auto fail = [&](std::string what) { failures.Record(std::move(what)); };

  auto reader = [&](int id) {
    uint64_t last = 0;
    std::shared_ptr<const PolicySet> held;
    std::string held_code;
    for (long i = 0; !done.load(std::memory_order_relaxed) || i < 50; ++i) {
      std::shared_ptr<const PolicySet> set = store.Snapshot();
      if (set->generation < last)
        fail(StrCat("reader ", id, ": generation went back from ", last, " to ", set->generation));
      last = set->generation;
      std::string code = CodeOf(*set);
      std::string want = set->generation < first ? "policy.not_found"
                                                 : kCycleCodes[(set->generation - first) % kCycle];
      if (code != want)
        fail(StrCat("generation ", set->generation, ": got \"", code, "\", want \"", want, "\""));
      if (i % 100 == 0) {
        if (held && CodeOf(*held) != held_code)
          fail(StrCat("held generation ", held->generation, " changed"));
        held = set;
        held_code = CodeOf(*held);
      }
    }
  };

  std::vector<std::thread> readers;
  for (int i = 0; i < 6; ++i) readers.emplace_back(reader, i);
  for (int k = 0; k < changes; ++k) {
    switch (k % kCycle) {
      case 0:
        store.Upsert(std::string_view(kPolicyA)).IgnoreError();
        break;
      case 1:
        store.Upsert(std::string_view(kPolicyB)).IgnoreError();
        break;
      case 2:
        store.Remove("SympoziumPolicy", "ns", "team");
        break;
      default:
        store.Upsert(std::string_view(kPolicyBroken)).IgnoreError();
    }
  }
  done = true;
  for (std::thread& t : readers) t.join();
  CHECK_MESSAGE(failures.count() == 0, failures.first());
  CHECK(store.generation() == first + static_cast<uint64_t>(changes) - 1);
}

}  // namespace
}  // namespace sympozium
