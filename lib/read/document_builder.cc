// DocumentBuilder (sympozium/build.h): a tree from calls instead of text,
// through the readers' TreeBuilder, so limits, duplicate keys and their
// messages are those of reading.
#include "sympozium/build.h"

#include <charconv>
#include <cmath>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "lib/base/value.h"
#include "lib/read/document.h"
#include "lib/read/tree_builder.h"
#include "simdjson.h"

namespace sympozium {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// JSON's number grammar: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?.
// Sets `*integer` when there is neither fraction nor exponent.
bool IsJsonNumber(std::string_view t, bool* integer) {
  size_t i = 0;
  auto digits = [&] {
    size_t start = i;
    while (i < t.size() && IsDigit(t[i])) ++i;
    return i - start;
  };
  if (i < t.size() && t[i] == '-') ++i;
  size_t first = i;
  size_t integer_digits = digits();
  if (integer_digits == 0 || (integer_digits > 1 && t[first] == '0')) return false;
  *integer = true;
  if (i < t.size() && t[i] == '.') {
    ++i;
    *integer = false;
    if (digits() == 0) return false;
  }
  if (i < t.size() && (t[i] == 'e' || t[i] == 'E')) {
    ++i;
    *integer = false;
    if (i < t.size() && (t[i] == '+' || t[i] == '-')) ++i;
    if (digits() == 0) return false;
  }
  return i == t.size();
}

std::string FloatText(double value) {
  if (std::isnan(value)) return ".nan";
  if (std::isinf(value)) return value < 0 ? "-.inf" : ".inf";
  char buffer[32];
  std::to_chars_result r = std::to_chars(buffer, buffer + sizeof(buffer), value);
  std::string text(buffer, r.ptr);
  if (text.find_first_of(".e") == std::string::npos) text += ".0";
  return text;
}

}  // namespace

class DocumentBuilder::Impl {
 public:
  explicit Impl(const ReadOptions& options)
      : options_(options), arena_(std::make_shared<Arena>()), builder_(*arena_, options_) {}

  // Runs `step` unless an earlier call failed; keeps its error.
  template <class Step>
  absl::Status Run(Step&& step) {
    if (status_.ok()) status_ = step();
    return status_;
  }

  absl::Status Open(Value container) {
    if (absl::Status s = Enter(); !s.ok()) return s;
    open_.push_back({container, {}, false});
    return absl::OkStatus();
  }

  absl::Status Close() {
    if (open_.empty()) return builder_.Error({}, "End without an open map or list");
    Frame frame = open_.back();
    open_.pop_back();
    if (frame.keyed) return NoValue(frame.key);
    if (frame.node.is_map())
      if (absl::Status s = builder_.FinishMap(frame.node); !s.ok()) return s;
    return Attach(frame.node);
  }

  absl::Status Key(std::string_view key) {
    if (open_.empty() || !open_.back().node.is_map())
      return builder_.Error({}, "Key outside a map");
    if (open_.back().keyed)
      return builder_.Error(
          {}, absl::StrCat("key \"", std::string(open_.back().key), "\" has no value"));
    if (absl::Status s = CheckText(key); !s.ok()) return s;
    open_.back().key = arena_->Copy(key);
    open_.back().keyed = true;
    return absl::OkStatus();
  }

  absl::Status Scalar(Value v) {
    if (absl::Status s = Enter(); !s.ok()) return s;
    if (absl::Status s = CheckText(v.text); !s.ok()) return s;
    v.text = arena_->Copy(v.text);
    return Attach(v);
  }

  absl::Status Number(std::string_view text) {
    bool integer = false;
    if (!IsJsonNumber(text, &integer))
      return builder_.Error({}, absl::StrCat("\"", std::string(text), "\" is not a number"));
    return Plain(integer ? Value::Kind::kInt : Value::Kind::kFloat, text);
  }

  absl::Status Plain(Value::Kind kind, std::string_view text) {
    Value v;
    v.kind = kind;
    v.plain = true;
    v.text = text;
    return Scalar(v);
  }

