#include "tools/webhook/config_watcher.h"

#include <sys/stat.h>

#include <algorithm>
#include <filesystem>
#include <utility>

namespace sympozium::webhook {
namespace {

// One line per log entry, whatever the message holds.
std::string OneLine(std::string s) {
  std::replace(s.begin(), s.end(), '\n', ' ');
  return s;
}

// `path` and what stat() says of it (following symlinks).
std::string Stamp(const std::string& path) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) return path + " missing\n";
  return path + " " + std::to_string(st.st_dev) + ":" + std::to_string(st.st_ino) + ":" +
         std::to_string(st.st_size) + ":" + std::to_string(st.st_mtim.tv_sec) + "." +
         std::to_string(st.st_mtim.tv_nsec) + "\n";
}

}  // namespace

ConfigWatcher::ConfigWatcher(std::vector<std::string> paths, ReadOptions read,
                             std::chrono::milliseconds poll, PolicyStore* store, Metrics* metrics,
                             Logger log, Mode serving_mode)
    : paths_(std::move(paths)),
      read_(std::move(read)),
      serving_mode_(serving_mode),
      poll_(poll),
      store_(store),
      metrics_(metrics),
      log_(std::move(log)) {}

ConfigWatcher::~ConfigWatcher() { Stop(); }

bool ConfigWatcher::LoadNow() { return Reload(true); }

void ConfigWatcher::Start() {
  thread_ = std::thread([this] { Run(); });
}

void ConfigWatcher::RequestReload() {
  std::lock_guard<std::mutex> lock(mu_);
  reload_requested_ = true;
  wake_.notify_one();
}

void ConfigWatcher::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
    wake_.notify_one();
  }
  if (thread_.joinable()) thread_.join();
}

void ConfigWatcher::Run() {
  std::unique_lock<std::mutex> lock(mu_);
  while (true) {
    auto woken = [this] { return stop_ || reload_requested_; };
    if (poll_.count() > 0)
      wake_.wait_for(lock, poll_, woken);
    else
      wake_.wait(lock, woken);
    if (stop_) return;
    bool forced = std::exchange(reload_requested_, false);
    lock.unlock();
    Reload(forced);
    lock.lock();
  }
}

// The same files LoadPolicySet reads: every non-hidden entry under each
// directory (hidden ones are a ConfigMap's ..data machinery), each path
// itself otherwise. Any other file changing only costs a redundant load.
std::string ConfigWatcher::Fingerprint() const {
  namespace fs = std::filesystem;
  std::vector<std::string> stamps;
  for (const std::string& path : paths_) {
    std::error_code ec;
    if (!fs::is_directory(path, ec)) {
      stamps.push_back(Stamp(path));
      continue;
    }
    for (auto it = fs::recursive_directory_iterator(path, ec); !ec && it != fs::end(it);
         it.increment(ec)) {
      if (it->path().filename().string().rfind('.', 0) == 0) {
        if (it->is_directory(ec)) it.disable_recursion_pending();
        continue;
      }
      stamps.push_back(Stamp(it->path().string()));
    }
    if (ec) stamps.push_back(path + " unreadable: " + ec.message() + "\n");
  }
  std::sort(stamps.begin(), stamps.end());
  std::string out;
  for (const std::string& s : stamps) out += s;
  return out;
}

bool ConfigWatcher::Reload(bool forced) {
  std::string fingerprint = Fingerprint();
  if (!forced && fingerprint == last_fingerprint_) return true;
  // Taken before reading: a file that changes during the load differs from
  // it at the next poll, which loads again.
  last_fingerprint_ = std::move(fingerprint);
  absl::StatusOr<std::shared_ptr<PolicySet>> set = LoadPolicySet(paths_, read_, serving_mode_);
  if (!set.ok()) {
    metrics_->ObserveReload(false);
    uint64_t serving = store_->generation();
    log_("config load failed, " +
         (serving == 0 ? std::string("nothing to serve yet")
                       : "still serving generation " + std::to_string(serving)) +
         ": " + OneLine(std::string(set.status().message())));
    return false;
  }
  const Cluster& cluster = (*set)->cluster;
  std::string summary = std::to_string((*set)->sources.size()) + " files, " +
                        std::to_string(cluster.policy_count()) + " policies, " +
                        std::to_string(cluster.agent_count()) + " agents, " +
                        std::to_string(cluster.skill_pack_count()) + " skill packs";
  uint64_t generation = store_->Swap(*std::move(set));
  metrics_->ObserveReload(true);
  log_("loaded generation " + std::to_string(generation) + ": " + summary);
  return true;
}

}  // namespace sympozium::webhook
