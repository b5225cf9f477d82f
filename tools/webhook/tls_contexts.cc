#include "tools/webhook/tls_contexts.h"

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <sys/stat.h>

#include <utility>

namespace sympozium::webhook {
namespace {

namespace ssl = boost::asio::ssl;

// TLS 1.2 suites with forward secrecy and authenticated encryption; TLS
// 1.3's suites are all of that kind and keep OpenSSL's defaults.
constexpr char kTls12Ciphers[] =
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:"
    "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:"
    "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305";

std::string OpenSslError(const std::string& what) {
  unsigned long code = ERR_get_error();
  ERR_clear_error();
  char text[256] = "unknown error";
  if (code != 0) ERR_error_string_n(code, text, sizeof(text));
  return what + ": " + text;
}

}  // namespace

TlsContexts::TlsContexts(TlsOptions options,
                         std::function<void(bool, const std::string&)> on_reload)
    : options_(std::move(options)), on_reload_(std::move(on_reload)) {}

std::shared_ptr<ssl::context> TlsContexts::Build(std::string* error) const {
  auto context = std::make_shared<ssl::context>(ssl::context::tls_server);
  SSL_CTX* ctx = context->native_handle();
  SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
  SSL_CTX_set_options(
      ctx, SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION | SSL_OP_CIPHER_SERVER_PREFERENCE);
  if (SSL_CTX_set_cipher_list(ctx, kTls12Ciphers) != 1) {
    *error = OpenSslError("the TLS 1.2 cipher list");
    return nullptr;
  }
  if (SSL_CTX_use_certificate_chain_file(ctx, options_.cert.c_str()) != 1) {
    *error = OpenSslError("cannot use the certificate " + options_.cert);
    return nullptr;
  }
  if (SSL_CTX_use_PrivateKey_file(ctx, options_.key.c_str(), SSL_FILETYPE_PEM) != 1 ||
      SSL_CTX_check_private_key(ctx) != 1) {
    *error = OpenSslError("cannot use the key " + options_.key + " with " + options_.cert);
    return nullptr;
  }
  if (!options_.client_ca.empty()) {
    STACK_OF(X509_NAME)* names = SSL_load_client_CA_file(options_.client_ca.c_str());
    if (names == nullptr ||
        SSL_CTX_load_verify_locations(ctx, options_.client_ca.c_str(), nullptr) != 1) {
      if (names != nullptr) sk_X509_NAME_pop_free(names, X509_NAME_free);
      *error = OpenSslError("cannot use the client CA " + options_.client_ca);
      return nullptr;
    }
    SSL_CTX_set_client_CA_list(ctx, names);
    SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, nullptr);
  }
  return context;
}

TlsContexts::Stamp TlsContexts::StampFiles() const {
  Stamp stamp;
  for (const std::string* path : {&options_.cert, &options_.key, &options_.client_ca}) {
    struct stat st {};
    if (path->empty() || ::stat(path->c_str(), &st) != 0) {
      stamp.insert(stamp.end(), {-1, -1, -1, -1});
      continue;
    }
    stamp.insert(stamp.end(), {static_cast<int64_t>(st.st_ino), static_cast<int64_t>(st.st_size),
                               static_cast<int64_t>(st.st_mtim.tv_sec),
                               static_cast<int64_t>(st.st_mtim.tv_nsec)});
  }
  return stamp;
}

bool TlsContexts::Load(std::string* error) {
  Stamp stamp = StampFiles();
  std::shared_ptr<ssl::context> context = Build(error);
  if (context == nullptr) return false;
  std::lock_guard<std::mutex> lock(mu_);
  current_ = std::move(context);
  stamp_ = std::move(stamp);
  return true;
}

void TlsContexts::ReloadIfChanged() {
  Stamp stamp = StampFiles();
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stamp == stamp_) return;
    stamp_ = stamp;
  }
  std::string error;
  std::shared_ptr<ssl::context> context = Build(&error);
  if (context == nullptr) {
    on_reload_(false, "certificate reload failed, still serving the previous one: " + error);
    return;
  }
  {
    std::lock_guard<std::mutex> lock(mu_);
    current_ = std::move(context);
  }
  on_reload_(true, "certificate reloaded from " + options_.cert);
}

std::shared_ptr<ssl::context> TlsContexts::Current() const {
  std::lock_guard<std::mutex> lock(mu_);
  return current_;
}

}  // namespace sympozium::webhook
