// DomNode: the decoders' node interface (value_node.h) over a simdjson DOM,
// for the JSON admission hot path (fast_json.h).
//
// It reads the DOM's tape directly (simdjson's doc/tape.md): one 64-bit word
// per value with its type in the top byte; a '{' or '[' word holds the index
// just past its matching close in its low 32 bits; a string word holds the
// offset in the string buffer of a 32-bit length and the (unescaped) bytes;
// a number is its type word and then its 64 bits. Going through
// dom::element instead costs a pointer chase and a type switch per step,
// and lookups are most of decoding.
//
// The DOM does not keep what a Value keeps of the text: positions, and the
// digits of a number as written. Positions only appear in errors, and the
// fast path never reports its own errors (it falls back to the slow path).
// A number's text is rebuilt for integers other than 0 (a JSON integer has
// one spelling, except 0 and -0); asking for any other number's text marks
// the decode unsupported, which also falls back.
#ifndef SYMPOZIUM_LIB_DECODE_DOM_NODE_H_
#define SYMPOZIUM_LIB_DECODE_DOM_NODE_H_

#include <charconv>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <type_traits>

#include "lib/base/arena.h"
#include "lib/base/value.h"
#include "lib/decode/value_node.h"

namespace sympozium::decode_internal {

// A parsed DOM's tape and string buffer, and a filter of each object's keys.
struct DomTape {
  const uint64_t* words = nullptr;
  const uint8_t* strings = nullptr;
  // By the index of an object's word: the KeyBits of its keys OR-ed (set
  // by fast_json.cc's walk over every key, before any lookup).
  const uint64_t* key_filters = nullptr;

  char Type(size_t i) const { return static_cast<char>(words[i] >> 56); }
  uint64_t Payload(size_t i) const { return words[i] & 0x00FFFFFFFFFFFFFF; }

  // The index after the value at `i`. Without branches: value types come
  // in no predictable order.
  size_t Next(size_t i) const {
    const uint64_t word = words[i];
    const char type = static_cast<char>(word >> 56);
    const bool scope = type == '{' || type == '[';
    const bool number = type == 'l' || type == 'u' || type == 'd';
    return scope ? static_cast<uint32_t>(word) : i + 1 + number;
  }

  // The string at `i` (a value or a key).
  std::string_view String(size_t i) const {
    const uint8_t* p = strings + Payload(i);
    uint32_t length;
    std::memcpy(&length, p, sizeof(length));
    return {reinterpret_cast<const char*>(p + sizeof(length)), length};
  }
};

// One bit of 64 for a key, from its length and end bytes: a lookup of a key
// whose bit is not in its object's filter fails without a scan.
inline uint64_t KeyBit(std::string_view key) {
  size_t h = key.size() * 7;
  if (!key.empty())
    h += static_cast<unsigned char>(key.front()) * 3 + static_cast<unsigned char>(key.back());
  return uint64_t{1} << (h & 63);
}

// Shared by the nodes of one decode: the tape, where rebuilt text goes, and
// whether the decode asked for something the DOM cannot answer exactly.
struct DomContext {
  DomTape tape;
  Arena& arena;
  bool unsupported = false;
};

// The document path of a decoder whose errors are never shown (a DomNode
// decoder falls back to the slow path to report them): kept by nobody.
class NoPath {
 public:
  void PushRaw(std::string_view) {}
  void Pop() {}
  std::string ToString() const { return {}; }

  class Scope {
   public:
    Scope(NoPath&, std::string_view) {}
    Scope(NoPath&, size_t) {}
  };
};

class DomNode {
 public:
  using PathType = NoPath;

  DomNode() = default;
  DomNode(DomContext* context, size_t index)
      : context_(context), index_(static_cast<uint32_t>(index)) {}

  explicit operator bool() const { return context_ != nullptr; }
  Value::Kind kind() const {
    switch (type()) {
      case '[':
        return Value::Kind::kList;
      case '{':
        return Value::Kind::kMap;
      case 'l':
      case 'u':
        return Value::Kind::kInt;
      case 'd':
        return Value::Kind::kFloat;
      case '"':
        return Value::Kind::kString;
      case 't':
      case 'f':
        return Value::Kind::kBool;
      default:
        return Value::Kind::kNull;
    }
  }
  bool is_null() const { return type() == 'n'; }
  bool is_map() const { return type() == '{'; }
  bool is_list() const { return type() == '['; }
  bool is_string() const { return type() == '"'; }
  bool is_scalar() const { return !is_map() && !is_list() && !is_null(); }
  bool plain() const { return false; }  // JSON has no unquoted scalars
  bool boolean() const { return type() == 't'; }
  Mark mark() const { return {}; }

