// The text of a Document (sympozium/json.h): the writers over its tree.
#include "lib/read/document.h"
#include "lib/write/write.h"
#include "sympozium/json.h"

namespace sympozium {

std::string ToJson(const Document& doc, int indent) { return ToJson(doc.root(), {indent}); }

std::string ToYaml(const Document& doc) { return ToYaml(doc.root()); }

}  // namespace sympozium
