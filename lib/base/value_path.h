// Reading one string field at a fixed key path of a tree, for the lookups
// that read an object's labels and references without decoding it.
#ifndef SYMPOZIUM_LIB_BASE_VALUE_PATH_H_
#define SYMPOZIUM_LIB_BASE_VALUE_PATH_H_

#include <initializer_list>
#include <string_view>

#include "lib/base/value.h"

namespace sympozium {

// The string at `path` under `v` (map keys, in order), or "" when `v` is
// null, a key is missing, or the node is not a string.
std::string_view StringAt(const Value* v, std::initializer_list<std::string_view> path);

}  // namespace sympozium

#endif  // SYMPOZIUM_LIB_BASE_VALUE_PATH_H_
