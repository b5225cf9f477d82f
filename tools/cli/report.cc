#include "tools/cli/report.h"

#include <cstdio>

#include "sympozium/json.h"
#include "sympozium/strings.h"
#include "tools/cli/hints.h"

namespace sympozium::cli {
namespace {

// The length of the valid UTF-8 sequence at s[i], or 0 when it is invalid
// (overlong forms, surrogates and code points above U+10FFFF included).
size_t Utf8Length(std::string_view s, size_t i) {
  unsigned char c = s[i];
  size_t n = c < 0x80             ? 1
             : (c & 0xE0) == 0xC0 ? 2
             : (c & 0xF0) == 0xE0 ? 3
             : (c & 0xF8) == 0xF0 ? 4
                                  : 0;
  if (n == 0 || i + n > s.size()) return 0;
  uint32_t cp = n == 1 ? c : n == 2 ? c & 0x1F : n == 3 ? c & 0x0F : c & 0x07;
  for (size_t k = 1; k < n; ++k) {
    unsigned char cc = s[i + k];
    if ((cc & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (cc & 0x3F);
  }
  static constexpr uint32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
  if (cp < kMin[n] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  return n;
}

std::string ViolationLines(const Decision& d) {
  std::string out;
  for (size_t i = 0; i < d.violations.size(); ++i) {
    const Violation& v = d.violations[i];
    StrAppend(&out, i + 1, ". ", v.message, "\n   at ", v.path.empty() ? "(the document)" : v.path,
              " [", v.code, "]\n");
  }
  return out;
}

}  // namespace

std::string WarningLine(const Diagnostic& d) {
  return StrCat("warning[", d.code, "] ", d.ToString());
}

std::string ObjectName(const Document& doc) {
  std::string ns(doc.namespace_());
  std::string name = StrCat(ns.empty() ? "" : StrCat(ns, "/"), doc.name());
  if (doc.kind().empty()) return name.empty() ? "document" : StrCat("document ", name);
  return name.empty() ? std::string(doc.kind()) : StrCat(doc.kind(), " ", name);
}

std::string DescribeDocument(const Document& doc) {
  return StrCat(doc.Describe(), ": ", ObjectName(doc));
}

std::string_view VerdictWord(const Decision& d, const Verdicts& words) {
  return d.allowed ? words.allowed : d.result == Result::kDenied ? words.denied : "ERROR";
}

void PrintDecision(std::ostream& out, const std::string& header, const Decision& d,
                   const std::string& binding, const Verdicts& words) {
  out << header << "\n  " << VerdictWord(d, words) << " under " << binding << " ("
      << ModeName(d.mode) << " mode)";
  if (d.allowed) {
    out << ": " << d.message << "\n";
  } else {
    out << ", " << d.violations.size() << (d.violations.size() == 1 ? " violation" : " violations")
        << ":\n";
    for (size_t i = 0; i < d.violations.size(); ++i) {
      const Violation& v = d.violations[i];
      out << "  " << i + 1 << ". " << v.message << "\n     at "
          << (v.path.empty() ? "(the document)" : v.path) << " [" << v.code << "]\n";
      if (std::string_view hint = HintFor(v.code); !hint.empty())
        out << "     hint: " << hint << "\n";
    }
    if (d.omitted_violations > 0)
      out << "  ... and " << d.omitted_violations << " more violations, not listed\n";
    if (d.violations.size() > 1) out << "  " << words.first_reported << " (" << d.code << ").\n";
  }
  for (const Diagnostic& w : d.warnings) out << "  " << WarningLine(w) << "\n";
}

void Json::BeforeValue() {
  if (after_key_) {
    after_key_ = false;
    return;
  }
  if (!first_.empty()) {
    if (!first_.back()) out_ += ',';
    first_.back() = false;
  }
}

Json& Json::BeginObject() {
  BeforeValue();
  out_ += '{';
  first_.push_back(true);
  return *this;
}

Json& Json::EndObject() {
  out_ += '}';
  first_.pop_back();
  return *this;
}

Json& Json::BeginArray() {
  BeforeValue();
  out_ += '[';
  first_.push_back(true);
  return *this;
}

Json& Json::EndArray() {
  out_ += ']';
  first_.pop_back();
  return *this;
}

Json& Json::Key(std::string_view key) {
  BeforeValue();
  AppendJsonString(&out_, key);
  out_ += ':';
  after_key_ = true;
  return *this;
}

Json& Json::String(std::string_view s) {
  BeforeValue();
  AppendJsonString(&out_, s);
  return *this;
}

Json& Json::Int(int64_t n) {
  BeforeValue();
  StrAppend(&out_, n);
  return *this;
}

Json& Json::Bool(bool b) {
  BeforeValue();
  out_ += b ? "true" : "false";
  return *this;
}

Json& Json::Null() {
  BeforeValue();
  out_ += "null";
  return *this;
}

Json& Json::Raw(std::string_view json) {
  BeforeValue();
  out_.append(json.data(), json.size());
  return *this;
}

void Json::FlushTo(std::ostream& out) {
  out.write(out_.data(), static_cast<std::streamsize>(out_.size()));
  out_.clear();
}

std::string XmlEscape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) {
    size_t n = Utf8Length(s, i);
    if (n == 0) {
      out += "\xEF\xBF\xBD";  // U+FFFD
      ++i;
      continue;
    }
    if (n > 1) {
      out.append(s.data() + i, n);
      i += n;
      continue;
    }
    char c = s[i++];
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&apos;";
        break;
      case '\t':
      case '\n':
        out += c;
        break;
      default:
        // XML 1.0 has no way to write other control characters.
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) {
          out += "\xEF\xBF\xBD";
        } else {
          out += c;
        }
    }
  }
  return out;
}

