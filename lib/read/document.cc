// The read stage's entry points: size and UTF-8 checks, format choice,
// streams of documents, and `kind: List` expansion.
#include "lib/read/document.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "lib/base/value.h"
#include "lib/base/value_path.h"
#include "lib/read/tree_builder.h"
#include "simdjson.h"
#include "sympozium/diagnostic.h"

namespace sympozium {
namespace {

using read_internal::TreeBuilder;

constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";

// Offset of the first byte that is not valid UTF-8 (only called once
// simdjson's validator has said the input is invalid, to say where).
size_t FirstInvalidUtf8(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    size_t n = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
    if (n == 0 || i + n > s.size()) return i;
    for (size_t k = 1; k < n; ++k)
      if ((static_cast<unsigned char>(s[i + k]) >> 6) != 0x2) return i;
    i += n;
  }
  return i;
}

bool LooksLikeJson(std::string_view s) {
  size_t i = s.find_first_not_of(" \t\r\n");
  return i != std::string_view::npos && (s[i] == '{' || s[i] == '[');
}

absl::Status CheckInput(std::string_view bytes, const ReadOptions& options,
                        const TreeBuilder& builder) {
  if (bytes.size() > options.limits.max_bytes)
    return builder.LimitError({}, "max_bytes", options.limits.max_bytes,
                              absl::StrCat("input is ", bytes.size(), " bytes, more than"));
  if (!simdjson::validate_utf8(bytes.data(), bytes.size()))
    return builder.Error(read_internal::MarkAt(bytes, FirstInvalidUtf8(bytes)),
                         "input is not valid UTF-8");
  return absl::OkStatus();
}

absl::Status CheckRoot(const Value& root, const TreeBuilder& builder) {
  if (root.is_map()) return absl::OkStatus();
  const char* what = root.is_list() ? "a list" : "a scalar";
  return builder.Error(root.mark,
                       absl::StrCat("expected a Kubernetes object (a mapping), got ", what));
}

absl::Status ReadRoots(std::string_view bytes, const ReadOptions& options, TreeBuilder& builder,
                       std::vector<Value>* roots) {
  if (bytes.substr(0, kUtf8Bom.size()) == kUtf8Bom) bytes.remove_prefix(kUtf8Bom.size());
  if (absl::Status s = CheckInput(bytes, options, builder); !s.ok()) return s;
  bool json =
      options.format == Format::kJson || (options.format == Format::kAuto && LooksLikeJson(bytes));
  if (json) {
    if (absl::Status s =
            read_internal::ReadJsonStream(bytes, builder, options.limits.max_documents, roots);
        !s.ok())
      return s;
  } else if (absl::Status s = read_internal::ReadYamlStream(bytes, builder, roots); !s.ok()) {
    return s;
  }
  for (const Value& root : *roots)
    if (absl::Status s = CheckRoot(root, builder); !s.ok()) return s;
  return absl::OkStatus();
}

// A `kind: List` (what `kubectl get -o yaml` prints) stands for its items,
// and so does every typed list (`DeploymentList`, `PodList`,
// `AgentRunList`, ...), as the API server's list kinds are named.
bool IsList(const Value& root) {
  const Value* kind = root.Find("kind");
  return kind != nullptr && kind->is_string() && kind->text.size() >= 4 &&
         kind->text.substr(kind->text.size() - 4) == "List" && root.Find("items") != nullptr;
}

// An item of a typed list without kind or apiVersion (the API server's own
// list responses, `GET .../agentruns`, leave them out of every item) takes
// them from the list, as kubectl does: `AgentRunList` -> `AgentRun`. A `v1
// List` names no item kind.
void InheritKind(const Value& list, Value* item, Arena& arena) {
  std::string_view list_kind = list.Find("kind")->text;
  std::string_view kind = list_kind.substr(0, list_kind.size() - 4);
  if (kind.empty() || !item->is_map()) return;
  // Copied into `arena`: the item may live in another arena than the list
  // (ListItems).
  if (item->Find("kind") == nullptr) item->Set(arena, "kind", Value::String(arena, kind));
  const Value* version = list.Find("apiVersion");
  if (item->Find("apiVersion") == nullptr && version != nullptr && version->is_string())
    item->Set(arena, "apiVersion", Value::String(arena, version->text));
}

absl::Status ExpandLists(std::vector<Value>* roots, TreeBuilder& builder) {
  if (std::none_of(roots->begin(), roots->end(), IsList)) return absl::OkStatus();
  std::vector<Value> expanded;
  for (const Value& root : *roots) {
    if (!IsList(root)) {
      expanded.push_back(root);
      continue;
    }
    const Value* items = root.Find("items");
    if (!items->is_list()) return builder.Error(items->mark, "items of a List must be a list");
    for (const Value& item : items->items) {
      if (absl::Status s = CheckRoot(item, builder); !s.ok()) return s;
      expanded.push_back(item);
      InheritKind(root, &expanded.back(), builder.arena());
    }
  }
  *roots = std::move(expanded);
  return absl::OkStatus();
}

// A stream's roots with `kind: List`s expanded, within max_documents.
absl::Status ReadExpandedRoots(std::string_view bytes, const ReadOptions& options,
                               TreeBuilder& builder, std::vector<Value>* roots) {
  if (absl::Status s = ReadRoots(bytes, options, builder, roots); !s.ok()) return s;
  if (options.expand_lists)
    if (absl::Status s = ExpandLists(roots, builder); !s.ok()) return s;
  if (roots->size() > options.limits.max_documents)
    return builder.LimitError({}, "max_documents", options.limits.max_documents,
                              "stream has more documents than");
  return absl::OkStatus();
}

std::string_view StringField(const Value& root, std::string_view key) {
  const Value* v = root.Find(key);
  return v != nullptr && v->is_string() ? v->text : std::string_view();
}

}  // namespace

