// Cluster memory: namespaces holding identical policies share one compiled
// table, different policies do not, and replacing a policy in one namespace
// changes the decisions of that namespace only. Stored Agents keep what
// lookups read.
#include <doctest/doctest.h>

#include <string>
#include <string_view>

#include "lib/cluster/lookup.h"
#include "lib/compile/policy_table.h"
#include "sympozium/cluster.h"
#include "sympozium/cluster_store.h"
#include "sympozium/evaluate.h"

namespace sympozium {
namespace {

std::string PolicyYaml(std::string_view ns, std::string_view spec) {
  return "apiVersion: sympozium.ai/v1alpha1\nkind: SympoziumPolicy\nmetadata: {name: team, "
         "namespace: " +
         std::string(ns) + "}\nspec: " + std::string(spec) + "\n";
}

std::string AgentYaml(std::string_view ns) {
  return "apiVersion: sympozium.ai/v1alpha1\nkind: Agent\nmetadata: {name: alice, namespace: " +
         std::string(ns) + "}\nspec: {policyRef: team}\n";
}

// A run of Agent alice in `ns` with a sandbox or without.
std::string RunYaml(std::string_view ns, bool sandbox) {
  return "apiVersion: sympozium.ai/v1alpha1\nkind: AgentRun\nmetadata: {name: r, namespace: " +
         std::string(ns) +
         "}\nspec: {agentRef: alice, task: t, sandbox: {enabled: " + (sandbox ? "true" : "false") +
         "}}\n";
}

constexpr std::string_view kSandboxRequired = "{sandboxPolicy: {required: true}}";
constexpr std::string_view kSandboxOptional = "{sandboxPolicy: {required: false}}";

void AddAll(Cluster& cluster, const std::string& yaml) {
  absl::Status added = cluster.AddDocuments(yaml);
  REQUIRE_MESSAGE(added.ok(), added.message());
}

const PolicyTable* TableIn(const Cluster& cluster, std::string_view ns) {
  const CompiledPolicy* policy = cluster.FindPolicy(ns, "team");
  REQUIRE(policy != nullptr);
  return &TableOf(*policy);
}

bool Allowed(const Cluster& cluster, std::string_view ns, bool sandbox) {
  return Evaluate(RunYaml(ns, sandbox), Binding::Lookup(&cluster)).allowed;
}

TEST_CASE("cluster: identical policies share one compiled table, different ones do not") {
  Cluster cluster;
  AddAll(cluster, PolicyYaml("a", kSandboxRequired));
  AddAll(cluster, PolicyYaml("b", kSandboxRequired));
  // The same spec written in flow and block style is the same tree.
  AddAll(cluster, PolicyYaml("c", "\n  sandboxPolicy:\n    required: true"));
  AddAll(cluster, PolicyYaml("d", kSandboxOptional));
  CHECK(TableIn(cluster, "a") == TableIn(cluster, "b"));
  CHECK(TableIn(cluster, "a") == TableIn(cluster, "c"));
  CHECK(TableIn(cluster, "a") != TableIn(cluster, "d"));
  // Each keeps its own name and namespace.
  CHECK(cluster.FindPolicy("b", "team")->namespace_() == "b");
  // A scalar written differently (quoted or plain) is another spec, even
  // where it decodes alike.
  AddAll(cluster, PolicyYaml("e", "{sandboxPolicy: {defaultImage: alpine}}"));
  AddAll(cluster, PolicyYaml("f", "{sandboxPolicy: {defaultImage: \"alpine\"}}"));
  CHECK(TableIn(cluster, "e") != TableIn(cluster, "f"));
}

TEST_CASE("cluster: a shared table is counted once") {
  Cluster one;
  AddAll(one, PolicyYaml("a", kSandboxRequired));
  Cluster two = one;
  AddAll(two, PolicyYaml("b", kSandboxRequired));
  size_t policy = one.FindPolicy("a", "team")->MemoryUsage();
  size_t table = policy - (two.MemoryUsage() - one.MemoryUsage());
  CHECK(table > 0);
  CHECK(two.MemoryUsage() - one.MemoryUsage() < policy);
}

TEST_CASE("cluster: replacing a shared policy in one namespace changes that namespace only") {
  ClusterStore store;
  for (std::string_view ns : {"a", "b"})
    REQUIRE(store.Upsert(PolicyYaml(ns, kSandboxRequired) + "---\n" + AgentYaml(ns)).ok());
  for (std::string_view ns : {"a", "b"}) {
    CHECK_FALSE(Allowed(store.Snapshot()->cluster, ns, false));
    CHECK(Allowed(store.Snapshot()->cluster, ns, true));
  }
  PolicySetPtr before = store.Snapshot();
  REQUIRE(store.Upsert(PolicyYaml("a", kSandboxOptional)).ok());
  const Cluster& after = store.Snapshot()->cluster;
  CHECK(Allowed(after, "a", false));
  CHECK_FALSE(Allowed(after, "b", false));
  CHECK(TableIn(after, "a") != TableIn(after, "b"));
  // The snapshot taken before still answers as it did.
  CHECK_FALSE(Allowed(before->cluster, "a", false));
  // Back to the first spec: shared again.
  REQUIRE(store.Upsert(PolicyYaml("a", kSandboxRequired)).ok());
  CHECK(TableIn(store.Snapshot()->cluster, "a") == TableIn(store.Snapshot()->cluster, "b"));
}

TEST_CASE("cluster: a stored Agent keeps what lookups read") {
  Cluster cluster;
  AddAll(cluster, AgentYaml("a"));
  const Agent* agent = FindAgent(cluster, "a", "alice");
  REQUIRE(agent != nullptr);
  CHECK(agent->metadata.name == "alice");
  CHECK(agent->metadata.namespace_ == "a");
  CHECK(agent->spec.policy_ref == "team");
  PolicyLookup found = LookupPolicy(cluster, "a", "alice");
  CHECK(found.agent == agent);
  CHECK(found.policy_ref == "team");
  CHECK(found.policy == nullptr);  // bound to a policy the cluster lacks
}

}  // namespace
}  // namespace sympozium
