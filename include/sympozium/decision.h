// Decision: the answer to "may this start?", with every reason.
#ifndef SYMPOZIUM_DECISION_H_
#define SYMPOZIUM_DECISION_H_

#include <string>
#include <string_view>
#include <vector>

#include "sympozium/diagnostic.h"
#include "sympozium/export.h"
#include "sympozium/policy.h"

SYMPOZIUM_API_BEGIN
namespace sympozium {

// One broken rule. `code` is a stable reason code (docs/reason-codes.md,
// docs/checks.md#strict-mode, docs/pods.md); `message` follows the Go wording; `path` is the
// document path of the field that decided it (`spec.env.PATH`, `spec.lifecycle.preRun[0].image`).
struct Violation {
  std::string_view code;  // static storage: codes are literals
  std::string message;
  std::string path;
};

enum class Result { kAllowed, kDenied, kError };
std::string_view ResultName(Result r);

struct Decision {
  bool allowed = false;
  Result result = Result::kError;
  int status = 500;       // 200 allowed, 403 denied, 400/500 errors (as the webhook answers)
  std::string_view code;  // the first violation's code, or "" when allowed
  std::string message;    // the first violation's message, or the allow reason
  // All of them, up to kMaxViolations; the first is the one Go reports.
  std::vector<Violation> violations;
  // Violations past kMaxViolations are counted, not kept: a hostile run
  // (thousands of hooks against a long allowlist) cannot make a decision
  // hold unbounded memory.
  size_t omitted_violations = 0;
  static constexpr size_t kMaxViolations = 1000;
  Diagnostics warnings;
  Mode mode = Mode::kStrict;

  static Decision Allow(std::string message, Mode mode);
  // An error result (decode failure, failed lookup): not allowed.
  static Decision Error(int status, std::string_view code, std::string message, std::string path,
                        Mode mode);

  // True once kMaxViolations are kept; callers may skip building messages.
  bool full() const { return violations.size() >= kMaxViolations; }

  // Records a violation; the first one makes the result denied (403) and
  // sets code and message.
  void Deny(std::string_view code, std::string message, std::string path);
  // Records an error (a failed lookup); when it is the first problem the
  // result is an error with `status`, else it is one more violation (Go
  // would have stopped at the earlier denial).
  void Fail(int status, std::string_view code, std::string message, std::string path);

  // The JSON object of `sympozium-policy admit --output json` (docs/cli.md).
  std::string ToJson() const;
};

}  // namespace sympozium
SYMPOZIUM_API_END

#endif  // SYMPOZIUM_DECISION_H_
