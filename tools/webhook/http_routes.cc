#include "tools/webhook/http_routes.h"

namespace sympozium::webhook {

void HttpRoutes::Get(const std::string& path, HttpHandler handler) {
  handlers_[{"GET", path}] = std::move(handler);
}

void HttpRoutes::Post(const std::string& path, HttpHandler handler) {
  handlers_[{"POST", path}] = std::move(handler);
}

HttpResponse HttpRoutes::Route(const HttpRequest& request) const {
  auto it = handlers_.find({request.method, request.path});
  if (it == handlers_.end()) return Refuse(request, 404);
  HttpResponse response;
  try {
    it->second(request, response);
  } catch (...) {
    response = HttpResponse();
    response.status = 500;
    if (exception_) exception_(request, response, std::current_exception());
  }
  return response;
}

HttpResponse HttpRoutes::Refuse(const HttpRequest& request, int status) const {
  HttpResponse response;
  response.status = status;
  if (error_handler_) error_handler_(request, response);
  return response;
}

void HttpRoutes::Log(const HttpRequest& request, const HttpResponse& response,
                     double seconds) const {
  if (logger_) logger_(request, response, seconds);
}

}  // namespace sympozium::webhook
