// One-line hints for people, by reason code, for the text output.
#ifndef SYMPOZIUM_TOOLS_CLI_HINTS_H_
#define SYMPOZIUM_TOOLS_CLI_HINTS_H_

#include <string_view>

namespace sympozium::cli {

// "" when there is no hint for `code`.
std::string_view HintFor(std::string_view code);

}  // namespace sympozium::cli

#endif  // SYMPOZIUM_TOOLS_CLI_HINTS_H_
