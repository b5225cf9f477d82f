// Reading: bytes and files -> Documents. A Document is one Kubernetes object
// as read (YAML or JSON), the form in which the rest of the API takes its
// inputs: Cluster::Add, ClusterStore::Upsert, Evaluate, Mutate.
//
// Every byte is validated, including values no check reads, so a malformed
// document is always an error, never a partial success. Limits bound size,
// depth and node count, so hostile input (deep nesting, alias bombs, huge
// documents) fails with an error naming the limit (docs/library.md).
#ifndef SYMPOZIUM_READ_H_
#define SYMPOZIUM_READ_H_

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "sympozium/diagnostic.h"
#include "sympozium/export.h"
#include "sympozium/options.h"

SYMPOZIUM_API_BEGIN
namespace sympozium {

// The tree a Document holds and the memory it lives in are the library's
// own (not installed): a program outside it asks a Document for its
// envelope fields and its text (sympozium/json.h), never for its nodes.
class Arena;
struct Value;

// One document of a stream: its tree and the arena the tree lives in (shared
// by the documents of one stream). Move-only; moving keeps every view into
// the tree valid.
class Document {
 public:
  Document();  // an empty map in a fresh arena, for building in memory
  Document(Document&&) noexcept;
  Document& operator=(Document&&) noexcept;
  ~Document();

  const std::string& source_name() const { return source_name_; }
  int index() const { return index_; }  // position in its stream, from 0

  // Envelope fields, "" when absent or not strings.
  std::string_view api_version() const;
  std::string_view kind() const;
  std::string_view name() const;
  std::string_view namespace_() const;

  // "policy.yaml" or "policy.yaml#2" (1-based) when the stream has several.
  std::string Describe() const;
  // Where the field at a document path (a Violation's or Diagnostic's
  // `path`) is in the source, or its deepest existing ancestor; line 0 when
  // the source has no positions.
  Mark MarkAt(std::string_view path) const;

  // The text of the scalar at a document path ("metadata.resourceVersion",
  // "items[0].metadata.name"; the format of Violation::path), "" when it is
  // absent or a map or list.
  std::string_view TextAt(std::string_view path) const;
  // True when a node (of any kind, null included) is at a document path.
  bool Has(std::string_view path) const;
  // The map at a document path as a Document sharing this one's memory (an
  // AdmissionReview's "request.object", a watch event's "object"), named
  // `source_name`; nullopt when absent or not a map.
  std::optional<Document> MapAt(std::string_view path, std::string source_name) const;
  void set_source_name(std::string name) { source_name_ = std::move(name); }

  // The tree, for the library itself (lib/read/document.h defines Value and
  // Arena; a program outside it cannot use these).
  const Value& root() const { return *root_; }
  Value& mutable_root() { return *root_; }
  Arena& arena() { return *arena_; }
  const Arena& arena() const { return *arena_; }
  // A document for `node`, a tree inside this one (an AdmissionReview's
  // request.object, a conformance case's policy), sharing this arena.
  Document Subtree(const Value& node, std::string source_name) const;
  // A document holding a deep copy of `root` in a fresh arena.
  static Document Copy(const Value& root, std::string source_name);

 private:
  friend class DocumentReader;
  Document(std::shared_ptr<Arena> arena, Value* root, std::string source_name, int index,
           int count_in_stream);

  std::shared_ptr<Arena> arena_;
  Value* root_;  // in *arena_
  std::string source_name_;
  int index_ = 0;
  int count_in_stream_ = 1;
};

// The items of a list document (`kind: List`, or a typed list such as an
// API server's `AgentList`), each copied into a Document of its own named
// as the list is. An item without kind or apiVersion takes them from a
// typed list, as kubectl does: `AgentList` -> `Agent`. Reading a stream
// does this already (ReadOptions::expand_lists); this is for a program
// that also needs the list's own fields (metadata.continue).
std::vector<Document> ListItems(const Document& list);

// True for the kinds read as pods: Pod and the workloads with a pod
// template (Job, CronJob, Deployment, StatefulSet, DaemonSet, ReplicaSet).
bool IsPodKind(std::string_view kind);

// Reads every document of a stream. Empty documents (a lone `---`, a file
// of comments) are skipped; a `kind: List` is expanded into its items.
// Errors read `policy.yaml:3:7: <what>` (or `policy.yaml: <what>` without a
// position).
absl::StatusOr<std::vector<Document>> ReadDocuments(std::string_view bytes,
                                                    const ReadOptions& options = {});

// Reads a stream that must hold exactly one document.
absl::StatusOr<Document> ReadDocument(std::string_view bytes, const ReadOptions& options = {});

// Reads a whole file; "-" is standard input.
absl::StatusOr<std::string> ReadFile(const std::string& path,
                                     const Limits& limits = DefaultLimits());

// The files `paths` name: files (and "-") as given; directories searched
// recursively for *.yaml, *.yml and *.json, sorted, skipping hidden entries
// (Kubernetes ConfigMap volumes keep old data under `..` names).
absl::StatusOr<std::vector<std::string>> ExpandDocumentPaths(const std::vector<std::string>& paths);

// Reads every file on its own: one result per file, in file order, so a
// file that cannot be read or parsed does not hide the others. Files are
// read on up to `threads` threads (0: one per core); `options.source_name`
// is set per file.
std::vector<absl::StatusOr<std::vector<Document>>> ReadEachDocumentFile(
    const std::vector<std::string>& files, const ReadOptions& options, unsigned threads = 0);

// Reads every document of every file, in file order. Files are read on up
// to `threads` threads (0: one per core); the first error, in file order,
// fails the whole read. `options.source_name` is set per file.
absl::StatusOr<std::vector<Document>> ReadDocumentFiles(const std::vector<std::string>& files,
                                                        const ReadOptions& options = {},
                                                        unsigned threads = 0);

}  // namespace sympozium
SYMPOZIUM_API_END

#endif  // SYMPOZIUM_READ_H_
