// Mutation: the defaults Sympozium's mutating webhook would apply (docs/mutation.md),
// as the mutated object and an RFC 6902 JSON Patch. The webhook is served
// but never wired in Sympozium, so nothing is applied unless a caller asks
// (`admit --mutate`, EvaluateOptions::mutate_first).
#ifndef SYMPOZIUM_MUTATE_H_
#define SYMPOZIUM_MUTATE_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "sympozium/export.h"
#include "sympozium/options.h"
#include "sympozium/read.h"

SYMPOZIUM_API_BEGIN
namespace sympozium {

// One operation of a patch, for printing.
struct PatchOperation {
  std::string op;     // "add" or "replace"
  std::string path;   // a JSON Pointer: "/metadata/labels"
  std::string value;  // the value as JSON
};

struct MutateResult {
  bool allowed = true;  // the mutating webhook never denies
  // "no mutations needed", "instance not found, skipping mutation",
  // "no policy", "policy not found, skipping mutation", (strict mode)
  // "SympoziumPolicy <name> does not compile in strict mode, skipping
  // mutation: <first strict error>", or "<n> changes: add /metadata/labels, ...".
  std::string message;
  // A list of RFC 6902 operations ({op, path, value}; only "add" and
  // "replace"), in the order applied. A missing parent object is added with
  // its content in one operation. Empty when nothing changed.
  Document patch;
  size_t patch_size = 0;  // operations in `patch`
  // The AgentRun after the patch: every field of the input is kept (unknown
  // ones too). When the mutation is skipped, a copy of the input.
  Document object;

  std::vector<PatchOperation> Operations() const;  // of `patch`, in order
  std::string PatchJson() const;
  // `{"allowed": true, "message": ..., "patch": [...], "object": {...}}`
  // (the JSON of `sympozium-policy mutate --output json`).
  std::string ToJson() const;
};

// `run` must be an AgentRun document. The policy is found through `binding`
// as admission finds it (docs/mutation.md, steps 1-3): Binding::None() and a direct
// binding to no policy give "no policy". In strict mode a policy with strict
// errors is not applied (admission refuses it); in compat mode it is, with
// unknown tool actions dropped as Go does. Errors: the document does not
// decode as an AgentRun.
absl::StatusOr<MutateResult> Mutate(const Document& run, const Binding& binding,
                                    Mode mode = Mode::kStrict);

}  // namespace sympozium
SYMPOZIUM_API_END

#endif  // SYMPOZIUM_MUTATE_H_
