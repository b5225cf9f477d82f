// Model integrity: the download job's hash check of a Sympozium `Model`'s
// file, streamed through SHA-256 in bounded memory (docs/checks.md#model-admission).
// Admission of Model documents is Evaluate's (sympozium/evaluate.h).
#ifndef SYMPOZIUM_MODEL_INTEGRITY_H_
#define SYMPOZIUM_MODEL_INTEGRITY_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "sympozium/export.h"
#include "sympozium/read.h"

SYMPOZIUM_API_BEGIN
namespace sympozium {

// Reads up to `size` bytes into `buffer`: the count, 0 at the end, or an
// error.
using ReadCallback = std::function<absl::StatusOr<size_t>(char* buffer, size_t size)>;

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
// `model` is a Model document; an error when it does not decode as one.
absl::StatusOr<ModelVerification> VerifyModel(const Document& model, const ReadCallback& read,
                                              uint64_t max_bytes = kDefaultMaxModelBytes);

struct VerifyFileOptions {
  uint64_t max_bytes = kDefaultMaxModelBytes;
  // When given, runs before each read; an error from it ends the check
  // with that error (a Python caller's Ctrl-C).
  std::function<absl::Status()> between_reads;
};
// Reads the file at `path` ("-" is standard input).
absl::StatusOr<ModelVerification> VerifyModelFile(const Document& model, const std::string& path,
                                                  const VerifyFileOptions& options = {});
// The same against a bare digest, as `spec.source.sha256` would give it.
ModelVerification VerifySha256File(std::string_view sha256, const std::string& path,
                                   const VerifyFileOptions& options = {});

}  // namespace sympozium
SYMPOZIUM_API_END

#endif  // SYMPOZIUM_MODEL_INTEGRITY_H_
