#include <doctest/doctest.h>

#include <filesystem>
#include <string>

#include "lib/decode/decode.h"
#include "tests/unit/test_util.h"

namespace sympozium {
namespace {

// Decodes every document of `yaml` by its kind; fails the test on errors.
void DecodeAll(const std::string& yaml, const std::string& name) {
  auto docs = ReadDocuments(yaml, {Format::kAuto, name});
  REQUIRE_MESSAGE(docs.ok(), name, ": ", docs.status().message());
  for (Document& doc : *docs) {
    std::string kind(doc.kind());
    absl::Status s;
    if (kind == "SympoziumPolicy")
      s = DecodePolicy(std::move(doc)).status();
    else if (kind == "AgentRun")
      s = DecodeAgentRun(std::move(doc)).status();
    else if (kind == "Agent")
      s = DecodeAgent(std::move(doc)).status();
    else if (kind == "SkillPack")
      s = DecodeSkillPack(std::move(doc)).status();
    else if (kind == "CustomResourceDefinition")
      continue;
    else
      FAIL("unexpected kind ", kind, " in ", name);
    CHECK_MESSAGE(s.ok(), name, ": ", s.message());
  }
}

TEST_CASE("decode: every fixture decodes as its kind") {
  int files = 0;
  for (const auto& entry :
       std::filesystem::recursive_directory_iterator(testing::DataPath("fixtures/sympozium"))) {
    if (entry.path().extension() != ".yaml") continue;
    DecodeAll(testing::ReadData(std::filesystem::relative(entry.path(), SYMPOZIUM_TEST_DATA)),
              entry.path().filename().string());
    ++files;
  }
  CHECK(files >= 25);
}

TEST_CASE("decode: CRD defaults apply when the parent is present and the field absent") {
  auto run_doc = ReadDocument(
      "apiVersion: sympozium.ai/v1alpha1\nkind: AgentRun\nmetadata: {name: r}\n"
      "spec:\n  agentRef: a\n  lifecycle: {preRun: []}\n");
  REQUIRE(run_doc.ok());
  auto run = DecodeAgentRun(std::move(*run_doc));
  REQUIRE(run.ok());
  CHECK((*run)->spec.mode == "task");
  CHECK((*run)->spec.lifecycle->gate_default == "block");

  auto pack_doc = ReadDocument(
      "apiVersion: sympozium.ai/v1alpha1\nkind: SkillPack\nmetadata: {name: p}\n"
      "spec:\n  sidecar:\n    image: x\n    hostAccess:\n      mounts: [{hostPath: /a, "
      "mountPath: /b}, {hostPath: /c, mountPath: /d, readOnly: false}]\n");
  REQUIRE(pack_doc.ok());
  auto pack = DecodeSkillPack(std::move(*pack_doc));
  REQUIRE(pack.ok());
  const Sidecar& sidecar = *(*pack)->spec.sidecar;
  CHECK(sidecar.mount_workspace);
  CHECK(sidecar.host_access->mounts[0].read_only);
  CHECK(!sidecar.host_access->mounts[1].read_only);

  auto policy_doc = ReadDocument(
      "apiVersion: sympozium.ai/v1alpha1\nkind: SympoziumPolicy\nmetadata: {name: p}\n"
      "spec:\n  networkPolicy: {denyAll: false}\n");
  REQUIRE(policy_doc.ok());
  auto policy = DecodePolicy(std::move(*policy_doc));
  REQUIRE(policy.ok());
  const PolicySpec& spec = (*policy)->spec;
  CHECK(!spec.network_policy->deny_all);  // written false stays false
  CHECK(spec.network_policy->allow_dns);
  CHECK(spec.network_policy->allow_event_bus);
  CHECK(!spec.subagent_policy.has_value());  // absent parent: no defaults
  CHECK(!spec.tool_gating.has_value());
  CHECK(!spec.feature_gates_set);
}

TEST_CASE("decode: null is absent, presence is tracked") {
  auto doc = ReadDocument(
      "apiVersion: sympozium.ai/v1alpha1\nkind: AgentRun\nmetadata: {name: r}\n"
      "spec:\n  agentRef: a\n  sandbox: null\n  env: {}\n  parent: {runName: p, sessionKey: s, "
      "spawnDepth: 2}\n");
  REQUIRE(doc.ok());
  auto run = DecodeAgentRun(std::move(*doc));
  REQUIRE(run.ok());
  CHECK(!(*run)->spec.sandbox.has_value());
  CHECK((*run)->spec.env.present);
  CHECK((*run)->spec.env.entries.empty());
  CHECK((*run)->spec.parent->spawn_depth == 2);
  CHECK(!(*run)->spec.agent_sandbox.has_value());
}

TEST_CASE("decode: wrong types are errors with path and position") {
  struct Case {
    const char* yaml;
    const char* message;
  };
  const Case cases[] = {
      {"apiVersion: sympozium.ai/v1alpha1\nkind: AgentRun\nspec:\n  env: [A]\n",
       "spec.env: expected a map of strings, got a list (t.yaml:4:8)"},
      {"apiVersion: sympozium.ai/v1alpha1\nkind: AgentRun\nspec:\n  parent: {spawnDepth: two}\n",
       "spec.parent.spawnDepth: expected an integer, got a string (two) (t.yaml:4:24)"},
      {"apiVersion: sympozium.ai/v1alpha1\nkind: AgentRun\nspec:\n  skills: {a: b}\n",
       "spec.skills: expected a list, got an object (t.yaml:4:11)"},
      {"apiVersion: sympozium.ai/v1alpha1\nkind: AgentRun\nspec:\n  sandbox: {enabled: 'true'}\n",
       "spec.sandbox.enabled: expected a bool, got a string (true) (t.yaml:4:22)"},
      {"apiVersion: sympozium.ai/v1\nkind: AgentRun\n",
       "apiVersion: expected apiVersion sympozium.ai/v1alpha1 for AgentRun, got "
       "\"sympozium.ai/v1\" (t.yaml:1:13)"},
      {"kind: SkillPack\n", "kind: expected kind AgentRun, got SkillPack (t.yaml:1:7)"},
  };
  for (const Case& c : cases) {
    auto doc = ReadDocument(c.yaml, {Format::kAuto, "t.yaml"});
    REQUIRE(doc.ok());
    auto run = DecodeAgentRun(std::move(*doc));
    REQUIRE(!run.ok());
    CHECK(std::string(run.status().message()) == c.message);
  }
  // JSON numbers are not strings (Go's typed decoding); YAML plain scalars are.
  auto json = ReadDocument(
      R"({"apiVersion":"sympozium.ai/v1alpha1","kind":"AgentRun","spec":{"agentRef":7}})");
  REQUIRE(json.ok());
  CHECK(!DecodeAgentRun(std::move(*json)).ok());
  auto yaml =
      ReadDocument("apiVersion: sympozium.ai/v1alpha1\nkind: AgentRun\nspec: {agentRef: 7}\n");
  REQUIRE(yaml.ok());
  auto run = DecodeAgentRun(std::move(*yaml));
  REQUIRE(run.ok());
  CHECK((*run)->spec.agent_ref == "7");
}

TEST_CASE("decode: errors name a long source intact") {
  std::string name(200, 'd');
  name += "/bad-policy-file.yaml";
  auto doc = ReadDocument("apiVersion: sympozium.ai/v1alpha1\nkind: AgentRun\nspec: {env: 1}\n",
                          {Format::kAuto, name});
  REQUIRE(doc.ok());
  auto run = DecodeAgentRun(std::move(*doc));
  REQUIRE(!run.ok());
  CHECK(std::string(run.status().message()).find("(" + name + ":3:13)") != std::string::npos);
}

TEST_CASE("decode: pod kinds find their pod spec") {
  auto cron = ReadDocument(
      "apiVersion: batch/v1\nkind: CronJob\nspec:\n  jobTemplate:\n    spec:\n      template:\n"
      "        spec:\n          hostNetwork: true\n          containers: [{name: a, image: b}]\n");
  REQUIRE(cron.ok());
  auto pod = DecodePodObject(std::move(*cron));
  REQUIRE(pod.ok());
  CHECK((*pod)->spec_path == "spec.jobTemplate.spec.template.spec");
  CHECK((*pod)->pod.host_network);
  CHECK((*pod)->pod.containers.size() == 1);
  auto svc = ReadDocument("apiVersion: v1\nkind: Service\n");
  REQUIRE(svc.ok());
  CHECK(!DecodePodObject(std::move(*svc)).ok());
}

}  // namespace
}  // namespace sympozium
