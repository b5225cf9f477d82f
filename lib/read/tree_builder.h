// Internal to the read stage: what both readers share while they turn a
// parsed document into a Value tree: the arena, the limits, and the errors.
#ifndef SYMPOZIUM_LIB_READ_TREE_BUILDER_H_
#define SYMPOZIUM_LIB_READ_TREE_BUILDER_H_

#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "lib/base/value.h"
#include "lib/read/document.h"

namespace sympozium::read_internal {

class TreeBuilder {
 public:
  TreeBuilder(Arena& arena, const ReadOptions& options) : arena_(arena), options_(options) {}

  Arena& arena() { return arena_; }
  const Limits& limits() const { return options_.limits; }

  // Counts one node at `depth`; fails when a limit is exceeded.
  absl::Status Enter(uint32_t depth, Mark mark);
  absl::Status CheckLength(size_t length, Mark mark);

  // Appends a member, rejecting a key the map already has: duplicate keys
  // are read differently by different parsers, so they are never guessed at.
  // Small maps are checked here; FinishMap checks larger ones once, so a
  // map of n members costs n log n, not n^2.
  absl::Status AddMember(Value& map, std::string_view key, const Value& value, Mark key_mark);
  absl::Status FinishMap(const Value& map) const;

  // `source:line:col: message` (position omitted when unknown).
  absl::Status Error(Mark mark, std::string_view message) const;
  absl::Status LimitError(Mark mark, std::string_view limit, size_t limit_value,
                          std::string_view what) const;

 private:
  Arena& arena_;
  const ReadOptions& options_;
  uint32_t nodes_ = 0;  // over the whole stream, so alias-expanding documents add up
};

// Both readers: append each document of `bytes` to `out` (roots only; the
// caller wraps them). Empty documents are skipped.
absl::Status ReadYamlStream(std::string_view bytes, TreeBuilder& builder,
                            std::vector<Value>* roots);
// One or more JSON documents (concatenated objects are a stream), each
// appended to `roots`; more than `max_documents` is a limit error.
absl::Status ReadJsonStream(std::string_view bytes, TreeBuilder& builder, size_t max_documents,
                            std::vector<Value>* roots);

// Position of byte `offset` in `text`, 1-based.
Mark MarkAt(std::string_view text, size_t offset);

}  // namespace sympozium::read_internal

#endif  // SYMPOZIUM_LIB_READ_TREE_BUILDER_H_
