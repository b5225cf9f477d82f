// The verb table and the --help texts.
#ifndef SYMPOZIUM_TOOLS_CLI_HELP_H_
#define SYMPOZIUM_TOOLS_CLI_HELP_H_

#include <string>
#include <vector>

namespace sympozium::cli {

struct Verb {
  const char* name;
  const char* summary;
  const char* usage;
  const char* description;  // what it does and its own flags
  const char* examples;
  bool takes_binding;  // --policy/--preset/--cluster
  int (*run)(const std::vector<std::string>& argv);
  bool reads_inputs = true;  // takes the limit flags (--max-bytes, ...)
  std::string Help() const;
};

const std::vector<Verb>& Verbs();
const Verb* FindVerb(const std::string& name);
std::string MainHelp();

}  // namespace sympozium::cli

#endif  // SYMPOZIUM_TOOLS_CLI_HELP_H_
