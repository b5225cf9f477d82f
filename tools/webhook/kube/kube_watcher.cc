#include "tools/webhook/kube/kube_watcher.h"

#include <algorithm>
#include <cstdio>
#include <utility>

#include "sympozium/strings.h"

namespace sympozium::webhook::kube {
namespace {

constexpr char kSystemNamespace[] = "sympozium-system";

struct Kind {
  const char* plural;
  const char* kind;
};
constexpr Kind kKinds[] = {
    {"sympoziumpolicies", "SympoziumPolicy"}, {"agents", "Agent"}, {"skillpacks", "SkillPack"}};

std::string Labels(const Resource& r) {
  return StrCat("{resource=\"", r.plural, "\",namespace=\"", r.ns.empty() ? "*" : r.ns, "\"}");
}

}  // namespace

KubeWatcher::KubeWatcher(KubeConfig config, std::vector<std::string> namespaces, Mode mode,
                         ReflectorOptions options, PolicyStore* publish_to, Reflector::Logger log)
    : client_(std::move(config)),
      store_(mode,
             [&] {
               Limits limits = DefaultLimits();
               limits.max_bytes = options.max_bytes;
               return limits;
             }()),
      publish_to_(publish_to),
      log_(std::move(log)) {
  if (namespaces.empty()) namespaces.push_back("");
  for (const Kind& k : kKinds) {
    std::vector<std::string> scope = namespaces;
    bool everywhere = scope.front().empty();
    if (!everywhere && std::string_view(k.kind) == "SkillPack" &&
        std::find(scope.begin(), scope.end(), kSystemNamespace) == scope.end())
      scope.push_back(kSystemNamespace);
    for (const std::string& ns : scope)
      reflectors_.push_back(std::make_unique<Reflector>(
          &client_, Resource{k.plural, k.kind, ns}, &store_, options, log_, [this] { Publish(); }));
  }
}

KubeWatcher::~KubeWatcher() { Stop(); }

void KubeWatcher::Start() {
  for (auto& r : reflectors_) r->Start();
}

void KubeWatcher::Stop() {
  for (auto& r : reflectors_) r->Stop();
}

bool KubeWatcher::synced() const {
  for (const auto& r : reflectors_)
    if (!r->synced()) return false;
  return true;
}

void KubeWatcher::Publish() {
  std::lock_guard<std::mutex> lock(publish_mu_);
  if (!synced()) return;
  std::shared_ptr<const PolicySet> current = store_.Snapshot();
  // A copy shares every object with the store's snapshot: a map of pointers.
  publish_to_->Swap(std::make_shared<PolicySet>(*current));
  if (announced_) return;
  announced_ = true;
  log_(StrCat("synced with ", client_.config().api_url, ": ", current->cluster.policy_count(),
              " policies, ", current->cluster.agent_count(), " agents, ",
              current->cluster.skill_pack_count(), " skill packs, ",
              current->cluster.broken_count(), " broken"));
}

std::string KubeWatcher::RenderMetrics() const {
  std::shared_ptr<const PolicySet> set = store_.Snapshot();
  const Cluster& c = set->cluster;
  std::string out =
      "# HELP sympozium_webhook_kube_objects Objects held from the API server, by kind.\n"
      "# TYPE sympozium_webhook_kube_objects gauge\n";
  StrAppend(&out, "sympozium_webhook_kube_objects{kind=\"SympoziumPolicy\"} ", c.policy_count(),
            "\n", "sympozium_webhook_kube_objects{kind=\"Agent\"} ", c.agent_count(), "\n",
            "sympozium_webhook_kube_objects{kind=\"SkillPack\"} ", c.skill_pack_count(), "\n");
  StrAppend(&out,
            "# HELP sympozium_webhook_kube_broken_objects Objects that do not decode or compile.\n"
            "# TYPE sympozium_webhook_kube_broken_objects gauge\n"
            "sympozium_webhook_kube_broken_objects ",
            c.broken_count(), "\n");
  struct Series {
    const char* name;
    const char* type;
    const char* help;
    std::string (*value)(const Reflector&);
  };
  static const Series kSeries[] = {
      {"sympozium_webhook_kube_synced", "gauge", "1 once the resource's first LIST completed.",
       [](const Reflector& r) { return std::string(r.synced() ? "1" : "0"); }},
      {"sympozium_webhook_kube_lists_total", "counter", "Completed LISTs (the first, relists).",
       [](const Reflector& r) { return StrCat(r.lists()); }},
      {"sympozium_webhook_kube_watch_restarts_total", "counter",
       "Watches started again after one ended, dropped, stalled or failed.",
       [](const Reflector& r) { return StrCat(r.watch_restarts()); }},
      {"sympozium_webhook_kube_relists_410_total", "counter",
       "Relists because the resourceVersion was too old (410 Gone).",
       [](const Reflector& r) { return StrCat(r.relists_410()); }},
      {"sympozium_webhook_kube_seconds_since_last_event", "gauge",
       "Seconds since the last event, bookmark or LIST (-1: none yet).",
       [](const Reflector& r) {
         char buf[32];
         std::snprintf(buf, sizeof(buf), "%.3f", r.SecondsSinceLastEvent());
         return std::string(buf);
       }},
  };
  for (const Series& s : kSeries) {
    StrAppend(&out, "# HELP ", s.name, " ", s.help, "\n# TYPE ", s.name, " ", s.type, "\n");
    for (const auto& r : reflectors_)
      StrAppend(&out, s.name, Labels(r->resource()), " ", s.value(*r), "\n");
  }
  return out;
}

}  // namespace sympozium::webhook::kube
