#include "sympozium/decision.h"

#include "lib/write/write.h"
#include "sympozium/strings.h"

namespace sympozium {

std::string_view ResultName(Result r) {
  switch (r) {
    case Result::kAllowed:
      return "allowed";
    case Result::kDenied:
      return "denied";
    case Result::kError:
      return "error";
  }
  return "error";
}

Decision Decision::Allow(std::string message, Mode mode) {
  Decision d;
  d.allowed = true;
  d.result = Result::kAllowed;
  d.status = 200;
  d.message = std::move(message);
  d.mode = mode;
  return d;
}

Decision Decision::Error(int status, std::string_view code, std::string message, std::string path,
                         Mode mode) {
  Decision d;
  d.mode = mode;
  d.Fail(status, code, std::move(message), std::move(path));
  return d;
}

void Decision::Deny(std::string_view violation_code, std::string violation_message,
                    std::string path) {
  if (violations.empty()) {
    allowed = false;
    result = Result::kDenied;
    status = 403;
    code = violation_code;
    message = violation_message;
  }
  if (full()) {
    ++omitted_violations;
    return;
  }
  violations.push_back({violation_code, std::move(violation_message), std::move(path)});
}

void Decision::Fail(int error_status, std::string_view violation_code,
                    std::string violation_message, std::string path) {
  bool first = violations.empty();
  Deny(violation_code, std::move(violation_message), std::move(path));
  if (first) {
    result = Result::kError;
    status = error_status;
  }
}

std::string Decision::ToJson() const {
  std::string out;
  out.reserve(256);
  StrAppend(&out, "{\"allowed\":", allowed ? "true" : "false", ",\"result\":\"", ResultName(result),
            "\",\"status\":", status, ",\"code\":");
  AppendJsonString(&out, code);
  out += ",\"message\":";
  AppendJsonString(&out, message);
  out += ",\"violations\":[";
  for (size_t i = 0; i < violations.size(); ++i) {
    const Violation& v = violations[i];
    if (i > 0) out.push_back(',');
    out += "{\"code\":";
    AppendJsonString(&out, v.code);
    out += ",\"message\":";
    AppendJsonString(&out, v.message);
    out += ",\"path\":";
    AppendJsonString(&out, v.path);
    out.push_back('}');
  }
  out += "]";
  if (omitted_violations > 0) StrAppend(&out, ",\"omittedViolations\":", omitted_violations);
  out += ",\"warnings\":[";
  for (size_t i = 0; i < warnings.size(); ++i) {
    const Diagnostic& w = warnings[i];
    if (i > 0) out.push_back(',');
    out += "{\"code\":";
    AppendJsonString(&out, w.code);
    out += ",\"message\":";
    AppendJsonString(&out, w.message);
    out += ",\"path\":";
    AppendJsonString(&out, w.path);
    if (w.mark.line != 0) StrAppend(&out, ",\"line\":", w.mark.line, ",\"column\":", w.mark.column);
    out.push_back('}');
  }
  StrAppend(&out, "],\"mode\":\"", ModeName(mode), "\"}");
  return out;
}

}  // namespace sympozium
