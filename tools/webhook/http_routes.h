// HttpRoutes: the requests and answers of the webhook's transport, and the
// table that routes one to its handler. It knows methods and paths only; what
// an endpoint answers, and what an error body looks like, are the caller's
// (server.cc), so the transport (http_server.h) holds no admission rule.
#ifndef SYMPOZIUM_TOOLS_WEBHOOK_HTTP_ROUTES_H_
#define SYMPOZIUM_TOOLS_WEBHOOK_HTTP_ROUTES_H_

#include <exception>
#include <functional>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace sympozium::webhook {

struct HttpRequest {
  std::string method;  // "GET", "POST", ...
  std::string path;    // the target without its query
  std::string content_type;
  std::string body;
  std::string peer;  // the client's address, without the port
};

struct HttpResponse {
  int status = 200;
  std::string content_type;
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  // extra ones, e.g. Retry-After

  void set_content(std::string content, std::string type) {
    body = std::move(content);
    content_type = std::move(type);
  }
};

using HttpHandler = std::function<void(const HttpRequest&, HttpResponse&)>;

class HttpRoutes {
 public:
  using ExceptionHandler =
      std::function<void(const HttpRequest&, HttpResponse&, std::exception_ptr)>;
  // Called once per answer written; `seconds` runs from the request's
  // headers being read to its answer being written.
  using Logger = std::function<void(const HttpRequest&, const HttpResponse&, double seconds)>;

  void Get(const std::string& path, HttpHandler handler);
  void Post(const std::string& path, HttpHandler handler);
  // Gets every answer the routes or the transport made up (404 for no
  // route, 413, 400, 503, ...) with its status set and an empty body, to
  // fill in.
  void set_error_handler(HttpHandler handler) { error_handler_ = std::move(handler); }
  // Gets a handler's exception, to answer it.
  void set_exception_handler(ExceptionHandler handler) { exception_ = std::move(handler); }
  void set_logger(Logger logger) { logger_ = std::move(logger); }

  // The answer to `request`: its handler's, or 404. Safe from any thread
  // once the routes are installed.
  HttpResponse Route(const HttpRequest& request) const;
  // The answer for a request the transport refuses with `status`.
  HttpResponse Refuse(const HttpRequest& request, int status) const;
  void Log(const HttpRequest& request, const HttpResponse& response, double seconds) const;

 private:
  std::map<std::pair<std::string, std::string>, HttpHandler> handlers_;  // (method, path)
  HttpHandler error_handler_;
  ExceptionHandler exception_;
  Logger logger_;
};

}  // namespace sympozium::webhook

#endif  // SYMPOZIUM_TOOLS_WEBHOOK_HTTP_ROUTES_H_
