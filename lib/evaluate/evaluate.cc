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

// A document to evaluate: its tree and name, and the arena the decoded
// object goes in. `doc` is the Document itself, needed only by the
// mutate_first and schema_warnings options (null when neither is set).
struct Input {
  const Value& root;
  std::string_view source;
  Arena& arena;
  const Document* doc;
};

template <class T>
absl::Status DecodeRoot(const Input& in, T* out) {
  return DecodeInto(in.root, in.source, in.arena, out);
}

Decision EvaluateRun(const Input& in, const Binding& binding, const EvaluateOptions& options) {
  AgentRun run;
  if (absl::Status s = DecodeRoot(in, &run); !s.ok()) return DecodeError(s, options.mode);
  if (!options.mutate_first) return EvaluateAgentRun(run, binding, options);
  absl::StatusOr<MutateResult> mutated = Mutate(*in.doc, binding, options.mode);
  if (!mutated.ok()) return DecodeError(mutated.status(), options.mode);
  AgentRun mutated_run;
  if (absl::Status s = DecodeInto(mutated->object, in.source, mutated->arena(), &mutated_run);
      !s.ok())
    return DecodeError(s, options.mode);
  return EvaluateAgentRun(mutated_run, binding, options);
}

Decision EvaluateInput(const Input& in, const Binding& binding, const EvaluateOptions& options) {
  const Value* kind_value = in.root.Find("kind");
  std::string_view kind =
      kind_value != nullptr && kind_value->is_string() ? kind_value->text : std::string_view();
  Decision decision;
  if (kind == "AgentRun") {
    decision = EvaluateRun(in, binding, options);
  } else if (kind == "SkillPack") {
    SkillPack pack;
    if (absl::Status s = DecodeRoot(in, &pack); !s.ok()) return DecodeError(s, options.mode);
    decision = EvaluateSkillPack(pack, options);
  } else if (kind == "Model") {
    Model model;
    if (absl::Status s = DecodeRoot(in, &model); !s.ok()) return DecodeError(s, options.mode);
    decision = EvaluateModel(model, options);
  } else if (IsPodKind(kind)) {
    PodObject pod;
    if (absl::Status s = DecodeRoot(in, &pod); !s.ok()) return DecodeError(s, options.mode);
    decision = EvaluatePod(pod, binding.policy, options);
  } else {
    return Decision::Error(
        400, "decode.error",
        StrCat(in.source, ": cannot evaluate ",
               kind.empty() ? std::string("a document without kind") : StrCat("kind ", kind),
               " (AgentRun, SkillPack, Model, Pod, Job, CronJob, Deployment, StatefulSet, "
               "DaemonSet, ReplicaSet)"),
        "kind", options.mode);
  }
  if (options.schema_warnings)
    for (Diagnostic& d : CheckSchema(*in.doc)) decision.warnings.push_back(std::move(d));
  return decision;
}

}  // namespace

Decision Evaluate(const Document& doc, const Binding& binding, const EvaluateOptions& options) {
  Arena arena;
  std::string source = doc.Describe();
  return EvaluateInput({doc.root(), source, arena, &doc}, binding, options);
}

Decision Evaluate(std::string_view bytes, const Binding& binding, const EvaluateOptions& options) {
  if (options.mutate_first || options.schema_warnings) {  // these need a Document
    absl::StatusOr<Document> doc = ReadDocument(bytes, options.read);
    if (!doc.ok()) return DecodeError(doc.status(), options.mode);
    return Evaluate(*doc, binding, options);
  }
  // The tree and the decoded object live only for this call, so they go in
  // an arena the thread reuses: once warm, reading and decoding call no
  // malloc. Nothing evaluation calls re-enters Evaluate.
  thread_local Arena arena;
  Decision decision;
  Value root;
  if (absl::Status s = ReadInto(bytes, options.read, arena, &root); !s.ok()) {
    decision = DecodeError(s, options.mode);
  } else {
    std::string_view source =
        options.read.source_name.empty() ? std::string_view("<input>") : options.read.source_name;
    decision = EvaluateInput({root, source, arena, nullptr}, binding, options);
  }
  arena.Reset();  // keeps one block for the next call
  return decision;
}

}  // namespace sympozium
