// ApplyJsonPatch: the RFC 6902 operations a mutating webhook answers with
// (add, replace, remove), applied all or nothing. Tests use it to check that
// Mutate's patch turns the input into Mutate's object; a webhook client can
// use it to apply a response.
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "lib/base/status_macros.h"
#include "lib/mutate/json_patch.h"
#include "sympozium/strings.h"

namespace sympozium {
namespace {

// Splits a JSON Pointer (RFC 6901) into unescaped tokens; "" is the root.
absl::Status ParsePointer(std::string_view pointer, std::vector<std::string>* tokens) {
  if (pointer.empty()) return absl::OkStatus();
  if (pointer[0] != '/')
    return absl::InvalidArgumentError(
        StrCat("JSON pointer ", Quote(pointer), " must be empty or start with \"/\""));
  std::string token;
  for (size_t i = 1; i <= pointer.size(); ++i) {
    if (i == pointer.size() || pointer[i] == '/') {
      tokens->push_back(std::move(token));
      token.clear();
    } else if (pointer[i] != '~') {
      token.push_back(pointer[i]);
    } else if (i + 1 < pointer.size() && (pointer[i + 1] == '0' || pointer[i + 1] == '1')) {
      token.push_back(pointer[++i] == '0' ? '~' : '/');
    } else {
      return absl::InvalidArgumentError(
          StrCat("JSON pointer ", Quote(pointer), " has a \"~\" not followed by 0 or 1"));
    }
  }
  return absl::OkStatus();
}

// A list index token: digits without a leading zero, below `limit`.
bool ParseIndex(std::string_view token, size_t limit, size_t* index) {
  if (token.empty() || token.size() > 9 || (token.size() > 1 && token[0] == '0')) return false;
  size_t n = 0;
  for (char c : token) {
    if (c < '0' || c > '9') return false;
    n = n * 10 + static_cast<size_t>(c - '0');
  }
  *index = n;
  return n < limit;
}

absl::Status NotFound(std::string_view path) {
  return absl::InvalidArgumentError(StrCat("JSON patch path ", Quote(path), " does not exist"));
}

absl::Status ApplyOperation(Arena& arena, Value* doc, const Value& op) {
  const Value* name = op.Find("op");
  const Value* path_value = op.Find("path");
  if (name == nullptr || !name->is_string() || path_value == nullptr || !path_value->is_string())
    return absl::InvalidArgumentError("a JSON patch operation needs string \"op\" and \"path\"");
  std::string_view kind = name->text;
  std::string_view path = path_value->text;
  if (kind != "add" && kind != "replace" && kind != "remove")
    return absl::UnimplementedError(
        StrCat("JSON patch operation ", Quote(kind), " is not supported (add, replace, remove)"));
  const Value* value = op.Find("value");
  if (kind != "remove" && value == nullptr)
    return absl::InvalidArgumentError(
        StrCat("JSON patch ", kind, " at ", Quote(path), " has no \"value\""));

  std::vector<std::string> tokens;
  SYM_RETURN_IF_ERROR(ParsePointer(path, &tokens));
  if (tokens.empty()) {
    if (kind == "remove") return absl::InvalidArgumentError("JSON patch cannot remove the root");
    *doc = CopyValue(arena, *value);
    return absl::OkStatus();
  }
  Value* parent = doc;
  for (size_t i = 0; i + 1 < tokens.size(); ++i) {
    size_t index = 0;
    if (parent->is_map()) {
      parent = parent->FindMutable(tokens[i]);
    } else if (parent->is_list() && ParseIndex(tokens[i], parent->items.size(), &index)) {
      parent = &parent->items[index];
    } else {
      parent = nullptr;
    }
    if (parent == nullptr) return NotFound(path);
  }

  const std::string& last = tokens.back();
  if (parent->is_map()) {
    bool exists = parent->Find(last) != nullptr;
    if (kind != "add" && !exists) return NotFound(path);
    if (kind == "remove") {
      parent->Remove(last);
    } else {
      parent->Set(arena, last, CopyValue(arena, *value));
    }
    return absl::OkStatus();
  }
  if (!parent->is_list()) return NotFound(path);
  List<Value>& items = parent->items;
  size_t index = 0;
  if (kind == "add") {
    // "-" appends; an index up to the length inserts before that element.
    if (last == "-") {
      index = items.size();
    } else if (!ParseIndex(last, items.size() + 1, &index)) {
      return NotFound(path);
    }
    items.Append(arena);
    for (size_t j = items.size() - 1; j > index; --j) items[j] = items[j - 1];
    items[index] = CopyValue(arena, *value);
    return absl::OkStatus();
  }
  if (!ParseIndex(last, items.size(), &index)) return NotFound(path);
  if (kind == "remove") {
    items.Erase(index);
  } else {
    items[index] = CopyValue(arena, *value);
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status ApplyJsonPatch(Arena& arena, Value* doc, const Value& patch) {
  if (!patch.is_list()) return absl::InvalidArgumentError("a JSON patch must be a list");
  // Edits go to a deep copy, so a failing operation leaves `*doc` as it was
  // (RFC 6902 §5) and no List storage is shared with the caller's tree.
  Value work = CopyValue(arena, *doc);
  for (const Value& op : patch.items) SYM_RETURN_IF_ERROR(ApplyOperation(arena, &work, op));
  *doc = work;
  return absl::OkStatus();
}

}  // namespace sympozium
