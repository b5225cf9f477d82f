#include "convert.h"

#include <cmath>
#include <limits>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "sympozium/build.h"
#include "sympozium/diagnostic.h"
#include "sympozium/json.h"

namespace sympozium::python {
namespace {

std::string_view Utf8(PyObject* str) {
  Py_ssize_t size = 0;
  const char* data = PyUnicode_AsUTF8AndSize(str, &size);
  if (data == nullptr) throw py::error_already_set();  // lone surrogates
  return {data, static_cast<size_t>(size)};
}

std::string TypeName(py::handle obj) { return py::str(py::type::of(obj).attr("__name__")); }

// Python objects -> a Document, through DocumentBuilder, so the limits,
// their messages and the node count are those of text input. The depth
// limit also stops a dict that contains itself.
class DictReader {
 public:
  explicit DictReader(const ReadOptions& options) : builder_(options) {}

  absl::StatusOr<Document> Read(py::handle dict) {
    Add(dict);
    return builder_.Finish();
  }

 private:
  // False once the builder has failed (it keeps the error for Finish), so
  // the walk stops there.
  bool Add(py::handle obj) {
    PyObject* o = obj.ptr();
    if (o == Py_None) return builder_.Null().ok();
    if (PyBool_Check(o)) return builder_.Bool(o == Py_True).ok();
    if (PyLong_Check(o)) {
      py::str text(py::int_(py::reinterpret_borrow<py::object>(obj)));
      return builder_.Number(Utf8(text.ptr())).ok();
    }
    if (PyFloat_Check(o)) {
      // repr: the shortest text that reads back as the float.
      double value = PyFloat_AS_DOUBLE(o);
      if (!std::isfinite(value)) return builder_.Number(value).ok();
      py::str text = py::repr(py::float_(value));
      return builder_.Number(Utf8(text.ptr())).ok();
    }
    if (PyUnicode_Check(o)) return builder_.String(Utf8(o)).ok();
    if (PyDict_Check(o)) return AddMap(o);
    if (PyList_Check(o) || PyTuple_Check(o)) return AddList(obj);
    // date and datetime, as PyYAML reads unquoted timestamps.
    if (py::hasattr(obj, "isoformat"))
      return builder_.String(py::str(obj.attr("isoformat")()).cast<std::string>()).ok();
    throw py::type_error("cannot put a " + TypeName(obj) + " into a document");
  }

  bool AddMap(PyObject* dict) {
    if (!builder_.BeginMap().ok()) return false;
    PyObject* key;
    PyObject* value;
    Py_ssize_t pos = 0;
    while (PyDict_Next(dict, &pos, &key, &value)) {
      if (!PyUnicode_Check(key))
        throw py::type_error("document keys must be str, not " + TypeName(key));
      if (!builder_.Key(Utf8(key)).ok() || !Add(value)) return false;
    }
    return builder_.End().ok();
  }

  bool AddList(py::handle list) {
    if (!builder_.BeginList().ok()) return false;
    for (py::handle item : py::reinterpret_borrow<py::sequence>(list))
      if (!Add(item)) return false;
    return builder_.End().ok();
  }

  DocumentBuilder builder_;
};

// VisitJson's events -> Python objects, as json.loads makes them.
class PythonMaker : public JsonVisitor {
 public:
  py::object Take() { return std::move(result_); }

  void BeginMap(size_t) override { open_.push_back(py::dict()); }
  void Key(std::string_view key) override { keys_.push_back(Str(key)); }
  void EndMap() override { Close(); }
  void BeginList(size_t) override { open_.push_back(py::list()); }
  void EndList() override { Close(); }
  void String(std::string_view value) override { Put(Str(value)); }
  void Number(std::string_view text, bool integer) override {
    PyObject* n = integer ? PyLong_FromString(std::string(text).c_str(), nullptr, 10)
                          : PyFloat_FromString(Str(text).ptr());
    if (n == nullptr) throw py::error_already_set();
    Put(py::reinterpret_steal<py::object>(n));
  }
  void Bool(bool value) override { Put(py::bool_(value)); }
  void Null() override { Put(py::none()); }

 private:
  void Close() {
    py::object done = std::move(open_.back());
    open_.pop_back();
    Put(std::move(done));
  }

  void Put(py::object value) {
    if (open_.empty()) {
      result_ = std::move(value);
      return;
    }
    PyObject* parent = open_.back().ptr();
    int failed = 0;
    if (PyDict_Check(parent)) {
      failed = PyDict_SetItem(parent, keys_.back().ptr(), value.ptr());
      keys_.pop_back();
    } else {
      failed = PyList_Append(parent, value.ptr());
    }
    if (failed != 0) throw py::error_already_set();
  }

