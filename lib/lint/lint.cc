// Linting one SympoziumPolicy document: decode, compile in compat form,
// the compiler's findings and the whole-policy rules (lib/lint/rules.h),
// then the across-documents rule and suppression.
#include "sympozium/lint.h"

#include <algorithm>
#include <tuple>

#include "absl/strings/ascii.h"
#include "absl/strings/str_split.h"
#include "lib/base/value.h"
#include "lib/compile/compile.h"
#include "lib/decode/decode.h"
#include "lib/lint/rules.h"
#include "sympozium/strings.h"

namespace sympozium {
namespace {

using Severity = Diagnostic::Severity;
using lint_internal::Findings;

// By position in the source, findings without one last; stable, so the
// order of the rules decides among findings at one node.
void SortByPosition(Diagnostics* findings) {
  std::stable_sort(findings->begin(), findings->end(),
                   [](const Diagnostic& a, const Diagnostic& b) {
                     auto key = [](const Diagnostic& d) {
                       return std::tuple(d.mark.line == 0, d.mark.line, d.mark.column);
                     };
                     return key(a) < key(b);
                   });
}

void Count(LintResult* result) {
  result->errors = result->warnings = 0;
  for (const Diagnostic& d : result->findings)
    ++(d.severity == Severity::kError ? result->errors : result->warnings);
}

LintResult LintAlone(const Document& doc, const LintOptions& options) {
  LintResult result;
  Findings f(&doc, &result.findings);
  absl::StatusOr<Decoded<Policy>> decoded = DecodePolicy(doc.Subtree(doc.root(), doc.Describe()));
  if (!decoded.ok()) {
    f.AddStatus(decoded.status());
  } else {
    // Compiled in compat form so that a policy strict mode refuses still
    // yields its table and warnings; CheckPolicy reports the strict errors.
    CompileOptions compile;
    compile.mode = Mode::kCompat;
    compile.limits = options.limits;
    compile.known_tools = options.known_tools;
    absl::StatusOr<PolicyPtr> policy = Compile(*decoded, compile);
    if (!policy.ok())
      f.AddStatus(policy.status());
    else
      lint_internal::CheckPolicy(**policy, options.mode, f);
  }
  SortByPosition(&result.findings);
  return result;
}

// "SympoziumPolicy ns/name", as the duplicate finding names a policy.
std::string PolicyName(const Document& doc) {
  std::string ns(doc.namespace_());
  std::string name = StrCat(ns.empty() ? "" : StrCat(ns, "/"), doc.name());
  return name.empty() ? std::string(doc.kind()) : StrCat(doc.kind(), " ", name);
}

// Warnings a team chose not to see: the options' codes and, on the policy
// object, the annotation's. Errors stay.
void Suppress(const Document* doc, std::set<std::string> ignored, LintResult* result) {
  const Value* annotations = doc != nullptr ? doc->root().Find("metadata") : nullptr;
  annotations = annotations != nullptr ? annotations->Find("annotations") : nullptr;
  const Value* list = annotations != nullptr ? annotations->Find(kLintIgnoreAnnotation) : nullptr;
  if (list != nullptr && list->is_string()) AddLintCodes(list->text, &ignored);
  if (ignored.empty()) return;
  auto hidden = [&](const Diagnostic& d) {
    return d.severity == Severity::kWarning && ignored.count(d.code) > 0;
  };
  auto end = std::remove_if(result->findings.begin(), result->findings.end(), hidden);
  result->suppressed = static_cast<size_t>(result->findings.end() - end);
  result->findings.erase(end, result->findings.end());
}

}  // namespace

void AddLintCodes(std::string_view list, std::set<std::string>* codes) {
  for (absl::string_view code : absl::StrSplit(AsAbsl(list), ',', absl::SkipWhitespace()))
    codes->insert(std::string(absl::StripAsciiWhitespace(code)));
}

LintResult LintPolicy(const Document& policy, const LintOptions& options) {
  return LintSession(options).Lint(policy);
}

LintResult LintCompiledPolicy(const CompiledPolicy& policy, const LintOptions& options) {
  LintResult result;
  Findings f(nullptr, &result.findings);
  lint_internal::CheckPolicy(policy, options.mode, f);
  SortByPosition(&result.findings);
  Suppress(nullptr, options.ignore, &result);
  Count(&result);
  return result;
}

// Two files defining one policy: fine for alternatives side by side, but a
// webhook loading both refuses the whole load, and which one a cluster
// holds depends on apply order.
LintResult LintSession::Lint(const Document& policy) {
  LintResult result = LintAlone(policy, options_);
  auto [first, inserted] =
      seen_.emplace(std::make_pair(std::string(policy.namespace_()), std::string(policy.name())),
                    policy.Describe());
  if (!inserted)
    Findings(&policy, &result.findings)
        .Warn("lint.duplicate_object", "metadata.name",
              StrCat(PolicyName(policy), " is also defined by ", first->second,
                     ": a webhook --config load of both fails (kind, namespace and name must be "
                     "unique)"));
  Suppress(&policy, options_.ignore, &result);
  Count(&result);
  return result;
}

}  // namespace sympozium
