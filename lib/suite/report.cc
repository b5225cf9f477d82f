// Finding test files, and the words results are reported in.
#include <algorithm>

#include "absl/strings/str_join.h"
#include "lib/read/document.h"
#include "lib/suite/test_file.h"
#include "sympozium/strings.h"
#include "sympozium/test_suite.h"

namespace sympozium {

std::string TestOutcome::ToString() const {
  if (!decision.empty()) return decision;
  if (result.empty()) return "-";
  std::string out = result;
  if (!code.empty()) StrAppend(&out, " code=", code);
  if (check_violations || !violations.empty())
    StrAppend(&out, " violations=[", absl::StrJoin(violations, ", "), "]");
  return out;
}

size_t TestSuiteReport::failed() const {
  return static_cast<size_t>(
      std::count_if(results.begin(), results.end(), [](const TestResult& r) { return !r.passed; }));
}

absl::StatusOr<std::vector<std::string>> FindTestFiles(const std::vector<std::string>& paths) {
  std::vector<std::string> files;
  for (const std::string& path : paths) {
    absl::StatusOr<std::vector<std::string>> expanded = ExpandDocumentPaths({path});
    if (!expanded.ok()) return expanded.status();
    // A path that is itself a file is taken whatever its name.
    bool named_file = expanded->size() == 1 && expanded->front() == path;
    for (std::string& file : *expanded)
      if (named_file || suite_internal::IsTestFileName(file)) files.push_back(std::move(file));
  }
  return files;
}

}  // namespace sympozium