  std::vector<py::object> open_;  // the dicts and lists being filled
  std::vector<py::str> keys_;     // each open dict's pending key
  py::object result_;
};

std::string LimitNames() {
  std::string names;
  ForEachLimit(DefaultLimits(), [&](const char* name, const auto&) {
    names += names.empty() ? name : std::string(", ") + name;
  });
  return names;
}

}  // namespace

py::str Str(std::string_view s) {
  // Documents are valid UTF-8 once read; "replace" keeps a tree built in
  // memory from raising here.
  PyObject* o = PyUnicode_DecodeUTF8(s.data(), static_cast<Py_ssize_t>(s.size()), "replace");
  if (o == nullptr) throw py::error_already_set();
  return py::reinterpret_steal<py::str>(o);
}

void Raise(const absl::Status& status) {
  throw PolicyErrorException(std::string(status.message()), PathOf(status), CodeOf(status));
}

DocArg::DocArg(py::handle obj, const char* what, const ReadOptions& options) : options_(options) {
  PyObject* o = obj.ptr();
  if (PyUnicode_Check(o)) {
    borrowed_ = Utf8(o);
  } else if (PyBytes_Check(o)) {
    borrowed_ = std::string_view(PyBytes_AS_STRING(o), static_cast<size_t>(PyBytes_GET_SIZE(o)));
  } else if (PyDict_Check(o)) {
    doc_.emplace(Unwrap(DictReader(options_).Read(obj)));
  } else if (PyObject_CheckBuffer(o)) {
    // bytearray, memoryview: mutable, so copied before the GIL is let go.
    Py_buffer view;
    if (PyObject_GetBuffer(o, &view, PyBUF_SIMPLE) != 0) throw py::error_already_set();
    copy_.assign(static_cast<const char*>(view.buf), static_cast<size_t>(view.len));
    PyBuffer_Release(&view);
    owned_ = true;
  } else {
    throw py::type_error(std::string(what) + " must be str, bytes or dict, not " + TypeName(obj));
  }
}

absl::StatusOr<std::vector<Document>> DocArg::ReadAll() && {
  if (!doc_) return ReadDocuments(text(), options_);
  std::vector<Document> docs;
  docs.push_back(*std::move(doc_));
  return docs;
}

absl::StatusOr<Document> DocArg::ReadOne() && {
  if (!doc_) return ReadDocument(text(), options_);
  return *std::move(doc_);
}

std::vector<DocArg> DocArgs(py::handle obj, const char* what, const ReadOptions& options) {
  std::vector<DocArg> args;
  if (PyList_Check(obj.ptr()) || PyTuple_Check(obj.ptr())) {
    for (py::handle item : py::reinterpret_borrow<py::sequence>(obj))
      args.emplace_back(item, what, options);
  } else {
    args.emplace_back(obj, what, options);
  }
  return args;
}

Limits LimitsArg(py::handle obj) {
  Limits limits = DefaultLimits();
  if (obj.is_none()) return limits;
  if (!PyDict_Check(obj.ptr()))
    throw py::type_error("limits must be a dict of limit names to ints, not " + TypeName(obj));
  for (auto [key, value] : py::reinterpret_borrow<py::dict>(obj)) {
    std::string name = py::str(key);
    bool found = false;
    ForEachLimit(limits, [&](const char* field_name, auto& field) {
      if (name != field_name) return;
      found = true;
      using Field = std::remove_reference_t<decltype(field)>;
      // bool is an int in Python; a limit of True is surely a mistake.
      if (!PyLong_Check(value.ptr()) || PyBool_Check(value.ptr()))
        throw py::value_error("limit " + name + " must be an int, not " + TypeName(value));
      py::int_ number = py::reinterpret_borrow<py::int_>(value);
      if (number < py::int_(0) || number > py::int_(std::numeric_limits<Field>::max()))
        throw py::value_error("limit " + name + " must be between 0 and " +
                              std::to_string(std::numeric_limits<Field>::max()));
      field = number.cast<Field>();
    });
    if (!found)
      throw py::value_error("unknown limit \"" + name + "\" (known: " + LimitNames() + ")");
  }
  return limits;
}

py::dict LimitsDict(const Limits& limits) {
  py::dict out;
  ForEachLimit(limits, [&](const char* name, const auto& field) { out[name] = field; });
  return out;
}

py::object ToPython(const Document& doc) {
  PythonMaker maker;
  VisitJson(doc, maker);
  return maker.Take();
}

}  // namespace sympozium::python
