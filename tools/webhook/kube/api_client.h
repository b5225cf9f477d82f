// ApiClient: HTTPS GETs to the Kubernetes API server over libcurl, with the
// service account's bearer token and CA, for the list/watch of
// tools/webhook/kube/reflector.h.
//
// The token file is re-read whenever it changes (projected service-account
// tokens rotate: the kubelet swaps the file behind a symlink), so a request
// always carries the current token.
#ifndef SYMPOZIUM_TOOLS_WEBHOOK_KUBE_API_CLIENT_H_
#define SYMPOZIUM_TOOLS_WEBHOOK_KUBE_API_CLIENT_H_

#include <atomic>
#include <chrono>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace sympozium::webhook::kube {

struct KubeConfig {
  std::string api_url;     // https://HOST:PORT, no trailing slash
  std::string token_file;  // the bearer token, re-read on change
  std::string ca_file;     // PEM bundle the API server's certificate must chain to

  // KUBERNETES_SERVICE_HOST/_PORT and the files under
  // /var/run/secrets/kubernetes.io/serviceaccount/, as client-go's
  // InClusterConfig reads them.
  static absl::StatusOr<KubeConfig> InCluster();
};

// The bearer token in a file, read again when the file's identity (inode,
// size, modification time; symlinks followed) changes.
class BearerToken {
 public:
  explicit BearerToken(std::string path) : path_(std::move(path)) {}
  // The current token (trailing whitespace trimmed), or why it cannot be read.
  absl::StatusOr<std::string> Get();

 private:
  const std::string path_;
  std::mutex mu_;
  std::string fingerprint_;  // of the file the token was read from
  std::string token_;
};

class ApiClient {
 public:
  explicit ApiClient(KubeConfig config);

  struct Response {
    long status = 0;  // HTTP status
    std::string body;
  };

  // GET `target` (path and query). A transport failure (connection, TLS,
  // timeout, a body over `max_bytes`) is an error; any HTTP status is a
  // Response.
  absl::StatusOr<Response> Get(const std::string& target, size_t max_bytes);

  // GET `target` as a stream: `on_line` gets each complete line of a 200
  // answer as it arrives (a partial last line is dropped), until the server
  // ends the stream, no byte arrives for `stall`, `stop` becomes true, or
  // `on_line` returns false. Returns the HTTP status (the body of a non-200
  // answer is in `error_body`), or an error for a transport failure other
  // than those ends.
  absl::StatusOr<long> Stream(const std::string& target, std::chrono::seconds stall,
                              size_t max_line, const std::function<bool(std::string_view)>& on_line,
                              const std::atomic<bool>& stop, std::string* error_body);

  // `s` escaped for a query parameter value.
  static std::string Escape(std::string_view s);

  const KubeConfig& config() const { return config_; }

 private:
  const KubeConfig config_;
  BearerToken token_;
};

}  // namespace sympozium::webhook::kube

#endif  // SYMPOZIUM_TOOLS_WEBHOOK_KUBE_API_CLIENT_H_
