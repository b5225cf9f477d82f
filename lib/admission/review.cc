// ReviewAdmission: the AdmissionReview envelope, the request's facts, the
// decision in the mode and the shadow mode, and the answer.
#include <optional>
#include <utility>

#include "lib/admission/admission_internal.h"
#include "lib/base/value_path.h"
#include "lib/write/write.h"
#include "sympozium/admission.h"
#include "sympozium/strings.h"

namespace sympozium {
namespace {

using admission_internal::Verdict;

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
      root.Set(
          object->arena(), "apiVersion",
          Value::String(object->arena(), group.empty() ? version : StrCat(group, "/", version)));
  }
}

// One request of a well-formed review: its operation and object (null when
// it has none), and the cluster (null: nothing loaded yet).
struct Request {
  std::string_view operation;
  const Document* object;
  const Cluster* cluster;
};

Verdict Decide(const Request& req, AdmissionEndpoint endpoint, Mode mode) {
  if (req.operation == "DELETE" || req.operation == "CONNECT")  // Go's validators allow these too
    return {Decision::Allow(StrCat("nothing to check on ", req.operation), mode), ""};
  if (req.object == nullptr)
    return {Decision::Error(400, "request.no_object",
                            "the AdmissionReview has no request.object to check", "request.object",
                            mode),
            ""};
  if (req.cluster == nullptr)
    return {Decision::Error(500, "webhook.not_ready",
                            "no policy set is loaded yet (the webhook's log says why)", "", mode),
            ""};
  return admission_internal::Judge(*req.object, *req.cluster, endpoint, mode);
}

ShadowOutcome Shadow(const Request& req, const AdmissionOptions& options, const Verdict& primary) {
  Verdict v = Decide(req, options.endpoint, *options.shadow_mode);
  ShadowOutcome s;
  s.mode = *options.shadow_mode;
  s.allowed = v.decision.allowed;
  s.result = v.decision.result;
  s.code = std::string(v.decision.code);
  s.disagrees = s.allowed != primary.decision.allowed || v.patch != primary.patch;
  return s;
}

void RecordDecision(const Decision& d, AdmissionResult* out) {
  out->result = d.result;
  out->code = std::string(d.code);
  out->message = d.message;
  for (const Violation& v : d.violations) out->violations.emplace_back(v.code);
}

AdmissionResult HttpError(int status, std::string message) {
  AdmissionResult out;
  out.http_status = status;
  out.body = AdmissionErrorBody(status, message);
  out.message = std::move(message);
  return out;
}

AdmissionResult Review(std::string_view body, const Cluster* cluster, uint64_t generation,
                       const AdmissionOptions& options) {
  ReadOptions read;
  read.format = Format::kJson;
  read.source_name = "AdmissionReview";
  read.limits = options.limits;
  absl::StatusOr<Document> review = ReadDocument(body, read);
  if (!review.ok())
    return HttpError(400,
                     StrCat("the body is not a JSON AdmissionReview: ", review.status().message()));
  if (review->api_version() != "admission.k8s.io/v1" || review->kind() != "AdmissionReview")
    return HttpError(400,
                     StrCat("expected an admission.k8s.io/v1 AdmissionReview, got apiVersion \"",
                            review->api_version(), "\" kind \"", review->kind(), "\""));
  const Value* request = review->root().Find("request");
  std::string_view uid = StringAt(request, {"uid"});
  if (uid.empty()) return HttpError(400, "the AdmissionReview has no request.uid to answer");

  AdmissionResult out;
  out.answered = true;
  out.uid = std::string(uid);
  out.mode = options.mode;
  out.enforcement = options.enforcement;
  out.generation = generation;
  out.operation = std::string(StringAt(request, {"operation"}));
  out.user = std::string(StringAt(request, {"userInfo", "username"}));
  out.kind = std::string(StringAt(request, {"kind", "kind"}));
  out.namespace_ = std::string(StringAt(request, {"namespace"}));
  out.name = std::string(StringAt(request, {"name"}));

  std::optional<Document> object;
  if (const Value* v = request->Find("object"); v != nullptr && v->is_map()) {
    object = review->Subtree(*v, "request.object");
    FillFromRequest(*request, &*object);
    if (!object->kind().empty()) out.kind = std::string(object->kind());
    if (!object->namespace_().empty()) out.namespace_ = std::string(object->namespace_());
    if (!object->name().empty()) out.name = std::string(object->name());
    if (cluster != nullptr) out.policy = admission_internal::PolicyName(*object, *cluster);
  }
  Request req{out.operation, object ? &*object : nullptr, cluster};
  Verdict verdict = Decide(req, options.endpoint, options.mode);
  RecordDecision(verdict.decision, &out);
  if (options.shadow_mode) out.shadow = Shadow(req, options, verdict);
  const ShadowOutcome* disagreeing = out.shadow && out.shadow->disagrees ? &*out.shadow : nullptr;
  admission_internal::Response response =
      admission_internal::Respond(uid, std::move(verdict), options.enforcement, disagreeing);
  out.allowed = response.allowed;
  out.body = admission_internal::ResponseJson(response);
  return out;
}

}  // namespace

std::string_view EnforcementName(Enforcement e) {
  switch (e) {
    case Enforcement::kDeny:
      return "deny";
    case Enforcement::kWarn:
      return "warn";
    case Enforcement::kAudit:
      return "audit";
  }
  return "deny";
}

bool ParseEnforcement(std::string_view name, Enforcement* e) {
  for (Enforcement candidate : {Enforcement::kDeny, Enforcement::kWarn, Enforcement::kAudit}) {
    if (name == EnforcementName(candidate)) {
      *e = candidate;
      return true;
    }
  }
  return false;
}

std::string AdmissionErrorBody(int http_status, std::string_view message) {
  std::string body = R"({"kind":"Status","apiVersion":"v1","status":"Failure","message":)";
  AppendJsonString(&body, message);
  StrAppend(&body, R"(,"code":)", http_status, "}");
  return body;
}

AdmissionResult ReviewAdmission(std::string_view body, const PolicySet* set,
                                const AdmissionOptions& options) {
  return set != nullptr ? Review(body, &set->cluster, set->generation, options)
                        : Review(body, nullptr, 0, options);
}

AdmissionResult ReviewAdmission(std::string_view body, const Cluster& cluster, uint64_t generation,
                                const AdmissionOptions& options) {
  return Review(body, &cluster, generation, options);
}

}  // namespace sympozium
