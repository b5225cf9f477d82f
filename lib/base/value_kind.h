// How messages name a Value's kind: "a string", "a list", "an object".
#ifndef SYMPOZIUM_LIB_BASE_VALUE_KIND_H_
#define SYMPOZIUM_LIB_BASE_VALUE_KIND_H_

#include "lib/base/value.h"

namespace sympozium {

// "null", "a bool", "a number", "a string", "a list" or "an object", for
// "expected a list, got a string".
const char* ValueKindName(Value::Kind kind);

}  // namespace sympozium

#endif  // SYMPOZIUM_LIB_BASE_VALUE_KIND_H_
