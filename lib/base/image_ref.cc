// Image reference normalisation after github.com/distribution/reference
// (ParseNormalizedNamed, with go-digest's digest validation), and the
// strict allowlist match of docs/checks.md, rule S3.
#include "lib/base/image_ref.h"

#include <algorithm>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>

#include "absl/strings/string_view.h"
#include "sympozium/strings.h"

namespace sympozium {
namespace {

constexpr std::string_view kDefaultDomain = "docker.io";
constexpr std::string_view kLegacyDefaultDomain = "index.docker.io";
constexpr std::string_view kOfficialRepoPrefix = "library/";
constexpr std::string_view kLocalhost = "localhost";
// distribution/reference RepositoryNameTotalLengthMax (applies to the path).
constexpr size_t kMaxPathLength = 255;
constexpr size_t kMaxTagLength = 128;

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsLower(char c) { return c >= 'a' && c <= 'z'; }
bool IsUpper(char c) { return c >= 'A' && c <= 'Z'; }
bool IsLowerAlnum(char c) { return IsLower(c) || IsDigit(c); }
bool IsAlnum(char c) { return IsLowerAlnum(c) || IsUpper(c); }
bool IsWordChar(char c) { return IsAlnum(c) || c == '_'; }
bool IsLowerHex(char c) { return IsDigit(c) || (c >= 'a' && c <= 'f'); }
bool IsHex(char c) { return IsLowerHex(c) || (c >= 'A' && c <= 'F'); }

template <typename Pred>
bool AllOf(std::string_view s, Pred pred) {
  for (char c : s) {
    if (!pred(c)) return false;
  }
  return true;
}

bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

// path-component := [a-z0-9]+ ( ( [._] | __ | -+ ) [a-z0-9]+ )*
bool IsPathComponent(std::string_view s) {
  size_t i = 0;
  while (true) {
    const size_t start = i;
    while (i < s.size() && IsLowerAlnum(s[i])) ++i;
    if (i == start) return false;
    if (i == s.size()) return true;
    if (s[i] == '.') {
      ++i;
    } else if (s[i] == '_') {
      i += (i + 1 < s.size() && s[i + 1] == '_') ? 2 : 1;
    } else if (s[i] == '-') {
      while (i < s.size() && s[i] == '-') ++i;
    } else {
      return false;
    }
  }
}

// remote-name := path-component ( '/' path-component )*
bool IsRemoteName(std::string_view s) {
  while (true) {
    const size_t slash = s.find('/');
    if (!IsPathComponent(s.substr(0, slash))) return false;
    if (slash == std::string_view::npos) return true;
    s.remove_prefix(slash + 1);
  }
}

// domain-name-component := [a-zA-Z0-9] | [a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]
bool IsDomainNameComponent(std::string_view s) {
  return !s.empty() && IsAlnum(s.front()) && IsAlnum(s.back()) &&
         AllOf(s, [](char c) { return IsAlnum(c) || c == '-'; });
}

// domain := ( domain-name | '[' ipv6 ']' ) ( ':' [0-9]+ )?
// where domain-name is dot-separated components (IPv4 included).
bool IsDomain(std::string_view s) {
  std::string_view host = s;
  std::string_view port;
  bool has_port = false;
  if (!s.empty() && s.front() == '[') {
    const size_t close = s.find(']');
    if (close == std::string_view::npos) return false;
    host = s.substr(0, close + 1);
    const std::string_view rest = s.substr(close + 1);
    if (!rest.empty()) {
      if (rest.front() != ':') return false;
      has_port = true;
      port = rest.substr(1);
    }
    const std::string_view address = host.substr(1, host.size() - 2);
    if (address.empty() || !AllOf(address, [](char c) { return IsHex(c) || c == ':'; })) {
      return false;
    }
  } else {
    const size_t colon = s.find(':');
    if (colon != std::string_view::npos) {
      has_port = true;
      host = s.substr(0, colon);
      port = s.substr(colon + 1);
    }
    while (true) {
      const size_t dot = host.find('.');
      if (!IsDomainNameComponent(host.substr(0, dot))) return false;
      if (dot == std::string_view::npos) break;
      host.remove_prefix(dot + 1);
    }
  }
  return !has_port || (!port.empty() && AllOf(port, IsDigit));
}

// tag := [\w][\w.-]{0,127}
bool IsTag(std::string_view s) {
  return !s.empty() && s.size() <= kMaxTagLength && IsWordChar(s.front()) &&
         AllOf(s, [](char c) { return IsWordChar(c) || c == '.' || c == '-'; });
}

// go-digest accepts only algorithms it can compute, each with its exact
// lowercase hex length; sha256, sha384 and sha512 are the registered ones.
bool IsDigest(std::string_view s) {
  const size_t colon = s.find(':');
  if (colon == std::string_view::npos) return false;
  const std::string_view algorithm = s.substr(0, colon);
  const std::string_view encoded = s.substr(colon + 1);
  size_t want = 0;
  if (algorithm == "sha256") {
    want = 64;
  } else if (algorithm == "sha384") {
    want = 96;
  } else if (algorithm == "sha512") {
    want = 128;
  } else {
    return false;
  }
  return encoded.size() == want && AllOf(encoded, IsLowerHex);
}

// A bare 64-hex string is an image ID, which ParseNormalizedNamed refuses.
bool IsIdentifier(std::string_view s) { return s.size() == 64 && AllOf(s, IsLowerHex); }

// distribution/reference splitDockerDomain's test for whether the first path
// component names a registry rather than a Docker Hub namespace (uppercase
// counts because namespaces cannot hold it).
bool LooksLikeDomain(std::string_view first) {
  // One pass: find_first_of calls memchr once per character.
  return first == kLocalhost ||
         !AllOf(first, [](char c) { return c != '.' && c != ':' && !IsUpper(c); });
}

std::string_view CanonicalDomain(std::string_view domain) {
  return domain == kLegacyDefaultDomain ? kDefaultDomain : domain;
}

// A normalised reference as views (of the image, or of constants), so the
// strict match on the admission path allocates nothing.
struct ImageParts {
  std::string_view registry;
  bool official = false;  // the repository is "library/" + path
  std::string_view path;  // the repository as written
  std::string_view tag;
  std::string_view digest;

