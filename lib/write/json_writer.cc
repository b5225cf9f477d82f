// Value -> JSON text. Used on hot paths (admission responses), so the writer
// appends straight into one std::string: no intermediate nodes, no
// per-value allocations, and runs of plain bytes are copied in one append.
#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "lib/write/write.h"

namespace sympozium {
namespace {

// What a byte needs in a JSON string: kCopy (printable ASCII), kEscape
// (quote, backslash, control character) or kUtf8 (starts a multi-byte
// sequence, which is checked).
enum ByteClass : uint8_t { kCopy, kEscape, kUtf8 };

constexpr std::array<uint8_t, 256> MakeByteClasses() {
  std::array<uint8_t, 256> classes{};
  for (int c = 0; c < 256; ++c)
    classes[c] = c < 0x20 || c == '"' || c == '\\' ? kEscape : c >= 0x80 ? kUtf8 : kCopy;
  return classes;
}
constexpr std::array<uint8_t, 256> kByteClass = MakeByteClasses();

// Length of the well-formed UTF-8 sequence at the start of `s` (no overlong
// forms, surrogates or code points past U+10FFFF), or 0.
size_t Utf8Length(std::string_view s) {
  auto byte = [&](size_t i) { return static_cast<unsigned char>(s[i]); };
  unsigned char c = byte(0);
  size_t n = 0;
  unsigned char lo = 0x80, hi = 0xBF;  // bounds of the second byte
  if (c >= 0xC2 && c <= 0xDF) {
    n = 2;
  } else if (c >= 0xE0 && c <= 0xEF) {
    n = 3;
    if (c == 0xE0) lo = 0xA0;
    if (c == 0xED) hi = 0x9F;
  } else if (c >= 0xF0 && c <= 0xF4) {
    n = 4;
    if (c == 0xF0) lo = 0x90;
    if (c == 0xF4) hi = 0x8F;
  } else {
    return 0;
  }
  if (s.size() < n || byte(1) < lo || byte(1) > hi) return 0;
  for (size_t i = 2; i < n; ++i)
    if ((byte(i) & 0xC0) != 0x80) return 0;
  return n;
}

void AppendEscape(std::string* out, unsigned char c) {
  switch (c) {
    case '"':
      out->append("\\\"");
      return;
    case '\\':
      out->append("\\\\");
      return;
    case '\b':
      out->append("\\b");
      return;
    case '\f':
      out->append("\\f");
      return;
    case '\n':
      out->append("\\n");
      return;
    case '\r':
      out->append("\\r");
      return;
    case '\t':
      out->append("\\t");
      return;
    default: {
      static constexpr char kHex[] = "0123456789abcdef";
      char u[6] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 0xF]};
      out->append(u, sizeof(u));
    }
  }
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

}  // namespace

// A number's text as JSON. Text read from JSON is already valid and comes
// out unchanged. YAML spellings with no JSON form are rewritten to the same
// value without going through a double (`+1.5` -> 1.5, `.5` -> 0.5, `1.` ->
// 1.0, `007` -> 7), so digits are never lost and a float stays a float.
// `.inf` and `.nan` have no JSON form at all: they are written as null, the
// one value that keeps the document valid (Go's json.Marshal refuses them
// outright, which would fail the whole response).
void AppendJsonNumber(std::string* out, std::string_view t) {
  size_t i = 0;
  auto digits = [&] {
    size_t start = i;
    while (i < t.size() && IsDigit(t[i])) ++i;
    return t.substr(start, i - start);
  };
  bool negative = !t.empty() && t[0] == '-';
  if (!t.empty() && (t[0] == '-' || t[0] == '+')) ++i;
  std::string_view integer = digits();
  bool dot = i < t.size() && t[i] == '.';
  if (dot) ++i;
  std::string_view fraction = digits();
  size_t exponent = i;
  bool exponent_ok = true;
  if (i < t.size() && (t[i] == 'e' || t[i] == 'E')) {
    ++i;
    if (i < t.size() && (t[i] == '+' || t[i] == '-')) ++i;
    exponent_ok = !digits().empty();
  }
  if (i != t.size() || !exponent_ok || (integer.empty() && fraction.empty())) {
    out->append("null");
    return;
  }
  if (negative) out->push_back('-');
  while (integer.size() > 1 && integer[0] == '0') integer.remove_prefix(1);
  out->append(integer.empty() ? std::string_view("0") : integer);
  if (dot) {
    out->push_back('.');
    out->append(fraction.empty() ? std::string_view("0") : fraction);
  }
  out->append(t.substr(exponent));
}

namespace {

class JsonWriter {
 public:
  JsonWriter(std::string* out, int indent) : out_(out), indent_(indent > 0 ? indent : 0) {}

  void Write(const Value& v, int depth) {
    switch (v.kind) {
      case Value::Kind::kNull:
        out_->append("null");
        return;
      case Value::Kind::kBool:
        out_->append(v.boolean ? "true" : "false");
        return;
      case Value::Kind::kInt:
      case Value::Kind::kFloat:
        AppendJsonNumber(out_, v.text);
        return;
      case Value::Kind::kString:
        AppendJsonString(out_, v.text);
        return;
      case Value::Kind::kList:
        if (v.items.empty()) {
          out_->append("[]");
          return;
        }
        out_->push_back('[');
        for (size_t i = 0; i < v.items.size(); ++i) {
          if (i > 0) out_->push_back(',');
          NewLine(depth + 1);
          Write(v.items[i], depth + 1);
        }
        NewLine(depth);
        out_->push_back(']');
        return;
      case Value::Kind::kMap:
        if (v.members.empty()) {
          out_->append("{}");
          return;
        }
        out_->push_back('{');
        for (size_t i = 0; i < v.members.size(); ++i) {
          if (i > 0) out_->push_back(',');
          NewLine(depth + 1);
          AppendJsonString(out_, v.members[i].key);
          out_->append(indent_ > 0 ? ": " : ":");
          Write(v.members[i].value, depth + 1);
        }
        NewLine(depth);
        out_->push_back('}');
        return;
    }
  }

 private:
  void NewLine(int depth) {
    if (indent_ == 0) return;
    out_->push_back('\n');
    out_->append(static_cast<size_t>(depth) * static_cast<size_t>(indent_), ' ');
  }

  std::string* out_;
  int indent_;
};

}  // namespace

// Invalid UTF-8 (which the readers never produce, but a tree built in memory
// might hold) becomes U+FFFD per bad byte, as Go's encoding/json does, so
// the output is always valid JSON.
void AppendJsonString(std::string* out, std::string_view s) {
  out->push_back('"');
  size_t run = 0;  // start of the bytes not yet copied
  for (size_t i = 0; i < s.size();) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    uint8_t cls = kByteClass[c];
    if (cls == kCopy) {
      ++i;
      continue;
    }
    if (cls == kUtf8) {
      if (size_t n = Utf8Length(s.substr(i)); n > 0) {
        i += n;
        continue;
      }
    }
    out->append(s.data() + run, i - run);
    if (cls == kEscape) {
      AppendEscape(out, c);
    } else {
      out->append("\\ufffd");
    }
    run = ++i;
  }
  out->append(s.data() + run, s.size() - run);
  out->push_back('"');
}

void AppendJson(std::string* out, const Value& v, JsonStyle style) {
  JsonWriter(out, style.indent).Write(v, 0);
}

std::string ToJson(const Value& v, JsonStyle style) {
  std::string out;
  AppendJson(&out, v, style);
  return out;
}

}  // namespace sympozium