class DocumentReader {
 public:
  static absl::StatusOr<std::vector<Document>> Read(std::string_view bytes,
                                                    const ReadOptions& options) {
    auto arena = std::make_shared<Arena>();
    TreeBuilder builder(*arena, options);
    std::vector<Value> roots;
    if (absl::Status s = ReadExpandedRoots(bytes, options, builder, &roots); !s.ok()) return s;
    // The roots live in the arena too, so a Document is a pointer to its root.
    Value* stored = arena->AllocateArray<Value>(roots.size());
    std::copy(roots.begin(), roots.end(), stored);
    std::vector<Document> docs;
    docs.reserve(roots.size());
    for (size_t i = 0; i < roots.size(); ++i)
      docs.push_back(Document(arena, &stored[i], options.source_name, static_cast<int>(i),
                              static_cast<int>(roots.size())));
    return docs;
  }

  static absl::StatusOr<Document> ReadOne(std::string_view bytes, const ReadOptions& options) {
    auto arena = std::make_shared<Arena>();
    Value root;
    if (absl::Status s = ReadInto(bytes, options, *arena, &root); !s.ok()) return s;
    return Make(std::move(arena), root, options.source_name);
  }

  // A document whose root (a copy of `root`'s node, sharing its children)
  // is allocated in `arena`.
  static Document Make(std::shared_ptr<Arena> arena, const Value& root, std::string source_name) {
    Value* stored = arena->AllocateArray<Value>(1);
    *stored = root;
    return Document(std::move(arena), stored, std::move(source_name), 0, 1);
  }

  // A document for a node already in `arena`: edits through either document
  // are seen by both, as they share the tree.
  static Document View(std::shared_ptr<Arena> arena, const Value& node, std::string source_name) {
    return Document(std::move(arena), const_cast<Value*>(&node), std::move(source_name), 0, 1);
  }
};

