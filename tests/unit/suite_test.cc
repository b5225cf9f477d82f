// The test-suite runner: test files read strictly, each result evaluated
// and compared, binding as docs/testing.md says.
#include <doctest/doctest.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <string>

#include "sympozium/test_suite.h"

namespace sympozium {
namespace {

namespace fs = std::filesystem;

// A fresh directory of files, removed at the end of the test.
class TempDir {
 public:
  TempDir() {
    static std::atomic<int> counter{0};
    path_ = fs::temp_directory_path() /
            ("sympozium-suite-" + std::to_string(getpid()) + "-" + std::to_string(counter++));
    fs::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  std::string Write(const std::string& name, const std::string& text) const {
    fs::path p = path_ / name;
    fs::create_directories(p.parent_path());
    std::ofstream(p) << text;
    return p.string();
  }
  std::string path() const { return path_.string(); }

 private:
  fs::path path_;
};

constexpr char kPolicy[] = R"(apiVersion: sympozium.ai/v1alpha1
kind: SympoziumPolicy
metadata: {name: team, namespace: team}
spec:
  sandboxPolicy: {required: true}
  toolGating:
    defaultAction: allow
    rules:
      - {tool: execute_command, action: ask}
)";

constexpr char kRuns[] = R"(apiVersion: sympozium.ai/v1alpha1
kind: AgentRun
metadata: {name: boxed, namespace: team}
spec:
  agentRef: a
  task: t
  sandbox: {enabled: true, image: ghcr.io/sympozium-ai/sympozium/sandbox:v1}
---
apiVersion: sympozium.ai/v1alpha1
kind: AgentRun
metadata: {name: bare, namespace: team}
spec: {agentRef: a, task: t}
---
apiVersion: sympozium.ai/v1alpha1
kind: AgentRun
metadata: {name: bare, namespace: other}
spec: {agentRef: a, task: t}
)";

constexpr char kHeader[] = R"(apiVersion: cli.sympozium.ai/v1alpha1
kind: Test
metadata: {name: unit}
policies: [policy.yaml]
resources: [runs.yaml]
)";

// A suite directory with the policy, the runs and a test file whose
// results are `results`.
std::string SuiteWith(const TempDir& dir, const std::string& results,
                      const std::string& header = kHeader) {
  dir.Write("policy.yaml", kPolicy);
  dir.Write("runs.yaml", kRuns);
  return dir.Write("sympozium-test.yaml", header + "results:\n" + results);
}

TEST_CASE("suite: results as expected pass, each named by its item") {
  TempDir dir;
  std::string file = SuiteWith(dir,
                               "  - {kind: AgentRun, name: boxed, result: allowed}\n"
                               "  - {kind: AgentRun, name: bare, namespace: team, result: denied,\n"
                               "     code: sandbox.required, violations: [sandbox.required]}\n"
                               "  - {tool: execute_command, decision: ask}\n"
                               "  - {tool: execute_command, policy: restrictive, decision: ask}\n");
  absl::StatusOr<TestSuiteReport> report = RunTestFile(file);
  REQUIRE_MESSAGE(report.ok(), report.status().ToString());
  CHECK(report->name == "unit");
  REQUIRE(report->results.size() == 4);
  CHECK(report->failed() == 0);
  CHECK(report->results[0].id == "AgentRun/team/boxed");
  CHECK(report->results[0].policy == "team");
  CHECK(report->results[1].id == "AgentRun/team/bare");
  CHECK(report->results[1].actual.code == "sandbox.required");
  CHECK(report->results[1].line == 8);
  CHECK(report->results[2].id == "tool/execute_command");
  CHECK(report->results[2].actual.decision == "ask");
  CHECK(report->results[3].policy == "preset restrictive@v1");
}

TEST_CASE("suite: a result not as expected fails with expected and actual") {
  TempDir dir;
  std::string file = SuiteWith(dir,
                               "  - {kind: AgentRun, name: boxed, result: denied}\n"
                               "  - {kind: AgentRun, name: bare, namespace: team, result: denied,\n"
                               "     violations: [image.registry]}\n"
                               "  - {tool: execute_command, decision: allow}\n");
  absl::StatusOr<TestSuiteReport> report = RunTestFile(file);
  REQUIRE(report.ok());
  REQUIRE(report->failed() == 3);
  CHECK(report->results[0].message.rfind("expected denied, got allowed", 0) == 0);
  CHECK(report->results[1].expected.ToString() == "denied violations=[image.registry]");
  CHECK(report->results[1].actual.ToString() ==
        "denied code=sandbox.required violations=[sandbox.required]");
  CHECK(report->results[2].actual.decision == "ask");
}

