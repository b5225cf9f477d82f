// sympozium-webhook: the HTTPS admission webhook (docs/admission.md).
//
//   sympozium-webhook --cert FILE --key FILE --listen HOST:PORT
//                     (--config DIR | --kube | --kube-api URL ...) [--mode strict|compat]
//                     [options]
//
// Endpoints: POST /validate and /mutate (admission.k8s.io/v1
// AdmissionReview), GET /healthz, /readyz and /metrics. See README.md.
#include <pthread.h>
#include <signal.h>
#include <sys/resource.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "CLI/CLI.hpp"
#include "sympozium/admission.h"
#include "sympozium/policy_store.h"
#include "tools/webhook/config_watcher.h"
#include "tools/webhook/decision_log.h"
#include "tools/webhook/http_server.h"
#include "tools/webhook/kube/kube_watcher.h"
#include "tools/webhook/metrics.h"
#include "tools/webhook/server.h"

namespace sympozium::webhook {
namespace {

constexpr char kUsage[] =
    "usage: sympozium-webhook --cert FILE --key FILE --listen HOST:PORT\n"
    "                         (--config PATH | --kube | --kube-api URL --kube-token-file FILE\n"
    "                          --kube-ca-file FILE) [--mode strict|compat] [options]\n"
    "                         [--mode strict|compat] [options]\n"
    "\n"
    "Serves Sympozium admission over HTTPS: POST /validate (AgentRun, SkillPack, Model,\n"
    "Pod), POST /mutate (AgentRun), GET /healthz, /readyz, /metrics.\n"
    "\n"
    "  --cert FILE, --key FILE  PEM serving certificate (chain) and private key;\n"
    "                           reloaded when they change\n"
    "  --listen HOST:PORT       address to listen on; port 0 picks a free port\n"
    "                           (the line printed at start names it)\n"
    "  --config PATH            YAML/JSON files of SympoziumPolicy, Agent and SkillPack\n"
    "                           objects, or directories of them (repeatable); reloaded\n"
    "                           on change and on SIGHUP\n"
    "  --kube                   watch the API server instead, in-cluster: the service\n"
    "                           account's token and CA, KUBERNETES_SERVICE_HOST/_PORT\n"
    "  --kube-api URL, --kube-token-file FILE, --kube-ca-file FILE\n"
    "                           the same, given explicitly (out of cluster); the token\n"
    "                           file is re-read when it changes\n"
    "  --kube-namespace NS      watch only this namespace (repeatable; SkillPacks also\n"
    "                           in sympozium-system); default: every namespace\n"
    "  --kube-stall-seconds N   re-watch a stream silent this long (default 90)\n"
    "  --mode strict|compat     evaluation mode (default strict)\n"
    "  --enforcement deny|warn|audit\n"
    "                           what a decision that is not allowed does (default\n"
    "                           deny): warn allows with the violations as warnings,\n"
    "                           audit allows silently (decision log and metrics only)\n"
    "  --shadow-mode strict|compat\n"
    "                           also evaluate in this mode; a disagreement is a\n"
    "                           warning (deny, warn), a log field and a metric\n"
    "  --decision-log PATH|-    one JSON line per review answered, appended to PATH\n"
    "                           or written to standard error (off by default)\n"
    "  --max-body-bytes N       largest request body (default 8388608); also bounds\n"
    "                           what one document may hold\n"
    "  --timeout-seconds N      deadline for a whole request: TLS handshake, headers\n"
    "                           and body (default 10); a late one gets 400\n"
    "  --idle-timeout-seconds N how long a keep-alive connection may wait for its\n"
    "                           next request (default 5)\n"
    "  --io-threads N           threads that carry the connections and answer\n"
    "                           bodies up to 64 KiB themselves (default: one per\n"
    "                           core)\n"
    "  --threads N              threads that evaluate larger bodies (default 4)\n"
    "  --max-connections N      open connections in all (default 4096)\n"
    "  --max-connections-per-client N\n"
    "                           open connections from one address (default 512)\n"
    "  --max-inflight-bytes N   request bodies being read or evaluated at once, in\n"
    "                           bytes (default 4x --max-body-bytes); a request that\n"
    "                           does not fit gets 503 with Retry-After\n"
    "  --client-ca FILE         require a client certificate signed by this PEM CA\n"
    "  --metrics-listen HOST:PORT\n"
    "                           also serve /metrics, /healthz and /readyz over plain\n"
    "                           HTTP there (for a scraper without a client cert)\n"
    "  --poll-interval-ms N     how often to look for changed files (default 1000;\n"
    "                           0: only on SIGHUP)\n"
    "\n"
    "Example:\n"
    "  sympozium-webhook --cert tls.crt --key tls.key --listen 0.0.0.0:8443 \\\n"
    "      --config /etc/sympozium/policies\n";

struct Address {
  std::string host;
  int port = -1;
};

struct Flags {
  std::string cert;
  std::string key;
  std::string client_ca;
  Address listen;
  std::optional<Address> metrics_listen;
  std::vector<std::string> config;
  bool kube = false;  // in-cluster configuration
  kube::KubeConfig kube_config;
  std::vector<std::string> kube_namespaces;
  int kube_stall_seconds = 90;
  Mode mode = Mode::kStrict;
  Enforcement enforcement = Enforcement::kDeny;
  std::optional<Mode> shadow_mode;
  std::string decision_log;  // "" off, "-" standard error
  size_t max_body = DefaultLimits().max_bytes;
  size_t max_inflight = 0;  // 0: 4x max_body
  int timeout_seconds = 10;
  int idle_timeout_seconds = 5;
  int io_threads = 0;  // 0: one per core
  int threads = 4;
  long max_connections = 4096;
  long max_connections_per_client = 512;
  int poll_ms = 1000;
};

std::mutex log_mu;

void Log(const std::string& line) {
  std::time_t now = std::time(nullptr);
  std::tm tm;
  gmtime_r(&now, &tm);
  char stamp[32];
  std::strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%SZ", &tm);
  std::lock_guard<std::mutex> lock(log_mu);
  std::fprintf(stderr, "%s sympozium-webhook: %s\n", stamp, line.c_str());
  std::fflush(stderr);
}

bool ParseInt(const std::string& s, long min, long max, long* out) {
  char* end = nullptr;
  long v = std::strtol(s.c_str(), &end, 10);
  if (s.empty() || *end != '\0' || v < min || v > max) return false;
  *out = v;
  return true;
}

// `HOST:PORT`, `[V6]:PORT`.
bool ParseListen(const std::string& s, Address* address) {
  size_t colon = s.rfind(':');
  if (colon == std::string::npos) return false;
  std::string host = s.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']')
    host = host.substr(1, host.size() - 2);
  long port;
  if (host.empty() || !ParseInt(s.substr(colon + 1), 0, 65535, &port)) return false;
  address->host = host;
  address->port = static_cast<int>(port);
  return true;
}

// Where the objects come from: files, or the API server (in-cluster or
// explicit), exactly one. Empty on success, else what is wrong.
std::string CheckSource(Flags* flags) {
  const kube::KubeConfig& k = flags->kube_config;
  bool explicit_kube = !k.api_url.empty() || !k.token_file.empty() || !k.ca_file.empty();
  int sources = !flags->config.empty() + flags->kube + explicit_kube;
  if (sources == 0) return "--config or --kube (or --kube-api ...) is required";
  if (sources > 1) return "--config, --kube and --kube-api are mutually exclusive";
  if (explicit_kube && (k.api_url.empty() || k.token_file.empty() || k.ca_file.empty()))
    return "--kube-api, --kube-token-file and --kube-ca-file go together";
  if (explicit_kube && k.api_url.rfind("https://", 0) != 0)
    return "--kube-api wants an https:// URL, got \"" + k.api_url + "\"";
  if (!flags->kube_namespaces.empty() && !flags->kube && !explicit_kube)
    return "--kube-namespace needs --kube or --kube-api";
  if (flags->kube) {
    absl::StatusOr<kube::KubeConfig> in_cluster = kube::KubeConfig::InCluster();
    if (!in_cluster.ok()) return std::string(in_cluster.status().message());
    flags->kube_config = *std::move(in_cluster);
  }
  while (!flags->kube_config.api_url.empty() && flags->kube_config.api_url.back() == '/')
    flags->kube_config.api_url.pop_back();
  return "";
}

// A flag's value is a word of `names` (what ParseMode and ParseEnforcement
// take), so CLI11 reports any other value naming the flag.
CLI::Validator OneOf(std::vector<std::string> names) { return CLI::IsMember(std::move(names)); }

// Empty on success, else what is wrong. CLI11 parses, as the CLI's flags:
// an unknown flag, a missing value or a value out of range is an error
// naming the flag.
std::string ParseFlags(int argc, char** argv, Flags* flags) {
  CLI::App app("sympozium-webhook");
  app.set_help_flag();  // usage is printed by main
  // A flag given twice: the last one counts (a deployment's args plus an
  // override), except the repeatable ones below.
  app.option_defaults()->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
  bool help = false;
  std::string listen, metrics_listen, mode, enforcement, shadow_mode;
  app.add_flag("--help,-h", help);
  app.add_option("--cert", flags->cert);
  app.add_option("--key", flags->key);
  app.add_option("--client-ca", flags->client_ca);
  app.add_option("--listen", listen);
  app.add_option("--metrics-listen", metrics_listen);
  app.add_option("--config", flags->config)
      ->expected(1)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  app.add_flag("--kube", flags->kube);
  app.add_option("--kube-api", flags->kube_config.api_url);
  app.add_option("--kube-token-file", flags->kube_config.token_file);
  app.add_option("--kube-ca-file", flags->kube_config.ca_file);
  app.add_option("--kube-namespace", flags->kube_namespaces)
      ->expected(1)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll)
      ->check(CLI::Validator(
          [](std::string& s) { return s.empty() ? std::string("must not be empty") : ""; },
          "NAMESPACE"));
  app.add_option("--kube-stall-seconds", flags->kube_stall_seconds)->check(CLI::Range(1, 3600));
  app.add_option("--mode", mode)->check(OneOf({"strict", "compat"}));
  app.add_option("--enforcement", enforcement)->check(OneOf({"deny", "warn", "audit"}));
  app.add_option("--shadow-mode", shadow_mode)->check(OneOf({"strict", "compat"}));
  app.add_option("--decision-log", flags->decision_log)
      ->check(CLI::Validator(
          [](std::string& s) { return s.empty() ? std::string("must not be empty") : ""; },
          "PATH"));
  app.add_option("--max-body-bytes", flags->max_body)
      ->check(CLI::Range(size_t{1024}, size_t{1} << 30));
  app.add_option("--timeout-seconds", flags->timeout_seconds)->check(CLI::Range(1, 300));
  app.add_option("--idle-timeout-seconds", flags->idle_timeout_seconds)->check(CLI::Range(1, 3600));
  app.add_option("--io-threads", flags->io_threads)->check(CLI::Range(1, 1024));
  app.add_option("--threads", flags->threads)->check(CLI::Range(1, 1024));
  app.add_option("--max-connections", flags->max_connections)->check(CLI::Range(1L, 1L << 20));
  app.add_option("--max-connections-per-client", flags->max_connections_per_client)
      ->check(CLI::Range(1L, 1L << 20));
  app.add_option("--max-inflight-bytes", flags->max_inflight)
      ->check(CLI::Range(size_t{1024}, size_t{1} << 34));
  app.add_option("--poll-interval-ms", flags->poll_ms)->check(CLI::Range(0, 3600000));
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (help) return "help";
    return e.what();
  }
  if (help) return "help";
  if (!listen.empty() && !ParseListen(listen, &flags->listen))
    return "--listen wants HOST:PORT, got \"" + listen + "\"";
  if (!metrics_listen.empty()) {
    Address address;
    if (!ParseListen(metrics_listen, &address))
      return "--metrics-listen wants HOST:PORT, got \"" + metrics_listen + "\"";
    flags->metrics_listen = address;
  }
  if (!mode.empty()) ParseMode(mode, &flags->mode);
  if (!enforcement.empty()) ParseEnforcement(enforcement, &flags->enforcement);
  if (!shadow_mode.empty()) {
    Mode shadow;
    ParseMode(shadow_mode, &shadow);
    flags->shadow_mode = shadow;
  }
  if (flags->cert.empty() || flags->key.empty()) return "--cert and --key are required";
  if (flags->listen.port < 0) return "--listen is required";
  if (flags->max_inflight == 0) flags->max_inflight = 4 * flags->max_body;
  if (flags->max_inflight < flags->max_body)
    return "--max-inflight-bytes must be at least --max-body-bytes";
  return CheckSource(flags);
}

