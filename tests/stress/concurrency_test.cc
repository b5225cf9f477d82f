// PolicyStore under load: 8 threads evaluate AgentRuns and tool decisions
// against PolicyStore::Current() while one thread reloads, alternating
// between two policy sets that decide the same run differently. Every
// decision is checked against the set (generation) it was made under. Built
// on its own so the ThreadSanitizer tree (scripts/test, build-tsan) need only
// build this and the library.
#include <doctest/doctest.h>

#include <unistd.h>
#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "sympozium/evaluate.h"
#include "sympozium/policy_store.h"
#include "sympozium/strings.h"
#include "sympozium/tool_gate.h"
#include "tests/stress/stress_util.h"

namespace sympozium {
namespace {

namespace fs = std::filesystem;

constexpr char kAgent[] = R"(apiVersion: sympozium.ai/v1alpha1
kind: Agent
metadata: {name: alice, namespace: ns}
spec: {policyRef: team}
)";

// Set A admits the hook image and lets execute_command through; set B
// allows only ghcr.io, requires a sandbox and denies execute_command.
constexpr char kPolicyA[] = R"(apiVersion: sympozium.ai/v1alpha1
kind: SympoziumPolicy
metadata: {name: team, namespace: ns}
spec:
  imagePolicy: {allowedRegistries: [docker.io/library/]}
  toolGating:
    defaultAction: allow
    rules: [{tool: read_file, action: ask}]
)";
constexpr char kPolicyB[] = R"(apiVersion: sympozium.ai/v1alpha1
kind: SympoziumPolicy
metadata: {name: team, namespace: ns}
spec:
  sandboxPolicy: {required: true}
  imagePolicy: {allowedRegistries: [ghcr.io/]}
  toolGating:
    defaultAction: ask
    rules: [{tool: execute_command, action: deny}, {tool: read_file, action: allow}]
)";

constexpr char kRun[] = R"(apiVersion: sympozium.ai/v1alpha1
kind: AgentRun
metadata: {name: r, namespace: ns}
spec:
  agentRef: alice
  task: summarise the logs
  lifecycle:
    preRun: [{name: hook, image: "docker.io/library/busybox:1.36"}]
)";
// Denied by both sets, for different reasons.
constexpr char kRunWithEnv[] = R"(apiVersion: sympozium.ai/v1alpha1
kind: AgentRun
metadata: {name: r2, namespace: ns}
spec:
  agentRef: alice
  task: t
  env: {LD_PRELOAD: /x.so}
  lifecycle:
    preRun: [{name: hook, image: "quay.io/x/y:1"}]
)";

constexpr const char* kTools[] = {"execute_command", "read_file", "fetch_url"};

// Two directories holding the files of set A and set B, loaded the way a
// long-running evaluator reloads them.
class SetFiles {
 public:
  SetFiles() : root_(fs::temp_directory_path() / StrCat("sympozium_stress_", ::getpid())) {
    fs::remove_all(root_);
    Write("a", kPolicyA);
    Write("b", kPolicyB);
  }
  ~SetFiles() { fs::remove_all(root_); }

  // Null when the files do not load (REQUIRE cannot run off the main thread).
  std::shared_ptr<PolicySet> Load(bool a) const {
    absl::StatusOr<std::shared_ptr<PolicySet>> set =
        LoadPolicySet({(root_ / (a ? "a" : "b")).string()});
    return set.ok() ? *set : nullptr;
  }

 private:
  void Write(const char* dir, const char* policy) const {
    fs::create_directories(root_ / dir);
    std::ofstream(root_ / dir / "agent.yaml") << kAgent;
    std::ofstream(root_ / dir / "policy.yaml") << policy;
  }
  fs::path root_;
};

// What one set decides, computed before any thread starts.
struct Expected {
  std::string run;
  std::string run_with_env;
  ToolAction tools[std::size(kTools)];
};

std::string Decide(const PolicySet& set, const char* run) {
  return Evaluate(run, Binding::Lookup(&set.cluster)).ToJson();
}

Expected ExpectedOf(const std::shared_ptr<PolicySet>& loaded) {
  REQUIRE(loaded != nullptr);
  const PolicySet& set = *loaded;
  Expected e;
  e.run = Decide(set, kRun);
  e.run_with_env = Decide(set, kRunWithEnv);
  const CompiledPolicy* policy = set.cluster.FindPolicy("ns", "team");
  REQUIRE(policy != nullptr);
  for (size_t i = 0; i < std::size(kTools); ++i)
    e.tools[i] = DecideTool(policy, nullptr, kTools[i]).action;
  return e;
}