TEST_CASE("suite: a missing or ambiguous resource is a failure, never a pass") {
  TempDir dir;
  std::string file = SuiteWith(dir,
                               "  - {kind: AgentRun, name: nothing, result: allowed}\n"
                               "  - {kind: AgentRun, name: bare, result: denied}\n"
                               "  - {kind: Pod, name: boxed, result: allowed}\n");
  absl::StatusOr<TestSuiteReport> report = RunTestFile(file);
  REQUIRE(report.ok());
  REQUIRE(report->failed() == 3);
  CHECK(report->results[0].message == "no AgentRun nothing among the resources");
  CHECK(report->results[1].message.find("2 resources are AgentRun bare") != std::string::npos);
  CHECK(report->results[1].message.find("give namespace") != std::string::npos);
  CHECK(report->results[0].actual.ToString() == "-");
}

TEST_CASE("suite: without policy, several policies fail the result; a cluster looks up") {
  TempDir dir;
  std::string several = std::string(kHeader) + "presets: [restrictive]\n";
  std::string file =
      SuiteWith(dir, "  - {kind: AgentRun, name: boxed, result: allowed}\n", several);
  absl::StatusOr<TestSuiteReport> report = RunTestFile(file);
  REQUIRE(report.ok());
  CHECK(!report->results[0].passed);
  CHECK(report->results[0].message.find("name one with policy:") != std::string::npos);

  std::string with_cluster = std::string(kHeader) + "cluster: [policy.yaml]\n";
  file = SuiteWith(dir, "  - {kind: AgentRun, name: boxed, result: error, code: agent.not_found}\n",
                   with_cluster);
  report = RunTestFile(file);
  REQUIRE_MESSAGE(report.ok(), report.status().ToString());
  CHECK(report->results[0].passed);
  CHECK(report->results[0].policy == "the cluster's policy");
}

TEST_CASE("suite: a malformed test file is an error naming file:line:col") {
  TempDir dir;
  struct Case {
    std::string results;
    std::string want;
  };
  for (const Case& c : {
           Case{"  - {kind: AgentRun, name: boxed, reslt: allowed}\n",
                ":7:35: results[0].reslt: unknown field"},
           Case{"  - {kind: AgentRun, name: boxed, result: maybe}\n",
                ":7:43: results[0].result: \"maybe\" is not one of allowed, denied, error"},
           Case{"  - {kind: AgentRun, name: boxed, result: allowed, violations: x}\n",
                "results[0].violations: expected a list, got a string"},
           Case{"  - {tool: t, decision: allow, policy: nosuch}\n",
                ":7:40: policy: no policy or preset named \"nosuch\""},
           Case{"  - {tool: t, result: allowed}\n", "a tool result takes"},
       }) {
    std::string file = SuiteWith(dir, c.results);
    absl::StatusOr<TestSuiteReport> report = RunTestFile(file);
    REQUIRE(!report.ok());
    std::string message(report.status().message());
    CHECK_MESSAGE(message.rfind(file, 0) == 0, message);
    CHECK_MESSAGE(message.find(c.want) != std::string::npos, message);
  }
  std::string missing = std::string(kHeader) + "cluster: [nowhere/]\n";
  std::string file =
      SuiteWith(dir, "  - {kind: AgentRun, name: boxed, result: allowed}\n", missing);
  absl::StatusOr<TestSuiteReport> report = RunTestFile(file);
  REQUIRE(!report.ok());
  CHECK(std::string(report.status().message()).find(":6:11: cluster[0]: no such file") !=
        std::string::npos);
}

TEST_CASE("suite: test files are found by name, recursively") {
  TempDir dir;
  dir.Write("a/sympozium-test.yaml", "");
  dir.Write("a/b/team.sympozium-test.yaml", "");
  dir.Write("a/b/other.yaml", "");
  dir.Write("a/.hidden/sympozium-test.yaml", "");
  absl::StatusOr<std::vector<std::string>> files = FindTestFiles({dir.path() + "/a"});
  REQUIRE(files.ok());
  REQUIRE(files->size() == 2);
  CHECK(fs::path((*files)[0]).filename() == "team.sympozium-test.yaml");
  CHECK(fs::path((*files)[1]).filename() == "sympozium-test.yaml");
  files = FindTestFiles({dir.path() + "/a/b/other.yaml"});
  REQUIRE(files.ok());
  CHECK(files->size() == 1);
}

}  // namespace
}  // namespace sympozium
