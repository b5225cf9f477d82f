#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "lib/decode/decode.h"
#include "lib/mutate/json_patch.h"
#include "lib/write/write.h"
#include "sympozium/cluster.h"
#include "sympozium/mutate.h"
#include "sympozium/policy.h"
#include "sympozium/strings.h"
#include "tests/conformance/matchers.h"
#include "tests/unit/test_util.h"

namespace sympozium {
namespace {

Document Read(std::string_view text, const std::string& name = "test") {
  auto doc = ReadDocument(text, {Format::kAuto, name});
  REQUIRE_MESSAGE(doc.ok(), doc.status().ToString());
  return std::move(*doc);
}

// A document holding a copy of `v` (a part of a case file).
Document DocumentOf(const Value& v) {
  Document doc;
  doc.mutable_root() = CopyValue(doc.arena(), v);
  return doc;
}

// The Agent a case implies when it has no `agent` key (conformance README,
// "Cluster model").
Document ImpliedAgent(std::string_view ns, std::string_view name, std::string_view policy_ref) {
  Document doc;
  Arena& a = doc.arena();
  Value& root = doc.mutable_root();
  root.Set(a, "apiVersion", Value::String(a, kSympoziumApiVersion));
  root.Set(a, "kind", Value::StringView("Agent"));
  Value meta = Value::EmptyMap();
  meta.Set(a, "name", Value::String(a, name));
  meta.Set(a, "namespace", Value::String(a, ns));
  root.Set(a, "metadata", meta);
  Value spec = Value::EmptyMap();
  if (!policy_ref.empty()) spec.Set(a, "policyRef", Value::String(a, policy_ref));
  root.Set(a, "spec", spec);
  return doc;
}

// The cluster a mutateAgentRun/admitAgentRun case describes.
Cluster CaseCluster(const Value& c, const Document& run) {
  Cluster cluster;
  const Value* policy = c.Find("policy");
  if (policy != nullptr && !policy->is_null()) {
    REQUIRE(cluster.Add(DocumentOf(*policy)).ok());
  }
  const Value* agent = c.Find("agent");
  if (agent == nullptr) {
    std::string_view policy_name;
    if (policy != nullptr && policy->Find("metadata") != nullptr)
      if (const Value* n = policy->Find("metadata")->Find("name")) policy_name = n->text;
    const Value* spec = run.root().Find("spec");
    const Value* ref = spec == nullptr ? nullptr : spec->Find("agentRef");
    REQUIRE(
        cluster.Add(ImpliedAgent(run.namespace_(), ref == nullptr ? "" : ref->text, policy_name))
            .ok());
  } else if (!agent->is_null()) {
    REQUIRE(cluster.Add(DocumentOf(*agent)).ok());
  }
  if (const Value* packs = c.Find("skillPacks"))
    for (const Value& pack : packs->items) REQUIRE(cluster.Add(DocumentOf(pack)).ok());
  return cluster;
}

// Applying the patch to the input must give the object Mutate returned.
void CheckPatchReproducesObject(const Document& run, const MutateResult& result,
                                const std::string& what) {
  Arena arena;
  Value applied = CopyValue(arena, run.root());
  absl::Status status = ApplyJsonPatch(arena, &applied, result.patch.root());
  REQUIRE_MESSAGE(status.ok(), what, ": ", status.ToString());
  CHECK_MESSAGE(ValueEquals(applied, result.object.root()), what, ": patch ", result.PatchJson(),
                "\ngives ", ToJson(applied), "\nobject is ", ToJson(result.object.root()));
}

std::vector<std::filesystem::path> CaseFiles(const std::string& operation) {
  std::vector<std::filesystem::path> files;
  for (const auto& entry :
       std::filesystem::directory_iterator(testing::DataPath("conformance/cases/" + operation)))
    if (entry.path().extension() == ".yaml") files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  return files;
}

TEST_CASE("mutate: every mutateAgentRun conformance case") {
  std::vector<std::filesystem::path> files = CaseFiles("mutateAgentRun");
  CHECK(files.size() >= 21);
  for (const std::filesystem::path& file : files) {
    std::string name = file.stem().string();
    CAPTURE(name);
    auto text = ReadFile(file.string());
    REQUIRE(text.ok());
    Document c = Read(*text, file.filename().string());
    Mode mode = Mode::kCompat;
    if (const Value* m = c.root().Find("mode")) REQUIRE(ParseMode(m->text, &mode));
    Document run = DocumentOf(*c.root().Find("agentRun"));
    Cluster cluster = CaseCluster(c.root(), run);

    absl::StatusOr<MutateResult> result = Mutate(run, Binding::Lookup(&cluster), mode);
    REQUIRE_MESSAGE(result.ok(), result.status().ToString());
    CHECK(result->allowed);
    const Value* expected = c.root().Find("expect")->Find("patch");
    REQUIRE(expected != nullptr);
    std::string diff = conformance::SubsetMismatch(*expected, result->object.root(), "");
    CHECK_MESSAGE(diff.empty(), name, ": ", diff, "\nobject: ", ToJson(result->object.root()));
    CheckPatchReproducesObject(run, *result, name);
    // A patch exactly when the message says something changed.
    bool skipped = result->message.find("skipping") != std::string::npos ||
                   result->message == "no policy" || result->message == "no mutations needed";
    CHECK_MESSAGE(skipped == result->patch.root().items.empty(), name, ": ", result->message);
  }
}

TEST_CASE("mutate: the conformance subset matcher can fail") {
  Document actual = Read("a: {b: 1, c: [p, q]}\nd: null\n");
  auto match = [&](std::string_view expected) {
    Document e = Read(expected);
    return conformance::SubsetMismatch(e.root(), actual.root(), "");
  };
  CHECK(match("a: {b: 1}") == "");
  CHECK(match("a: {c: [p, q]}\nd: null\nz: null") == "");
  CHECK(match("a: {b: 2}") == "a.b: want 2, got 1");
  CHECK(match("a: {b: '1'}") == "a.b: want \"1\", got 1");
  CHECK(match("a: {c: [p]}") == "a.c: want [\"p\"], got [\"p\",\"q\"]");
  CHECK(match("a: {c: [p, z]}") == "a.c[1]: want \"z\", got \"q\"");
  CHECK(match("a: null") == "a: want absent, got {\"b\":1,\"c\":[\"p\",\"q\"]}");
  CHECK(match("q: {r: 1}") == "q: missing, want {\"r\":1}");
}

constexpr std::string_view kJsonRun = R"({
  "apiVersion": "sympozium.ai/v1alpha1", "kind": "AgentRun",
  "metadata": {"name": "r", "namespace": "team-a", "labels": {"team": "blue"}},
  "spec": {
    "agentRef": "inst", "task": "summarise the logs",
    "model": {"provider": "openai", "model": "gpt-4o"},
    "futureField": {"x": [1, 2.5, null]},
    "sandbox": {"enabled": true, "image": ""}
  }
})";

