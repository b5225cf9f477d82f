// The JSON admission hot path: AgentRuns and pods decoded straight
// from a simdjson DOM parse, skipping the Value tree, whose per-value cost
// (On Demand's, and a node with its position for every value) was most of
// an admission.
//
// It must answer exactly as ReadInto + DecodeInto would, so each step says
// false wherever it might not, and the caller takes that slow path instead
// (which also reports errors with their positions): input that is not a
// JSON object, that the DOM rejects (syntax, UTF-8, depth), that breaks a
// rule the reader adds (duplicate keys, max_depth, max_nodes,
// max_list_length, max_bytes, max_documents), any decode error, and any
// number whose text the DOM cannot give back (dom_node.h).
#ifndef SYMPOZIUM_LIB_DECODE_FAST_JSON_H_
#define SYMPOZIUM_LIB_DECODE_FAST_JSON_H_

#include <initializer_list>
#include <string_view>

#include "lib/decode/dom_node.h"
#include "lib/decode/model.h"
#include "lib/read/document.h"

namespace sympozium::decode_internal {

class FastJson {
 public:
  // Copies of the input and rebuilt text go in `arena`.
  explicit FastJson(Arena& arena) : context_{{}, arena} {}

  // Parses `bytes` in the thread's DOM parser. What Decode returns views
  // the parse until the next Parse on this thread.
  bool Parse(std::string_view bytes, const ReadOptions& options);

  // The root's `kind`, "" when absent or not a string.
  std::string_view kind();
  // The string at `path` (keys from the root), "" when absent or not a
  // string, as StringAt reads it from the tree.
  std::string_view StringAt(std::initializer_list<std::string_view> path);

  // The object, exactly as DecodeInto decodes the tree ReadInto reads.
  bool Decode(AgentRun* out);
  bool Decode(PodObject* out);

 private:
  template <class T>
  bool DecodeAs(T* out);

  DomNode root() { return DomNode(&context_, 1); }  // the tape's first word is not a value

  DomContext context_;
  std::string_view source_;
};

}  // namespace sympozium::decode_internal

#endif  // SYMPOZIUM_LIB_DECODE_FAST_JSON_H_
