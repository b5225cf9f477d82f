// webhook_open_loop: a fixed-rate (open-loop) HTTPS load generator for the
// webhook. Request i is due at start + i / rate, whatever happened to the
// requests before it. The first idle connection takes the oldest request due,
// and a request's latency runs from the time it was due, not from when it
// went out, so the time it waited for a free connection counts: a slow
// answer cannot hide the queue behind it (no coordinated omission).
// AdmissionReviews come round-robin from a cases file (load_cases.h) and
// every answer is checked against its case.
//
//   webhook_open_loop --port P --ca CERT --cases FILE --rate R --seconds S
//                     [--warmup-seconds W] [--connections N] [--host H]
//
// All connections are keep-alive TLS, opened before the first request is
// due; one thread drives them (Boost.Beast over OpenSSL). The first W
// seconds of requests warm up and are not timed. Prints one JSON line: the
// rate asked and achieved, errors (HTTP status not 200, connection or TLS
// failures, wrong answers, requests still unanswered at the end), the
// latency percentiles in ms of the timed requests, how late they went out,
// how many answers each case got, and the generator's own CPU use (it shares
// the machine with the server it measures). Exit status 1 on any error.
#include <sys/resource.h>
#include <algorithm>
#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <boost/beast/ssl.hpp>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "sympozium/json.h"
#include "tools/webhook/tests/load_cases.h"

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;
using sympozium::webhook_load::Case;

constexpr std::chrono::seconds kRequestTimeout{10};
constexpr std::chrono::milliseconds kReconnectDelay{100};
constexpr size_t kProblemsShown = 5;

struct Flags : sympozium::webhook_load::ClientFlags {
  Flags() { connections = 16; }
  double rate = 0;
  double seconds = 0;
  double warmup_seconds = 0;
};

// When each request is due, and which are timed.
struct Schedule {
  Clock::time_point start;
  double rate = 0;
  long warmup = 0;  // requests [0, warmup) warm up
  long total = 0;

  Clock::time_point Due(long i) const {
    return start + std::chrono::nanoseconds(std::llround(static_cast<double>(i) * 1e9 / rate));
  }
  bool Timed(long i) const { return i >= warmup; }
};

struct Results {
  std::vector<int64_t> latency_ns;   // timed requests: answer - due
  std::vector<int64_t> send_lag_ns;  // timed requests: sent - due
  long answered = 0;                 // every request, warm-up included
  long lost = 0;                     // requests whose connection failed
  long connect_failures = 0;         // connections that did not open
  long http_errors = 0, wrong = 0;
  Clock::time_point last_answer;
  std::map<std::string, long> per_case;  // right answers
  std::vector<std::string> problems;     // the first few, for the log

  void Problem(std::string what) {
    if (problems.size() < kProblemsShown) problems.push_back(std::move(what));
  }
};

class Connection;

// What the connections share; one thread touches it.
struct Run {
  const Flags* flags;
  const std::vector<Case>* cases;
  Schedule schedule;
  bool started = false;
  int ready = 0;  // connections open before the start
  long next = 0;  // the next request to take
  std::vector<std::unique_ptr<Connection>> connections;
  Results results;

  bool Finished() const { return results.answered + results.lost == schedule.total; }
};

class Connection {
 public:
  Connection(asio::io_context& io, ssl::context& tls, tcp::resolver::results_type endpoints,
             Run* run)
      : io_(io), tls_(tls), endpoints_(std::move(endpoints)), run_(run), timer_(io) {}

  void Connect() {
    stream_.emplace(io_, tls_);
    if (!VerifyHost()) return;
    beast::get_lowest_layer(*stream_).expires_after(kRequestTimeout);
    beast::get_lowest_layer(*stream_).async_connect(
        endpoints_, [this](beast::error_code ec, const tcp::endpoint&) {
          if (ec) return Retry("connect", ec);
          beast::get_lowest_layer(*stream_).socket().set_option(tcp::no_delay(true));
          stream_->async_handshake(ssl::stream_base::client, [this](beast::error_code ec) {
            if (ec) return Retry("TLS handshake", ec);
            OnOpen();
          });
        });
  }

