// SkillPack admission (docs/checks.md#skillpack-admission) and the RBAC a pack's sidecar gets
// (docs/rbac.md) from bytes.
#include <cstddef>
#include <cstdint>

#include "lib/decode/decode.h"
#include "lib/evaluate/checks.h"
#include "lib/rbac/rbac_for.h"
#include "lib/write/write.h"
#include "sympozium/rbac.h"
#include "tests/fuzz/fuzz_util.h"

namespace sympozium::fuzz {
namespace {

void Run(std::string_view bytes) {
  EvaluateAllWays(bytes, Format::kAuto);
  absl::StatusOr<Document> doc = ReadDocument(bytes);
  if (!doc.ok()) return;
  absl::StatusOr<Decoded<SkillPack>> pack = DecodeSkillPack(std::move(*doc));
  if (!pack.ok()) return;
  for (Mode mode : {Mode::kStrict, Mode::kCompat}) {
    EvaluateOptions eval;
    eval.mode = mode;
    CheckDecision(EvaluateSkillPack(**pack, eval));
  }
  AgentRun run;
  run.metadata.name = "r";
  run.metadata.namespace_ = "ns";
  const Context& c = Context::Get();
  for (const CompiledPolicy* policy :
       {c.policy.get(), static_cast<const CompiledPolicy*>(nullptr)}) {
    RbacOptions options;
    options.policy = policy;
    RbacResult r = RbacFor({&**pack, &**pack}, run, options);
    if (!r.violations.empty()) FUZZ_CHECK(r.objects.empty() && r.cleanup_selectors.empty());
    // The objects are Kubernetes objects, written out as JSON.
    Document list_doc = r.AsList();
    const Value& list = list_doc.root();
    const Value* items = list.Find("items");
    FUZZ_CHECK(items != nullptr && items->items.size() == r.objects.size());
    FUZZ_CHECK(IsJson(ToJson(list)));
    for (const Document& object : r.objects) FUZZ_CHECK(!object.kind().empty());
  }
}

}  // namespace
}  // namespace sympozium::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  sympozium::fuzz::Run(std::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}
