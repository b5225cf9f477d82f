// admit: evaluate documents by kind and explain the decision.
#include <chrono>
#include <iostream>

#include "sympozium/decision.h"
#include "tools/cli/cli.h"
#include "tools/cli/report.h"
#include "tools/cli/verbs.h"

namespace sympozium::cli {

int Admit(const std::vector<std::string>& argv) {
  auto start = std::chrono::steady_clock::now();
  auto parsed = ParseReaderArgs(
      argv, {{"policy", true}, {"preset", true}, {"cluster", true, true}, {"mutate", false}},
      {"text", "json", "junit"});
  if (!parsed.ok()) return Fail(parsed.status());
  const auto& [args, mode, output, limits] = *parsed;
  if (args.positional().empty()) return Fail("admit needs a document (see admit --help)");
  auto holder = LoadBinding(args, mode, limits);
  if (!holder.ok()) return Fail(holder.status());
  auto docs = LoadDocuments(args.positional(), limits);
  if (!docs.ok()) return Fail(docs.status());
  if (docs->empty()) return Fail("no documents to admit");

  EvaluateOptions options;
  options.mode = mode;
  options.mutate_first = args.Has("mutate");
  options.schema_warnings = true;
  bool all_allowed = true;
  Json json;
  if (docs->size() > 1) json.BeginArray();
  std::vector<TestCase> cases;
  for (const Document& doc : *docs) {
    Decision d = Evaluate(doc, (*holder)->binding, options);
    all_allowed = all_allowed && d.allowed;
    if (output == "json") {
      json.Raw(d.ToJson());
    } else if (output == "junit") {
      cases.push_back(DecisionTestCase(doc, d));
    } else {
      PrintDecision(std::cout, DescribeDocument(doc), d, (*holder)->label, kAdmissionVerdicts);
    }
  }
  if (output == "json") {
    if (docs->size() > 1) json.EndArray();
    std::cout << json.str() << "\n";
  } else if (output == "junit") {
    std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
    std::cout << JUnitXml("sympozium-policy admit", cases, took.count());
  }
  return all_allowed ? kExitOk : kExitDenied;
}

}  // namespace sympozium::cli
