#include "tools/webhook/http_server.h"

#include <malloc.h>

#include <algorithm>
#include <atomic>
#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <cctype>
#include <mutex>
#include <optional>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <utility>
#include <vector>

namespace sympozium::webhook {
namespace {

namespace net = boost::asio;
namespace ssl = boost::asio::ssl;
namespace beast = boost::beast;
namespace http = boost::beast::http;
using tcp = boost::asio::ip::tcp;
using TlsStream = beast::ssl_stream<beast::tcp_stream>;
using Clock = std::chrono::steady_clock;

// A refused request's body may still be on its way; reading (and dropping)
// it for this long, up to a body's limit, before closing lets the client
// see the answer instead of a reset.
constexpr std::chrono::seconds kLinger{2};
constexpr size_t kReadChunk = 16 << 10;
// Bodies at least this large leave enough freed memory to hand back.
constexpr size_t kTrimAfterBytes = 1 << 20;

class ConnectionLimits {
 public:
  ConnectionLimits(size_t total, size_t per_client) : max_total_(total), max_per_(per_client) {}

  bool TryAcquire(const std::string& peer) {
    std::lock_guard<std::mutex> lock(mu_);
    size_t& mine = by_peer_[peer];
    if (total_ >= max_total_ || mine >= max_per_) {
      if (mine == 0) by_peer_.erase(peer);
      return false;
    }
    ++mine;
    ++total_;
    return true;
  }

  void Release(const std::string& peer) {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = by_peer_.find(peer);
    if (--it->second == 0) by_peer_.erase(it);
    --total_;
  }

 private:
  const size_t max_total_;
  const size_t max_per_;
  std::mutex mu_;
  size_t total_ = 0;
  std::unordered_map<std::string, size_t> by_peer_;
};

// Bytes of request bodies being read or answered, across connections.
class ByteBudget {
 public:
  explicit ByteBudget(size_t capacity) : capacity_(capacity) {}

  bool TryTake(size_t n) {
    size_t used = used_.load();
    do {
      if (n > capacity_ - used) return false;
    } while (!used_.compare_exchange_weak(used, used + n));
    return true;
  }
  void Give(size_t n) { used_ -= n; }

 private:
  const size_t capacity_;
  std::atomic<size_t> used_{0};
};

// What every connection shares.
struct Shared {
  Shared(HttpServerOptions o)
      : options(std::move(o)),
        connections(options.max_connections, options.max_connections_per_client),
        bodies(options.max_inflight_body_bytes) {}

  const HttpServerOptions options;
  ConnectionLimits connections;
  ByteBudget bodies;
  net::thread_pool* handlers = nullptr;
};

// Beast reports a Content-Length beyond 64 bits as malformed, but it is a
// size, and larger than any limit. When the parser fails on it the header
// fields are still in the buffer, unconsumed.
bool ContentLengthOverflows(std::string_view fields) {
  std::string lower(fields);
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  constexpr std::string_view kName = "content-length:";
  for (size_t at = lower.find(kName); at != std::string::npos; at = lower.find(kName, at + 1)) {
    size_t p = at + kName.size();
    while (p < lower.size() && (lower[p] == ' ' || lower[p] == '\t')) ++p;
    size_t digits = 0;
    while (p < lower.size() && std::isdigit(static_cast<unsigned char>(lower[p]))) ++p, ++digits;
    if (digits >= 20 && (p == lower.size() || lower[p] == '\r' || lower[p] == ' ')) return true;
  }
  return false;
}

bool IsParseError(const beast::error_code& ec) {
  return ec.category() == beast::error_code(http::error::bad_target).category();
}

template <class Stream>
Stream MakeStream(tcp::socket socket, ssl::context* tls);

template <>
beast::tcp_stream MakeStream(tcp::socket socket, ssl::context*) {
  return beast::tcp_stream(std::move(socket));
}

template <>
TlsStream MakeStream(tcp::socket socket, ssl::context* tls) {
  return TlsStream(beast::tcp_stream(std::move(socket)), *tls);
}

// One connection, from accept to close: its requests one after another.
// Every step runs on the connection's io thread; so do the handlers of small
// bodies, while larger ones run on the pool.
template <class Stream>
class Session : public std::enable_shared_from_this<Session<Stream>> {
  static constexpr bool kTls = std::is_same_v<Stream, TlsStream>;

