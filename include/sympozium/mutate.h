// Mutation: the defaults Sympozium's mutating webhook would apply (SPEC §4),
// as the mutated object and an RFC 6902 JSON Patch. The webhook is served
// but never wired in Sympozium, so nothing is applied unless a caller asks
// (`admit --mutate`, EvaluateOptions::mutate_first).
#ifndef SYMPOZIUM_MUTATE_H_
#define SYMPOZIUM_MUTATE_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "sympozium/document.h"
#include "sympozium/evaluate.h"
#include "sympozium/value.h"

namespace sympozium {

struct MutateResult {
  bool allowed = true;  // the mutating webhook never denies
  // "no mutations needed", "instance not found, skipping mutation",
  // "no policy", "policy not found, skipping mutation", or a summary of the
  // changes.
  std::string message;
  Value patch;   // a list of RFC 6902 operations, in the order applied
  Value object;  // the AgentRun after the patch
  std::shared_ptr<Arena> memory;  // holds patch and object

  Arena& arena() { return *memory; }
  std::string PatchJson() const;
  // `{"allowed": true, "message": ..., "patch": [...], "object": {...}}`
  // (the JSON of `sympozium-policy mutate --output json`).
  std::string ToJson() const;
};

// `run` must be an AgentRun document. The policy is found through `binding`
// as admission finds it (SPEC §4 steps 1-3). Errors: the document does not
// decode as an AgentRun.
absl::StatusOr<MutateResult> Mutate(const Document& run, const Binding& binding,
                                    Mode mode = Mode::kStrict);

}  // namespace sympozium

#endif  // SYMPOZIUM_MUTATE_H_