constexpr std::string_view kSandboxPolicy = R"(
apiVersion: sympozium.ai/v1alpha1
kind: SympoziumPolicy
metadata: {name: p, namespace: team-a}
spec:
  sandboxPolicy:
    required: true
    defaultImage: ghcr.io/sympozium-ai/sandbox:v1
    seccompProfile: {type: RuntimeDefault}
  toolGating:
    defaultAction: deny
    rules:
    - {tool: execute_command, action: ask}
)";

PolicyPtr CompileOrDie(std::string_view yaml, Mode mode = Mode::kCompat) {
  CompileOptions options;
  options.mode = mode;
  absl::StatusOr<PolicyPtr> policy = CompilePolicy(yaml, options, "policy.yaml");
  REQUIRE_MESSAGE(policy.ok(), policy.status().ToString());
  return *policy;
}

TEST_CASE("mutate: a JSON run keeps every field and gets an exact patch") {
  Document run = Read(kJsonRun, "run.json");
  PolicyPtr policy = CompileOrDie(kSandboxPolicy);
  absl::StatusOr<MutateResult> result = Mutate(run, Binding::Direct(policy.get()));
  REQUIRE_MESSAGE(result.ok(), result.status().ToString());
  CHECK(
      result->PatchJson() ==
      R"([{"op":"replace","path":"/spec/sandbox/image","value":"ghcr.io/sympozium-ai/sandbox:v1"},)"
      R"({"op":"add","path":"/spec/sandbox/securityContext","value":{"seccompProfile":{"type":"RuntimeDefault"}}},)"
      R"({"op":"add","path":"/spec/toolPolicy","value":{}},)"
      R"({"op":"add","path":"/metadata/labels/sympozium.ai~1role","value":"agent"},)"
      R"({"op":"add","path":"/metadata/labels/sympozium.ai~1sandbox","value":"true"},)"
      R"({"op":"add","path":"/metadata/annotations","value":{"sympozium.ai/disable-sa-token":"true"}}])");
  CHECK(result->message ==
        "6 changes: replace /spec/sandbox/image, add /spec/sandbox/securityContext, add "
        "/spec/toolPolicy, add /metadata/labels/sympozium.ai~1role, add "
        "/metadata/labels/sympozium.ai~1sandbox, add /metadata/annotations");
  const Value* spec = result->object.root().Find("spec");
  CHECK(ValueEquals(*spec->Find("futureField"), *run.root().Find("spec")->Find("futureField")));
  CHECK(spec->Find("task")->text == "summarise the logs");
  CHECK(spec->Find("model")->Find("model")->text == "gpt-4o");
  CHECK(result->object.root().Find("metadata")->Find("labels")->Find("team")->text == "blue");
  CheckPatchReproducesObject(run, *result, "json run");

  // The response JSON reads back, and its object is the mutated run.
  std::string json = result->ToJson();
  CHECK(json.rfind(R"({"allowed":true,"message":"6 changes: )", 0) == 0);
  Document back = Read(json, "response.json");
  CHECK(ValueEquals(*back.root().Find("object"), result->object.root()));
  CHECK(ValueEquals(*back.root().Find("patch"), result->patch.root()));

  // The mutated run decodes, with the defaults in the typed model.
  Arena arena;
  AgentRun typed;
  REQUIRE(DecodeInto(result->object.root(), "mutated", arena, &typed).ok());
  REQUIRE(typed.spec.sandbox.has_value());
  CHECK(typed.spec.sandbox->image == "ghcr.io/sympozium-ai/sandbox:v1");
  CHECK(typed.spec.sandbox->security_context->seccomp_profile->type == "RuntimeDefault");
  CHECK(typed.spec.tool_policy.has_value());
  CHECK(typed.spec.tool_policy->allow.empty());
}

constexpr std::string_view kYamlRun = R"(
apiVersion: sympozium.ai/v1alpha1
kind: AgentRun
metadata: {name: r, namespace: default}
spec: {agentRef: inst, task: x}
)";

