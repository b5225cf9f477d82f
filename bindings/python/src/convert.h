// Python objects <-> the library's documents and trees, and the one error
// type the module raises for the library's failures.
#ifndef SYMPOZIUM_BINDINGS_PYTHON_CONVERT_H_
#define SYMPOZIUM_BINDINGS_PYTHON_CONVERT_H_

#include <pybind11/pybind11.h>

#include <exception>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "sympozium/options.h"
#include "sympozium/read.h"

namespace sympozium::python {

namespace py = pybind11;

// Becomes sympozium.PolicyError (message, path, code) at the boundary. A
// plain C++ exception, so it may be thrown with the GIL released.
class PolicyErrorException : public std::exception {
 public:
  PolicyErrorException(std::string message, std::string path, std::string code)
      : message_(std::move(message)), path_(std::move(path)), code_(std::move(code)) {}
  const char* what() const noexcept override { return message_.c_str(); }
  const std::string& path() const { return path_; }
  const std::string& code() const { return code_; }

 private:
  std::string message_, path_, code_;
};

// Throws the PolicyErrorException for a failed status, with its path and
// code (sympozium::PathOf / CodeOf).
[[noreturn]] void Raise(const absl::Status& status);

template <class T>
T Unwrap(absl::StatusOr<T> value) {
  if (!value.ok()) Raise(value.status());
  return *std::move(value);
}

// A document argument. str and bytes are read where they are (the caller's
// object keeps them alive for the call; bytes are immutable, a str's UTF-8
// form is cached by Python); other buffers are copied; a dict is built into
// a Document now (DocumentBuilder, with the reader's limits), while the GIL
// is held. Reading happens later, without the
// GIL. A dict follows YAML's typing: numbers and booleans are plain scalars
// (so `maxCPU: 2` reads as "2" in a string field, as in a YAML file), str
// values are quoted strings.
class DocArg {
 public:
  // `what` names the argument in the TypeError for other types.
  DocArg(py::handle obj, const char* what, const ReadOptions& options);

  // Every document (a str/bytes stream may hold several).
  absl::StatusOr<std::vector<Document>> ReadAll() &&;
  // Exactly one document.
  absl::StatusOr<Document> ReadOne() &&;

  // True for str, bytes and other buffers: text() holds the YAML/JSON then,
  // for the library's byte entry points (and their JSON fast path).
  bool is_text() const { return !doc_; }
  std::string_view text() const { return owned_ ? std::string_view(copy_) : borrowed_; }

 private:
  ReadOptions options_;
  std::string_view borrowed_;
  std::string copy_;
  bool owned_ = false;
  std::optional<Document> doc_;
};

// One or several document arguments: a list or tuple of them, or one.
std::vector<DocArg> DocArgs(py::handle obj, const char* what, const ReadOptions& options);

// Limits (document.h) from a dict of their names ({"max_depth": 8}) on top
// of the defaults; None gives the defaults. Unknown names, and values that
// are not ints in range, raise ValueError (TypeError for a non-dict).
Limits LimitsArg(py::handle obj);
// Every limit by name.
py::dict LimitsDict(const Limits& limits);

// The document as Python objects: dict, list, str, int, float, bool, None,
// exactly what json.loads(ToJson(doc)) gives (VisitJson).
py::object ToPython(const Document& doc);

// A str from UTF-8 text, with "replace" for anything malformed, so text
// from a document in memory never raises.
py::str Str(std::string_view s);

}  // namespace sympozium::python

#endif  // SYMPOZIUM_BINDINGS_PYTHON_CONVERT_H_
