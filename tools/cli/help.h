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
  bool takes_mode = true;    // --mode strict|compat
  std::string Help() const;
};

const std::vector<Verb>& Verbs();
const Verb* FindVerb(const std::string& name);
std::string MainHelp();
// `sympozium-policy help limits`: the limit flags, their defaults and ranges.
std::string LimitsHelp();
// `sympozium-policy completion bash|zsh`: a script completing verbs, each
// verb's flags (as its help lists them) and the values of --output and
// --mode; "" for another shell.
std::string CompletionScript(const std::string& shell);

}  // namespace sympozium::cli

#endif  // SYMPOZIUM_TOOLS_CLI_HELP_H_
