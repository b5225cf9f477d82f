// ReviewAdmission: AdmissionReview bodies in, the webhook's answers out
// (the webhook's HTTPS test is tools/webhook/tests/webhook_test.py).
#include <doctest/doctest.h>

#include <optional>
#include <string>
#include <vector>

#include "absl/strings/escaping.h"
#include "lib/write/write.h"
#include "sympozium/admission.h"
#include "sympozium/evaluate.h"
#include "sympozium/policy_store.h"
#include "tests/unit/test_util.h"

namespace sympozium {
namespace {

// The cluster of the samples: Agent default/alice bound to
// default/default-policy (maxCPU 4), and the skill packs.
std::shared_ptr<PolicySet> SampleSet() {
  auto set =
      LoadPolicySet({testing::DataPath("fixtures/sympozium/samples/agent_sample.yaml"),
                     testing::DataPath("fixtures/sympozium/samples/sympoziumpolicy_sample.yaml"),
                     testing::DataPath("fixtures/sympozium/skills")});
  REQUIRE(set.ok());
  (*set)->generation = 1;
  return *set;
}

// A YAML document as compact JSON.
std::string Json(const std::string& yaml) {
  ReadOptions read;
  read.format = Format::kYaml;  // flow-style YAML starts with '{' too
  absl::StatusOr<Document> doc = ReadDocument(yaml, read);
  REQUIRE(doc.ok());
  return ToJson(doc->root());
}

std::string FileJson(const std::string& rel) {
  absl::StatusOr<std::string> text = ReadFile(testing::DataPath("fixtures/sympozium/" + rel));
  REQUIRE(text.ok());
  return Json(*text);
}

std::string Review(const std::string& object,
                   const std::string& extra = R"("operation":"CREATE")") {
  return R"({"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{"uid":"u-1",)" +
         extra + R"(,"object":)" + object + "}}";
}

struct Answer {
  AdmissionResult result;
  Document doc;
  const Value* response() const { return doc.root().Find("response"); }
  std::string Field(std::initializer_list<std::string_view> path) const {
    const Value* v = &doc.root();
    for (std::string_view key : path) {
      v = v->Find(key);
      if (v == nullptr) return "<absent>";
    }
    return std::string(v->text);
  }
};

Answer Ask(AdmissionEndpoint endpoint, const std::string& body, const PolicySet* set,
           Mode mode = Mode::kStrict, Enforcement enforcement = Enforcement::kDeny,
           std::optional<Mode> shadow = std::nullopt) {
  AdmissionOptions options;
  options.endpoint = endpoint;
  options.mode = mode;
  options.enforcement = enforcement;
  options.shadow_mode = shadow;
  options.limits.max_bytes = 1 << 20;
  Answer a;
  a.result = ReviewAdmission(body, set, options);
  ReadOptions read;
  read.format = Format::kJson;
  absl::StatusOr<Document> doc = ReadDocument(a.result.body, read);
  REQUIRE_MESSAGE(doc.ok(), a.result.body);  // every answer is well-formed JSON
  a.doc = std::move(*doc);
  return a;
}

const char kRunYaml[] = R"(
apiVersion: sympozium.ai/v1alpha1
kind: AgentRun
metadata: {name: r1, namespace: default}
spec:
  agentRef: alice
  task: t
  sandbox:
    enabled: true
    resources: {limits: {cpu: "8"}}
  env: {PATH: /evil}
)";

TEST_CASE("admission: an allowed AgentRun echoes the uid") {
  auto set = SampleSet();
  Answer a = Ask(AdmissionEndpoint::kValidate, Review(FileJson("samples/agentrun_sample.yaml")),
                 set.get());
  CHECK(a.result.http_status == 200);
  CHECK(a.Field({"apiVersion"}) == "admission.k8s.io/v1");
  CHECK(a.Field({"kind"}) == "AdmissionReview");
  CHECK(a.Field({"response", "uid"}) == "u-1");
  CHECK(a.response()->Find("allowed")->boolean);
  CHECK(a.Field({"response", "status", "code"}) == "200");
  CHECK(a.Field({"response", "status", "message"}) == "policy validated");
  CHECK(a.Field({"response", "patch"}) == "<absent>");
  CHECK(ResultName(a.result.result) == "allowed");
}

TEST_CASE(
    "admission: a denial carries 403, the first violation's Go wording, and the rest as warnings") {
  auto set = SampleSet();
  Answer a = Ask(AdmissionEndpoint::kValidate, Review(Json(kRunYaml)), set.get());
  CHECK_FALSE(a.response()->Find("allowed")->boolean);
  CHECK(a.Field({"response", "status", "code"}) == "403");
  CHECK(a.Field({"response", "status", "reason"}) == "Forbidden");
  CHECK(a.Field({"response", "status", "message"}) == "sandbox CPU 8 exceeds policy limit 4");
  const Value* warnings = a.response()->Find("warnings");
  REQUIRE(warnings != nullptr);
  REQUIRE(warnings->items.size() == 1);
  CHECK(warnings->items[0].text ==
        "also: environment variable \"PATH\" is not allowed: overriding system variables is "
        "denied [env.denied]");
  CHECK(ResultName(a.result.result) == "denied");
  CHECK(a.result.code == "resources.exceeds");
}

TEST_CASE("admission: lookups use the request's namespace when the object names none") {
  auto set = SampleSet();
  std::string run = Json(R"({apiVersion: sympozium.ai/v1alpha1, kind: AgentRun,
                             metadata: {name: r}, spec: {agentRef: alice, task: t}})");
  Answer in_default =
      Ask(AdmissionEndpoint::kValidate, Review(run, R"("namespace":"default")"), set.get());
  CHECK(in_default.Field({"response", "status", "message"}) == "policy validated");
  Answer elsewhere =
      Ask(AdmissionEndpoint::kValidate, Review(run, R"("namespace":"other")"), set.get());
  CHECK(elsewhere.Field({"response", "status", "code"}) == "400");
  CHECK(elsewhere.Field({"response", "status", "message"}) ==
        "failed to find Agent alice: agents.sympozium.ai \"alice\" not found");
  CHECK(elsewhere.result.code == "agent.not_found");
}

