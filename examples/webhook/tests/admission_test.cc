// The webhook's request handling, metrics and reloads, without sockets
// (the HTTPS end-to-end test is webhook_test.py).
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <set>
#include <thread>

#include "absl/strings/escaping.h"
#include "examples/webhook/admission.h"
#include "examples/webhook/config_watcher.h"
#include "examples/webhook/metrics.h"
#include "examples/webhook/tests/config_map_dir.h"
#include "sympozium/write.h"

namespace sympozium::webhook {
namespace {

namespace fs = std::filesystem;

// The cluster of the samples: Agent default/alice bound to
// default/default-policy (maxCPU 4), and the skill packs.
std::shared_ptr<PolicySet> SampleSet() {
  auto set = LoadPolicySet({Fixture("samples/agent_sample.yaml"),
                            Fixture("samples/sympoziumpolicy_sample.yaml"), Fixture("skills")});
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
  absl::StatusOr<std::string> text = ReadFile(Fixture(rel));
  REQUIRE(text.ok());
  return Json(*text);
}

std::string Review(const std::string& object,
                   const std::string& extra = R"("operation":"CREATE")") {
  return R"({"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{"uid":"u-1",)" +
         extra + R"(,"object":)" + object + "}}";
}

struct Answer {
  HttpReply reply;
  Outcome outcome;
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

Answer Ask(Endpoint endpoint, const std::string& body, const PolicySet* set,
           Mode mode = Mode::kStrict) {
  ReviewOptions options;
  options.mode = mode;
  options.limits.max_bytes = 1 << 20;
  Answer a;
  a.reply = Review(endpoint, body, set, options, &a.outcome);
  ReadOptions read;
  read.format = Format::kJson;
  absl::StatusOr<Document> doc = ReadDocument(a.reply.body, read);
  REQUIRE_MESSAGE(doc.ok(), a.reply.body);  // every answer is well-formed JSON
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

TEST_CASE("webhook: an allowed AgentRun echoes the uid") {
  auto set = SampleSet();
  Answer a = Ask(Endpoint::kValidate, Review(FileJson("samples/agentrun_sample.yaml")), set.get());
  CHECK(a.reply.status == 200);
  CHECK(a.Field({"apiVersion"}) == "admission.k8s.io/v1");
  CHECK(a.Field({"kind"}) == "AdmissionReview");
  CHECK(a.Field({"response", "uid"}) == "u-1");
  CHECK(a.response()->Find("allowed")->boolean);
  CHECK(a.Field({"response", "status", "code"}) == "200");
  CHECK(a.Field({"response", "status", "message"}) == "policy validated");
  CHECK(a.Field({"response", "patch"}) == "<absent>");
  CHECK(a.outcome.result == "allowed");
}

TEST_CASE(
    "webhook: a denial carries 403, the first violation's Go wording, and the rest as warnings") {
  auto set = SampleSet();
  Answer a = Ask(Endpoint::kValidate, Review(Json(kRunYaml)), set.get());
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
  CHECK(a.outcome.result == "denied");
  CHECK(a.outcome.code == "resources.exceeds");
}

TEST_CASE("webhook: lookups use the request's namespace when the object names none") {
  auto set = SampleSet();
  std::string run = Json(R"({apiVersion: sympozium.ai/v1alpha1, kind: AgentRun,
                             metadata: {name: r}, spec: {agentRef: alice, task: t}})");
  Answer in_default = Ask(Endpoint::kValidate, Review(run, R"("namespace":"default")"), set.get());
  CHECK(in_default.Field({"response", "status", "message"}) == "policy validated");
  Answer elsewhere = Ask(Endpoint::kValidate, Review(run, R"("namespace":"other")"), set.get());
  CHECK(elsewhere.Field({"response", "status", "code"}) == "400");
  CHECK(elsewhere.Field({"response", "status", "message"}) ==
        "failed to find Agent alice: agents.sympozium.ai \"alice\" not found");
  CHECK(elsewhere.outcome.code == "agent.not_found");
}

TEST_CASE("webhook: compat mode answers as Go") {
  auto set = SampleSet();
  std::string run = Json(R"({apiVersion: sympozium.ai/v1alpha1, kind: AgentRun,
      metadata: {name: r, namespace: default},
      spec: {agentRef: alice, task: t, env: {LD_AUDIT: x}}})");
  CHECK(Ask(Endpoint::kValidate, Review(run), set.get(), Mode::kStrict)
            .Field({"response", "status", "code"}) == "403");
  CHECK(Ask(Endpoint::kValidate, Review(run), set.get(), Mode::kCompat)
            .Field({"response", "status", "code"}) == "200");
}

TEST_CASE("webhook: SkillPacks and pods") {
  auto set = SampleSet();
  Answer pack = Ask(Endpoint::kValidate, Review(FileJson("skills/k8s-ops.yaml")), set.get());
  CHECK(pack.Field({"response", "status", "message"}) == "no sidecar tools to validate");
  std::string bad_pack = Json(R"({apiVersion: sympozium.ai/v1alpha1, kind: SkillPack,
      metadata: {name: svc, namespace: default},
      spec: {sidecar: {image: x, tools: [{name: Bad-Name, description: d, exec: [x]}]}}})");
  Answer denied = Ask(Endpoint::kValidate, Review(bad_pack), set.get());
  CHECK(denied.Field({"response", "status", "message"}) ==
        "SkillPack \"svc\" sidecar tool \"Bad-Name\": name must be snake_case matching "
        "^[a-z][a-z0-9_]*$");
  CHECK(denied.outcome.code == "sidecar_tool.invalid");

