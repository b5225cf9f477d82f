// Model integrity: admission of Model documents (the Go ModelValidator's
// wording, strict's https rule) and VerifyModel on files generated here,
// including a multi-gigabyte sparse file streamed in bounded memory.
#include <doctest/doctest.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/escaping.h"
#include "lib/decode/decode.h"
#include "lib/evaluate/model_verify.h"
#include "sympozium/evaluate.h"
#include "sympozium/model_integrity.h"

namespace sympozium {
namespace {

constexpr char kAbc[] = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
constexpr char kEmpty[] = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

Model SourceModel(Str url, Str model_id, Str sha) {
  Model m;
  m.metadata.name = "llama";
  m.spec.source = ModelSource{url, model_id, sha};
  return m;
}

Decision Check(Str url, Str model_id, Str sha, Mode mode = Mode::kCompat) {
  EvaluateOptions options;
  options.mode = mode;
  return EvaluateModel(SourceModel(url, model_id, sha), options);
}

TEST_CASE("model: a source needs url or modelID") {
  for (Mode mode : {Mode::kCompat, Mode::kStrict}) {
    Decision d = Check("", "", "", mode);
    CHECK_FALSE(d.allowed);
    CHECK(d.status == 403);
    CHECK(d.code == "model.source_missing");
    CHECK(d.message == "model source must specify either url or modelID");
    CHECK(d.violations[0].path == "spec.source");
    Model no_source;
    CHECK(EvaluateModel(no_source).code == "model.source_missing");
    Decision ok = Check("", "meta-llama/Llama-3-8B", "", mode);
    CHECK(ok.allowed);
    CHECK(ok.message == "model validated");
  }
}

TEST_CASE("model: a url must be http:// or https:// (case-sensitive, as Go)") {
  for (Mode mode : {Mode::kCompat, Mode::kStrict}) {
    for (Str url : {"ftp://models.example.com/x.gguf", "HTTPS://models.example.com/x",
                    "models.example.com/x", "file:///etc/passwd"}) {
      Decision d = Check(url, "", "", mode);
      CHECK(d.code == "model.url_scheme");
      CHECK(d.message == "model source URL must use http:// or https:// scheme");
      CHECK(d.violations[0].path == "spec.source.url");
    }
    CHECK(Check("https://huggingface.co/x.gguf", "", "", mode).allowed);
  }
  CHECK(Check("http://models.example.com/x.gguf", "", "").allowed);  // compat: plain http ok
}

TEST_CASE("model: strict allows plain http only to in-cluster hosts") {
  Decision d = Check("http://models.example.com:8080/x.gguf", "", "", Mode::kStrict);
  CHECK(d.code == "model.url_insecure");
  CHECK(d.message ==
        "model source URL must use https:// scheme unless the host is in-cluster (host "
        "\"models.example.com\")");
  CHECK(d.violations[0].path == "spec.source.url");
  for (Str url :
       {"http://ollama.models.svc:11434/x", "http://ollama.models.svc.cluster.local/x",
        "http://minio.store.cluster.local/bucket/x", "http://localhost:8000/x",
        "http://model-cache/x", "http://user:pw@model-cache:80/x", "http://OLLAMA.Models.SVC/x"})
    CHECK_MESSAGE(Check(url, "", "", Mode::kStrict).allowed, url);
  for (Str url : {"http://127.0.0.1/x", "http://[::1]:80/x", "http://2130706433/x",
                  "http://svc.evil.com/x", "http://model-cache@evil.com/x", "http:///x",
                  "http://evil.com?x=.svc", "http://evil.com#.svc"})
    CHECK_MESSAGE(Check(url, "", "", Mode::kStrict).code == "model.url_insecure", url);
}

TEST_CASE("model: the host of a URL and what counts as in-cluster") {
  CHECK(UrlHost("http://a.b:80/x") == "a.b");
  CHECK(UrlHost("https://u:p@Host.Example/x?q#f") == "host.example");
  CHECK(UrlHost("http://[fe80::1]:8080/") == "fe80::1");
  CHECK(UrlHost("http://x@y@z/") == "z");
  CHECK(UrlHost("http://") == "");
  CHECK(UrlHost("no-scheme") == "");
  CHECK(IsInClusterHost("localhost"));
  CHECK(IsInClusterHost("a.b.svc"));
  CHECK(IsInClusterHost("a.b.svc.cluster.local"));
  CHECK(IsInClusterHost("cache"));
  CHECK_FALSE(IsInClusterHost(""));
  CHECK_FALSE(IsInClusterHost("1cache"));  // not a DNS-1035 label
  CHECK_FALSE(IsInClusterHost("cache-"));
}

TEST_CASE("model: sha256 must be exactly 64 hex characters") {
  std::string ok(64, 'a');
  for (Mode mode : {Mode::kCompat, Mode::kStrict}) {
    CHECK(Check("", "m", ok, mode).allowed);
    CHECK(Check("", "m", std::string(32, 'A') + std::string(32, '0'), mode).allowed);
    Decision d = Check("", "m", std::string(63, 'a'), mode);
    CHECK(d.code == "model.sha256_invalid");
    CHECK(d.message == "sha256 checksum must be exactly 64 hex characters, got 63");
    CHECK(d.violations[0].path == "spec.source.sha256");
    CHECK(Check("", "m", std::string(65, 'a'), mode).message ==
          "sha256 checksum must be exactly 64 hex characters, got 65");
    std::string bad = ok;
    bad[10] = 'g';
    bad[20] = 'z';
    CHECK(Check("", "m", bad, mode).message == "sha256 checksum contains invalid character: g");
    // Go counts bytes for the length and prints runes.
    std::string accented = std::string(62, 'a') + "\xC3\xA9";  // 64 bytes, 63 runes
    CHECK(Check("", "m", accented, mode).message ==
          "sha256 checksum contains invalid character: \xC3\xA9");
    std::string broken = std::string(63, 'a') + "\xFF";
    CHECK(Check("", "m", broken, mode).message ==
          "sha256 checksum contains invalid character: \xEF\xBF\xBD");
  }
}

TEST_CASE("model: every problem is listed, in the Go validator's order") {
  Decision d = Check("ftp://x", "", "xyz", Mode::kCompat);
  REQUIRE(d.violations.size() == 2);
  CHECK(d.code == "model.url_scheme");
  CHECK(d.violations[1].code == "model.sha256_invalid");
  d = Check("", "", "xyz", Mode::kCompat);
  REQUIRE(d.violations.size() == 2);
  CHECK(d.code == "model.source_missing");
}

TEST_CASE("model: Evaluate dispatches Model documents") {
  std::string yaml =
      "apiVersion: sympozium.ai/v1alpha1\nkind: Model\nmetadata: {name: llama, namespace: ai}\n"
      "spec:\n  source:\n    url: http://files.example.com/llama.gguf\n    sha256: abc\n";
  Decision strict = Evaluate(yaml, Binding::None());
  REQUIRE(strict.violations.size() == 2);
  CHECK(strict.code == "model.url_insecure");
  CHECK(strict.violations[1].message == "sha256 checksum must be exactly 64 hex characters, got 3");
  EvaluateOptions compat;
  compat.mode = Mode::kCompat;
  CHECK(Evaluate(yaml, Binding::None(), compat).code == "model.sha256_invalid");
  Decision bad = Evaluate(
      "apiVersion: sympozium.ai/v1alpha1\nkind: Model\nmetadata: {name: m}\nspec: {source: [1]}\n",
      Binding::None());
  CHECK(bad.code == "decode.error");
  CHECK(bad.status == 400);
}

// ---------------------------------------------------------------------------
// VerifyModel

Model WithSha(const std::string& sha) {
  Model m;
  m.spec.source = ModelSource{"https://x/m.gguf", "", sha};
  return m;
}

// The reference digest, through OpenSSL's one-shot EVP_Digest.
std::string OneShot(const std::string& bytes) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  REQUIRE(EVP_Digest(bytes.data(), bytes.size(), md, &n, EVP_sha256(), nullptr) == 1);
  return absl::BytesToHexString(absl::string_view(reinterpret_cast<char*>(md), n));
}

// A temporary directory removed at scope exit.
struct TempDir {
  std::filesystem::path path;
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "sym-model-XXXXXX").string();
    REQUIRE(mkdtemp(pattern.data()) != nullptr);
    path = pattern;
  }
  ~TempDir() { std::filesystem::remove_all(path); }
  std::string File(const std::string& name, const std::string& bytes) const {
    std::string p = (path / name).string();
    std::ofstream(p, std::ios::binary) << bytes;
    return p;
  }
};