TEST_CASE("admission: compat mode answers as Go") {
  auto set = SampleSet();
  std::string run = Json(R"({apiVersion: sympozium.ai/v1alpha1, kind: AgentRun,
      metadata: {name: r, namespace: default},
      spec: {agentRef: alice, task: t, env: {LD_AUDIT: x}}})");
  CHECK(Ask(AdmissionEndpoint::kValidate, Review(run), set.get(), Mode::kStrict)
            .Field({"response", "status", "code"}) == "403");
  CHECK(Ask(AdmissionEndpoint::kValidate, Review(run), set.get(), Mode::kCompat)
            .Field({"response", "status", "code"}) == "200");
}

TEST_CASE("admission: SkillPacks and pods") {
  auto set = SampleSet();
  Answer pack =
      Ask(AdmissionEndpoint::kValidate, Review(FileJson("skills/k8s-ops.yaml")), set.get());
  CHECK(pack.Field({"response", "status", "message"}) == "no sidecar tools to validate");
  std::string bad_pack = Json(R"({apiVersion: sympozium.ai/v1alpha1, kind: SkillPack,
      metadata: {name: svc, namespace: default},
      spec: {sidecar: {image: x, tools: [{name: Bad-Name, description: d, exec: [x]}]}}})");
  Answer denied = Ask(AdmissionEndpoint::kValidate, Review(bad_pack), set.get());
  CHECK(denied.Field({"response", "status", "message"}) ==
        "SkillPack \"svc\" sidecar tool \"Bad-Name\": name must be snake_case matching "
        "^[a-z][a-z0-9_]*$");
  CHECK(denied.result.code == "sidecar_tool.invalid");

  std::string pod = Json(R"({apiVersion: v1, kind: Pod,
      metadata: {name: p, namespace: default, labels: {sympozium.ai/instance: alice}},
      spec: {containers: [{name: agent, image: ghcr.io/x/agent:1}]}})");
  Answer bound = Ask(AdmissionEndpoint::kValidate, Review(pod), set.get());
  CHECK(bound.Field({"response", "status", "code"}) == "403");
  CHECK(bound.Field({"response", "status", "message"}) ==
        "container \"agent\" must run as non-root (runAsNonRoot: true, runAsUser not 0)");
  CHECK(bound.result.code == "pod.run_as_root");
  CHECK(bound.response()->Find("warnings")->items.size() > 0);  // the other P rules
  for (const Value& w : bound.response()->Find("warnings")->items)
    CHECK(w.text.find("no SympoziumPolicy applies") == std::string_view::npos);

  std::string stray = Json(R"({apiVersion: v1, kind: Pod, metadata: {name: p, namespace: default},
      spec: {containers: [{name: agent, image: ghcr.io/x/agent:1}]}})");
  Answer unbound = Ask(AdmissionEndpoint::kValidate, Review(stray), set.get());
  CHECK(unbound.Field({"response", "status", "code"}) == "403");
  CHECK(unbound.response()->Find("warnings")->items[0].text ==
        "metadata.labels.sympozium.ai/instance: no SympoziumPolicy applies (no "
        "sympozium.ai/instance label names its Agent): only the policy-independent pod rules "
        "were checked");
  CHECK(unbound.result.policy.empty());
  CHECK(bound.result.policy == "default/default-policy");
}

