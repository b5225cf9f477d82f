// JSON -> Value with simdjson On Demand. On Demand validates only what it is
// asked to read, so the reader walks every value, including those no check
// needs: a malformed byte anywhere is an error, never a partial success.
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <type_traits>
#include <vector>

#include "absl/strings/str_cat.h"
#include "lib/read/tree_builder.h"
#include "simdjson.h"

namespace sympozium::read_internal {
namespace {

namespace od = simdjson::ondemand;

// Turns token pointers into line/column. On Demand moves forward through the
// input, so each call only has to count the newlines since the previous
// one; memchr jumps from newline to newline (compact JSON has none).
class Locator {
 public:
  Locator(const char* begin, size_t size) : begin_(begin), size_(size) { Rewind(); }

  Mark At(const char* p) {
    size_t offset = p < begin_ ? 0 : static_cast<size_t>(p - begin_);
    if (offset > size_) offset = size_;
    if (offset < offset_) Rewind();  // went backwards (should not happen): recount
    offset_ = offset;
    while (next_newline_ < offset) {
      ++line_;
      line_start_ = next_newline_ + 1;
      next_newline_ = FindNewline(line_start_);
    }
    return {line_, static_cast<uint32_t>(offset - line_start_ + 1)};
  }

 private:
  void Rewind() {
    offset_ = 0;
    line_ = 1;
    line_start_ = 0;
    next_newline_ = FindNewline(0);
  }
  size_t FindNewline(size_t from) const {
    const void* nl = std::memchr(begin_ + from, '\n', size_ - from);
    return nl != nullptr ? static_cast<size_t>(static_cast<const char*>(nl) - begin_) : size_;
  }

  const char* begin_;
  size_t size_;
  size_t offset_;
  uint32_t line_;
  size_t line_start_;
  size_t next_newline_;  // offset of the first '\n' at or after line_start_, or size_
};

// The first '"' or '\\' at or after `p`, eight bytes at a time: the input
// copy is padded, so the last load may run past the string. A byte of a
// word is flagged when it XORs to zero with the character (the lowest flag
// is exact; borrows only reach bytes above a zero).
const char* FindQuoteOrBackslash(const char* p) {
  constexpr uint64_t kOnes = 0x0101010101010101;
  constexpr uint64_t kHighs = 0x8080808080808080;
  for (;; p += 8) {
    uint64_t word;
    std::memcpy(&word, p, sizeof(word));
    uint64_t quote = word ^ (kOnes * '"');
    uint64_t backslash = word ^ (kOnes * '\\');
    uint64_t hits = (((quote - kOnes) & ~quote) | ((backslash - kOnes) & ~backslash)) & kHighs;
    if (hits != 0) return p + __builtin_ctzll(hits) / 8;
  }
}

// The text of a string whose raw form (after the opening quote) holds no
// backslash, up to its closing quote; nullopt when it holds one. Such a
// string is its own unescaped value, so the tree can view the input copy
// instead of having simdjson unescape it into a buffer to copy from.
std::optional<std::string_view> PlainString(const char* raw) {
  const char* end = FindQuoteOrBackslash(raw);  // stage 1 found the closing quote
  if (*end == '\\') return std::nullopt;
  return std::string_view(raw, static_cast<size_t>(end - raw));
}

class JsonConverter {
 public:
  JsonConverter(TreeBuilder& b, Locator& loc) : b_(b), loc_(loc) {}

  absl::Status Fail(simdjson::error_code code, const char* where) {
    return b_.Error(where ? loc_.At(where) : Mark{},
                    absl::StrCat("JSON syntax error: ", simdjson::error_message(code)));
  }