// A file descriptor per connection: take the hard limit, so that the
// connection limits, not the soft default of 1024, decide what is refused.
void RaiseDescriptorLimit() {
  struct rlimit limit;
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0 || limit.rlim_cur >= limit.rlim_max) return;
  limit.rlim_cur = limit.rlim_max;
  setrlimit(RLIMIT_NOFILE, &limit);
}

std::string ForUrl(const Address& address) {
  if (address.host.find(':') == std::string::npos) return address.host;
  return "[" + address.host + "]";
}

HttpServerOptions ServerOptions(const Flags& flags) {
  HttpServerOptions options;
  options.io_threads = flags.io_threads > 0
                           ? flags.io_threads
                           : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  options.handler_threads = flags.threads;
  options.request_timeout = std::chrono::seconds(flags.timeout_seconds);
  options.idle_timeout = std::chrono::seconds(flags.idle_timeout_seconds);
  options.max_connections = static_cast<size_t>(flags.max_connections);
  options.max_connections_per_client = static_cast<size_t>(flags.max_connections_per_client);
  options.max_body_bytes = flags.max_body;
  options.max_inflight_body_bytes = flags.max_inflight;
  options.tls_reload_interval = std::chrono::milliseconds(flags.poll_ms);
  options.log = Log;
  return options;
}

