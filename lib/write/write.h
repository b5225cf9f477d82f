// Writers: Value trees out as JSON or YAML text (the last stage). The
// Document forms and AppendJsonString are public (sympozium/json.h).
#ifndef SYMPOZIUM_LIB_WRITE_WRITE_H_
#define SYMPOZIUM_LIB_WRITE_WRITE_H_

#include <string>
#include <string_view>

#include "lib/base/value.h"
#include "sympozium/json.h"

namespace sympozium {

struct JsonStyle {
  int indent = 0;  // 0: compact on one line; n: pretty, n spaces per level
};

// JSON text. Strings are escaped per RFC 8259 (control characters as \uXXXX,
// non-ASCII UTF-8 passed through); numbers are written as their text; maps
// keep member order.
std::string ToJson(const Value& v, JsonStyle style = {});
void AppendJson(std::string* out, const Value& v, JsonStyle style = {});

// YAML text (block style, as kubectl prints), through yaml-cpp's emitter.
// Strings that would read back as another type ("true", "1", "") are quoted.
std::string ToYaml(const Value& v);

// Appends a number's text (a kInt or kFloat node's) as JSON writes it:
// YAML spellings rewritten to the same value, `null` for .inf and .nan.
void AppendJsonNumber(std::string* out, std::string_view text);

}  // namespace sympozium

#endif  // SYMPOZIUM_LIB_WRITE_WRITE_H_