  std::string pod = Json(R"({apiVersion: v1, kind: Pod,
      metadata: {name: p, namespace: default, labels: {sympozium.ai/instance: alice}},
      spec: {containers: [{name: agent, image: ghcr.io/x/agent:1}]}})");
  Answer bound = Ask(Endpoint::kValidate, Review(pod), set.get());
  CHECK(bound.Field({"response", "status", "code"}) == "403");
  CHECK(bound.Field({"response", "status", "message"}) ==
        "container \"agent\" must run as non-root (runAsNonRoot: true, runAsUser not 0)");
  CHECK(bound.outcome.code == "pod.run_as_root");
  CHECK(bound.response()->Find("warnings")->items.size() > 0);  // the other P rules
  for (const Value& w : bound.response()->Find("warnings")->items)
    CHECK(w.text.find("no SympoziumPolicy applies") == std::string_view::npos);

  std::string stray = Json(R"({apiVersion: v1, kind: Pod, metadata: {name: p, namespace: default},
      spec: {containers: [{name: agent, image: ghcr.io/x/agent:1}]}})");
  Answer unbound = Ask(Endpoint::kValidate, Review(stray), set.get());
  CHECK(unbound.Field({"response", "status", "code"}) == "403");
  const Value& last = unbound.response()->Find("warnings")->items.back();
  CHECK(last.text ==
        "no SympoziumPolicy applies (no sympozium.ai/instance label names its Agent): only the "
        "policy-independent pod rules were checked");
}

