#include "lib/schema/crd_schema.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <initializer_list>
#include <iterator>
#include <mutex>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "lib/data/embedded.h"
#include "lib/read/document.h"
#include "lib/schema/schema.h"

namespace sympozium {
namespace schema_internal {
namespace {

struct CrdFile {
  std::string_view kind;
  std::string_view file;  // under lib/data
};

// Kinds are listed here rather than read from the CRDs so that HasSchema
// does not load anything; LoadCrd checks that the two agree.
constexpr CrdFile kCrdFiles[] = {
    {"SympoziumPolicy", "crd/sympozium.ai_sympoziumpolicies.yaml"},
    {"AgentRun", "crd/sympozium.ai_agentruns.yaml"},
    {"SkillPack", "crd/sympozium.ai_skillpacks.yaml"},
};
constexpr size_t kNumCrds = std::size(kCrdFiles);

absl::string_view AbslView(std::string_view s) { return absl::string_view(s.data(), s.size()); }

bool IsIntegral(std::string_view text) {
  double d = 0;
  return absl::SimpleAtod(AbslView(text), &d) && std::isfinite(d) && std::floor(d) == d;
}

const Value* At(const Value* v, std::initializer_list<std::string_view> keys) {
  for (std::string_view key : keys) {
    if (v == nullptr) return nullptr;
    v = v->Find(key);
  }
  return v;
}

// Compiles schema nodes into crd->nodes, remembering the first problem (the
// embedded CRDs have none; the unit tests load every one).
class Compiler {
 public:
  Compiler(std::string_view source, Crd* crd) : source_(source), crd_(crd) {}

  const Schema* Compile(const Value& node);
  const absl::Status& status() const { return status_; }

 private:
  void Fail(const Value& at, std::string_view what) {
    if (status_.ok())
      status_ = absl::InternalError(absl::StrCat(std::string(source_), ":", at.mark.line, ":",
                                                 at.mark.column, ": ", std::string(what)));
  }
  uint8_t TypeNamed(const Value& v);
  std::optional<uint64_t> Count(const Value& v);
  std::optional<Bound> BoundOf(const Value& v);
  std::unique_ptr<RE2> Pattern(const Value& v);