  absl::StatusOr<Document> Finish() {
    if (!status_.ok()) return status_;
    status_ = absl::FailedPreconditionError("DocumentBuilder: Finish was called already");
    if (!done_) return builder_.Error({}, "the document's root is not closed");
    if (!root_.is_map())
      return builder_.Error({}, absl::StrCat("expected a Kubernetes object (a mapping), got ",
                                             root_.is_list() ? "a list" : "a scalar"));
    return MakeDocument(arena_, root_, options_.source_name);
  }

 private:
  struct Frame {
    Value node;  // a map or a list
    std::string_view key;
    bool keyed;  // `key` waits for its value
  };

  absl::Status NoValue(std::string_view key) const {
    return builder_.Error({}, absl::StrCat("key \"", std::string(key), "\" has no value"));
  }

  // Counts a node about to be added where it goes.
  absl::Status Enter() {
    if (done_) return builder_.Error({}, "the document already has its root");
    if (!open_.empty() && open_.back().node.is_map() && !open_.back().keyed)
      return builder_.Error({}, "a value in a map needs its Key first");
    // The root is at depth 1, as in the readers.
    return builder_.Enter(static_cast<uint32_t>(open_.size() + 1), Mark{});
  }

  // UTF-8, and the bytes of every key and scalar within max_bytes.
  absl::Status CheckText(std::string_view text) {
    if (!simdjson::validate_utf8(text.data(), text.size()))
      return builder_.Error({}, "text is not valid UTF-8");
    bytes_ += text.size();
    if (bytes_ > options_.limits.max_bytes)
      return builder_.LimitError({}, "max_bytes", options_.limits.max_bytes,
                                 "document text is longer than");
    return absl::OkStatus();
  }

  absl::Status Attach(const Value& v) {
    if (open_.empty()) {
      root_ = v;
      done_ = true;
      return absl::OkStatus();
    }
    Frame& parent = open_.back();
    if (parent.node.is_map()) {
      parent.keyed = false;
      return builder_.AddMember(parent.node, parent.key, v, Mark{});
    }
    if (absl::Status s = builder_.CheckLength(parent.node.items.size() + 1, Mark{}); !s.ok())
      return s;
    parent.node.Push(*arena_, v);
    return absl::OkStatus();
  }

  const ReadOptions options_;
  std::shared_ptr<Arena> arena_;
  read_internal::TreeBuilder builder_;
  std::vector<Frame> open_;
  Value root_;
  bool done_ = false;
  size_t bytes_ = 0;
  absl::Status status_;
};

DocumentBuilder::DocumentBuilder(const ReadOptions& options)
    : impl_(std::make_unique<Impl>(options)) {}
DocumentBuilder::~DocumentBuilder() = default;

absl::Status DocumentBuilder::BeginMap() {
  return impl_->Run([&] { return impl_->Open(Value::EmptyMap()); });
}
absl::Status DocumentBuilder::BeginList() {
  return impl_->Run([&] { return impl_->Open(Value::EmptyList()); });
}
absl::Status DocumentBuilder::End() {
  return impl_->Run([&] { return impl_->Close(); });
}
absl::Status DocumentBuilder::Key(std::string_view key) {
  return impl_->Run([&] { return impl_->Key(key); });
}
absl::Status DocumentBuilder::String(std::string_view value) {
  return impl_->Run([&] { return impl_->Scalar(Value::StringView(value)); });
}
absl::Status DocumentBuilder::Integer(int64_t value) {
  std::string text = std::to_string(value);
  return impl_->Run([&] { return impl_->Plain(Value::Kind::kInt, text); });
}
absl::Status DocumentBuilder::Number(double value) {
  std::string text = FloatText(value);
  return impl_->Run([&] { return impl_->Plain(Value::Kind::kFloat, text); });
}
absl::Status DocumentBuilder::Number(std::string_view text) {
  return impl_->Run([&] { return impl_->Number(text); });
}
absl::Status DocumentBuilder::Bool(bool value) {
  return impl_->Run([&] {
    Value v = Value::Bool(value);
    v.plain = true;
    return impl_->Scalar(v);
  });
}
absl::Status DocumentBuilder::Null() {
  return impl_->Run([&] { return impl_->Scalar(Value::Null()); });
}
absl::StatusOr<Document> DocumentBuilder::Finish() { return impl_->Finish(); }

}  // namespace sympozium