  std::string_view repository_prefix() const {
    return official ? kOfficialRepoPrefix : std::string_view();
  }
};

// The full ParseNormalizedNamed grammar; nullopt when the reference is not
// one a container runtime would accept.
std::optional<ImageParts> ParseNormalized(std::string_view image) {
  if (image.empty() || IsIdentifier(image)) return std::nullopt;
  ImageParts ref;
  std::string_view remainder = image;
  const size_t slash = image.find('/');
  if (slash != std::string_view::npos && LooksLikeDomain(image.substr(0, slash))) {
    ref.registry = CanonicalDomain(image.substr(0, slash));
    remainder = image.substr(slash + 1);
  } else {
    ref.registry = kDefaultDomain;
  }
  if (!IsDomain(ref.registry)) return std::nullopt;

  const size_t at = remainder.find('@');
  if (at != std::string_view::npos) {
    ref.digest = remainder.substr(at + 1);
    if (!IsDigest(ref.digest)) return std::nullopt;
    remainder = remainder.substr(0, at);
  }
  // Path components cannot hold ':', so the first one starts the tag.
  const size_t colon = remainder.find(':');
  if (colon != std::string_view::npos) {
    ref.tag = remainder.substr(colon + 1);
    if (!IsTag(ref.tag)) return std::nullopt;
    remainder = remainder.substr(0, colon);
  }
  ref.official = ref.registry == kDefaultDomain && remainder.find('/') == std::string_view::npos;
  ref.path = remainder;
  // "library/" is itself a path component, so only the path needs checking.
  if (ref.repository_prefix().size() + ref.path.size() > kMaxPathLength ||
      !IsRemoteName(ref.path)) {
    return std::nullopt;
  }
  return ref;
}

ImageParts Normalize(std::string_view image) {
  if (std::optional<ImageParts> ref = ParseNormalized(image)) return *ref;
  // Not a reference a runtime would pull: no defaults, no tag or digest
  // split, so Name() is the text as written and only entries that the text
  // itself starts with (on a '/' boundary) can match. Without a '/', or
  // with nothing before the first one, the registry stays empty, Name()
  // ("/<text>") matches no entry and ToString() is still the text.
  ImageParts literal;
  const size_t slash = image.find('/');
  if (slash == std::string_view::npos || slash == 0) {
    literal.path = image;
  } else {
    literal.registry = image.substr(0, slash);
    literal.path = image.substr(slash + 1);
  }
  return literal;
}

// Calls `fn` with registry + "/" + repository, built on the stack when it
// fits (it nearly always does).
template <class Fn>
bool WithName(std::string_view registry, std::string_view repository_prefix, std::string_view path,
              Fn fn) {
  char stack[256];
  std::string heap;
  const size_t size = registry.size() + 1 + repository_prefix.size() + path.size();
  char* buf = stack;
  if (size > sizeof(stack)) {
    heap.resize(size);
    buf = heap.data();
  }
  char* p = buf;
  for (std::string_view part : {registry, std::string_view("/"), repository_prefix, path}) {
    if (!part.empty()) std::memcpy(p, part.data(), part.size());
    p += part.size();
  }
  return fn(absl::string_view(buf, size));
}

}  // namespace

std::string ImageRef::ToString() const {
  std::string out = registry.empty() ? repository : Name();
  if (!tag.empty()) out.append(":").append(tag);
  if (!digest.empty()) out.append("@").append(digest);
  return out;
}

ImageRef NormalizeImage(std::string_view image) {
  const ImageParts parts = Normalize(image);
  ImageRef ref;
  ref.registry = std::string(parts.registry);
  ref.repository = StrCat(parts.repository_prefix(), parts.path);
  ref.tag = std::string(parts.tag);
  ref.digest = std::string(parts.digest);
  return ref;
}

std::string NormalizeRegistryEntry(std::string_view entry) {
  const bool trailing_slash = !entry.empty() && entry.back() == '/';
  const std::string_view body = trailing_slash ? entry.substr(0, entry.size() - 1) : entry;
  if (body.empty()) return "";
  const std::string_view suffix = trailing_slash ? "/" : "";
  const size_t slash = body.find('/');
  const std::string_view first = body.substr(0, slash);
  std::string out;
  if (LooksLikeDomain(first)) {
    // A registry, alone or followed by a repository prefix.
    out.append(CanonicalDomain(first));
    if (slash != std::string_view::npos) out.append(body.substr(slash));
  } else if (slash == std::string_view::npos && !trailing_slash) {
    // Written like an image name (`busybox`): the official image.
    out.append(kDefaultDomain).append("/").append(kOfficialRepoPrefix).append(body);
  } else {
    // A Docker Hub namespace (`library/`, `acme/tools`).
    out.append(kDefaultDomain).append("/").append(body);
  }
  out.append(suffix);
  return out;
}

bool ImageMatchesEntry(const ImageRef& image, std::string_view normalized_entry) {
  std::string_view prefix = normalized_entry;
  if (!prefix.empty() && prefix.back() == '/') prefix.remove_suffix(1);
  // An empty entry would otherwise admit every malformed single-segment name.
  if (prefix.empty()) return false;
  const std::string name = image.Name();
  return StartsWith(name, prefix) && (name.size() == prefix.size() || name[prefix.size()] == '/');
}

RegistryAllowlist::RegistryAllowlist(const std::vector<std::string>& entries,
                                     const std::vector<std::string>& normalized_entries) {
  for (std::string_view entry : normalized_entries) {
    if (!entry.empty() && entry.back() == '/') entry.remove_suffix(1);
    if (!entry.empty()) strict_.insert(std::string(entry));  // an empty entry matches nothing
  }
  for (const std::string& entry : entries) {
    if (compat_.insert(entry).second) compat_lengths_.push_back(entry.size());
  }
  std::sort(compat_lengths_.begin(), compat_lengths_.end());
  compat_lengths_.erase(std::unique(compat_lengths_.begin(), compat_lengths_.end()),
                        compat_lengths_.end());
}

RegistryAllowlist::RegistryAllowlist(const std::vector<std::string>& entries)
    : RegistryAllowlist(entries, [&] {
        std::vector<std::string> normalized;
        for (const std::string& e : entries) normalized.push_back(NormalizeRegistryEntry(e));
        return normalized;
      }()) {}

bool RegistryAllowlist::MatchesName(absl::string_view name) const {
  // An entry matches the name itself or a prefix the name continues with '/'.
  for (size_t slash = name.find('/'); slash != absl::string_view::npos;
       slash = name.find('/', slash + 1))
    if (strict_.contains(name.substr(0, slash))) return true;
  return strict_.contains(name);
}

bool RegistryAllowlist::MatchesStrict(const ImageRef& image) const {
  if (strict_.empty()) return false;
  return WithName(image.registry, "", image.repository,
                  [this](absl::string_view name) { return MatchesName(name); });
}

bool RegistryAllowlist::MatchesStrict(std::string_view image) const {
  if (strict_.empty()) return false;
  const ImageParts parts = Normalize(image);
  return WithName(parts.registry, parts.repository_prefix(), parts.path,
                  [this](absl::string_view name) { return MatchesName(name); });
}

bool RegistryAllowlist::MatchesCompat(std::string_view image) const {
  for (size_t length : compat_lengths_) {
    if (length > image.size()) break;
    if (compat_.contains(absl::string_view(image.data(), length))) return true;
  }
  return false;
}

size_t RegistryAllowlist::MemoryUsage() const {
  auto heap = [](const std::string& s) { return s.capacity() > 15 ? s.capacity() + 1 : 0; };
  size_t n = compat_lengths_.capacity() * sizeof(size_t);
  for (const absl::flat_hash_set<std::string>* set : {&strict_, &compat_}) {
    n += set->capacity() * (sizeof(std::string) + 1);
    for (const std::string& s : *set) n += heap(s);
  }
  return n;
}

}  // namespace sympozium
