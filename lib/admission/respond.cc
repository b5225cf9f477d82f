// A decision's AdmissionResponse under an enforcement mode, and its JSON.
#include <utility>

#include "lib/admission/admission_internal.h"
#include "lib/write/write.h"
#include "sympozium/strings.h"

namespace sympozium::admission_internal {
namespace {

// Prefixes every violation a warn answer lets through, so a reader of
// kubectl's "Warning:" lines sees the request would have been refused.
constexpr std::string_view kWouldDeny = "[would deny] ";

std::string Tagged(const Violation& v) { return StrCat(v.message, " [", v.code, "]"); }

void AddDiagnostics(const Decision& d, Response* r) {
  for (const Diagnostic& w : d.warnings) r->warnings.push_back(w.ToString());
}

std::string ShadowWarning(const ShadowOutcome& shadow) {
  std::string out =
      StrCat("[shadow ", ModeName(shadow.mode), "] would ", shadow.allowed ? "allow" : "deny");
  if (!shadow.code.empty()) StrAppend(&out, " [", shadow.code, "]");
  return out;
}

}  // namespace

Response Respond(std::string_view uid, Verdict verdict, Enforcement enforcement,
                 const ShadowOutcome* disagreeing_shadow) {
  Decision& d = verdict.decision;
  Response r;
  r.uid = uid;
  if (d.allowed || enforcement == Enforcement::kDeny) {
    r.allowed = d.allowed;
    r.code = d.status;
    r.message = std::move(d.message);
    r.patch = std::move(verdict.patch);
    AddDiagnostics(d, &r);
    // The message is the first violation, as Go reports; the rest would
    // otherwise surface one failed attempt at a time.
    for (size_t i = 1; i < d.violations.size(); ++i)
      r.warnings.push_back(StrCat("also: ", Tagged(d.violations[i])));
  } else {
    // Not enforced: allowed, and under audit nothing in the answer says why.
    r.allowed = true;
    r.code = 200;
    if (enforcement == Enforcement::kAudit) return r;
    r.message = StrCat("not enforced (warn): would be denied: ", d.message);
    for (const Violation& v : d.violations) r.warnings.push_back(StrCat(kWouldDeny, Tagged(v)));
    if (d.omitted_violations > 0)
      r.warnings.push_back(StrCat(kWouldDeny, "and ", d.omitted_violations, " more violations"));
    AddDiagnostics(d, &r);
  }
  if (disagreeing_shadow != nullptr && enforcement != Enforcement::kAudit)
    r.warnings.push_back(ShadowWarning(*disagreeing_shadow));
  return r;
}

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

}  // namespace sympozium::admission_internal
