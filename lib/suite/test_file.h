// A test file read into plain data: what to load and what each item must
// get (docs/testing.md). Files it names are resolved against its directory.
#ifndef SYMPOZIUM_LIB_SUITE_TEST_FILE_H_
#define SYMPOZIUM_LIB_SUITE_TEST_FILE_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "lib/base/value.h"
#include "sympozium/policy.h"
#include "sympozium/test_suite.h"

namespace sympozium::suite_internal {

inline constexpr char kTestApiVersion[] = "cli.sympozium.ai/v1alpha1";
inline constexpr char kTestKind[] = "Test";

// One entry of `results`: a resource (kind, name, namespace) or a tool.
struct ExpectedItem {
  std::string kind;
  std::string name;
  std::string namespace_;
  std::string tool;
  std::string run;     // a tool's AgentRun among the resources (its toolPolicy narrows)
  std::string policy;  // "" when absent
  Mark policy_mark;    // where `policy` is written
  TestOutcome expected;
  Mark mark;  // where the entry starts

  bool is_tool() const { return !tool.empty(); }
};

struct TestFile {
  std::string path;  // as given
  std::string name;  // metadata.name
  Mode mode = Mode::kStrict;
  // Files and directories, resolved against the test file's directory.
  std::vector<std::string> policies;
  std::vector<std::string> presets;
  std::vector<std::string> cluster;
  std::vector<std::string> resources;
  std::vector<ExpectedItem> results;
};

// Reads and checks the test file at `path`: every field known and of its
// type, every named file present. Errors read `file:line:col: field: what`.
absl::StatusOr<TestFile> ReadTestFile(const std::string& path);

// `file:line:col: what` (`file: what` without a position).
absl::Status ErrorAt(const std::string& file, Mark mark, std::string_view what);

// True for `sympozium-test.yaml` and `*.sympozium-test.yaml`.
bool IsTestFileName(const std::string& path);

}  // namespace sympozium::suite_internal

#endif  // SYMPOZIUM_LIB_SUITE_TEST_FILE_H_
