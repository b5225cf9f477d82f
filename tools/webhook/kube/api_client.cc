#include "tools/webhook/kube/api_client.h"

#include <curl/curl.h>
#include <sys/stat.h>

#include <cstdlib>
#include <memory>

#include "sympozium/read.h"
#include "sympozium/strings.h"

namespace sympozium::webhook::kube {
namespace {

constexpr char kServiceAccountDir[] = "/var/run/secrets/kubernetes.io/serviceaccount/";

// libcurl's global state is set up once, before any transfer, as its
// documentation asks of multi-threaded programs.
void InitCurlOnce() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

struct CurlDeleter {
  void operator()(CURL* c) const { curl_easy_cleanup(c); }
};
struct SlistDeleter {
  void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};
using CurlPtr = std::unique_ptr<CURL, CurlDeleter>;
using SlistPtr = std::unique_ptr<curl_slist, SlistDeleter>;

}  // namespace

// One GET: its handle, and what its callbacks share.
struct Transfer {
  CurlPtr handle;
  SlistPtr headers;
  char error_buffer[CURL_ERROR_SIZE] = "";
  CURL* curl = nullptr;
  size_t max_bytes = 0;
  std::string body;  // Get: the whole body; Stream: the unfinished line
  bool too_big = false;
  const std::function<bool(std::string_view)>* on_line = nullptr;  // Stream only
  bool ended_by_callback = false;
  std::string* error_body = nullptr;
  const std::atomic<bool>* stop = nullptr;
};

namespace {

long ResponseCode(CURL* curl) {
  long code = 0;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &code);
  return code;
}

// Appends to `out` while it stays within `max`; false once it would not.
bool AppendBounded(std::string* out, const char* data, size_t n, size_t max) {
  if (out->size() + n > max) return false;
  out->append(data, n);
  return true;
}

size_t OnData(char* data, size_t size, size_t count, void* user) {
  auto* t = static_cast<Transfer*>(user);
  const size_t n = size * count;
  if (t->on_line == nullptr || ResponseCode(t->curl) != 200) {
    std::string* out = t->on_line == nullptr ? &t->body : t->error_body;
    if (AppendBounded(out, data, n, t->max_bytes)) return n;
    t->too_big = true;
    return 0;
  }
  t->body.append(data, n);
  size_t start = 0;
  for (size_t nl; (nl = t->body.find('\n', start)) != std::string::npos; start = nl + 1) {
    if (!(*t->on_line)(std::string_view(t->body).substr(start, nl - start))) {
      t->ended_by_callback = true;
      return 0;
    }
  }
  t->body.erase(0, start);
  if (t->body.size() <= t->max_bytes) return n;
  t->too_big = true;
  return 0;
}

int OnProgress(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  auto* t = static_cast<Transfer*>(user);
  return t->stop != nullptr && t->stop->load() ? 1 : 0;
}

}  // namespace

absl::StatusOr<KubeConfig> KubeConfig::InCluster() {
  const char* host = std::getenv("KUBERNETES_SERVICE_HOST");
  const char* port = std::getenv("KUBERNETES_SERVICE_PORT");
  if (host == nullptr || *host == '\0' || port == nullptr || *port == '\0')
    return absl::FailedPreconditionError(
        "--kube: KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT are not set (not running "
        "in a pod?); give --kube-api, --kube-token-file and --kube-ca-file instead");
  std::string h = host;
  if (h.find(':') != std::string::npos) h = "[" + h + "]";  // an IPv6 service address
  KubeConfig config;
  config.api_url = StrCat("https://", h, ":", port);
  config.token_file = StrCat(kServiceAccountDir, "token");
  config.ca_file = StrCat(kServiceAccountDir, "ca.crt");
  return config;
}

absl::StatusOr<std::string> BearerToken::Get() {
  struct stat st;
  if (::stat(path_.c_str(), &st) != 0)
    return absl::UnavailableError(StrCat("cannot read the token file ", path_));
  std::string fingerprint = StrCat(st.st_dev, ":", st.st_ino, ":", st.st_size, ":",
                                   st.st_mtim.tv_sec, ".", st.st_mtim.tv_nsec);
  std::lock_guard<std::mutex> lock(mu_);
  if (fingerprint == fingerprint_) return token_;
  absl::StatusOr<std::string> text = ReadFile(path_);
  if (!text.ok()) return absl::UnavailableError(text.status().message());
  std::string token = std::move(*text);
  while (!token.empty() && (token.back() == '\n' || token.back() == '\r' || token.back() == ' '))
    token.pop_back();
  if (token.empty()) return absl::UnavailableError(StrCat("the token file ", path_, " is empty"));
  token_ = std::move(token);
  fingerprint_ = std::move(fingerprint);
  return token_;
}