 public:
  // `peer` holds a slot in shared->connections, which the session returns.
  Session(tcp::socket socket, Shared* shared, const HttpRoutes* routes, std::string peer,
          std::shared_ptr<ssl::context> tls)
      : shared_(shared),
        routes_(routes),
        peer_(std::move(peer)),
        tls_(std::move(tls)),
        stream_(MakeStream<Stream>(std::move(socket), tls_.get())),
        deadline_(stream_.get_executor()) {}

  ~Session() {
    ReturnBody();
    shared_->connections.Release(peer_);
  }

  void Start() {
    Arm(shared_->options.request_timeout);
    if constexpr (kTls) {
      stream_.async_handshake(ssl::stream_base::server,
                              [self = this->shared_from_this()](beast::error_code ec) {
                                if (!ec) self->ReadHeader();
                              });
    } else {
      ReadHeader();
    }
  }

 private:
  const HttpServerOptions& options() const { return shared_->options; }
  beast::tcp_stream& lowest() { return beast::get_lowest_layer(stream_); }

  // The whole-request deadline: when it passes, the pending read is
  // cancelled (not the socket closed, so a 400 can still be written).
  void Arm(std::chrono::milliseconds timeout) {
    lowest().expires_never();
    timed_out_ = false;
    deadline_.expires_after(timeout);
    deadline_.async_wait([weak = this->weak_from_this(), armed = ++armed_](beast::error_code ec) {
      auto self = weak.lock();
      if (ec || self == nullptr || armed != self->armed_) return;
      self->timed_out_ = true;
      beast::error_code ignored;
      self->lowest().socket().cancel(ignored);
    });
  }

  void Disarm() {
    ++armed_;
    deadline_.cancel();
  }

  // Between keep-alive requests: a pipelined request may be buffered
  // already; else wait up to the idle timeout for its first bytes.
  void WaitForRequest() {
    if (buffer_.size() > 0) {
      Arm(options().request_timeout);
      ReadHeader();
      return;
    }
    lowest().expires_after(options().idle_timeout);
    stream_.async_read_some(buffer_.prepare(kReadChunk),
                            [self = this->shared_from_this()](beast::error_code ec, size_t n) {
                              if (ec) return;  // idle too long, or the client went away
                              self->buffer_.commit(n);
                              self->Arm(self->options().request_timeout);
                              self->ReadHeader();
                            });
  }

  void ReadHeader() {
    request_start_.reset();
    parser_.emplace();
    parser_->header_limit(static_cast<uint32_t>(options().max_header_bytes));
    parser_->body_limit(options().max_body_bytes);
    http::async_read_header(
        stream_, buffer_, *parser_,
        [self = this->shared_from_this()](beast::error_code ec, size_t) { self->OnHeader(ec); });
  }

  void OnHeader(beast::error_code ec) {
    request_start_ = Clock::now();
    if (ec == http::error::body_limit ||
        (ec == http::error::bad_content_length &&
         ContentLengthOverflows(beast::buffers_to_string(buffer_.data()))))
      return Refuse(413);
    if (ec) return OnReadError(ec);
    boost::optional<uint64_t> length = parser_->content_length();
    size_t body =
        length ? static_cast<size_t>(*length) : (parser_->chunked() ? options().max_body_bytes : 0);
    if (!shared_->bodies.TryTake(body)) return Refuse(503);
    reserved_ = body;
    if (parser_->is_done()) return Dispatch();
    if (beast::iequals(parser_->get()[http::field::expect], "100-continue")) {
      continue_.emplace(http::status::continue_, 11);
      http::async_write(stream_, *continue_,
                        [self = this->shared_from_this()](beast::error_code ec, size_t) {
                          self->continue_.reset();
                          if (!ec) self->ReadBody();
                        });
      return;
    }
    ReadBody();
  }