TEST_CASE("model: VerifyModel matches known digests and reports mismatches") {
  std::istringstream abc("abc");
  ModelVerification v = VerifyModel(WithSha(kAbc), abc);
  CHECK(v.match());
  CHECK(v.actual == kAbc);
  CHECK(v.bytes == 3);

  std::istringstream empty("");
  v = VerifyModel(WithSha(kEmpty), empty);
  CHECK(v.match());
  CHECK(v.bytes == 0);

  // The expected digest is compared case-insensitively and reported lowercase.
  std::string upper = kAbc;
  for (char& c : upper) c = static_cast<char>(std::toupper(c));
  std::istringstream again("abc");
  v = VerifyModel(WithSha(upper), again);
  CHECK(v.match());
  CHECK(v.expected == kAbc);

  std::istringstream other("abd");
  v = VerifyModel(WithSha(kAbc), other);
  CHECK(v.status == ModelVerification::Status::kMismatch);
  CHECK(v.expected == kAbc);
  CHECK(v.actual == OneShot("abd"));
  CHECK(v.bytes == 3);
  CHECK(v.ToJson() == "{\"status\":\"mismatch\",\"match\":false,\"expected\":\"" +
                          std::string(kAbc) + "\",\"actual\":\"" + OneShot("abd") +
                          "\",\"bytes\":3,\"error\":\"\"}");
}