  std::string_view source_;
  Crd* crd_;
  absl::Status status_;
};

uint8_t Compiler::TypeNamed(const Value& v) {
  static constexpr std::pair<std::string_view, uint8_t> kNames[] = {
      {"boolean", kBoolean}, {"integer", kInteger}, {"number", kNumber | kInteger},
      {"string", kString},   {"array", kArray},     {"object", kObject},
  };
  for (const auto& [name, bits] : kNames)
    if (v.is_string() && v.text == name) return bits;
  Fail(v, "unknown schema type");
  return 0;
}

std::optional<uint64_t> Compiler::Count(const Value& v) {
  uint64_t n = 0;
  if (v.kind == Value::Kind::kInt && absl::SimpleAtoi(AbslView(v.text), &n)) return n;
  Fail(v, "expected a non-negative integer");
  return std::nullopt;
}

std::optional<Bound> Compiler::BoundOf(const Value& v) {
  Bound b;
  bool number = v.kind == Value::Kind::kInt || v.kind == Value::Kind::kFloat;
  if (number && absl::SimpleAtod(AbslView(v.text), &b.value)) {
    b.text = std::string(v.text);
    return b;
  }
  Fail(v, "expected a number");
  return std::nullopt;
}

std::unique_ptr<RE2> Compiler::Pattern(const Value& v) {
  auto re = std::make_unique<RE2>(v.text, RE2::Quiet);
  if (re->ok()) return re;
  Fail(v, absl::StrCat("bad pattern: ", re->error()));
  return nullptr;
}

const Schema* Compiler::Compile(const Value& node) {
  Schema& s = crd_->nodes.emplace_back();  // deque: `s` survives later emplace_backs
  if (!node.is_map()) {
    Fail(node, "a schema must be an object");
    return &s;
  }
  uint8_t type = 0;
  uint8_t any_of = 0;
  bool int_or_string = false;
  const Value* enum_values = nullptr;
  for (const Member& m : node.members) {
    const std::string_view key = m.key;
    const Value& v = m.value;
    if (key == "type") {
      type = TypeNamed(v);
    } else if (key == "anyOf") {
      // Used only for quantities (integer | string); the branches' types
      // are all that matters there.
      for (const Value& branch : v.items)
        if (const Value* t = branch.Find("type")) any_of |= TypeNamed(*t);
    } else if (key == "x-kubernetes-int-or-string") {
      int_or_string = v.boolean;
    } else if (key == "nullable") {
      s.nullable = v.boolean;
    } else if (key == "default") {
      s.has_default = true;
    } else if (key == "x-kubernetes-preserve-unknown-fields") {
      s.preserve_unknown_fields = v.boolean;
    } else if (key == "properties") {
      for (const Member& p : v.members) s.properties.emplace(std::string(p.key), Compile(p.value));
    } else if (key == "additionalProperties") {
      if (v.kind == Value::Kind::kBool) {
        s.any_additional = v.boolean;
      } else {
        s.additional = Compile(v);
      }
    } else if (key == "items") {
      s.items = Compile(v);
    } else if (key == "required") {
      for (const Value& r : v.items) s.required.emplace_back(r.text);
    } else if (key == "enum") {
      enum_values = &v;
    } else if (key == "pattern") {
      s.pattern = Pattern(v);
    } else if (key == "minLength") {
      s.min_length = Count(v);
    } else if (key == "maxLength") {
      s.max_length = Count(v);
    } else if (key == "minItems") {
      s.min_items = Count(v);
    } else if (key == "maxItems") {
      s.max_items = Count(v);
    } else if (key == "minimum") {
      s.minimum = BoundOf(v);
    } else if (key == "maximum") {
      s.maximum = BoundOf(v);
    }
  }
  s.types = int_or_string ? (kInteger | kString) : type != 0 ? type : any_of;
  // Typed after the loop: `enum: [yes]` under `type: string` is the string "yes".
  if (enum_values != nullptr)
    for (const Value& e : enum_values->items)
      s.enum_values.push_back({TypeOf(e, s.types), std::string(e.text)});
  return &s;
}

absl::StatusOr<std::unique_ptr<Crd>> LoadCrd(const CrdFile& file) {
  ReadOptions options;
  options.format = Format::kYaml;
  options.source_name = std::string(file.file);
  auto docs = ReadDocuments(data::Embedded(file.file), options);
  if (!docs.ok()) return docs.status();
  if (docs->size() != 1)
    return absl::InternalError(absl::StrCat(options.source_name, ": not one document"));
  const Value& root = (*docs)[0].root();
  auto crd = std::make_unique<Crd>();
  Compiler compiler(options.source_name, crd.get());
  const Value* group = At(&root, {"spec", "group"});
  const Value* kind = At(&root, {"spec", "names", "kind"});
  const Value* versions = At(&root, {"spec", "versions"});
  if (group == nullptr || kind == nullptr || kind->text != file.kind || versions == nullptr ||
      versions->items.empty())
    return absl::InternalError(
        absl::StrCat(options.source_name, ": not the CRD of ", std::string(file.kind)));
  crd->group = std::string(group->text);
  crd->kind = std::string(kind->text);
  for (const Value& version : versions->items) {
    const Value* name = version.Find("name");
    const Value* schema = At(&version, {"schema", "openAPIV3Schema"});
    if (name == nullptr || schema == nullptr)
      return absl::InternalError(absl::StrCat(options.source_name, ": a version without a schema"));
    crd->versions.push_back({std::string(name->text), compiler.Compile(*schema)});
  }
  if (!compiler.status().ok()) return compiler.status();
  return crd;
}

}  // namespace

const Schema* Schema::Property(std::string_view name) const {
  auto it = properties.find(AbslView(name));
  return it == properties.end() ? nullptr : it->second;
}

uint8_t TypeOf(const Value& v, uint8_t types) {
  uint8_t native = 0;
  switch (v.kind) {
    case Value::Kind::kNull:
      return 0;
    case Value::Kind::kBool:
      native = kBoolean;
      break;
    case Value::Kind::kInt:
      native = kInteger;
      break;
    case Value::Kind::kFloat:
      native = kNumber;
      break;
    case Value::Kind::kString:
      native = kString;
      break;
    case Value::Kind::kList:
      native = kArray;
      break;
    case Value::Kind::kMap:
      native = kObject;
      break;
  }
  if (types == 0 || (types & native) != 0) return native;
  if (native == kNumber && (types & kInteger) != 0 && IsIntegral(v.text)) return kInteger;
  if (v.plain && v.is_scalar() && (types & kString) != 0) return kString;
  return 0;
}

const Crd* CrdForKind(std::string_view kind) {
  static std::once_flag once[kNumCrds];
  static const Crd* crds[kNumCrds];
  for (size_t i = 0; i < kNumCrds; ++i) {
    if (kCrdFiles[i].kind != kind) continue;
    std::call_once(once[i], [i] {
      auto crd = LoadCrd(kCrdFiles[i]);
      if (!crd.ok()) {
        // The CRDs are compiled into the library; this is a build defect.
        std::fprintf(stderr, "libsympozium: embedded CRD: %s\n",
                     std::string(crd.status().message()).c_str());
        std::abort();
      }
      crds[i] = crd->release();  // lives until exit, like any static
    });
    return crds[i];
  }
  return nullptr;
}

}  // namespace schema_internal

bool HasSchema(std::string_view kind) {
  for (const schema_internal::CrdFile& f : schema_internal::kCrdFiles)
    if (f.kind == kind) return true;
  return false;
}

}  // namespace sympozium
