// Finding nodes of a tree by path: one string field at a fixed key path, for
// the lookups that read an object's labels and references without decoding
// it; the line and column of a document path, for diagnostics.
#ifndef SYMPOZIUM_LIB_BASE_VALUE_PATH_H_
#define SYMPOZIUM_LIB_BASE_VALUE_PATH_H_

#include <initializer_list>
#include <string_view>

#include "lib/base/value.h"

namespace sympozium {

// The string at `path` under `v` (map keys, in order), or "" when `v` is
// null, a key is missing, or the node is not a string.
std::string_view StringAt(const Value* v, std::initializer_list<std::string_view> path);

// The node at `path` ("spec.toolGating.rules[2].action", the format of
// lib/base/path.h), nullptr when a segment is missing.
const Value* ValueAtPath(const Value& root, std::string_view path);

// The mark of the node at `path`, or of its deepest existing ancestor.
Mark MarkAtPath(const Value& root, std::string_view path);

}  // namespace sympozium

#endif  // SYMPOZIUM_LIB_BASE_VALUE_PATH_H_
