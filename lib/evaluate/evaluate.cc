// Evaluate(bytes): read, decode by kind, evaluate. Anything that cannot be
// read or decoded is an error decision, never an allow.
#include "sympozium/evaluate.h"

#include "lib/base/strings.h"
#include "sympozium/decode.h"
#include "sympozium/model_integrity.h"
#include "sympozium/mutate.h"
#include "sympozium/schema.h"

namespace sympozium {
namespace {

Decision DecodeError(const absl::Status& status, Mode mode) {
  return Decision::Error(400, "decode.error", std::string(status.message()), PathOf(status), mode);
}

template <class T>
absl::Status DecodeRoot(const Document& doc, Arena& arena, T* out) {
  return DecodeInto(doc.root(), doc.Describe(), arena, out);
}

Decision EvaluateRun(const Document& doc, const Binding& binding, const EvaluateOptions& options) {
  Arena arena;
  AgentRun run;
  if (absl::Status s = DecodeRoot(doc, arena, &run); !s.ok()) return DecodeError(s, options.mode);
  if (!options.mutate_first) return EvaluateAgentRun(run, binding, options);
  absl::StatusOr<MutateResult> mutated = Mutate(doc, binding, options.mode);
  if (!mutated.ok()) return DecodeError(mutated.status(), options.mode);
  AgentRun mutated_run;
  if (absl::Status s = DecodeInto(mutated->object, doc.Describe(), mutated->arena(), &mutated_run);
      !s.ok())
    return DecodeError(s, options.mode);
  return EvaluateAgentRun(mutated_run, binding, options);
}

}  // namespace

Decision Evaluate(const Document& doc, const Binding& binding, const EvaluateOptions& options) {
  std::string_view kind = doc.kind();
  Decision decision;
  if (kind == "AgentRun") {
    decision = EvaluateRun(doc, binding, options);
  } else if (kind == "SkillPack") {
    Arena arena;
    SkillPack pack;
    if (absl::Status s = DecodeRoot(doc, arena, &pack); !s.ok()) return DecodeError(s, options.mode);
    decision = EvaluateSkillPack(pack, options);
  } else if (kind == "Model") {
    Arena arena;
    Model model;
    if (absl::Status s = DecodeRoot(doc, arena, &model); !s.ok())
      return DecodeError(s, options.mode);
    decision = EvaluateModel(model, options);
  } else if (IsPodKind(kind)) {
    Arena arena;
    PodObject pod;
    if (absl::Status s = DecodeRoot(doc, arena, &pod); !s.ok()) return DecodeError(s, options.mode);
    decision = EvaluatePod(pod, binding.policy, options);
  } else {
    return Decision::Error(
        400, "decode.error",
        StrCat(doc.Describe(), ": cannot evaluate ",
               kind.empty() ? std::string("a document without kind") : StrCat("kind ", kind),
               " (AgentRun, SkillPack, Model, Pod, Job, CronJob, Deployment, StatefulSet, "
               "DaemonSet, ReplicaSet)"),
        "kind", options.mode);
  }
  if (options.schema_warnings)
    for (Diagnostic& d : CheckSchema(doc)) decision.warnings.push_back(std::move(d));
  return decision;
}

Decision Evaluate(std::string_view bytes, const Binding& binding, const EvaluateOptions& options) {
  absl::StatusOr<Document> doc = ReadDocument(bytes, options.read);
  if (!doc.ok()) return DecodeError(doc.status(), options.mode);
  return Evaluate(*doc, binding, options);
}

}  // namespace sympozium