TEST_CASE("mutate: without a bound policy nothing changes") {
  Document run = Read(kYamlRun);
  auto check_unchanged = [&](const Binding& binding, std::string_view message) {
    absl::StatusOr<MutateResult> result = Mutate(run, binding);
    REQUIRE(result.ok());
    CHECK(result->allowed);
    CHECK(result->message == message);
    CHECK(result->PatchJson() == "[]");
    CHECK(ValueEquals(result->object.root(), run.root()));
  };
  check_unchanged(Binding::None(), "no policy");
  check_unchanged(Binding::Direct(nullptr), "no policy");

  Cluster cluster;
  check_unchanged(Binding::Lookup(&cluster), "instance not found, skipping mutation");
  REQUIRE(cluster.Add(ImpliedAgent("default", "inst", "")).ok());
  check_unchanged(Binding::Lookup(&cluster), "no policy");
  REQUIRE(cluster.Add(ImpliedAgent("default", "inst", "ghost")).ok());
  check_unchanged(Binding::Lookup(&cluster), "policy not found, skipping mutation");
  // The policy is looked up in the run's namespace only.
  REQUIRE(cluster
              .AddDocuments("apiVersion: sympozium.ai/v1alpha1\nkind: SympoziumPolicy\n"
                            "metadata: {name: ghost, namespace: other}\nspec: {}\n")
              .ok());
  check_unchanged(Binding::Lookup(&cluster), "policy not found, skipping mutation");
}

