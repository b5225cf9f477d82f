// YAML -> Value with yaml-cpp. Plain scalars are resolved the way Go's
// YAML 1.1 decoder (gopkg.in/yaml.v2, under sigs.k8s.io/yaml) resolves them,
// so `enabled: yes` is a bool and `port: 0x10` an int, as Kubernetes reads them.
#include <cerrno>
#include <cstdlib>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "lib/read/tree_builder.h"
#include "yaml-cpp/yaml.h"

namespace sympozium::read_internal {
namespace {

Mark MarkOf(const YAML::Mark& m) {
  if (m.is_null()) return {};
  return {static_cast<uint32_t>(m.line + 1), static_cast<uint32_t>(m.column + 1)};
}

bool IsOneOf(std::string_view s, std::initializer_list<std::string_view> words) {
  for (std::string_view w : words)
    if (s == w) return true;
  return false;
}

// Integers as yaml.v2 reads them (strconv.ParseInt with base 0, `_` allowed),
// rewritten in decimal so decoders need only one form.
bool ResolveInt(std::string_view text, Arena& arena, std::string_view* decimal) {
  std::string s;
  for (char c : text)
    if (c != '_') s.push_back(c);
  size_t sign = (!s.empty() && (s[0] == '+' || s[0] == '-')) ? 1 : 0;
  std::string_view body = std::string_view(s).substr(sign);
  if (body.empty() || !absl::ascii_isdigit(static_cast<unsigned char>(body[0]))) return false;
  int base = 10;
  if (body.size() > 1 && body[0] == '0') {
    char p = absl::ascii_tolower(static_cast<unsigned char>(body[1]));
    base = p == 'x' ? 16 : p == 'b' ? 2 : 8;
    body.remove_prefix(p == 'x' || p == 'b' || p == 'o' ? 2 : 1);
    if (body.empty()) return false;
  }
  std::string digits(body);
  errno = 0;
  char* end = nullptr;
  unsigned long long magnitude = std::strtoull(digits.c_str(), &end, base);
  if (errno != 0 || end != digits.c_str() + digits.size() ||
      magnitude > (s[0] == '-' ? 9223372036854775808ull : 9223372036854775807ull))
    return false;
  std::string canonical = (s[0] == '-' && magnitude != 0 ? "-" : "") + std::to_string(magnitude);
  *decimal = arena.Copy(canonical);
  return true;
}

bool ResolveFloat(std::string_view text) {
  if (IsOneOf(text, {".nan", ".NaN", ".NAN", ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF",
                     "-.inf", "-.Inf", "-.INF"}))
    return true;
  if (text.empty() || text.find_first_of("0123456789") == std::string_view::npos) return false;
  std::string s(text);
  for (char c : s)
    if (!(absl::ascii_isdigit(static_cast<unsigned char>(c)) || c == '.' || c == 'e' || c == 'E' ||
          c == '+' || c == '-' || c == '_'))
      return false;
  char* end = nullptr;
  std::strtod(s.c_str(), &end);
  return end == s.c_str() + s.size();
}

Value ResolveScalar(const YAML::Node& node, Arena& arena) {
  Value v;
  v.mark = MarkOf(node.Mark());
  const std::string& text = node.Scalar();
  const std::string& tag = node.Tag();
  bool plain = tag == "?";
  if (!plain && tag != "!" && tag != "tag:yaml.org,2002:str") {
    // Explicit non-string tags (!!int, !!bool...) resolve like plain scalars.
    plain = true;
  }
  v.text = arena.Copy(text);
  if (!plain) {
    v.kind = Value::Kind::kString;
    return v;
  }
  v.plain = true;
  if (IsOneOf(text, {"", "~", "null", "Null", "NULL"})) {
    v.kind = Value::Kind::kNull;
    v.text = {};
  } else if (IsOneOf(text,
                     {"y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"})) {
    v.kind = Value::Kind::kBool;
    v.boolean = true;
  } else if (IsOneOf(text, {"n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off",
                            "OFF"})) {
    v.kind = Value::Kind::kBool;
  } else if (std::string_view decimal; ResolveInt(text, arena, &decimal)) {
    v.kind = Value::Kind::kInt;
    v.text = decimal;
  } else if (ResolveFloat(text)) {
    v.kind = Value::Kind::kFloat;
  } else {
    v.kind = Value::Kind::kString;
  }
  return v;
}

absl::Status Convert(const YAML::Node& node, uint32_t depth, TreeBuilder& b, Value* out) {
  Mark mark = MarkOf(node.Mark());
  if (absl::Status s = b.Enter(depth, mark); !s.ok()) return s;
  switch (node.Type()) {
    case YAML::NodeType::Undefined:
    case YAML::NodeType::Null:
      *out = Value();
      out->mark = mark;
      return absl::OkStatus();
    case YAML::NodeType::Scalar:
      *out = ResolveScalar(node, b.arena());
      return absl::OkStatus();
    case YAML::NodeType::Sequence: {
      *out = Value::EmptyList();
      out->mark = mark;
      if (absl::Status s = b.CheckLength(node.size(), mark); !s.ok()) return s;
      for (const YAML::Node& item : node) {
        Value& v = out->items.Append(b.arena());
        if (absl::Status s = Convert(item, depth + 1, b, &v); !s.ok()) return s;
      }
      return absl::OkStatus();
    }
    case YAML::NodeType::Map: {
      *out = Value::EmptyMap();
      out->mark = mark;
      for (const auto& kv : node) {
        const YAML::Node& key = kv.first;
        Mark key_mark = MarkOf(key.Mark());
        if (!key.IsScalar()) return b.Error(key_mark, "map keys must be strings");
        Value v;
        if (absl::Status s = Convert(kv.second, depth + 1, b, &v); !s.ok()) return s;
        if (absl::Status s = b.AddMember(*out, b.arena().Copy(key.Scalar()), v, key_mark); !s.ok())
          return s;
      }
      return absl::OkStatus();
    }
  }
  return b.Error(mark, "unsupported YAML node");
}

}  // namespace

absl::Status ReadYamlStream(std::string_view bytes, TreeBuilder& builder,
                            std::vector<Value>* roots) {
  std::vector<YAML::Node> docs;
  try {
    docs = YAML::LoadAll(std::string(bytes));
  } catch (const YAML::Exception& e) {
    return builder.Error(MarkOf(e.mark), absl::StrCat("YAML syntax error: ", e.msg));
  } catch (const std::exception& e) {  // yaml-cpp may throw others (e.g. bad_alloc)
    return builder.Error({}, absl::StrCat("YAML could not be read: ", e.what()));
  }
  for (const YAML::Node& doc : docs) {
    if (doc.IsNull() || !doc.IsDefined()) continue;
    if (roots->size() >= builder.limits().max_documents)
      return builder.LimitError(MarkOf(doc.Mark()), "max_documents", builder.limits().max_documents,
                                "stream has more documents than");
    builder.ResetDocument();
    Value root;
    try {
      if (absl::Status s = Convert(doc, 1, builder, &root); !s.ok()) return s;
    } catch (const YAML::Exception& e) {
      return builder.Error(MarkOf(e.mark), absl::StrCat("YAML could not be read: ", e.msg));
    }
    roots->push_back(root);
  }
  return absl::OkStatus();
}

}  // namespace sympozium::read_internal
