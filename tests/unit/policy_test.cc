#include <doctest/doctest.h>

#include <string>

#include "lib/compile/policy_table.h"
#include "sympozium/policy.h"
#include "sympozium/tool_gate.h"
#include "tests/unit/test_util.h"

namespace sympozium {
namespace {

ToolAction Decide(const char* preset, const char* tool) {
  auto p = Preset(preset);
  REQUIRE(p.ok());
  return DecideTool(p->get(), nullptr, tool).action;
}

TEST_CASE("policy presets load by name and version") {
  for (const char* name : {"permissive", "default", "restrictive", "network-isolated"}) {
    for (Mode mode : {Mode::kStrict, Mode::kCompat}) {
      auto p = Preset(name, mode);
      REQUIRE_MESSAGE(p.ok(), name);
      CHECK((*p)->preset() == std::string(name) + "@v1");
      CHECK((*p)->strict_errors().empty());
    }
  }
  CHECK(Preset("restrictive@v1").ok());
  CHECK(!Preset("restrictive@v2").ok());
  CHECK(!Preset("hardened").ok());
  auto r = Preset("restrictive");
  const PolicyTable& t = TableOf(**r);
  CHECK(t.sandbox_required);
  CHECK(t.max_cpu.value->ToDecimalString() == "2");
  CHECK(t.max_memory.text == "4Gi");
  CHECK(t.max_depth == 2);
  CHECK(t.max_concurrent == 3);
  CHECK(t.seccomp_type == "RuntimeDefault");
  CHECK(t.allowed_registries.size() == 2);
  CHECK(t.denied_resource_set.contains("secrets"));
  CHECK(TableOf(**Preset("permissive")).deny_all == false);
}

TEST_CASE("policy presets decide the built-in tools as docs/presets.md says") {
  CHECK(Decide("restrictive", "execute_command") == ToolAction::kAsk);
  CHECK(Decide("restrictive", "read_file") == ToolAction::kAllow);
  CHECK(Decide("restrictive", "write_file") == ToolAction::kDeny);
  CHECK(Decide("restrictive", "edit_file") == ToolAction::kDeny);  // default deny
  CHECK(Decide("default", "execute_command") == ToolAction::kAsk);
  CHECK(Decide("default", "read_file") == ToolAction::kAllow);
  CHECK(Decide("network-isolated", "fetch_url") == ToolAction::kDeny);
  CHECK(Decide("network-isolated", "write_file") == ToolAction::kAllow);
  for (std::string_view tool : BuiltinTools())
    CHECK(DecideTool(Preset("permissive")->get(), nullptr, tool).action == ToolAction::kAllow);
}

TEST_CASE("policy rules: deny > ask > allow, unknown actions") {
  const char* yaml = R"(apiVersion: sympozium.ai/v1alpha1
kind: SympoziumPolicy
metadata: {name: p}
spec:
  toolGating:
    defaultAction: allow
    rules:
      - {tool: a, action: allow}
      - {tool: a, action: ask}
      - {tool: b, action: deny}
      - {tool: b, action: allow}
      - {tool: c, action: maybe}
)";
  CompileOptions compat;
  compat.mode = Mode::kCompat;
  auto p = CompilePolicy(yaml, compat, "p.yaml");
  REQUIRE(p.ok());
  CHECK(DecideTool(p->get(), nullptr, "a").action == ToolAction::kAsk);
  CHECK(DecideTool(p->get(), nullptr, "b").action == ToolAction::kDeny);
  CHECK(DecideTool(p->get(), nullptr, "c").action == ToolAction::kAllow);  // rule ignored
  CHECK((*p)->strict_errors().size() == 1);

  auto strict = CompilePolicy(yaml, {}, "p.yaml");
  REQUIRE(!strict.ok());
  CHECK(std::string(strict.status().message()) ==
        "spec.toolGating.rules[4].action: unknown action \"maybe\" (allow, deny or ask); Go "
        "ignores this rule (p.yaml:12:27)");
  CHECK(PathOf(strict.status()) == "spec.toolGating.rules[4].action");
}

TEST_CASE("policy caps that are not quantities") {
  const char* yaml = R"(apiVersion: sympozium.ai/v1alpha1
kind: SympoziumPolicy
metadata: {name: p}
spec:
  sandboxPolicy: {required: false, maxCPU: bogus}
)";
  auto strict = CompilePolicy(yaml, {}, "caps.yaml");
  REQUIRE(!strict.ok());
  CHECK(std::string(strict.status().message()).find("spec.sandboxPolicy.maxCPU") == 0);
  CompileOptions compat;
  compat.mode = Mode::kCompat;
  auto p = CompilePolicy(yaml, compat);
  REQUIRE(p.ok());
  CHECK(!TableOf(**p).max_cpu.value.has_value());
  CHECK(TableOf(**p).max_cpu.error.find("quantities must match") == 0);
}