TEST_CASE("mutate: a run that already has every default needs no patch") {
  Document run = Read(R"(
apiVersion: sympozium.ai/v1alpha1
kind: AgentRun
metadata:
  name: r
  namespace: default
  labels: {sympozium.ai/role: worker, sympozium.ai/sandbox: 'true'}
  annotations: {sympozium.ai/disable-sa-token: 'false'}
spec:
  agentRef: inst
  sandbox: {enabled: true, image: own}
  toolPolicy: {}
)");
  PolicyPtr policy = CompileOrDie(R"(
apiVersion: sympozium.ai/v1alpha1
kind: SympoziumPolicy
metadata: {name: p, namespace: default}
spec:
  sandboxPolicy: {required: true, defaultImage: other}
  toolGating: {rules: [{tool: fetch_url, action: deny}]}
)");
  absl::StatusOr<MutateResult> result = Mutate(run, Binding::Direct(policy.get()));
  REQUIRE(result.ok());
  CHECK(result->message == "no mutations needed");
  CHECK(result->PatchJson() == "[]");
  CHECK(ValueEquals(result->object.root(), run.root()));
}

TEST_CASE("mutate: a run that does not decode is an error") {
  Document run = Read(
      "apiVersion: sympozium.ai/v1alpha1\nkind: AgentRun\nmetadata: {name: r}\n"
      "spec: {agentRef: inst, sandbox: [1]}\n");
  CHECK(!Mutate(run, Binding::None()).ok());
  Document pod = Read("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\n");
  CHECK(!Mutate(pod, Binding::None()).ok());
}

TEST_CASE("mutate: strict mode does not apply a policy that compiles only in compat") {
  Document run = Read(kYamlRun);
  Cluster cluster;
  REQUIRE(cluster.Add(ImpliedAgent("default", "inst", "p")).ok());
  REQUIRE(cluster
              .AddDocuments(R"(
apiVersion: sympozium.ai/v1alpha1
kind: SympoziumPolicy
metadata: {name: p, namespace: default}
spec:
  toolGating:
    rules:
    - {tool: fetch_url, action: maybe}
    - {tool: write_file, action: deny}
)")
              .ok());
  absl::StatusOr<MutateResult> strict = Mutate(run, Binding::Lookup(&cluster), Mode::kStrict);
  REQUIRE(strict.ok());
  CHECK(strict->message.rfind("SympoziumPolicy p does not compile in strict mode, skipping "
                              "mutation: ",
                              0) == 0);
  CHECK(strict->patch.root().items.empty());

  // Compat applies it and drops the unknown action, as Go does.
  absl::StatusOr<MutateResult> compat = Mutate(run, Binding::Lookup(&cluster), Mode::kCompat);
  REQUIRE(compat.ok());
  const Value* tools = compat->object.root().Find("spec")->Find("toolPolicy");
  REQUIRE(tools != nullptr);
  CHECK(ToJson(*tools) == R"({"deny":["write_file"]})");
}

