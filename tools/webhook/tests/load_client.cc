// webhook_load: a keep-alive HTTPS load client for the webhook test. It
// sends AdmissionReviews round-robin from a cases file over N connections,
// checks every answer against the case's acceptable answers, and prints one
// JSON summary line: counts, throughput and latency percentiles.
//
//   webhook_load --port P --ca CERT --cases FILE [--host H] [--connections N]
//                [--requests N] [--seconds S]
//
// The cases file is described in load_cases.h. It stops after --requests in
// all (0: no limit) or --seconds.
// Exit status 1 when any answer was wrong or missing.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "httplib.h"
#include "sympozium/json.h"
#include "tools/webhook/tests/load_cases.h"

namespace {

using Clock = std::chrono::steady_clock;
using sympozium::webhook_load::Case;

struct Flags : sympozium::webhook_load::ClientFlags {
  Flags() { connections = 8; }
  long requests = 20000;
  double seconds = 0;
};

struct Totals {
  std::mutex mu;
  long ok = 0, bad = 0, lost = 0;
  std::vector<double> latency_ms;
  std::map<std::string, std::vector<long>> matched;  // case -> count per expectation
  std::vector<std::string> problems;                 // the first few, for the log
};

void Worker(const Flags& flags, const std::vector<Case>& cases, std::atomic<long>* next,
            Clock::time_point deadline, Totals* totals) {
  httplib::SSLClient client(flags.host, flags.port);
  client.set_ca_cert_path(flags.ca.c_str());
  client.enable_server_certificate_verification(true);
  client.set_keep_alive(true);
  client.set_tcp_nodelay(true);  // headers and body go out as separate TLS records
  client.set_read_timeout(10, 0);
  long ok = 0, bad = 0, lost = 0;
  std::vector<double> latency;
  std::map<std::string, std::vector<long>> matched;
  std::vector<std::string> problems;
  for (;;) {
    if (flags.seconds > 0 && Clock::now() >= deadline) break;
    long n = (*next)++;
    if (flags.requests > 0 && n >= flags.requests) break;
    const Case& c = cases[static_cast<size_t>(n) % cases.size()];
    std::string uid = "load-" + std::to_string(n);
    std::string body = c.Body(uid);
    Clock::time_point start = Clock::now();
    httplib::Result res = client.Post(c.path.c_str(), body, "application/json");
    latency.push_back(std::chrono::duration<double, std::milli>(Clock::now() - start).count());
    std::string why;
    int which = -1;
    if (!res) {
      ++lost;
      why = "no answer: " + httplib::to_string(res.error());
    } else if (res->status != 200) {
      why = "HTTP " + std::to_string(res->status) + ": " + res->body;
    } else {
      which = sympozium::webhook_load::Match(c, uid, res->body, &why);
    }
    if (which >= 0) {
      ++ok;
      std::vector<long>& counts = matched[c.name];
      counts.resize(c.expect.size());
      ++counts[static_cast<size_t>(which)];
    } else {
      if (res) ++bad;
      if (problems.size() < 5) problems.push_back(c.name + " " + uid + ": " + why);
    }
  }
  std::lock_guard<std::mutex> lock(totals->mu);
  totals->ok += ok;
  totals->bad += bad;
  totals->lost += lost;
  totals->latency_ms.insert(totals->latency_ms.end(), latency.begin(), latency.end());
  for (const auto& [name, counts] : matched) {
    std::vector<long>& into = totals->matched[name];
    into.resize(std::max(into.size(), counts.size()));
    for (size_t i = 0; i < counts.size(); ++i) into[i] += counts[i];
  }
  totals->problems.insert(totals->problems.end(), problems.begin(), problems.end());
}

double Percentile(const std::vector<double>& sorted, double p) {
  if (sorted.empty()) return 0;
  size_t i = static_cast<size_t>(p * static_cast<double>(sorted.size() - 1) + 0.5);
  return sorted[std::min(i, sorted.size() - 1)];
}

bool ParseFlags(int argc, char** argv, Flags* f) {
  auto more = [f](const std::string& name, const std::string& value) {
    if (name == "--requests")
      f->requests = std::atol(value.c_str());
    else if (name == "--seconds")
      f->seconds = std::atof(value.c_str());
    else
      return false;
    return true;
  };
  return sympozium::webhook_load::ParseClientFlags(argc, argv, f, more) &&
         (f->requests > 0 || f->seconds > 0);
}

}  // namespace

int main(int argc, char** argv) {
  Flags flags;
  if (!ParseFlags(argc, argv, &flags)) {
    std::fprintf(stderr,
                 "usage: webhook_load --port P --ca CERT --cases FILE [--host H] "
                 "[--connections N] [--requests N] [--seconds S]\n");
    return 2;
  }
  std::vector<Case> cases;
  std::string error;
  if (!sympozium::webhook_load::LoadCases(flags.cases, &cases, &error) || cases.empty()) {
    std::fprintf(stderr, "webhook_load: %s\n", error.empty() ? "no cases" : error.c_str());
    return 2;
  }

  Totals totals;
  std::atomic<long> next{0};
  Clock::time_point start = Clock::now();
  Clock::time_point deadline = start + std::chrono::duration_cast<Clock::duration>(
                                           std::chrono::duration<double>(flags.seconds));
  std::vector<std::thread> workers;
  for (int i = 0; i < flags.connections; ++i)
    workers.emplace_back(Worker, std::cref(flags), std::cref(cases), &next, deadline, &totals);
  for (std::thread& t : workers) t.join();
  double seconds = std::chrono::duration<double>(Clock::now() - start).count();

  std::sort(totals.latency_ms.begin(), totals.latency_ms.end());
  long sent = totals.ok + totals.bad + totals.lost;
  std::string out =
      "{\"requests\":" + std::to_string(sent) + ",\"ok\":" + std::to_string(totals.ok) +
      ",\"bad\":" + std::to_string(totals.bad) + ",\"lost\":" + std::to_string(totals.lost) +
      ",\"connections\":" + std::to_string(flags.connections);
  char buf[256];
  std::snprintf(buf, sizeof(buf),
                ",\"seconds\":%.3f,\"per_second\":%.0f,\"latency_ms\":{\"p50\":%.3f,\"p90\":%.3f,"
                "\"p99\":%.3f,\"max\":%.3f}",
                seconds, static_cast<double>(sent) / seconds, Percentile(totals.latency_ms, 0.5),
                Percentile(totals.latency_ms, 0.9), Percentile(totals.latency_ms, 0.99),
                totals.latency_ms.empty() ? 0.0 : totals.latency_ms.back());
  out += buf;
  out += ",\"matched\":{";
  bool first = true;
  for (const auto& [name, counts] : totals.matched) {
    if (!first) out += ',';
    first = false;
    sympozium::AppendJsonString(&out, name);
    out += ":[";
    for (size_t i = 0; i < counts.size(); ++i) out += (i ? "," : "") + std::to_string(counts[i]);
    out += ']';
  }
  out += "}}";
  std::printf("%s\n", out.c_str());
  for (const std::string& p : totals.problems)
    std::fprintf(stderr, "webhook_load: %s\n", p.c_str());
  return totals.bad == 0 && totals.lost == 0 ? 0 : 1;
}
