// Evaluating: AgentRuns (docs/checks.md), SkillPacks (docs/checks.md#skillpack-admission) and pods
// (docs/pods.md) -> Decision. The last stage.
#ifndef SYMPOZIUM_EVALUATE_H_
#define SYMPOZIUM_EVALUATE_H_

#include <string_view>

#include "absl/status/statusor.h"
#include "sympozium/cluster.h"
#include "sympozium/decision.h"
#include "sympozium/export.h"
#include "sympozium/options.h"
#include "sympozium/policy.h"
#include "sympozium/read.h"

SYMPOZIUM_API_BEGIN
namespace sympozium {

// The kinds Evaluate decides: AgentRun, SkillPack, Model and the pod kinds
// (Pod, Job, CronJob, Deployment, StatefulSet, DaemonSet, ReplicaSet). The
// CLI skips other kinds in a folder or a dump instead of failing on them.
bool EvaluatesKind(std::string_view kind);

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
