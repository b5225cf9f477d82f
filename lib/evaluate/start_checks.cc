// Run-start checks: the controller's re-check of a Pending AgentRun (docs/start.md) in compat mode,
// and the strict depth and concurrency rules of docs/start.md. Like admission, this goes on after a
// violation so the Decision lists every one; the first is what the controller reports.
#include <string>

#include "lib/cluster/lookup.h"
#include "lib/compile/policy_table.h"
#include "lib/decode/decode.h"
#include "lib/evaluate/checks.h"
#include "sympozium/start.h"
#include "sympozium/strings.h"

namespace sympozium {
namespace {

constexpr std::string_view kPolicyFailed = "policy validation failed: ";
constexpr std::string_view kGateFailed = "gate hook validation failed: ";

class StartChecks {
 public:
  StartChecks(const AgentRun& run, const Binding& binding, const StartContext& context,
              const EvaluateOptions& options)
      : run_(run),
        spec_(run.spec),
        binding_(binding),
        context_(context),
        strict_(options.mode == Mode::kStrict) {
    decision_.mode = options.mode;
  }

  Decision Run() {
    if (!spec_.task_set) decision_.Deny("start.no_task", "spec.task is required", "spec.task");
    const CompiledPolicy* policy = FindPolicy();
    if (policy != nullptr && TableOf(*policy).has_subagent_policy) {
      const PolicyTable& t = TableOf(*policy);
      CheckDepth(t);
      if (strict_) {
        CheckChildConcurrency(t);
      } else {
        CheckAgentConcurrency(t);
      }
    }
    CheckGateHooks();  // needs no policy: the controller runs it for every run
    if (!decision_.violations.empty()) return std::move(decision_);
    Decision allow =
        Decision::Allow(policy != nullptr ? "run may start" : "no policy bound", decision_.mode);
    allow.warnings = std::move(decision_.warnings);
    return allow;
  }

 private:
  // The controller's validatePolicy lookups: the Agent in the run's
  // namespace, then its policyRef there. nullptr when no policy is bound or
  // a lookup failed (recorded).
  const CompiledPolicy* FindPolicy() {
    if (binding_.direct) return Usable(binding_.policy);
    if (binding_.cluster == nullptr) return nullptr;
    Str ref = spec_.agent_ref;
    PolicyLookup found = LookupPolicy(*binding_.cluster, run_.metadata.namespace_, ref);
    if (found.broken != nullptr) {  // the Agent or its policy cannot be used
      decision_.Fail(500, found.broken->reason_code(),
                     StrCat(kPolicyFailed, found.broken->Describe()), "spec.agentRef");
      return nullptr;
    }
    if (found.agent == nullptr) {
      decision_.Fail(400, "agent.not_found",
                     StrCat(kPolicyFailed, "instance ", Quote(ref),
                            " not found: agents.sympozium.ai ", Quote(ref), " not found"),
                     "spec.agentRef");
      return nullptr;
    }
    if (found.policy_ref.empty()) return nullptr;
    if (found.policy == nullptr)
      decision_.Fail(500, "policy.not_found",
                     StrCat(kPolicyFailed, "policy ", Quote(found.policy_ref),
                            " not found: sympoziumpolicies.sympozium.ai ", Quote(found.policy_ref),
                            " not found"),
                     "spec.agentRef");
    return Usable(found.policy);
  }

  // Strict refuses a policy that only compiles in compat form, as admission
  // does.
  const CompiledPolicy* Usable(const CompiledPolicy* policy) {
    if (policy == nullptr || !strict_ || policy->strict_errors().empty()) return policy;
    decision_.Fail(500, "policy.invalid",
                   StrCat("SympoziumPolicy ", policy->name(), " does not compile in strict mode: ",
                          policy->strict_errors().front().ToString()),
                   "");
    return nullptr;
  }

  // compat: `>` and no zero guard; strict: admission's check 9.
  void CheckDepth(const PolicyTable& t) {
    if (!spec_.parent) return;
    int64_t depth = spec_.parent->spawn_depth;
    if (!strict_ && depth > t.max_depth)
      decision_.Deny("start.depth",
                     StrCat(kPolicyFailed, "sub-agent depth ", depth, " exceeds max ", t.max_depth),
                     "spec.parent.spawnDepth");
    if (strict_ && t.max_depth > 0 && depth >= t.max_depth)
      decision_.Deny(
          "start.depth",
          StrCat(kPolicyFailed, "sub-agent depth ", depth, " exceeds maximum ", t.max_depth),
          "spec.parent.spawnDepth");
  }

