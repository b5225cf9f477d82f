// Arena and List: the memory that parsed documents live in.
//
// A parsed document (its generic tree and the typed model decoded from it)
// is plain data: string_views and Lists pointing into one Arena. Parsing
// allocates by bumping a pointer, and the whole document is freed at once
// when its Arena goes away, so the admission hot path makes no per-field
// heap allocations.
#ifndef SYMPOZIUM_LIB_BASE_ARENA_H_
#define SYMPOZIUM_LIB_BASE_ARENA_H_

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <new>
#include <string_view>
#include <type_traits>

namespace sympozium {

class Arena {
 public:
  Arena() = default;
  Arena(const Arena&) = delete;
  Arena& operator=(const Arena&) = delete;
  ~Arena() {
    FreeBlocks(blocks_);
    FreeBlocks(spare_);
  }

  // Bump allocation: the fast path is a pointer increment, inlined.
  void* Allocate(size_t bytes, size_t align) {
    size_t pad = static_cast<size_t>(-reinterpret_cast<uintptr_t>(ptr_)) & (align - 1);
    if (bytes + pad > static_cast<size_t>(end_ - ptr_)) return AllocateSlow(bytes, align);
    char* p = ptr_ + pad;
    ptr_ = p + bytes;
    return p;
  }

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

  // Frees everything at once. The largest block (up to kMaxSpare bytes) is
  // kept, so an arena reused for inputs of one size stops calling malloc.
  void Reset() {
    Block* keep = blocks_;  // the newest block in use is the largest
    if (spare_ != nullptr && (keep == nullptr || spare_->size > keep->size)) keep = spare_;
    if (keep != nullptr && keep->size > kMaxSpare) keep = nullptr;
    for (Block* list : {blocks_, spare_}) {
      while (list != nullptr) {
        Block* next = list->next;
        if (list != keep) Free(list);
        list = next;
      }
    }
    if (keep != nullptr) keep->next = nullptr;
    spare_ = keep;
    blocks_ = nullptr;
    ptr_ = reinterpret_cast<char*>(initial_);
    end_ = ptr_ + sizeof(initial_);
  }

  // Bytes this arena holds: itself (with its first block) and its heap
  // blocks, used or not.
  size_t MemoryUsage() const { return sizeof(*this) + heap_bytes_; }

 private:
  // Heap blocks start with this header; the newest block is first.
  struct Block {
    Block* next;
    size_t size;  // including the header
  };
  static constexpr size_t kMinBlock = 8192;
  static constexpr size_t kMaxSpare = 256 * 1024;

  // Starts a new block, twice the last one or big enough for `bytes`.
  void* AllocateSlow(size_t bytes, size_t align) {
    size_t need = sizeof(Block) + bytes + align;
    Block* block;
    if (spare_ != nullptr && spare_->size >= need) {
      block = spare_;
      spare_ = nullptr;
    } else {
      size_t size = blocks_ != nullptr ? 2 * blocks_->size : kMinBlock;
      if (size < need) size = need;
      block = static_cast<Block*>(::operator new(size));
      block->size = size;
      heap_bytes_ += size;
    }
    block->next = blocks_;
    blocks_ = block;
    ptr_ = reinterpret_cast<char*>(block + 1);
    end_ = reinterpret_cast<char*>(block) + block->size;
    return Allocate(bytes, align);
  }

  void Free(Block* block) {
    heap_bytes_ -= block->size;
    ::operator delete(block);
  }
  void FreeBlocks(Block* list) {
    while (list != nullptr) {
      Block* next = list->next;
      Free(list);
      list = next;
    }
  }

  alignas(std::max_align_t) unsigned char initial_[4096];
  char* ptr_ = reinterpret_cast<char*>(initial_);
  char* end_ = reinterpret_cast<char*>(initial_) + sizeof(initial_);
  Block* blocks_ = nullptr;  // in use
  Block* spare_ = nullptr;   // kept by Reset for the next use
  size_t heap_bytes_ = 0;
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

#endif  // SYMPOZIUM_LIB_BASE_ARENA_H_
