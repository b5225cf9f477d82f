// lint: the library's lint findings (sympozium/lint.h: rules, severities,
// suppression) for every SympoziumPolicy of the inputs, printed as text,
// JSON, JUnit, SARIF or GitHub annotations. SkillPacks in the inputs and in
// --cluster declare the tool names a rule may use besides the built-ins.
#include <algorithm>
#include <chrono>
#include <iostream>
#include <set>

#include "sympozium/cluster.h"
#include "sympozium/lint.h"
#include "sympozium/strings.h"
#include "tools/cli/ci_report.h"
#include "tools/cli/cli.h"
#include "tools/cli/report.h"
#include "tools/cli/verbs.h"

namespace sympozium::cli {
namespace {

using Severity = Diagnostic::Severity;

// One policy document's findings, with the names its report lines use.
struct PolicyLint {
  std::string file;      // the file, for file:line:col
  std::string document;  // "file#2"
  std::string object;    // "SympoziumPolicy ns/name"
  LintResult result;
};

// `--ignore CODE,...` (repeatable).
std::set<std::string> IgnoreFlags(const Args& args) {
  std::set<std::string> codes;
  for (const std::string& list : args.GetAll("ignore")) AddLintCodes(list, &codes);
  return codes;
}

std::string_view SeverityName(Severity s) { return s == Severity::kError ? "error" : "warning"; }

// `file:line:col: warning[code] path: message`
std::string FindingLine(const PolicyLint& lint, const Diagnostic& d) {
  std::string out = lint.file;
  if (d.mark.line != 0) StrAppend(&out, ":", d.mark.line, ":", d.mark.column);
  StrAppend(&out, ": ", SeverityName(d.severity), "[", d.code, "] ");
  if (!d.path.empty()) StrAppend(&out, d.path, ": ");
  StrAppend(&out, d.message);
  return out;
}

std::string Count(size_t n, std::string_view one, std::string_view many) {
  return StrCat(n, " ", n == 1 ? one : many);
}

void PrintJson(const std::vector<PolicyLint>& lints, size_t errors, size_t warnings,
               size_t suppressed, size_t skipped) {
  Json json;
  json.BeginObject().Key("policies").BeginArray();
  for (const PolicyLint& lint : lints) {
    json.BeginObject()
        .Field("document", lint.document)
        .Field("file", lint.file)
        .Field("object", lint.object)
        .Field("errors", lint.result.errors)
        .Field("warnings", lint.result.warnings)
        .Field("suppressed", lint.result.suppressed)
        .Key("findings")
        .BeginArray();
    for (const Diagnostic& d : lint.result.findings) json.Raw(d.ToJson());
    json.EndArray().EndObject();
  }
  json.EndArray()
      .Field("errors", errors)
      .Field("warnings", warnings)
      .Field("suppressed", suppressed)
      .Field("skipped", skipped)
      .EndObject();
  std::cout << json.str() << "\n";
}

std::vector<CiFinding> CiFindings(const std::vector<PolicyLint>& lints) {
  std::vector<CiFinding> out;
  for (const PolicyLint& lint : lints)
    for (const Diagnostic& d : lint.result.findings)
      out.push_back(
          {d.severity == Severity::kError ? CiFinding::Level::kError : CiFinding::Level::kWarning,
           d.code, StrCat(lint.object, ": ", d.path.empty() ? "" : d.path + ": ", d.message),
           lint.file, d.mark.line, d.mark.column});
  return out;
}

void PrintJUnit(const std::vector<PolicyLint>& lints, double seconds) {
  std::vector<TestCase> cases;
  for (const PolicyLint& lint : lints) {
    TestCase c;
    c.name = lint.object;
    c.classname = lint.document;
    std::string lines;
    for (const Diagnostic& d : lint.result.findings) StrAppend(&lines, FindingLine(lint, d), "\n");
    if (lint.result.errors > 0) {
      auto first = std::find_if(lint.result.findings.begin(), lint.result.findings.end(),
                                [](const Diagnostic& d) { return d.severity == Severity::kError; });
      c.outcome = TestCase::Outcome::kFailed;
      c.type = first->code;
      c.message = StrCat(Count(lint.result.errors, "error", "errors"),
                         ", first: ", FindingLine(lint, *first));
      c.detail = lines;
    } else {
      c.system_out = lines;
    }
    cases.push_back(std::move(c));
  }
  std::cout << JUnitXml("sympozium-policy lint", cases, seconds);
}

}  // namespace

int Lint(const std::vector<std::string>& argv) {
  auto start = std::chrono::steady_clock::now();
  auto parsed = ParseReaderArgs(
      argv, {{"cluster", true, true}, {"ignore", true, true}, {"fail-on-warn", false}},
      {"text", "json", "junit", "sarif", "github"});
  if (!parsed.ok()) return Fail(parsed.status());
  const auto& [args, mode, output, limits] = *parsed;
  if (args.positional().empty())
    return Fail("lint needs at least one POLICY file (see lint --help)");
  auto docs = LoadDocuments(args.positional(), limits);
  if (!docs.ok()) return Fail(docs.status());

  // SkillPacks from --cluster and from the inputs declare the tool names a
  // rule may use besides the built-ins.
  Cluster packs;
  auto context = LoadDocuments(args.GetAll("cluster"), limits);
  if (!context.ok()) return Fail(context.status());
  for (Document& doc : *context)
    if (absl::Status s = packs.Add(std::move(doc)); !s.ok()) return Fail(s);
  size_t skipped = 0;
  for (const Document& doc : *docs) {
    if (doc.kind() == "SympoziumPolicy") continue;
    ++skipped;
    if (doc.kind() != "SkillPack") continue;
    if (absl::Status s = packs.Add(doc.Subtree(doc.root(), doc.Describe())); !s.ok())
      return Fail(s);
  }
  if (skipped == docs->size())
    return Fail(StrCat("no SympoziumPolicy documents in ", args.positional().front(),
                       args.positional().size() > 1 ? " ..." : ""));
  LintOptions options;
  options.mode = mode;
  options.limits = limits;
  options.known_tools = packs.SkillPackToolNames();
  options.ignore = IgnoreFlags(args);
  LintSession session(std::move(options));

  std::vector<PolicyLint> lints;
  size_t errors = 0, warnings = 0, suppressed = 0;
  for (const Document& doc : *docs) {
    if (doc.kind() != "SympoziumPolicy") continue;
    PolicyLint& lint =
        lints.emplace_back(PolicyLint{doc.source_name(), doc.Describe(), ObjectName(doc), {}});
    lint.result = session.Lint(doc);
    errors += lint.result.errors;
    warnings += lint.result.warnings;
    suppressed += lint.result.suppressed;
  }
  if (output == "sarif" || output == "github") {
    std::cout << CiReport(output, CiFindings(lints));
  } else if (output == "json") {
    PrintJson(lints, errors, warnings, suppressed, skipped);
  } else if (output == "junit") {
    std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
    PrintJUnit(lints, took.count());
  } else {
    size_t clean = 0;
    for (const PolicyLint& lint : lints) {
      clean += lint.result.findings.empty();
      for (const Diagnostic& d : lint.result.findings) std::cout << FindingLine(lint, d) << "\n";
    }
    std::cout << "linted " << Count(lints.size(), "policy", "policies") << " (" << ModeName(mode)
              << " mode): " << Count(errors, "error", "errors") << ", "
              << Count(warnings, "warning", "warnings");
    if (clean > 0) std::cout << "; " << clean << " without findings";
    if (suppressed > 0) std::cout << "; " << suppressed << " suppressed";
    if (skipped > 0)
      std::cout << "; skipped " << Count(skipped, "other document", "other documents");
    std::cout << "\n";
  }
  return errors > 0 || (warnings > 0 && args.Has("fail-on-warn")) ? kExitDenied : kExitOk;
}

}  // namespace sympozium::cli