  void TakeNext() {
    if (run_->next >= run_->schedule.total) return;  // done: the connection stays idle
    current_ = run_->next++;
    Clock::time_point due = run_->schedule.Due(current_);
    if (due <= Clock::now()) return Send();
    timer_.expires_at(due);
    timer_.async_wait([this](beast::error_code ec) {
      if (!ec) Send();
    });
  }

 private:
  // The certificate must name --host (an IP address or a DNS name).
  bool VerifyHost() {
    SSL* ssl = stream_->native_handle();
    const std::string& host = run_->flags->host;
    beast::error_code ec;
    asio::ip::make_address(host, ec);
    bool named = ec ? SSL_set1_host(ssl, host.c_str()) == 1 &&
                          SSL_set_tlsext_host_name(ssl, host.c_str()) == 1
                    : X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), host.c_str()) == 1;
    if (!named) {
      run_->results.Problem("cannot verify the server as " + host);
      ++run_->results.connect_failures;
    }
    return named;
  }

  void OnOpen() {
    if (run_->started) return TakeNext();
    if (++run_->ready < static_cast<int>(run_->connections.size())) return;
    run_->started = true;
    run_->schedule.start = Clock::now();
    for (std::unique_ptr<Connection>& c : run_->connections) c->TakeNext();
  }

  const Case& CurrentCase() const {
    return (*run_->cases)[static_cast<size_t>(current_) % run_->cases->size()];
  }

  void Send() {
    const Case& c = CurrentCase();
    uid_ = "open-loop-" + std::to_string(current_);
    request_ = {http::verb::post, c.path, 11};
    request_.set(http::field::host, run_->flags->host);
    request_.set(http::field::content_type, "application/json");
    request_.keep_alive(true);
    request_.body() = c.Body(uid_);
    request_.prepare_payload();
    sent_ = Clock::now();
    beast::get_lowest_layer(*stream_).expires_after(kRequestTimeout);
    http::async_write(*stream_, request_, [this](beast::error_code ec, size_t) {
      if (ec) return Lost("write", ec);
      response_ = {};
      http::async_read(*stream_, buffer_, response_, [this](beast::error_code ec, size_t) {
        if (ec) return Lost("read", ec);
        OnAnswer();
      });
    });
  }

  void OnAnswer() {
    Clock::time_point now = Clock::now();
    Results& r = run_->results;
    ++r.answered;
    r.last_answer = now;
    const Schedule& s = run_->schedule;
    if (s.Timed(current_)) {
      r.latency_ns.push_back((now - s.Due(current_)).count());
      r.send_lag_ns.push_back((sent_ - s.Due(current_)).count());
    }
    const Case& c = CurrentCase();
    std::string why;
    if (response_.result() != http::status::ok) {
      ++r.http_errors;
      r.Problem(c.name + " " + uid_ + ": HTTP " + std::to_string(response_.result_int()));
    } else if (sympozium::webhook_load::Match(c, uid_, response_.body(), &why) < 0) {
      ++r.wrong;
      r.Problem(c.name + " " + uid_ + ": " + why);
    } else {
      ++r.per_case[c.name];
    }
    if (run_->Finished()) return io_.stop();
    if (!response_.keep_alive()) return Reopen();
    TakeNext();
  }

  // The request in flight is lost with the connection; open a new one.
  void Lost(const char* step, beast::error_code ec) {
    ++run_->results.lost;
    run_->results.Problem(CurrentCase().name + " " + uid_ + ": " + step + ": " + ec.message());
    if (run_->Finished()) return io_.stop();
    Reopen();
  }

  void Retry(const char* step, beast::error_code ec) {
    ++run_->results.connect_failures;
    run_->results.Problem(std::string(step) + ": " + ec.message());
    timer_.expires_after(kReconnectDelay);
    timer_.async_wait([this](beast::error_code ec) {
      if (!ec) Connect();
    });
  }

  void Reopen() {
    beast::error_code ignored;
    beast::get_lowest_layer(*stream_).socket().close(ignored);
    buffer_.clear();
    Connect();
  }

  asio::io_context& io_;
  ssl::context& tls_;
  tcp::resolver::results_type endpoints_;
  Run* run_;
  asio::steady_timer timer_;
  std::optional<beast::ssl_stream<beast::tcp_stream>> stream_;
  beast::flat_buffer buffer_;
  http::request<http::string_body> request_;
  http::response<http::string_body> response_;
  long current_ = -1;
  std::string uid_;
  Clock::time_point sent_;
};

