// Metrics: the webhook's counters and latency histogram, rendered in the
// Prometheus text exposition format (version 0.0.4) for /metrics.
#ifndef SYMPOZIUM_TOOLS_WEBHOOK_METRICS_H_
#define SYMPOZIUM_TOOLS_WEBHOOK_METRICS_H_

#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "sympozium/admission.h"

namespace sympozium::webhook {

class Metrics {
 public:
  // Upper bounds of the latency buckets, in seconds (+Inf is implicit).
  static constexpr std::array<double, 14> kBuckets = {
      0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5};

  // One HTTP request answered. `seconds` < 0: the latency is unknown (a
  // request httplib rejected before routing), so only the counter moves.
  void ObserveRequest(std::string_view endpoint, int http_status, double seconds);
  // One AdmissionReview answered (an HTTP error is not one): its result and
  // code, and whether it would have been denied (counted by enforcement
  // mode and code) or its shadow mode disagreed.
  void ObserveAdmission(std::string_view endpoint, const AdmissionResult& result);
  // Decision-log lines dropped (a full queue, a failed write).
  void ObserveDecisionLogDrops(uint64_t lines);
  void ObserveReload(bool ok);
  // A serving certificate rebuilt after its files changed, or not.
  void ObserveCertificateReload(bool ok);

  // Appends `render()` to every Render: the series of a part that keeps its
  // own counters (the API-server watch).
  void AddSection(std::function<std::string()> render);

  // The exposition text; `generation` is the policy set being served
  // (0: none loaded yet).
  std::string Render(uint64_t generation) const;

 private:
  struct Histogram {
    std::array<uint64_t, kBuckets.size() + 1> counts{};  // not cumulative; last is +Inf
    double sum = 0;
    uint64_t count = 0;
  };

  // Request rates are a few thousand a second at most, so one mutex costs
  // less than the TLS record around each answer.
  mutable std::mutex mu_;
  std::map<std::tuple<std::string, int>, uint64_t> requests_;
  std::map<std::tuple<std::string, std::string, std::string>, uint64_t> decisions_;
  std::map<std::tuple<std::string, std::string>, uint64_t> would_deny_;  // enforcement, code
  std::map<std::string, uint64_t> shadow_disagreements_;                 // by shadow mode
  uint64_t decision_log_drops_ = 0;
  std::map<std::string, Histogram> latency_;
  uint64_t reloads_ = 0;
  uint64_t reload_failures_ = 0;
  std::vector<std::function<std::string()>> sections_;
  uint64_t certificate_reloads_ = 0;
  uint64_t certificate_reload_failures_ = 0;
};

}  // namespace sympozium::webhook

#endif  // SYMPOZIUM_TOOLS_WEBHOOK_METRICS_H_