  template <class V>  // od::value or od::document
  absl::Status Convert(V& v, uint32_t depth, Value* out) {
    std::string_view token = RawToken(v);
    Mark mark = token.data() != nullptr ? loc_.At(token.data()) : Mark{};
    if (absl::Status s = b_.Enter(depth, mark); !s.ok()) return s;
    od::json_type type;
    if (auto err = v.type().get(type)) return Fail(err, LocationOr(v, nullptr));
    *out = Value();
    out->mark = mark;
    switch (type) {
      case od::json_type::object: {
        out->kind = Value::Kind::kMap;
        od::object object;
        if (auto err = v.get_object().get(object)) return Fail(err, LocationOr(v, nullptr));
        for (auto field_result : object) {
          od::field field;
          if (auto err = std::move(field_result).get(field))
            return Fail(err, LocationOr(v, nullptr));
          // Taken before unescaped_key(), which consumes the key: key() after
          // it is undefined (simdjson assumes a live key, so in a release
          // build the error branch below was compiled away).
          const char* raw_key = field.key().raw();
          Mark key_mark = loc_.At(raw_key - 1);
          std::optional<std::string_view> stored_key = PlainString(raw_key);
          if (!stored_key) {
            std::string_view key;
            if (auto err = field.unescaped_key().get(key)) return Fail(err, raw_key);
            stored_key = b_.arena().Copy(key);
          }
          Value child;
          if (absl::Status s = Convert(field.value(), depth + 1, &child); !s.ok()) return s;
          if (absl::Status s = b_.AddMember(*out, *stored_key, child, key_mark); !s.ok()) return s;
        }
        return b_.FinishMap(*out);
      }
      case od::json_type::array: {
        out->kind = Value::Kind::kList;
        od::array array;
        if (auto err = v.get_array().get(array)) return Fail(err, LocationOr(v, nullptr));
        for (auto item_result : array) {
          od::value item;
          if (auto err = std::move(item_result).get(item)) return Fail(err, LocationOr(v, nullptr));
          if (absl::Status s = b_.CheckLength(out->items.size() + 1, mark); !s.ok()) return s;
          Value& child = out->items.Append(b_.arena());
          if (absl::Status s = Convert(item, depth + 1, &child); !s.ok()) return s;
        }
        return absl::OkStatus();
      }
      case od::json_type::string: {
        out->kind = Value::Kind::kString;
        // A plain string inside the document is left unread: On Demand skips
        // it, and stage 1 has already validated it. (The root must be read,
        // or the check for trailing content would see it.)
        if constexpr (std::is_same_v<V, od::value>) {
          if (std::optional<std::string_view> text = PlainString(token.data() + 1)) {
            out->text = *text;
            return absl::OkStatus();
          }
        }
        std::string_view s;
        if (auto err = v.get_string().get(s)) return Fail(err, LocationOr(v, nullptr));
        out->text = b_.arena().Copy(s);
        return absl::OkStatus();
      }
      case od::json_type::number: {
        od::number number;
        if (auto err = v.get_number().get(number)) return Fail(err, token.data());
        out->kind = number.is_double() ? Value::Kind::kFloat : Value::Kind::kInt;
        out->text = token.substr(0, token.find_first_of(" \t\r\n,]}"));
        return absl::OkStatus();
      }
      case od::json_type::boolean: {
        bool b;
        if (auto err = v.get_bool().get(b)) return Fail(err, LocationOr(v, nullptr));
        *out = Value::Bool(b);
        out->mark = mark;
        return absl::OkStatus();
      }
      case od::json_type::null: {
        bool is_null = false;
        if (auto err = v.is_null().get(is_null)) return Fail(err, LocationOr(v, nullptr));
        if (!is_null) return Fail(simdjson::N_ATOM_ERROR, LocationOr(v, nullptr));
        return absl::OkStatus();
      }
    }
    return b_.Error(mark, "unsupported JSON value");
  }

 private:
  template <class V>
  static const char* LocationOr(V& v, const char* fallback) {
    const char* p = nullptr;
    return v.current_location().get(p) == simdjson::SUCCESS ? p : fallback;
  }
  // The raw text of the current token; value and document spell this
  // differently.
  static std::string_view RawToken(od::value& v) { return v.raw_json_token(); }
  static std::string_view RawToken(od::document& d) {
    std::string_view t;
    return d.raw_json_token().get(t) == simdjson::SUCCESS ? t : std::string_view();
  }

  TreeBuilder& b_;
  Locator& loc_;
};

}  // namespace

absl::Status ReadJsonStream(std::string_view bytes, TreeBuilder& builder, size_t max_documents,
                            std::vector<Value>* roots) {
  thread_local od::parser parser;
  // The input goes into the arena once, with the padding simdjson reads
  // past the end; strings and numbers in the tree are views into it.
  char* input = builder.arena().AllocateArray<char>(bytes.size() + simdjson::SIMDJSON_PADDING);
  if (!bytes.empty()) std::memcpy(input, bytes.data(), bytes.size());  // data() may be null
  std::memset(input + bytes.size(), 0, simdjson::SIMDJSON_PADDING);
  Locator locator(input, bytes.size());
  // Concatenated objects (`kubectl get -o json` pipelines) are a stream:
  // each document is parsed from where the previous one ended; the padding
  // at the very end covers every one of them.
  for (size_t offset = 0;;) {
    size_t len = bytes.size() - offset;
    od::document doc;
    if (auto err = parser.iterate(input + offset, len, len + simdjson::SIMDJSON_PADDING).get(doc))
      return builder.Error(offset == 0 ? Mark{} : locator.At(input + offset),
                           absl::StrCat("JSON syntax error: ", simdjson::error_message(err)));
    if (roots->size() == max_documents)
      return builder.LimitError(locator.At(input + offset), "max_documents", max_documents,
                                "stream has more documents than");
    JsonConverter converter(builder, locator);
    if (absl::Status s = converter.Convert(doc, 1, &roots->emplace_back()); !s.ok()) return s;
    // After the root is consumed, any location still reachable is trailing
    // content (at the end, current_location reports OUT_OF_BOUNDS): the
    // next object of a stream, or an error.
    const char* where = nullptr;
    if (doc.current_location().get(where) != simdjson::SUCCESS) return absl::OkStatus();
    if (*where != '{')
      return builder.Error(locator.At(where),
                           "JSON syntax error: unexpected content after the document");
    offset = static_cast<size_t>(where - input);
  }
}

}  // namespace sympozium::read_internal
