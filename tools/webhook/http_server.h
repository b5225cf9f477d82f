// HttpServer: HTTP/1.1 (and HTTPS) on Boost.Beast, event-driven: a few io
// threads carry every connection and answer small requests themselves, and
// handlers of large bodies run on a separate fixed pool, so a slow or idle
// client costs a socket and a few kilobytes, never a thread.
//
// Each request has one deadline for all of it (TLS handshake, headers and
// body); a keep-alive connection waits for its next request at most the idle
// timeout. A body larger than the limit is refused with 413 from its
// Content-Length, before it is read; bodies being read or answered share a
// byte budget, and a request that does not fit gets 503 with Retry-After.
// Connections are limited in all and per client address. Pipelined requests
// are answered in order. Routing and every answer body are the HttpRoutes'.
#ifndef SYMPOZIUM_TOOLS_WEBHOOK_HTTP_SERVER_H_
#define SYMPOZIUM_TOOLS_WEBHOOK_HTTP_SERVER_H_

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>

#include "tools/webhook/http_routes.h"
#include "tools/webhook/tls_contexts.h"

namespace sympozium::webhook {

struct HttpServerOptions {
  // Each carries its share of the connections: as many as the cores.
  int io_threads = 2;
  int handler_threads = 4;  // for the bodies larger than inline_body_bytes
  // Requests with a body up to this size are handled on the io thread that
  // read them: an admission review of a few kilobytes is answered in
  // microseconds, less than the two thread switches to the pool and back
  // cost. Larger bodies, which take milliseconds to parse, go to the pool so
  // they cannot hold up the io thread's other connections.
  size_t inline_body_bytes = 64 << 10;
  // TLS handshake, headers and body of one request, and writing its answer.
  std::chrono::milliseconds request_timeout{10000};
  std::chrono::milliseconds idle_timeout{5000};  // between keep-alive requests
  size_t max_connections = 4096;
  size_t max_connections_per_client = 512;
  size_t max_body_bytes = 8 << 20;
  size_t max_inflight_body_bytes = 64 << 20;  // across connections; >= max_body_bytes
  size_t max_header_bytes = 16 << 10;
  // How often TLS listeners look for a changed certificate (0: never).
  std::chrono::milliseconds tls_reload_interval{1000};
  // One line per event worth an operator's look; must be set.
  std::function<void(const std::string&)> log;
};

class HttpServer {
 public:
  explicit HttpServer(HttpServerOptions options);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Listens on `host`:`port` (0: a free port) and serves `routes` there,
  // over TLS when `tls` is not null. Both must outlive the server. Returns
  // the port, or -1 with `*error` (the port taken, for one: the socket is
  // exclusive, so a second server on the same port fails here).
  int Listen(const std::string& host, int port, const HttpRoutes* routes, TlsContexts* tls,
             std::string* error);
  // Serves until Stop(); returns at once when already stopped, and only
  // after every handler has returned. Call it once.
  void Run();
  // From any thread (a signal handler's thread, say): Run() returns soon
  // after, without waiting for open connections.
  void Stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace sympozium::webhook

#endif  // SYMPOZIUM_TOOLS_WEBHOOK_HTTP_SERVER_H_
