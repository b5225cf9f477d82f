// YAML -> Value with yaml-cpp's event parser. Plain scalars are resolved the
// way Go's YAML 1.1 decoder (gopkg.in/yaml.v2, under sigs.k8s.io/yaml)
// resolves them, so `enabled: yes` is a bool and `port: 0x10` an int, as
// Kubernetes reads them. The tree is built from events, not from yaml-cpp's
// node graph, so limits apply while parsing: that graph costs ~200 bytes
// per node and would be built whole before any limit could refuse it.
#include <cerrno>
#include <cstdlib>
#include <sstream>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "lib/read/tree_builder.h"
#include "yaml-cpp/eventhandler.h"
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

Value ResolveScalar(const YAML::Mark& mark, const std::string& tag, const std::string& text,
                    Arena& arena) {
  Value v;
  v.mark = MarkOf(mark);
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

// `<<` written plain (or tagged !!merge) is a merge key; quoted, it is an
// ordinary key, as in Go's YAML decoder.
bool IsMergeKey(const std::string& tag, const std::string& text) {
  return text == "<<" && (tag == "?" || tag == "tag:yaml.org,2002:merge");
}

// Thrown from the handler to stop the parser at the first problem.
struct Stop {
  absl::Status status;
};

void Check(absl::Status s) {
  if (!s.ok()) throw Stop{std::move(s)};
}

// Builds one document's tree from parser events, checking every limit as
// nodes arrive.
class TreeHandler : public YAML::EventHandler {
 public:
  explicit TreeHandler(TreeBuilder& b) : b_(b) {}

  // The document's root; null for an empty document.
  const Value& root() const { return root_; }
  const YAML::Mark& start() const { return start_; }

  void OnDocumentStart(const YAML::Mark& mark) override {
    start_ = mark;
    root_ = Value();
    open_.clear();
    anchors_.clear();
  }
  void OnDocumentEnd() override {}

  void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    if (ExpectingKey()) Fail(mark, "map keys must be strings");
    Value v;
    v.mark = MarkOf(mark);
    Check(b_.Enter(Depth(), v.mark));
    Add(v, anchor);
  }

  void OnScalar(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                const std::string& text) override {
    Value v = ResolveScalar(mark, tag, text, b_.arena());
    // As written, which is what a key reads (ints are rewritten in decimal).
    std::string_view raw = v.text == text ? v.text : b_.arena().Copy(text);
    Anchor(anchor, v, true, raw);
    if (ExpectingKey()) {
      SetKey(raw, v.mark);
      open_.back().merge_pending = IsMergeKey(tag, text);
      return;
    }
    Check(b_.Enter(Depth(), v.mark));
    Add(v, YAML::NullAnchor);
  }

  void OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    if (anchor >= anchors_.size() || !anchors_[anchor].complete)
      Fail(mark, "an alias inside the node it refers to");
    const Value& target = anchors_[anchor].value;
    if (ExpectingKey()) {
      if (!target.is_scalar()) Fail(mark, "map keys must be strings");
      return SetKey(anchors_[anchor].raw, MarkOf(mark));
    }
    // Expanded into a copy, counted and depth-checked node by node, so an
    // alias costs what it expands to.
    Add(CopyChecked(target, Depth()), YAML::NullAnchor);
  }

  void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value) override {
    Start(mark, Value::EmptyList(), anchor);
  }
  void OnSequenceEnd() override { End(); }
  void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                  YAML::EmitterStyle::value) override {
    Start(mark, Value::EmptyMap(), anchor);
  }
  void OnMapEnd() override {
    Check(b_.FinishMap(open_.back().value));
    End();
  }

 private:
  struct Open {  // a collection being filled
    Value value;
    YAML::anchor_t anchor = YAML::NullAnchor;
    bool has_key = false;  // a map's key is read; its value comes next
    std::string_view key;
    Mark key_mark;
    bool merge_pending = false;  // that key is `<<`: its value is merged in
    // Kept once a map has had a merge: where each key is, and the keys only
    // a merge has set (an explicit key may replace those, not each other).
    bool indexed = false;
    absl::flat_hash_map<std::string_view, uint32_t> index;
    absl::flat_hash_set<std::string_view> merged;
  };
  struct Anchored {
    Value value;
    bool complete = false;
    std::string_view raw;  // a scalar as written (what a key reads)
  };

  [[noreturn]] void Fail(const YAML::Mark& mark, std::string_view message) {
    throw Stop{b_.Error(MarkOf(mark), message)};
  }
  uint32_t Depth() const { return static_cast<uint32_t>(open_.size()) + 1; }
  bool ExpectingKey() const {
    return !open_.empty() && open_.back().value.is_map() && !open_.back().has_key;
  }
  void SetKey(std::string_view key, Mark mark) {
    open_.back().has_key = true;
    open_.back().key = key;
    open_.back().key_mark = mark;
  }
  // A collection is anchored incomplete at its start, so an alias inside it
  // (a cycle) is caught.
  void Anchor(YAML::anchor_t anchor, const Value& v, bool complete, std::string_view raw = {}) {
    if (anchor == YAML::NullAnchor) return;
    if (anchors_.size() <= anchor) anchors_.resize(anchor + 1);
    anchors_[anchor] = {v, complete, raw};
  }

  void Start(const YAML::Mark& mark, Value v, YAML::anchor_t anchor) {
    if (ExpectingKey()) Fail(mark, "map keys must be strings");
    v.mark = MarkOf(mark);
    Check(b_.Enter(Depth(), v.mark));
    Anchor(anchor, v, false);
    Open open;
    open.value = v;
    open.anchor = anchor;
    open_.push_back(std::move(open));
  }
  void End() {
    Open done = std::move(open_.back());
    open_.pop_back();
    Add(done.value, done.anchor);
  }

  // Attaches a finished node to the collection being filled (or makes it
  // the root).
  void Add(const Value& v, YAML::anchor_t anchor) {
    Anchor(anchor, v, true);
    if (open_.empty()) {
      root_ = v;
      return;
    }
    Open& parent = open_.back();
    if (parent.value.is_list()) {
      Check(b_.CheckLength(parent.value.items.size() + 1, parent.value.mark));
      parent.value.items.Append(b_.arena(), v);
      return;
    }
    parent.has_key = false;
    if (parent.merge_pending) return Merge(parent, v);
    if (parent.indexed) return AddIndexed(parent, v);
    Check(b_.AddMember(parent.value, parent.key, v, parent.key_mark));
  }

  // `<<: map` or `<<: [map, ...]`, as Go's YAML decoder (under
  // sigs.k8s.io/yaml, what kubectl and the API server use) reads it: the
  // merged members are set in document order, so a later key (merged or
  // explicit) replaces an earlier one, and in a list the earlier maps win.
  void Merge(Open& parent, const Value& from) {
    parent.merge_pending = false;
    if (!parent.indexed) {
      for (uint32_t i = 0; i < parent.value.members.size(); ++i)
        parent.index.emplace(parent.value.members[i].key, i);
      parent.indexed = true;
    }
    bool maps = from.is_map() || from.is_list();
    for (const Value& item : from.items) maps = maps && item.is_map();
    if (!maps)
      throw Stop{
          b_.Error(parent.key_mark, "a merge key (<<) takes a map or a list of maps as its value")};
    if (from.is_map()) return MergeMembers(parent, from);
    for (size_t i = from.items.size(); i-- > 0;) MergeMembers(parent, from.items[i]);
  }
  void MergeMembers(Open& parent, const Value& from) {
    for (const Member& m : from.members) {
      auto [at, added] = parent.index.try_emplace(m.key, parent.value.members.size());
      if (!added) {
        parent.value.members[at->second].value = m.value;
        continue;
      }
      Check(b_.CheckLength(parent.value.members.size() + 1, m.key_mark));
      parent.value.members.Append(b_.arena(), m);
      parent.merged.insert(m.key);
    }
  }
  // An explicit key in a map that has had a merge: it replaces a merged
  // member; a second explicit key is still a duplicate.
  void AddIndexed(Open& parent, const Value& v) {
    auto at = parent.index.find(parent.key);
    if (at != parent.index.end() && parent.merged.erase(parent.key) > 0) {
      parent.value.members[at->second].value = v;
      return;
    }
    parent.index.emplace(parent.key, parent.value.members.size());
    Check(b_.AddMember(parent.value, parent.key, v, parent.key_mark));
  }

  Value CopyChecked(const Value& v, uint32_t depth) {
    Check(b_.Enter(depth, v.mark));
    Value out = v;
    out.items = {};
    out.members = {};
    for (const Value& item : v.items) out.items.Append(b_.arena(), CopyChecked(item, depth + 1));
    for (const Member& m : v.members) {
      Member copy = m;
      copy.value = CopyChecked(m.value, depth + 1);
      out.members.Append(b_.arena(), copy);
    }
    return out;
  }

  TreeBuilder& b_;
  YAML::Mark start_;
  Value root_;
  std::vector<Open> open_;
  std::vector<Anchored> anchors_;  // by anchor id, from 1, per document
};

