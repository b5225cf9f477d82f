// Reading a test file: its fields, checked strictly, so a typo in a test
// fails the run instead of silently testing less.
#include "lib/suite/test_file.h"

#include <algorithm>
#include <filesystem>
#include <initializer_list>

#include "absl/strings/match.h"
#include "absl/strings/str_join.h"
#include "lib/base/status_macros.h"
#include "lib/base/value_kind.h"
#include "lib/read/document.h"
#include "sympozium/strings.h"

namespace sympozium::suite_internal {
namespace {

bool IsOneOf(std::string_view s, std::initializer_list<const char*> names) {
  return std::any_of(names.begin(), names.end(), [&](const char* n) { return s == n; });
}

// Reads typed fields, each error naming the file, position and field.
class FieldReader {
 public:
  explicit FieldReader(const std::string& file) : file_(file) {}

  absl::Status Error(Mark mark, std::string_view field, std::string_view what) const {
    return ErrorAt(file_, mark, StrCat(field, ": ", what));
  }

  absl::Status Expect(const Value& v, Value::Kind kind, std::string_view field) const {
    if (v.kind == kind) return absl::OkStatus();
    return Error(v.mark, field,
                 StrCat("expected ", ValueKindName(kind), ", got ", ValueKindName(v.kind)));
  }

  absl::Status KnownFields(const Value& map, std::string_view where,
                           std::initializer_list<const char*> known) const {
    for (const Member& m : map.members) {
      if (IsOneOf(m.key, known)) continue;
      return Error(m.key_mark, Join(where, m.key),
                   StrCat("unknown field (known: ", absl::StrJoin(known, ", "), ")"));
    }
    return absl::OkStatus();
  }

  // A string member; absent leaves *out as it is. YAML scalars written
  // without quotes (`name: 42`) read as strings, as Kubernetes reads them.
  absl::Status String(const Value& map, std::string_view key, std::string_view where,
                      std::string* out, Mark* mark = nullptr) const {
    const Value* v = map.Find(key);
    if (v == nullptr) return absl::OkStatus();
    if (!v->is_string() && !(v->plain && v->is_scalar()))
      SYM_RETURN_IF_ERROR(Expect(*v, Value::Kind::kString, Join(where, key)));
    *out = std::string(v->text);
    if (mark != nullptr) *mark = v->mark;
    return absl::OkStatus();
  }

  // A list of strings; with `marks`, where each item is written.
  absl::Status StringList(const Value& map, std::string_view key, std::string_view where,
                          std::vector<std::string>* out, std::vector<Mark>* marks = nullptr) const {
    const Value* v = map.Find(key);
    if (v == nullptr) return absl::OkStatus();
    std::string field = Join(where, key);
    SYM_RETURN_IF_ERROR(Expect(*v, Value::Kind::kList, field));
    size_t i = 0;
    for (const Value& item : v->items) {
      if (!item.is_string() && !(item.plain && item.is_scalar()))
        SYM_RETURN_IF_ERROR(Expect(item, Value::Kind::kString, StrCat(field, "[", i, "]")));
      out->emplace_back(item.text);
      if (marks != nullptr) marks->push_back(item.mark);
      ++i;
    }
    return absl::OkStatus();
  }

  // `value` must be one of `allowed`.
  absl::Status OneOf(const std::string& value, Mark mark, std::string_view field,
                     std::initializer_list<const char*> allowed) const {
    if (IsOneOf(value, allowed)) return absl::OkStatus();
    return Error(mark, field,
                 StrCat(Quote(value), " is not one of ", absl::StrJoin(allowed, ", ")));
  }

