#include "examples/webhook/admission.h"

#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/escaping.h"
#include "sympozium/decode.h"
#include "sympozium/evaluate.h"
#include "sympozium/mutate.h"
#include "sympozium/write.h"

namespace sympozium::webhook {
namespace {

constexpr std::string_view kInstanceLabel = "sympozium.ai/instance";

// The fields of an admission.k8s.io/v1 AdmissionResponse this webhook sets.
struct Response {
  std::string_view uid;
  bool allowed = false;
  int code = 500;
  std::string message;
  std::vector<std::string> warnings;
  std::string patch;  // base64 RFC 6902 patch; "" for none
};

std::string ResponseJson(const Response& r) {
  std::string out =
      R"({"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","response":{"uid":)";
  AppendJsonString(&out, r.uid);
  out += r.allowed ? R"(,"allowed":true)" : R"(,"allowed":false)";
  // As controller-runtime answers: Denied() sets reason Forbidden,
  // Errored() only a code.
  out += R"(,"status":{"code":)" + std::to_string(r.code);
  if (r.code == 403) out += R"(,"reason":"Forbidden")";
  if (!r.message.empty()) {
    out += R"(,"message":)";
    AppendJsonString(&out, r.message);
  }
  out += '}';
  if (!r.patch.empty()) {
    out += R"(,"patchType":"JSONPatch","patch":)";
    AppendJsonString(&out, r.patch);
  }
  if (!r.warnings.empty()) {
    out += R"(,"warnings":[)";
    for (size_t i = 0; i < r.warnings.size(); ++i) {
      if (i > 0) out += ',';
      AppendJsonString(&out, r.warnings[i]);
    }
    out += ']';
  }
  out += "}}";
  return out;
}

std::string_view StringAt(const Value* v, std::initializer_list<std::string_view> path) {
  for (std::string_view key : path) {
    if (v == nullptr) return {};
    v = v->Find(key);
  }
  return v != nullptr && v->is_string() ? v->text : std::string_view();
}

// The API server names the namespace and kind in the request; an object
// without metadata.namespace (or kind) gets them from there, so lookups use
// the namespace the object will live in.
void FillFromRequest(const Value& request, Document* object) {
  Value& root = object->mutable_root();
  std::string_view ns = StringAt(&request, {"namespace"});
  if (!ns.empty() && object->namespace_().empty()) {
    Value* metadata = root.FindMutable("metadata");
    if (metadata == nullptr || !metadata->is_map())
      metadata = &root.Set(object->arena(), "metadata", Value::EmptyMap());
    metadata->Set(object->arena(), "namespace", Value::StringView(ns));
  }
  std::string_view kind = StringAt(&request, {"kind", "kind"});
  if (!kind.empty() && object->kind().empty()) {
    root.Set(object->arena(), "kind", Value::StringView(kind));
    std::string_view group = StringAt(&request, {"kind", "group"});
    std::string version(StringAt(&request, {"kind", "version"}));
    if (object->api_version().empty())
      root.Set(object->arena(), "apiVersion",
               Value::String(object->arena(),
                             group.empty() ? version : std::string(group) + "/" + version));
  }
}

// Agent pods carry `sympozium.ai/instance: <Agent>` (docs/pods.md); the Agent's
// policyRef, in the pod's namespace, is the pod's policy, as for AgentRuns.
// Null, with the reason in `*why`, when no policy applies.
const CompiledPolicy* PodPolicy(const Document& pod, const Cluster& cluster, std::string* why) {
  const Value* root = &pod.root();
  std::string_view agent_name = StringAt(root, {"metadata", "labels", kInstanceLabel});
  if (agent_name.empty())  // a Job, Deployment, ...: the pod template's labels
    agent_name = StringAt(root, {"spec", "template", "metadata", "labels", kInstanceLabel});
  if (agent_name.empty())
    agent_name = StringAt(
        root, {"spec", "jobTemplate", "spec", "template", "metadata", "labels", kInstanceLabel});
  std::string ns(pod.namespace_());
  if (agent_name.empty()) {
    *why = "no " + std::string(kInstanceLabel) + " label names its Agent";
    return nullptr;
  }
  PolicyLookup found = cluster.LookupPolicy(ns, agent_name);
  if (found.agent == nullptr)
    *why = "Agent " + ns + "/" + std::string(agent_name) + " not found";
  else if (found.policy_ref.empty())
    *why = "Agent " + ns + "/" + std::string(agent_name) + " binds no policy";
  else if (found.policy == nullptr)
    *why = "SympoziumPolicy " + ns + "/" + std::string(found.policy_ref) + " not found";
  return found.policy;
}

void FromDecision(Decision d, Response* r, Outcome* outcome) {
  r->allowed = d.allowed;
  r->code = d.status;
  r->message = std::move(d.message);
  for (const Diagnostic& w : d.warnings) r->warnings.push_back(w.ToString());
  // The message is the first violation, as Go reports; the rest would
  // otherwise surface one failed attempt at a time.
  for (size_t i = 1; i < d.violations.size(); ++i)
    r->warnings.push_back("also: " + d.violations[i].message + " [" +
                          std::string(d.violations[i].code) + "]");
  outcome->result = ResultName(d.result);
  outcome->code = std::string(d.code);
}

void Fail(int code, std::string_view reason, std::string message, Response* r, Outcome* outcome) {
  r->allowed = false;
  r->code = code;
  r->message = std::move(message);
  outcome->result = "error";
  outcome->code = std::string(reason);
}

std::string KindName(std::string_view kind) {
  return kind.empty() ? "an object without kind" : std::string(kind);
}

void Validate(const Document& object, const PolicySet& set, const ReviewOptions& options,
              Response* r, Outcome* outcome) {
  EvaluateOptions eval;
  eval.mode = options.mode;
  std::string_view kind = object.kind();
  if (kind == "AgentRun")
    return FromDecision(Evaluate(object, Binding::Lookup(&set.cluster), eval), r, outcome);
  // Neither looks anything up in the cluster.
  if (kind == "SkillPack" || kind == "Model")
    return FromDecision(Evaluate(object, Binding::None(), eval), r, outcome);
  if (IsPodKind(kind)) {
    std::string why;
    const CompiledPolicy* policy = PodPolicy(object, set.cluster, &why);
    Decision d = Evaluate(object, Binding::Direct(policy, &set.cluster), eval);
    FromDecision(std::move(d), r, outcome);
    if (policy == nullptr)
      r->warnings.push_back("no SympoziumPolicy applies (" + why +
                            "): only the policy-independent pod rules were checked");
    return;
  }
  Fail(400, "request.unsupported_kind",
       "/validate handles AgentRun, SkillPack, Model and Pod objects (and pod templates), not " +
           KindName(kind),
       r, outcome);
}

void MutateRun(const Document& object, const PolicySet& set, const ReviewOptions& options,
               Response* r, Outcome* outcome) {
  if (object.kind() != "AgentRun")
    return Fail(400, "request.unsupported_kind",
                "/mutate handles AgentRun objects, not " + KindName(object.kind()), r, outcome);
  absl::StatusOr<MutateResult> m = Mutate(object, Binding::Lookup(&set.cluster), options.mode);
  if (!m.ok()) return Fail(400, "decode.error", std::string(m.status().message()), r, outcome);
  r->allowed = true;
  r->code = 200;
  r->message = m->message;
  if (!m->patch.items.empty()) r->patch = absl::Base64Escape(m->PatchJson());
  outcome->result = "allowed";
}

}  // namespace

HttpReply HttpError(int status, std::string_view message) {
  std::string body = R"({"kind":"Status","apiVersion":"v1","status":"Failure","message":)";
  AppendJsonString(&body, message);
  body += R"(,"code":)" + std::to_string(status) + "}";
  return {status, std::move(body)};
}

HttpReply Review(Endpoint endpoint, std::string_view body, const PolicySet* set,
                 const ReviewOptions& options, Outcome* outcome) {
  *outcome = {};
  ReadOptions read;
  read.format = Format::kJson;
  read.source_name = "AdmissionReview";
  read.limits = options.limits;
  absl::StatusOr<Document> review = ReadDocument(body, read);
  if (!review.ok())
    return HttpError(
        400, "the body is not a JSON AdmissionReview: " + std::string(review.status().message()));
  if (review->api_version() != "admission.k8s.io/v1" || review->kind() != "AdmissionReview")
    return HttpError(400, "expected an admission.k8s.io/v1 AdmissionReview, got apiVersion \"" +
                              std::string(review->api_version()) + "\" kind \"" +
                              std::string(review->kind()) + "\"");
  const Value* request = review->root().Find("request");
  Response r;
  r.uid = StringAt(request, {"uid"});
  if (r.uid.empty()) return HttpError(400, "the AdmissionReview has no request.uid to answer");

  std::string_view operation = StringAt(request, {"operation"});
  const Value* object = request->Find("object");
  if (operation == "DELETE" || operation == "CONNECT") {
    // Nothing is created or changed; Go's validators allow these too.
    r.allowed = true;
    r.code = 200;
    r.message = "nothing to check on " + std::string(operation);
    outcome->result = "allowed";
  } else if (object == nullptr || !object->is_map()) {
    Fail(400, "request.no_object", "the AdmissionReview has no request.object to check", &r,
         outcome);
  } else if (set == nullptr) {
    Fail(500, "webhook.not_ready", "no policy set is loaded yet (the webhook's log says why)", &r,
         outcome);
  } else {
    Document doc = review->Subtree(*object, "request.object");
    FillFromRequest(*request, &doc);
    if (endpoint == Endpoint::kMutate)
      MutateRun(doc, *set, options, &r, outcome);
    else
      Validate(doc, *set, options, &r, outcome);
  }
  return {200, ResponseJson(r)};
}

}  // namespace sympozium::webhook
