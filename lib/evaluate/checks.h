// The checks on decoded objects: AgentRuns (docs/checks.md), SkillPacks
// (docs/checks.md#skillpack-admission), pods (docs/pods.md) and the Pod
// Security Standards (docs/pod-security.md). sympozium/evaluate.h and
// sympozium/pod_security.h take documents and bytes and come here.
#ifndef SYMPOZIUM_LIB_EVALUATE_CHECKS_H_
#define SYMPOZIUM_LIB_EVALUATE_CHECKS_H_

#include "lib/decode/model.h"
#include "sympozium/decision.h"
#include "sympozium/options.h"
#include "sympozium/pod_security.h"
#include "sympozium/policy.h"
#include "sympozium/start.h"

namespace sympozium {

Decision EvaluateAgentRun(const AgentRun& run, const Binding& binding,
                          const EvaluateOptions& options = {});
Decision EvaluateSkillPack(const SkillPack& pack, const EvaluateOptions& options = {});
// `policy` may be null: only the policy-independent pod rules run.
Decision EvaluatePod(const PodObject& pod, const CompiledPolicy* policy,
                     const EvaluateOptions& options = {});
// The run-start checks (sympozium/start.h) on a decoded run.
Decision AdmitStart(const AgentRun& run, const Binding& binding, const StartContext& context,
                    const EvaluateOptions& options = {});
// Every violation of `standard` in the pod spec of `pod`.
Decision EvaluatePodSecurity(const PodObject& pod, const PodSecurityStandard& standard);

}  // namespace sympozium

#endif  // SYMPOZIUM_LIB_EVALUATE_CHECKS_H_
