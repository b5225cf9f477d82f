// Building a Document from a program's own data (a Python dict, a C++
// struct, another parser's tree) without writing YAML or JSON text first.
//
// The builder holds what it is given to the limits of reading (ReadOptions:
// max_depth, max_nodes, max_list_length, max_bytes) and rejects duplicate
// keys, as the readers do, so a built document is one a reader could have
// produced; an exceeded limit is an error naming it (`limit.max_depth`,
// docs/limits.md).
//
//   DocumentBuilder b;  // each call returns the first error so far
//   b.BeginMap();
//   b.Key("kind");
//   b.String("AgentRun");
//   b.Key("metadata");
//   b.BeginMap();
//   b.Key("name");
//   b.String("run-1");
//   b.End();
//   b.End();
//   absl::StatusOr<Document> doc = b.Finish();
//
// Typing follows YAML, as for a document written by hand: numbers and
// booleans are plain (unquoted) scalars, so `maxCPU` given the number 2
// reads as "2" in a string field; String is always a quoted string.
#ifndef SYMPOZIUM_BUILD_H_
#define SYMPOZIUM_BUILD_H_

#include <cstdint>
#include <memory>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "sympozium/export.h"
#include "sympozium/options.h"
#include "sympozium/read.h"

SYMPOZIUM_API_BEGIN
namespace sympozium {

// One document, built depth first: inside a map every value follows its
// Key; End closes the innermost open map or list. Every call returns the
// first error so far, so a caller may check each call or only Finish
// (discarding the others with a cast to void); after an error the builder
// ignores what it is given.
class DocumentBuilder {
 public:
  // `options.source_name` starts every error message ("<input>" when
  // empty); `options.limits` bound the document.
  explicit DocumentBuilder(const ReadOptions& options = {});
  DocumentBuilder(const DocumentBuilder&) = delete;
  DocumentBuilder& operator=(const DocumentBuilder&) = delete;
  ~DocumentBuilder();

  absl::Status BeginMap();
  absl::Status BeginList();
  absl::Status End();
  // The key of the next value in the open map: valid UTF-8, not yet used
  // in that map.
  absl::Status Key(std::string_view key);

  absl::Status String(std::string_view value);  // valid UTF-8
  absl::Status Integer(int64_t value);
  // Shortest text that reads back as `value`, always with a fraction or
  // exponent so it stays a float; infinities and NaN as YAML spells them
  // (.inf, -.inf, .nan).
  absl::Status Number(double value);
  // A number given as text: an integer (`-12`, any size) or a float in
  // JSON's syntax (`0.5`, `1e+20`), kept as written.
  absl::Status Number(std::string_view text);
  absl::Status Bool(bool value);
  absl::Status Null();

  // The document, once its root (a map: a Kubernetes object) is closed.
  // The builder is spent afterwards.
  absl::StatusOr<Document> Finish();

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace sympozium
SYMPOZIUM_API_END

#endif  // SYMPOZIUM_BUILD_H_