Document::Document()
    : Document(DocumentReader::Make(std::make_shared<Arena>(), Value::EmptyMap(), "")) {}
Document::Document(std::shared_ptr<Arena> arena, Value* root, std::string source_name, int index,
                   int count_in_stream)
    : arena_(std::move(arena)),
      root_(root),
      source_name_(std::move(source_name)),
      index_(index),
      count_in_stream_(count_in_stream) {}
Document::Document(Document&&) noexcept = default;
Document& Document::operator=(Document&&) noexcept = default;
Document::~Document() = default;

std::string_view Document::api_version() const { return StringField(*root_, "apiVersion"); }
std::string_view Document::kind() const { return StringField(*root_, "kind"); }
std::string_view Document::name() const {
  const Value* meta = root_->Find("metadata");
  return meta ? StringField(*meta, "name") : std::string_view();
}
std::string_view Document::namespace_() const {
  const Value* meta = root_->Find("metadata");
  return meta ? StringField(*meta, "namespace") : std::string_view();
}

std::string Document::Describe() const {
  std::string name = source_name_.empty() ? "<input>" : source_name_;
  if (count_in_stream_ > 1) absl::StrAppend(&name, "#", index_ + 1);
  return name;
}

Mark Document::MarkAt(std::string_view path) const { return MarkAtPath(*root_, path); }

std::string_view Document::TextAt(std::string_view path) const {
  const Value* v = ValueAtPath(*root_, path);
  return v != nullptr && !v->is_map() && !v->is_list() ? v->text : std::string_view();
}

bool Document::Has(std::string_view path) const { return ValueAtPath(*root_, path) != nullptr; }

std::optional<Document> Document::MapAt(std::string_view path, std::string source_name) const {
  const Value* v = ValueAtPath(*root_, path);
  if (v == nullptr || !v->is_map()) return std::nullopt;
  return Subtree(*v, std::move(source_name));
}

std::vector<Document> ListItems(const Document& list) {
  std::vector<Document> out;
  const Value* items = list.root().is_map() ? list.root().Find("items") : nullptr;
  if (items == nullptr || !items->is_list()) return out;
  for (const Value& item : items->items) {
    out.push_back(Document::Copy(item, list.source_name()));
    if (IsList(list.root()))
      InheritKind(list.root(), &out.back().mutable_root(), out.back().arena());
  }
  return out;
}

Document Document::Subtree(const Value& node, std::string source_name) const {
  return DocumentReader::View(arena_, node, std::move(source_name));
}

Document Document::Copy(const Value& root, std::string source_name) {
  auto arena = std::make_shared<Arena>();
  Value copy = CopyValue(*arena, root);
  return DocumentReader::Make(std::move(arena), copy, std::move(source_name));
}

Document MakeDocument(std::shared_ptr<Arena> arena, const Value& root, std::string source_name) {
  return DocumentReader::Make(std::move(arena), root, std::move(source_name));
}

absl::StatusOr<std::vector<Document>> ReadDocuments(std::string_view bytes,
                                                    const ReadOptions& options) {
  return DocumentReader::Read(bytes, options);
}

absl::StatusOr<Document> ReadDocument(std::string_view bytes, const ReadOptions& options) {
  return DocumentReader::ReadOne(bytes, options);
}

absl::Status ReadInto(std::string_view bytes, const ReadOptions& options, Arena& arena,
                      Value* root) {
  TreeBuilder builder(arena, options);
  std::vector<Value> roots;
  if (absl::Status s = ReadExpandedRoots(bytes, options, builder, &roots); !s.ok()) return s;
  if (roots.size() == 1) {
    *root = roots.front();
    return absl::OkStatus();
  }
  std::string name = options.source_name.empty() ? "<input>" : options.source_name;
  return absl::InvalidArgumentError(
      roots.empty() ? absl::StrCat(name, ": no document")
                    : absl::StrCat(name, ": expected one document, found ", roots.size()));
}

}  // namespace sympozium
