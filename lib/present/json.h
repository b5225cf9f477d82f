// The library's results as JSON, written once here for the C API, the CLI,
// the Go package and the webhook (Python builds its dicts from the same
// structs). One shape each: a Diagnostic is always
// {"severity","code","path","message"[,"line","column"]}.
#ifndef SYMPOZIUM_LIB_PRESENT_JSON_H_
#define SYMPOZIUM_LIB_PRESENT_JSON_H_

#include <string>

#include "sympozium/diagnostic.h"

namespace sympozium {

// Appends `d` as a JSON object; line and column only when known.
void AppendDiagnosticJson(std::string* out, const Diagnostic& d);

}  // namespace sympozium

#endif  // SYMPOZIUM_LIB_PRESENT_JSON_H_