TEST_CASE("model: VerifyModel on generated files, across buffer boundaries") {
  TempDir dir;
  for (size_t size : {size_t{1}, kVerifyBufferSize - 1, kVerifyBufferSize, kVerifyBufferSize + 1,
                      3 * kVerifyBufferSize + 12345}) {
    std::string bytes(size, '\0');
    for (size_t i = 0; i < size; ++i) bytes[i] = static_cast<char>((i * 131 + size) % 251);
    std::string path = dir.File("m.bin", bytes);
    ModelVerification v = VerifyModelFile(WithSha(OneShot(bytes)), path);
    CHECK_MESSAGE(v.match(), size);
    CHECK(v.bytes == size);
    bytes[size / 2] ^= 1;  // one flipped bit
    dir.File("m.bin", bytes);
    v = VerifyModelFile(WithSha(v.actual), path);
    CHECK(v.status == ModelVerification::Status::kMismatch);
    CHECK(v.actual == OneShot(bytes));
  }
}

TEST_CASE("model: VerifyModel errors: no digest, bad digest, unreadable input") {
  bool read_called = false;
  ReadCallback never = [&](char*, size_t) -> absl::StatusOr<size_t> {
    read_called = true;
    return size_t{0};
  };
  ModelVerification v = VerifyModel(Model{}, never);
  CHECK(v.status == ModelVerification::Status::kError);
  CHECK(v.error == "the model has no spec.source.sha256 to verify against");
  v = VerifyModel(WithSha("abc"), never);
  CHECK(v.error ==
        "spec.source.sha256 is not a SHA-256 digest: sha256 checksum must be exactly 64 hex "
        "characters, got 3");
  CHECK_FALSE(read_called);  // nothing is read when there is nothing to compare with

  int calls = 0;
  ReadCallback failing = [&](char* buffer, size_t size) -> absl::StatusOr<size_t> {
    if (++calls == 3) return absl::DataLossError("connection reset");
    std::fill(buffer, buffer + size, 'x');
    return size;
  };
  v = VerifyModel(WithSha(kAbc), failing);
  CHECK(v.status == ModelVerification::Status::kError);
  CHECK(v.bytes == 2 * kVerifyBufferSize);
  CHECK(v.actual.empty());
  CHECK(v.error == "connection reset (after 2097152 bytes)");

  v = VerifyModelFile(WithSha(kAbc), "/nonexistent/model.gguf");
  CHECK(v.status == ModelVerification::Status::kError);
  CHECK(v.error == "cannot open /nonexistent/model.gguf: No such file or directory");
  v = VerifyModelFile(Model{}, "/nonexistent/model.gguf");  // the model is reported first
  CHECK(v.error == "the model has no spec.source.sha256 to verify against");
}

