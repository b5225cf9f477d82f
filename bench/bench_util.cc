#include "bench/bench_util.h"

#include <malloc.h>

#include <cstdlib>
#include <new>

#include "lib/write/write.h"

namespace {
// Counting is on only inside a HeapGrowth, so timed code pays one branch.
bool counting = false;
int64_t counted = 0;
int64_t allocated_blocks = 0;
}  // namespace

// The other forms of new and delete (array, nothrow, sized) call these.
void* operator new(size_t n) {
  void* p = std::malloc(n != 0 ? n : 1);
  if (p == nullptr) throw std::bad_alloc();
  if (counting) {
    counted += static_cast<int64_t>(malloc_usable_size(p));
    ++allocated_blocks;
  }
  return p;
}
void operator delete(void* p) noexcept {
  if (counting && p != nullptr) counted -= static_cast<int64_t>(malloc_usable_size(p));
  std::free(p);
}
void operator delete(void* p, size_t) noexcept { operator delete(p); }

namespace sympozium::bench {

HeapGrowth::HeapGrowth() {
  counted = 0;
  allocated_blocks = 0;
  counting = true;
}
HeapGrowth::~HeapGrowth() { counting = false; }
int64_t HeapGrowth::bytes() const { return counted; }
int64_t HeapGrowth::allocations() const { return allocated_blocks; }

std::string RestrictivePolicyJson(std::string_view name, std::string_view ns,
                                  const std::vector<std::string>& tools,
                                  const std::vector<std::string>& registries) {
  std::string_view yaml;
  for (const PresetInfo& p : Presets())
    if (p.name == "restrictive") yaml = p.yaml;
  Document doc = Check(ReadDocument(yaml), "restrictive preset");
  Arena& arena = doc.arena();
  Value& root = doc.mutable_root();
  Value metadata = Value::EmptyMap();
  metadata.Set(arena, "name", Value::String(arena, name));
  if (!ns.empty()) metadata.Set(arena, "namespace", Value::String(arena, ns));
  root.Set(arena, "metadata", metadata);
  Value& spec = *root.FindMutable("spec");
  if (!tools.empty()) {
    // Actions cycle allow, deny, ask so every kind of answer is in the table.
    static constexpr std::string_view kActions[] = {"allow", "deny", "ask"};
    Value rules = Value::EmptyList();
    for (size_t i = 0; i < tools.size(); ++i) {
      Value rule = Value::EmptyMap();
      rule.Set(arena, "tool", Value::String(arena, tools[i]));
      rule.Set(arena, "action", Value::String(arena, kActions[i % 3]));
      rules.Push(arena, rule);
    }
    spec.FindMutable("toolGating")->Set(arena, "rules", rules);
  }
  if (!registries.empty()) {
    Value list = Value::EmptyList();
    for (const std::string& r : registries) list.Push(arena, Value::String(arena, r));
    spec.FindMutable("imagePolicy")->Set(arena, "allowedRegistries", list);
  }
  return ToJson(root);
}

}  // namespace sympozium::bench
