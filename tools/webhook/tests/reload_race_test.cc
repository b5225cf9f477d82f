// Reload under load, in one process, for ThreadSanitizer: the
// webhook's routes on an in-process HttpServer (plain HTTP, so no
// uninstrumented OpenSSL in the picture), httplib clients on several keep-alive
// connections, the config watcher's thread swapping PolicyStore sets as a
// ConfigMap-shaped directory flips between two policies (and now and then
// a broken one), SIGHUP-style reload requests from another thread, and
// /metrics rendered while every other thread counts. Every answer must be
// exactly one of the two sets' answers.
//
// SYMPOZIUM_WEBHOOK_SWAPS sets how many times the config flips (default
// 60); each flip waits until the watcher has served it. scripts/lib.sh
// (sym_tsan_tests) runs it under TSan with ignore_noninstrumented_modules=1:
// the uninstrumented libcpp-httplib's (the clients') lazily built statics
// are otherwise reported as races.
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "httplib.h"
#include "tools/webhook/config_watcher.h"
#include "tools/webhook/decision_log.h"
#include "tools/webhook/http_server.h"
#include "tools/webhook/server.h"
#include "tools/webhook/tests/config_map_dir.h"

namespace sympozium::webhook {
namespace {

using std::chrono::milliseconds;
using std::chrono::steady_clock;

// Allowed under maxCPU 8, denied under maxCPU 4.
constexpr char kReview[] =
    R"({"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{"uid":"u-1",)"
    R"("operation":"CREATE","object":{"apiVersion":"sympozium.ai/v1alpha1","kind":"AgentRun",)"
    R"("metadata":{"name":"r","namespace":"default"},"spec":{"agentRef":"alice","task":"t",)"
    R"("sandbox":{"enabled":true,"resources":{"limits":{"cpu":"6"}}}}}}})";

int Swaps() {
  const char* env = std::getenv("SYMPOZIUM_WEBHOOK_SWAPS");
  return env != nullptr ? std::atoi(env) : 60;
}

// What the handler answers kReview under `set`.
std::string Answer(AdmissionEndpoint endpoint, const PolicySet* set) {
  AdmissionOptions options;
  options.endpoint = endpoint;
  return ReviewAdmission(kReview, set, options).body;
}

// ... and under a set whose policy has the given maxCPU.
std::string Expected(AdmissionEndpoint endpoint, const std::string& cpu) {
  ConfigMapDir dir("webhook-expected-" + cpu);
  dir.Publish(PolicyWithMaxCpu(cpu));
  auto set = LoadPolicySet({dir.path()});
  REQUIRE(set.ok());
  (*set)->generation = 1;
  return Answer(endpoint, set->get());
}

TEST_CASE("webhook: answers stay exact while the config reloads under load") {
  const std::string denied = Expected(AdmissionEndpoint::kValidate, "4");
  const std::string allowed = Expected(AdmissionEndpoint::kValidate, "8");
  const std::string mutated = Expected(AdmissionEndpoint::kMutate, "4");
  REQUIRE_MESSAGE(denied.find("sandbox CPU 6 exceeds policy limit 4") != std::string::npos, denied);
  REQUIRE(allowed.find(R"("allowed":true)") != std::string::npos);
  REQUIRE(mutated ==
          Expected(AdmissionEndpoint::kMutate, "8"));  // the cap does not change defaults

  ConfigMapDir dir("webhook-race");
  dir.Publish(PolicyWithMaxCpu("4"));
  PolicyStore store;
  Metrics metrics;
  std::atomic<int> failed_loads{0};
  ConfigWatcher watcher({dir.path()}, {}, milliseconds(2), &store, &metrics,
                        [&](const std::string& line) {
                          if (line.find("config load failed") == 0) ++failed_loads;
                        });
  REQUIRE(watcher.LoadNow());

  HttpServerOptions server_options;
  server_options.handler_threads = 4;
  server_options.log = [](const std::string& line) { FAIL_CHECK("server: " << line); };
  HttpServer server(server_options);
  HttpRoutes routes;
  std::atomic<int> exceptions{0};
  // The decision log's writer thread races the handlers too; its queue
  // holds every line, so none may be dropped.
  const std::string log_path = dir.path() + "-decisions.jsonl";
  DecisionLog decisions(log_path, &metrics, /*capacity=*/1 << 22);
  std::string log_error;
  REQUIRE_MESSAGE(decisions.Start(&log_error), log_error);
  InstallRoutes(&routes, &store, &metrics, AdmissionOptions(), &decisions,
                [&](const std::string&) { ++exceptions; });
  std::string listen_error;
  const int port = server.Listen("127.0.0.1", 0, &routes, nullptr, &listen_error);
  REQUIRE_MESSAGE(port > 0, listen_error);
  std::thread listener([&] { server.Run(); });
  watcher.Start();

  std::atomic<bool> done{false};
  std::mutex mu;  // guards the tallies and `wrong`
  std::map<std::string, int> tally;
  std::vector<std::string> wrong;
  auto client = [&](int id) {
    httplib::Client cli("127.0.0.1", port);
    cli.set_keep_alive(true);
    cli.set_tcp_nodelay(true);
    std::map<std::string, int> mine;
    std::vector<std::string> bad;
    for (int i = 0; !done || i < 5; ++i) {
      const bool mutate = (i + id) % 4 == 0;
      auto res = cli.Post(mutate ? "/mutate" : "/validate", kReview, "application/json");
      if (!res) {
        bad.push_back("no answer: " + httplib::to_string(res.error()));
      } else if (res->status == 200 && mutate && res->body == mutated) {
        ++mine["mutated"];
      } else if (res->status == 200 && !mutate && (res->body == allowed || res->body == denied)) {
        ++mine[res->body == allowed ? "allowed" : "denied"];
      } else {
        bad.push_back(std::to_string(res->status) + " " + res->body);
      }
    }
    std::lock_guard<std::mutex> lock(mu);
    for (const auto& [k, n] : mine) tally[k] += n;
    wrong.insert(wrong.end(), bad.begin(), bad.end());
  };
  // /metrics and /readyz on a fresh connection each time, racing every
  // counter update and swap.
  auto scraper = [&] {
    while (!done) {
      httplib::Client cli("127.0.0.1", port);
      auto metrics_res = cli.Get("/metrics");
      auto ready = cli.Get("/readyz");
      std::lock_guard<std::mutex> lock(mu);
      if (!metrics_res || metrics_res->status != 200 ||
          metrics_res->body.find("sympozium_webhook_policy_generation ") == std::string::npos)
        wrong.push_back("/metrics");
      if (!ready || ready->status != 200) wrong.push_back("/readyz");
    }
  };
  std::vector<std::thread> threads;
  for (int id = 0; id < 4; ++id) threads.emplace_back(client, id);
  threads.emplace_back(scraper);
  // SIGHUP's path: forced reloads at any moment.
  threads.emplace_back([&] {
    while (!done) {
      watcher.RequestReload();
      std::this_thread::sleep_for(milliseconds(7));
    }
  });

  // Flip the policy; every 10th time publish a broken one first, which
  // must keep the set being served.
  const int swaps = Swaps();
  bool waited_out = false;
  for (int i = 0; i < swaps && !waited_out; ++i) {
    if (i % 10 == 5) {
      int before = failed_loads;
      dir.Publish(kBrokenPolicy);
      for (auto until = steady_clock::now() + std::chrono::seconds(10);
           failed_loads == before && steady_clock::now() < until;)
        std::this_thread::sleep_for(milliseconds(1));
      waited_out = failed_loads == before;
    }
    uint64_t generation = store.generation();
    dir.Publish(PolicyWithMaxCpu(i % 2 == 0 ? "8" : "4"));
    // Forced reloads also bump the generation; only a new set counts, so
    // wait for the flip to be visible in what the store serves.
    const bool want_cap_8 = i % 2 == 0;
    for (auto until = steady_clock::now() + std::chrono::seconds(10);;) {
      PolicySetPtr set = store.Current();
      if (set->generation > generation &&
          (Answer(AdmissionEndpoint::kValidate, set.get()) == allowed) == want_cap_8)
        break;
      if (steady_clock::now() > until) {
        waited_out = true;
        break;
      }
      std::this_thread::sleep_for(milliseconds(2));
    }
    std::this_thread::sleep_for(milliseconds(20));  // let requests see this set
  }
  done = true;
  for (std::thread& t : threads) t.join();
  server.Stop();
  listener.join();
  watcher.Stop();
  decisions.Stop();

  CHECK_FALSE(waited_out);
  CHECK(exceptions == 0);
  for (const std::string& w : wrong) FAIL_CHECK("unexpected answer: " << w);
  CHECK(tally["allowed"] > 0);
  CHECK(tally["denied"] > 0);
  CHECK(tally["mutated"] > 0);
  CHECK(failed_loads >= swaps / 10);
  std::ifstream log_file(log_path);
  int lines = 0;
  for (std::string line; std::getline(log_file, line);)
    lines += line.find("\"uid\":\"u-1\"") != std::string::npos;
  std::remove(log_path.c_str());
  CHECK(lines == tally["allowed"] + tally["denied"] + tally["mutated"]);
  CHECK(metrics.Render(1).find("sympozium_webhook_decision_log_dropped_total 0\n") !=
        std::string::npos);
  MESSAGE("answers: " << tally["allowed"] << " allowed, " << tally["denied"] << " denied, "
                      << tally["mutated"] << " mutated; generation " << store.generation() << ", "
                      << failed_loads.load() << " failed loads");
}

}  // namespace
}  // namespace sympozium::webhook
