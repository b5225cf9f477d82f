#include "tools/webhook/decision_log.h"

#include <cerrno>
#include <cstring>
#include <ctime>
#include <utility>

#include "sympozium/json.h"
#include "sympozium/strings.h"

namespace sympozium::webhook {
namespace {

// RFC 3339 in UTC with microseconds: 2026-12-03T06:01:02.123456Z.
std::string Rfc3339(std::chrono::system_clock::time_point time) {
  auto micros =
      std::chrono::duration_cast<std::chrono::microseconds>(time.time_since_epoch()).count();
  std::time_t seconds = static_cast<std::time_t>(micros / 1000000);
  std::tm tm;
  gmtime_r(&seconds, &tm);
  char stamp[40];
  size_t n = std::strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%S", &tm);
  std::snprintf(stamp + n, sizeof(stamp) - n, ".%06dZ", static_cast<int>(micros % 1000000));
  return stamp;
}

void Field(std::string* out, std::string_view name, std::string_view value) {
  StrAppend(out, ",\"", name, "\":");
  AppendJsonString(out, value);
}

// A string that is null when empty (a missing policy, a request without a
// namespace).
void OptionalField(std::string* out, std::string_view name, std::string_view value) {
  if (value.empty())
    StrAppend(out, ",\"", name, "\":null");
  else
    Field(out, name, value);
}

void AppendShadow(std::string* out, const ShadowOutcome& s) {
  *out += ",\"shadow\":{\"mode\":";
  AppendJsonString(out, ModeName(s.mode));
  StrAppend(out, ",\"allowed\":", s.allowed ? "true" : "false");
  Field(out, "result", ResultName(s.result));
  Field(out, "code", s.code);
  StrAppend(out, ",\"disagrees\":", s.disagrees ? "true" : "false", "}");
}

}  // namespace

std::string DecisionLogLine(const AdmissionResult& r, std::string_view endpoint,
                            std::chrono::system_clock::time_point time, int64_t latency_micros) {
  std::string out = "{\"time\":";
  AppendJsonString(&out, Rfc3339(time));
  Field(&out, "endpoint", endpoint);
  Field(&out, "uid", r.uid);
  Field(&out, "operation", r.operation);
  Field(&out, "kind", r.kind);
  OptionalField(&out, "namespace", r.namespace_);
  Field(&out, "name", r.name);
  Field(&out, "user", r.user);
  StrAppend(&out, ",\"allowed\":", r.allowed ? "true" : "false");
  Field(&out, "result", ResultName(r.result));
  Field(&out, "code", r.code);
  out += ",\"violations\":[";
  for (size_t i = 0; i < r.violations.size(); ++i) {
    if (i > 0) out += ',';
    AppendJsonString(&out, r.violations[i]);
  }
  out += ']';
  Field(&out, "message", r.message);
  Field(&out, "mode", ModeName(r.mode));
  Field(&out, "enforcement", EnforcementName(r.enforcement));
  OptionalField(&out, "policy", r.policy);
  StrAppend(&out, ",\"generation\":", r.generation, ",\"latencyMicros\":", latency_micros);
  if (r.shadow) AppendShadow(&out, *r.shadow);
  out += '}';
  return out;
}

DecisionLog::DecisionLog(std::string path, Metrics* metrics, size_t capacity)
    : path_(std::move(path)), metrics_(metrics), capacity_(capacity) {}

DecisionLog::~DecisionLog() { Stop(); }

bool DecisionLog::Start(std::string* error) {
  file_ = path_ == "-" ? stderr : std::fopen(path_.c_str(), "a");
  if (file_ == nullptr) {
    *error = StrCat("cannot open the decision log ", path_, ": ", std::strerror(errno));
    return false;
  }
  writer_ = std::thread([this] { Run(); });
  return true;
}

void DecisionLog::Submit(std::string line) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (queue_.size() < capacity_ && !stopping_) {
      queue_.push_back(std::move(line));
      wake_.notify_one();
      return;
    }
  }
  Drop(1);
}

void DecisionLog::Drop(uint64_t lines) { metrics_->ObserveDecisionLogDrops(lines); }

void DecisionLog::Run() {
  std::deque<std::string> batch;
  for (;;) {
    {
      std::unique_lock<std::mutex> lock(mu_);
      wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping, and everything written
      batch.swap(queue_);
    }
    // One write for the batch: a line is never split by another writer
    // of the same FILE (standard error is shared with the server's log).
    std::string text;
    for (const std::string& line : batch) StrAppend(&text, line, "\n");
    if (std::fwrite(text.data(), 1, text.size(), file_) != text.size() || std::fflush(file_) != 0) {
      Drop(batch.size());
      std::clearerr(file_);
    }
    batch.clear();
  }
}

void DecisionLog::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  wake_.notify_one();
  if (writer_.joinable()) writer_.join();
  if (file_ != nullptr && file_ != stderr) std::fclose(file_);
  file_ = nullptr;
}

}  // namespace sympozium::webhook
