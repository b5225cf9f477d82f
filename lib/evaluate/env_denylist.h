// The environment variable names a run may not set (docs/checks.md, check 13 and rule S2).
#ifndef SYMPOZIUM_LIB_EVALUATE_ENV_DENYLIST_H_
#define SYMPOZIUM_LIB_EVALUATE_ENV_DENYLIST_H_

#include <string_view>

namespace sympozium::evaluate_internal {

// compat: PATH LD_PRELOAD LD_LIBRARY_PATH HOME SHELL USER HOSTNAME.
bool IsCompatDeniedEnv(std::string_view name);
// strict: the compat names plus LD_* and BASH_ENV ENV PYTHONPATH
// PYTHONSTARTUP NODE_OPTIONS PERL5OPT RUBYOPT GCONV_PATH. Exact case.
bool IsStrictDeniedEnv(std::string_view name);

}  // namespace sympozium::evaluate_internal

#endif  // SYMPOZIUM_LIB_EVALUATE_ENV_DENYLIST_H_
