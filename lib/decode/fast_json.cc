#include "lib/decode/fast_json.h"

#include <algorithm>
#include <cstring>
#include <vector>

#include "lib/decode/decoder.h"
#include "simdjson.h"

namespace sympozium::decode_internal {
namespace {

namespace dom = simdjson::dom;

// Larger inputs take the slow path: the thread's DOM parser keeps about
// 14 bytes per byte of the largest input it has seen, and admission objects
// are a few KB.
constexpr size_t kMaxFastBytes = 64 * 1024;

constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";

// Checks what the reader rejects and the DOM accepts: duplicate keys, and
// the depth, node and length limits, counted as TreeBuilder counts them
// (every value is a node; the root is at depth 1).
class ReaderRules {
 public:
  // Fills `filters` (DomTape::key_filters) as it goes.
  ReaderRules(const DomTape& tape, const Limits& limits, uint64_t* filters)
      : tape_(tape), limits_(limits), filters_(filters) {}

  // The root (at depth 1) is a map.
  bool Hold(size_t root) {
    return limits_.max_depth >= 1 && ++nodes_ <= limits_.max_nodes && Walk(root, 1) != 0;
  }

 private:
  static constexpr size_t kSmallObject = 16;  // larger objects have their keys sorted

  // The list or map at `i` (already counted) holds the rules: returns
  // DomTape::Next, or 0. Lengths and node counts come from the element
  // count simdjson keeps in each container's word, so only keys (for
  // duplicates and the key filters) and nested containers are visited.
  size_t Walk(size_t i, uint32_t depth) {
    const uint64_t word = tape_.words[i];
    const size_t end = static_cast<uint32_t>(word);                       // past the closing word
    const uint32_t count = static_cast<uint32_t>(word >> 32) & 0xFFFFFF;  // saturated
    if (count > limits_.max_list_length || count == 0xFFFFFF) return 0;
    if (count == 0) {
      filters_[i] = 0;  // an empty map has no keys to find
      return end;
    }
    // Every element is a node one level down.
    if (depth >= limits_.max_depth || (nodes_ += count) > limits_.max_nodes) return 0;
    const bool map = tape_.Type(i) == '{';
    const bool small = count <= kSmallObject;
    uint64_t seen = 0;  // the map's key filter
    for (size_t j = i + 1; j < end - 1;) {
      if (map) {
        if (!NewKey(i + 1, j, small, &seen)) return 0;
        ++j;  // the value follows its key
      }
      const char type = tape_.Type(j);
      j = type == '{' || type == '[' ? Walk(j, depth + 1) : tape_.Next(j);
      if (j == 0) return 0;
    }
    if (!map) return end;
    filters_[i] = seen;
    return small || SortedKeysUnique(i + 1, end - 1) ? end : 0;
  }

  // Adds the key at `key` to `seen`; in a small object, also checks that it
  // is not among the keys from `first`, comparing only when its bit is
  // already set, which distinct keys rarely share.
  bool NewKey(size_t first, size_t key, bool small, uint64_t* seen) const {
    std::string_view k = tape_.String(key);
    uint64_t bit = KeyBit(k);
    if (small && (*seen & bit) != 0)
      for (size_t j = first; j < key; j = tape_.Next(j + 1))
        if (tape_.String(j) == k) return false;
    *seen |= bit;
    return true;
  }

  bool SortedKeysUnique(size_t first, size_t end) const {
    std::vector<std::string_view> keys;
    for (size_t j = first; j < end; j = tape_.Next(j + 1)) keys.push_back(tape_.String(j));
    std::sort(keys.begin(), keys.end());
    return std::adjacent_find(keys.begin(), keys.end()) == keys.end();
  }

  const DomTape& tape_;
  const Limits& limits_;
  uint64_t* filters_;
  uint32_t nodes_ = 0;
};

}  // namespace

Value DomNode::ToValue(Arena& arena) const {
  Value v;
  switch (kind()) {
    case Value::Kind::kList:
      v.kind = Value::Kind::kList;
      for (DomNode item : items()) v.items.Append(arena, item.ToValue(arena));
      break;
    case Value::Kind::kMap:
      v.kind = Value::Kind::kMap;
      for (NodeMember<DomNode> m : members()) {
        Member member;
        member.key = m.key;
        member.value = m.value.ToValue(arena);
        v.members.Append(arena, member);
      }
      break;
    case Value::Kind::kString:
      v = Value::StringView(text());
      break;
    case Value::Kind::kBool:
      v = Value::Bool(boolean());
      break;
    case Value::Kind::kInt:
    case Value::Kind::kFloat:
      v.kind = kind();
      v.text = text();  // marks floats and 0 unsupported
      break;
    case Value::Kind::kNull:
      break;
  }
  return v;
}

bool FastJson::Parse(std::string_view bytes, const ReadOptions& options) {
  const Limits& limits = options.limits;
  if (options.format == Format::kYaml || bytes.size() > kMaxFastBytes ||
      bytes.size() > limits.max_bytes || limits.max_documents < 1 ||
      bytes.substr(0, kUtf8Bom.size()) == kUtf8Bom)
    return false;
  // The root must be an object; Format::kAuto reads other input as YAML.
  size_t first = bytes.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos || bytes[first] != '{') return false;

  thread_local dom::parser parser;
  if (parser.capacity() < bytes.size()) {
    // Grown in powers of two, so inputs of varying size settle quickly.
    size_t capacity = 4096;
    while (capacity < bytes.size()) capacity *= 2;
    if (parser.allocate(capacity) != simdjson::SUCCESS) return false;
  }
  char* input = context_.arena.AllocateArray<char>(bytes.size() + simdjson::SIMDJSON_PADDING);
  std::memcpy(input, bytes.data(), bytes.size());
  std::memset(input + bytes.size(), 0, simdjson::SIMDJSON_PADDING);
  if (parser.parse(input, bytes.size(), false).error() != simdjson::SUCCESS) return false;
  const uint64_t* tape = parser.doc.tape.get();
  // The root word (the first) holds the index of the last.
  const size_t tape_length = static_cast<uint32_t>(tape[0]) + 1;
  uint64_t* filters = context_.arena.AllocateArray<uint64_t>(tape_length);
  context_.tape = {tape, parser.doc.string_buf.get(), filters};
  if (!root().is_map() || !ReaderRules(context_.tape, limits, filters).Hold(1)) return false;
  source_ = options.source_name.empty() ? std::string_view("<input>") : options.source_name;
  return true;
}

std::string_view FastJson::kind() {
  DomNode kind = root().Find("kind");
  return kind && kind.is_string() ? kind.text() : std::string_view();
}

std::string_view FastJson::StringAt(std::initializer_list<std::string_view> path) {
  DomNode node = root();
  for (std::string_view key : path)
    if (!(node = node.Find(key))) return {};
  return node.is_string() ? node.text() : std::string_view();
}

template <class T>
bool FastJson::DecodeAs(T* out) {
  *out = T{};
  NoPath path;
  Decoder<DomNode> d(source_, context_.arena, path);
  return DecodeTree(d, root(), out).ok() && !context_.unsupported;
}

bool FastJson::Decode(AgentRun* out) { return DecodeAs(out); }
bool FastJson::Decode(PodObject* out) { return DecodeAs(out); }

}  // namespace sympozium::decode_internal