// Peak resident memory since the last reset, in bytes (VmHWM).
long PeakRss() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line))
    if (line.rfind("VmHWM:", 0) == 0) return std::stol(line.substr(6)) * 1024;
  return -1;
}

long CurrentRss() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line))
    if (line.rfind("VmRSS:", 0) == 0) return std::stol(line.substr(6)) * 1024;
  return -1;
}

TEST_CASE("model: a 3 GiB sparse file streams through VerifyModel in bounded memory") {
  constexpr off_t kSize = off_t{3} << 30;
  struct Patch {
    off_t offset;
    std::string bytes;
  };
  // Data in the first block, across the 1 GiB mark, inside a buffer and as
  // the very last byte; everything else is a hole that reads as zeros.
  const std::vector<Patch> patches = {{0, "GGUF"},
                                      {(off_t{1} << 30) - 3, "boundary"},
                                      {(off_t{2} << 30) + 12345, "middle"},
                                      {kSize - 1, "!"}};
  TempDir dir;
  std::string path = (dir.path / "sparse.gguf").string();
  int fd = ::open(path.c_str(), O_CREAT | O_WRONLY | O_TRUNC, 0600);
  REQUIRE(fd >= 0);
  REQUIRE(::ftruncate(fd, kSize) == 0);
  for (const Patch& p : patches)
    REQUIRE(::pwrite(fd, p.bytes.data(), p.bytes.size(), p.offset) ==
            static_cast<ssize_t>(p.bytes.size()));
  REQUIRE(::close(fd) == 0);
  REQUIRE(std::filesystem::file_size(path) == static_cast<uintmax_t>(kSize));
  struct stat st;
  REQUIRE(::stat(path.c_str(), &st) == 0);
  CHECK(st.st_blocks * 512 < (off_t{1} << 20));  // really sparse: no 3 GiB written to disk

  // The reference digest, without reading the file: the known content fed
  // to EVP piecewise, zeros from one small block.
  std::vector<char> zeros(size_t{4} << 20, '\0');
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  REQUIRE(EVP_DigestInit_ex(ctx, EVP_sha256(), nullptr) == 1);
  off_t at = 0;
  auto feed_zeros = [&](off_t until) {
    while (at < until) {
      size_t n = static_cast<size_t>(std::min<off_t>(until - at, zeros.size()));
      REQUIRE(EVP_DigestUpdate(ctx, zeros.data(), n) == 1);
      at += n;
    }
  };
  for (const Patch& p : patches) {
    feed_zeros(p.offset);
    REQUIRE(EVP_DigestUpdate(ctx, p.bytes.data(), p.bytes.size()) == 1);
    at += p.bytes.size();
  }
  feed_zeros(kSize);
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int md_len = 0;
  REQUIRE(EVP_DigestFinal_ex(ctx, md, &md_len) == 1);
  EVP_MD_CTX_free(ctx);
  std::string expected =
      absl::BytesToHexString(absl::string_view(reinterpret_cast<char*>(md), md_len));
  zeros = std::vector<char>();
  zeros.shrink_to_fit();

  // Reset the peak-RSS mark (Linux >= 4.0), so VmHWM covers only the check.
  bool reset = static_cast<bool>(std::ofstream("/proc/self/clear_refs") << "5");
  long before = reset ? CurrentRss() : PeakRss();
  auto start = std::chrono::steady_clock::now();
  ModelVerification v = VerifyModelFile(WithSha(expected), path);
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  long growth = PeakRss() - before;
  MESSAGE("3 GiB verified in " << seconds << " s; peak RSS grew by " << growth / 1024 << " KiB");

  CHECK(v.match());
  CHECK(v.actual == expected);
  CHECK(v.bytes == static_cast<uint64_t>(kSize));
  CHECK(growth < 16L << 20);  // one 1 MiB buffer, not the file
}

}  // namespace
}  // namespace sympozium
