// Reading inside the library: the Document facade (sympozium/read.h) with
// the tree types it holds, the hot-path reader, and Documents over trees
// the library builds itself. The first stage of the flow
// bytes -> read -> decode -> compile -> evaluate.
//
// Input is YAML (yaml-cpp, multi-document streams) or JSON (simdjson on
// demand).
#ifndef SYMPOZIUM_LIB_READ_DOCUMENT_H_
#define SYMPOZIUM_LIB_READ_DOCUMENT_H_

#include <memory>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "lib/base/arena.h"
#include "lib/base/value.h"
#include "sympozium/options.h"
#include "sympozium/read.h"

namespace sympozium {

// The hot-path form of ReadDocument (the same document, `kind: List`
// expanded, and the same errors), read into `arena`, which the caller
// resets between uses. `*root` views memory in `arena`.
absl::Status ReadInto(std::string_view bytes, const ReadOptions& options, Arena& arena,
                      Value* root);

// A Document for `root`, a tree in `arena` (a mutated object, a generated
// Role), which the document keeps alive.
Document MakeDocument(std::shared_ptr<Arena> arena, const Value& root, std::string source_name);

}  // namespace sympozium

#endif  // SYMPOZIUM_LIB_READ_DOCUMENT_H_
