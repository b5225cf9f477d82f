// test: run test suites (docs/testing.md) and report each expected result.
#include <algorithm>
#include <chrono>
#include <iostream>

#include "sympozium/strings.h"
#include "sympozium/test_suite.h"
#include "tools/cli/ci_report.h"
#include "tools/cli/cli.h"
#include "tools/cli/report.h"
#include "tools/cli/verbs.h"

namespace sympozium::cli {
namespace {

struct TestFlags {
  std::string output;  // text, json or junit
  bool fail_only = false;
  bool allow_empty = false;
  std::vector<std::string> paths;
};

// Every flag `test` takes, parsed in one place.
absl::StatusOr<TestFlags> ParseTestFlags(std::vector<std::string> argv) {
  for (std::string& a : argv)
    if (a == "-o") a = "--output";
  absl::StatusOr<Args> args = Args::Parse(
      argv, {{"output", true}, {"fail-only", false}, {"allow-empty", false}, {"help", false}});
  if (!args.ok()) return args.status();
  absl::StatusOr<std::string> output =
      OutputFlag(*args, {"text", "json", "junit", "sarif", "github"});
  if (!output.ok()) return output.status();
  if (args->positional().empty())
    return absl::InvalidArgumentError("test needs a test file or directory (see test --help)");
  return TestFlags{*output, args->Has("fail-only"), args->Has("allow-empty"), args->positional()};
}

// The suites that ran and the test files that could not be read.
struct Outcome {
  std::vector<TestSuiteReport> suites;
  std::vector<std::string> errors;
  size_t passed = 0;
  size_t failed = 0;
  size_t skipped = 0;  // resources of kinds `test` does not evaluate
};

// `r` as --fail-only wants: failures only, failures first otherwise (the
// order of the file within each group).
std::vector<const TestResult*> Shown(const TestSuiteReport& suite, bool fail_only) {
  std::vector<const TestResult*> shown;
  for (const TestResult& r : suite.results)
    if (!r.passed) shown.push_back(&r);
  if (!fail_only)
    for (const TestResult& r : suite.results)
      if (r.passed) shown.push_back(&r);
  return shown;
}

// A table per suite, as `kyverno test` prints: one row per result with
// expected and actual, then why each failure failed.
void PrintText(const Outcome& outcome, bool fail_only) {
  const std::vector<std::string> header = {"LINE",   "RESULT",   "ITEM",
                                           "POLICY", "EXPECTED", "ACTUAL"};
  for (const TestSuiteReport& suite : outcome.suites) {
    std::vector<const TestResult*> shown = Shown(suite, fail_only);
    if (shown.empty()) continue;
    std::vector<std::vector<std::string>> rows = {header};
    for (const TestResult* r : shown)
      rows.push_back({StrCat(r->line), r->passed ? "Pass" : "Fail", r->id, r->policy,
                      r->expected.ToString(), r->actual.ToString()});
    std::vector<size_t> width(header.size(), 0);
    for (const auto& row : rows)
      for (size_t i = 0; i < row.size(); ++i) width[i] = std::max(width[i], row[i].size());
    std::cout << "Test " << suite.name << " (" << suite.file << ")\n";
    for (const auto& row : rows) {
      std::string line = " ";
      for (size_t i = 0; i < row.size(); ++i) {
        std::string cell = row[i];
        if (i + 1 < row.size()) cell.resize(width[i], ' ');
        StrAppend(&line, " ", cell);
      }
      std::cout << line << "\n";
    }
    for (const TestResult* r : shown)
      if (!r->passed)
        std::cout << "  FAIL " << r->file << ":" << r->line << " " << r->id << ": " << r->message
                  << "\n";
    std::cout << "\n";
  }
  std::cout << "Test summary: " << outcome.passed << " passed, " << outcome.failed << " failed";
  if (!outcome.errors.empty()) std::cout << ", " << outcome.errors.size() << " unreadable";
  if (outcome.skipped > 0)
    std::cout << "; " << outcome.skipped << " resources skipped (kinds test does not evaluate)";
  std::cout << "\n";
}

void OutcomeJson(Json& json, std::string_view key, const TestOutcome& o) {
  json.Key(key).BeginObject();
  if (!o.result.empty()) json.Field("result", o.result);
  if (!o.code.empty()) json.Field("code", o.code);
  if (o.check_violations || !o.violations.empty()) {
    json.Key("violations").BeginArray();
    for (const std::string& v : o.violations) json.String(v);
    json.EndArray();
  }
  if (!o.decision.empty()) json.Field("decision", o.decision);
  json.EndObject();
}

void PrintJson(const Outcome& outcome, bool fail_only) {
  Json json;
  json.BeginObject().Key("suites").BeginArray();
  for (const TestSuiteReport& suite : outcome.suites) {
    json.BeginObject().Field("file", suite.file).Field("name", suite.name);
    json.Field("skipped", suite.skipped);
    json.Key("results").BeginArray();
    for (const TestResult* r : Shown(suite, fail_only)) {
      json.BeginObject().Field("file", r->file).Field("suite", r->suite).Field("id", r->id);
      json.Field("line", r->line).Field("passed", r->passed);
      json.Field("kind", r->kind).Field("namespace", r->namespace_).Field("name", r->name);
      if (!r->resource.empty())
        json.Field("resource", r->resource).Field("resource_line", r->resource_line);
      json.Field("policy", r->policy);
      OutcomeJson(json, "expected", r->expected);
      OutcomeJson(json, "actual", r->actual);
      json.Field("message", r->message).EndObject();
    }
    json.EndArray().EndObject();
  }
  json.EndArray().Key("errors").BeginArray();
  for (const std::string& e : outcome.errors) json.String(e);
  json.EndArray().Field("passed", outcome.passed).Field("failed", outcome.failed);
  json.Field("skipped", outcome.skipped).EndObject();
  std::cout << json.str() << "\n";
}

// One finding per result not as expected, at its line of the test file.
void PrintCi(const std::string& output, const Outcome& outcome) {
  std::vector<CiFinding> findings;
  for (const std::string& e : outcome.errors) findings.push_back(UnreadableFinding(e));
  for (const TestSuiteReport& suite : outcome.suites)
    for (const TestResult& r : suite.results)
      if (!r.passed)
        findings.push_back({CiFinding::Level::kError, "test.failed",
                            StrCat(suite.name, " ", r.id, ": ", r.message), r.file,
                            static_cast<uint32_t>(r.line), 0});
  std::cout << CiReport(output, findings);
}

void PrintJUnit(const Outcome& outcome, bool fail_only, double seconds) {
  std::vector<TestCase> cases;
  for (const std::string& e : outcome.errors) cases.push_back(UnreadableTestCase(e));
  for (const TestSuiteReport& suite : outcome.suites)
    for (const TestResult* r : Shown(suite, fail_only)) {
      TestCase& c = cases.emplace_back();
      c.name = r->id;
      c.classname = StrCat(suite.file, "::", suite.name);
      c.system_out = StrCat("policy: ", r->policy, "\n");
      if (r->passed) continue;
      c.outcome = TestCase::Outcome::kFailed;
      c.type = "test.failed";
      c.message = r->message;
      c.detail = StrCat(r->file, ":", r->line, "\nexpected: ", r->expected.ToString(),
                        "\nactual:   ", r->actual.ToString(), "\n");
    }
  std::cout << JUnitXml("sympozium-policy test", cases, seconds);
}

}  // namespace

int RunTestVerb(const std::vector<std::string>& argv) {
  auto start = std::chrono::steady_clock::now();
  absl::StatusOr<TestFlags> flags = ParseTestFlags(argv);
  if (!flags.ok()) return Fail(flags.status());
  absl::StatusOr<std::vector<std::string>> files = FindTestFiles(flags->paths);
  if (!files.ok()) return Fail(files.status());
  if (files->empty() && !flags->allow_empty)
    return Fail(
        "no test files (sympozium-test.yaml, *.sympozium-test.yaml) under the paths given; "
        "--allow-empty accepts that");
  Outcome outcome;
  for (const std::string& file : *files) {
    absl::StatusOr<TestSuiteReport> report = RunTestFile(file);
    if (!report.ok()) {
      outcome.errors.emplace_back(report.status().message());
      continue;
    }
    outcome.failed += report->failed();
    outcome.passed += report->results.size() - report->failed();
    outcome.skipped += report->skipped;
    outcome.suites.push_back(*std::move(report));
  }
  for (const std::string& e : outcome.errors) std::cerr << "sympozium-policy: " << e << "\n";
  if (flags->output == "sarif" || flags->output == "github") {
    PrintCi(flags->output, outcome);
  } else if (flags->output == "json") {
    PrintJson(outcome, flags->fail_only);
  } else if (flags->output == "junit") {
    PrintJUnit(outcome, flags->fail_only,
               std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  } else {
    PrintText(outcome, flags->fail_only);
  }
  if (!outcome.errors.empty()) return kExitUsage;
  return outcome.failed > 0 ? kExitDenied : kExitOk;
}

}  // namespace sympozium::cli
