// Value -> YAML text through yaml-cpp's emitter, in block style as kubectl
// prints. The emitter takes care of YAML syntax (it quotes `a: b`, `#x`,
// `- x`, trailing spaces...); this file adds what it does not know: which
// strings a YAML 1.1 reader (Go's yaml.v2 under kubectl, PyYAML, read/)
// would resolve to another type, and which characters must be escaped.
#include <cstdlib>
#include <string>
#include <string_view>

#include "lib/write/write.h"
#include "simdjson.h"
#include "yaml-cpp/yaml.h"

namespace sympozium {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

bool AllOf(std::string_view s, std::string_view chars) {
  return s.find_first_not_of(chars) == std::string_view::npos;
}

// A YAML 1.1 int (decimal, 0x, 0o, 0b, leading-zero octal, `_` separators),
// float (anything strtod reads whole, which includes `1e3` as yaml.v2
// reads it), or sexagesimal number (`1:30`), with an optional sign.
bool IsNumber(std::string_view s) {
  std::string t;
  for (char c : s)
    if (c != '_') t.push_back(c);
  if (!t.empty() && (t[0] == '+' || t[0] == '-')) t.erase(0, 1);
  if (t.size() > 2 && t[0] == '0') {
    std::string_view digits = std::string_view(t).substr(2);
    switch (t[1]) {
      case 'x':
      case 'X':
        return AllOf(digits, "0123456789abcdefABCDEF");
      case 'o':
      case 'O':
        return AllOf(digits, "01234567");
      case 'b':
      case 'B':
        return AllOf(digits, "01");
    }
  }
  if (t.empty() || !(IsDigit(t[0]) || (t[0] == '.' && t.size() > 1 && IsDigit(t[1])))) return false;
  if (t.find(':') != std::string::npos) return AllOf(t, "0123456789:.");
  if (!AllOf(t, "0123456789.eE+-")) return false;
  char* end = nullptr;
  std::strtod(t.c_str(), &end);
  return end == t.c_str() + t.size();
}

// yyyy-m-d, alone or followed by a time: a YAML 1.1 timestamp (kubectl
// quotes `creationTimestamp: "2024-01-02T03:04:05Z"` for this reason).
bool IsTimestamp(std::string_view s) {
  size_t i = 0;
  auto digits = [&](size_t min, size_t max) {
    size_t start = i;
    while (i < s.size() && i - start < max && IsDigit(s[i])) ++i;
    return i - start >= min;
  };
  auto dash = [&] { return i < s.size() && s[i++] == '-'; };
  if (!(digits(4, 4) && dash() && digits(1, 2) && dash() && digits(1, 2))) return false;
  return i == s.size() || s[i] == 'T' || s[i] == 't' || s[i] == ' ' || s[i] == '\t';
}

// Whether `s`, written plain, would be read back as something other than
// this string.
bool ResolvesAsNonString(std::string_view s) {
  // clang-format off
  static constexpr std::string_view kWords[] = {
      "", "~", "null", "Null", "NULL",
      "y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON",
      "n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF",
      ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF", "-.inf", "-.Inf", "-.INF",
      ".nan", ".NaN", ".NAN",
      "<<",  // merge key
      "=",   // YAML 1.1 value key
  };
  // clang-format on
  for (std::string_view w : kWords)
    if (s == w) return true;
  return IsNumber(s) || IsTimestamp(s);
}

// `--- x` and `... x` at the start of a line are document markers, which
// yaml-cpp 0.7 does not check for (a top-level key is at the start of one).
bool StartsWithDocumentMarker(std::string_view s) {
  std::string_view head = s.substr(0, 3);
  return (head == "---" || head == "...") && (s.size() == 3 || s[3] == ' ' || s[3] == '\t');
}

// Characters the emitter would write raw where YAML wants an escape:
// controls other than tab and newline, DEL, C1 controls (U+0085 is a line
// break to YAML 1.1), U+2028/U+2029 (line breaks too), BOM, U+FFFE/U+FFFF,
// and invalid UTF-8.
bool NeedsEscapes(std::string_view s) {
  for (size_t i = 0; i < s.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    std::string_view rest = s.substr(i);
    if ((c < 0x20 && c != '\t' && c != '\n') || c == 0x7F) return true;
    if (c == 0xC2 && rest.size() > 1 && static_cast<unsigned char>(rest[1]) < 0xA0) return true;
    for (std::string_view seq :
         {"\xE2\x80\xA8", "\xE2\x80\xA9", "\xEF\xBB\xBF", "\xEF\xBF\xBE", "\xEF\xBF\xBF"})
      if (rest.substr(0, seq.size()) == seq) return true;
  }
  return !simdjson::validate_utf8(s.data(), s.size());
}

// yaml-cpp 0.7 writes a literal block with the default (clip) chomping and
// no indentation indicator, so only a string ending in exactly one newline
// whose first line starts with a printable, non-space character reads back
// unchanged.
bool FitsLiteral(std::string_view s) {
  return s.size() >= 2 && s.back() == '\n' && s[s.size() - 2] != '\n' && s[0] != ' ' &&
         s[0] != '\t' && s[0] != '\n';
}

void EmitString(YAML::Emitter& e, std::string_view s, bool is_key) {
  if (NeedsEscapes(s)) {
    // Escaping everything past ASCII is the emitter's only way to escape
    // DEL and the Unicode line breaks; the text still reads back the same.
    e << YAML::DoubleQuoted << YAML::EscapeNonAscii;
  } else if (s.find('\n') != std::string_view::npos) {
    e << (!is_key && FitsLiteral(s) ? YAML::Literal : YAML::DoubleQuoted);
  } else if (ResolvesAsNonString(s) || StartsWithDocumentMarker(s)) {
    e << YAML::DoubleQuoted;
  }
  e << std::string(s);
}

void Emit(YAML::Emitter& e, const Value& v) {
  switch (v.kind) {
    case Value::Kind::kNull:
      e << YAML::Null;
      return;
    case Value::Kind::kBool:
      e << v.boolean;
      return;
    case Value::Kind::kInt:
    case Value::Kind::kFloat:
      // The emitter's one way to write text unquoted and unchecked (it is
      // the path of its own integer writes); the text is the number as
      // written, which reads back as a number.
      e.WriteIntegralType(v.text);
      return;
    case Value::Kind::kString:
      EmitString(e, v.text, /*is_key=*/false);
      return;
    case Value::Kind::kList:
      if (v.items.empty()) e << YAML::Flow;
      e << YAML::BeginSeq;
      for (const Value& item : v.items) Emit(e, item);
      e << YAML::EndSeq;
      return;
    case Value::Kind::kMap:
      if (v.members.empty()) e << YAML::Flow;
      e << YAML::BeginMap;
      for (const Member& m : v.members) {
        e << YAML::Key;
        EmitString(e, m.key, /*is_key=*/true);
        e << YAML::Value;
        Emit(e, m.value);
      }
      e << YAML::EndMap;
      return;
  }
}

}  // namespace

std::string ToYaml(const Value& v) {
  YAML::Emitter e;
  e.SetIndent(2);
  e.SetNullFormat(YAML::LowerNull);
  e.SetBoolFormat(YAML::TrueFalseBool);
  Emit(e, v);
  std::string out(e.c_str(), e.size());
  if (out.empty() || out.back() != '\n') out.push_back('\n');
  return out;
}

}  // namespace sympozium
