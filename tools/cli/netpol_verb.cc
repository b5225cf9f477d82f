// netpol: the NetworkPolicy a SympoziumPolicy's networkPolicy asks for.
#include <iostream>

#include "sympozium/json.h"
#include "sympozium/network_policy.h"
#include "tools/cli/cli.h"
#include "tools/cli/report.h"
#include "tools/cli/verbs.h"

namespace sympozium::cli {

int NetPol(const std::vector<std::string>& argv) {
  // text is the manifest as YAML, for kubectl apply; "yaml" was its name
  // before every verb took text|json, and scripts may still use it.
  auto parsed = ParseReaderArgs(argv, {{"policy", true}, {"preset", true}, {"namespace", true}},
                                {"text", "json", "yaml"});
  if (!parsed.ok()) return Fail(parsed.status());
  const auto& [args, mode, output, limits] = *parsed;
  if (!args.Has("policy") && !args.Has("preset")) return Fail("netpol needs --policy or --preset");
  auto holder = LoadBinding(args, mode, limits);
  if (!holder.ok()) return Fail(holder.status());
  NetworkPolicyResult result = GenerateNetworkPolicy(*(*holder)->policy, args.Get("namespace"));
  for (const Diagnostic& w : result.warnings) std::cerr << WarningLine(w) << "\n";
  bool json = output == "json";
  if (!result.object) {
    std::cerr << "policy " << (*holder)->policy->name()
              << " asks for no NetworkPolicy (no networkPolicy, or denyAll: false)\n";
    // JSON readers get a document either way: an empty List applies nothing.
    if (json)
      std::cout << "{\n  \"apiVersion\": \"v1\",\n  \"kind\": \"List\",\n  \"items\": []\n}\n";
    return kExitOk;
  }
  std::cout << (json ? ToJson(*result.object, 2) + "\n" : ToYaml(*result.object));
  return kExitOk;
}

}  // namespace sympozium::cli
