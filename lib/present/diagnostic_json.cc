#include "lib/present/json.h"
#include "lib/write/write.h"
#include "sympozium/strings.h"

namespace sympozium {

void AppendDiagnosticJson(std::string* out, const Diagnostic& d) {
  StrAppend(out, "{\"severity\":\"",
            d.severity == Diagnostic::Severity::kError ? "error" : "warning", "\",\"code\":");
  AppendJsonString(out, d.code);
  *out += ",\"path\":";
  AppendJsonString(out, d.path);
  *out += ",\"message\":";
  AppendJsonString(out, d.message);
  if (d.mark.line != 0) StrAppend(out, ",\"line\":", d.mark.line, ",\"column\":", d.mark.column);
  out->push_back('}');
}

std::string Diagnostic::ToJson() const {
  std::string out;
  AppendDiagnosticJson(&out, *this);
  return out;
}

std::string DiagnosticsJson(const Diagnostics& diagnostics) {
  std::string out = "[";
  for (size_t i = 0; i < diagnostics.size(); ++i) {
    if (i > 0) out.push_back(',');
    AppendDiagnosticJson(&out, diagnostics[i]);
  }
  out.push_back(']');
  return out;
}

}  // namespace sympozium
