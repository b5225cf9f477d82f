// Reflector: keeps one resource (a plural of sympozium.ai/v1alpha1, in one
// namespace or all) of a ClusterStore in step with the API server, as
// client-go's reflector does:
//
//   - LIST, paginated (limit, continue), then the listed objects replace the
//     store's objects of that kind and namespace in one change (objects
//     deleted meanwhile disappear);
//   - WATCH from the list's metadata.resourceVersion with
//     allowWatchBookmarks=true; ADDED and MODIFIED upsert, DELETED removes,
//     BOOKMARK moves the resourceVersion on, in order;
//   - 410 Gone (the HTTP status, or an ERROR event whose Status has code
//     410) relists; a stream that ends, drops or stalls is watched again from
//     the last resourceVersion seen; failures back off exponentially (capped,
//     jittered) before the next attempt.
#ifndef SYMPOZIUM_TOOLS_WEBHOOK_KUBE_REFLECTOR_H_
#define SYMPOZIUM_TOOLS_WEBHOOK_KUBE_REFLECTOR_H_

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <random>
#include <string>
#include <thread>

#include "absl/status/status.h"
#include "sympozium/cluster_store.h"
#include "tools/webhook/kube/api_client.h"

namespace sympozium::webhook::kube {

struct Resource {
  std::string plural;  // sympoziumpolicies, agents, skillpacks
  std::string kind;    // SympoziumPolicy, Agent, SkillPack
  std::string ns;      // "": every namespace
};

struct ReflectorOptions {
  std::chrono::milliseconds backoff_initial{200};
  std::chrono::milliseconds backoff_max{30000};
  std::chrono::seconds stall{90};  // no byte (nor bookmark) for this long: re-watch
  int page_size = 500;
  int watch_timeout_seconds = 300;  // the server ends each watch after this; re-watched at once
  size_t max_bytes = 8u << 20;      // one list page, one watch event
};

class Reflector {
 public:
  using Logger = std::function<void(const std::string&)>;

  // `on_change` runs after every change the reflector makes to `store`.
  Reflector(ApiClient* client, Resource resource, ClusterStore* store, ReflectorOptions options,
            Logger log, std::function<void()> on_change);
  ~Reflector();

  void Start();
  void Stop();

  const Resource& resource() const { return resource_; }
  // True once the first LIST has completed (and stays so).
  bool synced() const { return synced_.load(); }
  uint64_t lists() const { return lists_.load(); }
  uint64_t watch_restarts() const { return watch_restarts_.load(); }
  uint64_t relists_410() const { return relists_410_.load(); }
  // Seconds since the last event or bookmark (or the last LIST); -1 before
  // the first.
  double SecondsSinceLastEvent() const;

 private:
  enum class WatchEnd { kRewatch, kRelist, kFailed };

  void Run();
  absl::Status List();
  WatchEnd Watch();
  // Applies one watch line; false (with *end) when the watch must end.
  bool ApplyEvent(std::string_view line, WatchEnd* end);
  void Touch();
  // Waits the next backoff delay (or until Stop); false when stopping.
  bool Backoff();
  void ResetBackoff() { backoff_step_ = 0; }

  std::string CollectionPath() const;
  std::string Describe() const;

  ApiClient* const client_;
  const Resource resource_;
  ClusterStore* const store_;
  const ReflectorOptions options_;
  const Logger log_;
  const std::function<void()> on_change_;

  std::string resource_version_;  // the Run thread's
  int backoff_step_ = 0;          // the Run thread's
  std::mt19937 jitter_;           // the Run thread's

  std::atomic<bool> stop_{false};
  std::atomic<bool> synced_{false};
  std::atomic<uint64_t> lists_{0};
  std::atomic<uint64_t> watch_restarts_{0};
  std::atomic<uint64_t> relists_410_{0};
  std::atomic<int64_t> last_event_ns_{0};  // steady clock; 0: none yet
  std::mutex mu_;
  std::condition_variable wake_;
  std::thread thread_;
};

}  // namespace sympozium::webhook::kube

#endif  // SYMPOZIUM_TOOLS_WEBHOOK_KUBE_REFLECTOR_H_
