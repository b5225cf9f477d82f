#include "convert.h"

#include <cmath>
#include <limits>
#include <string>
#include <type_traits>
#include <utility>

#include "lib/base/status_macros.h"
#include "lib/read/tree_builder.h"
#include "sympozium/diagnostic.h"

namespace sympozium::python {
namespace {

std::string_view Utf8(PyObject* str) {
  Py_ssize_t size = 0;
  const char* data = PyUnicode_AsUTF8AndSize(str, &size);
  if (data == nullptr) throw py::error_already_set();  // lone surrogates
  return {data, static_cast<size_t>(size)};
}

std::string TypeName(py::handle obj) { return py::str(py::type::of(obj).attr("__name__")); }

// Python objects -> Value, through the readers' TreeBuilder so the limits,
// their messages and the node count are those of text input. The depth limit
// also stops a dict that contains itself.
class DictReader {
 public:
  DictReader(Arena& arena, const ReadOptions& options) : builder_(arena, options) {}

  absl::Status Convert(py::handle obj, uint32_t depth, Value* out) {
    SYM_RETURN_IF_ERROR(builder_.Enter(depth, Mark{}));
    Arena& arena = builder_.arena();
    PyObject* o = obj.ptr();
    if (o == Py_None) {
      *out = Value::Null();
    } else if (PyBool_Check(o)) {
      *out = Value::Bool(o == Py_True);
      out->plain = true;
    } else if (PyLong_Check(o)) {
      *out = Scalar(Value::Kind::kInt, py::str(py::int_(py::reinterpret_borrow<py::object>(obj))));
    } else if (PyFloat_Check(o)) {
      *out = Scalar(Value::Kind::kFloat,
                    py::repr(py::float_(py::reinterpret_borrow<py::object>(obj))));
    } else if (PyUnicode_Check(o)) {
      *out = Value::String(arena, Utf8(o));
    } else if (PyDict_Check(o)) {
      *out = Value::EmptyMap();
      SYM_RETURN_IF_ERROR(builder_.CheckLength(static_cast<size_t>(PyDict_Size(o)), Mark{}));
      PyObject* key;
      PyObject* value;
      Py_ssize_t pos = 0;
      while (PyDict_Next(o, &pos, &key, &value)) {
        if (!PyUnicode_Check(key))
          throw py::type_error("document keys must be str, not " + TypeName(key));
        Value v;
        SYM_RETURN_IF_ERROR(Convert(value, depth + 1, &v));
        SYM_RETURN_IF_ERROR(builder_.AddMember(*out, arena.Copy(Utf8(key)), v, Mark{}));
      }
    } else if (PyList_Check(o) || PyTuple_Check(o)) {
      *out = Value::EmptyList();
      py::sequence items = py::reinterpret_borrow<py::sequence>(obj);
      SYM_RETURN_IF_ERROR(builder_.CheckLength(items.size(), Mark{}));
      for (py::handle item : items) {
        Value v;
        SYM_RETURN_IF_ERROR(Convert(item, depth + 1, &v));
        out->Push(arena, v);
      }
    } else if (py::hasattr(obj, "isoformat")) {
      // date and datetime, as PyYAML reads unquoted timestamps.
      *out = Value::String(arena, py::str(obj.attr("isoformat")()).cast<std::string>());
    } else {
      throw py::type_error("cannot put a " + TypeName(obj) + " into a document");
    }
    return absl::OkStatus();
  }

 private:
  Value Scalar(Value::Kind kind, const py::str& text) {
    Value v;
    v.kind = kind;
    v.plain = true;
    v.text = builder_.arena().Copy(text.cast<std::string>());
    return v;
  }

  read_internal::TreeBuilder builder_;
};

// YAML's spellings Python's float() does not take.
std::optional<double> YamlSpecialFloat(std::string_view text) {
  bool negative = !text.empty() && text[0] == '-';
  if (!text.empty() && (text[0] == '-' || text[0] == '+')) text.remove_prefix(1);
  if (text == ".inf" || text == ".Inf" || text == ".INF")
    return negative ? -std::numeric_limits<double>::infinity()
                    : std::numeric_limits<double>::infinity();
  if (text == ".nan" || text == ".NaN" || text == ".NAN")
    return std::numeric_limits<double>::quiet_NaN();
  return std::nullopt;
}

std::string LimitNames() {
  std::string names;
  ForEachLimit(DefaultLimits(), [&](const char* name, const auto&) {
    names += names.empty() ? name : std::string(", ") + name;
  });
  return names;
}

py::str Str(std::string_view s) {
  // Documents are valid UTF-8 once read; "replace" keeps a tree built in
  // memory from raising here.
  PyObject* o = PyUnicode_DecodeUTF8(s.data(), static_cast<Py_ssize_t>(s.size()), "replace");
  if (o == nullptr) throw py::error_already_set();
  return py::reinterpret_steal<py::str>(o);
}

}  // namespace

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
    doc_.emplace();
    DictReader reader(doc_->arena(), options_);
    // The root is at depth 1, as in the text readers, so max_depth means
    // the same for a dict as for its YAML.
    if (absl::Status s = reader.Convert(obj, 1, &doc_->mutable_root()); !s.ok()) Raise(s);
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

py::object ToPython(const Value& v) {
  switch (v.kind) {
    case Value::Kind::kNull:
      return py::none();
    case Value::Kind::kBool:
      return py::bool_(v.boolean);
    case Value::Kind::kInt: {
      std::string text(v.text);
      if (PyObject* n = PyLong_FromString(text.c_str(), nullptr, 10))
        return py::reinterpret_steal<py::object>(n);
      PyErr_Clear();
      return Str(v.text);
    }
    case Value::Kind::kFloat: {
      if (std::optional<double> special = YamlSpecialFloat(v.text)) return py::float_(*special);
      if (PyObject* f = PyFloat_FromString(Str(v.text).ptr()))
        return py::reinterpret_steal<py::object>(f);
      PyErr_Clear();
      return Str(v.text);
    }
    case Value::Kind::kString:
      return Str(v.text);
    case Value::Kind::kList: {
      py::list out(v.items.size());
      for (size_t i = 0; i < v.items.size(); ++i) out[i] = ToPython(v.items[i]);
      return std::move(out);
    }
    case Value::Kind::kMap: {
      py::dict out;
      for (const Member& m : v.members) out[Str(m.key)] = ToPython(m.value);
      return std::move(out);
    }
  }
  return py::none();
}

}  // namespace sympozium::python
