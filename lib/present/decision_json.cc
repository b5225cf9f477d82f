#include "lib/present/json.h"
#include "lib/write/write.h"
#include "sympozium/decision.h"
#include "sympozium/strings.h"

namespace sympozium {

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
    if (i > 0) out.push_back(',');
    AppendDiagnosticJson(&out, warnings[i]);
  }
  StrAppend(&out, "],\"mode\":\"", ModeName(mode), "\"}");
  return out;
}

}  // namespace sympozium