 private:
  static std::string Join(std::string_view where, std::string_view key) {
    return where.empty() ? std::string(key) : StrCat(where, ".", key);
  }
  const std::string& file_;
};

// The files `key` names, resolved against `dir`; each must exist.
absl::Status ReadPaths(const FieldReader& reader, const Value& root, std::string_view key,
                       const std::filesystem::path& dir, std::vector<std::string>* out) {
  std::vector<std::string> names;
  std::vector<Mark> marks;
  SYM_RETURN_IF_ERROR(reader.StringList(root, key, "", &names, &marks));
  for (size_t i = 0; i < names.size(); ++i) {
    std::filesystem::path p = dir / names[i];
    std::error_code ec;
    if (!std::filesystem::exists(p, ec))
      return reader.Error(marks[i], StrCat(key, "[", i, "]"),
                          StrCat("no such file or directory: ", p.string()));
    out->push_back(p.lexically_normal().string());
  }
  return absl::OkStatus();
}

absl::Status ReadExpected(const FieldReader& reader, const Value& v, const std::string& where,
                          ExpectedItem* item) {
  SYM_RETURN_IF_ERROR(reader.Expect(v, Value::Kind::kMap, where));
  SYM_RETURN_IF_ERROR(reader.KnownFields(v, where,
                                         {"kind", "name", "namespace", "policy", "result", "code",
                                          "violations", "tool", "run", "decision"}));
  item->mark = v.mark;
  SYM_RETURN_IF_ERROR(reader.String(v, "policy", where, &item->policy, &item->policy_mark));
  SYM_RETURN_IF_ERROR(reader.String(v, "tool", where, &item->tool));
  SYM_RETURN_IF_ERROR(reader.String(v, "namespace", where, &item->namespace_));
  Mark value_mark = v.mark;
  if (v.Find("tool") != nullptr) {
    for (std::string_view resource_only : {"kind", "name", "result", "code", "violations"})
      if (v.Find(resource_only) != nullptr)
        return reader.Error(v.Find(resource_only)->mark, StrCat(where, ".", resource_only),
                            "a tool result takes tool, policy, run, namespace and decision");
    if (item->tool.empty()) return reader.Error(v.mark, where + ".tool", "must not be empty");
    SYM_RETURN_IF_ERROR(reader.String(v, "run", where, &item->run));
    SYM_RETURN_IF_ERROR(reader.String(v, "decision", where, &item->expected.decision, &value_mark));
    if (v.Find("decision") == nullptr)
      return reader.Error(v.mark, where, "a tool result needs decision: allow, deny or ask");
    return reader.OneOf(item->expected.decision, value_mark, where + ".decision",
                        {"allow", "deny", "ask"});
  }
  for (std::string_view tool_only : {"run", "decision"})
    if (v.Find(tool_only) != nullptr)
      return reader.Error(v.Find(tool_only)->mark, StrCat(where, ".", tool_only),
                          "only a tool result takes this field");
  SYM_RETURN_IF_ERROR(reader.String(v, "kind", where, &item->kind));
  SYM_RETURN_IF_ERROR(reader.String(v, "name", where, &item->name));
  if (item->kind.empty() || item->name.empty())
    return reader.Error(v.mark, where, "a result needs kind and name (or tool)");
  SYM_RETURN_IF_ERROR(reader.String(v, "result", where, &item->expected.result, &value_mark));
  if (v.Find("result") == nullptr)
    return reader.Error(v.mark, where, "a result needs result: allowed, denied or error");
  SYM_RETURN_IF_ERROR(reader.OneOf(item->expected.result, value_mark, where + ".result",
                                   {"allowed", "denied", "error"}));
  SYM_RETURN_IF_ERROR(reader.String(v, "code", where, &item->expected.code));
  std::vector<std::string>& violations = item->expected.violations;
  SYM_RETURN_IF_ERROR(reader.StringList(v, "violations", where, &violations));
  item->expected.check_violations = v.Find("violations") != nullptr;
  std::sort(violations.begin(), violations.end());
  violations.erase(std::unique(violations.begin(), violations.end()), violations.end());
  return absl::OkStatus();
}

absl::Status ReadMetadata(const FieldReader& reader, const Value& root, TestFile* out) {
  const Value* meta = root.Find("metadata");
  if (meta == nullptr) return reader.Error(root.mark, "metadata", "missing (metadata.name)");
  SYM_RETURN_IF_ERROR(reader.Expect(*meta, Value::Kind::kMap, "metadata"));
  SYM_RETURN_IF_ERROR(
      reader.KnownFields(*meta, "metadata", {"name", "namespace", "labels", "annotations"}));
  SYM_RETURN_IF_ERROR(reader.String(*meta, "name", "metadata", &out->name));
  if (out->name.empty()) return reader.Error(meta->mark, "metadata.name", "missing");
  return absl::OkStatus();
}

absl::Status ReadEnvelope(const FieldReader& reader, const Value& root) {
  std::string api_version, kind;
  SYM_RETURN_IF_ERROR(reader.String(root, "apiVersion", "", &api_version));
  SYM_RETURN_IF_ERROR(reader.String(root, "kind", "", &kind));
  if (api_version != kTestApiVersion || kind != kTestKind)
    return reader.Error(root.mark, "apiVersion/kind",
                        StrCat("a test file is apiVersion: ", kTestApiVersion, ", kind: ",
                               kTestKind, " (got ", Quote(api_version), ", ", Quote(kind), ")"));
  return absl::OkStatus();
}

absl::Status ReadMode(const FieldReader& reader, const Value& root, TestFile* out) {
  std::string mode = "strict";
  Mark mark;
  SYM_RETURN_IF_ERROR(reader.String(root, "mode", "", &mode, &mark));
  if (!ParseMode(mode, &out->mode))
    return reader.Error(mark, "mode", StrCat(Quote(mode), " is not one of strict, compat"));
  return absl::OkStatus();
}

absl::StatusOr<TestFile> Decode(const std::string& path, const Value& root) {
  FieldReader reader(path);
  SYM_RETURN_IF_ERROR(reader.Expect(root, Value::Kind::kMap, "test file"));
  SYM_RETURN_IF_ERROR(reader.KnownFields(root, "",
                                         {"apiVersion", "kind", "metadata", "mode", "policies",
                                          "presets", "cluster", "resources", "results"}));
  TestFile out;
  out.path = path;
  SYM_RETURN_IF_ERROR(ReadEnvelope(reader, root));
  SYM_RETURN_IF_ERROR(ReadMetadata(reader, root, &out));
  SYM_RETURN_IF_ERROR(ReadMode(reader, root, &out));
  std::filesystem::path dir = std::filesystem::path(path).parent_path();
  SYM_RETURN_IF_ERROR(ReadPaths(reader, root, "policies", dir, &out.policies));
  SYM_RETURN_IF_ERROR(reader.StringList(root, "presets", "", &out.presets));
  SYM_RETURN_IF_ERROR(ReadPaths(reader, root, "cluster", dir, &out.cluster));
  SYM_RETURN_IF_ERROR(ReadPaths(reader, root, "resources", dir, &out.resources));
  const Value* results = root.Find("results");
  if (results == nullptr) return reader.Error(root.mark, "results", "missing: nothing to test");
  SYM_RETURN_IF_ERROR(reader.Expect(*results, Value::Kind::kList, "results"));
  for (const Value& v : results->items) {
    ExpectedItem& item = out.results.emplace_back();
    SYM_RETURN_IF_ERROR(
        ReadExpected(reader, v, StrCat("results[", out.results.size() - 1, "]"), &item));
  }
  if (out.results.empty()) return reader.Error(results->mark, "results", "empty: nothing to test");
  return out;
}

}  // namespace

absl::Status ErrorAt(const std::string& file, Mark mark, std::string_view what) {
  if (mark.line == 0) return absl::InvalidArgumentError(StrCat(file, ": ", what));
  return absl::InvalidArgumentError(StrCat(file, ":", mark.line, ":", mark.column, ": ", what));
}

bool IsTestFileName(const std::string& path) {
  std::string name = std::filesystem::path(path).filename().string();
  return name == "sympozium-test.yaml" || absl::EndsWith(name, ".sympozium-test.yaml");
}

absl::StatusOr<TestFile> ReadTestFile(const std::string& path) {
  absl::StatusOr<std::string> text = ReadFile(path);
  if (!text.ok()) return text.status();
  ReadOptions options;
  options.source_name = path;
  options.expand_lists = false;
  absl::StatusOr<Document> doc = ReadDocument(*text, options);
  if (!doc.ok()) return doc.status();
  return Decode(path, doc->root());
}

}  // namespace sympozium::suite_internal
