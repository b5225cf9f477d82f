// Pod admission (docs/pods.md) from bytes: Pods and Job/Deployment/CronJob
// templates, with a policy, the restrictive preset and none.
#include <cstddef>
#include <cstdint>

#include "lib/decode/decode.h"
#include "lib/evaluate/checks.h"
#include "tests/fuzz/fuzz_util.h"

namespace sympozium::fuzz {
namespace {

void Run(std::string_view bytes) {
  EvaluateAllWays(bytes, Format::kAuto);
  absl::StatusOr<Document> doc = ReadDocument(bytes);
  if (!doc.ok()) return;
  absl::StatusOr<Decoded<PodObject>> pod = DecodePodObject(std::move(*doc));
  if (!pod.ok()) return;
  const Context& c = Context::Get();
  for (const CompiledPolicy* policy :
       {c.policy.get(), c.restrictive.get(), static_cast<const CompiledPolicy*>(nullptr)}) {
    for (Mode mode : {Mode::kStrict, Mode::kCompat}) {
      EvaluateOptions options;
      options.mode = mode;
      options.schema_warnings = true;
      Decision d = EvaluatePod(**pod, policy, options);
      CheckDecision(d);
      // Every violation points into the object.
      for (const Violation& v : d.violations) FUZZ_CHECK(!v.path.empty());
    }
  }
}

}  // namespace
}  // namespace sympozium::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  sympozium::fuzz::Run(std::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}
