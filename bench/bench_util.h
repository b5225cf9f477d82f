// Inputs shared by the benchmark families: the files in bench/data and
// tests/shared/fixtures, and generated policies for the scaling runs.
#ifndef SYMPOZIUM_BENCH_BENCH_UTIL_H_
#define SYMPOZIUM_BENCH_BENCH_UTIL_H_

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "lib/read/document.h"
#include "sympozium/policy.h"

namespace sympozium::bench {

// A benchmark input that is missing is a broken checkout, not a result.
[[noreturn]] inline void Die(const std::string& what) {
  std::fprintf(stderr, "sympozium_bench: %s\n", what.c_str());
  std::exit(2);
}

template <class T>
T Check(absl::StatusOr<T> v, const std::string& what) {
  if (!v.ok()) Die(what + ": " + std::string(v.status().message()));
  return *std::move(v);
}

// bench/data/<name>
inline std::string BenchData(const std::string& name) {
  return Check(ReadFile(std::string(SYMPOZIUM_BENCH_DATA) + "/" + name), name);
}

// tests/shared/<rel>
inline std::string TestData(const std::string& rel) {
  return Check(ReadFile(std::string(SYMPOZIUM_TEST_DATA) + "/" + rel), rel);
}

inline PolicyPtr MustPreset(std::string_view name) {
  return Check(Preset(name), "preset " + std::string(name));
}

inline PolicyPtr MustCompile(std::string_view bytes) {
  return Check(CompilePolicy(bytes), "policy");
}

// Replaces every occurrence of `from` (which must occur) in `text`.
inline std::string Replace(std::string text, std::string_view from, std::string_view to) {
  size_t at = text.find(from);
  if (at == std::string::npos) Die("bench input lacks \"" + std::string(from) + "\"");
  for (; at != std::string::npos; at = text.find(from, at + to.size()))
    text.replace(at, from.size(), to);
  return text;
}

// The restrictive preset as JSON, named `name` in namespace `ns` ("" for
// none), with its tool rules and allowed registries
// replaced (an empty list keeps the preset's), for the scaling families.
std::string RestrictivePolicyJson(std::string_view name, std::string_view ns,
                                  const std::vector<std::string>& tools,
                                  const std::vector<std::string>& registries);

// The heap a piece of code leaves behind: the usable bytes of the blocks it
// allocates minus those of the blocks it frees (bench_util.cc replaces the
// global operator new and delete to count them), to check that the
// libraries' MemoryUsage() counts what is really held.
class HeapGrowth {
 public:
  HeapGrowth();
  ~HeapGrowth();
  int64_t bytes() const;
  int64_t allocations() const;  // operator new calls
};

}  // namespace sympozium::bench

#endif  // SYMPOZIUM_BENCH_BENCH_UTIL_H_
