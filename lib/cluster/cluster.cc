#include "sympozium/cluster.h"

#include <algorithm>

#include "absl/container/flat_hash_set.h"

#include "lib/base/status_macros.h"
#include "lib/base/strings.h"
#include "lib/decode/skill_pack_name.h"

namespace sympozium {
namespace {

constexpr std::string_view kSystemNamespace = "sympozium-system";
template <class Map>
auto* FindIn(const Map& map, std::string_view ns, std::string_view name) {
  auto it = map.find(std::make_pair(std::string(ns), std::string(name)));
  return it == map.end() ? nullptr : &it->second;
}

}  // namespace

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
  // decoder, and a decoded policy is freed once it is compiled.
  std::string kind(doc.kind());
  Key key(std::string(doc.namespace_()), std::string(doc.name()));
  if (kind == "Agent") {
    absl::StatusOr<Decoded<Agent>> agent = DecodeAgent(std::move(doc));
    if (!agent.ok()) return agent.status();
    agents_[key] = std::make_shared<const Decoded<Agent>>(std::move(*agent));
  } else if (kind == "SkillPack") {
    absl::StatusOr<Decoded<SkillPack>> pack = DecodeSkillPack(std::move(doc));
    if (!pack.ok()) return pack.status();
    skill_packs_[key] = std::make_shared<const Decoded<SkillPack>>(std::move(*pack));
  } else if (kind == "SympoziumPolicy") {
    absl::StatusOr<Decoded<Policy>> policy = DecodePolicy(std::move(doc));
    if (!policy.ok()) return policy.status();
    CompileOptions options;
    options.mode = Mode::kCompat;  // keeps strict_errors() for strict evaluation to refuse
    options.limits = limits;
    absl::StatusOr<PolicyPtr> compiled = Compile(*policy, options);
    if (!compiled.ok()) return compiled.status();
    policies_[key] = std::move(*compiled);
  } else {
    return CheckClusterKind(doc);
  }
  broken_.erase(KindKey(std::string(kind), key.first, key.second));
  return absl::OkStatus();
}

void Cluster::AddBroken(BrokenObject broken) {
  Key key(broken.namespace_, broken.name);
  EraseGood(broken.kind, key);
  KindKey kind_key(broken.kind, std::move(key.first), std::move(key.second));
  broken_[std::move(kind_key)] = std::make_shared<const BrokenObject>(std::move(broken));
}

bool Cluster::EraseGood(std::string_view kind, const Key& key) {
  if (kind == "Agent") return agents_.erase(key) > 0;
  if (kind == "SympoziumPolicy") return policies_.erase(key) > 0;
  if (kind == "SkillPack") return skill_packs_.erase(key) > 0;
  return false;
}

bool Cluster::Remove(std::string_view kind, std::string_view ns, std::string_view name) {
  bool good = EraseGood(kind, Key(std::string(ns), std::string(name)));
  bool broken = broken_.erase(KindKey(std::string(kind), std::string(ns), std::string(name))) > 0;
  return good || broken;
}

void Cluster::RemoveAll(std::string_view kind, std::string_view ns) {
  auto in_ns = [ns](const Key& key) { return ns.empty() || key.first == ns; };
  if (kind == "Agent") absl::erase_if(agents_, [&](const auto& e) { return in_ns(e.first); });
  if (kind == "SympoziumPolicy")
    absl::erase_if(policies_, [&](const auto& e) { return in_ns(e.first); });
  if (kind == "SkillPack")
    absl::erase_if(skill_packs_, [&](const auto& e) { return in_ns(e.first); });
  absl::erase_if(broken_, [&](const auto& e) {
    return std::get<0>(e.first) == kind && (ns.empty() || std::get<1>(e.first) == ns);
  });
}

void Cluster::Merge(const Cluster& from) {
  // Each side of a key holds a good or a broken object, never both.
  for (const auto& [key, agent] : from.agents_) {
    broken_.erase(KindKey("Agent", key.first, key.second));
    agents_[key] = agent;
  }
  for (const auto& [key, policy] : from.policies_) {
    broken_.erase(KindKey("SympoziumPolicy", key.first, key.second));
    policies_[key] = policy;
  }
  for (const auto& [key, pack] : from.skill_packs_) {
    broken_.erase(KindKey("SkillPack", key.first, key.second));
    skill_packs_[key] = pack;
  }
  for (const auto& [key, broken] : from.broken_) {
    EraseGood(std::get<0>(key), Key(std::get<1>(key), std::get<2>(key)));
    broken_[key] = broken;
  }
}

bool Cluster::Contains(std::string_view kind, std::string_view ns, std::string_view name) const {
  if (FindBroken(kind, ns, name) != nullptr) return true;
  if (kind == "Agent") return FindAgent(ns, name) != nullptr;
  if (kind == "SympoziumPolicy") return FindPolicy(ns, name) != nullptr;
  if (kind == "SkillPack") return FindSkillPack(ns, name) != nullptr;
  return false;
}

