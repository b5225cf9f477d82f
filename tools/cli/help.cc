#include "tools/cli/help.h"

#include "tools/cli/cli.h"
#include "tools/cli/verbs.h"

namespace sympozium::cli {
namespace {

constexpr char kBindingFlags[] = R"(Policy binding:
  --policy FILE      bind this SympoziumPolicy directly (skips the Agent and policy lookups)
  --preset NAME      bind a built-in preset: permissive, default, restrictive, network-isolated
                     (optionally with a version: restrictive@v1)
  --cluster FILE     objects that exist in the cluster (Agents, SympoziumPolicies, SkillPacks);
                     repeatable; a file, a folder or a whole dump (other kinds in it are
                     left out). Without --policy/--preset the policy is found the way the
                     webhook finds it: the run's Agent in its namespace, then its policyRef.
  With none of these no policy is bound and only the policy-independent checks run.
)";

constexpr char kModeFlag[] =
    R"(  --mode strict|compat   strict (default): what Sympozium's Security page promises;
                         compat: bug-for-bug the Go webhook of Sympozium v0.10.46
)";

constexpr char kCommonFlags[] =
    R"(  --output FORMAT        see the verb's formats above (-o FORMAT for short); sarif is
                         SARIF 2.1.0 for code scanning, github prints GitHub Actions
                         annotations (::error file=...,line=...::)
Exit codes: 0 allowed / success, 1 denied (including admission errors), 2 could not run.
Inputs are YAML or JSON files, one or more documents each; "-" is standard input.
)";

constexpr char kLimitFlagsPointer[] =
    "Limit flags (--max-bytes, --max-depth, ...): see `sympozium-policy help limits`.\n";

}  // namespace

std::string Verb::Help() const {
  std::string out = std::string("usage: sympozium-policy ") + usage + "\n\n" + description + "\n";
  if (takes_binding) out += std::string("\n") + kBindingFlags;
  out += std::string("\nCommon flags:\n") + (takes_mode ? kModeFlag : "") + kCommonFlags;
  if (reads_inputs) out += std::string("\n") + kLimitFlagsPointer;
  out += std::string("\nExamples:\n") + examples;
  return out;
}

const Verb* FindVerb(const std::string& name) {
  for (const Verb& v : Verbs())
    if (name == v.name) return &v;
  return nullptr;
}

std::string MainHelp() {
  std::string out =
      "usage: sympozium-policy VERB [flags] [files]\n\n"
      "Evaluates Sympozium AgentRuns, SkillPacks and pods against SympoziumPolicies.\n\n"
      "Verbs:\n";
  for (const Verb& v : Verbs()) {
    std::string name = v.name;
    name.resize(14, ' ');
    out += "  " + name + v.summary + "\n";
  }
  out +=
      "\nRun `sympozium-policy VERB --help` (or `help VERB`) for a verb's flags and examples,\n"
      "`sympozium-policy help limits` for the limit flags, and\n"
      "`source <(sympozium-policy completion bash)` for shell completion (bash, zsh).\n";
  return out;
}

std::string LimitsHelp() {
  return "usage: sympozium-policy VERB [--max-bytes N] [--max-depth N] ... FILE...\n\n" +
         LimitFlagsHelp() +
         "Every verb that reads documents or policies takes them (docs/limits.md); the webhook\n"
         "has its own flags for request bodies (tools/webhook/README.md).\n";
}

}  // namespace sympozium::cli