TEST_CASE("admission: Models are admitted by their source ") {
  auto set = SampleSet();
  const std::string sha(64, 'a');
  auto model = [&](const std::string& source) {
    return Json(R"({apiVersion: sympozium.ai/v1alpha1, kind: Model,
                    metadata: {name: llama, namespace: ai}, spec: {source: )" +
                source + "}}");
  };
  Answer allowed =
      Ask(AdmissionEndpoint::kValidate,
          Review(model("{url: 'https://hf.co/llama.gguf', sha256: " + sha + "}")), set.get());
  CHECK(allowed.result.http_status == 200);
  CHECK(allowed.Field({"response", "uid"}) == "u-1");
  CHECK(allowed.response()->Find("allowed")->boolean);
  CHECK(allowed.Field({"response", "status", "message"}) == "model validated");
  CHECK(ResultName(allowed.result.result) == "allowed");

  // Strict: plain http only to in-cluster hosts; the sha256 problem follows
  // as a warning. Compat answers as Go's ModelValidator: the sha256 only.
  std::string insecure = Review(model("{url: 'http://files.example.com/m.gguf', sha256: abc}"));
  Answer denied = Ask(AdmissionEndpoint::kValidate, insecure, set.get());
  CHECK_FALSE(denied.response()->Find("allowed")->boolean);
  CHECK(denied.Field({"response", "status", "code"}) == "403");
  CHECK(denied.Field({"response", "status", "message"}) ==
        "model source URL must use https:// scheme unless the host is in-cluster (host "
        "\"files.example.com\")");
  const Value* warnings = denied.response()->Find("warnings");
  REQUIRE(warnings != nullptr);
  CHECK(warnings->items.back().text ==
        "also: sha256 checksum must be exactly 64 hex characters, got 3 [model.sha256_invalid]");
  CHECK(ResultName(denied.result.result) == "denied");
  CHECK(denied.result.code == "model.url_insecure");
  Answer compat = Ask(AdmissionEndpoint::kValidate, insecure, set.get(), Mode::kCompat);
  CHECK(compat.Field({"response", "status", "message"}) ==
        "sha256 checksum must be exactly 64 hex characters, got 3");
  CHECK(compat.result.code == "model.sha256_invalid");

  Answer empty = Ask(AdmissionEndpoint::kValidate, Review(model("{}")), set.get());
  CHECK(empty.Field({"response", "status", "message"}) ==
        "model source must specify either url or modelID");
  // No policy set is needed, but none loaded still fails closed.
  CHECK(Ask(AdmissionEndpoint::kValidate, insecure, nullptr).result.code == "webhook.not_ready");
  // /mutate handles AgentRuns only.
  CHECK(Ask(AdmissionEndpoint::kMutate, insecure, set.get()).result.code ==
        "request.unsupported_kind");
}

