// The functions behind each verb (one file each).
#ifndef SYMPOZIUM_TOOLS_CLI_VERBS_H_
#define SYMPOZIUM_TOOLS_CLI_VERBS_H_

#include <string>
#include <vector>

namespace sympozium::cli {

int Admit(const std::vector<std::string>& argv);
int MutateVerb(const std::vector<std::string>& argv);
int Tool(const std::vector<std::string>& argv);
int Rbac(const std::vector<std::string>& argv);
int NetPol(const std::vector<std::string>& argv);
int PresetsVerb(const std::vector<std::string>& argv);
int Start(const std::vector<std::string>& argv);
int VerifyModelVerb(const std::vector<std::string>& argv);

}  // namespace sympozium::cli

#endif  // SYMPOZIUM_TOOLS_CLI_VERBS_H_
