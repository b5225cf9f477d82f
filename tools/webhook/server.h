// The webhook's HTTP surface: endpoints, metrics hooks and error answers,
// installed on HttpRoutes. main.cc owns the transport (HttpServer, TLS,
// signals); keeping routing apart lets the TSan test serve the same
// handlers in-process over plain HTTP, without OpenSSL.
#ifndef SYMPOZIUM_TOOLS_WEBHOOK_SERVER_H_
#define SYMPOZIUM_TOOLS_WEBHOOK_SERVER_H_

#include <functional>
#include <string>

#include "sympozium/admission.h"
#include "sympozium/policy_store.h"
#include "tools/webhook/decision_log.h"
#include "tools/webhook/http_routes.h"
#include "tools/webhook/metrics.h"

namespace sympozium::webhook {

// POST /validate and /mutate, GET /healthz, /readyz and /metrics on
// `server`. Each review is answered by the library (ReviewAdmission, with
// `options` and the endpoint's AdmissionEndpoint) against the set `store`
// holds when it starts; `decisions` (null: no decision log) gets one line
// per AdmissionReview answered. `store`, `metrics` and `decisions` must
// outlive the server. `log` gets one line per handler exception.
void InstallRoutes(HttpRoutes* server, const PolicyStore* store, Metrics* metrics,
                   const AdmissionOptions& options, DecisionLog* decisions,
                   std::function<void(const std::string&)> log);

// GET /healthz, /readyz and /metrics only, which InstallRoutes includes:
// for a plain-HTTP port that must not answer reviews.
void InstallProbeRoutes(HttpRoutes* server, const PolicyStore* store, Metrics* metrics);

}  // namespace sympozium::webhook

#endif  // SYMPOZIUM_TOOLS_WEBHOOK_SERVER_H_
