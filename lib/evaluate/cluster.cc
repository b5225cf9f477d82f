#include "sympozium/cluster.h"

#include "absl/container/flat_hash_set.h"

#include "lib/base/status_macros.h"
#include "lib/base/strings.h"

namespace sympozium {
namespace {

constexpr std::string_view kSystemNamespace = "sympozium-system";
constexpr std::string_view kSkillPackPrefix = "skillpack-";

template <class Map>
auto* FindIn(const Map& map, std::string_view ns, std::string_view name) {
  auto it = map.find(std::make_pair(std::string(ns), std::string(name)));
  return it == map.end() ? nullptr : &it->second;
}

}  // namespace

absl::Status Cluster::Add(Document doc, const Limits& limits) {
  std::string_view kind = doc.kind();
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
    return absl::InvalidArgumentError(StrCat(
        doc.Describe(), ": a cluster holds Agent, SympoziumPolicy and SkillPack objects, not ",
        kind.empty() ? std::string("a document without kind") : std::string(kind)));
  }
  return absl::OkStatus();
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
  if (found.agent == nullptr) return found;
  found.policy_ref = found.agent->spec.policy_ref;
  if (!found.policy_ref.empty()) found.policy = FindPolicy(ns, found.policy_ref);
  return found;
}

const SkillPack* Cluster::FindSkillPack(std::string_view ns, std::string_view name) const {
  auto* found = FindIn(skill_packs_, ns, name);
  return found ? &(*found)->get() : nullptr;
}

const SkillPack* Cluster::ResolveSkillPack(std::string_view run_ns, std::string_view ref) const {
  if (ref.empty()) return nullptr;
  if (ref.substr(0, kSkillPackPrefix.size()) == kSkillPackPrefix)
    ref.remove_prefix(kSkillPackPrefix.size());
  if (const SkillPack* pack = FindSkillPack(run_ns, ref)) return pack;
  return FindSkillPack(kSystemNamespace, ref);
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
  return n;
}

}  // namespace sympozium
