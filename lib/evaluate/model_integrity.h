// Model integrity: admission of Sympozium `Model` documents (what the
// unregistered Go ModelValidator checks, docs/checks.md#model-admission) and the download job's
// hash check, streamed through SHA-256 in bounded memory.
#ifndef SYMPOZIUM_LIB_EVALUATE_MODEL_INTEGRITY_H_
#define SYMPOZIUM_LIB_EVALUATE_MODEL_INTEGRITY_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <istream>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "lib/decode/model.h"
#include "sympozium/decision.h"
#include "sympozium/evaluate.h"

namespace sympozium {

// Admission of a Model's `spec.source`, with the Go validator's wording. An
// absent source counts as an empty one, as in Go.
//  - neither url nor modelID -> `model source must specify either url or
//    modelID` (model.source_missing, path spec.source);
//  - a url not starting with `http://` or `https://` (case-sensitive) ->
//    `model source URL must use http:// or https:// scheme`
//    (model.url_scheme, spec.source.url);
//  - a non-empty sha256 that is not 64 bytes -> `sha256 checksum must be
//    exactly 64 hex characters, got %d`, else its first non-hex character ->
//    `sha256 checksum contains invalid character: %c`
//    (model.sha256_invalid, spec.source.sha256).
// strict adds: an `http://` url whose host is not in-cluster (see
// IsInClusterHost) -> `model source URL must use https:// scheme unless the
// host is in-cluster (host %q)` (model.url_insecure, spec.source.url).
// Allowed: "model validated". Go stops at the first; all are listed here.
Decision EvaluateModel(const Model& model, const EvaluateOptions& options = {});

// The hosts strict mode lets a model be fetched from over plain http, where
// the traffic never leaves the cluster network: `localhost`, a name ending
// in `.svc` or `.cluster.local` (so also `.svc.cluster.local`), or a bare
// Service name (a DNS-1035 label: a letter, then letters, digits and '-',
// at most 63). Case-insensitive. No IP address counts, not even 127.0.0.1:
// strict trusts names the cluster DNS answers, not addresses.
bool IsInClusterHost(std::string_view host);
// The host part of an http(s) URL: without userinfo, port and brackets,
// lowercased; "" when there is none.
std::string UrlHost(std::string_view url);

// Reads up to `size` bytes into `buffer`: the count, 0 at the end, or an
// error.
using ReadCallback = std::function<absl::StatusOr<size_t>(char* buffer, size_t size)>;

// The size of the one buffer verification reads through (1 MiB): memory
// stays bounded whatever the file size.
inline constexpr size_t kVerifyBufferSize = size_t{1} << 20;

struct ModelVerification {
  enum class Status { kMatch, kMismatch, kError };
  Status status = Status::kError;
  std::string expected;  // spec.source.sha256, lowercase
  std::string actual;    // SHA-256 of what was read, lowercase hex; "" unless fully read
  uint64_t bytes = 0;    // bytes read (also on a read error)
  std::string error;     // why it could not be checked, for kError

  bool match() const { return status == Status::kMatch; }
  // `{"status":"match"|"mismatch"|"error","match":bool,"expected":"..",
  //   "actual":"..","bytes":N,"error":".."}`
  std::string ToJson() const;
};
std::string_view VerificationStatusName(ModelVerification::Status status);

// Streams the downloaded bytes through SHA-256 (OpenSSL EVP) and compares
// the digest with `spec.source.sha256` (case-insensitively). A model without
// a valid sha256 is an error before anything is read; a read error is an
// error with the bytes read so far.
// A model file larger than `max_bytes` is an error as soon as that much
// has been read, so a device or an endless pipe cannot keep the check
// running. The default is far above any published model.
inline constexpr uint64_t kDefaultMaxModelBytes = uint64_t{4} << 40;  // 4 TiB
ModelVerification VerifyModel(const Model& model, const ReadCallback& read,
                              uint64_t max_bytes = kDefaultMaxModelBytes);
ModelVerification VerifyModel(const Model& model, std::istream& stream,
                              uint64_t max_bytes = kDefaultMaxModelBytes);

struct VerifyFileOptions {
  uint64_t max_bytes = kDefaultMaxModelBytes;
  // When given, runs before each read; an error from it ends the check
  // with that error (a Python caller's Ctrl-C).
  std::function<absl::Status()> between_reads;
};
// Reads the file at `path` ("-" is standard input).
ModelVerification VerifyModelFile(const Model& model, const std::string& path,
                                  const VerifyFileOptions& options = {});

}  // namespace sympozium

#endif  // SYMPOZIUM_LIB_EVALUATE_MODEL_INTEGRITY_H_
