#include "sympozium/cluster.h"

#include <algorithm>
#include <tuple>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "lib/cluster/lookup.h"
#include "lib/cluster/stored_agent.h"
#include "lib/compile/compile.h"
#include "lib/compile/policy_table.h"
#include "lib/decode/decode.h"
#include "lib/read/document.h"

#include "lib/base/status_macros.h"
#include "lib/decode/skill_pack_name.h"
#include "sympozium/strings.h"

namespace sympozium {
namespace {

constexpr std::string_view kSystemNamespace = "sympozium-system";
template <class Map>
auto* FindIn(const Map& map, std::string_view ns, std::string_view name) {
  auto it = map.find(std::make_pair(std::string(ns), std::string(name)));
  return it == map.end() ? nullptr : &it->second;
}

}  // namespace

using Key = std::pair<std::string, std::string>;                    // namespace, name
using KindKey = std::tuple<std::string, std::string, std::string>;  // kind, namespace, name

struct Cluster::Rep {
  // Drops the good object of that key, if any (not a broken one).
  bool EraseGood(std::string_view kind, const Key& key);

  absl::flat_hash_map<Key, std::shared_ptr<const StoredAgent>> agents_;
  absl::flat_hash_map<Key, PolicyPtr> policies_;
  absl::flat_hash_map<Key, std::shared_ptr<const Decoded<SkillPack>>> skill_packs_;
  absl::flat_hash_map<KindKey, std::shared_ptr<const BrokenObject>> broken_;
};

struct ClusterAccess {
  static const Cluster::Rep& Of(const Cluster& cluster) { return *cluster.rep_; }
};

Cluster::Cluster() : rep_(std::make_unique<Rep>()) {}
Cluster::Cluster(const Cluster& other) : rep_(std::make_unique<Rep>(*other.rep_)) {}
Cluster& Cluster::operator=(const Cluster& other) {
  if (this != &other) *rep_ = *other.rep_;
  return *this;
}
Cluster::Cluster(Cluster&& other) : rep_(std::exchange(other.rep_, std::make_unique<Rep>())) {}
Cluster& Cluster::operator=(Cluster&& other) {
  if (this != &other) std::swap(rep_, other.rep_);
  return *this;
}
Cluster::~Cluster() = default;

size_t Cluster::agent_count() const { return rep_->agents_.size(); }
size_t Cluster::policy_count() const { return rep_->policies_.size(); }
size_t Cluster::skill_pack_count() const { return rep_->skill_packs_.size(); }
size_t Cluster::broken_count() const { return rep_->broken_.size(); }
bool IsClusterKind(std::string_view kind) {
  return kind == "Agent" || kind == "SympoziumPolicy" || kind == "SkillPack";
}

absl::Status CheckClusterKind(const Document& doc) {
  std::string_view kind = doc.kind();
  if (IsClusterKind(kind)) return absl::OkStatus();
  return absl::InvalidArgumentError(
      StrCat(doc.Describe(), ": a cluster holds Agent, SympoziumPolicy and SkillPack objects, not ",
             kind.empty() ? std::string("a document without kind") : std::string(kind)));
}

std::string BrokenObject::Describe() const {
  return StrCat(kind, " ", namespace_, "/", name, " cannot be used: ", error);
}

std::string_view BrokenObject::reason_code() const {
  if (kind == "Agent") return "agent.invalid";
  if (kind == "SkillPack") return "skillpack.invalid";
  return "policy.invalid";
}

absl::Status Cluster::Add(Document doc, const Limits& limits) {
  // A copy: `doc` (whose arena the views point into) is moved into the
  // decoder. A decoded policy is freed once it is compiled, a decoded Agent
  // once its fields are copied.
  std::string kind(doc.kind());
  Key key(std::string(doc.namespace_()), std::string(doc.name()));
  if (kind == "Agent") {
    absl::StatusOr<Decoded<Agent>> agent = DecodeAgent(std::move(doc));
    if (!agent.ok()) return agent.status();
    rep_->agents_[key] = std::make_shared<const StoredAgent>(**agent);
  } else if (kind == "SkillPack") {
    absl::StatusOr<Decoded<SkillPack>> pack = DecodeSkillPack(std::move(doc));
    if (!pack.ok()) return pack.status();
    rep_->skill_packs_[key] = std::make_shared<const Decoded<SkillPack>>(std::move(*pack));
  } else if (kind == "SympoziumPolicy") {
    absl::StatusOr<Decoded<Policy>> policy = DecodePolicy(std::move(doc));
    if (!policy.ok()) return policy.status();
    CompileOptions options;
    options.mode = Mode::kCompat;  // keeps strict_errors() for strict evaluation to refuse
    options.limits = limits;
    absl::StatusOr<PolicyPtr> compiled = CompileSharingTable(*policy, options);
    if (!compiled.ok()) return compiled.status();
    rep_->policies_[key] = std::move(*compiled);
  } else {
    return CheckClusterKind(doc);
  }
  rep_->broken_.erase(KindKey(std::string(kind), key.first, key.second));
  return absl::OkStatus();
}

void Cluster::AddBroken(BrokenObject broken) {
  Key key(broken.namespace_, broken.name);
  rep_->EraseGood(broken.kind, key);
  KindKey kind_key(broken.kind, std::move(key.first), std::move(key.second));
  rep_->broken_[std::move(kind_key)] = std::make_shared<const BrokenObject>(std::move(broken));
}

bool Cluster::Rep::EraseGood(std::string_view kind, const Key& key) {
  if (kind == "Agent") return agents_.erase(key) > 0;
  if (kind == "SympoziumPolicy") return policies_.erase(key) > 0;
  if (kind == "SkillPack") return skill_packs_.erase(key) > 0;
  return false;
}

bool Cluster::Remove(std::string_view kind, std::string_view ns, std::string_view name) {
  bool good = rep_->EraseGood(kind, Key(std::string(ns), std::string(name)));
  bool broken =
      rep_->broken_.erase(KindKey(std::string(kind), std::string(ns), std::string(name))) > 0;
  return good || broken;
}

void Cluster::RemoveAll(std::string_view kind, std::string_view ns) {
  auto in_ns = [ns](const Key& key) { return ns.empty() || key.first == ns; };
  if (kind == "Agent") absl::erase_if(rep_->agents_, [&](const auto& e) { return in_ns(e.first); });
  if (kind == "SympoziumPolicy")
    absl::erase_if(rep_->policies_, [&](const auto& e) { return in_ns(e.first); });
  if (kind == "SkillPack")
    absl::erase_if(rep_->skill_packs_, [&](const auto& e) { return in_ns(e.first); });
  absl::erase_if(rep_->broken_, [&](const auto& e) {
    return std::get<0>(e.first) == kind && (ns.empty() || std::get<1>(e.first) == ns);
  });
}

void Cluster::Merge(const Cluster& from) {
  // Each side of a key holds a good or a broken object, never both.
  for (const auto& [key, agent] : from.rep_->agents_) {
    rep_->broken_.erase(KindKey("Agent", key.first, key.second));
    rep_->agents_[key] = agent;
  }
  for (const auto& [key, policy] : from.rep_->policies_) {
    rep_->broken_.erase(KindKey("SympoziumPolicy", key.first, key.second));
    rep_->policies_[key] = policy;
  }
  for (const auto& [key, pack] : from.rep_->skill_packs_) {
    rep_->broken_.erase(KindKey("SkillPack", key.first, key.second));
    rep_->skill_packs_[key] = pack;
  }
  for (const auto& [key, broken] : from.rep_->broken_) {
    rep_->EraseGood(std::get<0>(key), Key(std::get<1>(key), std::get<2>(key)));
    rep_->broken_[key] = broken;
  }
}

bool Cluster::Contains(std::string_view kind, std::string_view ns, std::string_view name) const {
  if (FindBroken(kind, ns, name) != nullptr) return true;
  if (kind == "Agent") return FindAgent(*this, ns, name) != nullptr;
  if (kind == "SympoziumPolicy") return FindPolicy(ns, name) != nullptr;
  if (kind == "SkillPack") return FindSkillPack(*this, ns, name) != nullptr;
  return false;
}

const BrokenObject* Cluster::FindBroken(std::string_view kind, std::string_view ns,
                                        std::string_view name) const {
  if (rep_->broken_.empty()) return nullptr;  // the usual case: no key to build
  auto it = rep_->broken_.find(KindKey(std::string(kind), std::string(ns), std::string(name)));
  return it == rep_->broken_.end() ? nullptr : it->second.get();
}

std::vector<const BrokenObject*> Cluster::Broken() const {
  std::vector<std::pair<const KindKey*, const BrokenObject*>> sorted;
  for (const auto& [key, broken] : rep_->broken_) sorted.emplace_back(&key, broken.get());
  std::sort(sorted.begin(), sorted.end(),
            [](const auto& a, const auto& b) { return *a.first < *b.first; });
  std::vector<const BrokenObject*> out;
  for (const auto& entry : sorted) out.push_back(entry.second);
  return out;
}

absl::Status Cluster::AddDocuments(std::string_view bytes, const ReadOptions& options) {
  absl::StatusOr<std::vector<Document>> docs = ReadDocuments(bytes, options);
  if (!docs.ok()) return docs.status();
  for (Document& doc : *docs) SYM_RETURN_IF_ERROR(Add(std::move(doc), options.limits));
  return absl::OkStatus();
}

const CompiledPolicy* Cluster::FindPolicy(std::string_view ns, std::string_view name) const {
  auto* found = FindIn(rep_->policies_, ns, name);
  return found ? found->get() : nullptr;
}

PolicyPtr Cluster::FindPolicyShared(std::string_view ns, std::string_view name) const {
  auto* found = FindIn(rep_->policies_, ns, name);
  return found ? *found : nullptr;
}

const Agent* FindAgent(const Cluster& cluster, std::string_view ns, std::string_view name) {
  auto* found = FindIn(ClusterAccess::Of(cluster).agents_, ns, name);
  return found ? &(*found)->get() : nullptr;
}

PolicyLookup LookupPolicy(const Cluster& cluster, std::string_view ns,
                          std::string_view agent_name) {
  PolicyLookup found;
  found.agent = FindAgent(cluster, ns, agent_name);
  if (found.agent == nullptr) {
    found.broken = cluster.FindBroken("Agent", ns, agent_name);
    return found;
  }
  found.policy_ref = found.agent->spec.policy_ref;
  if (found.policy_ref.empty()) return found;
  found.policy = cluster.FindPolicy(ns, found.policy_ref);
  if (found.policy == nullptr)
    found.broken = cluster.FindBroken("SympoziumPolicy", ns, found.policy_ref);
  return found;
}

absl::StatusOr<const CompiledPolicy*> Cluster::PolicyForRun(const Document& run) const {
  absl::StatusOr<Decoded<AgentRun>> decoded =
      DecodeAgentRun(run.Subtree(run.root(), run.Describe()));
  if (!decoded.ok()) return absl::InvalidArgumentError(decoded.status().message());
  std::string_view ns = decoded->get().metadata.namespace_;
  std::string_view agent = decoded->get().spec.agent_ref;
  PolicyLookup found = LookupPolicy(*this, ns, agent);
  auto missing = [](const BrokenObject* broken, std::string text) {
    return absl::NotFoundError(broken != nullptr
                                   ? StrCat(broken->Describe(), " (", broken->reason_code(), ")")
                                   : std::move(text));
  };
  if (found.agent == nullptr)
    return missing(found.broken, StrCat("failed to find Agent ", agent, " in namespace ", ns,
                                        " (agent.not_found)"));
  if (found.policy_ref.empty()) return nullptr;
  if (found.policy == nullptr)
    return missing(found.broken, StrCat("failed to find SympoziumPolicy ", found.policy_ref,
                                        " in namespace ", ns, " (policy.not_found)"));
  return found.policy;
}

const SkillPack* FindSkillPack(const Cluster& cluster, std::string_view ns, std::string_view name) {
  auto* found = FindIn(ClusterAccess::Of(cluster).skill_packs_, ns, name);
  return found ? &(*found)->get() : nullptr;
}

const SkillPack* ResolveSkillPack(const Cluster& cluster, std::string_view run_ns,
                                  std::string_view ref, const BrokenObject** broken) {
  if (broken != nullptr) *broken = nullptr;
  if (ref.empty()) return nullptr;
  ref = SkillPackName(ref);
  for (std::string_view ns : {run_ns, kSystemNamespace}) {
    if (const SkillPack* pack = FindSkillPack(cluster, ns, ref)) return pack;
    const BrokenObject* found = cluster.FindBroken("SkillPack", ns, ref);
    if (found != nullptr) {
      if (broken != nullptr) *broken = found;
      return nullptr;
    }
  }
  return nullptr;
}

std::vector<std::string> Cluster::SkillPackToolNames() const {
  std::vector<std::string> names;
  for (const auto& [key, pack] : rep_->skill_packs_)
    if ((*pack)->spec.sidecar)
      for (const SidecarTool& tool : (*pack)->spec.sidecar->tools) names.emplace_back(tool.name);
  return names;
}

void Cluster::ForEachPolicy(const std::function<void(const CompiledPolicy&)>& fn) const {
  for (const auto& [key, policy] : rep_->policies_) fn(*policy);
}

size_t Cluster::MemoryUsage() const {
  // libstdc++ keeps strings of up to 15 characters inside the object.
  auto heap = [](const std::string& s) { return s.capacity() > 15 ? s.capacity() + 1 : 0; };
  // A make_shared block holds the object after two counts and a vtable pointer.
  constexpr size_t kControlBlock = 16;
  // A flat_hash_map keeps its slots and one control byte per slot.
  auto slots = [](const auto& map) { return map.capacity() * (sizeof(*map.begin()) + 1); };
  // Stored SkillPacks keep their documents (the typed object points into
  // them); documents read from one stream share one arena.
  absl::flat_hash_set<const Arena*> arenas;
  auto document = [&](const Document& doc) {
    size_t n = heap(doc.source_name());
    if (arenas.insert(&doc.arena()).second) n += kControlBlock + doc.arena().MemoryUsage();
    return n;
  };
  // Policies of identical specs share one table: counted once.
  absl::flat_hash_set<const PolicyTable*> tables;
  size_t n = sizeof(*this) + sizeof(*rep_) + slots(rep_->policies_) + slots(rep_->agents_) +
             slots(rep_->skill_packs_);
  for (const auto& [key, policy] : rep_->policies_) {
    n += heap(key.first) + heap(key.second) + kControlBlock + policy->MemoryUsage();
    if (!tables.insert(&TableOf(*policy)).second) n -= TableMemoryUsage(TableOf(*policy));
  }
  for (const auto& [key, agent] : rep_->agents_)
    n += heap(key.first) + heap(key.second) + kControlBlock + sizeof(*agent) + heap(agent->text());
  for (const auto& [key, pack] : rep_->skill_packs_)
    n += heap(key.first) + heap(key.second) + kControlBlock + sizeof(*pack) +
         document(pack->document());
  n += slots(rep_->broken_);
  for (const auto& [key, broken] : rep_->broken_)
    n += 2 * (heap(std::get<0>(key)) + heap(std::get<1>(key)) + heap(std::get<2>(key))) +
         kControlBlock + sizeof(*broken) + heap(broken->error);
  return n;
}

}  // namespace sympozium
