// Writing: Documents out as JSON or YAML text, and JSON string literals for
// a program that builds its own JSON around the library's answers.
#ifndef SYMPOZIUM_JSON_H_
#define SYMPOZIUM_JSON_H_

#include <string>
#include <string_view>

#include "sympozium/export.h"
#include "sympozium/read.h"

SYMPOZIUM_API_BEGIN
namespace sympozium {

// JSON text: compact on one line when `indent` is 0, else pretty with
// `indent` spaces per level. Strings are escaped per RFC 8259 (control
// characters as \uXXXX, non-ASCII UTF-8 passed through); numbers are written
// as their text; maps keep member order.
std::string ToJson(const Document& doc, int indent = 0);

// YAML text (block style, as kubectl prints). Strings that would read back
// as another type ("true", "1", "") are quoted.
std::string ToYaml(const Document& doc);

// Appends a JSON string literal for `s` (with quotes) to `*out`.
void AppendJsonString(std::string* out, std::string_view s);

}  // namespace sympozium
SYMPOZIUM_API_END

#endif  // SYMPOZIUM_JSON_H_
