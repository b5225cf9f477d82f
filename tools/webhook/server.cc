#include "tools/webhook/server.h"

#include <cctype>
#include <chrono>
#include <exception>
#include <string_view>
#include <utility>

namespace sympozium::webhook {
namespace {

// The metrics label for a path: the endpoints by name, anything else as
// "other" so stray paths cannot grow the label set.
std::string_view EndpointLabel(const std::string& path) {
  for (std::string_view known : {"/validate", "/mutate", "/healthz", "/readyz", "/metrics"})
    if (path == known) return known;
  return "other";
}

bool IsJson(const std::string& content_type) {
  std::string media = content_type.substr(0, content_type.find(';'));
  while (!media.empty() && media.back() == ' ') media.pop_back();
  for (char& c : media) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return media == "application/json";
}

// The answer to one review body, with its metrics and decision-log line.
AdmissionResult Answer(const HttpRequest& req, const PolicyStore* store,
                       const AdmissionOptions& options, std::string_view label, Metrics* metrics,
                       DecisionLog* decisions) {
  if (!IsJson(req.content_type)) {
    AdmissionResult refused;
    refused.http_status = 415;
    refused.body = AdmissionErrorBody(
        415, "Content-Type must be application/json, not \"" + req.content_type + "\"");
    return refused;
  }
  PolicySetPtr set = store->Current();  // this request's set, whatever reloads meanwhile
  auto start = std::chrono::steady_clock::now();
  AdmissionResult result =
      ReviewAdmission(req.body, set->generation == 0 ? nullptr : set.get(), options);
  auto micros = std::chrono::duration_cast<std::chrono::microseconds>(
                    std::chrono::steady_clock::now() - start)
                    .count();
  if (result.answered) {
    metrics->ObserveAdmission(label, result);
    if (decisions != nullptr)
      decisions->Submit(DecisionLogLine(result, label, std::chrono::system_clock::now(), micros));
  }
  return result;
}

}  // namespace

void InstallRoutes(HttpRoutes* server, const PolicyStore* store, Metrics* metrics,
                   const AdmissionOptions& options, DecisionLog* decisions,
                   std::function<void(const std::string&)> log) {
  server->set_logger([metrics](const HttpRequest& req, const HttpResponse& res, double seconds) {
    metrics->ObserveRequest(EndpointLabel(req.path), res.status, seconds);
  });
  // Answers the routes or the transport made up (unknown path 404, body
  // too large 413, ...) come with an empty body; give them a JSON one.
  server->set_error_handler([](const HttpRequest& req, HttpResponse& res) {
    if (!res.body.empty()) return;
    std::string message;
    if (res.status == 413)
      message = "the request body is larger than --max-body-bytes";
    else if (res.status == 404)
      message = "no endpoint " + req.method + " " + req.path;
    else if (res.status == 503)
      message = "too many request bodies in flight; retry";
    else
      message = "the request could not be read (HTTP " + std::to_string(res.status) +
                "): malformed, or not sent in full within --timeout-seconds";
    res.set_content(AdmissionErrorBody(res.status, message), "application/json");
  });
  server->set_exception_handler(
      [log = std::move(log)](const HttpRequest&, HttpResponse& res, std::exception_ptr ep) {
        std::string what = "unknown exception";
        try {
          std::rethrow_exception(ep);
        } catch (const std::exception& e) {
          what = e.what();
        } catch (...) {
        }
        log("internal error: " + what);
        res.status = 500;
        res.set_content(AdmissionErrorBody(500, "internal error: " + what), "application/json");
      });

  auto review = [store, metrics, options, decisions](AdmissionEndpoint endpoint,
                                                     std::string_view label) {
    AdmissionOptions at = options;
    at.endpoint = endpoint;
    return [store, metrics, at, decisions, label](const HttpRequest& req, HttpResponse& res) {
      AdmissionResult result = Answer(req, store, at, label, metrics, decisions);
      res.status = result.http_status;
      res.set_content(result.body, "application/json");
    };
  };
  server->Post("/validate", review(AdmissionEndpoint::kValidate, "/validate"));
  server->Post("/mutate", review(AdmissionEndpoint::kMutate, "/mutate"));
  InstallProbeRoutes(server, store, metrics);
}

void InstallProbeRoutes(HttpRoutes* server, const PolicyStore* store, Metrics* metrics) {
  server->Get("/healthz",
              [](const HttpRequest&, HttpResponse& res) { res.set_content("ok\n", "text/plain"); });
  server->Get("/readyz", [store](const HttpRequest&, HttpResponse& res) {
    uint64_t generation = store->generation();
    if (generation == 0) {
      res.status = 503;
      res.set_content("not ready: no policy set loaded\n", "text/plain");
    } else {
      res.set_content("ready: generation " + std::to_string(generation) + "\n", "text/plain");
    }
  });
  server->Get("/metrics", [store, metrics](const HttpRequest&, HttpResponse& res) {
    res.set_content(metrics->Render(store->generation()), "text/plain; version=0.0.4");
  });
}

}  // namespace sympozium::webhook