  void DenyConcurrency(int64_t running, const PolicyTable& t, std::string path) {
    decision_.Deny(
        "start.concurrency",
        StrCat(kPolicyFailed, "concurrency limit reached: ", running, "/", t.max_concurrent),
        std::move(path));
  }

  // compat: every run, counting the Agent's Running runs.
  void CheckAgentConcurrency(const PolicyTable& t) {
    if (!context_.running_for_agent_known) {
      Diagnostic skipped;
      skipped.severity = Diagnostic::Severity::kWarning;
      skipped.code = "start.concurrency_skipped";
      skipped.path = "spec.agentRef";
      skipped.message = StrCat("the Running AgentRuns of Agent ", Quote(spec_.agent_ref),
                               " are unknown, so the concurrency check was skipped (as the "
                               "controller does when its list fails)");
      decision_.warnings.push_back(std::move(skipped));
      return;
    }
    if (context_.running_for_agent >= t.max_concurrent)
      DenyConcurrency(context_.running_for_agent, t, "spec.agentRef");
  }

  // strict: child runs only, counting the parent's Running children; an
  // unknown count cannot be checked, so it refuses.
  void CheckChildConcurrency(const PolicyTable& t) {
    if (!spec_.parent) return;
    if (!context_.running_children_known) {
      decision_.Fail(
          500, "start.concurrency_unknown",
          StrCat(kPolicyFailed, "the Running children of parent ", Quote(spec_.parent->run_name),
                 " are unknown, so the concurrency limit cannot be checked"),
          "spec.parent.runName");
      return;
    }
    if (context_.running_children_of_parent >= t.max_concurrent)
      DenyConcurrency(context_.running_children_of_parent, t, "spec.parent.runName");
  }

  void CheckGateHooks() {
    if (!spec_.lifecycle) return;
    const List<LifecycleHook>& pre = spec_.lifecycle->pre_run;
    for (size_t i = 0; i < pre.size(); ++i)
      if (pre[i].gate)
        decision_.Deny(
            "start.gate_hook",
            StrCat(kGateFailed, "gate: true is only valid on postRun hooks, not preRun (hook ",
                   Quote(pre[i].name), ")"),
            StrCat("spec.lifecycle.preRun[", i, "].gate"));
    const List<LifecycleHook>& post = spec_.lifecycle->post_run;
    size_t gates = 0;
    std::string second;  // where the limit was first passed
    for (size_t i = 0; i < post.size(); ++i)
      if (post[i].gate && ++gates == 2) second = StrCat("spec.lifecycle.postRun[", i, "].gate");
    if (gates > 1)
      decision_.Deny(
          "start.gate_hook",
          StrCat(kGateFailed, "at most one postRun hook may set gate: true, found ", gates),
          std::move(second));
  }

  const AgentRun& run_;
  const AgentRunSpec& spec_;
  const Binding& binding_;
  const StartContext& context_;
  bool strict_;
  Decision decision_;
};

}  // namespace

Decision AdmitStart(const AgentRun& run, const Binding& binding, const StartContext& context,
                    const EvaluateOptions& options) {
  return StartChecks(run, binding, context, options).Run();
}

Decision AdmitStart(const Document& doc, const Binding& binding, const StartContext& context,
                    const EvaluateOptions& options) {
  Arena arena;
  AgentRun run;
  if (absl::Status s = DecodeInto(doc.root(), doc.Describe(), arena, &run); !s.ok())
    return Decision::Error(400, "decode.error", std::string(s.message()), PathOf(s), options.mode);
  return AdmitStart(run, binding, context, options);
}

Decision AdmitStart(std::string_view bytes, const Binding& binding, const StartContext& context,
                    const EvaluateOptions& options) {
  absl::StatusOr<Document> doc = ReadDocument(bytes, options.read);
  if (!doc.ok())
    return Decision::Error(400, "decode.error", std::string(doc.status().message()),
                           PathOf(doc.status()), options.mode);
  return AdmitStart(*doc, binding, context, options);
}

}  // namespace sympozium