TEST_CASE("admission: mutate answers a base64 JSONPatch, and none when nothing changes") {
  auto set = SampleSet();
  Answer a =
      Ask(AdmissionEndpoint::kMutate, Review(FileJson("samples/agentrun_sample.yaml")), set.get());
  CHECK(a.response()->Find("allowed")->boolean);
  CHECK(a.Field({"response", "patchType"}) == "JSONPatch");
  std::string patch;
  REQUIRE(absl::Base64Unescape(a.Field({"response", "patch"}), &patch));
  CHECK(patch == R"([{"op":"add","path":"/metadata/labels","value":{"sympozium.ai/role":"agent"}},)"
                 R"({"op":"add","path":"/metadata/labels/sympozium.ai~1sandbox","value":"true"},)"
                 R"({"op":"add","path":"/metadata/annotations",)"
                 R"("value":{"sympozium.ai/disable-sa-token":"true"}}])");

  std::string done = Json(R"({apiVersion: sympozium.ai/v1alpha1, kind: AgentRun,
      metadata: {name: r, namespace: default, labels: {sympozium.ai/role: agent},
                 annotations: {sympozium.ai/disable-sa-token: "true"}},
      spec: {agentRef: alice, task: t, toolPolicy: {allow: [read_file]}}})");
  Answer same = Ask(AdmissionEndpoint::kMutate, Review(done), set.get());
  CHECK(same.response()->Find("allowed")->boolean);
  CHECK(same.Field({"response", "status", "message"}) == "no mutations needed");
  CHECK(same.Field({"response", "patch"}) == "<absent>");
  CHECK(same.Field({"response", "patchType"}) == "<absent>");

  Answer pack = Ask(AdmissionEndpoint::kMutate, Review(FileJson("skills/k8s-ops.yaml")), set.get());
  CHECK_FALSE(pack.response()->Find("allowed")->boolean);
  CHECK(pack.Field({"response", "status", "code"}) == "400");
}

TEST_CASE("admission: requests without a uid get HTTP 400 with a Status") {
  auto set = SampleSet();
  for (const char* body : {"", "not json", "[]", "{\"a\":", R"({"apiVersion":"v1","kind":"Pod"})",
                           R"({"apiVersion":"admission.k8s.io/v1beta1","kind":"AdmissionReview",
                               "request":{"uid":"x"}})",
                           R"({"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview"})",
                           R"({"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview",
                               "request":{"uid":5}})"}) {
    CAPTURE(body);
    Answer a = Ask(AdmissionEndpoint::kValidate, body, set.get());
    CHECK(a.result.http_status == 400);
    CHECK(a.Field({"kind"}) == "Status");
    CHECK(a.Field({"code"}) == "400");
    CHECK(a.Field({"message"}) != "<absent>");
    CHECK(!a.result.answered);
  }
  // Deeper than the read limit: refused by the reader, not the stack.
  std::string deep = Review(std::string(5000, '[') + std::string(5000, ']'));
  Answer a = Ask(AdmissionEndpoint::kValidate, deep, set.get());
  CHECK(a.result.http_status == 400);
  CHECK(a.Field({"message"}).find("limit.max_depth") != std::string::npos);
}

TEST_CASE("admission: a review with a uid but nothing to admit is answered, not allowed") {
  auto set = SampleSet();
  struct Row {
    std::string body;
    const PolicySet* set;
    const char* code;
    const char* reason;
  };
  std::string head = R"({"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview",)";
  std::vector<Row> rows = {
      {head + R"("request":{"uid":"u-1","operation":"CREATE"}})", set.get(), "400",
       "request.no_object"},
      {Review(R"({"apiVersion":"v1","kind":"ConfigMap"})"), set.get(), "400",
       "request.unsupported_kind"},
      {Review(R"({"metadata":{}})"), set.get(), "400", "request.unsupported_kind"},
      {Review(R"({"apiVersion":"sympozium.ai/v1alpha1","kind":"AgentRun","spec":[]})"), set.get(),
       "400", "decode.error"},
      {Review(FileJson("samples/agentrun_sample.yaml")), nullptr, "500", "webhook.not_ready"},
  };
  for (const Row& row : rows) {
    CAPTURE(row.body);
    Answer a = Ask(AdmissionEndpoint::kValidate, row.body, row.set);
    CHECK(a.result.http_status == 200);
    CHECK(a.Field({"response", "uid"}) == "u-1");
    CHECK_FALSE(a.response()->Find("allowed")->boolean);
    CHECK(a.Field({"response", "status", "code"}) == row.code);
    CHECK(ResultName(a.result.result) == "error");
    CHECK(a.result.code == row.reason);
  }
  // The kind may come from request.kind alone.
  std::string bare = R"({"metadata":{"name":"r","namespace":"default"},
                         "spec":{"agentRef":"alice","task":"t"}})";
  Answer kinded =
      Ask(AdmissionEndpoint::kValidate,
          Review(bare, R"("kind":{"group":"sympozium.ai","version":"v1alpha1","kind":"AgentRun"})"),
          set.get());
  CHECK(kinded.Field({"response", "status", "message"}) == "policy validated");
  Answer deleted = Ask(AdmissionEndpoint::kValidate,
                       head + R"("request":{"uid":"u-1","operation":"DELETE"}})", set.get());
  CHECK(deleted.response()->Find("allowed")->boolean);
}

