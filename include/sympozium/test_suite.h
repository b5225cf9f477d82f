// Test suites: a team's own declarative tests of its policies (docs/testing.md).
//
// A test file (`sympozium-test.yaml`, `*.sympozium-test.yaml`) names
// policies, presets, a cluster and resources, and lists the result each
// resource or tool must get. Running it evaluates every listed item with the
// same evaluation admission uses and compares, one TestResult per item.
#ifndef SYMPOZIUM_TEST_SUITE_H_
#define SYMPOZIUM_TEST_SUITE_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "sympozium/export.h"

SYMPOZIUM_API_BEGIN
namespace sympozium {

// What a result expects, or what evaluation gave.
struct TestOutcome {
  // A resource: "allowed", "denied" or "error"; "" for a tool.
  std::string result;
  // The decision's reason code. Expected: "" means not checked.
  std::string code;
  // Violation codes, sorted, each once.
  std::vector<std::string> violations;
  // Expected only: `violations` was given and is compared as a set.
  bool check_violations = false;
  // A tool: "allow", "deny" or "ask"; "" for a resource.
  std::string decision;

  // For people: `denied code=sandbox.required violations=[a, b]`, `ask`;
  // "-" when nothing was evaluated.
  std::string ToString() const;
};

// One expected result and how it went.
struct TestResult {
  std::string file;   // the test file
  std::string suite;  // its metadata.name
  std::string id;     // "AgentRun/team-a/run-1" ("KIND/NAME" without namespace) or "tool/NAME"
  // The object: kind ("tool" for a tool), namespace, name; and the document
  // that was evaluated ("runs/a.yaml#2" and its first line; "" and 0 when
  // none was found, and for tools).
  std::string kind, namespace_, name;
  std::string resource;
  uint32_t resource_line = 0;
  int line = 0;        // where the result is written in the test file
  std::string policy;  // what was bound: "team-a", "preset restrictive@v1", "no policy", ...
  bool passed = false;
  TestOutcome expected;
  TestOutcome actual;  // empty when the item could not be evaluated
  // Failed: "expected X, got Y: <the decision's message>", or why the item
  // could not be evaluated. Passed: the decision's message (or tool reason).
  std::string message;
};

// Every result of one test file, in the order the file lists them.
struct TestSuiteReport {
  std::string file;
  std::string name;
  std::vector<TestResult> results;
  // Resources of kinds Evaluate does not decide (the Services and
  // ConfigMaps of a manifests folder): read, never evaluated.
  size_t skipped = 0;

  size_t failed() const;
};

// The test files `paths` name: a file as given; a directory searched
// recursively for `sympozium-test.yaml` and `*.sympozium-test.yaml`
// (sorted, hidden entries skipped). A path that does not exist is kept, so
// running it reports it.
absl::StatusOr<std::vector<std::string>> FindTestFiles(const std::vector<std::string>& paths);

// Reads the test file at `path` and the files it names (relative to it) and
// runs every result. An error (`file:line:col: what`) when the test file is
// malformed (unknown field, wrong type, unknown policy name) or a file it
// names cannot be read or compiled. A result naming a resource that does
// not exist, or that matches several, is a failed result, not an error.
absl::StatusOr<TestSuiteReport> RunTestFile(const std::string& path);

}  // namespace sympozium
SYMPOZIUM_API_END

#endif  // SYMPOZIUM_TEST_SUITE_H_
