// Reading one input file (or standard input) under limits.max_bytes.
//
// The limit holds while reading: a regular file larger than it is refused
// from its size before a byte is read, and a pipe or device is read in
// chunks until the limit is passed, so `/dev/zero` or an endless pipe costs
// at most max_bytes of memory and stops at once. A regular file that
// changes while it is read (a config file rewritten in place) is read
// again, so a half-written file is never taken for a whole one.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "absl/strings/str_cat.h"
#include "lib/read/document.h"
#include "sympozium/diagnostic.h"

namespace sympozium {
namespace {

constexpr size_t kChunk = 64 << 10;
constexpr int kReadAttempts = 3;  // re-reads of a file that keeps changing

// What identifies one version of a regular file.
struct Stamp {
  dev_t device = 0;
  ino_t inode = 0;
  off_t size = 0;
  timespec modified{};

  bool operator==(const Stamp& o) const {
    return device == o.device && inode == o.inode && size == o.size &&
           modified.tv_sec == o.modified.tv_sec && modified.tv_nsec == o.modified.tv_nsec;
  }
};

Stamp StampOf(const struct stat& st) { return {st.st_dev, st.st_ino, st.st_size, st.st_mtim}; }

absl::Status Errno(const std::string& shown, const char* what) {
  return absl::DataLossError(absl::StrCat(shown, ": ", what, ": ", std::strerror(errno)));
}

// `size`: the file's, or 0 for a stream whose length is not known.
absl::Status TooLarge(const std::string& shown, uint64_t size, size_t max) {
  std::string what = size == 0 ? absl::StrCat("more than ", max, " bytes")
                               : absl::StrCat(size, " bytes, more than ", max);
  return WithCode(
      absl::InvalidArgumentError(absl::StrCat(shown, ": limit.max_bytes: input is ", what)),
      "limit.max_bytes");
}

// Reads `fd` to its end, failing as soon as more than `max` bytes arrive.
absl::StatusOr<std::string> ReadToEnd(int fd, const std::string& shown, size_t max,
                                      size_t size_hint) {
  std::string data;
  data.reserve(std::min(size_hint, max));
  char chunk[kChunk];
  for (;;) {
    ssize_t n = read(fd, chunk, sizeof chunk);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return Errno(shown, "read error");
    if (n == 0) return data;
    if (static_cast<size_t>(n) > max - data.size()) return TooLarge(shown, 0, max);
    data.append(chunk, static_cast<size_t>(n));
  }
}

class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

// One attempt at a path: the bytes, and whether the file stayed the same
// while they were read (always true for pipes and devices).
absl::StatusOr<std::string> ReadPathOnce(const std::string& path, size_t max, bool* stable) {
  Fd fd(open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) return absl::NotFoundError(absl::StrCat(path, ": cannot open file"));
  struct stat before;
  if (fstat(fd.get(), &before) != 0) return Errno(path, "cannot stat");
  bool regular = S_ISREG(before.st_mode);
  if (regular && static_cast<uint64_t>(before.st_size) > max)
    return TooLarge(path, static_cast<uint64_t>(before.st_size), max);
  absl::StatusOr<std::string> data =
      ReadToEnd(fd.get(), path, max, regular ? static_cast<size_t>(before.st_size) : 0);
  if (!data.ok() || !regular) return data;
  struct stat after;
  *stable = stat(path.c_str(), &after) == 0 && StampOf(before) == StampOf(after) &&
            data->size() == static_cast<size_t>(before.st_size);
  return data;
}

}  // namespace

absl::StatusOr<std::string> ReadFile(const std::string& path, const Limits& limits) {
  if (path == "-") return ReadToEnd(STDIN_FILENO, "<stdin>", limits.max_bytes, 0);
  for (int attempt = 0; attempt < kReadAttempts; ++attempt) {
    bool stable = true;
    absl::StatusOr<std::string> data = ReadPathOnce(path, limits.max_bytes, &stable);
    if (!data.ok() || stable) return data;
  }
  return absl::UnavailableError(absl::StrCat(path, ": the file kept changing while it was read (",
                                             kReadAttempts,
                                             " attempts); try again once it is written"));
}

}  // namespace sympozium
