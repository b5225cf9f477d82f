// Reports for CI systems that annotate code: SARIF 2.1.0 (code scanning
// uploads, most CI dashboards) and GitHub Actions workflow commands
// (annotations on a pull request's files).
#ifndef SYMPOZIUM_TOOLS_CLI_CI_REPORT_H_
#define SYMPOZIUM_TOOLS_CLI_CI_REPORT_H_

#include <cstdint>
#include <string>
#include <vector>

#include "sympozium/decision.h"
#include "sympozium/read.h"

namespace sympozium::cli {

// One thing to point at: a lint finding, a violation of a denied document,
// a document that is an error, a test result not as expected.
struct CiFinding {
  enum class Level { kError, kWarning };
  Level level = Level::kError;
  std::string code;     // the reason code: SARIF's rule, GitHub's title
  std::string message;  // one line for people
  std::string file;     // as named on the command line; "" or <stdin>: none
  uint32_t line = 0;    // 1-based; 0 when unknown
  uint32_t column = 0;  // 1-based; 0 when unknown
};

// The findings of a decision that is not allowed: one per violation (or the
// error itself), at the violated field's line and column where the source
// has them, else at the document's.
std::vector<CiFinding> DecisionFindings(const Document& doc, const Decision& d);
// The finding for a file that could not be read: its message names it.
CiFinding UnreadableFinding(const std::string& message);

// A SARIF 2.1.0 log: one run of sympozium-policy, one rule per code (with
// the catalogue's meaning of it), one result per finding.
std::string SarifLog(const std::vector<CiFinding>& findings);
// `::error file=F,line=L,col=C,title=CODE::message`, one line per finding.
std::string GitHubAnnotations(const std::vector<CiFinding>& findings);
// SarifLog or GitHubAnnotations, for --output sarif|github.
std::string CiReport(const std::string& output, const std::vector<CiFinding>& findings);

}  // namespace sympozium::cli

#endif  // SYMPOZIUM_TOOLS_CLI_CI_REPORT_H_
