// Admission: one admission.k8s.io/v1 AdmissionReview body in, the answer
// the webhook sends out. Every front end (the webhook, `sympozium-policy
// review`, sym_admission_review, sympozium.admission_review) calls this, so
// they answer the same review the same way. See docs/admission.md.
//
// Two kinds of answer:
//  - The body is a JSON AdmissionReview (apiVersion admission.k8s.io/v1)
//    with a non-empty request.uid: HTTP 200 and an AdmissionReview whose
//    response echoes the uid. Every problem from there on (no object, a
//    kind this endpoint does not handle, an object that does not decode, no
//    cluster view loaded yet) is an error decision with status code 400/500
//    and a message, which is what kubectl shows.
//  - Otherwise (not JSON, too deep or too large for the read limits, not an
//    AdmissionReview, no uid): no uid can be echoed, so an HTTP error (400)
//    with a metav1.Status JSON body. No enforcement mode turns it into an
//    allow: the API server reports a failed call and, with failurePolicy:
//    Fail, rejects the request.
//
// What each kind is checked against:
//  - AgentRun: spec.agentRef names an Agent in the run's namespace, whose
//    policyRef names the policy there (a missing one is an error);
//  - Pod and every workload kind (Job, CronJob, Deployment, StatefulSet,
//    DaemonSet, ReplicaSet): the `sympozium.ai/instance` label of the object
//    or its pod template names the Agent; without one only the
//    policy-independent pod rules apply (and a warning says so);
//  - SkillPack and Model: no lookup.
// The namespace and kind come from the request when the object lacks them.
// DELETE and CONNECT are allowed: nothing is created or changed.
#ifndef SYMPOZIUM_ADMISSION_H_
#define SYMPOZIUM_ADMISSION_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sympozium/cluster.h"
#include "sympozium/decision.h"
#include "sympozium/export.h"
#include "sympozium/policy.h"
#include "sympozium/policy_store.h"
#include "sympozium/read.h"

SYMPOZIUM_API_BEGIN
namespace sympozium {

// What a decision that is not "allowed" does to the request.
//  - kDeny: it is refused (the default).
//  - kWarn: it is allowed; each violation comes back in response.warnings,
//    prefixed "[would deny]", which kubectl prints.
//  - kAudit: it is allowed silently; only the typed facts below (the
//    decision log, the metrics) say it would have been refused.
enum class Enforcement { kDeny, kWarn, kAudit };

std::string_view EnforcementName(Enforcement e);  // "deny", "warn", "audit"
bool ParseEnforcement(std::string_view name, Enforcement* e);

enum class AdmissionEndpoint {
  kValidate,  // AgentRun, SkillPack, Model, Pod and workloads
  kMutate,    // AgentRun defaults as a base64 JSONPatch
};

struct AdmissionOptions {
  AdmissionEndpoint endpoint = AdmissionEndpoint::kValidate;
  Mode mode = Mode::kStrict;
  Enforcement enforcement = Enforcement::kDeny;
  // Also evaluate in this mode; where it disagrees with `mode`, a warning
  // (under deny and warn) and AdmissionResult::shadow say so.
  std::optional<Mode> shadow_mode;
  Limits limits;  // bound the work one body can cause (size, depth, nodes)
};

// The decision in the shadow mode, next to the one that was enforced.
struct ShadowOutcome {
  Mode mode = Mode::kCompat;
  bool allowed = false;
  Result result = Result::kError;
  std::string code;
  // The shadow decision allows where the enforced one does not, or the
  // other way round (for /mutate: the patches differ).
  bool disagrees = false;
};

struct AdmissionResult {
  int http_status = 200;
  std::string body;  // the AdmissionReview JSON, or a metav1.Status for an HTTP error

  // The typed facts of the answer, for decision logs and metrics. When
  // `answered` is false (an HTTP error) only `message` is set.
  bool answered = false;
  std::string uid;
  std::string operation;  // request.operation: CREATE, UPDATE, DELETE, CONNECT
  std::string kind;       // the object's kind (or request.kind.kind)
  std::string namespace_;
  std::string name;
  std::string user;  // request.userInfo.username
  // response.allowed, after enforcement: true under warn and audit.
  bool allowed = false;
  // The decision before enforcement: allowed, denied or error, its first
  // code ("" when allowed), every violation's code, and its message.
  Result result = Result::kError;
  std::string code;
  std::vector<std::string> violations;
  std::string message;
  // The decision was not "allowed": refused under deny, let through under
  // warn and audit.
  bool would_deny() const { return answered && result != Result::kAllowed; }
  Mode mode = Mode::kStrict;
  Enforcement enforcement = Enforcement::kDeny;
  // "namespace/name" of the SympoziumPolicy the object was checked against,
  // or "" when none applied (SkillPacks, Models, unbound pods, failed lookups).
  std::string policy;
  uint64_t generation = 0;  // of the cluster view
  std::optional<ShadowOutcome> shadow;
};

// Answers one review. `set` is the cluster view to check against, or null
// when nothing is loaded yet (every well-formed review is then an error
// answer).
AdmissionResult ReviewAdmission(std::string_view body, const PolicySet* set,
                                const AdmissionOptions& options);
// The same against a bare cluster (never null here) stamped `generation`,
// for callers that hold a Cluster rather than a PolicySet.
AdmissionResult ReviewAdmission(std::string_view body, const Cluster& cluster, uint64_t generation,
                                const AdmissionOptions& options);

// A metav1.Status body for an HTTP-level failure.
std::string AdmissionErrorBody(int http_status, std::string_view message);

}  // namespace sympozium
SYMPOZIUM_API_END

#endif  // SYMPOZIUM_ADMISSION_H_