  void ReadBody() {
    http::async_read(stream_, buffer_, *parser_,
                     [self = this->shared_from_this()](beast::error_code ec, size_t) {
                       if (ec == http::error::body_limit) return self->Refuse(413);
                       if (ec) return self->OnReadError(ec);
                       self->Dispatch();
                     });
  }

  // Out of time mid-request or a malformed one: 400. A client that
  // closed, or sent nothing before its deadline, just loses the connection.
  void OnReadError(beast::error_code ec) {
    bool started = parser_->got_some() || buffer_.size() > 0;
    if ((timed_out_ && started) || IsParseError(ec)) {
      if (ec != http::error::end_of_stream && ec != http::error::partial_message)
        return Refuse(400);
    }
  }

  HttpRequest Describe() const {
    HttpRequest request;
    request.peer = peer_;
    if (!parser_) return request;
    // What was parsed: a request refused mid-header still has its
    // start line, for the metrics.
    const auto& header = parser_->get();
    request.method = std::string(header.method_string());
    std::string target(header.target());
    request.path = target.substr(0, target.find('?'));
    request.content_type = std::string(header[http::field::content_type]);
    return request;
  }

  void Dispatch() {
    Disarm();
    HttpRequest request = Describe();
    request.body = std::move(parser_->get().body());
    keep_alive_ = parser_->keep_alive();
    parser_.reset();
    if (request.body.size() <= options().inline_body_bytes) {
      HttpResponse response = routes_->Route(request);
      std::string().swap(request.body);
      ReturnBody();
      return Write(std::move(request), std::move(response), !keep_alive_);
    }
    net::post(*shared_->handlers, [self = this->shared_from_this(), home = stream_.get_executor(),
                                   request = std::move(request)]() mutable {
      HttpResponse response = self->routes_->Route(request);
      std::string().swap(request.body);
      net::post(home,
                [self, request = std::move(request), response = std::move(response)]() mutable {
                  self->ReturnBody();
                  self->Write(std::move(request), std::move(response), !self->keep_alive_);
                });
    });
  }

  // Frees the budget this request's body held; a large one also gives
  // the memory it used back to the system.
  void ReturnBody() {
    if (reserved_ == 0) return;
    shared_->bodies.Give(reserved_);
    if (reserved_ >= kTrimAfterBytes) malloc_trim(0);
    reserved_ = 0;
  }

  void Refuse(int status) {
    Disarm();
    HttpRequest request = Describe();
    HttpResponse response = routes_->Refuse(request, status);
    if (status == 503) response.headers.emplace_back("Retry-After", "1");
    parser_.reset();
    ReturnBody();
    Write(std::move(request), std::move(response), /*close=*/true);
  }

  void Write(HttpRequest request, HttpResponse response, bool close) {
    response_.emplace(static_cast<http::status>(response.status), 11);
    if (!response.content_type.empty())
      response_->set(http::field::content_type, response.content_type);
    for (const auto& [name, value] : response.headers) response_->set(name, value);
    response_->body() = std::move(response.body);
    response_->keep_alive(!close);
    response_->prepare_payload();
    lowest().expires_after(options().request_timeout);
    http::async_write(
        stream_, *response_,
        [self = this->shared_from_this(), close, request = std::move(request),
         response = std::move(response)](beast::error_code ec, size_t) {
          double seconds = -1;
          if (self->request_start_)
            seconds = std::chrono::duration<double>(Clock::now() - *self->request_start_).count();
          self->response_.reset();
          self->routes_->Log(request, response, seconds);
          if (ec) return;
          if (close) return self->Linger();
          self->WaitForRequest();
        });
  }

  // Closing: stop sending, then read what the client still sends (for a
  // while) so that closing with unread bytes does not reset the answer
  // away before the client has read it.
  void Linger() {
    if constexpr (!kTls) {
      beast::error_code ignored;
      lowest().socket().shutdown(tcp::socket::shutdown_send, ignored);
    }
    lowest().expires_after(kLinger);
    buffer_.clear();
    Drain();
  }

