// Output formats shared by the verbs: decisions as text, JSON building, and
// JUnit XML for CI systems (one test case per document).
#ifndef SYMPOZIUM_TOOLS_CLI_REPORT_H_
#define SYMPOZIUM_TOOLS_CLI_REPORT_H_

#include <cstdint>
#include <ostream>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "sympozium/decision.h"
#include "sympozium/read.h"

namespace sympozium::cli {

// `runs/a.yaml#2: AgentRun agents/run-1` (the kind and name, for people).
std::string DescribeDocument(const Document& doc);
// `AgentRun agents/run-1` (no file), or `document` without kind or name.
std::string ObjectName(const Document& doc);

// `warning[rbac.wildcard] path: message (file:line:col)`: one line for a
// finding reported as a warning, whatever its severity (a decision's schema
// findings are errors the API server would make, but do not decide it).
std::string WarningLine(const Diagnostic& d);

// How a verb words a decision in text.
struct Verdicts {
  std::string_view allowed;         // "ALLOWED", "MAY START"
  std::string_view denied;          // "DENIED", "REFUSED"
  std::string_view first_reported;  // "The Go webhook reports only the first"
};
inline constexpr Verdicts kAdmissionVerdicts = {"ALLOWED", "DENIED",
                                                "The Go webhook reports only the first"};

// The verdict word of `d`: words.allowed, words.denied or "ERROR".
std::string_view VerdictWord(const Decision& d, const Verdicts& words);

// A decision for people: the verdict under `binding`, every violation with
// its path, code and hint, then the warnings.
void PrintDecision(std::ostream& out, const std::string& header, const Decision& d,
                   const std::string& binding, const Verdicts& words);

// A compact JSON builder: commas and nesting are tracked, strings escaped.
class Json {
 public:
  Json& BeginObject();
  Json& EndObject();
  Json& BeginArray();
  Json& EndArray();
  Json& Key(std::string_view key);
  Json& String(std::string_view s);
  Json& Int(int64_t n);
  Json& Bool(bool b);
  Json& Null();
  Json& Raw(std::string_view json);  // an already encoded value
  // Key(key).String(value), and so on.
  Json& Field(std::string_view key, std::string_view value) { return Key(key).String(value); }
  Json& Field(std::string_view key, const char* value) { return Key(key).String(value); }
  Json& Field(std::string_view key, bool b) { return Key(key).Bool(b); }
  template <class T, std::enable_if_t<std::is_integral_v<T> && !std::is_same_v<T, bool>, int> = 0>
  Json& Field(std::string_view key, T n) {
    return Key(key).Int(static_cast<int64_t>(n));
  }
  const std::string& str() const { return out_; }
  // Writes what is built so far to `out` and forgets it, the nesting kept,
  // so a large report is written in pieces rather than first gathered into
  // one string.
  void FlushTo(std::ostream& out);

 private:
  void BeforeValue();
  std::string out_;
  std::vector<bool> first_;  // per open container: no member written yet
  bool after_key_ = false;
};

// One JUnit test case.
struct TestCase {
  enum class Outcome { kPassed, kFailed, kError, kSkipped };
  std::string name;       // "AgentRun agents/run-1"
  std::string classname;  // "runs/a.yaml#2"
  Outcome outcome = Outcome::kPassed;
  std::string type;        // failure/error type: the reason code
  std::string message;     // one line
  std::string detail;      // the element's text: every violation, one a line
  std::string system_out;  // warnings and notes
};

// The fields that say which document a per-document JSON result is about:
// "file", "index" (0-based within the file, list items counted in order),
// "line" (1-based, where known), "kind", "namespace", "name".
void SourceFields(Json& json, const Document& doc);
// `d.ToJson()` with the SourceFields of `doc` first.
std::string DecisionJson(const Document& doc, const Decision& d);
// A document of a kind the verb does not evaluate: SourceFields and
// "skipped": true.
std::string SkippedJson(const Document& doc);

// A JUnit XML report (testsuites > testsuite > testcase), every text
// XML-escaped and made valid UTF-8. `seconds` is the suite's time.
std::string JUnitXml(std::string_view suite, const std::vector<TestCase>& cases, double seconds);

// The test case for a decision: failed when denied, error when the result is
// an error, passed when allowed; the violations and warnings as text.
TestCase DecisionTestCase(const Document& doc, const Decision& d);
// The test case for a document of a kind the verb does not evaluate.
TestCase SkippedTestCase(const Document& doc, std::string_view why);
// The test case for an input file that could not be read or parsed: an
// error, named by the file the message starts with.
TestCase UnreadableTestCase(const std::string& message);

// `s` with &, <, >, " and ' escaped, control characters other than tab and
// newline replaced and invalid UTF-8 replaced by U+FFFD.
std::string XmlEscape(std::string_view s);

}  // namespace sympozium::cli

#endif  // SYMPOZIUM_TOOLS_CLI_REPORT_H_