ApiClient::ApiClient(KubeConfig config) : config_(std::move(config)), token_(config_.token_file) {
  InitCurlOnce();
}

std::string ApiClient::Escape(std::string_view s) {
  InitCurlOnce();
  char* escaped = curl_easy_escape(nullptr, s.data(), static_cast<int>(s.size()));
  std::string out = escaped != nullptr ? escaped : "";
  curl_free(escaped);
  return out;
}

namespace {

// Sets up `t` to GET `target` with the token and CA.
absl::Status Prepare(const KubeConfig& config, const std::string& target, const std::string& token,
                     Transfer* t) {
  t->handle.reset(curl_easy_init());
  if (t->handle == nullptr) return absl::ResourceExhaustedError("curl_easy_init failed");
  CURL* c = t->handle.get();
  t->curl = c;
  std::string url = config.api_url + target;
  std::string auth = "Authorization: Bearer " + token;
  t->headers.reset(curl_slist_append(nullptr, auth.c_str()));
  curl_slist_append(t->headers.get(), "Accept: application/json");
  curl_easy_setopt(c, CURLOPT_URL, url.c_str());
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, t->headers.get());
  curl_easy_setopt(c, CURLOPT_CAINFO, config.ca_file.c_str());
  curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "https");
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);  // threads: no SIGALRM for DNS timeouts
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 10L);
  curl_easy_setopt(c, CURLOPT_TCP_KEEPALIVE, 1L);
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, OnData);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, t);
  curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
  curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, OnProgress);
  curl_easy_setopt(c, CURLOPT_XFERINFODATA, t);
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, t->error_buffer);
  return absl::OkStatus();
}

absl::Status TransportError(CURLcode code, const char* error_buffer, const std::string& target) {
  return absl::UnavailableError(StrCat(
      "GET ", target, ": ", *error_buffer != '\0' ? error_buffer : curl_easy_strerror(code)));
}

}  // namespace

absl::Status ApiClient::Open(const std::string& target, Transfer* t) {
  absl::StatusOr<std::string> token = token_.Get();
  if (!token.ok()) return token.status();
  return Prepare(config_, target, *token, t);
}

absl::StatusOr<ApiClient::Response> ApiClient::Get(const std::string& target, size_t max_bytes,
                                                   const std::atomic<bool>& stop) {
  Transfer t;
  t.max_bytes = max_bytes;
  t.stop = &stop;
  if (absl::Status s = Open(target, &t); !s.ok()) return s;
  curl_easy_setopt(t.curl, CURLOPT_TIMEOUT, 60L);
  CURLcode code = curl_easy_perform(t.curl);
  if (t.too_big)
    return absl::ResourceExhaustedError(
        StrCat("GET ", target, ": the answer is over ", max_bytes, " bytes"));
  if (code != CURLE_OK) return TransportError(code, t.error_buffer, target);
  return Response{ResponseCode(t.curl), std::move(t.body)};
}

absl::StatusOr<long> ApiClient::Stream(const std::string& target, std::chrono::seconds stall,
                                       size_t max_line,
                                       const std::function<bool(std::string_view)>& on_line,
                                       const std::atomic<bool>& stop, std::string* error_body) {
  Transfer t;
  t.max_bytes = max_line;
  t.on_line = &on_line;
  t.error_body = error_body;
  t.stop = &stop;
  if (absl::Status s = Open(target, &t); !s.ok()) return s;
  // A stream that delivers nothing (not even a bookmark) for `stall` is
  // taken for dead: a half-open connection never ends by itself.
  curl_easy_setopt(t.curl, CURLOPT_LOW_SPEED_LIMIT, 1L);
  curl_easy_setopt(t.curl, CURLOPT_LOW_SPEED_TIME, static_cast<long>(stall.count()));
  CURLcode code = curl_easy_perform(t.curl);
  if (t.ended_by_callback || stop.load()) return ResponseCode(t.curl);
  if (t.too_big)
    return absl::ResourceExhaustedError(
        StrCat("GET ", target, ": a line of the stream is over ", max_line, " bytes"));
  if (code == CURLE_OPERATION_TIMEDOUT)
    return absl::DeadlineExceededError(
        StrCat("GET ", target, ": no data for ", stall.count(), " s"));
  if (code != CURLE_OK) return TransportError(code, t.error_buffer, target);
  return ResponseCode(t.curl);
}

}  // namespace sympozium::webhook::kube