  void Drain() {
    stream_.async_read_some(buffer_.prepare(kReadChunk), [self = this->shared_from_this()](
                                                             beast::error_code ec, size_t n) {
      self->lingered_ += n;
      if (ec || self->lingered_ > self->options().max_body_bytes + kReadChunk) return;
      self->Drain();
    });
  }

  Shared* const shared_;
  const HttpRoutes* const routes_;
  const std::string peer_;
  const std::shared_ptr<ssl::context> tls_;  // outlives stream_
  Stream stream_;
  net::steady_timer deadline_;
  uint64_t armed_ = 0;
  bool timed_out_ = false;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  std::optional<http::response<http::empty_body>> continue_;
  std::optional<http::response<http::string_body>> response_;
  std::optional<Clock::time_point> request_start_;
  size_t reserved_ = 0;
  bool keep_alive_ = false;
  size_t lingered_ = 0;
};

// The io threads: one io_context each, run by that thread alone, so every
// step of a connection stays on one thread and none wakes another (threads
// sharing one context hand work to each other, a futex wake or two per
// request). Connections are dealt out round-robin.
class IoThreads {
 public:
  explicit IoThreads(int n) {
    for (int i = 0; i < std::max(n, 1); ++i) contexts_.push_back(std::make_unique<Context>());
  }

  net::io_context& first() { return contexts_.front()->ioc; }
  net::io_context& Next() { return contexts_[next_++ % contexts_.size()]->ioc; }

  // Runs every context, the first on the calling thread, until Stop().
  void Run() {
    std::vector<std::thread> threads;
    for (size_t i = 1; i < contexts_.size(); ++i)
      threads.emplace_back([this, i] { contexts_[i]->ioc.run(); });
    first().run();
    for (std::thread& t : threads) t.join();
  }

  // From any thread.
  void Stop() {
    for (const std::unique_ptr<Context>& c : contexts_) c->ioc.stop();
  }

 private:
  struct Context {
    net::io_context ioc{1};  // one thread runs it
    // A context without connections yet still runs until Stop().
    net::executor_work_guard<net::io_context::executor_type> busy = net::make_work_guard(ioc);
  };
  std::vector<std::unique_ptr<Context>> contexts_;
  std::atomic<size_t> next_{0};
};

class Listener : public std::enable_shared_from_this<Listener> {
 public:
  Listener(IoThreads* io, Shared* shared, const HttpRoutes* routes, TlsContexts* tls)
      : io_(io),
        shared_(shared),
        routes_(routes),
        tls_(tls),
        acceptor_(io->first()),
        retry_(io->first()) {}

  // The bound port, or -1 with `*error`.
  int Open(const std::string& host, int port, std::string* error) {
    beast::error_code ec;
    tcp::endpoint endpoint;
    net::ip::address address = net::ip::make_address(host, ec);
    if (!ec) {
      endpoint = tcp::endpoint(address, static_cast<uint16_t>(port));
    } else {
      tcp::resolver resolver(io_->first());
      auto found = resolver.resolve(host, std::to_string(port), ec);
      if (!ec && !found.empty()) endpoint = found.begin()->endpoint();
    }
    // SO_REUSEADDR only (a restart may bind while old connections are in
    // TIME_WAIT), never SO_REUSEPORT: a second server on the same port
    // must fail to bind, not take a share of the connections.
    if (!ec) acceptor_.open(endpoint.protocol(), ec);
    if (!ec) acceptor_.set_option(net::socket_base::reuse_address(true), ec);
    if (!ec) acceptor_.bind(endpoint, ec);
    if (!ec) acceptor_.listen(net::socket_base::max_listen_connections, ec);
    if (ec) {
      *error = "cannot listen on " + host + ":" + std::to_string(port) + ": " + ec.message();
      if (ec == net::error::address_in_use) *error += " (is another server running there?)";
      return -1;
    }
    return acceptor_.local_endpoint().port();
  }