TEST_CASE("webhook: Models are admitted by their source") {
  auto set = SampleSet();
  const std::string sha(64, 'a');
  auto model = [&](const std::string& source) {
    return Json(R"({apiVersion: sympozium.ai/v1alpha1, kind: Model,
                    metadata: {name: llama, namespace: ai}, spec: {source: )" +
                source + "}}");
  };
  Answer allowed =
      Ask(Endpoint::kValidate,
          Review(model("{url: 'https://hf.co/llama.gguf', sha256: " + sha + "}")), set.get());
  CHECK(allowed.reply.status == 200);
  CHECK(allowed.Field({"response", "uid"}) == "u-1");
  CHECK(allowed.response()->Find("allowed")->boolean);
  CHECK(allowed.Field({"response", "status", "message"}) == "model validated");
  CHECK(allowed.outcome.result == "allowed");

  // Strict: plain http only to in-cluster hosts; the sha256 problem follows
  // as a warning. Compat answers as Go's ModelValidator: the sha256 only.
  std::string insecure = Review(model("{url: 'http://files.example.com/m.gguf', sha256: abc}"));
  Answer denied = Ask(Endpoint::kValidate, insecure, set.get());
  CHECK_FALSE(denied.response()->Find("allowed")->boolean);
  CHECK(denied.Field({"response", "status", "code"}) == "403");
  CHECK(denied.Field({"response", "status", "message"}) ==
        "model source URL must use https:// scheme unless the host is in-cluster (host "
        "\"files.example.com\")");
  const Value* warnings = denied.response()->Find("warnings");
  REQUIRE(warnings != nullptr);
  CHECK(warnings->items.back().text ==
        "also: sha256 checksum must be exactly 64 hex characters, got 3 [model.sha256_invalid]");
  CHECK(denied.outcome.result == "denied");
  CHECK(denied.outcome.code == "model.url_insecure");
  Answer compat = Ask(Endpoint::kValidate, insecure, set.get(), Mode::kCompat);
  CHECK(compat.Field({"response", "status", "message"}) ==
        "sha256 checksum must be exactly 64 hex characters, got 3");
  CHECK(compat.outcome.code == "model.sha256_invalid");

  Answer empty = Ask(Endpoint::kValidate, Review(model("{}")), set.get());
  CHECK(empty.Field({"response", "status", "message"}) ==
        "model source must specify either url or modelID");
  // No policy set is needed, but none loaded still fails closed.
  CHECK(Ask(Endpoint::kValidate, insecure, nullptr).outcome.code == "webhook.not_ready");
  // /mutate handles AgentRuns only.
  CHECK(Ask(Endpoint::kMutate, insecure, set.get()).outcome.code == "request.unsupported_kind");
}

TEST_CASE("webhook: mutate answers a base64 JSONPatch, and none when nothing changes") {
  auto set = SampleSet();
  Answer a = Ask(Endpoint::kMutate, Review(FileJson("samples/agentrun_sample.yaml")), set.get());
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
  Answer same = Ask(Endpoint::kMutate, Review(done), set.get());
  CHECK(same.response()->Find("allowed")->boolean);
  CHECK(same.Field({"response", "status", "message"}) == "no mutations needed");
  CHECK(same.Field({"response", "patch"}) == "<absent>");
  CHECK(same.Field({"response", "patchType"}) == "<absent>");

  Answer pack = Ask(Endpoint::kMutate, Review(FileJson("skills/k8s-ops.yaml")), set.get());
  CHECK_FALSE(pack.response()->Find("allowed")->boolean);
  CHECK(pack.Field({"response", "status", "code"}) == "400");
}

TEST_CASE("webhook: requests without a uid get HTTP 400 with a Status") {
  auto set = SampleSet();
  for (const char* body : {"", "not json", "[]", "{\"a\":", R"({"apiVersion":"v1","kind":"Pod"})",
                           R"({"apiVersion":"admission.k8s.io/v1beta1","kind":"AdmissionReview",
                               "request":{"uid":"x"}})",
                           R"({"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview"})",
                           R"({"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview",
                               "request":{"uid":5}})"}) {
    CAPTURE(body);
    Answer a = Ask(Endpoint::kValidate, body, set.get());
    CHECK(a.reply.status == 400);
    CHECK(a.Field({"kind"}) == "Status");
    CHECK(a.Field({"code"}) == "400");
    CHECK(a.Field({"message"}) != "<absent>");
    CHECK(a.outcome.result.empty());
  }
  // Deeper than the read limit: refused by the reader, not the stack.
  std::string deep = Review(std::string(5000, '[') + std::string(5000, ']'));
  Answer a = Ask(Endpoint::kValidate, deep, set.get());
  CHECK(a.reply.status == 400);
  CHECK(a.Field({"message"}).find("limit.max_depth") != std::string::npos);
}

