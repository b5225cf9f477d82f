// DecisionLog: one JSON line per AdmissionReview answered, written by a
// thread of its own so an answer never waits on the log's file. The line
// schema is in README.md ("Decision log") and docs/admission.md.
//
// Handlers Submit a line and go on: it joins a bounded queue, which the
// writer drains in batches. When the queue is full (the sink is slower than
// the requests) or a write fails, lines are dropped and counted
// (sympozium_webhook_decision_log_dropped_total): an answer is never held
// up for the log, so the log may miss lines but never delays admission.
#ifndef SYMPOZIUM_TOOLS_WEBHOOK_DECISION_LOG_H_
#define SYMPOZIUM_TOOLS_WEBHOOK_DECISION_LOG_H_

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <cstdio>
#include <deque>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>

#include "sympozium/admission.h"
#include "tools/webhook/metrics.h"

namespace sympozium::webhook {

// The log line of one answered review (no trailing newline). `endpoint` is
// "/validate" or "/mutate"; `time` when the request was answered.
std::string DecisionLogLine(const AdmissionResult& result, std::string_view endpoint,
                            std::chrono::system_clock::time_point time, int64_t latency_micros);

class DecisionLog {
 public:
  static constexpr size_t kDefaultCapacity = 4096;  // lines waiting for the writer

  // Appends to the file at `path`, or writes to standard error for "-".
  // Drops are counted in `metrics` (which must outlive this).
  DecisionLog(std::string path, Metrics* metrics, size_t capacity = kDefaultCapacity);
  ~DecisionLog();  // Stop()s
  DecisionLog(const DecisionLog&) = delete;
  DecisionLog& operator=(const DecisionLog&) = delete;

  // Opens the sink and starts the writer; false (with *error) if the file
  // cannot be opened.
  bool Start(std::string* error);
  // Queues one line; drops (and counts) it when the queue is full. Safe from
  // any thread; never waits for a write.
  void Submit(std::string line);
  // Writes what is queued, then stops the writer.
  void Stop();

 private:
  void Run();
  void Drop(uint64_t lines);

  const std::string path_;
  Metrics* const metrics_;
  const size_t capacity_;
  std::FILE* file_ = nullptr;
  std::thread writer_;
  std::mutex mu_;
  std::condition_variable wake_;
  std::deque<std::string> queue_;  // guarded by mu_
  bool stopping_ = false;          // guarded by mu_
};

}  // namespace sympozium::webhook

#endif  // SYMPOZIUM_TOOLS_WEBHOOK_DECISION_LOG_H_
