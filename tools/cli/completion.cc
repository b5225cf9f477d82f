// `sympozium-policy completion bash|zsh`: shell completion generated from
// the verb table, so it lists what each verb's help lists.
#include <cctype>
#include <set>
#include <string>
#include <string_view>

#include "sympozium/strings.h"
#include "tools/cli/help.h"

namespace sympozium::cli {
namespace {

// The `--flag` words of a verb's help, sorted, with -o when it has --output.
std::string FlagWords(const Verb& verb) {
  std::string help = verb.Help();
  std::set<std::string> flags;
  for (size_t at = help.find("--"); at != std::string::npos; at = help.find("--", at + 2)) {
    size_t end = at + 2;
    while (end < help.size() && (std::islower(static_cast<unsigned char>(help[end])) ||
                                 (help[end] == '-' && end > at + 2)))
      ++end;
    if (end > at + 2 && (at == 0 || help[at - 1] == ' ' || help[at - 1] == '['))
      flags.insert(help.substr(at, end - at));
  }
  if (flags.count("--output") > 0) flags.insert("-o");
  std::string words;
  for (const std::string& f : flags) StrAppend(&words, words.empty() ? "" : " ", f);
  return words;
}

// The formats of `--output A|B|C` in the verb's usage, space-separated.
std::string OutputWords(const Verb& verb) {
  std::string_view usage = verb.usage;
  size_t at = usage.find("--output ");
  if (at == std::string_view::npos) return "";
  std::string_view formats = usage.substr(at + 9);
  formats = formats.substr(0, formats.find_first_of("] \n"));
  std::string words(formats);
  for (char& c : words)
    if (c == '|') c = ' ';
  return words;
}

std::string BashScript() {
  std::string verbs = "help version completion", flag_cases, output_cases;
  for (const Verb& v : Verbs()) {
    StrAppend(&verbs, " ", v.name);
    StrAppend(&flag_cases, "    ", v.name, ") words=\"", FlagWords(v), "\" ;;\n");
    if (std::string formats = OutputWords(v); !formats.empty())
      StrAppend(&output_cases, "      ", v.name, ") words=\"", formats, "\" ;;\n");
  }
  return StrCat(
      "# sympozium-policy completion (bash): source <(sympozium-policy completion bash)\n"
      "_sympozium_policy() {\n"
      "  local cur=\"${COMP_WORDS[COMP_CWORD]}\" prev=\"${COMP_WORDS[COMP_CWORD-1]}\"\n"
      "  local verb=\"${COMP_WORDS[1]}\" words=\"\"\n"
      "  if [ \"$COMP_CWORD\" -eq 1 ]; then\n"
      "    COMPREPLY=($(compgen -W \"",
      verbs,
      "\" -- \"$cur\"))\n"
      "    return\n"
      "  fi\n"
      "  case \"$verb:$prev\" in\n"
      "    help:help) COMPREPLY=($(compgen -W \"limits ",
      verbs.substr(verbs.find("completion ") + 11),
      "\" -- \"$cur\")); return ;;\n"
      "    completion:completion) COMPREPLY=($(compgen -W \"bash zsh\" -- \"$cur\")); return ;;\n"
      "    *:--mode) COMPREPLY=($(compgen -W \"strict compat\" -- \"$cur\")); return ;;\n"
      "    *:--output|*:-o)\n"
      "      case \"$verb\" in\n",
      output_cases,
      "      esac\n"
      "      COMPREPLY=($(compgen -W \"$words\" -- \"$cur\")); return ;;\n"
      "  esac\n"
      "  if [[ \"$cur\" == -* ]]; then\n"
      "    case \"$verb\" in\n",
      flag_cases,
      "    esac\n"
      "    COMPREPLY=($(compgen -W \"$words\" -- \"$cur\"))\n"
      "    return\n"
      "  fi\n"
      "  COMPREPLY=($(compgen -f -- \"$cur\"))\n"
      "}\n"
      "complete -o filenames -o bashdefault -F _sympozium_policy sympozium-policy\n");
}

}  // namespace

std::string CompletionScript(const std::string& shell) {
  if (shell == "bash") return BashScript();
  // zsh runs the same function through its bash completion layer.
  if (shell == "zsh")
    return "#compdef sympozium-policy\n"
           "# sympozium-policy completion (zsh): source <(sympozium-policy completion zsh)\n"
           "autoload -U +X bashcompinit && bashcompinit\n" +
           BashScript();
  return "";
}

}  // namespace sympozium::cli