TEST_CASE("policy decode errors carry path, line and column") {
  auto bad = CompilePolicy(
      "apiVersion: sympozium.ai/v1alpha1\nkind: SympoziumPolicy\nmetadata: {name: p}\nspec:\n"
      "  sandboxPolicy: [1, 2]\n",
      {}, "list.yaml");
  REQUIRE(!bad.ok());
  CHECK(std::string(bad.status().message()) ==
        "spec.sandboxPolicy: expected an object, got a list (list.yaml:5:18)");
  auto wrong_kind = CompilePolicy("apiVersion: v1\nkind: Pod\n", {}, "pod.yaml");
  REQUIRE(!wrong_kind.ok());
  CHECK(std::string(wrong_kind.status().message()).find("expected kind SympoziumPolicy") !=
        std::string::npos);
  auto bool_string = CompilePolicy(
      "apiVersion: sympozium.ai/v1alpha1\nkind: SympoziumPolicy\nspec:\n  sandboxPolicy:\n"
      "    required: \"yes\"\n",
      {}, "b.yaml");
  REQUIRE(!bool_string.ok());
  CHECK(std::string(bool_string.status().message()) ==
        "spec.sandboxPolicy.required: expected a bool, got a string (yes) (b.yaml:5:15)");
}

TEST_CASE("policy CRD defaults apply only under a present parent") {
  auto p = CompilePolicy(
      "apiVersion: sympozium.ai/v1alpha1\nkind: SympoziumPolicy\nmetadata: {name: p}\n"
      "spec:\n  subagentPolicy: {}\n  networkPolicy: {denyAll: false}\n  toolGating: {}\n");
  REQUIRE(p.ok());
  const PolicyTable& t = TableOf(**p);
  CHECK(t.max_depth == 3);
  CHECK(t.max_concurrent == 5);
  CHECK(!t.deny_all);
  CHECK(t.allow_dns);
  CHECK(t.allow_event_bus);
  CHECK(t.default_action == ToolAction::kAllow);
  CHECK(!t.has_sandbox_policy);
  CHECK(!t.has_feature_gates);
}

TEST_CASE("policy compile-time warnings") {
  auto p = CompilePolicy(R"(apiVersion: sympozium.ai/v1alpha1
kind: SympoziumPolicy
metadata: {name: p}
spec:
  sandboxPolicy:
    required: true
    agentSandboxPolicy: {required: true}
  subagentPolicy: {maxConcurrent: 0}
  toolGating:
    rules: [{tool: exec_command, action: ask}, {tool: read_file, action: allow}]
  featureGates: {file-access: false, teleport: true}
  imagePolicy: {allowedRegistries: [ghcr.io/acme]}
)");
  REQUIRE(p.ok());
  std::vector<std::string> codes;
  for (const Diagnostic& w : (*p)->warnings()) codes.push_back(w.code);
  for (const char* code :
       {"lint.unsatisfiable_sandbox", "lint.max_concurrent_zero", "lint.unknown_tool",
        "lint.unknown_feature_gate", "lint.registry_without_slash", "lint.file_access_conflict"})
    CHECK_MESSAGE(std::find(codes.begin(), codes.end(), code) != codes.end(), code);
}

TEST_CASE("policy fixtures all compile in both modes") {
  for (const char* f :
       {"policies/permissive.yaml", "policies/restrictive.yaml", "policies/network-isolated.yaml",
        "policies/chart-permissive.yaml", "policies/chart-restrictive.yaml",
        "policies/chart-network-isolated.yaml", "samples/sympoziumpolicy_sample.yaml",
        "examples/sympoziumpolicy-example.yaml"}) {
    std::string path = std::string("fixtures/sympozium/") + f;
    for (Mode mode : {Mode::kStrict, Mode::kCompat}) {
      CompileOptions options;
      options.mode = mode;
      auto p = CompilePolicy(testing::ReadData(path), options, path);
      CHECK_MESSAGE(p.ok(), path, ": ", p.status().message());
    }
  }
}

TEST_CASE("policy tool decisions with run lists") {
  auto p = Preset("restrictive");
  RunToolLists run;
  run.allow = {"read_file", "execute_command"};
  CHECK(DecideTool(p->get(), &run, "execute_command").action == ToolAction::kAsk);
  CHECK(DecideTool(p->get(), &run, "list_directory").action == ToolAction::kDeny);
  run.deny = {"read_file"};
  ToolDecision d = DecideTool(p->get(), &run, "read_file");
  CHECK(d.action == ToolAction::kDeny);
  CHECK(d.because == ToolDecision::Because::kRunDeny);
  CHECK(DecideTool(nullptr, nullptr, "anything").action == ToolAction::kAllow);
}

}  // namespace
}  // namespace sympozium
