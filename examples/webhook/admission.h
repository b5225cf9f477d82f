// Admission: one admission.k8s.io/v1 AdmissionReview body in, one HTTP
// answer out. No sockets here, so every malformed input can be tested
// without a server.
//
// Two kinds of answer:
//  - The body is a JSON AdmissionReview (apiVersion admission.k8s.io/v1)
//    with a non-empty request.uid: HTTP 200 and an AdmissionReview whose
//    response echoes the uid. Every problem from there on (no object, a
//    kind this endpoint does not handle, an object that does not decode, no
//    policy set loaded yet) is `allowed: false` with status code 400/500
//    and a message, which is what kubectl shows.
//  - Otherwise (not JSON, too deep or too large for the read limits, not an
//    AdmissionReview, no uid): no uid can be echoed, so HTTP 400 with a
//    metav1.Status JSON body. The API server reports that as a failed call
//    and, with failurePolicy: Fail, rejects the request.
#ifndef SYMPOZIUM_EXAMPLES_WEBHOOK_ADMISSION_H_
#define SYMPOZIUM_EXAMPLES_WEBHOOK_ADMISSION_H_

#include <string>
#include <string_view>

#include "sympozium/document.h"
#include "sympozium/policy.h"
#include "sympozium/policy_store.h"

namespace sympozium::webhook {

enum class Endpoint {
  // AgentRun (docs/checks.md), SkillPack (docs/checks.md#skillpack-admission), Model
  // (docs/checks.md#model-admission), Pod
  // and pod templates (docs/pods.md).
  kValidate,
  kMutate,  // AgentRun defaults (docs/mutation.md) as a base64 JSONPatch
};

struct ReviewOptions {
  Mode mode = Mode::kStrict;
  Limits limits;  // bound the work one body can cause (size, depth, nodes)
};

struct HttpReply {
  int status = 200;
  std::string body;  // JSON
};

// What an AdmissionReview answer said, for the metrics. Empty `result`: the
// reply is an HTTP error, not an AdmissionReview.
struct Outcome {
  std::string_view result;  // "allowed", "denied" or "error"
  std::string code;         // reason code; "" when allowed
};

// Answers one request body. `set` is the policy set to evaluate against,
// or null when none has loaded yet (every review is then an error).
HttpReply Review(Endpoint endpoint, std::string_view body, const PolicySet* set,
                 const ReviewOptions& options, Outcome* outcome);

// A metav1.Status body for an HTTP-level failure.
HttpReply HttpError(int status, std::string_view message);

}  // namespace sympozium::webhook

#endif  // SYMPOZIUM_EXAMPLES_WEBHOOK_ADMISSION_H_
