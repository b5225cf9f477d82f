// Evaluate(bytes): read, decode by kind, evaluate. Anything that cannot be
// read or decoded is an error decision, never an allow.
#include "sympozium/evaluate.h"
#include "lib/evaluate/checks.h"
#include "lib/evaluate/model_verify.h"

#include "lib/base/value_path.h"
#include "lib/decode/decode.h"
#include "lib/decode/fast_json.h"
#include "lib/evaluate/evaluate_internal.h"
#include "lib/evaluate/pod_binding.h"
#include "lib/schema/schema.h"
#include "sympozium/model_integrity.h"
#include "sympozium/mutate.h"
#include "sympozium/pod_security.h"
#include "sympozium/strings.h"

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
  if (absl::Status s =
          DecodeInto(mutated->object.root(), in.source, mutated->object.arena(), &mutated_run);
      !s.ok())
    return DecodeError(s, options.mode);
  return EvaluateAgentRun(mutated_run, binding, options);
}

// A binding that looks up finds a pod's policy through its instance label,
// which only the tree has (the decoded pod keeps no template labels).
bool LooksUpPodPolicy(const Binding& binding) {
  return !binding.direct && binding.cluster != nullptr;
}

// A pod bound by lookup, its Agent named by `agent_name` (its instance label).
Decision EvaluateLookedUpPod(std::string_view agent_name, const PodObject& pod,
                             const Binding& binding, const EvaluateOptions& options) {
  PodPolicyLookup lookup = LookupPodPolicy(agent_name, pod.metadata.namespace_, *binding.cluster);
  if (const BrokenObject* broken = lookup.found.broken)  // fail closed, as for a run bound to it
    return Decision::Error(500, broken->reason_code(), broken->Describe(),
                           "metadata.labels.sympozium.ai/instance", options.mode);
  Decision decision = EvaluatePod(pod, lookup.found.policy, options);
  if (lookup.found.policy == nullptr)
    decision.warnings.push_back(NoPodPolicyWarning(lookup, pod.metadata.namespace_));
  return decision;
}

Decision EvaluateBoundPod(const Input& in, const PodObject& pod, const Binding& binding,
                          const EvaluateOptions& options) {
  if (!LooksUpPodPolicy(binding)) return EvaluatePod(pod, binding.policy, options);
  auto string_at = [&in](std::initializer_list<std::string_view> path) {
    return StringAt(&in.root, path);
  };
  return EvaluateLookedUpPod(InstanceLabel(string_at), pod, binding, options);
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
    decision = EvaluateBoundPod(in, pod, binding, options);
  } else {
    // Not EvaluatesKind(kind): the message lists the kinds it takes.
    return Decision::Error(
        400, "decode.error",
        StrCat(in.source, ": cannot evaluate ",
               kind.empty() ? std::string("a document without kind") : StrCat("kind ", kind),
               " (AgentRun, SkillPack, Model, Pod, Job, CronJob, Deployment, StatefulSet, "
               "DaemonSet, ReplicaSet)"),
        "kind", options.mode);
  }
  if (options.schema_warnings)
    for (Diagnostic& d : CheckSchema(*in.doc)) {
      d.severity = Diagnostic::Severity::kWarning;  // what strict compile refuses, only noted here
      decision.warnings.push_back(std::move(d));
    }
  return decision;
}

// The JSON hot path (fast_json.h) for the kinds it decodes; nullopt where
// it declines, for the slow path to answer. Its object views the thread's
// DOM parser, which nothing evaluation calls reuses.
std::optional<Decision> EvaluateFast(std::string_view bytes, const Binding& binding,
                                     const EvaluateOptions& options, Arena& arena) {
  decode_internal::FastJson json(arena);
  if (!json.Parse(bytes, options.read)) return std::nullopt;
  std::string_view kind = json.kind();
  if (kind == "AgentRun") {
    AgentRun run;
    if (!json.Decode(&run)) return std::nullopt;
    return EvaluateAgentRun(run, binding, options);
  }
  if (IsPodKind(kind)) {
    PodObject pod;
    if (!json.Decode(&pod)) return std::nullopt;
    if (!LooksUpPodPolicy(binding)) return EvaluatePod(pod, binding.policy, options);
    auto string_at = [&json](std::initializer_list<std::string_view> path) {
      return json.StringAt(path);
    };
    return EvaluateLookedUpPod(InstanceLabel(string_at), pod, binding, options);
  }
  return std::nullopt;
}

