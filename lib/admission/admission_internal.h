// The pieces of ReviewAdmission: the decision on a review's object in one
// mode (judge.cc), and the response that decision gives under an
// enforcement mode (respond.cc).
#ifndef SYMPOZIUM_LIB_ADMISSION_ADMISSION_INTERNAL_H_
#define SYMPOZIUM_LIB_ADMISSION_ADMISSION_INTERNAL_H_

#include <string>
#include <string_view>
#include <vector>

#include "lib/read/document.h"
#include "sympozium/admission.h"
#include "sympozium/cluster.h"
#include "sympozium/decision.h"

namespace sympozium::admission_internal {

// A decision before enforcement, and for /mutate the base64 RFC 6902 patch
// ("" for none).
struct Verdict {
  Decision decision;
  std::string patch;
};

// The object's decision at `endpoint` in `mode`: AgentRuns and pods look
// their policy up in `cluster`, SkillPacks and Models need none, other
// kinds are an error.
Verdict Judge(const Document& object, const Cluster& cluster, AdmissionEndpoint endpoint,
              Mode mode);

// "namespace/name" of the policy the object is checked against, or "".
std::string PolicyName(const Document& object, const Cluster& cluster);

// The fields of an admission.k8s.io/v1 AdmissionResponse this library sets.
struct Response {
  std::string_view uid;
  bool allowed = false;
  int code = 500;
  std::string message;
  std::vector<std::string> warnings;
  std::string patch;  // base64 RFC 6902 patch; "" for none
};

// What `verdict` answers under `enforcement`. `disagreeing_shadow` is the
// shadow mode's outcome when it disagrees (a warning says so), else null.
Response Respond(std::string_view uid, Verdict verdict, Enforcement enforcement,
                 const ShadowOutcome* disagreeing_shadow);

std::string ResponseJson(const Response& r);

}  // namespace sympozium::admission_internal

#endif  // SYMPOZIUM_LIB_ADMISSION_ADMISSION_INTERNAL_H_
