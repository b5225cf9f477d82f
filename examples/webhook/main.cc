// sympozium-webhook: the HTTPS admission webhook (docs/admission.md).
//
//   sympozium-webhook --cert FILE --key FILE --listen HOST:PORT --config DIR
//                     [--mode strict|compat] [options]
//
// Endpoints: POST /validate and /mutate (admission.k8s.io/v1
// AdmissionReview), GET /healthz, /readyz and /metrics. See README.md.
#include <openssl/ssl.h>
#include <pthread.h>
#include <signal.h>
#include <sys/socket.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "examples/webhook/admission.h"
#include "examples/webhook/config_watcher.h"
#include "examples/webhook/metrics.h"
#include "examples/webhook/server.h"
#include "httplib.h"
#include "sympozium/policy_store.h"

namespace sympozium::webhook {
namespace {

constexpr char kUsage[] =
    "usage: sympozium-webhook --cert FILE --key FILE --listen HOST:PORT --config PATH\n"
    "                         [--mode strict|compat] [options]\n"
    "\n"
    "Serves Sympozium admission over HTTPS: POST /validate (AgentRun, SkillPack, Model,\n"
    "Pod), POST /mutate (AgentRun), GET /healthz, /readyz, /metrics.\n"
    "\n"
    "  --cert FILE, --key FILE  PEM serving certificate (chain) and private key\n"
    "  --listen HOST:PORT       address to listen on; port 0 picks a free port\n"
    "                           (the line printed at start names it)\n"
    "  --config PATH            YAML/JSON files of SympoziumPolicy, Agent and SkillPack\n"
    "                           objects, or directories of them (repeatable); reloaded\n"
    "                           on change and on SIGHUP\n"
    "  --mode strict|compat     evaluation mode (default strict)\n"
    "  --max-body-bytes N       largest request body (default 8388608); also bounds\n"
    "                           what one document may hold\n"
    "  --timeout-seconds N      longest wait for each socket read or write (default\n"
    "                           10); not a deadline for a whole request (README)\n"
    "  --threads N              connection worker threads (default 32); a keep-alive\n"
    "                           connection holds one while it is open\n"
    "  --poll-interval-ms N     how often to look for changed files (default 1000;\n"
    "                           0: only on SIGHUP)\n"
    "\n"
    "Example:\n"
    "  sympozium-webhook --cert tls.crt --key tls.key --listen 0.0.0.0:8443 \\\n"
    "      --config /etc/sympozium/policies\n";

struct Flags {
  std::string cert;
  std::string key;
  std::string host;
  int port = -1;
  std::vector<std::string> config;
  Mode mode = Mode::kStrict;
  size_t max_body = DefaultLimits().max_bytes;
  int timeout_seconds = 10;
  int threads = 32;
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
bool ParseListen(const std::string& s, Flags* flags) {
  size_t colon = s.rfind(':');
  if (colon == std::string::npos) return false;
  std::string host = s.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']')
    host = host.substr(1, host.size() - 2);
  long port;
  if (host.empty() || !ParseInt(s.substr(colon + 1), 0, 65535, &port)) return false;
  flags->host = host;
  flags->port = static_cast<int>(port);
  return true;
}

// Empty on success, else what is wrong.
std::string ParseFlags(int argc, char** argv, Flags* flags) {
  for (int i = 1; i < argc; ++i) {
    std::string name = argv[i];
    std::string value;
    if (name == "--help" || name == "-h") return "help";
    if (size_t eq = name.find('='); eq != std::string::npos) {
      value = name.substr(eq + 1);
      name = name.substr(0, eq);
    } else if (i + 1 < argc) {
      value = argv[++i];
    } else {
      return name + " needs a value";
    }
    long n = 0;
    if (name == "--cert") {
      flags->cert = value;
    } else if (name == "--key") {
      flags->key = value;
    } else if (name == "--listen") {
      if (!ParseListen(value, flags)) return "--listen wants HOST:PORT, got \"" + value + "\"";
    } else if (name == "--config") {
      flags->config.push_back(value);
    } else if (name == "--mode") {
      if (!ParseMode(value, &flags->mode)) return "--mode is strict or compat, not " + value;
    } else if (name == "--max-body-bytes" && ParseInt(value, 1024, 1L << 30, &n)) {
      flags->max_body = static_cast<size_t>(n);
    } else if (name == "--timeout-seconds" && ParseInt(value, 1, 300, &n)) {
      flags->timeout_seconds = static_cast<int>(n);
    } else if (name == "--threads" && ParseInt(value, 1, 1024, &n)) {
      flags->threads = static_cast<int>(n);
    } else if (name == "--poll-interval-ms" && ParseInt(value, 0, 3600000, &n)) {
      flags->poll_ms = static_cast<int>(n);
    } else {
      return "unknown flag or bad value: " + name + " " + value;
    }
  }
  if (flags->cert.empty() || flags->key.empty()) return "--cert and --key are required";
  if (flags->port < 0) return "--listen is required";
  if (flags->config.empty()) return "--config is required";
  return "";
}

// httplib 0.11 listens with a backlog of 5: a burst of new connections (the
// API server opening several at once) overflows it, and each dropped SYN
// costs its client a 1 s retransmit. listen() again raises it.
class Server : public httplib::SSLServer {
 public:
  using SSLServer::SSLServer;
  bool RaiseBacklog() { return ::listen(svr_sock_, SOMAXCONN) == 0; }
};

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
  ConfigWatcher watcher(flags.config, read, std::chrono::milliseconds(flags.poll_ms), &store,
                        &metrics, Log);
  watcher.LoadNow();  // on failure: not ready, and the watcher retries when files change

