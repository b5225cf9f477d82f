// netpol: the NetworkPolicy a SympoziumPolicy's networkPolicy asks for.
#include <iostream>

#include "sympozium/network_policy.h"
#include "sympozium/write.h"
#include "tools/cli/cli.h"
#include "tools/cli/verbs.h"

namespace sympozium::cli {

int NetPol(const std::vector<std::string>& argv) {
  auto args =
      Args::Parse(argv, CommonFlags({{"policy", true}, {"preset", true}, {"namespace", true}}));
  if (!args.ok()) return Fail(args.status());
  auto mode = ModeFlag(*args);
  if (!mode.ok()) return Fail(mode.status());
  auto output = OutputFlag(*args, {"yaml", "json"});
  if (!output.ok()) return Fail(output.status());
  if (!args->Has("policy") && !args->Has("preset"))
    return Fail("netpol needs --policy or --preset");
  auto holder = LoadBinding(*args, *mode);
  if (!holder.ok()) return Fail(holder.status());
  NetworkPolicyResult result = GenerateNetworkPolicy(*(*holder)->policy, args->Get("namespace"));
  for (const Diagnostic& w : result.warnings) std::cerr << "warning: " << w.ToString() << "\n";
  if (!result.object) {
    std::cerr << "policy " << (*holder)->policy->name()
              << " asks for no NetworkPolicy (no networkPolicy, or denyAll: false)\n";
    return kExitOk;
  }
  std::cout << (*output == "json" ? ToJson(*result.object, {2}) + "\n" : ToYaml(*result.object));
  return kExitOk;
}

}  // namespace sympozium::cli
