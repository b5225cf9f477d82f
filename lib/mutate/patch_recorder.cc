#include "lib/mutate/patch_recorder.h"

#include <string>

namespace sympozium::mutate_internal {
namespace {

// One JSON Pointer token (RFC 6901): "~" -> "~0", "/" -> "~1", so a label
// key such as sympozium.ai/role stays one token.
void AppendToken(std::string* pointer, std::string_view key) {
  pointer->push_back('/');
  for (char c : key) {
    if (c == '~') {
      pointer->append("~0");
    } else if (c == '/') {
      pointer->append("~1");
    } else {
      pointer->push_back(c);
    }
  }
}

}  // namespace

const Value* PatchRecorder::Parent(KeyPath path) const {
  const Value* node = root_;
  for (auto key = path.begin(); key + 1 != path.end(); ++key) {
    node = node->Find(*key);
    if (node == nullptr || !node->is_map()) return nullptr;
  }
  return node;
}

const Value* PatchRecorder::Get(KeyPath path) const {
  const Value* parent = Parent(path);
  const Value* v = parent == nullptr ? nullptr : parent->Find(*(path.end() - 1));
  return v == nullptr || v->is_null() ? nullptr : v;
}

bool PatchRecorder::Has(KeyPath path) const {
  const Value* parent = Parent(path);
  return parent != nullptr && parent->Find(*(path.end() - 1)) != nullptr;
}

void PatchRecorder::Set(KeyPath path, const Value& value) {
  auto key = path.begin();
  auto last = path.end() - 1;
  Value* node = root_;
  std::string pointer;
  for (; key != last; ++key) {
    Value* child = node->FindMutable(*key);
    if (child == nullptr || !child->is_map()) break;
    AppendToken(&pointer, *key);
    node = child;
  }
  // `*key` is the first member to write; the parents below it that are
  // missing are built around the value, innermost first.
  Value built = CopyValue(arena_, value);
  for (auto k = last; k != key; --k) {
    Value parent = Value::EmptyMap();
    parent.Set(arena_, *k, built);
    built = parent;
  }
  AppendToken(&pointer, *key);
  const Value* existing = node->Find(*key);
  if (existing != nullptr && ValueEquals(*existing, built)) return;
  std::string_view op = existing != nullptr ? "replace" : "add";
  node->Set(arena_, *key, built);

  Value entry = Value::EmptyMap();
  entry.Set(arena_, "op", Value::StringView(op));
  entry.Set(arena_, "path", Value::String(arena_, pointer));
  // A copy: later edits of the tree (a label added to a new labels map)
  // must not show through in this operation.
  entry.Set(arena_, "value", CopyValue(arena_, built));
  ops_.Push(arena_, entry);
}

}  // namespace sympozium::mutate_internal