TEST_CASE("mutate: blocks carry enabled, and an enabled agent sandbox keeps its class") {
  Document run = Read(R"(
apiVersion: sympozium.ai/v1alpha1
kind: AgentRun
metadata: {name: r, namespace: default, labels: null}
spec:
  agentRef: inst
  sandbox: {image: own}
  agentSandbox: {enabled: true, runtimeClass: kata, warmPoolRef: pool}
)");
  PolicyPtr policy = CompileOrDie(R"(
apiVersion: sympozium.ai/v1alpha1
kind: SympoziumPolicy
metadata: {name: p, namespace: default}
spec:
  sandboxPolicy:
    required: false
    agentSandboxPolicy: {required: true, defaultRuntimeClass: gvisor}
)");
  absl::StatusOr<MutateResult> result = Mutate(run, Binding::Direct(policy.get()));
  REQUIRE(result.ok());
  CHECK(
      result->PatchJson() ==
      R"([{"op":"replace","path":"/metadata/labels","value":{"sympozium.ai/role":"agent"}},)"
      R"({"op":"add","path":"/metadata/labels/sympozium.ai~1agent-sandbox","value":"true"},)"
      R"({"op":"add","path":"/metadata/annotations","value":{"sympozium.ai/disable-sa-token":"true"}},)"
      R"({"op":"add","path":"/spec/sandbox/enabled","value":false}])");
  CHECK(ToJson(*result->object.root().Find("spec")->Find("agentSandbox")) ==
        R"({"enabled":true,"runtimeClass":"kata","warmPoolRef":"pool"})");
  CheckPatchReproducesObject(run, *result, "blocks");
}

TEST_CASE("mutate: ApplyJsonPatch handles lists, escapes and failures") {
  Document doc = Read(R"({"a": {"l": [1, 2], "k~/": "v"}})");
  // A document must be a map, so each patch is read as the value of "p".
  auto apply = [&](std::string_view patch_json) {
    Document patch = Read(StrCat("{\"p\": ", patch_json, "}"), "patch.json");
    Value v = CopyValue(doc.arena(), doc.root());
    absl::Status status = ApplyJsonPatch(doc.arena(), &v, *patch.root().Find("p"));
    return status.ok() ? ToJson(v) : std::string(status.message());
  };
  CHECK(
      apply(R"([{"op":"add","path":"/a/l/0","value":0},{"op":"add","path":"/a/l/-","value":3}])") ==
      R"({"a":{"l":[0,1,2,3],"k~/":"v"}})");
  CHECK(
      apply(
          R"([{"op":"remove","path":"/a/l/1"},{"op":"replace","path":"/a/k~0~1","value":"w"}])") ==
      R"({"a":{"l":[1],"k~/":"w"}})");
  CHECK(apply(R"([{"op":"add","path":"/b","value":{"c":1}},{"op":"remove","path":"/a"}])") ==
        R"({"b":{"c":1}})");
  CHECK(apply(R"([{"op":"replace","path":"","value":[]}])") == "[]");
  // Failures name the problem and leave the document as it was.
  CHECK(apply(R"([{"op":"replace","path":"/a/missing","value":1}])") ==
        R"(JSON patch path "/a/missing" does not exist)");
  CHECK(apply(R"([{"op":"add","path":"/a/l/3","value":1}])") ==
        R"(JSON patch path "/a/l/3" does not exist)");
  CHECK(apply(R"([{"op":"add","path":"/x/y","value":1}])") ==
        R"(JSON patch path "/x/y" does not exist)");
  CHECK(apply(R"([{"op":"add","path":"a","value":1}])") ==
        R"(JSON pointer "a" must be empty or start with "/")");
  CHECK(apply(R"([{"op":"add","path":"/a~2","value":1}])") ==
        R"(JSON pointer "/a~2" has a "~" not followed by 0 or 1)");
  CHECK(apply(R"([{"op":"move","from":"/a","path":"/b"}])") ==
        R"(JSON patch operation "move" is not supported (add, replace, remove))");
  CHECK(apply(R"([{"op":"add","path":"/b"}])") == R"(JSON patch add at "/b" has no "value")");

  Value v = CopyValue(doc.arena(), doc.root());
  Document partly_bad =
      Read(R"({"p": [{"op":"remove","path":"/a/l"},{"op":"remove","path":"/zz"}]})");
  CHECK(!ApplyJsonPatch(doc.arena(), &v, *partly_bad.root().Find("p")).ok());
  CHECK(ValueEquals(v, doc.root()));
}

}  // namespace
}  // namespace sympozium
