// Arena and List: the memory that parsed documents live in.
//
// A parsed document (its generic tree and the typed model decoded from it)
// is plain data: string_views and Lists pointing into one Arena. Parsing
// allocates by bumping a pointer, and the whole document is freed at once
// when its Arena goes away, so the admission hot path makes no per-field
// heap allocations.
#ifndef SYMPOZIUM_ARENA_H_
#define SYMPOZIUM_ARENA_H_

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory_resource>
#include <string_view>
#include <type_traits>

namespace sympozium {

class Arena {
 public:
  Arena() : resource_(initial_, sizeof(initial_)) {}
  Arena(const Arena&) = delete;
  Arena& operator=(const Arena&) = delete;

  void* Allocate(size_t bytes, size_t align) { return resource_.allocate(bytes, align); }

  template <class T>
  T* AllocateArray(size_t n) {
    static_assert(std::is_trivially_destructible_v<T>, "arena objects are never destroyed");
    return static_cast<T*>(Allocate(n * sizeof(T), alignof(T)));
  }

  // Copies `s` into the arena; the result lives as long as the arena.
  std::string_view Copy(std::string_view s) {
    if (s.empty()) return {};
    char* p = AllocateArray<char>(s.size());
    std::memcpy(p, s.data(), s.size());
    return {p, s.size()};
  }

  // Frees everything at once and keeps the first block for reuse.
  void Reset() { resource_.release(); }

 private:
  alignas(std::max_align_t) unsigned char initial_[4096];
  std::pmr::monotonic_buffer_resource resource_;
};

// A growable array of plain data whose storage comes from an Arena. It holds
// no allocator, so it can sit inside other arena data; whoever appends passes
// the arena. Copying a List copies the view, not the elements.
template <class T>
class List {
 public:
  using value_type = T;
  using const_iterator = const T*;

  const T* begin() const { return data_; }
  const T* end() const { return data_ + size_; }
  T* begin() { return data_; }
  T* end() { return data_ + size_; }
  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  const T& operator[](size_t i) const { return data_[i]; }
  T& operator[](size_t i) { return data_[i]; }
  const T& back() const { return data_[size_ - 1]; }

  void Erase(size_t i) {
    std::memmove(static_cast<void*>(data_ + i), data_ + i + 1, (size_ - i - 1) * sizeof(T));
    --size_;
  }

  T& Append(Arena& arena, const T& value = T()) {
    if (size_ == capacity_) Grow(arena);
    data_[size_] = value;
    return data_[size_++];
  }

 private:
  void Grow(Arena& arena) {
    // Checked here, not at class scope, so a List can name an incomplete type.
    static_assert(std::is_trivially_copyable_v<T> && std::is_trivially_destructible_v<T>,
                  "List elements must be plain data");
    uint32_t capacity = capacity_ == 0 ? 4 : capacity_ * 2;
    T* data = arena.AllocateArray<T>(capacity);
    if (size_ != 0) std::memcpy(static_cast<void*>(data), data_, size_ * sizeof(T));
    data_ = data;
    capacity_ = capacity;
  }

  T* data_ = nullptr;
  uint32_t size_ = 0;
  uint32_t capacity_ = 0;
};

}  // namespace sympozium

#endif  // SYMPOZIUM_ARENA_H_
