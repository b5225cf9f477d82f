// Path: the document path of the value being looked at, kept as segments
// while walking a tree and rendered only when a message needs it:
// `spec.toolGating.rules[2].action`, `spec.env.PATH`,
// `metadata.labels["sympozium.ai/role"]`.
#ifndef SYMPOZIUM_LIB_BASE_PATH_H_
#define SYMPOZIUM_LIB_BASE_PATH_H_

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace sympozium {

class Path {
 public:
  // Decoding walks about ten levels deep: one allocation, not five regrowths.
  Path() { segments_.reserve(16); }
  explicit Path(std::string_view prefix) : Path() {
    if (!prefix.empty()) PushRaw(prefix);
  }

  void PushKey(std::string_view key) { segments_.push_back({key, kKey, 0}); }
  void PushIndex(size_t index) { segments_.push_back({{}, kIndex, index}); }
  // A pre-rendered path such as "spec.template.spec".
  void PushRaw(std::string_view rendered) { segments_.push_back({rendered, kRaw, 0}); }
  void Pop() { segments_.pop_back(); }

  std::string ToString() const;

  // `Path::Scope s(path, "spec");` pushes for the lifetime of s.
  class Scope {
   public:
    Scope(Path& path, std::string_view key) : path_(path) { path_.PushKey(key); }
    Scope(Path& path, size_t index) : path_(path) { path_.PushIndex(index); }
    ~Scope() { path_.Pop(); }
    Scope(const Scope&) = delete;
    Scope& operator=(const Scope&) = delete;

   private:
    Path& path_;
  };

 private:
  enum Kind { kKey, kIndex, kRaw };
  struct Segment {
    std::string_view key;
    Kind kind;
    size_t index;
  };
  std::vector<Segment> segments_;
};

// Appends `.key` (or `["key"]` when key is not a plain identifier) to out.
void AppendPathKey(std::string* out, std::string_view key);

}  // namespace sympozium

#endif  // SYMPOZIUM_LIB_BASE_PATH_H_
