// TlsContexts: the serving certificate as an OpenSSL context, rebuilt when
// its files change. Each new connection takes the context current when it
// is accepted and keeps it; a rebuild that fails (a half-written or
// mismatched pair) keeps the old context, logs one line and is retried
// only when the files change again.
//
// Every context allows TLS 1.2 with ECDHE key exchange and AEAD ciphers
// only, and TLS 1.3; with a client CA, a client certificate it signed is
// required.
#ifndef SYMPOZIUM_TOOLS_WEBHOOK_TLS_CONTEXTS_H_
#define SYMPOZIUM_TOOLS_WEBHOOK_TLS_CONTEXTS_H_

#include <boost/asio/ssl/context.hpp>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace sympozium::webhook {

struct TlsOptions {
  std::string cert;       // PEM chain
  std::string key;        // PEM private key
  std::string client_ca;  // PEM CA bundle; "" accepts any client
};

class TlsContexts {
 public:
  // `on_reload(ok, message)` hears of every rebuild after the first.
  TlsContexts(TlsOptions options, std::function<void(bool, const std::string&)> on_reload);

  // Builds the first context; false with `*error` when the files do not
  // make one.
  bool Load(std::string* error);
  // Rebuilds the context when a file's inode, size or mtime changed.
  void ReloadIfChanged();
  std::shared_ptr<boost::asio::ssl::context> Current() const;

 private:
  using Stamp = std::vector<int64_t>;
  Stamp StampFiles() const;
  std::shared_ptr<boost::asio::ssl::context> Build(std::string* error) const;

  const TlsOptions options_;
  const std::function<void(bool, const std::string&)> on_reload_;
  mutable std::mutex mu_;  // guards current_ and stamp_
  std::shared_ptr<boost::asio::ssl::context> current_;
  Stamp stamp_;  // of the files last tried
};

}  // namespace sympozium::webhook

#endif  // SYMPOZIUM_TOOLS_WEBHOOK_TLS_CONTEXTS_H_
