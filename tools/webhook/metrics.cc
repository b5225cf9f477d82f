#include "tools/webhook/metrics.h"

#include <cstdio>

#include "sympozium/version.h"

namespace sympozium::webhook {
namespace {

// A label value, escaped as the exposition format asks.
std::string Label(std::string_view name, std::string_view value) {
  std::string out(name);
  out += "=\"";
  for (char c : value) {
    if (c == '\\' || c == '"') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  out += '"';
  return out;
}

std::string Number(double v) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%.9g", v);
  return buf;
}

void Header(std::string* out, const char* name, const char* type, const char* help) {
  *out += "# HELP ";
  *out += name;
  *out += ' ';
  *out += help;
  *out += "\n# TYPE ";
  *out += name;
  *out += ' ';
  *out += type;
  *out += '\n';
}

void Sample(std::string* out, std::string_view name, const std::string& labels,
            const std::string& value) {
  *out += name;
  if (!labels.empty()) *out += "{" + labels + "}";
  *out += ' ';
  *out += value;
  *out += '\n';
}

// A series with one sample.
void Single(std::string* out, const char* name, const char* type, const char* help,
            const std::string& labels, const std::string& value) {
  Header(out, name, type, help);
  Sample(out, name, labels, value);
}

}  // namespace

void Metrics::ObserveRequest(std::string_view endpoint, int http_status, double seconds) {
  std::lock_guard<std::mutex> lock(mu_);
  ++requests_[{std::string(endpoint), http_status}];
  if (seconds < 0) return;
  Histogram& h = latency_[std::string(endpoint)];
  size_t bucket = 0;
  while (bucket < kBuckets.size() && seconds > kBuckets[bucket]) ++bucket;
  ++h.counts[bucket];
  h.sum += seconds;
  ++h.count;
}

void Metrics::ObserveAdmission(std::string_view endpoint, const AdmissionResult& result) {
  std::lock_guard<std::mutex> lock(mu_);
  ++decisions_[{std::string(endpoint), std::string(ResultName(result.result)), result.code}];
  if (result.would_deny())
    ++would_deny_[{std::string(EnforcementName(result.enforcement)), result.code}];
  if (result.shadow && result.shadow->disagrees)
    ++shadow_disagreements_[std::string(ModeName(result.shadow->mode))];
}

void Metrics::ObserveDecisionLogDrops(uint64_t lines) {
  std::lock_guard<std::mutex> lock(mu_);
  decision_log_drops_ += lines;
}

void Metrics::ObserveReload(bool ok) {
  std::lock_guard<std::mutex> lock(mu_);
  ++(ok ? reloads_ : reload_failures_);
}

void Metrics::ObserveCertificateReload(bool ok) {
  std::lock_guard<std::mutex> lock(mu_);
  ++(ok ? certificate_reloads_ : certificate_reload_failures_);
}

std::string Metrics::Render(uint64_t generation) const {
  std::lock_guard<std::mutex> lock(mu_);
  std::string out;
  Header(&out, "sympozium_webhook_requests_total", "counter",
         "HTTP requests answered, by endpoint and HTTP status.");
  for (const auto& [key, n] : requests_)
    Sample(&out, "sympozium_webhook_requests_total",
           Label("endpoint", std::get<0>(key)) + "," +
               Label("status", std::to_string(std::get<1>(key))),
           std::to_string(n));

  Header(&out, "sympozium_webhook_decisions_total", "counter",
         "Admission answers, by endpoint, result (allowed, denied, error) and reason code.");
  for (const auto& [key, n] : decisions_)
    Sample(&out, "sympozium_webhook_decisions_total",
           Label("endpoint", std::get<0>(key)) + "," + Label("result", std::get<1>(key)) + "," +
               Label("code", std::get<2>(key)),
           std::to_string(n));

  Header(&out, "sympozium_webhook_would_deny_total", "counter",
         "Answers whose decision was not allowed (denied or error), by enforcement mode and "
         "reason code: refused under deny, let through under warn and audit.");
  for (const auto& [key, n] : would_deny_)
    Sample(&out, "sympozium_webhook_would_deny_total",
           Label("enforcement", std::get<0>(key)) + "," + Label("code", std::get<1>(key)),
           std::to_string(n));

  Header(&out, "sympozium_webhook_shadow_disagreements_total", "counter",
         "Answers where the --shadow-mode decision differed from the enforced one, by shadow "
         "mode.");
  for (const auto& [mode, n] : shadow_disagreements_)
    Sample(&out, "sympozium_webhook_shadow_disagreements_total", Label("mode", mode),
           std::to_string(n));

  Single(&out, "sympozium_webhook_decision_log_dropped_total", "counter",
         "Decision-log lines dropped because the log's queue was full or a write failed.", "",
         std::to_string(decision_log_drops_));

  Header(&out, "sympozium_webhook_request_duration_seconds", "histogram",
         "Time from routing a request (its headers read) to its answer written.");
  for (const auto& [endpoint, h] : latency_) {
    std::string ep = Label("endpoint", endpoint);
    uint64_t cumulative = 0;
    for (size_t i = 0; i <= kBuckets.size(); ++i) {
      cumulative += h.counts[i];
      std::string le = i < kBuckets.size() ? Number(kBuckets[i]) : "+Inf";
      Sample(&out, "sympozium_webhook_request_duration_seconds_bucket", ep + "," + Label("le", le),
             std::to_string(cumulative));
    }
    Sample(&out, "sympozium_webhook_request_duration_seconds_sum", ep, Number(h.sum));
    Sample(&out, "sympozium_webhook_request_duration_seconds_count", ep, std::to_string(h.count));
  }

  Single(&out, "sympozium_webhook_config_reloads_total", "counter",
         "Policy sets loaded and swapped in, the first load included.", "",
         std::to_string(reloads_));
  Single(&out, "sympozium_webhook_config_reload_failures_total", "counter",
         "Loads that failed; the set being served was kept.", "", std::to_string(reload_failures_));
  Single(&out, "sympozium_webhook_certificate_reloads_total", "counter",
         "Serving certificates rebuilt after their files changed.", "",
         std::to_string(certificate_reloads_));
  Single(&out, "sympozium_webhook_certificate_reload_failures_total", "counter",
         "Certificate changes that did not load; the previous certificate was kept.", "",
         std::to_string(certificate_reload_failures_));
  Single(&out, "sympozium_webhook_build_info", "gauge",
         "Always 1; the version label is the library's version.", Label("version", Version()), "1");
  Single(&out, "sympozium_webhook_policy_generation", "gauge",
         "Generation of the policy set being served (0: none loaded yet).", "",
         std::to_string(generation));
  for (const auto& section : sections_) out += section();
  return out;
}

void Metrics::AddSection(std::function<std::string()> render) {
  std::lock_guard<std::mutex> lock(mu_);
  sections_.push_back(std::move(render));
}

}  // namespace sympozium::webhook
