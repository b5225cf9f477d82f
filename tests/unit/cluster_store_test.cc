// ClusterStore: upsert/remove/replace, snapshots and generations, broken
// objects and the decisions that reach them, duplicates in one load (also
// through LoadPolicySet), and Cluster's Remove/Merge underneath.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "lib/cluster/lookup.h"
#include "sympozium/cluster_store.h"
#include "sympozium/evaluate.h"
#include "sympozium/mutate.h"

namespace sympozium {
namespace {

constexpr char kAgent[] = R"(apiVersion: sympozium.ai/v1alpha1
kind: Agent
metadata: {name: alice, namespace: ns}
spec: {policyRef: team}
)";
constexpr char kPolicy[] = R"(apiVersion: sympozium.ai/v1alpha1
kind: SympoziumPolicy
metadata: {name: team, namespace: ns}
spec: {sandboxPolicy: {required: true}}
)";
constexpr char kBrokenPolicy[] = R"(apiVersion: sympozium.ai/v1alpha1
kind: SympoziumPolicy
metadata: {name: team, namespace: ns}
spec: {sandboxPolicy: {required: [x]}}
)";
constexpr char kRun[] = R"(apiVersion: sympozium.ai/v1alpha1
kind: AgentRun
metadata: {name: r, namespace: ns}
spec: {agentRef: alice, task: t}
)";

Document Doc(std::string_view yaml) {
  absl::StatusOr<Document> doc = ReadDocument(yaml);
  REQUIRE(doc.ok());
  return std::move(*doc);
}

std::string CodeOf(const PolicySet& set, std::string_view run = kRun) {
  Decision d = Evaluate(run, Binding::Lookup(&set.cluster));
  return d.allowed ? "allowed" : std::string(d.code);
}

std::string Agent(std::string_view name, std::string_view ns = "ns") {
  return std::string("apiVersion: sympozium.ai/v1alpha1\nkind: Agent\nmetadata: {name: ") +
         std::string(name) + ", namespace: " + std::string(ns) + "}\nspec: {policyRef: team}\n";
}

TEST_CASE("cluster store: upsert, remove and immutable snapshots") {
  ClusterStore store;
  auto empty = store.Snapshot();
  CHECK(empty->generation == 1);
  CHECK(store.Upsert(std::string_view(kAgent)).ok());
  CHECK(store.Upsert(Doc(kPolicy)).ok());
  auto full = store.Snapshot();
  CHECK(full->generation == 3);
  CHECK(CodeOf(*full) == "sandbox.required");
  CHECK(CodeOf(*empty) == "agent.not_found");
  CHECK(store.Remove("SympoziumPolicy", "ns", "team"));
  CHECK_FALSE(store.Remove("SympoziumPolicy", "ns", "team"));
  CHECK(store.generation() == 4);  // a Remove of nothing publishes nothing
  CHECK(CodeOf(*store.Snapshot()) == "policy.not_found");
  CHECK(CodeOf(*full) == "sandbox.required");
}

TEST_CASE("cluster store: a broken object replaces the good one and fails closed") {
  ClusterStore store;
  REQUIRE(store.Upsert(std::string_view(kAgent)).ok());
  REQUIRE(store.Upsert(std::string_view(kPolicy)).ok());
  absl::Status broken = store.Upsert(std::string_view(kBrokenPolicy));
  CHECK(IsStoredBroken(broken));
  auto set = store.Snapshot();
  CHECK(set->cluster.FindPolicy("ns", "team") == nullptr);
  REQUIRE(set->cluster.Broken().size() == 1);
  CHECK(set->cluster.Broken()[0]->kind == "SympoziumPolicy");
  Decision d = Evaluate(kRun, Binding::Lookup(&set->cluster));
  CHECK(d.result == Result::kError);
  CHECK(d.code == "policy.invalid");
  CHECK(d.message.find("SympoziumPolicy ns/team cannot be used") != std::string::npos);
  CHECK(d.message.find("required") != std::string::npos);
  // Mutation skips, naming it; a fixed policy clears the broken entry.
  absl::StatusOr<MutateResult> m = Mutate(Doc(kRun), Binding::Lookup(&set->cluster));
  REQUIRE(m.ok());
  CHECK(m->message.find("cannot be used") != std::string::npos);
  REQUIRE(store.Upsert(std::string_view(kPolicy)).ok());
  CHECK(store.Snapshot()->cluster.broken_count() == 0);
  CHECK(CodeOf(*store.Snapshot()) == "sandbox.required");
  // Removing a broken object removes it.
  REQUIRE(IsStoredBroken(store.Upsert(std::string_view(kBrokenPolicy))));
  CHECK(store.Remove("SympoziumPolicy", "ns", "team"));
  CHECK(store.Snapshot()->cluster.broken_count() == 0);
}

