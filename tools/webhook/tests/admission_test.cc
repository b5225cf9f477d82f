// The webhook's metrics, decision log and reloads, without sockets (the
// answers themselves are the library's: tests/unit/admission_test.cc; the
// HTTPS end-to-end test is webhook_test.py).
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <set>
#include <thread>

#include "yaml-cpp/yaml.h"

#include "sympozium/admission.h"
#include "sympozium/cluster.h"
#include "sympozium/version.h"
#include "tools/webhook/config_watcher.h"
#include "tools/webhook/decision_log.h"
#include "tools/webhook/metrics.h"
#include "tools/webhook/tests/config_map_dir.h"

namespace sympozium::webhook {
namespace {

namespace fs = std::filesystem;

TEST_CASE("webhook: metrics render counters and a cumulative histogram") {
  Metrics m;
  m.ObserveRequest("/validate", 200, 0.0003);
  m.ObserveRequest("/validate", 200, 0.002);
  m.ObserveRequest("/validate", 413, -1);
  AdmissionResult denied;
  denied.answered = true;
  denied.result = Result::kDenied;
  denied.code = "tool.denied";
  m.ObserveAdmission("/validate", denied);
  AdmissionResult warned = denied;  // let through under warn, with a disagreeing shadow
  warned.enforcement = Enforcement::kWarn;
  warned.shadow = ShadowOutcome{Mode::kCompat, true, Result::kAllowed, "", true};
  m.ObserveAdmission("/validate", warned);
  AdmissionResult allowed;
  allowed.answered = true;
  allowed.result = Result::kAllowed;
  m.ObserveAdmission("/mutate", allowed);
  m.ObserveDecisionLogDrops(3);
  m.ObserveReload(true);
  m.ObserveReload(false);
  std::string text = m.Render(7);
  for (const char* line :
       {"sympozium_webhook_requests_total{endpoint=\"/validate\",status=\"200\"} 2\n",
        "sympozium_webhook_requests_total{endpoint=\"/validate\",status=\"413\"} 1\n",
        "sympozium_webhook_decisions_total{endpoint=\"/validate\",result=\"denied\","
        "code=\"tool.denied\"} 2\n",
        "sympozium_webhook_decisions_total{endpoint=\"/mutate\",result=\"allowed\",code=\"\"} 1\n",
        "sympozium_webhook_would_deny_total{enforcement=\"deny\",code=\"tool.denied\"} 1\n",
        "sympozium_webhook_would_deny_total{enforcement=\"warn\",code=\"tool.denied\"} 1\n",
        "sympozium_webhook_shadow_disagreements_total{mode=\"compat\"} 1\n",
        "sympozium_webhook_decision_log_dropped_total 3\n",
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

TEST_CASE("webhook: build_info names the version") {
  CHECK(Metrics().Render(0).find("sympozium_webhook_build_info{version=\"" +
                                 std::string(Version()) + "\"} 1\n") != std::string::npos);
}

TEST_CASE("webhook: a decision-log line holds every field, JSON-escaped") {
  AdmissionResult r;
  r.answered = true;
  r.uid = "u-\"1\"";
  r.operation = "CREATE";
  r.kind = "AgentRun";
  r.name = "r1";
  r.user = "alice";
  r.result = Result::kDenied;
  r.code = "env.denied";
  r.violations = {"env.denied", "resources.exceeds"};
  r.message = "no";
  r.enforcement = Enforcement::kAudit;
  r.allowed = true;
  r.generation = 4;
  r.shadow = ShadowOutcome{Mode::kCompat, true, Result::kAllowed, "", true};
  std::string line = DecisionLogLine(
      r, "/validate", std::chrono::system_clock::time_point(std::chrono::microseconds(1500000)),
      42);
  CHECK(
      line ==
      R"({"time":"1970-01-01T00:00:01.500000Z","endpoint":"/validate","uid":"u-\"1\"",)"
      R"("operation":"CREATE","kind":"AgentRun","namespace":null,"name":"r1","user":"alice",)"
      R"("allowed":true,"result":"denied","code":"env.denied",)"
      R"("violations":["env.denied","resources.exceeds"],"message":"no","mode":"strict",)"
      R"("enforcement":"audit","policy":null,"generation":4,"latencyMicros":42,)"
      R"("shadow":{"mode":"compat","allowed":true,"result":"allowed","code":"","disagrees":true}})");
}

TEST_CASE("webhook: the decision log writes every line it queues, and counts what it drops") {
  fs::path path = fs::temp_directory_path() / ("decisions-" + std::to_string(getpid()));
  Metrics metrics;
  {
    DecisionLog log(path.string(), &metrics);
    std::string error;
    REQUIRE(log.Start(&error));
    for (int i = 0; i < 100; ++i) log.Submit("{\"n\":" + std::to_string(i) + "}");
  }  // the destructor writes what is queued
  std::ifstream in(path);
  int n = 0;
  for (std::string line; std::getline(in, line); ++n)
    CHECK(line == "{\"n\":" + std::to_string(n) + "}");
  CHECK(n == 100);
  fs::remove(path);

  // A queue of one behind a writer that is not running drops the rest.
  DecisionLog tiny((fs::temp_directory_path() / "never-started").string(), &metrics, 1);
  tiny.Submit("a");
  tiny.Submit("b");
  tiny.Submit("c");
  CHECK(metrics.Render(0).find("sympozium_webhook_decision_log_dropped_total 2\n") !=
        std::string::npos);

  DecisionLog unopenable("/nonexistent-dir/decisions.jsonl", &metrics);
  std::string error;
  CHECK_FALSE(unopenable.Start(&error));
  CHECK(error.find("/nonexistent-dir/decisions.jsonl") != std::string::npos);
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

TEST_CASE("webhook: a policy the serving mode refuses keeps the old set") {
  // `action: maybe` compiles in compat (Go ignores the rule) but not strict.
  const std::string refused = PolicyWithMaxCpu("4") +
                              "  toolGating:\n    rules:\n      - {tool: execute_command, "
                              "action: maybe}\n";
  for (Mode mode : {Mode::kStrict, Mode::kCompat}) {
    ConfigMapDir dir("webhook-serving-mode");
    dir.Publish(PolicyWithMaxCpu("4"));
    PolicyStore store;
    Metrics metrics;
    std::vector<std::string> log;
    ConfigWatcher watcher(
        {dir.path()}, {}, std::chrono::milliseconds(0), &store, &metrics,
        [&](const std::string& line) { log.push_back(line); }, mode);
    REQUIRE(watcher.LoadNow());
    dir.Publish(refused);
    bool loaded = watcher.LoadNow();
    INFO(log.back());
    if (mode == Mode::kStrict) {
      CHECK_FALSE(loaded);
      CHECK(store.generation() == 1);
      CHECK(log.back().find("config load failed, still serving generation 1: ") == 0);
      CHECK(log.back().find("policy.yaml:") != std::string::npos);
      CHECK(log.back().find("maybe") != std::string::npos);
    } else {
      CHECK(loaded);
      CHECK(store.generation() == 2);
    }
  }
}

TEST_CASE("webhook: the deploy ConfigMap loads, and its policies compile strict") {
  // The manifest is read as kubectl reads it (yaml-cpp here), its files
  // written as the kubelet mounts them.
  YAML::Node cm =
      YAML::LoadFile(std::string(SYMPOZIUM_DEPLOY) + "/../deploy-configmap/configmap.yaml");
  fs::path dir = fs::temp_directory_path() / ("webhook-cm-" + std::to_string(getpid()));
  fs::create_directories(dir);
  for (const auto& file : cm["data"])
    std::ofstream(dir / file.first.as<std::string>()) << file.second.as<std::string>();
  auto set = LoadPolicySet({dir.string()});
  fs::remove_all(dir);
  REQUIRE_MESSAGE(set.ok(), set.status().message());
  const CompiledPolicy* policy = (*set)->cluster.FindPolicy("default", "default-policy");
  REQUIRE(policy != nullptr);
  CHECK(policy->strict_errors().empty());
  absl::StatusOr<Document> run = ReadDocument(
      "kind: AgentRun\napiVersion: sympozium.ai/v1alpha1\n"
      "metadata: {name: r, namespace: default}\nspec: {agentRef: alice}\n");
  REQUIRE(run.ok());
  absl::StatusOr<const CompiledPolicy*> bound = (*set)->cluster.PolicyForRun(*run);
  REQUIRE_MESSAGE(bound.ok(), bound.status().message());
  CHECK(*bound == policy);  // the Agent alice is there and names it
}

// Every kind /validate handles must reach it: the API server only sends
// what a webhook's rules name.
TEST_CASE("webhook: the deploy ValidatingWebhookConfiguration routes every validated kind") {
  std::vector<YAML::Node> docs =
      YAML::LoadAllFromFile(std::string(SYMPOZIUM_DEPLOY) + "/webhooks.yaml");
  REQUIRE(docs.size() == 2);
  const YAML::Node& validating = docs.front();
  REQUIRE(validating["kind"].as<std::string>() == "ValidatingWebhookConfiguration");
  std::set<std::string> routed;
  for (const YAML::Node& webhook : validating["webhooks"]) {
    CHECK(webhook["failurePolicy"].as<std::string>() == "Fail");
    CHECK(webhook["clientConfig"]["service"]["path"].as<std::string>() == "/validate");
    for (const YAML::Node& rule : webhook["rules"])
      for (const YAML::Node& group : rule["apiGroups"])
        for (const YAML::Node& resource : rule["resources"])
          routed.insert(group.as<std::string>() + "/" + resource.as<std::string>());
  }
  CHECK(routed == std::set<std::string>{"sympozium.ai/agentruns", "sympozium.ai/skillpacks",
                                        "sympozium.ai/models", "/pods"});
}

}  // namespace
}  // namespace sympozium::webhook