// Nearest rank: the smallest sample with at least `p` of them at or below it.
double PercentileMs(const std::vector<int64_t>& sorted, double p) {
  if (sorted.empty()) return 0;
  size_t rank = static_cast<size_t>(std::ceil(p * static_cast<double>(sorted.size())));
  return static_cast<double>(sorted[std::clamp<size_t>(rank, 1, sorted.size()) - 1]) / 1e6;
}

// CPU seconds this process has used, user and system, all threads.
double CpuSeconds() {
  struct rusage usage;
  getrusage(RUSAGE_SELF, &usage);
  auto seconds = [](const timeval& t) { return static_cast<double>(t.tv_sec) + t.tv_usec / 1e6; };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

// The generator's own cost, beside the figures it measures: it shares the
// cores with the server.
struct ClientCpu {
  double seconds = 0;  // CPU from the first connection to the last answer
  double wall = 0;
};

std::string Summary(const Flags& flags, Run& run, const ClientCpu& cpu) {
  Results& r = run.results;
  std::sort(r.latency_ns.begin(), r.latency_ns.end());
  std::sort(r.send_lag_ns.begin(), r.send_lag_ns.end());
  const Schedule& s = run.schedule;
  long timed = static_cast<long>(r.latency_ns.size());
  // Timed answers over the time from the first timed request's due time to
  // the last answer: below the rate asked when the server falls behind.
  double window = run.started && timed > 0
                      ? std::chrono::duration<double>(r.last_answer - s.Due(s.warmup)).count()
                      : 0;
  long unanswered = s.total - r.answered - r.lost;
  long connection = r.lost + r.connect_failures;
  long errors = r.http_errors + connection + r.wrong + unanswered;
  char buf[1024];
  std::snprintf(
      buf, sizeof(buf),
      "{\"rate\":%.0f,\"connections\":%d,\"seconds\":%.3f,\"warmup_seconds\":%.3f,"
      "\"requests\":%ld,\"timed\":%ld,\"achieved_per_second\":%.1f,"
      "\"errors\":{\"total\":%ld,\"http\":%ld,\"connection\":%ld,\"wrong\":%ld,"
      "\"unanswered\":%ld},"
      "\"latency_ms\":{\"p50\":%.3f,\"p90\":%.3f,\"p99\":%.3f,\"p999\":%.3f,\"max\":%.3f},"
      "\"send_lag_ms\":{\"p50\":%.3f,\"p99\":%.3f,\"max\":%.3f},"
      "\"client_cpu\":{\"seconds\":%.3f,\"percent\":%.1f,\"us_per_request\":%.1f}",
      flags.rate, flags.connections, flags.seconds, flags.warmup_seconds, s.total, timed,
      window > 0 ? static_cast<double>(timed) / std::max(window, flags.seconds) : 0.0, errors,
      r.http_errors, connection, r.wrong, unanswered, PercentileMs(r.latency_ns, 0.5),
      PercentileMs(r.latency_ns, 0.9), PercentileMs(r.latency_ns, 0.99),
      PercentileMs(r.latency_ns, 0.999), PercentileMs(r.latency_ns, 1.0),
      PercentileMs(r.send_lag_ns, 0.5), PercentileMs(r.send_lag_ns, 0.99),
      PercentileMs(r.send_lag_ns, 1.0), cpu.seconds,
      cpu.wall > 0 ? 100 * cpu.seconds / cpu.wall : 0.0,
      r.answered > 0 ? 1e6 * cpu.seconds / static_cast<double>(r.answered) : 0.0);
  std::string out = buf;
  out += ",\"answers\":{";
  bool first = true;
  for (const auto& [name, count] : r.per_case) {
    if (!first) out += ',';
    first = false;
    sympozium::AppendJsonString(&out, name);
    out += ':' + std::to_string(count);
  }
  out += "}}";
  return out;
}

bool ParseFlags(int argc, char** argv, Flags* f) {
  auto more = [f](const std::string& name, const std::string& value) {
    if (name == "--rate")
      f->rate = std::atof(value.c_str());
    else if (name == "--seconds")
      f->seconds = std::atof(value.c_str());
    else if (name == "--warmup-seconds")
      f->warmup_seconds = std::atof(value.c_str());
    else
      return false;
    return true;
  };
  return sympozium::webhook_load::ParseClientFlags(argc, argv, f, more) && f->rate > 0 &&
         f->seconds > 0 && f->warmup_seconds >= 0;
}

}  // namespace

