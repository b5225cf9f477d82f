// Schema checks against the Sympozium CRDs (lib/data/crd): types, required
// fields, enums, patterns, lengths, bounds, and unknown fields.
//
// Separate from decoding on purpose (docs/model.md#decoding-not-schema-validation): the API server
// runs these checks before any webhook, so evaluation does not repeat them; `compile` runs them for
// policies in strict mode and `lint` shows them.
#ifndef SYMPOZIUM_LIB_SCHEMA_SCHEMA_H_
#define SYMPOZIUM_LIB_SCHEMA_SCHEMA_H_

#include <string_view>

#include "lib/read/document.h"
#include "sympozium/diagnostic.h"

namespace sympozium {

// True when a CRD schema is known for `kind` (SympoziumPolicy, AgentRun,
// SkillPack).
bool HasSchema(std::string_view kind);

// Every schema finding for `root`, a document of a kind with a schema (none
// otherwise), in document order. Errors (severity kError) have codes
// `schema.type`, `schema.required`, `schema.enum`, `schema.pattern`,
// `schema.length`, `schema.range`; unknown fields are warnings with code
// `schema.unknown_field`. Every finding has the path and source position.
Diagnostics CheckSchema(const Value& root, std::string_view source);
inline Diagnostics CheckSchema(const Document& doc) {
  return CheckSchema(doc.root(), doc.Describe());
}

}  // namespace sympozium

#endif  // SYMPOZIUM_LIB_SCHEMA_SCHEMA_H_
