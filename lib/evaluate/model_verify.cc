// The download job's integrity check: stream the file through SHA-256
// (OpenSSL's EVP interface) in one fixed buffer and compare with the Model's
// spec.source.sha256.
#include <fcntl.h>
#include <openssl/evp.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "lib/decode/decode.h"
#include "lib/evaluate/model_verify.h"
#include "lib/read/document.h"
#include "lib/write/write.h"
#include "sympozium/model_integrity.h"
#include "sympozium/strings.h"

namespace sympozium {
namespace {

struct MdCtxFree {
  void operator()(EVP_MD_CTX* ctx) const { EVP_MD_CTX_free(ctx); }
};

ModelVerification Error(ModelVerification v, std::string message) {
  v.status = ModelVerification::Status::kError;
  v.error = std::move(message);
  return v;
}

absl::Status ErrnoStatus(std::string_view what) {
  int error = errno;
  return absl::Status(absl::ErrnoToStatusCode(error), StrCat(what, ": ", std::strerror(error)));
}

// Why `sha` cannot be compared with, or "" when it is a digest. Judged by
// the admission rule, so the wording is the Go validator's.
std::string DigestProblem(Str sha) {
  if (sha.empty()) return "the model has no spec.source.sha256 to verify against";
  Model probe;
  probe.spec.source = ModelSource{"", "x", sha};
  EvaluateOptions compat;
  compat.mode = Mode::kCompat;
  Decision d = EvaluateModel(probe, compat);
  return d.allowed ? "" : StrCat("spec.source.sha256 is not a SHA-256 digest: ", d.message);
}

}  // namespace

std::string_view VerificationStatusName(ModelVerification::Status status) {
  switch (status) {
    case ModelVerification::Status::kMatch:
      return "match";
    case ModelVerification::Status::kMismatch:
      return "mismatch";
    case ModelVerification::Status::kError:
      return "error";
  }
  return "error";
}

ModelVerification VerifyModel(const Model& model, const ReadCallback& read, uint64_t max_bytes) {
  ModelVerification v;
  Str sha = model.spec.source ? model.spec.source->sha256 : Str();
  if (std::string problem = DigestProblem(sha); !problem.empty())
    return Error(std::move(v), std::move(problem));
  v.expected = absl::AsciiStrToLower(AsAbsl(sha));

  std::unique_ptr<EVP_MD_CTX, MdCtxFree> ctx(EVP_MD_CTX_new());
  if (!ctx || EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr) != 1)
    return Error(std::move(v), "cannot initialise SHA-256 (OpenSSL)");
  std::vector<char> buffer(kVerifyBufferSize);
  for (;;) {
    absl::StatusOr<size_t> n = read(buffer.data(), buffer.size());
    if (!n.ok())
      return Error(std::move(v),
                   v.bytes == 0 ? std::string(n.status().message())
                                : StrCat(n.status().message(), " (after ", v.bytes, " bytes)"));
    if (*n == 0) break;
    if (EVP_DigestUpdate(ctx.get(), buffer.data(), *n) != 1)
      return Error(std::move(v), "SHA-256 update failed (OpenSSL)");
    v.bytes += *n;
    if (v.bytes > max_bytes)
      return Error(std::move(v),
                   StrCat("the file is larger than the limit of ", max_bytes, " bytes"));
  }
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (EVP_DigestFinal_ex(ctx.get(), digest, &length) != 1)
    return Error(std::move(v), "SHA-256 final failed (OpenSSL)");
  v.actual =
      absl::BytesToHexString(absl::string_view(reinterpret_cast<const char*>(digest), length));
  v.status = v.actual == v.expected ? ModelVerification::Status::kMatch
                                    : ModelVerification::Status::kMismatch;
  return v;
}

ModelVerification VerifyModel(const Model& model, std::istream& stream, uint64_t max_bytes) {
  return VerifyModel(
      model,
      [&stream](char* buffer, size_t size) -> absl::StatusOr<size_t> {
        stream.read(buffer, static_cast<std::streamsize>(size));
        if (stream.bad()) return absl::DataLossError("stream read error");
        return static_cast<size_t>(stream.gcount());
      },
      max_bytes);
}

ModelVerification VerifyModelFile(const Model& model, const std::string& path,
                                  const VerifyFileOptions& options) {
  // Opened on the first read, so a bad model is reported before a bad path.
  int fd = -1;
  ModelVerification v = VerifyModel(
      model,
      [&](char* buffer, size_t size) -> absl::StatusOr<size_t> {
        if (options.between_reads)
          if (absl::Status s = options.between_reads(); !s.ok()) return s;
        if (fd < 0) {
          fd = path == "-" ? STDIN_FILENO : ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
          if (fd < 0) return ErrnoStatus(StrCat("cannot open ", path));
          ::posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
        }
        for (;;) {
          ssize_t n = ::read(fd, buffer, size);
          if (n >= 0) return static_cast<size_t>(n);
          if (errno != EINTR) return ErrnoStatus(StrCat("reading ", path));
        }
      },
      options.max_bytes);
  if (fd > STDIN_FILENO) ::close(fd);
  return v;
}

namespace {

absl::StatusOr<Decoded<Model>> DecodedModel(const Document& model) {
  return DecodeModel(model.Subtree(model.root(), model.Describe()));
}

}  // namespace

absl::StatusOr<ModelVerification> VerifyModel(const Document& model, const ReadCallback& read,
                                              uint64_t max_bytes) {
  absl::StatusOr<Decoded<Model>> decoded = DecodedModel(model);
  if (!decoded.ok()) return decoded.status();
  return VerifyModel(decoded->get(), read, max_bytes);
}

absl::StatusOr<ModelVerification> VerifyModelFile(const Document& model, const std::string& path,
                                                  const VerifyFileOptions& options) {
  absl::StatusOr<Decoded<Model>> decoded = DecodedModel(model);
  if (!decoded.ok()) return decoded.status();
  return VerifyModelFile(decoded->get(), path, options);
}

ModelVerification VerifySha256File(std::string_view sha256, const std::string& path,
                                   const VerifyFileOptions& options) {
  Model bare;
  bare.spec.source = ModelSource{"", "", sha256};
  return VerifyModelFile(bare, path, options);
}

}  // namespace sympozium
