// Linting: everything the library knows about a SympoziumPolicy, as errors
// and warnings with codes, document paths and line:column (docs/cli.md#lint
// lists the rules; `sympozium-policy lint` and Python's lint() print these).
//
// Errors: schema violations the API server rejects, a document that does
// not decode, and in strict mode what strict compilation refuses (an
// unknown action, a cap that is not a quantity). Warnings: the compiler's
// lint.* findings, plus the rules that need the whole policy: rules that
// decide nothing, defaults the policy itself forbids, caps and limits that
// block everything, NetworkPolicy entries the generator cannot express, and
// in compat mode the settings Sympozium itself never enforces. Across
// documents: two documents of one policy (namespace and name).
#ifndef SYMPOZIUM_LINT_H_
#define SYMPOZIUM_LINT_H_

#include <cstddef>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sympozium/diagnostic.h"
#include "sympozium/export.h"
#include "sympozium/options.h"
#include "sympozium/policy.h"
#include "sympozium/read.h"

SYMPOZIUM_API_BEGIN
namespace sympozium {

// The policy annotation listing warning codes its team chose not to see:
// `lint.sympozium.ai/ignore: "CODE,CODE"`.
inline constexpr char kLintIgnoreAnnotation[] = "lint.sympozium.ai/ignore";

struct LintOptions {
  Mode mode = Mode::kStrict;
  // limits and known_tools are the compile's: LintCompiledPolicy, given a
  // policy compiled already, does not read them.
  Limits limits = DefaultLimits();
  // Tool names SkillPacks declare: with the built-in tools, the names a
  // rule may use without a lint.unknown_tool warning.
  std::vector<std::string> known_tools;
  // Warning codes to hide (errors always stay: they are what the API server
  // or strict admission refuses). Added to the policy's own annotation.
  std::set<std::string> ignore;
};

struct LintResult {
  // By position in the source (findings without one last), then the
  // across-documents findings.
  Diagnostics findings;
  size_t errors = 0;
  size_t warnings = 0;
  size_t suppressed = 0;  // warnings `ignore` or the annotation hid
};

// Adds the codes of a comma-separated list ("lint.a, lint.b"), as the
// annotation and `lint --ignore` take them, to `codes`.
void AddLintCodes(std::string_view list, std::set<std::string>* codes);

// Lints one SympoziumPolicy document. A document that does not decode or
// compile yields that failure as an error finding, positioned in the source.
LintResult LintPolicy(const Document& policy, const LintOptions& options = {});

// Lints a policy compiled already (one a Cluster holds, a preset) by the
// same rules, without its document: findings the compiler did not position
// have no line:column, and no annotation is read. Only a policy compiled in
// compat mode can have strict errors to report.
LintResult LintCompiledPolicy(const CompiledPolicy& policy, const LintOptions& options = {});

// Lints the documents of one set of files in turn, so that findings across
// them (a policy defined twice) are reported on the later document.
class LintSession {
 public:
  explicit LintSession(LintOptions options) : options_(std::move(options)) {}

  LintResult Lint(const Document& policy);

 private:
  LintOptions options_;
  // The document that first defined each (namespace, name).
  std::map<std::pair<std::string, std::string>, std::string> seen_;
};

}  // namespace sympozium
SYMPOZIUM_API_END

#endif  // SYMPOZIUM_LINT_H_
