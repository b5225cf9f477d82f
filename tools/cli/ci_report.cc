#include "tools/cli/ci_report.h"

#include <map>

#include "absl/strings/str_join.h"
#include "sympozium/strings.h"
#include "sympozium/version.h"
#include "tools/cli/report.h"

namespace sympozium::cli {
namespace {

constexpr char kProjectUri[] = "https://github.com/sympozium-ai/libsympozium";

bool HasFile(const CiFinding& f) { return !f.file.empty() && f.file != "<stdin>"; }

std::string_view LevelName(CiFinding::Level level) {
  return level == CiFinding::Level::kError ? "error" : "warning";
}

// What SARIF says about each code, in order of first use.
void WriteRules(Json& json, const std::vector<std::string>& codes) {
  json.Key("rules").BeginArray();
  for (const std::string& code : codes) {
    std::string_view meaning = ReasonCodeMeaning(code);
    json.BeginObject().Field("id", code).Key("shortDescription").BeginObject();
    json.Field("text", meaning.empty() ? std::string_view(code) : meaning).EndObject();
    json.Field("helpUri", StrCat(kProjectUri, "/blob/main/docs/reason-codes.md"));
    json.EndObject();
  }
  json.EndArray();
}

void WriteLocation(Json& json, const CiFinding& f) {
  json.Key("locations").BeginArray().BeginObject().Key("physicalLocation").BeginObject();
  json.Key("artifactLocation").BeginObject().Field("uri", f.file).EndObject();
  if (f.line > 0) {
    json.Key("region").BeginObject().Field("startLine", f.line);
    if (f.column > 0) json.Field("startColumn", f.column);
    json.EndObject();
  }
  json.EndObject().EndObject().EndArray();
}

// GitHub's escaping of a workflow command's message, and of its properties,
// which also end at `:` and `,`.
std::string EscapeData(std::string_view s, bool property) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '%':
        out += "%25";
        break;
      case '\r':
        out += "%0D";
        break;
      case '\n':
        out += "%0A";
        break;
      case ':':
        out += property ? "%3A" : ":";
        break;
      case ',':
        out += property ? "%2C" : ",";
        break;
      default:
        out += c;
    }
  }
  return out;
}

}  // namespace

std::vector<CiFinding> DecisionFindings(const Document& doc, const Decision& d) {
  std::vector<CiFinding> out;
  if (d.allowed) return out;
  auto finding = [&](std::string_view code, const std::string& message, const std::string& path) {
    Mark mark = doc.MarkAt(path);
    out.push_back({CiFinding::Level::kError, std::string(code),
                   StrCat(ObjectName(doc), ": ", message, path.empty() ? "" : " (at ", path,
                          path.empty() ? "" : ")"),
                   doc.source_name(), mark.line, mark.column});
  };
  if (d.violations.empty()) finding(d.code, d.message, "");
  for (const Violation& v : d.violations) finding(v.code, v.message, v.path);
  return out;
}

CiFinding UnreadableFinding(const std::string& message) {
  return {CiFinding::Level::kError,
          "decode.error",
          message,
          message.substr(0, message.find(':')),
          0,
          0};
}

std::string SarifLog(const std::vector<CiFinding>& findings) {
  std::vector<std::string> codes;
  std::map<std::string, size_t> rule_index;
  for (const CiFinding& f : findings)
    if (rule_index.emplace(f.code, codes.size()).second) codes.push_back(f.code);
  Json json;
  json.BeginObject()
      .Field("$schema", "https://json.schemastore.org/sarif-2.1.0.json")
      .Field("version", "2.1.0")
      .Key("runs")
      .BeginArray()
      .BeginObject();
  json.Key("tool").BeginObject().Key("driver").BeginObject();
  json.Field("name", "sympozium-policy")
      .Field("version", Version())
      .Field("informationUri", kProjectUri);
  WriteRules(json, codes);
  json.EndObject().EndObject();
  json.Key("results").BeginArray();
  for (const CiFinding& f : findings) {
    json.BeginObject().Field("ruleId", f.code).Field("ruleIndex", rule_index[f.code]);
    json.Field("level", LevelName(f.level));
    json.Key("message").BeginObject().Field("text", f.message).EndObject();
    if (HasFile(f)) WriteLocation(json, f);
    json.EndObject();
  }
  json.EndArray().EndObject().EndArray().EndObject();
  return json.str() + "\n";
}

std::string GitHubAnnotations(const std::vector<CiFinding>& findings) {
  std::string out;
  for (const CiFinding& f : findings) {
    std::vector<std::string> properties;
    if (HasFile(f)) properties.push_back("file=" + EscapeData(f.file, true));
    if (HasFile(f) && f.line > 0) properties.push_back(StrCat("line=", f.line));
    if (HasFile(f) && f.column > 0) properties.push_back(StrCat("col=", f.column));
    properties.push_back("title=" + EscapeData(f.code, true));
    StrAppend(&out, "::", LevelName(f.level), " ", absl::StrJoin(properties, ","),
              "::", EscapeData(f.message, false), "\n");
  }
  return out;
}

std::string CiReport(const std::string& output, const std::vector<CiFinding>& findings) {
  return output == "sarif" ? SarifLog(findings) : GitHubAnnotations(findings);
}

}  // namespace sympozium::cli
