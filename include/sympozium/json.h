// Writing: Documents out as JSON or YAML text, or as the events of their
// JSON for a program that builds its own objects, and JSON string literals
// for a program that builds its own JSON around the library's answers.
#ifndef SYMPOZIUM_JSON_H_
#define SYMPOZIUM_JSON_H_

#include <cstddef>
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

// What a program that makes its own objects from a Document (the Python
// module's dicts) is told, value by value, depth first: the events of the
// document's JSON text (ToJson), without writing or parsing the text. So
// numbers come as ToJson writes them (`007` as 7, `+1.5` as 1.5), and a
// number JSON cannot write (.inf, .nan) comes as Null, as ToJson writes it.
class JsonVisitor {
 public:
  virtual ~JsonVisitor() = default;
  virtual void BeginMap(size_t size) = 0;  // then Key and a value, `size` times
  virtual void Key(std::string_view key) = 0;
  virtual void EndMap() = 0;
  virtual void BeginList(size_t size) = 0;
  virtual void EndList() = 0;
  virtual void String(std::string_view value) = 0;
  // `integer`: the text has neither fraction nor exponent, as a JSON
  // parser tells an integer from a float.
  virtual void Number(std::string_view text, bool integer) = 0;
  virtual void Bool(bool value) = 0;
  virtual void Null() = 0;
};

// Walks `doc` in member order, telling `visitor` what ToJson would write.
void VisitJson(const Document& doc, JsonVisitor& visitor);

// Appends a JSON string literal for `s` (with quotes) to `*out`.
void AppendJsonString(std::string* out, std::string_view s);

}  // namespace sympozium
SYMPOZIUM_API_END

#endif  // SYMPOZIUM_JSON_H_
