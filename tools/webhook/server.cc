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

// When the request being answered on this thread reached routing; the
// logger, which httplib calls after writing every response on the same
// thread, turns it into the latency.
thread_local std::chrono::steady_clock::time_point request_start;
thread_local bool request_started = false;

}  // namespace

void InstallRoutes(httplib::Server* server, const PolicyStore* store, Metrics* metrics,
                   const ReviewOptions& options, std::function<void(const std::string&)> log) {
  server->set_pre_routing_handler([](const httplib::Request&, httplib::Response&) {
    request_start = std::chrono::steady_clock::now();
    request_started = true;
    return httplib::Server::HandlerResponse::Unhandled;
  });
  server->set_logger([metrics](const httplib::Request& req, const httplib::Response& res) {
    double seconds = -1;
    if (request_started)
      seconds =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - request_start).count();
    request_started = false;
    metrics->ObserveRequest(EndpointLabel(req.path), res.status, seconds);
  });
  // httplib's own rejections (unknown path 404, body too large 413, ...)
  // come with an empty body; give them a JSON one.
  server->set_error_handler(
      httplib::Server::HandlerWithResponse([](const httplib::Request& req, httplib::Response& res) {
        if (!res.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
        std::string message;
        if (res.status == 413)
          message = "the request body is larger than --max-body-bytes";
        else if (res.status == 404)
          message = "no endpoint " + req.method + " " + req.path;
        else
          message = "the request could not be read (HTTP " + std::to_string(res.status) +
                    "): malformed, or not sent in full within --timeout-seconds";
        res.set_content(HttpError(res.status, message).body, "application/json");
        return httplib::Server::HandlerResponse::Handled;
      }));
  server->set_exception_handler([log = std::move(log)](const httplib::Request&,
                                                       httplib::Response& res,
                                                       std::exception_ptr ep) {
    std::string what = "unknown exception";
    try {
      std::rethrow_exception(ep);
    } catch (const std::exception& e) {
      what = e.what();
    } catch (...) {
    }
    log("internal error: " + what);
    HttpReply reply = HttpError(500, "internal error: " + what);
    res.status = reply.status;
    res.set_content(reply.body, "application/json");
  });

  auto review = [store, metrics, options](Endpoint endpoint, std::string_view label) {
    return [store, metrics, options, endpoint, label](const httplib::Request& req,
                                                      httplib::Response& res) {
      HttpReply reply;
      if (!IsJson(req.get_header_value("Content-Type"))) {
        reply = HttpError(415, "Content-Type must be application/json, not \"" +
                                   req.get_header_value("Content-Type") + "\"");
      } else {
        PolicySetPtr set = store->Current();  // this request's set, whatever reloads meanwhile
        Outcome outcome;
        reply = Review(endpoint, req.body, set->generation == 0 ? nullptr : set.get(), options,
                       &outcome);
        if (!outcome.result.empty()) metrics->ObserveDecision(label, outcome.result, outcome.code);
      }
      res.status = reply.status;
      res.set_content(reply.body, "application/json");
    };
  };
  server->Post("/validate", review(Endpoint::kValidate, "/validate"));
  server->Post("/mutate", review(Endpoint::kMutate, "/mutate"));
  server->Get("/healthz", [](const httplib::Request&, httplib::Response& res) {
    res.set_content("ok\n", "text/plain");
  });
  server->Get("/readyz", [store](const httplib::Request&, httplib::Response& res) {
    uint64_t generation = store->generation();
    if (generation == 0) {
      res.status = 503;
      res.set_content("not ready: no policy set loaded\n", "text/plain");
    } else {
      res.set_content("ready: generation " + std::to_string(generation) + "\n", "text/plain");
    }
  });
  server->Get("/metrics", [store, metrics](const httplib::Request&, httplib::Response& res) {
    res.set_content(metrics->Render(store->generation()), "text/plain; version=0.0.4");
  });
}

}  // namespace sympozium::webhook
