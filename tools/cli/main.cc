// sympozium-policy: evaluate AgentRuns, SkillPacks and pods against
// SympoziumPolicies from the command line (docs/cli.md).
#include <cstring>
#include <iostream>
#include <string>
#include <vector>

#include "sympozium/version.h"
#include "tools/cli/cli.h"
#include "tools/cli/help.h"

int main(int argc, char** argv) {
  using namespace sympozium::cli;
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.size() == 2 && args[0] == "help") {  // help limits, help VERB
    const Verb* verb = FindVerb(args[1]);
    if (args[1] != "limits" && verb == nullptr)
      return Fail("help: no verb or topic \"" + args[1] + "\" (see sympozium-policy --help)");
    std::cout << (verb != nullptr ? verb->Help() : LimitsHelp());
    return kExitOk;
  }
  if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
    std::cout << MainHelp();
    return args.empty() ? kExitUsage : kExitOk;
  }
  if (args[0] == "completion") {
    std::string script = args.size() == 2 ? CompletionScript(args[1]) : "";
    if (script.empty()) return Fail("completion takes one shell: bash or zsh");
    std::cout << script;
    return kExitOk;
  }
  if (args[0] == "--version" || args[0] == "version") {
    std::cout << "sympozium-policy " << sympozium::Version() << "\n";
    return kExitOk;
  }
  const Verb* verb = FindVerb(args[0]);
  if (verb == nullptr)
    return Fail("unknown verb \"" + args[0] + "\" (see sympozium-policy --help)");
  std::vector<std::string> rest(args.begin() + 1, args.end());
  for (const std::string& a : rest)
    if (a == "--help" || a == "-h") {
      std::cout << verb->Help();
      return kExitOk;
    }
  return verb->run(rest);
}