std::string JUnitXml(std::string_view suite, const std::vector<TestCase>& cases, double seconds) {
  size_t failures = 0, errors = 0, skipped = 0;
  for (const TestCase& c : cases) {
    failures += c.outcome == TestCase::Outcome::kFailed;
    errors += c.outcome == TestCase::Outcome::kError;
    skipped += c.outcome == TestCase::Outcome::kSkipped;
  }
  char time[32];
  std::snprintf(time, sizeof time, "%.3f", seconds);
  std::string counts = StrCat(" tests=\"", cases.size(), "\" failures=\"", failures, "\" errors=\"",
                              errors, "\" skipped=\"", skipped, "\" time=\"", time, "\"");
  std::string name = XmlEscape(suite);
  std::string out = StrCat("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"", name,
                           "\"", counts, ">\n  <testsuite name=\"", name, "\"", counts, ">\n");
  for (const TestCase& c : cases) {
    StrAppend(&out, "    <testcase name=\"", XmlEscape(c.name), "\" classname=\"",
              XmlEscape(c.classname), "\"");
    bool has_body = c.outcome != TestCase::Outcome::kPassed || !c.system_out.empty();
    if (!has_body) {
      out += "/>\n";
      continue;
    }
    out += ">\n";
    const char* element = nullptr;
    switch (c.outcome) {
      case TestCase::Outcome::kFailed:
        element = "failure";
        break;
      case TestCase::Outcome::kError:
        element = "error";
        break;
      case TestCase::Outcome::kSkipped:
        element = "skipped";
        break;
      case TestCase::Outcome::kPassed:
        break;
    }
    if (element != nullptr) {
      StrAppend(&out, "      <", element, " message=\"", XmlEscape(c.message), "\"");
      if (!c.type.empty()) StrAppend(&out, " type=\"", XmlEscape(c.type), "\"");
      if (c.detail.empty()) {
        out += "/>\n";
      } else {
        StrAppend(&out, ">", XmlEscape(c.detail), "</", element, ">\n");
      }
    }
    if (!c.system_out.empty())
      StrAppend(&out, "      <system-out>", XmlEscape(c.system_out), "</system-out>\n");
    out += "    </testcase>\n";
  }
  out += "  </testsuite>\n</testsuites>\n";
  return out;
}

void SourceFields(Json& json, const Document& doc) {
  json.Field("file", doc.source_name()).Field("index", doc.index());
  if (uint32_t line = doc.MarkAt("").line; line > 0) json.Field("line", line);
  json.Field("kind", doc.kind()).Field("namespace", doc.namespace_()).Field("name", doc.name());
}

std::string DecisionJson(const Document& doc, const Decision& d) {
  Json json;
  json.BeginObject();
  SourceFields(json, doc);
  std::string decision = d.ToJson();  // `{...}`: its members follow ours
  return decision.size() > 2 ? StrCat(json.str(), ",", decision.substr(1)) : json.str() + "}";
}

std::string SkippedJson(const Document& doc) {
  Json json;
  json.BeginObject();
  SourceFields(json, doc);
  json.Field("skipped", true).EndObject();
  return json.str();
}

TestCase SkippedTestCase(const Document& doc, std::string_view why) {
  TestCase c;
  c.name = ObjectName(doc);
  c.classname = doc.Describe();
  c.outcome = TestCase::Outcome::kSkipped;
  c.message = std::string(why);
  return c;
}

TestCase UnreadableTestCase(const std::string& message) {
  TestCase c;
  c.name = "unreadable file";
  c.classname = message.substr(0, message.find(':'));
  c.outcome = TestCase::Outcome::kError;
  c.type = "decode.error";
  c.message = message;
  return c;
}

TestCase DecisionTestCase(const Document& doc, const Decision& d) {
  TestCase c;
  c.name = ObjectName(doc);
  c.classname = doc.Describe();
  if (d.allowed) {
    c.system_out = StrCat("allowed: ", d.message, "\n");
  } else {
    c.outcome =
        d.result == Result::kDenied ? TestCase::Outcome::kFailed : TestCase::Outcome::kError;
    c.type = std::string(d.code);
    c.message = d.message;
    c.detail = ViolationLines(d);
  }
  for (const Diagnostic& w : d.warnings) StrAppend(&c.system_out, WarningLine(w), "\n");
  return c;
}

}  // namespace sympozium::cli
