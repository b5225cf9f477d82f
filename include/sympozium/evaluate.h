// Evaluating: AgentRuns (docs/checks.md), SkillPacks (docs/checks.md#skillpack-admission) and pods
// (docs/pods.md) -> Decision. The last stage.
#ifndef SYMPOZIUM_EVALUATE_H_
#define SYMPOZIUM_EVALUATE_H_

#include <string_view>

#include "absl/status/statusor.h"
#include "sympozium/cluster.h"
#include "sympozium/decision.h"
#include "sympozium/export.h"
#include "sympozium/model.h"
#include "sympozium/policy.h"

SYMPOZIUM_API_BEGIN
namespace sympozium {

// How a run finds its policy.
//  - Direct: `policy` is bound as is (may be null: explicitly none); the
//    Agent and policy lookups (checks 2, 5, 6) are skipped. SkillPacks still
//    resolve through `cluster` when one is given.
//  - Lookup: `cluster` is searched the way the webhook does (Agent in the
//    run's namespace, its policyRef there). A pod or workload names its
//    Agent with its `sympozium.ai/instance` label (on the object or its pod
//    template); without one, or when the lookup fails, only the
//    policy-independent pod rules run and a `pod.no_policy` warning says why.
//  - Neither: no policy and no Agent lookup; only policy-independent checks.
struct Binding {
  const CompiledPolicy* policy = nullptr;
  bool direct = false;
  const Cluster* cluster = nullptr;

  static Binding Direct(const CompiledPolicy* policy, const Cluster* cluster = nullptr) {
    return {policy, true, cluster};
  }
  static Binding Lookup(const Cluster* cluster) { return {nullptr, false, cluster}; }
  static Binding None() { return {}; }
};

struct EvaluateOptions {
  Mode mode = Mode::kStrict;
  // Apply mutate() (docs/mutation.md) before validating, as `admit --mutate` does.
  bool mutate_first = false;
  // Add CRD schema findings as warnings (costs a schema walk).
  bool schema_warnings = false;
  ReadOptions read;  // source name and limits for byte inputs
};

Decision EvaluateAgentRun(const AgentRun& run, const Binding& binding,
                          const EvaluateOptions& options = {});
Decision EvaluateSkillPack(const SkillPack& pack, const EvaluateOptions& options = {});
// `policy` may be null: only the policy-independent pod rules run.
Decision EvaluatePod(const PodObject& pod, const CompiledPolicy* policy,
                     const EvaluateOptions& options = {});

// Reads one document (YAML or JSON), decodes it by kind and evaluates it:
// AgentRun, SkillPack, or a Pod/Job/Deployment/CronJob. A document that
// cannot be read or decoded is an error decision (never allowed).
Decision Evaluate(std::string_view bytes, const Binding& binding,
                  const EvaluateOptions& options = {});
// The same for an already read document.
Decision Evaluate(const Document& doc, const Binding& binding, const EvaluateOptions& options = {});

// As Evaluate(bytes), except that bytes which do not read (a syntax error, a
// limit) come back as that error instead of as an error decision, for a
// caller that reports unreadable input apart from decisions (the C API).
absl::StatusOr<Decision> EvaluateReadable(std::string_view bytes, const Binding& binding,
                                          const EvaluateOptions& options = {});

}  // namespace sympozium
SYMPOZIUM_API_END

#endif  // SYMPOZIUM_EVALUATE_H_
