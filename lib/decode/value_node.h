// The node interface the decoders are written against, so one decoder per
// type serves two trees: ValueNode (here) over the generic Value tree every
// reader produces, and DomNode (dom_node.h) over a simdjson DOM, which the
// JSON admission hot path decodes straight from.
//
// A node is a cheap handle, default-constructed as "absent" (what Find
// returns for a missing key):
//   explicit operator bool, kind(), is_null/is_map/is_list/is_string/
//   is_scalar(), plain(), boolean(), text(), Int(int64_t*), mark(),
//   Find(key), items() and members() (ranges of nodes and NodeMembers),
//   ToValue(arena) (the subtree as a Value, for what the model keeps
//   generically).
#ifndef SYMPOZIUM_LIB_DECODE_VALUE_NODE_H_
#define SYMPOZIUM_LIB_DECODE_VALUE_NODE_H_

#include <cstdint>
#include <string_view>

#include "absl/strings/numbers.h"
#include "lib/base/path.h"
#include "lib/base/value.h"

namespace sympozium::decode_internal {

// One member of a map node.
template <class N>
struct NodeMember {
  std::string_view key;
  N value;
  Mark key_mark;
};

class ValueNode {
 public:
  using PathType = Path;  // for error messages

  ValueNode() = default;
  explicit ValueNode(const Value& v) : v_(&v) {}

  explicit operator bool() const { return v_ != nullptr; }
  Value::Kind kind() const { return v_->kind; }
  bool is_null() const { return v_->is_null(); }
  bool is_map() const { return v_->is_map(); }
  bool is_list() const { return v_->is_list(); }
  bool is_string() const { return v_->is_string(); }
  bool is_scalar() const { return v_->is_scalar(); }
  bool plain() const { return v_->plain; }
  bool boolean() const { return v_->boolean; }
  std::string_view text() const { return v_->text; }
  Mark mark() const { return v_->mark; }

  // A kInt node's value; false when it does not fit in int64.
  bool Int(int64_t* out) const {
    return absl::SimpleAtoi(absl::string_view(v_->text.data(), v_->text.size()), out);
  }

  ValueNode Find(std::string_view key) const {
    const Value* v = v_->Find(key);
    return v != nullptr ? ValueNode(*v) : ValueNode();
  }

  // The tree already is Values: the subtree itself, shared.
  Value ToValue(Arena&) const { return *v_; }

  class ItemIterator {
   public:
    explicit ItemIterator(const Value* p) : p_(p) {}
    ValueNode operator*() const { return ValueNode(*p_); }
    ItemIterator& operator++() {
      ++p_;
      return *this;
    }
    bool operator!=(const ItemIterator& other) const { return p_ != other.p_; }

   private:
    const Value* p_;
  };
  class MemberIterator {
   public:
    explicit MemberIterator(const Member* p) : p_(p) {}
    NodeMember<ValueNode> operator*() const {
      return {p_->key, ValueNode(p_->value), p_->key_mark};
    }
    MemberIterator& operator++() {
      ++p_;
      return *this;
    }
    bool operator!=(const MemberIterator& other) const { return p_ != other.p_; }

   private:
    const Member* p_;
  };
  template <class It>
  struct Range {
    It b, e;
    It begin() const { return b; }
    It end() const { return e; }
  };
  Range<ItemIterator> items() const {
    return {ItemIterator(v_->items.begin()), ItemIterator(v_->items.end())};
  }
  Range<MemberIterator> members() const {
    return {MemberIterator(v_->members.begin()), MemberIterator(v_->members.end())};
  }

 private:
  const Value* v_ = nullptr;
};

}  // namespace sympozium::decode_internal

#endif  // SYMPOZIUM_LIB_DECODE_VALUE_NODE_H_
