// review: answer a saved AdmissionReview exactly as sympozium-webhook does.
#include <iostream>

#include "sympozium/admission.h"
#include "sympozium/policy_store.h"
#include "tools/cli/cli.h"
#include "tools/cli/verbs.h"

namespace sympozium::cli {

int Review(const std::vector<std::string>& argv) {
  auto parsed = ParseReaderArgs(
      argv,
      {{"cluster", true, true}, {"enforcement", true}, {"shadow-mode", true}, {"endpoint", true}},
      {"json"});
  if (!parsed.ok()) return Fail(parsed.status());
  const auto& [args, mode, output, limits] = *parsed;
  if (args.positional().size() != 1)
    return Fail("review needs one AdmissionReview file, or - (see review --help)");

  AdmissionOptions options;
  options.mode = mode;
  options.limits = limits;
  if (!ParseEnforcement(args.Get("enforcement", "deny"), &options.enforcement))
    return Fail("--enforcement is deny, warn or audit, not " + args.Get("enforcement"));
  if (args.Has("shadow-mode")) {
    Mode shadow;
    if (!ParseMode(args.Get("shadow-mode"), &shadow))
      return Fail("--shadow-mode is strict or compat, not " + args.Get("shadow-mode"));
    options.shadow_mode = shadow;
  }
  std::string endpoint = args.Get("endpoint", "validate");
  if (endpoint == "mutate")
    options.endpoint = AdmissionEndpoint::kMutate;
  else if (endpoint != "validate")
    return Fail("--endpoint is validate or mutate, not " + endpoint);

  // The webhook's own loader for its --config files.
  ReadOptions read;
  read.limits = limits;
  auto set = LoadPolicySet(args.GetAll("cluster"), read, options.mode);
  if (!set.ok()) return Fail(set.status());
  auto body = ReadFile(args.positional()[0], limits);
  if (!body.ok()) return Fail(body.status());

  AdmissionResult result = ReviewAdmission(*body, set->get(), options);
  std::cout << result.body << "\n";
  if (result.http_status != 200) return kExitUsage;
  return result.allowed ? kExitOk : kExitDenied;
}

}  // namespace sympozium::cli
