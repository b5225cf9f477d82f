#include "lib/evaluate/env_denylist.h"

namespace sympozium::evaluate_internal {
namespace {

bool In(std::string_view name, std::initializer_list<std::string_view> names) {
  for (std::string_view n : names)
    if (n == name) return true;
  return false;
}

}  // namespace

bool IsCompatDeniedEnv(std::string_view name) {
  return In(name, {"PATH", "LD_PRELOAD", "LD_LIBRARY_PATH", "HOME", "SHELL", "USER", "HOSTNAME"});
}

bool IsStrictDeniedEnv(std::string_view name) {
  return IsCompatDeniedEnv(name) || name.substr(0, 3) == "LD_" ||
         In(name, {"BASH_ENV", "ENV", "PYTHONPATH", "PYTHONSTARTUP", "NODE_OPTIONS", "PERL5OPT",
                   "RUBYOPT", "GCONV_PATH"});
}

}  // namespace sympozium::evaluate_internal