// Whether the UTF-8 character at `i` is one YAML does not allow in a
// stream, and which (`*code_point`): C0 controls other than tab, LF and CR,
// DEL, C1 controls other than NEL, U+FEFF past the start, U+FFFE and U+FFFF
// (the printable set Go's YAML reader enforces). yaml-cpp would accept them,
// and reads a raw NUL as an escape. `bytes` is valid UTF-8, so a lead byte
// is followed by its continuation bytes.
bool Disallowed(std::string_view bytes, size_t i, uint32_t* code_point) {
  auto byte = [&](size_t k) { return static_cast<unsigned char>(bytes[k]); };
  unsigned char c = byte(i);
  if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7F) {
    *code_point = c;
  } else if (c == 0xC2 && byte(i + 1) < 0xA0 && byte(i + 1) != 0x85) {
    *code_point = byte(i + 1);
  } else if (c == 0xEF && byte(i + 1) == 0xBB && byte(i + 2) == 0xBF) {
    *code_point = 0xFEFF;
  } else if (c == 0xEF && byte(i + 1) == 0xBF && byte(i + 2) >= 0xBE) {
    *code_point = 0xFF00u | byte(i + 2);
  } else {
    return false;
  }
  return true;
}

absl::Status CheckCharacters(std::string_view bytes, const TreeBuilder& builder) {
  uint32_t code_point = 0;
  for (size_t i = 0; i < bytes.size(); ++i)
    if (Disallowed(bytes, i, &code_point))
      return builder.Error(MarkAt(bytes, i),
                           absl::StrFormat("character U+%04X is not allowed in YAML", code_point));
  return absl::OkStatus();
}

}  // namespace