Decision EvaluateSlow(std::string_view bytes, const Binding& binding,
                      const EvaluateOptions& options, Arena& arena) {
  Value root;
  if (absl::Status s = ReadInto(bytes, options.read, arena, &root); !s.ok())
    return DecodeError(s, options.mode);
  std::string_view source =
      options.read.source_name.empty() ? std::string_view("<input>") : options.read.source_name;
  return EvaluateInput({root, source, arena, nullptr}, binding, options);
}

}  // namespace

namespace evaluate_internal {

std::optional<Decision> EvaluateBytes(std::string_view bytes, const Binding& binding,
                                      const EvaluateOptions& options, Route route) {
  if (options.mutate_first || options.schema_warnings) {  // these need a Document
    if (route == Route::kFast) return std::nullopt;
    absl::StatusOr<Document> doc = ReadDocument(bytes, options.read);
    if (!doc.ok()) return DecodeError(doc.status(), options.mode);
    return Evaluate(*doc, binding, options);
  }
  // The tree and the decoded object live only for this call, so they go in
  // an arena the thread reuses: once warm, reading and decoding call no
  // malloc. Nothing evaluation calls re-enters Evaluate.
  thread_local Arena arena;
  std::optional<Decision> decision;
  if (route != Route::kSlow) decision = EvaluateFast(bytes, binding, options, arena);
  if (!decision && route != Route::kFast) decision = EvaluateSlow(bytes, binding, options, arena);
  arena.Reset();  // keeps one block for the next call
  return decision;
}

}  // namespace evaluate_internal

bool EvaluatesKind(std::string_view kind) {
  return kind == "AgentRun" || kind == "SkillPack" || kind == "Model" || IsPodKind(kind);
}

Decision Evaluate(const Document& doc, const Binding& binding, const EvaluateOptions& options) {
  Arena arena;
  std::string source = doc.Describe();
  return EvaluateInput({doc.root(), source, arena, &doc}, binding, options);
}

Decision EvaluatePodSecurity(const Document& doc, const PodSecurityStandard& standard) {
  std::string source = doc.Describe();
  if (!IsPodKind(doc.kind()))
    return Decision::Error(
        400, "decode.error",
        StrCat(source, ": a pod security standard applies to pods and workloads (Pod, Job, ",
               "CronJob, Deployment, StatefulSet, DaemonSet, ReplicaSet), not ",
               doc.kind().empty() ? std::string("a document without kind")
                                  : StrCat("kind ", doc.kind())),
        "kind", Mode::kStrict);
  Arena arena;
  PodObject pod;
  if (absl::Status s = DecodeInto(doc.root(), source, arena, &pod); !s.ok())
    return DecodeError(s, Mode::kStrict);
  return EvaluatePodSecurity(pod, standard);
}

Decision EvaluatePodSecurity(std::string_view bytes, const PodSecurityStandard& standard,
                             const ReadOptions& read) {
  absl::StatusOr<Document> doc = ReadDocument(bytes, read);
  if (!doc.ok()) return DecodeError(doc.status(), Mode::kStrict);
  return EvaluatePodSecurity(*doc, standard);
}

Decision Evaluate(std::string_view bytes, const Binding& binding, const EvaluateOptions& options) {
  return *evaluate_internal::EvaluateBytes(bytes, binding, options,
                                           evaluate_internal::Route::kAuto);
}

absl::StatusOr<Decision> EvaluateReadable(std::string_view bytes, const Binding& binding,
                                          const EvaluateOptions& options) {
  // The fast path declines bytes that do not read, so their error is the
  // general reader's.
  std::optional<Decision> fast =
      evaluate_internal::EvaluateBytes(bytes, binding, options, evaluate_internal::Route::kFast);
  if (fast) return *std::move(fast);
  absl::StatusOr<Document> doc = ReadDocument(bytes, options.read);
  if (!doc.ok()) return doc.status();
  return Evaluate(*doc, binding, options);
}

}  // namespace sympozium
