// Image references (docs/checks.md, rule S3): normalising never fails and is stable,
// and an allowlist entry matches only on a path-segment boundary.
#include <cstddef>
#include <cstdint>
#include <string>

#include "lib/base/image_ref.h"
#include "tests/fuzz/fuzz_util.h"

namespace sympozium::fuzz {
namespace {

bool Same(const ImageRef& a, const ImageRef& b) {
  return a.registry == b.registry && a.repository == b.repository && a.tag == b.tag &&
         a.digest == b.digest;
}

// The input is an image, or an image and an entry split at the first '\n'.
void Run(std::string_view text) {
  size_t nl = text.find('\n');
  std::string_view image = text.substr(0, nl);
  std::string_view raw_entry = nl == std::string_view::npos ? text : text.substr(nl + 1);

  ImageRef ref = NormalizeImage(image);
  // Normalising what it prints gives it back.
  FUZZ_CHECK(Same(NormalizeImage(ref.ToString()), ref));

  std::string entry = NormalizeRegistryEntry(raw_entry);
  FUZZ_CHECK(NormalizeRegistryEntry(entry) == entry);
  FUZZ_CHECK(!ImageMatchesEntry(ref, ""));
  if (!ImageMatchesEntry(ref, entry)) return;
  // A match is the entry itself or something below it, never a sibling
  // that only shares a prefix (ghcr.io/acme vs ghcr.io/acme-evil).
  std::string prefix = entry.back() == '/' ? entry.substr(0, entry.size() - 1) : entry;
  std::string name = ref.Name();
  FUZZ_CHECK(!prefix.empty());
  FUZZ_CHECK(name == prefix || name.rfind(prefix + "/", 0) == 0);
}

}  // namespace
}  // namespace sympozium::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  sympozium::fuzz::Run(std::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}
