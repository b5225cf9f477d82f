// Diagnostic: one error or warning about a document, with the document path
// and source position it concerns.
//
// Errors are absl::Status / absl::StatusOr throughout the C++ API, the one
// Abseil type it shows: a status carries the document path and reason code
// of what failed (PathOf, CodeOf below). A program therefore builds against
// the Abseil the library was built with (Debian's libabsl-dev); the C API
// has no such coupling.
#ifndef SYMPOZIUM_DIAGNOSTIC_H_
#define SYMPOZIUM_DIAGNOSTIC_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "sympozium/export.h"

SYMPOZIUM_API_BEGIN
namespace sympozium {

// Where a node starts in its source text, 1-based; line 0 means unknown
// (a node built in memory rather than read).
struct Mark {
  uint32_t line = 0;
  uint32_t column = 0;
};

struct Diagnostic {
  enum class Severity { kError, kWarning };

  Severity severity = Severity::kError;
  std::string code;     // stable reason code, e.g. "decode.error", "schema.unknown_field"
  std::string path;     // document path, e.g. "spec.toolGating.rules[2].action"
  std::string message;  // what is wrong, e.g. `unknown action "maybe"`
  std::string source;   // file name, "<stdin>", or empty
  Mark mark;            // line/column in source; line 0 = unknown

  static Diagnostic Error(std::string code, std::string path, std::string message,
                          std::string source = "", Mark mark = {}) {
    return {Severity::kError,   std::move(code),   std::move(path),
            std::move(message), std::move(source), mark};
  }
  static Diagnostic Warning(std::string code, std::string path, std::string message,
                            std::string source = "", Mark mark = {}) {
    return {Severity::kWarning, std::move(code),   std::move(path),
            std::move(message), std::move(source), mark};
  }

  // `spec.toolGating.rules[2].action: unknown action "maybe" (policy.yaml:14:17)`
  std::string ToString() const;
  // `{"severity":"error","code":...,"path":...,"message":...,"line":14,"column":17}`,
  // line and column only when known: the one JSON form of a finding (lint,
  // strict errors, a decision's warnings).
  std::string ToJson() const;
};

using Diagnostics = std::vector<Diagnostic>;

// A JSON array of Diagnostic::ToJson objects.
std::string DiagnosticsJson(const Diagnostics& diagnostics);

// What a reason code means: its sentence in the catalogue of codes
// (docs/reason-codes.md, built into the library), as plain text; "" for a
// code the catalogue does not list. For reports that describe each code
// once (SARIF rules).
std::string_view ReasonCodeMeaning(std::string_view code);

// An error Status whose message is d.ToString(), with the path and code
// attached as payloads (see PathOf, CodeOf) for callers such as Python.
absl::Status ToStatus(const Diagnostic& d);
// The document path / reason code of a Status made by ToStatus, or "".
std::string PathOf(const absl::Status& status);
std::string CodeOf(const absl::Status& status);
// `status` with `code` attached, for errors made without a Diagnostic (a
// limit the reader enforces: "limit.max_depth").
absl::Status WithCode(absl::Status status, std::string_view code);

}  // namespace sympozium
SYMPOZIUM_API_END

#endif  // SYMPOZIUM_DIAGNOSTIC_H_