int main(int argc, char** argv) {
  Flags flags;
  if (!ParseFlags(argc, argv, &flags)) {
    std::fprintf(stderr,
                 "usage: webhook_open_loop --port P --ca CERT --cases FILE --rate R --seconds S "
                 "[--warmup-seconds W] [--connections N] [--host H]\n");
    return 2;
  }
  std::vector<Case> cases;
  std::string error;
  if (!sympozium::webhook_load::LoadCases(flags.cases, &cases, &error) || cases.empty()) {
    std::fprintf(stderr, "webhook_open_loop: %s\n", error.empty() ? "no cases" : error.c_str());
    return 2;
  }
  // Before `run`: the connections' streams must go before their io_context.
  asio::io_context io(1);
  ssl::context tls(ssl::context::tls_client);
  Run run;
  run.flags = &flags;
  run.cases = &cases;
  run.schedule.rate = flags.rate;
  run.schedule.warmup = std::lround(flags.warmup_seconds * flags.rate);
  run.schedule.total = run.schedule.warmup + std::lround(flags.seconds * flags.rate);

  beast::error_code ec;
  tls.load_verify_file(flags.ca, ec);
  if (ec) {
    std::fprintf(stderr, "webhook_open_loop: %s: %s\n", flags.ca.c_str(), ec.message().c_str());
    return 2;
  }
  tls.set_verify_mode(ssl::verify_peer);
  tcp::resolver::results_type endpoints =
      tcp::resolver(io).resolve(flags.host, std::to_string(flags.port), ec);
  if (ec) {
    std::fprintf(stderr, "webhook_open_loop: %s: %s\n", flags.host.c_str(), ec.message().c_str());
    return 2;
  }
  for (int i = 0; i < flags.connections; ++i)
    run.connections.push_back(std::make_unique<Connection>(io, tls, endpoints, &run));
  for (std::unique_ptr<Connection>& c : run.connections) c->Connect();

  // However the server behaves, stop once every request has had its time.
  asio::steady_timer watchdog(io);
  watchdog.expires_after(std::chrono::duration_cast<Clock::duration>(
                             std::chrono::duration<double>(flags.warmup_seconds + flags.seconds)) +
                         2 * kRequestTimeout);
  watchdog.async_wait([&io](beast::error_code) { io.stop(); });
  ClientCpu cpu;
  double cpu_before = CpuSeconds();
  Clock::time_point wall_before = Clock::now();
  io.run();  // until the last request is answered or lost, or the watchdog
  cpu.seconds = CpuSeconds() - cpu_before;
  cpu.wall = std::chrono::duration<double>(Clock::now() - wall_before).count();

  std::printf("%s\n", Summary(flags, run, cpu).c_str());
  for (const std::string& p : run.results.problems)
    std::fprintf(stderr, "webhook_open_loop: %s\n", p.c_str());
  const Results& r = run.results;
  bool clean = r.answered == run.schedule.total && r.connect_failures == 0 && r.http_errors == 0 &&
               r.wrong == 0;
  return clean ? 0 : 1;
}