TEST_CASE("stress: 8 readers evaluate while one thread swaps policy sets") {
  SetFiles files;
  const Expected a = ExpectedOf(files.Load(true));
  const Expected b = ExpectedOf(files.Load(false));
  // The sets must disagree on everything checked, or a mix-up would pass.
  REQUIRE(a.run.find("\"allowed\":true") != std::string::npos);
  REQUIRE(b.run.find("\"allowed\":false") != std::string::npos);
  REQUIRE(a.run_with_env != b.run_with_env);
  for (size_t i = 0; i < std::size(kTools); ++i) REQUIRE(a.tools[i] != b.tools[i]);

  const int swaps = EnvInt("SYMPOZIUM_STRESS_SWAPS", 3000);
  constexpr int kReaders = 8;
  // Generation 1 is set A; the swapper then alternates B, A, B, ... so odd
  // generations are A.
  PolicyStore store(files.Load(true));
  REQUIRE(store.generation() == 1);

  std::atomic<bool> done{false};
  std::atomic<long> decisions{0};
  FirstFailure failures;
  auto fail = [&](std::string what) { failures.Record(std::move(what)); };

  auto reader = [&](int id) {
    uint64_t last_generation = 0;
    PolicySetPtr held;  // an old set kept across many swaps
    std::string held_decision;
    for (long i = 0; !done.load(std::memory_order_relaxed) || i < 50; ++i) {
      PolicySetPtr set = store.Current();
      uint64_t gen = set->generation;
      if (gen < last_generation)
        fail(StrCat("reader ", id, ": generation went back from ", last_generation, " to ", gen));
      last_generation = gen;
      bool is_a = gen % 2 == 1;
      if (set->sources.empty() || (set->sources[0].find("/a/") != std::string::npos) != is_a)
        fail(StrCat("generation ", gen, " holds the other set"));
      const Expected& want = is_a ? a : b;
      // Alternate the run so both decisions are exercised on every set.
      bool first = (i + id) % 2 == 0;
      std::string got = Decide(*set, first ? kRun : kRunWithEnv);
      if (got != (first ? want.run : want.run_with_env))
        fail(StrCat("generation ", gen, ": ", got));
      const CompiledPolicy* policy = set->cluster.FindPolicy("ns", "team");
      size_t t = static_cast<size_t>(i) % std::size(kTools);
      if (policy == nullptr || DecideTool(policy, nullptr, kTools[t]).action != want.tools[t])
        fail(StrCat("generation ", gen, ": tool ", kTools[t]));
      decisions.fetch_add(2, std::memory_order_relaxed);

      // Every 200 iterations, re-check the set held since the last time:
      // it must still decide as it did, however many swaps happened since.
      if (i % 200 == 0) {
        if (held && Decide(*held, kRun) != held_decision)
          fail(StrCat("held generation ", held->generation, " changed"));
        held = set;
        held_decision = Decide(*held, kRun);
      }
    }
  };

  std::vector<std::thread> threads;
  for (int id = 0; id < kReaders; ++id) threads.emplace_back(reader, id);
  std::thread swapper([&] {
    for (int i = 1; i <= swaps; ++i) {
      std::shared_ptr<PolicySet> next = files.Load(i % 2 == 0);
      if (next == nullptr) {
        fail("a set did not load");
        break;
      }
      uint64_t gen = store.Swap(std::move(next));
      if (gen != static_cast<uint64_t>(i) + 1) fail(StrCat("swap ", i, " got generation ", gen));
    }
    done.store(true);
  });
  swapper.join();
  for (std::thread& t : threads) t.join();

  CHECK_MESSAGE(failures.count() == 0, failures.first());
  CHECK(store.generation() == static_cast<uint64_t>(swaps) + 1);
  CHECK(decisions.load() >= kReaders * 100);
  MESSAGE(decisions.load(), " decisions over ", swaps, " swaps");
}

TEST_CASE("stress: concurrent reloads publish in generation order") {
  // Two reloaders (a file watcher and a signal handler, say): readers never
  // see the generation go back, and the newest set is the one left current.
  SetFiles files;
  PolicyStore store(files.Load(true));
  std::shared_ptr<PolicySet> a = files.Load(true);
  REQUIRE(a != nullptr);
  const int swaps = EnvInt("SYMPOZIUM_STRESS_SWAPS", 3000);
  std::atomic<bool> done{false};
  std::atomic<long> backwards{0};
  std::vector<std::thread> readers;
  for (int i = 0; i < 4; ++i)
    readers.emplace_back([&] {
      uint64_t last = 0;
      while (!done.load()) {
        uint64_t gen = store.generation();
        if (gen < last) backwards.fetch_add(1);
        last = gen;
      }
    });
  std::vector<std::thread> writers;
  for (int w = 0; w < 2; ++w)
    writers.emplace_back([&] {
      // Sets are cheap to copy here: the point is the order of publication.
      for (int i = 0; i < swaps; ++i) {
        auto next = std::make_shared<PolicySet>();
        next->sources = a->sources;
        store.Swap(std::move(next));
      }
    });
  for (std::thread& t : writers) t.join();
  done.store(true);
  for (std::thread& t : readers) t.join();
  CHECK(backwards.load() == 0);
  CHECK(store.generation() == 2 * static_cast<uint64_t>(swaps) + 1);
}

TEST_CASE("stress: an old set lives until its last reader lets go") {
  SetFiles files;
  PolicyStore store(files.Load(true));
  PolicySetPtr reader = store.Current();
  std::weak_ptr<const PolicySet> watch = reader;
  store.Swap(files.Load(false));
  // The store has moved on; the reader's set is intact and still decides.
  CHECK(store.generation() == 2);
  REQUIRE(!watch.expired());
  CHECK(reader->generation == 1);
  CHECK(Evaluate(kRun, Binding::Lookup(&reader->cluster)).allowed);
  CHECK(!Evaluate(kRun, Binding::Lookup(&store.Current()->cluster)).allowed);
  // The store keeps no old sets: the last reader frees it.
  reader.reset();
  CHECK(watch.expired());
}

}  // namespace
}  // namespace sympozium
