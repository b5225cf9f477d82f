// KubeWatcher: the webhook's live view of the cluster. One Reflector per
// resource (sympoziumpolicies, agents, skillpacks) and namespace feeds a
// ClusterStore; once every one has completed its first LIST, each change is
// published to the PolicyStore the HTTP handlers read. Until then the
// PolicyStore holds nothing: /readyz is 503 and every review is an error
// answer, so no lookup ever answers from an incomplete first LIST.
#ifndef SYMPOZIUM_TOOLS_WEBHOOK_KUBE_KUBE_WATCHER_H_
#define SYMPOZIUM_TOOLS_WEBHOOK_KUBE_KUBE_WATCHER_H_

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "sympozium/cluster_store.h"
#include "sympozium/policy_store.h"
#include "tools/webhook/kube/api_client.h"
#include "tools/webhook/kube/reflector.h"

namespace sympozium::webhook::kube {

class KubeWatcher {
 public:
  // `namespaces` empty: every namespace. Otherwise those, plus
  // sympozium-system for SkillPacks (where run lookups fall back to).
  KubeWatcher(KubeConfig config, std::vector<std::string> namespaces, Mode mode,
              ReflectorOptions options, PolicyStore* publish_to, Reflector::Logger log);
  ~KubeWatcher();

  void Start();
  void Stop();
  bool synced() const;
  // Prometheus text: objects per kind, lists, watch restarts, 410 relists,
  // seconds since the last event per resource, whether each has synced.
  std::string RenderMetrics() const;

 private:
  void Publish();

  ApiClient client_;
  ClusterStore store_;
  PolicyStore* const publish_to_;
  const Reflector::Logger log_;
  std::vector<std::unique_ptr<Reflector>> reflectors_;
  std::mutex publish_mu_;   // one snapshot-and-swap at a time, so none goes back
  bool announced_ = false;  // guarded by publish_mu_
};

}  // namespace sympozium::webhook::kube

#endif  // SYMPOZIUM_TOOLS_WEBHOOK_KUBE_KUBE_WATCHER_H_
