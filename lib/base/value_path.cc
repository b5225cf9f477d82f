#include "lib/base/value_path.h"

#include <cstdlib>
#include <string>

namespace sympozium {
namespace {

// Walks `path`, calling visit(node) for each node reached; stops early when
// a segment is missing. Returns the node at the end, or nullptr when a
// segment is missing.
template <class Visit>
const Value* Walk(const Value& root, std::string_view path, Visit visit) {
  const Value* node = &root;
  size_t i = 0;
  while (node != nullptr && i < path.size()) {
    if (path[i] == '.') {
      ++i;
      continue;
    }
    if (path[i] == '[') {
      size_t close = path.find(']', i);
      if (close == std::string_view::npos) return nullptr;
      std::string_view inner = path.substr(i + 1, close - i - 1);
      i = close + 1;
      if (!inner.empty() && inner.front() == '"' && inner.back() == '"' && inner.size() >= 2) {
        node = node->Find(inner.substr(1, inner.size() - 2));
      } else {
        size_t index = static_cast<size_t>(std::strtoul(std::string(inner).c_str(), nullptr, 10));
        node = node->is_list() && index < node->items.size() ? &node->items[index] : nullptr;
      }
    } else {
      size_t end = path.find_first_of(".[", i);
      if (end == std::string_view::npos) end = path.size();
      node = node->Find(path.substr(i, end - i));
      i = end;
    }
    if (node != nullptr) visit(*node);
  }
  return node;
}

}  // namespace

std::string_view StringAt(const Value* v, std::initializer_list<std::string_view> path) {
  for (std::string_view key : path) {
    if (v == nullptr) return {};
    v = v->Find(key);
  }
  return v != nullptr && v->is_string() ? v->text : std::string_view();
}

const Value* ValueAtPath(const Value& root, std::string_view path) {
  return Walk(root, path, [](const Value&) {});
}

Mark MarkAtPath(const Value& root, std::string_view path) {
  Mark mark = root.mark;
  Walk(root, path, [&](const Value& v) {
    if (v.mark.line != 0) mark = v.mark;
  });
  return mark;
}

}  // namespace sympozium
