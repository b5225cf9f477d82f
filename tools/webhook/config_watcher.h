// ConfigWatcher: keeps a PolicyStore in step with the files under --config.
//
// A background thread looks at the files every poll interval (path, inode,
// size and mtime of every file LoadPolicySet would read, symlinks followed)
// and reloads when anything changed, or at once when asked (SIGHUP). Polling
// rather than inotify keeps one code path for plain directories and for
// Kubernetes ConfigMap volumes, whose update swaps a `..data` symlink so that
// every visible file changes at once (the new target has a new inode).
//
// A load builds the whole new set off to the side and swaps it in; requests
// in flight keep the set they started with. A load that fails (a YAML error,
// an invalid policy) keeps the current set, logs one line naming the file
// and line, and is not retried until the files change again.
#ifndef SYMPOZIUM_TOOLS_WEBHOOK_CONFIG_WATCHER_H_
#define SYMPOZIUM_TOOLS_WEBHOOK_CONFIG_WATCHER_H_

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "sympozium/policy_store.h"
#include "sympozium/read.h"
#include "tools/webhook/metrics.h"

namespace sympozium::webhook {

class ConfigWatcher {
 public:
  using Logger = std::function<void(const std::string&)>;

  // `poll` of zero: no polling, reload only when asked. A load with a
  // policy that does not compile in `serving_mode` fails (the old set stays).
  ConfigWatcher(std::vector<std::string> paths, ReadOptions read, std::chrono::milliseconds poll,
                PolicyStore* store, Metrics* metrics, Logger log,
                Mode serving_mode = Mode::kCompat);
  ~ConfigWatcher();

  // Loads now, on the calling thread (before Start). False if it failed.
  bool LoadNow();
  void Start();
  // Reloads soon even if no file looks changed (SIGHUP).
  void RequestReload();
  void Stop();

 private:
  void Run();
  bool Reload(bool forced);
  std::string Fingerprint() const;

  const std::vector<std::string> paths_;
  const ReadOptions read_;
  const Mode serving_mode_;
  const std::chrono::milliseconds poll_;
  PolicyStore* const store_;
  Metrics* const metrics_;
  const Logger log_;

  std::string last_fingerprint_;  // of the last load attempted; the watcher thread's
  std::mutex mu_;
  std::condition_variable wake_;
  bool stop_ = false;
  bool reload_requested_ = false;
  std::thread thread_;
};

}  // namespace sympozium::webhook

#endif  // SYMPOZIUM_TOOLS_WEBHOOK_CONFIG_WATCHER_H_
