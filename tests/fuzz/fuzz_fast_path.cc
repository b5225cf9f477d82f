// The JSON admission fast path (lib/decode/fast_json.h) against the slow
// path on arbitrary input: where the fast path answers, its Decision is the
// slow path's, field for field, and Evaluate(bytes) always is; under the
// default limits and tight ones. The input read as an image matches an
// allowlist alike from its text and from its ImageRef.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "lib/base/image_ref.h"
#include "lib/evaluate/evaluate_internal.h"
#include "tests/fuzz/fuzz_util.h"

namespace sympozium::fuzz {
namespace {

using evaluate_internal::EvaluateBytes;
using evaluate_internal::Route;

std::string Canonical(const Decision& d) {
  std::string out = d.ToJson();
  for (const Diagnostic& w : d.warnings) out += "\n" + w.ToString();
  return out;
}

void CheckRoutes(std::string_view bytes) {
  const Context& c = Context::Get();
  ReadOptions tight;
  tight.limits.max_depth = 6;
  tight.limits.max_nodes = 60;
  tight.limits.max_list_length = 5;
  struct Way {
    Binding binding;
    Mode mode;
  };
  for (const Way& way : {Way{Binding::Direct(c.policy.get(), &c.cluster), Mode::kStrict},
                         Way{Binding::Direct(c.restrictive.get()), Mode::kCompat},
                         Way{Binding::Lookup(&c.cluster), Mode::kStrict}}) {
    for (const ReadOptions& read : {ReadOptions(), tight}) {
      EvaluateOptions options;
      options.mode = way.mode;
      options.read = read;
      std::optional<Decision> slow = EvaluateBytes(bytes, way.binding, options, Route::kSlow);
      std::optional<Decision> fast = EvaluateBytes(bytes, way.binding, options, Route::kFast);
      FUZZ_CHECK(slow.has_value());
      const std::string want = Canonical(*slow);
      FUZZ_CHECK(!fast || Canonical(*fast) == want);
      FUZZ_CHECK(Canonical(Evaluate(bytes, way.binding, options)) == want);
    }
  }
}

void CheckImage(std::string_view image) {
  static const RegistryAllowlist* allowlist = [] {
    return new RegistryAllowlist(
        std::vector<std::string>{"ghcr.io/sympozium-ai/", "docker.io/library/", "busybox", "acme/",
                                 "localhost:5000/team", "Registry.Example.COM/x"});
  }();
  FUZZ_CHECK(allowlist->MatchesStrict(image) == allowlist->MatchesStrict(NormalizeImage(image)));
}

}  // namespace
}  // namespace sympozium::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  sympozium::fuzz::CheckRoutes(bytes);
  if (size < 512) sympozium::fuzz::CheckImage(bytes);
  return 0;
}
