// Finding a node of a document tree by the path format of lib/base/path.h,
// to give compile-time diagnostics a line and column.
#ifndef SYMPOZIUM_LIB_COMPILE_VALUE_LOOKUP_H_
#define SYMPOZIUM_LIB_COMPILE_VALUE_LOOKUP_H_

#include <string_view>

#include "lib/base/value.h"

namespace sympozium::compile_internal {

// The mark of the node at `path` ("spec.toolGating.rules[2].action"), or of
// its deepest existing ancestor.
Mark MarkAtPath(const Value& root, std::string_view path);

}  // namespace sympozium::compile_internal

#endif  // SYMPOZIUM_LIB_COMPILE_VALUE_LOOKUP_H_