TEST_CASE("admission: every truncation of a review gets a well-formed answer") {
  auto set = SampleSet();
  std::string body = Review(FileJson("samples/agentrun_sample.yaml"));
  for (size_t n = 0; n < body.size(); ++n) {
    Answer a =
        Ask(AdmissionEndpoint::kValidate, body.substr(0, n), set.get());  // REQUIREs valid JSON
    CHECK((a.result.http_status == 400 || a.result.http_status == 200));
  }
}

// Allowed in compat, denied in strict (an env denylist entry only strict has).
const char kStrictOnlyRun[] = R"({apiVersion: sympozium.ai/v1alpha1, kind: AgentRun,
    metadata: {name: r, namespace: default},
    spec: {agentRef: alice, task: t, env: {LD_AUDIT: x}}})";

std::vector<std::string> Warnings(const Answer& a) {
  std::vector<std::string> out;
  if (const Value* w = a.response()->Find("warnings"))
    for (const Value& item : w->items) out.emplace_back(item.text);
  return out;
}

TEST_CASE("admission: warn allows a denial and lists every violation as a warning") {
  auto set = SampleSet();
  Answer a = Ask(AdmissionEndpoint::kValidate, Review(Json(kRunYaml)), set.get(), Mode::kStrict,
                 Enforcement::kWarn);
  CHECK(a.response()->Find("allowed")->boolean);
  CHECK(a.Field({"response", "status", "code"}) == "200");
  CHECK(Warnings(a) == std::vector<std::string>{
                           "[would deny] sandbox CPU 8 exceeds policy limit 4 [resources.exceeds]",
                           "[would deny] environment variable \"PATH\" is not allowed: overriding "
                           "system variables is denied [env.denied]"});
  // The facts keep the decision before enforcement.
  CHECK(a.result.allowed);
  CHECK(a.result.would_deny());
  CHECK(a.result.result == Result::kDenied);
  CHECK(a.result.code == "resources.exceeds");
  CHECK(a.result.violations == std::vector<std::string>{"resources.exceeds", "env.denied"});
  CHECK(a.result.policy == "default/default-policy");
  CHECK(a.result.enforcement == Enforcement::kWarn);
}

TEST_CASE("admission: audit allows a denial silently; errors follow the mode too") {
  auto set = SampleSet();
  Answer a = Ask(AdmissionEndpoint::kValidate, Review(Json(kRunYaml)), set.get(), Mode::kStrict,
                 Enforcement::kAudit);
  CHECK(a.response()->Find("allowed")->boolean);
  CHECK(a.response()->Find("warnings") == nullptr);
  CHECK(a.Field({"response", "status", "message"}) == "<absent>");
  CHECK(a.result.would_deny());
  CHECK(a.result.code == "resources.exceeds");

  // A missing Agent is an error decision: let through under audit and warn.
  std::string stranger = Json(R"({apiVersion: sympozium.ai/v1alpha1, kind: AgentRun,
      metadata: {name: r, namespace: default}, spec: {agentRef: bob, task: t}})");
  for (Enforcement e : {Enforcement::kWarn, Enforcement::kAudit}) {
    Answer err = Ask(AdmissionEndpoint::kValidate, Review(stranger), set.get(), Mode::kStrict, e);
    CHECK(err.response()->Find("allowed")->boolean);
    CHECK(err.result.result == Result::kError);
    CHECK(err.result.code == "agent.not_found");
  }
  // A malformed review stays an HTTP error whatever the mode.
  for (Enforcement e : {Enforcement::kWarn, Enforcement::kAudit}) {
    AdmissionOptions options;
    options.enforcement = e;
    AdmissionResult bad = ReviewAdmission("not json", set.get(), options);
    CHECK(bad.http_status == 400);
    CHECK_FALSE(bad.answered);
    CHECK_FALSE(bad.allowed);
  }
}