  Server server(flags.cert.c_str(), flags.key.c_str());
  if (!server.is_valid()) {
    Log("cannot use the certificate " + flags.cert + " and key " + flags.key);
    return 1;
  }
  SSL_CTX_set_min_proto_version(server.ssl_context(), TLS1_2_VERSION);
  const size_t threads = static_cast<size_t>(flags.threads);
  server.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  server.set_read_timeout(flags.timeout_seconds, 0);
  server.set_write_timeout(flags.timeout_seconds, 0);
  server.set_keep_alive_max_count(1000);
  // httplib writes headers and body as separate TLS records; with Nagle the
  // second waits for the client's delayed ACK (~40 ms a request).
  server.set_tcp_nodelay(true);
  server.set_payload_max_length(flags.max_body);

  ReviewOptions options;
  options.mode = flags.mode;
  options.limits = read.limits;
  InstallRoutes(&server, &store, &metrics, options, Log);

  int port = flags.port;
  if (port == 0)
    port = server.bind_to_any_port(flags.host);
  else if (!server.bind_to_port(flags.host, port))
    port = -1;
  if (port <= 0 || !server.RaiseBacklog()) {
    Log("cannot listen on " + flags.host + ":" + std::to_string(flags.port));
    return 1;
  }
  std::string host =
      flags.host.find(':') != std::string::npos ? "[" + flags.host + "]" : flags.host;
  std::printf("sympozium-webhook listening on https://%s:%d\n", host.c_str(), port);
  std::fflush(stdout);

  watcher.Start();
  std::atomic<bool> stopping{false};
  std::thread signal_thread([&] {
    for (;;) {
      int sig = 0;
      if (sigwait(&signals, &sig) != 0) continue;
      if (sig == SIGHUP && !stopping) {
        Log("SIGHUP: reloading the config");
        watcher.RequestReload();
        continue;
      }
      stopping = true;
      server.stop();
      return;
    }
  });

  bool served = server.listen_after_bind();
  if (!stopping) kill(getpid(), SIGTERM);  // wakes the signal thread when listen failed
  signal_thread.join();
  watcher.Stop();
  Log(served ? "stopped" : "the server stopped unexpectedly");
  return served ? 0 : 1;
}

}  // namespace
}  // namespace sympozium::webhook

int main(int argc, char** argv) { return sympozium::webhook::Main(argc, argv); }