TEST_CASE("cluster store: a broken SkillPack a run uses is an error") {
  ClusterStore store;
  REQUIRE(store.Upsert(std::string_view(kAgent)).ok());
  CHECK(IsStoredBroken(store.Upsert(std::string_view(
      "apiVersion: sympozium.ai/v1alpha1\nkind: SkillPack\n"
      "metadata: {name: ops, namespace: sympozium-system}\nspec: {sidecar: 5}\n"))));
  std::string run = std::string(kRun) + "  skills: [{skillPackRef: ops}]\n";
  run.replace(run.find("spec: {agentRef: alice, task: t}\n"),
              std::string("spec: {agentRef: alice, task: t}\n").size(),
              "spec:\n  agentRef: alice\n  task: t\n");
  CHECK(CodeOf(*store.Snapshot(), run) == "skillpack.invalid");
}

TEST_CASE("cluster store: nothing is stored from a batch with a duplicate or another kind") {
  ClusterStore store;
  std::string twice = std::string(kAgent) + "---\n" + kAgent;
  absl::Status s = store.Upsert(std::string_view(twice));
  CHECK(s.code() == absl::StatusCode::kInvalidArgument);
  CHECK(std::string(s.message()).find("also defined by") != std::string::npos);
  CHECK(store.Upsert(std::string_view("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n"))
            .code() == absl::StatusCode::kInvalidArgument);
  CHECK(store.generation() == 1);
}

TEST_CASE("cluster store: Replace is a relist of one kind and namespace") {
  ClusterStore store;
  REQUIRE(store
              .Upsert(std::string_view(Agent("a") + "---\n" + Agent("b") + "---\n" +
                                       Agent("c", "other") + "---\n" + kPolicy))
              .ok());
  std::vector<Document> listed;
  listed.push_back(Doc(Agent("b")));
  listed.push_back(Doc(Agent("d")));
  REQUIRE(store.Replace("Agent", "ns", std::move(listed)).ok());
  const Cluster& c = store.Snapshot()->cluster;
  CHECK(FindAgent(c, "ns", "a") == nullptr);  // deleted while not watched
  CHECK(FindAgent(c, "ns", "b") != nullptr);
  CHECK(FindAgent(c, "ns", "d") != nullptr);
  CHECK(FindAgent(c, "other", "c") != nullptr);  // another namespace
  CHECK(c.FindPolicy("ns", "team") != nullptr);  // another kind
  std::vector<Document> wrong;
  wrong.push_back(Doc(kPolicy));
  CHECK(store.Replace("Agent", "", std::move(wrong)).code() == absl::StatusCode::kInvalidArgument);
  REQUIRE(store.Replace("Agent", "", {}).ok());
  CHECK(store.Snapshot()->cluster.agent_count() == 0);
}

TEST_CASE("cluster store: strict mode reports a compat-only policy, compat does not") {
  constexpr char kLoose[] = R"(apiVersion: sympozium.ai/v1alpha1
kind: SympoziumPolicy
metadata: {name: loose, namespace: ns}
spec: {toolGating: {rules: [{tool: x, action: maybe}]}}
)";
  ClusterStore strict;
  absl::Status s = strict.Upsert(std::string_view(kLoose));
  CHECK(IsStoredBroken(s));
  CHECK(std::string(s.message()).find("strict") != std::string::npos);
  CHECK(strict.Snapshot()->cluster.FindPolicy("ns", "loose") != nullptr);  // compat still uses it
  ClusterStore compat(Mode::kCompat);
  CHECK(compat.Upsert(std::string_view(kLoose)).ok());
}

TEST_CASE("LoadPolicySet: one object in two files fails, naming both") {
  namespace fs = std::filesystem;
  fs::path dir = fs::temp_directory_path() / "sympozium_store_duplicate";
  fs::remove_all(dir);
  fs::create_directories(dir);
  std::ofstream(dir / "a.yaml") << kPolicy;
  std::ofstream(dir / "b.yaml") << kPolicy;
  absl::StatusOr<std::shared_ptr<PolicySet>> set = LoadPolicySet({dir.string()});
  fs::remove_all(dir);
  REQUIRE_FALSE(set.ok());
  std::string message(set.status().message());
  CHECK(message.find("a.yaml") != std::string::npos);
  CHECK(message.find("b.yaml") != std::string::npos);
  CHECK(message.find("SympoziumPolicy ns/team") != std::string::npos);
}

}  // namespace
}  // namespace sympozium
