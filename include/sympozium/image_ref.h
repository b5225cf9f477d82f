// Image references: normalisation and registry-allowlist matching.
//
// compat (SPEC §3.3 check 14): an image passes when it starts with an
// allowlist entry, as raw strings.
// strict (SPEC §11 S3): references are normalised the way container
// runtimes do (`busybox` -> `docker.io/library/busybox`, `user/app` ->
// `docker.io/user/app`, `index.docker.io` -> `docker.io`; tag and digest
// kept) and an entry matches on a path-segment boundary: `ghcr.io/acme`
// matches `ghcr.io/acme/x` and `ghcr.io/acme` itself, not `ghcr.io/acme-evil/x`.
// An entry ending in `/` matches anything below it.
#ifndef SYMPOZIUM_IMAGE_REF_H_
#define SYMPOZIUM_IMAGE_REF_H_

#include <string>
#include <string_view>

namespace sympozium {

struct ImageRef {
  std::string registry;    // "docker.io", "ghcr.io", "localhost:5000"
  std::string repository;  // "library/busybox", "sympozium-ai/sympozium/agent"
  std::string tag;         // "" when absent
  std::string digest;      // "sha256:..." or ""

  // registry/repository[:tag][@digest]
  std::string ToString() const;
  // registry/repository (what allowlists are matched against)
  std::string Name() const { return registry + "/" + repository; }
};

// Normalises a reference as written in a pod spec. Never fails: a reference
// that is not well formed is kept as written in `repository` under the
// registry it appears to name, so matching it against an allowlist stays
// conservative (it matches only what it literally starts with).
ImageRef NormalizeImage(std::string_view image);

// Normalises an allowlist entry (a registry, or a registry plus repository
// prefix, with or without a trailing '/'): `docker.io/library/` stays as is,
// `busybox` is not an entry anyone writes but reads as `docker.io/library/busybox`.
std::string NormalizeRegistryEntry(std::string_view entry);

// Strict matching (S3): `normalized_entry` is the result of
// NormalizeRegistryEntry. True when the image's normalised name equals the
// entry or continues it after a '/'.
bool ImageMatchesEntry(const ImageRef& image, std::string_view normalized_entry);

// Compat matching: raw prefix.
inline bool ImageHasPrefix(std::string_view image, std::string_view entry) {
  return image.substr(0, entry.size()) == entry;
}

}  // namespace sympozium

#endif  // SYMPOZIUM_IMAGE_REF_H_
