// The functions behind each verb (one file each).
#ifndef SYMPOZIUM_TOOLS_CLI_VERBS_H_
#define SYMPOZIUM_TOOLS_CLI_VERBS_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "sympozium/policy.h"

namespace sympozium::cli {

int Admit(const std::vector<std::string>& argv);
int MutateVerb(const std::vector<std::string>& argv);
int Tool(const std::vector<std::string>& argv);
int Rbac(const std::vector<std::string>& argv);
int NetPol(const std::vector<std::string>& argv);
int PresetsVerb(const std::vector<std::string>& argv);
int Start(const std::vector<std::string>& argv);
int VerifyModelVerb(const std::vector<std::string>& argv);
int Lint(const std::vector<std::string>& argv);
int Diff(const std::vector<std::string>& argv);
int Replay(const std::vector<std::string>& argv);
int Review(const std::vector<std::string>& argv);
int RunTestVerb(const std::vector<std::string>& argv);

// A policy named on the command line by diff and replay --baseline: a file,
// or `preset:NAME` for a built-in preset. Read and compiled in `mode` under
// `limits`.
struct LoadedPolicy {
  PolicyPtr policy;
  std::string label;  // "preset restrictive@v1", "policy team (p.yaml)"
};
absl::StatusOr<LoadedPolicy> LoadPolicyOperand(const std::string& operand, Mode mode,
                                               const Limits& limits);

}  // namespace sympozium::cli

#endif  // SYMPOZIUM_TOOLS_CLI_VERBS_H_