const BrokenObject* Cluster::FindBroken(std::string_view kind, std::string_view ns,
                                        std::string_view name) const {
  if (broken_.empty()) return nullptr;  // the usual case: no key to build
  auto it = broken_.find(KindKey(std::string(kind), std::string(ns), std::string(name)));
  return it == broken_.end() ? nullptr : it->second.get();
}

std::vector<const BrokenObject*> Cluster::Broken() const {
  std::vector<std::pair<const KindKey*, const BrokenObject*>> sorted;
  for (const auto& [key, broken] : broken_) sorted.emplace_back(&key, broken.get());
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

const Agent* Cluster::FindAgent(std::string_view ns, std::string_view name) const {
  auto* found = FindIn(agents_, ns, name);
  return found ? &(*found)->get() : nullptr;
}

const CompiledPolicy* Cluster::FindPolicy(std::string_view ns, std::string_view name) const {
  auto* found = FindIn(policies_, ns, name);
  return found ? found->get() : nullptr;
}

PolicyPtr Cluster::FindPolicyShared(std::string_view ns, std::string_view name) const {
  auto* found = FindIn(policies_, ns, name);
  return found ? *found : nullptr;
}

PolicyLookup Cluster::LookupPolicy(std::string_view ns, std::string_view agent_name) const {
  PolicyLookup found;
  found.agent = FindAgent(ns, agent_name);
  if (found.agent == nullptr) {
    found.broken = FindBroken("Agent", ns, agent_name);
    return found;
  }
  found.policy_ref = found.agent->spec.policy_ref;
  if (found.policy_ref.empty()) return found;
  found.policy = FindPolicy(ns, found.policy_ref);
  if (found.policy == nullptr) found.broken = FindBroken("SympoziumPolicy", ns, found.policy_ref);
  return found;
}

const SkillPack* Cluster::FindSkillPack(std::string_view ns, std::string_view name) const {
  auto* found = FindIn(skill_packs_, ns, name);
  return found ? &(*found)->get() : nullptr;
}

const SkillPack* Cluster::ResolveSkillPack(std::string_view run_ns, std::string_view ref,
                                           const BrokenObject** broken) const {
  if (broken != nullptr) *broken = nullptr;
  if (ref.empty()) return nullptr;
  ref = SkillPackName(ref);
  for (std::string_view ns : {run_ns, kSystemNamespace}) {
    if (const SkillPack* pack = FindSkillPack(ns, ref)) return pack;
    const BrokenObject* found = FindBroken("SkillPack", ns, ref);
    if (found != nullptr) {
      if (broken != nullptr) *broken = found;
      return nullptr;
    }
  }
  return nullptr;
}

std::vector<std::string> Cluster::SkillPackToolNames() const {
  std::vector<std::string> names;
  for (const auto& [key, pack] : skill_packs_)
    if ((*pack)->spec.sidecar)
      for (const SidecarTool& tool : (*pack)->spec.sidecar->tools) names.emplace_back(tool.name);
  return names;
}

void Cluster::ForEachPolicy(const std::function<void(const CompiledPolicy&)>& fn) const {
  for (const auto& [key, policy] : policies_) fn(*policy);
}

size_t Cluster::MemoryUsage() const {
  // libstdc++ keeps strings of up to 15 characters inside the object.
  auto heap = [](const std::string& s) { return s.capacity() > 15 ? s.capacity() + 1 : 0; };
  // A make_shared block holds the object after two counts and a vtable pointer.
  constexpr size_t kControlBlock = 16;
  // A flat_hash_map keeps its slots and one control byte per slot.
  auto slots = [](const auto& map) { return map.capacity() * (sizeof(*map.begin()) + 1); };
  // Stored Agents and SkillPacks keep their documents (the typed object
  // points into them); documents read from one stream share one arena.
  absl::flat_hash_set<const Arena*> arenas;
  auto document = [&](const Document& doc) {
    size_t n = heap(doc.source_name());
    if (arenas.insert(&doc.arena()).second) n += kControlBlock + doc.arena().MemoryUsage();
    return n;
  };
  size_t n = sizeof(*this) + slots(policies_) + slots(agents_) + slots(skill_packs_);
  for (const auto& [key, policy] : policies_)
    n += heap(key.first) + heap(key.second) + kControlBlock + policy->MemoryUsage();
  for (const auto& [key, agent] : agents_)
    n += heap(key.first) + heap(key.second) + kControlBlock + sizeof(*agent) +
         document(agent->document());
  for (const auto& [key, pack] : skill_packs_)
    n += heap(key.first) + heap(key.second) + kControlBlock + sizeof(*pack) +
         document(pack->document());
  n += slots(broken_);
  for (const auto& [key, broken] : broken_)
    n += 2 * (heap(std::get<0>(key)) + heap(std::get<1>(key)) + heap(std::get<2>(key))) +
         kControlBlock + sizeof(*broken) + heap(broken->error);
  return n;
}

}  // namespace sympozium