  std::string_view text() const {
    switch (type()) {
      case '"':
        return tape().String(index_);
      case 't':
        return "true";
      case 'f':
        return "false";
      case 'l':
        return IntegerText(static_cast<int64_t>(tape().words[index_ + 1]));
      case 'u':
        return IntegerText(tape().words[index_ + 1]);
      case 'd':
        context_->unsupported = true;
        break;
    }
    return {};
  }

  // int64 only: the reader's text of a larger integer is out of range too.
  bool Int(int64_t* out) const {
    if (type() != 'l') return false;
    *out = static_cast<int64_t>(tape().words[index_ + 1]);
    return true;
  }

  // Decoders ask for a map's fields mostly in the order Go writes them, so
  // a lookup starts where the previous one on this node ended, and goes
  // round; absent keys are mostly turned away by the filter.
  DomNode Find(std::string_view key) const {
    if (!is_map()) return {};
    const DomTape& t = tape();
    if ((t.key_filters[index_] & KeyBit(key)) == 0) return {};
    const size_t first = index_ + 1, end = t.Next(index_) - 1;
    if (first == end) return {};
    const size_t start = cursor_ != 0 ? cursor_ : first;
    size_t i = start;
    do {
      const uint8_t* p = t.strings + t.Payload(i);
      uint32_t length;
      std::memcpy(&length, p, sizeof(length));
      const size_t value = i + 1;
      i = t.Next(value);
      if (i == end) i = first;
      if (length == key.size() && Equal(p + sizeof(length), key)) {
        cursor_ = static_cast<uint32_t>(i);
        return DomNode(context_, value);
      }
    } while (i != start);
    return {};
  }

  // A copy as a Value in `arena`; strings view the DOM's string buffer.
  Value ToValue(Arena& arena) const;

  // Iterates the items of a list, or the keys of a map (the value follows
  // each key).
  template <class Out>
  class Iterator {
   public:
    Iterator(DomContext* context, size_t index) : context_(context), index_(index) {}
    Out operator*() const;
    Iterator& operator++() {
      index_ = context_->tape.Next(std::is_same_v<Out, DomNode> ? index_ : index_ + 1);
      return *this;
    }
    bool operator!=(const Iterator& other) const { return index_ != other.index_; }

   private:
    DomContext* context_;
    size_t index_;
  };
  template <class It>
  struct Range {
    It b, e;
    It begin() const { return b; }
    It end() const { return e; }
  };
  // Only on a list (items) or a map (members), as the decoders check first.
  Range<Iterator<DomNode>> items() const {
    return {{context_, index_ + 1}, {context_, tape().Next(index_) - 1}};
  }
  Range<Iterator<NodeMember<DomNode>>> members() const {
    return {{context_, index_ + 1}, {context_, tape().Next(index_) - 1}};
  }

 private:
  const DomTape& tape() const { return context_->tape; }

  // Inline, for keys are short: a call of memcmp cost more than comparing.
  static bool Equal(const uint8_t* p, std::string_view key) {
    size_t i = 0;
    for (; i + 8 <= key.size(); i += 8) {
      uint64_t a, b;
      std::memcpy(&a, p + i, 8);
      std::memcpy(&b, key.data() + i, 8);
      if (a != b) return false;
    }
    for (; i < key.size(); ++i)
      if (p[i] != static_cast<uint8_t>(key[i])) return false;
    return true;
  }
  char type() const { return tape().Type(index_); }

  template <class Int>
  std::string_view IntegerText(Int n) const {
    if (n == 0) {  // "0" or "-0": the DOM does not say which
      context_->unsupported = true;
      return {};
    }
    char buf[24];
    char* end = std::to_chars(buf, buf + sizeof(buf), n).ptr;
    return context_->arena.Copy(std::string_view(buf, static_cast<size_t>(end - buf)));
  }

  DomContext* context_ = nullptr;
  uint32_t index_ = 0;           // tape indices are 32-bit in simdjson
  mutable uint32_t cursor_ = 0;  // where the next lookup starts (0: not yet)
};

template <>
inline DomNode DomNode::Iterator<DomNode>::operator*() const {
  return DomNode(context_, index_);
}
template <>
inline NodeMember<DomNode> DomNode::Iterator<NodeMember<DomNode>>::operator*() const {
  return {context_->tape.String(index_), DomNode(context_, index_ + 1), Mark{}};
}

}  // namespace sympozium::decode_internal

#endif  // SYMPOZIUM_LIB_DECODE_DOM_NODE_H_
