#include "sympozium/lint.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "sympozium/policy.h"
#include "sympozium/read.h"

namespace sympozium {
namespace {

constexpr char kPolicy[] = R"(apiVersion: sympozium.ai/v1alpha1
kind: SympoziumPolicy
metadata: {name: loose, namespace: team}
spec:
  sandboxPolicy: {required: true, maxCPU: "0"}
  toolGating:
    defaultAction: allow
    rules:
      - {tool: read_file, action: allow}
      - {tool: execute_command, action: maybe}
)";

Document Read(std::string_view text, std::string name = "policy.yaml") {
  ReadOptions options;
  options.source_name = std::move(name);
  absl::StatusOr<Document> doc = ReadDocument(text, options);
  REQUIRE(doc.ok());
  return std::move(*doc);
}

std::vector<std::string> Codes(const LintResult& result) {
  std::vector<std::string> codes;
  for (const Diagnostic& d : result.findings) codes.push_back(d.code);
  return codes;
}

TEST_CASE("lint: findings in source order, strict errors as errors in strict mode only") {
  Document doc = Read(kPolicy);
  LintResult strict = LintPolicy(doc);
  CHECK(Codes(strict) == std::vector<std::string>{"lint.cap_not_positive", "lint.redundant_rule",
                                                  "compile.unknown_action"});
  CHECK(strict.errors == 1);
  CHECK(strict.warnings == 2);
  const Diagnostic& unknown = strict.findings.back();
  CHECK(unknown.path == "spec.toolGating.rules[1].action");
  CHECK(unknown.mark.line == 10);
  CHECK(unknown.source == "policy.yaml");

  LintOptions compat;
  compat.mode = Mode::kCompat;
  LintResult lenient = LintPolicy(doc, compat);
  CHECK(lenient.errors == 0);
  CHECK(lenient.warnings == lenient.findings.size());
}

TEST_CASE("lint: ignore hides warnings, never errors, and counts them") {
  LintOptions options;
  AddLintCodes(" lint.redundant_rule , compile.unknown_action", &options.ignore);
  CHECK(options.ignore.size() == 2);
  LintResult result = LintPolicy(Read(kPolicy), options);
  CHECK(Codes(result) ==
        std::vector<std::string>{"lint.cap_not_positive", "compile.unknown_action"});
  CHECK(result.suppressed == 1);

  std::string annotated(kPolicy);
  annotated.replace(
      annotated.find("namespace: team}"), 16,
      "namespace: team, annotations: {lint.sympozium.ai/ignore: lint.cap_not_positive}}");
  CHECK(LintPolicy(Read(annotated)).suppressed == 1);
}

TEST_CASE("lint: a document that does not decode is one error finding") {
  LintResult result = LintPolicy(Read(
      "apiVersion: sympozium.ai/v1alpha1\nkind: SympoziumPolicy\nmetadata: {name: x}\nspec: 5\n"));
  REQUIRE(result.findings.size() == 1);
  CHECK(result.errors == 1);
  CHECK(result.findings[0].path == "spec");
  CHECK(result.findings[0].mark.line == 4);
}

TEST_CASE("lint: a session reports a policy defined twice on the later document") {
  LintSession session(LintOptions{});
  Document first = Read(kPolicy, "a.yaml");
  Document second = Read(kPolicy, "b.yaml");
  CHECK(session.Lint(first).findings.size() == 3);
  LintResult again = session.Lint(second);
  REQUIRE(again.findings.size() == 4);
  CHECK(again.findings.back().code == "lint.duplicate_object");
  CHECK(again.findings.back().message.find("also defined by a.yaml") != std::string::npos);
}

TEST_CASE("lint: a compiled policy without its document gets the same rules") {
  Document doc = Read(kPolicy);
  CompileOptions compat;
  compat.mode = Mode::kCompat;
  absl::StatusOr<PolicyPtr> policy = Compile(doc, compat);
  REQUIRE(policy.ok());
  LintResult result = LintCompiledPolicy(**policy);
  std::vector<std::string> codes = Codes(result);
  std::sort(codes.begin(), codes.end());
  CHECK(codes == std::vector<std::string>{"compile.unknown_action", "lint.cap_not_positive",
                                          "lint.redundant_rule"});
}

}  // namespace
}  // namespace sympozium
