// admit: evaluate documents by kind and explain the decision.
#include <iostream>

#include "lib/base/strings.h"
#include "sympozium/decision.h"
#include "tools/cli/cli.h"
#include "tools/cli/hints.h"
#include "tools/cli/verbs.h"

namespace sympozium::cli {
namespace {

std::string Describe(const Document& doc) {
  std::string ns(doc.namespace_());
  return StrCat(doc.Describe(), ": ", doc.kind().empty() ? "document" : doc.kind(), " ",
                ns.empty() ? "" : StrCat(ns, "/"), doc.name());
}

void PrintText(const Document& doc, const Decision& d, const std::string& binding) {
  std::string verdict = d.allowed ? "ALLOWED" : d.result == Result::kDenied ? "DENIED" : "ERROR";
  std::cout << Describe(doc) << "\n  " << verdict << " under " << binding << " ("
            << ModeName(d.mode) << " mode)";
  if (d.allowed) {
    std::cout << ": " << d.message << "\n";
  } else {
    std::cout << ", " << d.violations.size()
              << (d.violations.size() == 1 ? " violation" : " violations") << ":\n";
    for (size_t i = 0; i < d.violations.size(); ++i) {
      const Violation& v = d.violations[i];
      std::cout << "  " << i + 1 << ". " << v.message << "\n";
      std::cout << "     at " << (v.path.empty() ? "(the document)" : v.path) << " [" << v.code
                << "]\n";
      if (std::string_view hint = HintFor(v.code); !hint.empty())
        std::cout << "     hint: " << hint << "\n";
    }
    if (d.violations.size() > 1)
      std::cout << "  The Go webhook reports only the first (" << d.code << ").\n";
  }
  for (const Diagnostic& w : d.warnings) std::cout << "  warning: " << w.ToString() << "\n";
}

}  // namespace

int Admit(const std::vector<std::string>& argv) {
  auto args = Args::Parse(
      argv, CommonFlags(
                {{"policy", true}, {"preset", true}, {"cluster", true, true}, {"mutate", false}}));
  if (!args.ok()) return Fail(args.status());
  auto mode = ModeFlag(*args);
  if (!mode.ok()) return Fail(mode.status());
  auto output = OutputFlag(*args, {"text", "json"});
  if (!output.ok()) return Fail(output.status());
  if (args->positional().empty()) return Fail("admit needs a document (see admit --help)");
  auto holder = LoadBinding(*args, *mode);
  if (!holder.ok()) return Fail(holder.status());
  auto docs = LoadDocuments(args->positional());
  if (!docs.ok()) return Fail(docs.status());
  if (docs->empty()) return Fail("no documents to admit");

  EvaluateOptions options;
  options.mode = *mode;
  options.mutate_first = args->Has("mutate");
  options.schema_warnings = true;
  bool all_allowed = true;
  std::string json = docs->size() > 1 ? "[" : "";
  for (size_t i = 0; i < docs->size(); ++i) {
    const Document& doc = (*docs)[i];
    Decision d = Evaluate(doc, (*holder)->binding, options);
    all_allowed = all_allowed && d.allowed;
    if (*output == "json") {
      if (i > 0) json += ",";
      json += d.ToJson();
    } else {
      PrintText(doc, d, (*holder)->label);
    }
  }
  if (*output == "json") std::cout << json << (docs->size() > 1 ? "]" : "") << "\n";
  return all_allowed ? kExitOk : kExitDenied;
}

}  // namespace sympozium::cli