absl::Status ReadYamlStream(std::string_view bytes, TreeBuilder& builder,
                            std::vector<Value>* roots) {
  if (absl::Status s = CheckCharacters(bytes, builder); !s.ok()) return s;
  std::istringstream in{std::string(bytes)};
  try {
    YAML::Parser parser(in);
    TreeHandler handler(builder);
    for (int last_start = -1; parser.HandleNextDocument(handler);) {
      // yaml-cpp 0.7 reads a stray ',' at the start of a document as an
      // empty document without moving on, forever.
      if (handler.start().pos == last_start) {
        size_t at = static_cast<size_t>(last_start);
        return builder.Error(
            MarkOf(handler.start()),
            absl::StrCat("YAML syntax error: cannot read past '",
                         std::string(at < bytes.size() ? bytes.substr(at, 1) : "?"), "'"));
      }
      last_start = handler.start().pos;
      if (handler.root().is_null()) continue;  // an empty document
      if (roots->size() >= builder.limits().max_documents)
        return builder.LimitError(handler.root().mark, "max_documents",
                                  builder.limits().max_documents, "stream has more documents than");
      roots->push_back(handler.root());
    }
  } catch (const Stop& stop) {
    return stop.status;
  } catch (const YAML::Exception& e) {
    return builder.Error(MarkOf(e.mark), absl::StrCat("YAML syntax error: ", e.msg));
  } catch (const std::exception& e) {  // yaml-cpp may throw others (e.g. bad_alloc)
    return builder.Error({}, absl::StrCat("YAML could not be read: ", e.what()));
  }
  return absl::OkStatus();
}

}  // namespace sympozium::read_internal
