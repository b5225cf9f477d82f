// mutate: the mutating webhook's defaults as a patch and a mutated object.
#include <iostream>

#include "sympozium/decision.h"
#include "sympozium/mutate.h"
#include "sympozium/write.h"
#include "tools/cli/cli.h"
#include "tools/cli/verbs.h"

namespace sympozium::cli {

int MutateVerb(const std::vector<std::string>& argv) {
  auto args =
      Args::Parse(argv, ReaderFlags({{"policy", true}, {"preset", true}, {"cluster", true, true}}));
  if (!args.ok()) return Fail(args.status());
  auto mode = ModeFlag(*args);
  if (!mode.ok()) return Fail(mode.status());
  auto output = OutputFlag(*args, {"text", "json"});
  if (!output.ok()) return Fail(output.status());
  auto limits = LimitsFlag(*args);
  if (!limits.ok()) return Fail(limits.status());
  if (args->positional().size() != 1) return Fail("mutate needs exactly one RUN file");
  auto holder = LoadBinding(*args, *mode, *limits);
  if (!holder.ok()) return Fail(holder.status());
  auto docs = LoadDocuments(args->positional(), *limits);
  if (!docs.ok()) return Fail(docs.status());
  if (docs->size() != 1) return Fail("mutate needs exactly one AgentRun document");
  absl::StatusOr<MutateResult> result = Mutate(docs->front(), (*holder)->binding, *mode);
  if (!result.ok()) {
    // The document did not decode as an AgentRun: an admission error,
    // reported as admit reports one.
    if (*output == "json") {
      std::cout << Decision::Error(400, "decode.error", std::string(result.status().message()),
                                   PathOf(result.status()), *mode)
                       .ToJson()
                << "\n";
    } else {
      std::cerr << "sympozium-policy: " << result.status().message() << "\n";
    }
    return kExitDenied;
  }
  if (*output == "json") {
    std::cout << result->ToJson() << "\n";
    return kExitOk;
  }
  std::cout << docs->front().Describe() << ": " << result->message << " (" << (*holder)->label
            << ")\n";
  for (const Value& op : result->patch.items) {
    const Value* name = op.Find("op");
    const Value* path = op.Find("path");
    const Value* value = op.Find("value");
    std::cout << "  " << (name ? name->text : "") << " " << (path ? path->text : "");
    if (value != nullptr) std::cout << " = " << ToJson(*value);
    std::cout << "\n";
  }
  return kExitOk;
}

}  // namespace sympozium::cli