TEST_CASE("admission: shadow mode reports where compat and strict disagree") {
  auto set = SampleSet();
  std::string review = Review(Json(kStrictOnlyRun));
  Answer a = Ask(AdmissionEndpoint::kValidate, review, set.get(), Mode::kCompat, Enforcement::kDeny,
                 Mode::kStrict);
  CHECK(a.response()->Find("allowed")->boolean);
  REQUIRE(a.result.shadow.has_value());
  CHECK(a.result.shadow->disagrees);
  CHECK(a.result.shadow->mode == Mode::kStrict);
  CHECK_FALSE(a.result.shadow->allowed);
  CHECK(a.result.shadow->code == "env.denied");
  CHECK(Warnings(a).back() == "[shadow strict] would deny [env.denied]");

  Answer other = Ask(AdmissionEndpoint::kValidate, review, set.get(), Mode::kStrict,
                     Enforcement::kWarn, Mode::kCompat);
  CHECK(other.result.shadow->disagrees);
  CHECK(Warnings(other).back() == "[shadow compat] would allow");
  // Audit keeps it out of the answer; the facts still say so.
  Answer quiet = Ask(AdmissionEndpoint::kValidate, review, set.get(), Mode::kStrict,
                     Enforcement::kAudit, Mode::kCompat);
  CHECK(quiet.response()->Find("warnings") == nullptr);
  CHECK(quiet.result.shadow->disagrees);
  // Agreement adds nothing.
  Answer same = Ask(AdmissionEndpoint::kValidate, Review(FileJson("samples/agentrun_sample.yaml")),
                    set.get(), Mode::kStrict, Enforcement::kDeny, Mode::kCompat);
  CHECK_FALSE(same.result.shadow->disagrees);
  for (const std::string& w : Warnings(same)) CHECK(w.find("[shadow") == std::string::npos);
}

TEST_CASE("admission: the facts name the request") {
  auto set = SampleSet();
  std::string run = Json(R"({apiVersion: sympozium.ai/v1alpha1, kind: AgentRun,
                             metadata: {name: r9}, spec: {agentRef: alice, task: t}})");
  Answer a = Ask(AdmissionEndpoint::kValidate,
                 Review(run, R"("operation":"UPDATE","namespace":"default",)"
                             R"("userInfo":{"username":"system:serviceaccount:ci:bot"})"),
                 set.get());
  CHECK(a.result.answered);
  CHECK(a.result.uid == "u-1");
  CHECK(a.result.operation == "UPDATE");
  CHECK(a.result.kind == "AgentRun");
  CHECK(a.result.namespace_ == "default");
  CHECK(a.result.name == "r9");
  CHECK(a.result.user == "system:serviceaccount:ci:bot");
  CHECK(a.result.result == Result::kAllowed);
  CHECK(a.result.code.empty());
  CHECK(a.result.violations.empty());
  CHECK(a.result.policy == "default/default-policy");
  CHECK(a.result.generation == 1);
  CHECK_FALSE(a.result.would_deny());
  CHECK_FALSE(a.result.shadow.has_value());
}

// A Job whose pod template names Agent alice gets alice's policy, the same
// from every caller of Evaluate with a cluster (admit --cluster, the C and
// Python evaluate) as from admission.
TEST_CASE("admission: a workload's pod template label binds its Agent's policy") {
  auto set = LoadPolicySet({testing::DataPath("../admission/labelled_job/cluster.yaml")});
  REQUIRE(set.ok());
  absl::StatusOr<std::string> job_yaml =
      ReadFile(testing::DataPath("../admission/labelled_job/job.yaml"));
  REQUIRE(job_yaml.ok());
  Answer bound = Ask(AdmissionEndpoint::kValidate, Review(Json(*job_yaml)), set->get());
  CHECK(bound.result.policy == "default/strict");
  CHECK(bound.Field({"response", "status", "code"}) == "403");

  absl::StatusOr<Document> doc = ReadDocument(*job_yaml);
  REQUIRE(doc.ok());
  auto codes = [](const Decision& d) {
    std::vector<std::string> out;
    for (const Violation& v : d.violations) out.emplace_back(v.code);
    return out;
  };
  Decision lookup = Evaluate(*doc, Binding::Lookup(&(*set)->cluster));
  Decision none = Evaluate(*doc, Binding::None());
  CHECK(codes(lookup) == bound.result.violations);
  CHECK(codes(lookup).size() > codes(none).size());
}

}  // namespace
}  // namespace sympozium
