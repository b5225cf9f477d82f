#include "lib/read/tree_builder.h"

#include <algorithm>
#include <cstdint>
#include <numeric>
#include <vector>

#include "absl/strings/str_cat.h"
#include "sympozium/diagnostic.h"

namespace sympozium::read_internal {

absl::Status TreeBuilder::Enter(uint32_t depth, Mark mark) {
  if (depth > options_.limits.max_depth)
    return LimitError(mark, "max_depth", options_.limits.max_depth, "nesting is deeper than");
  if (++nodes_ > options_.limits.max_nodes)
    return LimitError(mark, "max_nodes", options_.limits.max_nodes, "document has more nodes than");
  return absl::OkStatus();
}

absl::Status TreeBuilder::CheckLength(size_t length, Mark mark) {
  if (length > options_.limits.max_list_length)
    return LimitError(mark, "max_list_length", options_.limits.max_list_length,
                      "a list or map is longer than");
  return absl::OkStatus();
}

namespace {
constexpr size_t kLinearKeyCheck = 16;

absl::Status DuplicateKey(const TreeBuilder& b, const Member& m) {
  return b.Error(m.key_mark, absl::StrCat("duplicate key \"", std::string(m.key), "\""));
}
}  // namespace

absl::Status TreeBuilder::AddMember(Value& map, std::string_view key, const Value& value,
                                    Mark key_mark) {
  if (map.members.size() < kLinearKeyCheck && map.Find(key) != nullptr)
    return DuplicateKey(*this, Member{key, value, key_mark});
  if (absl::Status s = CheckLength(map.members.size() + 1, key_mark); !s.ok()) return s;
  Member m;
  m.key = key;
  m.value = value;
  m.key_mark = key_mark;
  map.members.Append(arena_, m);
  return absl::OkStatus();
}

absl::Status TreeBuilder::FinishMap(const Value& map) const {
  if (map.members.size() <= kLinearKeyCheck) return absl::OkStatus();
  std::vector<uint32_t> order(map.members.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](uint32_t a, uint32_t b) { return map.members[a].key < map.members[b].key; });
  // Report the duplicate that comes first in the document, as the linear
  // check would have.
  uint32_t first = UINT32_MAX;
  for (size_t i = 1; i < order.size(); ++i)
    if (map.members[order[i]].key == map.members[order[i - 1]].key)
      first = std::min(first, order[i]);
  if (first == UINT32_MAX) return absl::OkStatus();
  return DuplicateKey(*this, map.members[first]);
}

absl::Status TreeBuilder::Error(Mark mark, std::string_view message) const {
  std::string where = options_.source_name.empty() ? "<input>" : options_.source_name;
  if (mark.line != 0) absl::StrAppend(&where, ":", mark.line, ":", mark.column);
  return absl::InvalidArgumentError(absl::StrCat(where, ": ", std::string(message)));
}

absl::Status TreeBuilder::LimitError(Mark mark, std::string_view limit, size_t limit_value,
                                     std::string_view what) const {
  std::string code = absl::StrCat("limit.", std::string(limit));
  return WithCode(Error(mark, absl::StrCat(code, ": ", std::string(what), " ", limit_value)), code);
}

Mark MarkAt(std::string_view text, size_t offset) {
  Mark mark{1, 1};
  for (size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++mark.line;
      mark.column = 1;
    } else {
      ++mark.column;
    }
  }
  return mark;
}

}  // namespace sympozium::read_internal
