// What the stress tests share: the iteration count from the environment, and
// the first of many threads' failures (doctest checks cannot run off the
// main thread, so readers record and the main thread checks after joining).
#ifndef SYMPOZIUM_TESTS_STRESS_STRESS_UTIL_H_
#define SYMPOZIUM_TESTS_STRESS_STRESS_UTIL_H_

#include <atomic>
#include <cstdlib>
#include <mutex>
#include <string>
#include <utility>

namespace sympozium {

inline int EnvInt(const char* name, int fallback) {
  const char* v = std::getenv(name);
  return v != nullptr && *v != '\0' ? std::atoi(v) : fallback;
}

class FirstFailure {
 public:
  void Record(std::string what) {
    if (count_.fetch_add(1) != 0) return;
    std::lock_guard<std::mutex> lock(mu_);
    first_ = std::move(what);
  }
  long count() const { return count_.load(); }
  // Read once every recording thread has been joined.
  const std::string& first() const { return first_; }

 private:
  std::atomic<long> count_{0};
  std::mutex mu_;
  std::string first_;
};

}  // namespace sympozium

#endif  // SYMPOZIUM_TESTS_STRESS_STRESS_UTIL_H_
