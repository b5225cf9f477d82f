// Image references: normalisation and registry-allowlist matching.
//
// compat (docs/checks.md, check 14): an image passes when it starts with an
// allowlist entry, as raw strings.
// strict (docs/checks.md, rule S3): references are normalised the way container
// runtimes do (`busybox` -> `docker.io/library/busybox`, `user/app` ->
// `docker.io/user/app`, `index.docker.io` -> `docker.io`; tag and digest
// kept) and an entry matches on a path-segment boundary: `ghcr.io/acme`
// matches `ghcr.io/acme/x` and `ghcr.io/acme` itself, not `ghcr.io/acme-evil/x`.
// An entry ending in `/` matches anything below it.
#ifndef SYMPOZIUM_LIB_BASE_IMAGE_REF_H_
#define SYMPOZIUM_LIB_BASE_IMAGE_REF_H_

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_set.h"

namespace sympozium {

struct ImageRef {
  std::string registry;    // "docker.io", "ghcr.io", "localhost:5000" ("" only when malformed)
  std::string repository;  // "library/busybox", "sympozium-ai/sympozium/agent"
  std::string tag;         // "" when absent
  std::string digest;      // "sha256:..." or ""

  // registry/repository[:tag][@digest]
  std::string ToString() const;
  // registry/repository (what allowlists are matched against)
  std::string Name() const { return registry + "/" + repository; }
};

// Normalises a reference as written in a pod spec, the way
// distribution/reference's ParseNormalizedNamed does: the first path
// component is the registry when it contains '.' or ':', is `localhost` or
// has an uppercase letter (kept as written); otherwise the registry is
// docker.io. Never fails. A reference the grammar rejects (empty, uppercase
// repository, spaces, bad tag or digest, a bare 64-hex ID) gets no defaults
// and no tag/digest split: it is cut at its first '/' into registry and
// repository, so Name() is the text as written and it matches only entries
// the text itself continues; with no '/' (or nothing before the first) the
// registry is empty and it matches no entry. ToString() then returns the
// text as written.
ImageRef NormalizeImage(std::string_view image);

// Normalises an allowlist entry: a registry, or a registry plus repository
// prefix, with or without a trailing '/' (kept). The first component is a
// registry by the same test as NormalizeImage, `index.docker.io` becomes
// `docker.io`; otherwise the entry is a Docker Hub namespace (`library/`,
// `acme/` -> `docker.io/acme/`), except a single bare component such as
// `busybox`, which is written like an image and reads as
// `docker.io/library/busybox`. Entries carry no tag or digest. An empty
// entry (or `/`) normalises to "", which matches nothing.
std::string NormalizeRegistryEntry(std::string_view entry);

// Strict matching (S3): `normalized_entry` is the result of
// NormalizeRegistryEntry. With one trailing '/' removed from the entry, true
// when the image's Name() equals it or continues it after a '/'; false for
// an empty entry.
bool ImageMatchesEntry(const ImageRef& image, std::string_view normalized_entry);

// Compat matching: raw prefix.
inline bool ImageHasPrefix(std::string_view image, std::string_view entry) {
  return image.substr(0, entry.size()) == entry;
}

// An allowlist prepared for matching, so that its length does not matter:
// a strict match looks up each '/'-boundary prefix of the image's Name(),
// a compat match each prefix of the image whose length some entry has.
// Answers exactly as trying every entry with ImageMatchesEntry or
// ImageHasPrefix would.
class RegistryAllowlist {
 public:
  RegistryAllowlist() = default;
  // `entries` as written and the same entries normalised
  // (NormalizeRegistryEntry), in the same order.
  RegistryAllowlist(const std::vector<std::string>& entries,
                    const std::vector<std::string>& normalized_entries);
  // `entries` as written, normalised here (the compiler keeps its own
  // normalised copy and passes both).
  explicit RegistryAllowlist(const std::vector<std::string>& entries);

  bool MatchesStrict(const ImageRef& image) const;
  // The same for an image as written, without building its ImageRef: the
  // admission path matches with no allocation.
  bool MatchesStrict(std::string_view image) const;
  bool MatchesCompat(std::string_view image) const;

  size_t MemoryUsage() const;  // heap bytes, beyond sizeof(*this)

 private:
  bool MatchesName(absl::string_view name) const;  // a normalised registry/repository

  absl::flat_hash_set<std::string> strict_;  // normalised entries, one trailing '/' removed
  absl::flat_hash_set<std::string> compat_;  // entries as written
  std::vector<size_t> compat_lengths_;       // the lengths in compat_, ascending
};

}  // namespace sympozium

#endif  // SYMPOZIUM_LIB_BASE_IMAGE_REF_H_
