// Pod Security Standards: evaluating any pod or workload against the
// `baseline` or `restricted` level alone, versioned as Pod Security
// Admission versions its checks (`restricted@v1.37`, `baseline@latest`).
// No policy and none of Sympozium's own agent-pod rules are involved; the
// checks, codes and paths are those of the pod rules (docs/pod-security.md).
#ifndef SYMPOZIUM_POD_SECURITY_H_
#define SYMPOZIUM_POD_SECURITY_H_

#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "sympozium/decision.h"
#include "sympozium/export.h"
#include "sympozium/options.h"
#include "sympozium/read.h"

SYMPOZIUM_API_BEGIN
namespace sympozium {

enum class PodSecurityLevel { kBaseline, kRestricted };

// The newest policy version whose checks are known: `latest` means it, and
// a newer version is evaluated as it (as Pod Security Admission clamps).
inline constexpr int kLatestPodSecurityMinor = 37;

struct PodSecurityStandard {
  PodSecurityLevel level = PodSecurityLevel::kRestricted;
  int minor = kLatestPodSecurityMinor;  // policy version v1.<minor>
  bool latest = true;                   // written as `latest` or without a version

  // "restricted@latest", "baseline@v1.30".
  std::string ToString() const;
};

// Parses LEVEL[@VERSION]: LEVEL is `baseline` or `restricted`, VERSION is
// `latest` (the default) or `v1.N`.
absl::StatusOr<PodSecurityStandard> ParsePodSecurityStandard(std::string_view text);

// Every violation of `standard` in the pod spec of a Pod/Job/CronJob/
// Deployment/StatefulSet/DaemonSet/ReplicaSet document, decoded first;
// anything else, or a document that cannot be read or decoded, is an error
// decision (never allowed).
Decision EvaluatePodSecurity(const Document& doc, const PodSecurityStandard& standard);
Decision EvaluatePodSecurity(std::string_view bytes, const PodSecurityStandard& standard,
                             const ReadOptions& read = {});

}  // namespace sympozium
SYMPOZIUM_API_END

#endif  // SYMPOZIUM_POD_SECURITY_H_
