// sympozium.run_test_file and find_test_files: the test-suite runner
// (docs/testing.md) for the pytest plugin, results as plain dicts.
#include "suite.h"

#include <pybind11/stl.h>

#include "convert.h"
#include "sympozium/test_suite.h"

namespace sympozium::python {
namespace {

using namespace pybind11::literals;

py::dict OutcomeDict(const TestOutcome& o) {
  py::dict d;
  if (!o.result.empty()) d["result"] = o.result;
  if (!o.code.empty()) d["code"] = o.code;
  if (o.check_violations || !o.violations.empty()) d["violations"] = o.violations;
  if (!o.decision.empty()) d["decision"] = o.decision;
  d["text"] = o.ToString();
  return d;
}

py::dict ResultDict(const TestResult& r) {
  return py::dict("file"_a = r.file, "suite"_a = r.suite, "id"_a = r.id, "line"_a = r.line,
                  "policy"_a = r.policy, "passed"_a = r.passed,
                  "expected"_a = OutcomeDict(r.expected), "actual"_a = OutcomeDict(r.actual),
                  "message"_a = r.message);
}

}  // namespace

void BindTestSuite(py::module_& m) {
  m.def(
      "find_test_files",
      [](const std::vector<std::string>& paths) { return Unwrap(FindTestFiles(paths)); }, "paths"_a,
      R"(The test files `paths` name: a file as given, a directory searched
recursively for sympozium-test.yaml and *.sympozium-test.yaml (sorted).)");
  m.def(
      "run_test_file",
      [](const std::string& path) {
        absl::StatusOr<TestSuiteReport> report;
        {
          py::gil_scoped_release release;
          report = RunTestFile(path);
        }
        if (!report.ok()) Raise(report.status());
        py::list results;
        for (const TestResult& r : report->results) results.append(ResultDict(r));
        return py::dict("file"_a = report->file, "name"_a = report->name, "results"_a = results);
      },
      "path"_a,
      R"(Runs the test file at `path` (docs/testing.md): a dict of file, name
and results, each result a dict of file, suite, id ("AgentRun/ns/name" or
"tool/NAME"), line, policy, passed, expected, actual (dicts of result,
code, violations or decision, and text) and message. Raises PolicyError
(naming file:line:col) when the test file or a file it names cannot be
read.)");
}

}  // namespace sympozium::python