  void Accept() {
    acceptor_.async_accept(io_->Next(),
                           [self = shared_from_this()](beast::error_code ec, tcp::socket socket) {
                             self->OnAccept(ec, std::move(socket));
                           });
  }

 private:
  void OnAccept(beast::error_code ec, tcp::socket socket) {
    if (!acceptor_.is_open()) return;
    if (ec) {
      // Out of descriptors, most likely: wait for connections to close
      // instead of spinning on accept, and say so once.
      if (!accept_failing_) shared_->options.log("accept failed, retrying: " + ec.message());
      accept_failing_ = true;
      retry_.expires_after(std::chrono::milliseconds(50));
      retry_.async_wait([self = shared_from_this()](beast::error_code wait) {
        if (!wait) self->Accept();
      });
      return;
    }
    accept_failing_ = false;
    Start(std::move(socket));
    Accept();
  }

  void Start(tcp::socket socket) {
    beast::error_code ec;
    std::string peer = socket.remote_endpoint(ec).address().to_string();
    if (ec || !shared_->connections.TryAcquire(peer)) return;  // closed as it goes
    socket.set_option(tcp::no_delay(true), ec);
    if (tls_ == nullptr) {
      std::make_shared<Session<beast::tcp_stream>>(std::move(socket), shared_, routes_,
                                                   std::move(peer), nullptr)
          ->Start();
    } else {
      std::make_shared<Session<TlsStream>>(std::move(socket), shared_, routes_, std::move(peer),
                                           tls_->Current())
          ->Start();
    }
  }

  IoThreads* const io_;
  Shared* const shared_;
  const HttpRoutes* const routes_;
  TlsContexts* const tls_;
  tcp::acceptor acceptor_;
  net::steady_timer retry_;
  bool accept_failing_ = false;
};

}  // namespace

struct HttpServer::Impl {
  explicit Impl(HttpServerOptions options)
      : shared(std::move(options)),
        io(shared.options.io_threads),
        handlers(static_cast<size_t>(shared.options.handler_threads)),
        reload_timer(io.first()) {
    shared.handlers = &handlers;
  }

  void ReloadCertificatesEvery(std::chrono::milliseconds interval) {
    reload_timer.expires_after(interval);
    reload_timer.async_wait([this, interval](beast::error_code ec) {
      if (ec) return;
      for (TlsContexts* tls : certificates) tls->ReloadIfChanged();
      ReloadCertificatesEvery(interval);
    });
  }

  // Declared so that connections, which use `shared`, go before it: the
  // pool's queued handlers first, then the io contexts'.
  Shared shared;
  IoThreads io;
  net::thread_pool handlers;
  net::steady_timer reload_timer;
  std::vector<std::shared_ptr<Listener>> listeners;
  std::vector<TlsContexts*> certificates;
};

HttpServer::HttpServer(HttpServerOptions options)
    : impl_(std::make_unique<Impl>(std::move(options))) {}

HttpServer::~HttpServer() {
  Stop();
  impl_->handlers.join();
}

int HttpServer::Listen(const std::string& host, int port, const HttpRoutes* routes,
                       TlsContexts* tls, std::string* error) {
  auto listener = std::make_shared<Listener>(&impl_->io, &impl_->shared, routes, tls);
  int bound = listener->Open(host, port, error);
  if (bound < 0) return -1;
  listener->Accept();
  impl_->listeners.push_back(std::move(listener));
  if (tls != nullptr) impl_->certificates.push_back(tls);
  return bound;
}

void HttpServer::Run() {
  auto interval = impl_->shared.options.tls_reload_interval;
  if (!impl_->certificates.empty() && interval.count() > 0)
    impl_->ReloadCertificatesEvery(interval);
  impl_->io.Run();
  // Handlers still running use the routes; once Run returns the caller
  // may destroy them.
  impl_->handlers.join();
}

void HttpServer::Stop() { impl_->io.Stop(); }

}  // namespace sympozium::webhook
