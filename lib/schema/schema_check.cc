// CheckSchema: walks a document with its CRD's compiled schema. The walk
// keeps the path as a chain of stack frames and allocates only for the
// diagnostics it reports. Messages use the Kubernetes API server's wording.
#include "lib/schema/schema.h"

#include <string>
#include <string_view>
#include <utility>

#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "lib/base/path.h"
#include "lib/schema/crd_schema.h"

namespace sympozium {
namespace {

using schema_internal::Crd;
using schema_internal::CrdVersion;
using schema_internal::EnumValue;
using schema_internal::kArray;
using schema_internal::kBoolean;
using schema_internal::kInteger;
using schema_internal::kNumber;
using schema_internal::kObject;
using schema_internal::kString;
using schema_internal::Schema;
using schema_internal::TypeOf;

// One step of the path to the value being checked; the root has none.
struct Frame {
  const Frame* parent;
  std::string_view key;
  size_t index;
  bool is_index;
};

void AppendFrames(const Frame* f, Path* path) {
  if (f == nullptr) return;
  AppendFrames(f->parent, path);
  if (f->is_index) {
    path->PushIndex(f->index);
  } else {
    path->PushKey(f->key);
  }
}

std::string Quote(std::string_view text) {
  constexpr size_t kMaxShown = 64;
  std::string_view shown = text;
  if (shown.size() > kMaxShown) {
    shown = shown.substr(0, kMaxShown);
    // Do not cut a UTF-8 sequence in two.
    while (!shown.empty() && (static_cast<unsigned char>(text[shown.size()]) & 0xC0) == 0x80)
      shown.remove_suffix(1);
  }
  return absl::StrCat("\"", absl::Utf8SafeCEscape(absl::string_view(shown.data(), shown.size())),
                      shown.size() < text.size() ? "\"..." : "\"");
}

// A value in a message: strings quoted, numbers and booleans as written.
std::string Shown(std::string_view text, uint8_t type) {
  return type == kString ? Quote(text) : std::string(text);
}

const char* JsonTypeName(const Value& v) {
  switch (v.kind) {
    case Value::Kind::kNull:
      return "null";
    case Value::Kind::kBool:
      return "boolean";
    case Value::Kind::kInt:
      return "integer";
    case Value::Kind::kFloat:
      return "number";
    case Value::Kind::kString:
      return "string";
    case Value::Kind::kList:
      return "array";
    case Value::Kind::kMap:
      return "object";
  }
  return "value";
}

// "string", "integer or string", ...; `number` covers integer.
std::string TypeNames(uint8_t types) {
  static constexpr std::pair<uint8_t, const char*> kNames[] = {
      {kBoolean, "boolean"}, {kInteger, "integer"}, {kNumber, "number"},
      {kString, "string"},   {kArray, "array"},     {kObject, "object"},
  };
  if (types & kNumber) types &= ~kInteger;
  std::string out;
  for (const auto& [bit, name] : kNames)
    if (types & bit) absl::StrAppend(&out, out.empty() ? "" : " or ", name);
  return out;
}

size_t Utf8Length(std::string_view s) {
  size_t n = 0;
  for (char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

// Kubernetes' DNS-1123 name rules (k8s.io/apimachinery validation).
struct DnsRule {
  size_t max_length;
  bool dots;  // a subdomain: labels joined by '.'
  const char* message;
};
constexpr DnsRule kDnsSubdomain = {
    253, true,
    "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or "
    "'.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used "
    "for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"};
constexpr DnsRule kDnsLabel = {
    63, false,
    "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and "
    "must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex "
    "used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')"};

bool MatchesDnsRule(std::string_view s, const DnsRule& rule) {
  auto alnum = [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); };
  char prev = '.';  // as if after a separator: the first label starts here
  for (char c : s) {
    if (c == '.' && rule.dots) {
      if (!alnum(prev)) return false;
    } else if (c == '-') {
      if (prev == '.') return false;
    } else if (!alnum(c)) {
      return false;
    }
    prev = c;
  }
  return alnum(prev);
}

bool IsApiVersion(std::string_view api_version, const Crd& crd, const CrdVersion& version) {
  return api_version.size() == crd.group.size() + 1 + version.name.size() &&
         api_version.substr(0, crd.group.size()) == crd.group &&
         api_version[crd.group.size()] == '/' &&
         api_version.substr(crd.group.size() + 1) == version.name;
}

class Checker {
 public:
  Checker(const Crd& crd, std::string_view source, Diagnostics* out)
      : crd_(crd), source_(source), out_(out) {}

  void CheckDocument(const Value& root);

 private:
  void Check(const Value& v, const Schema& s, const Frame* at);
  void CheckObject(const Value& v, const Schema& s, const Frame* at);
  void CheckList(const Value& v, const Schema& s, const Frame* at);
  void CheckScalar(const Value& v, const Schema& s, uint8_t type, const Frame* at);
  // CRDs leave ObjectMeta to the API server; of it, only the names are
  // checked here.
  void CheckMetadata(const Value& v, const Frame* at);
  void CheckDnsName(const Value& v, const DnsRule& rule, const Frame* at);

  void Error(const char* code, const Frame* at, Mark mark, std::string message) {
    Report(Diagnostic::Severity::kError, code, at, mark, std::move(message));
  }
  void TypeError(const Value& v, uint8_t types, const Frame* at) {
    Error("schema.type", at, v.mark,
          absl::StrCat("Invalid value: \"", JsonTypeName(v), "\": must be of type ",
                       TypeNames(types)));
  }
  void Report(Diagnostic::Severity severity, const char* code, const Frame* at, Mark mark,
              std::string message);

  const Crd& crd_;
  std::string_view source_;
  Diagnostics* out_;
  const CrdVersion* version_ = nullptr;  // nullptr: apiVersion names no version of the CRD
};

void Checker::Report(Diagnostic::Severity severity, const char* code, const Frame* at, Mark mark,
                     std::string message) {
  Path path;
  AppendFrames(at, &path);
  Diagnostic& d = out_->emplace_back();
  d.severity = severity;
  d.code = code;
  d.path = path.ToString();
  d.message = std::move(message);
  d.source = std::string(source_);
  d.mark = mark;
}

void Checker::CheckDocument(const Value& root) {
  const Value* api_version = root.Find("apiVersion");
  if (api_version == nullptr || api_version->is_null()) {
    Frame f{nullptr, "apiVersion", 0, false};
    Error("schema.required", &f, root.mark, "Required value");
  } else {
    for (const CrdVersion& version : crd_.versions)
      if (IsApiVersion(api_version->text, crd_, version)) version_ = &version;
  }
  // An unknown version is reported at apiVersion; the rest is still checked
  // against the first version so that one mistake does not hide the others.
  Check(root, *(version_ != nullptr ? version_ : &crd_.versions[0])->root, nullptr);
}

void Checker::Check(const Value& v, const Schema& s, const Frame* at) {
  if (v.is_null()) {
    if (!s.nullable && s.types != 0) TypeError(v, s.types, at);
    return;
  }
  uint8_t type = TypeOf(v, s.types);
  if (type == 0) return TypeError(v, s.types, at);
  switch (v.kind) {
    case Value::Kind::kMap:
      return CheckObject(v, s, at);
    case Value::Kind::kList:
      return CheckList(v, s, at);
    default:
      return CheckScalar(v, s, type, at);
  }
}

void Checker::CheckObject(const Value& v, const Schema& s, const Frame* at) {
  // Required errors sit at the object's own position, so they come first.
  for (const std::string& name : s.required) {
    const Value* member = v.Find(name);
    const Schema* property = s.Property(name);
    // A null the API server prunes (non-nullable, no default) is absent.
    bool present = member != nullptr && !(member->is_null() && property != nullptr &&
                                          !property->nullable && !property->has_default);
    if (!present) {
      Frame f{at, name, 0, false};
      Error("schema.required", &f, v.mark, "Required value");
    }
  }
  const bool root = at == nullptr;
  for (const Member& m : v.members) {
    Frame f{at, m.key, 0, false};
    if (root && m.key == "metadata") {
      CheckMetadata(m.value, &f);
    } else if (const Schema* property = s.Property(m.key)) {
      // A null property is pruned (or defaulted) by the API server unless
      // it is nullable, and then it is valid: never an error.
      if (!m.value.is_null()) Check(m.value, *property, &f);
      if (root && m.key == "apiVersion" && version_ == nullptr && !m.value.is_null()) {
        std::string supported;
        for (const CrdVersion& version : crd_.versions)
          absl::StrAppend(&supported, supported.empty() ? "" : ", ",
                          Quote(absl::StrCat(crd_.group, "/", version.name)));
        Error("schema.enum", &f, m.value.mark,
              absl::StrCat("Unsupported value: ", Quote(m.value.text),
                           ": supported values: ", supported));
      }
    } else if (s.additional != nullptr) {
      Check(m.value, *s.additional, &f);
    } else if (!s.any_additional && !s.preserve_unknown_fields) {
      Report(Diagnostic::Severity::kWarning, "schema.unknown_field", &f, m.key_mark,
             absl::StrCat("unknown field ", Quote(m.key)));
    }
  }
}

void Checker::CheckList(const Value& v, const Schema& s, const Frame* at) {
  const size_t n = v.items.size();
  if (s.min_items && n < *s.min_items)
    Error("schema.length", at, v.mark,
          absl::StrCat("Invalid value: ", n, ": should have at least ", *s.min_items, " items"));
  if (s.max_items && n > *s.max_items)
    Error("schema.length", at, v.mark,
          absl::StrCat("Too many: ", n, ": must have at most ", *s.max_items, " items"));
  if (s.items == nullptr) return;
  for (size_t i = 0; i < n; ++i) {
    Frame f{at, {}, i, true};
    Check(v.items[i], *s.items, &f);
  }
}

void Checker::CheckScalar(const Value& v, const Schema& s, uint8_t type, const Frame* at) {
  if (!s.enum_values.empty()) {
    bool found = false;
    for (const EnumValue& e : s.enum_values) found = found || (e.type == type && e.text == v.text);
    if (!found) {
      std::string supported;
      for (const EnumValue& e : s.enum_values)
        absl::StrAppend(&supported, supported.empty() ? "" : ", ", Shown(e.text, e.type));
      Error("schema.enum", at, v.mark,
            absl::StrCat("Unsupported value: ", Shown(v.text, type),
                         ": supported values: ", supported));
    }
  }
  if (type == kString) {
    const size_t n = Utf8Length(v.text);
    if (s.max_length && n > *s.max_length)
      Error("schema.length", at, v.mark,
            absl::StrCat("Too long: may not be longer than ", *s.max_length));
    if (s.min_length && n < *s.min_length)
      Error("schema.length", at, v.mark,
            absl::StrCat("Invalid value: ", Quote(v.text), ": should be at least ", *s.min_length,
                         " chars long"));
    if (s.pattern != nullptr && !RE2::PartialMatch(v.text, *s.pattern))
      Error("schema.pattern", at, v.mark,
            absl::StrCat("Invalid value: ", Quote(v.text), ": should match '", s.pattern->pattern(),
                         "'"));
  } else if ((type & (kInteger | kNumber)) != 0 && (s.minimum || s.maximum)) {
    double d = 0;
    if (!absl::SimpleAtod(absl::string_view(v.text.data(), v.text.size()), &d)) return;
    if (s.minimum && d < s.minimum->value)
      Error("schema.range", at, v.mark,
            absl::StrCat("Invalid value: ", std::string(v.text),
                         ": should be greater than or equal to ", s.minimum->text));
    if (s.maximum && d > s.maximum->value)
      Error("schema.range", at, v.mark,
            absl::StrCat("Invalid value: ", std::string(v.text),
                         ": should be less than or equal to ", s.maximum->text));
  }
}

void Checker::CheckMetadata(const Value& v, const Frame* at) {
  if (v.is_null()) return;
  if (!v.is_map()) return TypeError(v, kObject, at);
  for (const Member& m : v.members) {
    Frame f{at, m.key, 0, false};
    if (m.key == "name") {
      CheckDnsName(m.value, kDnsSubdomain, &f);
    } else if (m.key == "namespace") {
      CheckDnsName(m.value, kDnsLabel, &f);
    }
  }
}

void Checker::CheckDnsName(const Value& v, const DnsRule& rule, const Frame* at) {
  if (v.is_null()) return;
  if (TypeOf(v, kString) == 0) return TypeError(v, kString, at);
  if (v.text.size() > rule.max_length)
    Error("schema.pattern", at, v.mark,
          absl::StrCat("Invalid value: ", Quote(v.text), ": must be no more than ", rule.max_length,
                       " characters"));
  if (!MatchesDnsRule(v.text, rule))
    Error("schema.pattern", at, v.mark,
          absl::StrCat("Invalid value: ", Quote(v.text), ": ", rule.message));
}

}  // namespace

Diagnostics CheckSchema(const Value& root, std::string_view source) {
  Diagnostics out;
  const Value* kind = root.Find("kind");
  if (kind == nullptr || !HasSchema(kind->text)) return out;
  Checker(*schema_internal::CrdForKind(kind->text), source, &out).CheckDocument(root);
  return out;
}

}  // namespace sympozium
