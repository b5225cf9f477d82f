// mutate: the mutating webhook's defaults as a patch and a mutated object.
#include <algorithm>
#include <iostream>

#include "sympozium/decision.h"
#include "sympozium/mutate.h"
#include "tools/cli/cli.h"
#include "tools/cli/report.h"
#include "tools/cli/verbs.h"

namespace sympozium::cli {
namespace {

// Mutates one document and reports it: JSON into `json`, text on stdout (an
// error on stderr, as for a single run). Returns the document's exit code.
int MutateOne(const Document& doc, const BindingHolder& holder, Mode mode, bool json_output,
              Json& json) {
  absl::StatusOr<MutateResult> result = Mutate(doc, holder.binding, mode);
  if (!result.ok()) {
    // The document did not decode as an AgentRun: an admission error,
    // reported as admit reports one.
    if (json_output) {
      json.Raw(Decision::Error(400, "decode.error", std::string(result.status().message()),
                               PathOf(result.status()), mode)
                   .ToJson());
    } else {
      std::cerr << "sympozium-policy: " << result.status().message() << "\n";
    }
    return kExitDenied;
  }
  if (json_output) {
    json.Raw(result->ToJson());
    return kExitOk;
  }
  std::cout << doc.Describe() << ": " << result->message << " (" << holder.label << ")\n";
  for (const PatchOperation& op : result->Operations()) {
    std::cout << "  " << op.op << " " << op.path;
    if (!op.value.empty()) std::cout << " = " << op.value;
    std::cout << "\n";
  }
  return kExitOk;
}

}  // namespace

int MutateVerb(const std::vector<std::string>& argv) {
  auto parsed = ParseReaderArgs(argv, {{"policy", true}, {"preset", true}, {"cluster", true, true}},
                                {"text", "json"});
  if (!parsed.ok()) return Fail(parsed.status());
  const auto& [args, mode, output, limits] = *parsed;
  if (args.positional().empty()) return Fail("mutate needs a RUN (see mutate --help)");
  auto holder = LoadBinding(args, mode, limits);
  if (!holder.ok()) return Fail(holder.status());
  auto docs = LoadDocuments(args.positional(), limits);
  if (!docs.ok()) return Fail(docs.status());
  if (docs->empty()) return Fail("no documents to mutate");

  // As admit: one document prints one object, several an array of them; the
  // exit code is the worst of the documents'.
  bool json_output = output == "json";
  Json json;
  if (docs->size() > 1) json.BeginArray();
  int exit_code = kExitOk;
  for (const Document& doc : *docs)
    exit_code = std::max(exit_code, MutateOne(doc, **holder, mode, json_output, json));
  if (json_output) {
    if (docs->size() > 1) json.EndArray();
    std::cout << json.str() << "\n";
  }
  return exit_code;
}

}  // namespace sympozium::cli