int Main(int argc, char** argv) {
  Flags flags;
  if (std::string error = ParseFlags(argc, argv, &flags); !error.empty()) {
    if (error == "help") {
      std::fputs(kUsage, stdout);
      return 0;
    }
    std::fprintf(stderr, "sympozium-webhook: %s\n\n%s", error.c_str(), kUsage);
    return 2;
  }

  // Signals go to one thread that waits for them; block them before any
  // other thread starts so every thread inherits the mask.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGHUP);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  signal(SIGPIPE, SIG_IGN);  // a peer that hangs up mid-write is not fatal

  Metrics metrics;
  PolicyStore store;
  ReadOptions read;
  read.limits.max_bytes = flags.max_body;
  // Exactly one of the two fills `store`.
  std::unique_ptr<ConfigWatcher> files;
  std::unique_ptr<kube::KubeWatcher> api;
  if (!flags.config.empty()) {
    files = std::make_unique<ConfigWatcher>(flags.config, read,
                                            std::chrono::milliseconds(flags.poll_ms), &store,
                                            &metrics, Log, flags.mode);
    files->LoadNow();  // on failure: not ready, and the watcher retries when files change
  } else {
    kube::ReflectorOptions watch;
    watch.stall = std::chrono::seconds(flags.kube_stall_seconds);
    watch.max_bytes = flags.max_body;
    // Nothing is served (not ready) until every resource has been listed.
    api = std::make_unique<kube::KubeWatcher>(flags.kube_config, flags.kube_namespaces, flags.mode,
                                              watch, &store, Log);
    metrics.AddSection([w = api.get()] { return w->RenderMetrics(); });
  }

  RaiseDescriptorLimit();
  TlsContexts certificate({flags.cert, flags.key, flags.client_ca},
                          [&metrics](bool ok, const std::string& line) {
                            metrics.ObserveCertificateReload(ok);
                            Log(line);
                          });
  if (std::string error; !certificate.Load(&error)) {
    Log(error);
    return 1;
  }
  HttpServer server(ServerOptions(flags));

  std::optional<DecisionLog> decisions;
  if (!flags.decision_log.empty()) {
    decisions.emplace(flags.decision_log, &metrics);
    if (std::string error; !decisions->Start(&error)) {
      Log(error);
      return 1;
    }
  }
  AdmissionOptions options;
  options.mode = flags.mode;
  options.enforcement = flags.enforcement;
  options.shadow_mode = flags.shadow_mode;
  options.limits = read.limits;
  HttpRoutes routes;
  InstallRoutes(&routes, &store, &metrics, options, decisions ? &*decisions : nullptr, Log);
  std::string error;
  int port = server.Listen(flags.listen.host, flags.listen.port, &routes, &certificate, &error);
  if (port < 0) {
    Log(error);
    return 1;
  }
  std::printf("sympozium-webhook listening on https://%s:%d\n", ForUrl(flags.listen).c_str(), port);
  HttpRoutes probe_routes;  // no admission over plain HTTP
  if (flags.metrics_listen) {
    InstallProbeRoutes(&probe_routes, &store, &metrics);
    int metrics_port = server.Listen(flags.metrics_listen->host, flags.metrics_listen->port,
                                     &probe_routes, nullptr, &error);
    if (metrics_port < 0) {
      Log(error);
      return 1;
    }
    std::printf("sympozium-webhook metrics on http://%s:%d/metrics\n",
                ForUrl(*flags.metrics_listen).c_str(), metrics_port);
  }
  std::fflush(stdout);

  if (files) files->Start();
  if (api) api->Start();
  std::atomic<bool> stopping{false};
  std::thread signal_thread([&] {
    for (;;) {
      int sig = 0;
      if (sigwait(&signals, &sig) != 0) continue;
      if (sig == SIGHUP && !stopping) {
        if (!files) {
          Log("SIGHUP: nothing to reload (the API server is watched)");
          continue;
        }
        Log("SIGHUP: reloading the config");
        files->RequestReload();
        continue;
      }
      stopping = true;
      server.Stop();
      return;
    }
  });

  server.Run();
  bool served = stopping;
  if (!stopping) kill(getpid(), SIGTERM);  // wakes the signal thread when serving failed
  signal_thread.join();
  if (files) files->Stop();
  if (api) api->Stop();
  if (decisions) decisions->Stop();  // every queued line written
  Log(served ? "stopped" : "the server stopped unexpectedly");
  return served ? 0 : 1;
}

}  // namespace
}  // namespace sympozium::webhook

int main(int argc, char** argv) { return sympozium::webhook::Main(argc, argv); }