TEST_CASE("webhook: a review with a uid but nothing to admit is answered, not allowed") {
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
    Answer a = Ask(Endpoint::kValidate, row.body, row.set);
    CHECK(a.reply.status == 200);
    CHECK(a.Field({"response", "uid"}) == "u-1");
    CHECK_FALSE(a.response()->Find("allowed")->boolean);
    CHECK(a.Field({"response", "status", "code"}) == row.code);
    CHECK(a.outcome.result == "error");
    CHECK(a.outcome.code == row.reason);
  }
  // The kind may come from request.kind alone.
  std::string bare = R"({"metadata":{"name":"r","namespace":"default"},
                         "spec":{"agentRef":"alice","task":"t"}})";
  Answer kinded =
      Ask(Endpoint::kValidate,
          Review(bare, R"("kind":{"group":"sympozium.ai","version":"v1alpha1","kind":"AgentRun"})"),
          set.get());
  CHECK(kinded.Field({"response", "status", "message"}) == "policy validated");
  Answer deleted = Ask(Endpoint::kValidate,
                       head + R"("request":{"uid":"u-1","operation":"DELETE"}})", set.get());
  CHECK(deleted.response()->Find("allowed")->boolean);
}

TEST_CASE("webhook: every truncation of a review gets a well-formed answer") {
  auto set = SampleSet();
  std::string body = Review(FileJson("samples/agentrun_sample.yaml"));
  for (size_t n = 0; n < body.size(); ++n) {
    Answer a = Ask(Endpoint::kValidate, body.substr(0, n), set.get());  // REQUIREs valid JSON
    CHECK((a.reply.status == 400 || a.reply.status == 200));
  }
}

TEST_CASE("webhook: metrics render counters and a cumulative histogram") {
  Metrics m;
  m.ObserveRequest("/validate", 200, 0.0003);
  m.ObserveRequest("/validate", 200, 0.002);
  m.ObserveRequest("/validate", 413, -1);
  m.ObserveDecision("/validate", "denied", "tool.denied");
  m.ObserveReload(true);
  m.ObserveReload(false);
  std::string text = m.Render(7);
  for (const char* line :
       {"sympozium_webhook_requests_total{endpoint=\"/validate\",status=\"200\"} 2\n",
        "sympozium_webhook_requests_total{endpoint=\"/validate\",status=\"413\"} 1\n",
        "sympozium_webhook_decisions_total{endpoint=\"/validate\",result=\"denied\","
        "code=\"tool.denied\"} 1\n",
        "# TYPE sympozium_webhook_request_duration_seconds histogram\n",
        "sympozium_webhook_request_duration_seconds_bucket{endpoint=\"/validate\",le=\"0.00025\"} "
        "0\n",
        "sympozium_webhook_request_duration_seconds_bucket{endpoint=\"/validate\",le=\"0.0005\"} "
        "1\n",
        "sympozium_webhook_request_duration_seconds_bucket{endpoint=\"/validate\",le=\"0.0025\"} "
        "2\n",
        "sympozium_webhook_request_duration_seconds_bucket{endpoint=\"/validate\",le=\"+Inf\"} 2\n",
        "sympozium_webhook_request_duration_seconds_count{endpoint=\"/validate\"} 2\n",
        "sympozium_webhook_config_reloads_total 1\n",
        "sympozium_webhook_config_reload_failures_total 1\n",
        "sympozium_webhook_policy_generation 7\n"}) {
    CAPTURE(line);
    CHECK(text.find(line) != std::string::npos);
  }
}

