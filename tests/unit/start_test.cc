// Run-start checks (docs/start.md): each rule in compat and
// strict, with its exact code, message and path.
#include <doctest/doctest.h>

#include <string>

#include "sympozium/cluster.h"
#include "sympozium/policy.h"
#include "sympozium/start.h"

namespace sympozium {
namespace {

constexpr char kPolicyFailed[] = "policy validation failed: ";

PolicyPtr SubagentPolicy(int max_depth, int max_concurrent) {
  std::string yaml =
      "apiVersion: sympozium.ai/v1alpha1\nkind: SympoziumPolicy\n"
      "metadata: {name: p, namespace: ns}\nspec:\n  subagentPolicy: {maxDepth: " +
      std::to_string(max_depth) + ", maxConcurrent: " + std::to_string(max_concurrent) + "}\n";
  auto p = CompilePolicy(yaml);
  REQUIRE(p.ok());
  return *p;
}

// An AgentRun of Agent alice in namespace ns; `spec` is added under spec:.
std::string Run(const std::string& spec = "", bool with_task = true) {
  return "apiVersion: sympozium.ai/v1alpha1\nkind: AgentRun\nmetadata: {name: r, namespace: ns}\n"
         "spec:\n  agentRef: alice\n" +
         std::string(with_task ? "  task: summarise the logs\n" : "") + spec;
}

std::string Child(int depth) {
  return Run("  parent: {runName: boss, sessionKey: s, spawnDepth: " + std::to_string(depth) +
             "}\n");
}

StartContext Running(int64_t agent, int64_t children = 0) {
  StartContext c;
  c.running_for_agent = agent;
  c.running_children_of_parent = children;
  return c;
}

Decision Start(const std::string& run, const Binding& binding, const StartContext& context,
               Mode mode) {
  EvaluateOptions options;
  options.mode = mode;
  return AdmitStart(std::string_view(run), binding, context, options);
}

Decision Start(const std::string& run, const PolicyPtr& policy, const StartContext& context,
               Mode mode) {
  return Start(run, Binding::Direct(policy.get()), context, mode);
}

void CheckDenied(const Decision& d, std::string_view code, const std::string& message,
                 const std::string& path) {
  CHECK_FALSE(d.allowed);
  CHECK(d.result == Result::kDenied);
  CHECK(d.status == 403);
  CHECK(d.code == code);
  CHECK(d.message == message);
  REQUIRE(!d.violations.empty());
  CHECK(d.violations[0].path == path);
}

TEST_CASE("start: a null spec.task fails the run first, in both modes") {
  PolicyPtr p = SubagentPolicy(3, 5);
  for (Mode mode : {Mode::kCompat, Mode::kStrict}) {
    CheckDenied(Start(Run("", false), p, Running(0), mode), "start.no_task",
                "spec.task is required", "spec.task");
    CheckDenied(Start(Run("  task: null\n", false), p, Running(0), mode), "start.no_task",
                "spec.task is required", "spec.task");
    // An object task is a task (the polymorphic form).
    CHECK(Start(Run("  task: {mode: sidecar-driven}\n", false), p, Running(0), mode).allowed);
    // Later problems are listed after it.
    Decision d = Start(Run("  parent: {runName: boss, sessionKey: s, spawnDepth: 9}\n", false), p,
                       Running(0), mode);
    REQUIRE(d.violations.size() == 2);
    CHECK(d.code == "start.no_task");
    CHECK(d.violations[1].code == "start.depth");
  }
}

TEST_CASE("start: compat depth is spawnDepth > maxDepth with no zero guard") {
  PolicyPtr p = SubagentPolicy(3, 5);
  CHECK(Start(Child(3), p, Running(0), Mode::kCompat).allowed);  // admission would refuse 3
  CheckDenied(Start(Child(4), p, Running(0), Mode::kCompat), "start.depth",
              std::string(kPolicyFailed) + "sub-agent depth 4 exceeds max 3",
              "spec.parent.spawnDepth");
  CheckDenied(Start(Child(1), SubagentPolicy(0, 5), Running(0), Mode::kCompat), "start.depth",
              std::string(kPolicyFailed) + "sub-agent depth 1 exceeds max 0",
              "spec.parent.spawnDepth");
  CHECK(Start(Child(0), SubagentPolicy(0, 5), Running(0), Mode::kCompat).allowed);
}

TEST_CASE("start: strict depth is admission's rule (>=, maxDepth 0 = no limit)") {
  PolicyPtr p = SubagentPolicy(3, 5);
  CHECK(Start(Child(2), p, Running(0), Mode::kStrict).allowed);
  CheckDenied(Start(Child(3), p, Running(0), Mode::kStrict), "start.depth",
              std::string(kPolicyFailed) + "sub-agent depth 3 exceeds maximum 3",
              "spec.parent.spawnDepth");
  CHECK(Start(Child(7), SubagentPolicy(0, 5), Running(0), Mode::kStrict).allowed);
}

TEST_CASE("start: compat concurrency counts every Running run of the Agent") {
  PolicyPtr p = SubagentPolicy(3, 5);
  CHECK(Start(Run(), p, Running(4), Mode::kCompat).allowed);
  // A top-level run is limited too, and the child count is not read.
  CheckDenied(Start(Run(), p, Running(5), Mode::kCompat), "start.concurrency",
              std::string(kPolicyFailed) + "concurrency limit reached: 5/5", "spec.agentRef");
  CheckDenied(Start(Child(1), p, Running(7, 0), Mode::kCompat), "start.concurrency",
              std::string(kPolicyFailed) + "concurrency limit reached: 7/5", "spec.agentRef");
  // maxConcurrent 0 blocks every run.
  CheckDenied(Start(Run(), SubagentPolicy(3, 0), Running(0), Mode::kCompat), "start.concurrency",
              std::string(kPolicyFailed) + "concurrency limit reached: 0/0", "spec.agentRef");
  // Without a subagentPolicy there is no limit.
  auto none = CompilePolicy(
      "apiVersion: sympozium.ai/v1alpha1\nkind: SympoziumPolicy\nmetadata: {name: q}\nspec: {}\n");
  REQUIRE(none.ok());
  CHECK(Start(Run(), *none, Running(1000), Mode::kCompat).allowed);
  CHECK(Start(Child(50), *none, Running(1000), Mode::kCompat).allowed);
}

TEST_CASE("start: compat skips concurrency when the list failed, and warns") {
  StartContext unknown;
  unknown.running_for_agent = 99;
  unknown.running_for_agent_known = false;
  Decision d = Start(Run(), SubagentPolicy(3, 0), unknown, Mode::kCompat);
  CHECK(d.allowed);
  CHECK(d.message == "run may start");
  REQUIRE(d.warnings.size() == 1);
  CHECK(d.warnings[0].code == "start.concurrency_skipped");
  CHECK(d.warnings[0].message ==
        "the Running AgentRuns of Agent \"alice\" are unknown, so the concurrency check was "
        "skipped (as the controller does when its list fails)");
}

TEST_CASE("start: strict concurrency bounds only child runs, over the parent's children") {
  PolicyPtr p = SubagentPolicy(3, 3);
  // A top-level run is not limited, however many runs the Agent has.
  CHECK(Start(Run(), p, Running(100), Mode::kStrict).allowed);
  CHECK(Start(Child(1), p, Running(100, 2), Mode::kStrict).allowed);
  CheckDenied(Start(Child(1), p, Running(0, 3), Mode::kStrict), "start.concurrency",
              std::string(kPolicyFailed) + "concurrency limit reached: 3/3", "spec.parent.runName");
  // maxConcurrent 0 means no children, and leaves top-level runs alone.
  CheckDenied(Start(Child(1), SubagentPolicy(3, 0), Running(0, 0), Mode::kStrict),
              "start.concurrency", std::string(kPolicyFailed) + "concurrency limit reached: 0/0",
              "spec.parent.runName");
  CHECK(Start(Run(), SubagentPolicy(3, 0), Running(0, 0), Mode::kStrict).allowed);
}

TEST_CASE("start: strict refuses a child run whose siblings are unknown") {
  StartContext unknown;
  unknown.running_children_known = false;
  Decision d = Start(Child(1), SubagentPolicy(3, 3), unknown, Mode::kStrict);
  CHECK_FALSE(d.allowed);
  CHECK(d.result == Result::kError);
  CHECK(d.status == 500);
  CHECK(d.code == "start.concurrency_unknown");
  CHECK(d.message == std::string(kPolicyFailed) +
                         "the Running children of parent \"boss\" are unknown, so the "
                         "concurrency limit cannot be checked");
  CHECK(Start(Run(), SubagentPolicy(3, 3), unknown, Mode::kStrict).allowed);  // not a child
}

TEST_CASE("start: gate-hook rules, in both modes, with or without a policy") {
  const std::string pre_gate =
      "  lifecycle:\n    preRun:\n      - {name: fetch, image: busybox, gate: true}\n"
      "      - {name: plain, image: busybox}\n      - {name: check, image: busybox, gate: true}\n";
  const std::string two_post =
      "  lifecycle:\n    postRun:\n      - {name: a, image: busybox, gate: true}\n"
      "      - {name: b, image: busybox}\n      - {name: c, image: busybox, gate: true}\n"
      "      - {name: d, image: busybox, gate: true}\n";
  const std::string one_post =
      "  lifecycle:\n    postRun:\n      - {name: a, image: busybox, gate: true}\n"
      "      - {name: b, image: busybox}\n";
  PolicyPtr p = SubagentPolicy(3, 5);
  for (Mode mode : {Mode::kCompat, Mode::kStrict}) {
    for (Binding binding : {Binding::Direct(p.get()), Binding::None()}) {
      Decision d = Start(Run(pre_gate), binding, Running(0), mode);
      CheckDenied(d, "start.gate_hook",
                  "gate hook validation failed: gate: true is only valid on postRun hooks, not "
                  "preRun (hook \"fetch\")",
                  "spec.lifecycle.preRun[0].gate");
      REQUIRE(d.violations.size() == 2);
      CHECK(d.violations[1].message ==
            "gate hook validation failed: gate: true is only valid on postRun hooks, not preRun "
            "(hook \"check\")");
      CHECK(d.violations[1].path == "spec.lifecycle.preRun[2].gate");

      CheckDenied(Start(Run(two_post), binding, Running(0), mode), "start.gate_hook",
                  "gate hook validation failed: at most one postRun hook may set gate: true, "
                  "found 3",
                  "spec.lifecycle.postRun[2].gate");
      Decision ok = Start(Run(one_post), binding, Running(0), mode);
      CHECK(ok.allowed);
      CHECK(ok.message == (binding.policy ? "run may start" : "no policy bound"));
    }
  }
}

TEST_CASE("start: gate hooks come after the policy checks") {
  std::string run =
      "  parent: {runName: boss, sessionKey: s, spawnDepth: 5}\n"
      "  lifecycle:\n    preRun:\n      - {name: x, image: busybox, gate: true}\n";
  Decision d = Start(Run(run), SubagentPolicy(3, 5), Running(9), Mode::kCompat);
  REQUIRE(d.violations.size() == 3);
  CHECK(d.violations[0].code == "start.depth");
  CHECK(d.violations[1].code == "start.concurrency");
  CHECK(d.violations[2].code == "start.gate_hook");
}

Cluster MakeCluster(const std::string& agent_policy_ref, bool with_policy,
                    const std::string& policy_spec =
                        "subagentPolicy: {maxDepth: 2, "
                        "maxConcurrent: 1}") {
  Cluster cluster;
  std::string yaml =
      "apiVersion: sympozium.ai/v1alpha1\nkind: Agent\n"
      "metadata: {name: alice, namespace: ns}\nspec: {policyRef: \"" +
      agent_policy_ref + "\"}\n";
  if (with_policy)
    yaml +=
        "---\napiVersion: sympozium.ai/v1alpha1\nkind: SympoziumPolicy\n"
        "metadata: {name: team, namespace: ns}\nspec:\n  " +
        policy_spec + "\n";
  REQUIRE(cluster.AddDocuments(yaml).ok());
  return cluster;
}

TEST_CASE("start: the Agent and policy lookups, in both modes") {
  for (Mode mode : {Mode::kCompat, Mode::kStrict}) {
    Cluster empty;
    Decision d = Start(Run(), Binding::Lookup(&empty), Running(0), mode);
    CHECK(d.result == Result::kError);
    CHECK(d.status == 400);
    CHECK(d.code == "agent.not_found");
    CHECK(d.message == std::string(kPolicyFailed) +
                           "instance \"alice\" not found: agents.sympozium.ai \"alice\" not found");
    CHECK(d.violations[0].path == "spec.agentRef");

    Cluster dangling = MakeCluster("team", false);
    d = Start(Run(), Binding::Lookup(&dangling), Running(0), mode);
    CHECK(d.result == Result::kError);
    CHECK(d.status == 500);
    CHECK(d.code == "policy.not_found");
    CHECK(d.message ==
          std::string(kPolicyFailed) +
              "policy \"team\" not found: sympoziumpolicies.sympozium.ai \"team\" not found");

    Cluster unbound = MakeCluster("", false);
    d = Start(Child(9), Binding::Lookup(&unbound), Running(50), mode);
    CHECK(d.allowed);
    CHECK(d.message == "no policy bound");

    Cluster bound = MakeCluster("team", true);
    CHECK(Start(Run(), Binding::Lookup(&bound), Running(0), mode).allowed);
    d = Start(Child(3), Binding::Lookup(&bound), Running(0, 0), mode);
    CHECK(d.code == "start.depth");  // 3 > 2 and 3 >= 2
  }
  // A failed lookup skips the policy checks but not the gate hooks.
  Cluster empty;
  Decision d = Start(Run("  lifecycle:\n    preRun: [{name: x, image: y, gate: true}]\n"),
                     Binding::Lookup(&empty), Running(0), Mode::kCompat);
  REQUIRE(d.violations.size() == 2);
  CHECK(d.code == "agent.not_found");
  CHECK(d.violations[1].code == "start.gate_hook");
}

TEST_CASE("start: strict refuses a policy that only compiles in compat form") {
  Cluster cluster = MakeCluster(
      "team", true, "toolGating: {rules: [{tool: x, action: maybe}]}\n  subagentPolicy: {}");
  Decision strict = Start(Run(), Binding::Lookup(&cluster), Running(0), Mode::kStrict);
  CHECK(strict.code == "policy.invalid");
  CHECK(strict.status == 500);
  CHECK(Start(Run(), Binding::Lookup(&cluster), Running(0), Mode::kCompat).allowed);
}

TEST_CASE("start: documents that are not AgentRuns are decode errors") {
  Decision d = Start("apiVersion: sympozium.ai/v1alpha1\nkind: SkillPack\nmetadata: {name: s}\n",
                     Binding::None(), Running(0), Mode::kStrict);
  CHECK(d.result == Result::kError);
  CHECK(d.status == 400);
  CHECK(d.code == "decode.error");
  d = Start(Run("  parent: [1]\n"), Binding::None(), Running(0), Mode::kCompat);
  CHECK(d.code == "decode.error");
  CHECK(Start("{", Binding::None(), Running(0), Mode::kCompat).code == "decode.error");
}

}  // namespace
}  // namespace sympozium
