#include <doctest/doctest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "lib/read/document.h"
#include "lib/schema/schema.h"
#include "tests/unit/test_util.h"

namespace sympozium {
namespace {

constexpr char kPolicyHeader[] =
    "apiVersion: sympozium.ai/v1alpha1\n"
    "kind: SympoziumPolicy\n"
    "metadata:\n"
    "  name: p\n"
    "spec:\n";

constexpr char kSkillPackHeader[] =
    "apiVersion: sympozium.ai/v1alpha1\n"
    "kind: SkillPack\n"
    "metadata:\n"
    "  name: s\n"
    "spec:\n"
    "  skills: []\n";

Diagnostics Check(const std::string& text) {
  auto doc = ReadDocument(text, {Format::kAuto, "t.yaml"});
  REQUIRE_MESSAGE(doc.ok(), doc.status().ToString());
  return CheckSchema(*doc);
}

// A SkillPack whose one sidecar tool has the given extra lines (indented 6).
std::string SidecarTool(const std::string& lines) {
  return std::string(kSkillPackHeader) +
         "  sidecar:\n"
         "    image: ghcr.io/x/y:1\n"
         "    tools:\n"
         "    - description: d\n"
         "      exec: [run]\n" +
         lines;
}

std::string Codes(const Diagnostics& ds) {
  std::string out;
  for (const Diagnostic& d : ds) out += d.code + "@" + d.path + " ";
  return out;
}

TEST_CASE("schema: every Sympozium fixture passes its CRD") {
  int checked = 0;
  for (const char* dir : {"policies", "samples", "skills", "examples"}) {
    for (const auto& entry : std::filesystem::directory_iterator(
             testing::DataPath(std::string("fixtures/sympozium/") + dir))) {
      const std::string name = entry.path().filename().string();
      auto text = ReadFile(entry.path().string());
      REQUIRE(text.ok());
      auto docs = ReadDocuments(*text, {Format::kAuto, name});
      REQUIRE_MESSAGE(docs.ok(), docs.status().ToString());
      for (const Document& doc : *docs) {
        checked += HasSchema(doc.kind());
        for (const Diagnostic& d : CheckSchema(doc)) {
          if (d.severity == Diagnostic::Severity::kWarning) {
            MESSAGE("warning: ", d.ToString());
          } else {
            FAIL_CHECK(d.ToString());
          }
        }
      }
    }
  }
  CHECK(checked >= 20);
}

TEST_CASE("schema: kinds without a CRD have no schema") {
  CHECK(HasSchema("SympoziumPolicy"));
  CHECK(HasSchema("AgentRun"));
  CHECK(HasSchema("SkillPack"));
  CHECK_FALSE(HasSchema("Agent"));
  CHECK_FALSE(HasSchema("Pod"));
  CHECK(Check("apiVersion: sympozium.ai/v1alpha1\nkind: Agent\nspec: [not, checked]\n").empty());
}

TEST_CASE("schema: an unknown tool action is not a schema error") {
  // The CRD has no enum on action or defaultAction; strict compile rejects
  // them, not the schema.
  CHECK(Check(std::string(kPolicyHeader) + "  toolGating:\n"
                                           "    defaultAction: sometimes\n"
                                           "    rules:\n"
                                           "    - tool: execute_command\n"
                                           "      action: maybe\n")
            .empty());
}

TEST_CASE("schema: a value outside an enum") {
  Diagnostics ds = Check(
      "apiVersion: sympozium.ai/v1alpha1\n"
      "kind: AgentRun\n"
      "metadata: {name: r}\n"
      "spec:\n"
      "  agentRef: a\n"
      "  agentId: primary\n"
      "  sessionKey: s\n"
      "  model: {provider: openai, model: gpt-4o, authSecretRef: k}\n"
      "  lifecycle:\n"
      "    gateDefault: maybe\n"
      "  cleanup: keep\n");
  REQUIRE(ds.size() == 1);
  CHECK(ds[0].severity == Diagnostic::Severity::kError);
  CHECK(ds[0].code == "schema.enum");
  CHECK(ds[0].path == "spec.lifecycle.gateDefault");
  CHECK(ds[0].message == "Unsupported value: \"maybe\": supported values: \"allow\", \"block\"");
  CHECK(ds[0].source == "t.yaml");
  CHECK(ds[0].mark.line == 10);
  CHECK(ds[0].mark.column == 18);
}

TEST_CASE("schema: a list where an object belongs") {
  Diagnostics ds = Check(std::string(kPolicyHeader) +
                         "  sandboxPolicy:\n"
                         "  - required\n"
                         "  toolGating:\n"
                         "    rules: {tool: x, action: deny}\n");
  REQUIRE(ds.size() == 2);
  CHECK(ds[0].code == "schema.type");
  CHECK(ds[0].path == "spec.sandboxPolicy");
  CHECK(ds[0].message == "Invalid value: \"array\": must be of type object");
  CHECK(ds[0].mark.line == 7);
  CHECK(ds[1].path == "spec.toolGating.rules");
  CHECK(ds[1].message == "Invalid value: \"object\": must be of type array");
  CHECK(ds[1].mark.line == 9);
}

TEST_CASE("schema: required fields") {
  Diagnostics ds = Check(std::string(kPolicyHeader) +
                         "  toolGating:\n"
                         "    rules:\n"
                         "    - tool: a\n"
                         "      action: allow\n"
                         "    - action: deny\n"
                         "    - tool: c\n"
                         "      action: null\n"
                         "  sandboxPolicy: {maxCPU: \"1\"}\n");
  REQUIRE(ds.size() == 3);
  CHECK(ds[0].code == "schema.required");
  CHECK(ds[0].path == "spec.toolGating.rules[1].tool");
  CHECK(ds[0].message == "Required value");
  CHECK(ds[0].mark.line == 10);
  // A null the API server prunes counts as absent.
  CHECK(ds[1].path == "spec.toolGating.rules[2].action");
  CHECK(ds[2].path == "spec.sandboxPolicy.required");
  CHECK(ds[2].mark.line == 13);
}

TEST_CASE("schema: unknown fields are warnings with their path") {
  Diagnostics ds = Check(std::string(kPolicyHeader) +
                         "  toolGating:\n"
                         "    rules:\n"
                         "    - tool: a\n"
                         "      action: allow\n"
                         "      reason: because\n"
                         "  featureGates: {a.b/c: true}\n"
                         "  bogus: 1\n"
                         "status: {boundInstances: 1}\n"
                         "extra: {}\n");
  REQUIRE(ds.size() == 3);
  for (const Diagnostic& d : ds) {
    CHECK(d.severity == Diagnostic::Severity::kWarning);
    CHECK(d.code == "schema.unknown_field");
  }
  CHECK(ds[0].path == "spec.toolGating.rules[0].reason");
  CHECK(ds[0].message == "unknown field \"reason\"");
  CHECK(ds[0].mark.line == 10);
  CHECK(ds[0].mark.column == 7);
  CHECK(ds[1].path == "spec.bogus");
  CHECK(ds[2].path == "extra");
}

TEST_CASE("schema: values of additionalProperties are checked") {
  Diagnostics ds = Check(std::string(kPolicyHeader) + "  featureGates: {a.b/c: \"yes\", d: on}\n");
  REQUIRE(ds.size() == 1);
  CHECK(ds[0].code == "schema.type");
  CHECK(ds[0].path == "spec.featureGates[\"a.b/c\"]");
  CHECK(ds[0].message == "Invalid value: \"string\": must be of type boolean");
}

TEST_CASE("schema: sidecar tool names follow their pattern and length") {
  CHECK(Check(SidecarTool("      name: run_check2\n")).empty());
  Diagnostics ds = Check(SidecarTool("      name: Run-Check\n"));
  REQUIRE(ds.size() == 1);
  CHECK(ds[0].code == "schema.pattern");
  CHECK(ds[0].path == "spec.sidecar.tools[0].name");
  CHECK(ds[0].message == "Invalid value: \"Run-Check\": should match '^[a-z][a-z0-9_]*$'");
  CHECK(ds[0].mark.line == 12);

  ds = Check(SidecarTool("      name: " + std::string(65, 'a') + "\n"));
  REQUIRE(ds.size() == 1);
  CHECK(ds[0].code == "schema.length");
  CHECK(ds[0].message == "Too long: may not be longer than 64");
  CHECK(Check(SidecarTool("      name: " + std::string(64, 'a') + "\n")).empty());

  ds = Check(SidecarTool("      name: t\n      inputMode: file\n"));
  CHECK(Codes(ds) == "schema.enum@spec.sidecar.tools[0].inputMode ");
}

TEST_CASE("schema: minItems and a missing required field in a sidecar tool") {
  Diagnostics ds = Check(std::string(kSkillPackHeader) +
                         "  sidecar:\n"
                         "    image: i\n"
                         "    tools:\n"
                         "    - name: t\n"
                         "      exec: []\n");
  CHECK(Codes(ds) ==
        "schema.required@spec.sidecar.tools[0].description "
        "schema.length@spec.sidecar.tools[0].exec ");
  REQUIRE(ds.size() == 2);
  CHECK(ds[1].message == "Invalid value: 0: should have at least 1 items");
}

TEST_CASE("schema: int-or-string quantities") {
  auto volume = [](const std::string& size) {
    return std::string(kSkillPackHeader) +
           "  sidecar:\n"
           "    image: i\n"
           "    volumes:\n"
           "    - name: scratch\n"
           "      emptyDir:\n"
           "        sizeLimit: " +
           size + "\n";
  };
  CHECK(Check(volume("1Gi")).empty());
  CHECK(Check(volume("1024")).empty());
  CHECK(Check(volume("\"500m\"")).empty());
  CHECK(Check(volume("1.5")).empty());  // plain: the string "1.5"
  Diagnostics ds = Check(volume("lots"));
  REQUIRE(ds.size() == 1);
  CHECK(ds[0].code == "schema.pattern");
  CHECK(ds[0].path == "spec.sidecar.volumes[0].emptyDir.sizeLimit");
  ds = Check(volume("[1]"));
  REQUIRE(ds.size() == 1);
  CHECK(ds[0].code == "schema.type");
  CHECK(ds[0].message == "Invalid value: \"array\": must be of type integer or string");
}

TEST_CASE("schema: tool parameters keep unknown fields") {
  CHECK(Check(SidecarTool("      name: t\n"
                          "      parameters:\n"
                          "        type: object\n"
                          "        properties:\n"
                          "          path: {type: string, x-anything: [1, 2]}\n"
                          "        required: [path]\n"))
            .empty());
  Diagnostics ds = Check(SidecarTool("      name: t\n      parameters: [path]\n"));
  CHECK(Codes(ds) == "schema.type@spec.sidecar.tools[0].parameters ");
}

TEST_CASE("schema: plain YAML scalars count as strings, JSON numbers do not") {
  CHECK(Check(std::string(kPolicyHeader) + "  sandboxPolicy:\n"
                                           "    required: true\n"
                                           "    maxCPU: 2\n"
                                           "    maxMemory: 1.5\n"
                                           "    defaultImage: yes\n")
            .empty());
  Diagnostics ds = Check(
      "{\"apiVersion\": \"sympozium.ai/v1alpha1\", \"kind\": \"SympoziumPolicy\",\n"
      " \"spec\": {\"sandboxPolicy\": {\"required\": true, \"maxCPU\": 2}}}");
  REQUIRE(ds.size() == 1);
  CHECK(ds[0].code == "schema.type");
  CHECK(ds[0].path == "spec.sandboxPolicy.maxCPU");
  CHECK(ds[0].message == "Invalid value: \"integer\": must be of type string");
  CHECK(ds[0].mark.line == 2);
  // A quoted string is not an integer or a boolean.
  ds = Check(std::string(kPolicyHeader) + "  subagentPolicy: {maxDepth: \"3\"}\n" +
             "  sandboxPolicy: {required: \"true\"}\n");
  CHECK(Codes(ds) ==
        "schema.type@spec.subagentPolicy.maxDepth schema.type@spec.sandboxPolicy.required ");
  // An integral float is an integer (as go-openapi has it); 2.5 is not.
  CHECK(Check(std::string(kPolicyHeader) + "  subagentPolicy: {maxDepth: 3.0}\n").empty());
  CHECK(Codes(Check(std::string(kPolicyHeader) + "  subagentPolicy: {maxDepth: 2.5}\n")) ==
        "schema.type@spec.subagentPolicy.maxDepth ");
}

TEST_CASE("schema: nulls") {
  // Pruned by the API server in properties; an error in a list or map.
  CHECK(Check(std::string(kPolicyHeader) + "  toolGating:\n    defaultAction: null\n").empty());
  Diagnostics ds = Check(std::string(kPolicyHeader) +
                         "  imagePolicy: {allowedRegistries: [a, null]}\n"
                         "  featureGates: {x: null}\n");
  CHECK(Codes(ds) ==
        "schema.type@spec.imagePolicy.allowedRegistries[1] schema.type@spec.featureGates.x ");
  REQUIRE(ds.size() == 2);
  CHECK(ds[0].message == "Invalid value: \"null\": must be of type string");
}

TEST_CASE("schema: lengths and ranges in status conditions") {
  Diagnostics ds = Check(std::string(kPolicyHeader) +
                         "  {}\n"
                         "status:\n"
                         "  conditions:\n"
                         "  - type: Ready\n"
                         "    status: Maybe\n"
                         "    reason: \"\"\n"
                         "    message: ok\n"
                         "    lastTransitionTime: \"2024-01-01T00:00:00Z\"\n"
                         "    observedGeneration: -1\n");
  CHECK(Codes(ds) ==
        "schema.enum@status.conditions[0].status schema.length@status.conditions[0].reason "
        "schema.pattern@status.conditions[0].reason "
        "schema.range@status.conditions[0].observedGeneration ");
  REQUIRE(ds.size() == 4);
  CHECK(ds[0].message ==
        "Unsupported value: \"Maybe\": supported values: \"True\", \"False\", \"Unknown\"");
  CHECK(ds[1].message == "Invalid value: \"\": should be at least 1 chars long");
  CHECK(ds[3].message == "Invalid value: -1: should be greater than or equal to 0");
}

TEST_CASE("schema: metadata names follow DNS-1123") {
  auto meta = [](const std::string& lines) {
    return "apiVersion: sympozium.ai/v1alpha1\nkind: SympoziumPolicy\nmetadata:\n" + lines +
           "spec: {}\n";
  };
  CHECK(Check(meta("  name: a.b-c.0\n  namespace: sympozium-system\n"
                   "  labels: {sympozium.ai/builtin: \"true\"}\n  annotations: {x: y}\n"))
            .empty());
  Diagnostics ds = Check(meta("  name: Bad_Name\n  namespace: a.b\n"));
  CHECK(Codes(ds) == "schema.pattern@metadata.name schema.pattern@metadata.namespace ");
  REQUIRE(ds.size() == 2);
  CHECK(ds[0].message.rfind("Invalid value: \"Bad_Name\": a lowercase RFC 1123 subdomain", 0) == 0);
  CHECK(ds[1].message.rfind("Invalid value: \"a.b\": a lowercase RFC 1123 label", 0) == 0);
  for (const char* bad : {"-a", "a-", "a..b", ".a", "a.-b", "\"\""})
    CHECK_MESSAGE(
        Codes(Check(meta(std::string("  name: ") + bad + "\n"))) == "schema.pattern@metadata.name ",
        bad);
  ds = Check(meta("  namespace: " + std::string(64, 'a') + "\n"));
  REQUIRE(ds.size() == 1);
  CHECK(ds[0].message.find("must be no more than 63 characters") != std::string::npos);
  CHECK(Check(meta("  name: " + std::string(253, 'a') + "\n")).empty());
  CHECK(Codes(Check(meta("  name: [a]\n"))) == "schema.type@metadata.name ");
  CHECK(Codes(Check("apiVersion: sympozium.ai/v1alpha1\nkind: SkillPack\nmetadata: x\n"
                    "spec: {skills: []}\n")) == "schema.type@metadata ");
}

TEST_CASE("schema: apiVersion must name a version of the CRD") {
  Diagnostics ds = Check("kind: SympoziumPolicy\napiVersion: sympozium.ai/v2\nspec: {bogus: 1}\n");
  CHECK(Codes(ds) == "schema.enum@apiVersion schema.unknown_field@spec.bogus ");
  REQUIRE(ds.size() == 2);
  CHECK(ds[0].message ==
        "Unsupported value: \"sympozium.ai/v2\": supported values: \"sympozium.ai/v1alpha1\"");
  CHECK(Codes(Check("kind: SympoziumPolicy\napiVersion: other.io/v1alpha1\n")) ==
        "schema.enum@apiVersion ");
  ds = Check("kind: SympoziumPolicy\nspec: {}\n");
  CHECK(Codes(ds) == "schema.required@apiVersion ");
}

TEST_CASE("schema: findings come in document order") {
  Diagnostics ds = Check(std::string(kPolicyHeader) +
                         "  toolGating:\n"
                         "    rules:\n"
                         "    - action: a\n"
                         "      x: 1\n"
                         "  networkPolicy:\n"
                         "    allowedEgress: [{port: \"80\"}]\n"
                         "  sandboxPolicy: {required: 1}\n");
  REQUIRE(ds.size() == 5);
  for (size_t i = 1; i < ds.size(); ++i) {
    CHECK(ds[i - 1].mark.line <= ds[i].mark.line);
  }
  CHECK(Codes(ds) ==
        "schema.required@spec.toolGating.rules[0].tool "
        "schema.unknown_field@spec.toolGating.rules[0].x "
        "schema.required@spec.networkPolicy.allowedEgress[0].host "
        "schema.type@spec.networkPolicy.allowedEgress[0].port "
        "schema.type@spec.sandboxPolicy.required ");
}

TEST_CASE("schema: the schemaless task accepts a string or an object") {
  std::string run =
      "apiVersion: sympozium.ai/v1alpha1\nkind: AgentRun\nmetadata: {name: r}\n"
      "spec: {agentRef: a, agentId: b, sessionKey: c, model: {provider: p, model: m, "
      "authSecretRef: k}, task: ";
  CHECK(Check(run + "hello}\n").empty());
  CHECK(Check(run + "{mode: fanout, steps: [1, 2]}}\n").empty());
}

}  // namespace
}  // namespace sympozium