TEST_CASE("webhook: the watcher swaps in a changed ConfigMap and keeps the old set on a bad one") {
  ConfigMapDir dir("webhook-test");
  dir.Publish(PolicyWithMaxCpu("4"));
  PolicyStore store;
  Metrics metrics;
  std::vector<std::string> log;
  std::mutex log_mu;
  ConfigWatcher watcher({dir.path()}, {}, std::chrono::milliseconds(10), &store, &metrics,
                        [&](const std::string& line) {
                          std::lock_guard<std::mutex> lock(log_mu);
                          log.push_back(line);
                        });
  REQUIRE(watcher.LoadNow());
  PolicySetPtr first = store.Current();
  CHECK(first->generation == 1);
  CHECK(first->cluster.FindPolicy("default", "default-policy") != nullptr);
  watcher.Start();

  auto wait_for = [&](auto done) {
    for (int i = 0; i < 500 && !done(); ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    return done();
  };
  dir.Publish(PolicyWithMaxCpu("8"));
  REQUIRE(wait_for([&] { return store.generation() == 2; }));

  dir.Publish(kBrokenPolicy);
  REQUIRE(wait_for([&] {
    std::lock_guard<std::mutex> lock(log_mu);
    return log.size() == 3;
  }));
  CHECK(store.generation() == 2);  // the bad file changed nothing
  {
    std::lock_guard<std::mutex> lock(log_mu);
    CHECK(log[2].find("config load failed, still serving generation 2: ") == 0);
    CHECK(log[2].find("policy.yaml:") != std::string::npos);  // names the file and line
    CHECK(log[2].find('\n') == std::string::npos);
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  CHECK(log.size() == 3);         // not retried until the files change again
  CHECK(first->generation == 1);  // a reader's snapshot outlives the swaps

  watcher.RequestReload();  // SIGHUP retries even when nothing changed
  REQUIRE(wait_for([&] {
    std::lock_guard<std::mutex> lock(log_mu);
    return log.size() == 4;
  }));
  watcher.Stop();
  CHECK(
      metrics.Render(store.generation()).find("sympozium_webhook_config_reload_failures_total 2") !=
      std::string::npos);
}

TEST_CASE("webhook: the deploy ConfigMap loads, and its policies compile strict") {
  absl::StatusOr<std::string> text = ReadFile(std::string(SYMPOZIUM_DEPLOY) + "/configmap.yaml");
  REQUIRE(text.ok());
  absl::StatusOr<Document> cm = ReadDocument(*text);
  REQUIRE(cm.ok());
  fs::path dir = fs::temp_directory_path() / ("webhook-cm-" + std::to_string(getpid()));
  fs::create_directories(dir);
  for (const Member& m : cm->root().Find("data")->members)
    std::ofstream(dir / std::string(m.key)) << m.value.text;
  auto set = LoadPolicySet({dir.string()});
  fs::remove_all(dir);
  REQUIRE_MESSAGE(set.ok(), set.status().message());
  const CompiledPolicy* policy = (*set)->cluster.FindPolicy("default", "default-policy");
  REQUIRE(policy != nullptr);
  CHECK(policy->strict_errors().empty());
  CHECK((*set)->cluster.FindAgent("default", "alice") != nullptr);
}

// Every kind /validate handles must reach it: the API server only sends
// what a webhook's rules name.
TEST_CASE("webhook: the deploy ValidatingWebhookConfiguration routes every validated kind") {
  absl::StatusOr<std::string> text = ReadFile(std::string(SYMPOZIUM_DEPLOY) + "/webhooks.yaml");
  REQUIRE(text.ok());
  absl::StatusOr<std::vector<Document>> docs = ReadDocuments(*text);
  REQUIRE(docs.ok());
  REQUIRE(docs->size() == 2);
  const Document& validating = docs->front();
  REQUIRE(validating.kind() == "ValidatingWebhookConfiguration");
  std::set<std::string> routed;
  for (const Value& webhook : validating.root().Find("webhooks")->items) {
    CHECK(webhook.Find("failurePolicy")->text == "Fail");
    CHECK(webhook.Find("clientConfig")->Find("service")->Find("path")->text == "/validate");
    for (const Value& rule : webhook.Find("rules")->items)
      for (const Value& group : rule.Find("apiGroups")->items)
        for (const Value& resource : rule.Find("resources")->items)
          routed.insert(std::string(group.text) + "/" + std::string(resource.text));
  }
  CHECK(routed == std::set<std::string>{"sympozium.ai/agentruns", "sympozium.ai/skillpacks",
                                        "sympozium.ai/models", "/pods"});
}

}  // namespace
}  // namespace sympozium::webhook
