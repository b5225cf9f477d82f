// The lint rules that need a whole compiled policy (include/sympozium/lint.h
// runs them), and the collector that positions their findings in the
// policy's source.
#ifndef SYMPOZIUM_LIB_LINT_RULES_H_
#define SYMPOZIUM_LIB_LINT_RULES_H_

#include <string>

#include "absl/status/status.h"
#include "sympozium/diagnostic.h"
#include "sympozium/options.h"
#include "sympozium/policy.h"
#include "sympozium/read.h"

namespace sympozium::lint_internal {

// Collects findings for one policy document, positioned in its tree (left
// unpositioned for a policy linted without its document).
class Findings {
 public:
  Findings(const Document* doc, Diagnostics* out) : doc_(doc), out_(out) {}

  void Add(Diagnostic::Severity severity, std::string code, std::string path, std::string message);
  void Warn(std::string code, std::string path, std::string message) {
    Add(Diagnostic::Severity::kWarning, std::move(code), std::move(path), std::move(message));
  }
  // A decode or compile failure: its code and path, and the message without
  // the "path: " prefix and " (source:line:col)" suffix ToStatus added.
  void AddStatus(const absl::Status& status);
  // A diagnostic from the library, positioned here when it has no mark.
  void Adopt(Diagnostic d, Diagnostic::Severity severity);

 private:
  void Position(Diagnostic* d) const;

  const Document* doc_;  // may be null
  Diagnostics* out_;
};

// The compiler's findings on `policy` (its strict errors as errors in
// strict mode, schema errors always) and every whole-policy rule, in mode
// `mode` (the compat-only rules in compat mode).
void CheckPolicy(const CompiledPolicy& policy, Mode mode, Findings& f);

}  // namespace sympozium::lint_internal

#endif  // SYMPOZIUM_LIB_LINT_RULES_H_
