// The webhook's HTTP surface: endpoints, metrics hooks and error answers,
// installed on a cpp-httplib server. main.cc owns the transport (TLS,
// timeouts, threads, signals); keeping routing apart lets the TSan test
// serve the same handlers in-process over plain HTTP, without OpenSSL.
#ifndef SYMPOZIUM_TOOLS_WEBHOOK_SERVER_H_
#define SYMPOZIUM_TOOLS_WEBHOOK_SERVER_H_

#include <functional>
#include <string>

#include "tools/webhook/admission.h"
#include "tools/webhook/metrics.h"
#include "httplib.h"
#include "sympozium/policy_store.h"

namespace sympozium::webhook {

// POST /validate and /mutate, GET /healthz, /readyz and /metrics on
// `server`. Each review evaluates against the set `store` holds when it
// starts; `store` and `metrics` must outlive the server. `log` gets one
// line per handler exception.
void InstallRoutes(httplib::Server* server, const PolicyStore* store, Metrics* metrics,
                   const ReviewOptions& options, std::function<void(const std::string&)> log);

}  // namespace sympozium::webhook

#endif  // SYMPOZIUM_TOOLS_WEBHOOK_SERVER_H_
