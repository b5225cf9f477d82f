// rbacFor (docs/rbac.md): the objects the controller creates, in its order, plus
// a least-privilege reading of every rule and, in strict mode, the S4 bound.
#include "sympozium/rbac.h"

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

#include "lib/compile/policy_table.h"
#include "lib/compile/rbac_bounds.h"
#include "lib/decode/decode.h"
#include "lib/decode/skill_pack_name.h"
#include "lib/rbac/object_builder.h"
#include "lib/rbac/rbac_for.h"
#include "lib/read/document.h"
#include "sympozium/strings.h"

namespace sympozium {
namespace {

using compile_internal::RequestedResourceIsDenied;
using rbac_internal::ObjectBuilder;

constexpr std::string_view kRbacApiVersion = "rbac.authorization.k8s.io/v1";
constexpr std::string_view kRbacGroup = "rbac.authorization.k8s.io";
constexpr std::string_view kRunLabel = "sympozium.ai/agent-run";
constexpr std::string_view kSkillLabel = "sympozium.ai/skill";
constexpr std::string_view kManagedByLabel = "sympozium.ai/managed-by";
// The API server checks RBAC names only as path segments (no "/", "%", "."
// or ".."), with no length cap; 253 is the bound of every other object
// name, which tools that assume DNS-subdomain names enforce.
constexpr size_t kMaxNameLength = 253;
// The API server rejects longer label values, so a longer run or pack name
// fails every create (and with it the run).
constexpr size_t kMaxLabelValueLength = 63;

// One rule list the controller turns into a Role or a ClusterRole and its
// binding.
struct Grant {
  std::string name;  // sympozium-skill-<pack>-<run> or sympozium-lifecycle-<run>
  bool lifecycle = false;
  Str skill;  // the pack name (skill objects)
  const List<RbacRule>* rules = nullptr;
  bool cluster = false;    // clusterRBAC: ClusterRole + ClusterRoleBinding
  std::string who;         // `SkillPack "k8s-ops" sidecar` or `lifecycle`, in messages
  std::string document;    // `SkillPack/k8s-ops` or `AgentRun/run-1`, heading paths
  std::string_view field;  // the rule list in that document: `spec.sidecar.rbac`
};

// What a subresource that reaches into other pods lets the agent do, in
// `it can <action> <scope><consequence>`; no action for other resources.
struct PodAccess {
  std::string_view action;
  std::string_view consequence;
};

PodAccess PodAccessOf(Str resource) {
  if (resource == "pods/exec")
    return {"run commands in any pod", ", as that pod's service account and with its Secrets"};
  if (resource == "pods/attach") return {"attach to the processes of any pod", ""};
  if (resource == "pods/portforward")
    return {"open tunnels to the ports of any pod", ", bypassing NetworkPolicy"};
  return {};
}

bool IsRbacResource(Str resource) {
  return resource == "roles" || resource == "rolebindings" || resource == "clusterroles" ||
         resource == "clusterrolebindings";
}

bool IsEscalationVerb(Str verb) {
  return verb == "escalate" || verb == "bind" || verb == "impersonate";
}

bool IsWriteVerb(Str verb) {
  return verb == "create" || verb == "update" || verb == "patch" || verb == "delete" ||
         verb == "deletecollection" || verb == "*";
}

class RbacGenerator {
 public:
  RbacGenerator(const AgentRun& run, const RbacOptions& options, RbacResult& result)
      : run_(run),
        run_name_(run.metadata.name),
        ns_(run.metadata.namespace_),
        options_(options),
        result_(result),
        memory_(std::make_shared<Arena>()),
        b_(*memory_) {}

  void Generate(const std::vector<const SkillPack*>& packs) {
    CollectGrants(packs);
    if (grants_.empty()) return;
    CheckLabelValue(run_name_, kRunLabel, StrCat("AgentRun/", run_name_, " metadata.name"));
    for (size_t i = 0; i < grants_.size(); ++i) {
      // A pack's Role and ClusterRole share one name; check it once.
      if (i == 0 || grants_[i].name != grants_[i - 1].name) CheckNames(grants_[i]);
      CheckRules(grants_[i]);
    }
    CheckDeniedResources();
    if (!result_.violations.empty()) return;  // fail closed (S4)
    bool cluster_objects = false;
    for (const Grant& g : grants_) {
      AddObjects(g);
      cluster_objects |= g.cluster;
    }
    if (cluster_objects)
      result_.cleanup_selectors.push_back(
          StrCat(kRunLabel, "=", run_name_, ",", kManagedByLabel, "=sympozium"));
  }

 private:
  void CollectGrants(const std::vector<const SkillPack*>& packs) {
    bool task_mode = run_.spec.mode != "server";
    std::vector<Str> seen;
    for (const SkillPack* pack : packs) {
      if (pack == nullptr || !pack->spec.sidecar) continue;
      const Sidecar& sidecar = *pack->spec.sidecar;
      if (sidecar.image.empty() || (task_mode && sidecar.requires_server)) continue;
      Str pack_name = SkillPackName(pack->metadata.name);
      // The same pack twice names the same objects; the controller's
      // create-if-absent keeps the first.
      if (std::find(seen.begin(), seen.end(), pack_name) != seen.end()) continue;
      seen.push_back(pack_name);
      Grant g;
      g.name = StrCat("sympozium-skill-", pack_name, "-", run_name_);
      g.skill = pack_name;
      g.who = StrCat("SkillPack ", Quote(pack_name), " sidecar");
      g.document = StrCat("SkillPack/", pack->metadata.name);
      if (!sidecar.rbac.empty()) AddGrant(g, &sidecar.rbac, false, "spec.sidecar.rbac");
      if (!sidecar.cluster_rbac.empty())
        AddGrant(g, &sidecar.cluster_rbac, true, "spec.sidecar.clusterRBAC");
    }
    // Server-mode runs never get lifecycle RBAC (docs/rbac.md).
    if (task_mode && run_.spec.lifecycle && !run_.spec.lifecycle->rbac.empty()) {
      Grant g;
      g.name = StrCat("sympozium-lifecycle-", run_name_);
      g.lifecycle = true;
      g.who = "lifecycle";
      g.document = StrCat("AgentRun/", run_name_);
      AddGrant(g, &run_.spec.lifecycle->rbac, false, "spec.lifecycle.rbac");
    }
  }

  void AddGrant(const Grant& base, const List<RbacRule>* rules, bool cluster,
                std::string_view field) {
    Grant& g = grants_.emplace_back(base);
    g.rules = rules;
    g.cluster = cluster;
    g.field = field;
  }

  void Warn(std::string_view code, std::string message, std::string path) {
    result_.warnings.push_back(
        Diagnostic::Warning(std::string(code), std::move(path), std::move(message)));
  }

  void CheckLabelValue(Str value, std::string_view label, std::string path) {
    if (value.size() <= kMaxLabelValueLength) return;
    Warn("rbac.label_too_long",
         StrCat("label ", label, " value ", Quote(value), " is ", value.size(),
                " characters, over the ", kMaxLabelValueLength,
                " allowed: the API server rejects the RBAC objects, which fails the run"),
         std::move(path));
  }

  void CheckNames(const Grant& g) {
    std::string path = StrCat(g.document, " metadata.name");
    if (g.name.size() > kMaxNameLength)
      Warn("rbac.name_too_long",
           StrCat("generated name ", Quote(g.name), " is ", g.name.size(), " characters, over ",
                  kMaxNameLength,
                  ": the API server takes it (RBAC names are path segments), but tools that "
                  "expect Kubernetes object names reject it; shorten the ",
                  g.lifecycle ? "run" : "SkillPack or run", " name"),
           path);
    if (!g.lifecycle) CheckLabelValue(g.skill, kSkillLabel, path);
  }

  // The least-privilege reading of each rule, entry by entry.
  void CheckRules(const Grant& g) {
    std::string subject = StrCat(g.who, g.cluster ? " cluster RBAC" : " RBAC");
    std::string scope = g.cluster ? "in every namespace" : StrCat("in namespace ", Quote(ns_));
    auto wildcard = [&](std::string_view what, Str entry, std::string path) {
      Warn("rbac.wildcard",
           StrCat(subject, " requests wildcard ", what, " ", Quote(entry),
                  ", which also matches every ", what, " added later; list the ", what,
                  "s it needs"),
           std::move(path));
    };
    for (size_t r = 0; r < g.rules->size(); ++r) {
      const RbacRule& rule = (*g.rules)[r];
      std::string at = StrCat(g.document, " ", g.field, "[", r, "]");
      for (size_t i = 0; i < rule.api_groups.size(); ++i)
        if (rule.api_groups[i] == "*")
          wildcard("API group", rule.api_groups[i], StrCat(at, ".apiGroups[", i, "]"));
      for (size_t i = 0; i < rule.resources.size(); ++i) {
        Str res = rule.resources[i];
        std::string path = StrCat(at, ".resources[", i, "]");
        if (res.find('*') != Str::npos) wildcard("resource", res, path);
        if (res == "secrets")
          Warn("rbac.secrets",
               StrCat(subject, " requests access to \"secrets\": it can reach every Secret ",
                      "(credentials, tokens) ", scope,
                      "; give the sidecar the one Secret it needs (spec.sidecar.secretRef)"),
               path);
        if (PodAccess access = PodAccessOf(res); !access.action.empty())
          Warn("rbac.exec",
               StrCat(subject, " requests ", Quote(res), ": it can ", access.action, " ", scope,
                      access.consequence),
               path);
        if (IsRbacResource(res))
          Warn("rbac.rbac_objects",
               StrCat(subject, " requests access to ", Quote(res),
                      ": RBAC objects decide who may do what, and with write verbs the agent can "
                      "grant permissions ",
                      scope),
               path);
      }
      for (size_t i = 0; i < rule.verbs.size(); ++i) {
        Str verb = rule.verbs[i];
        std::string path = StrCat(at, ".verbs[", i, "]");
        if (verb == "*") wildcard("verb", verb, path);
        if (IsEscalationVerb(verb))
          Warn("rbac.escalation",
               StrCat(subject, " requests the ", Quote(verb),
                      " verb, which lets the agent gain permissions beyond its rules"),
               path);
        if (g.cluster && IsWriteVerb(verb))
          Warn("rbac.cluster_write",
               StrCat(subject, " requests the ", Quote(verb),
                      " verb cluster-wide: it can change objects in every namespace"),
               path);
      }
    }
  }

  // S4 (strict, with a policy): the policy's deniedResources bound every
  // rule, lifecycle rules first, then each pack's rbac and clusterRBAC.
  void CheckDeniedResources() {
    if (options_.mode != Mode::kStrict || options_.policy == nullptr) return;
    const auto& denied = TableOf(*options_.policy).denied_resource_set;
    if (denied.empty()) return;
    for (bool lifecycle : {true, false})
      for (const Grant& g : grants_) {
        if (g.lifecycle != lifecycle) continue;
        for (size_t r = 0; r < g.rules->size(); ++r) {
          const List<Str>& resources = (*g.rules)[r].resources;
          for (size_t k = 0; k < resources.size(); ++k)
            if (RequestedResourceIsDenied(resources[k], denied, /*strict=*/true))
              result_.violations.push_back(
                  {"rbac.denied_resource",
                   StrCat(g.who, " RBAC requests access to denied resource ", Quote(resources[k])),
                   StrCat(g.document, " ", g.field, "[", r, "].resources[", k, "]")});
        }
      }
  }

  // apiVersion, kind and metadata (name, namespace, labels, owner) of one
  // object of `g`.
  Value Envelope(const Grant& g, std::string_view kind) {
    Arena& a = b_.arena();
    Value obj = b_.Object(kRbacApiVersion, kind, g.name, g.cluster ? "" : ns_);
    Value* metadata = obj.FindMutable("metadata");
    Value labels = b_.Map({{kRunLabel, b_.String(run_name_)}});
    if (g.lifecycle)
      labels.Set(a, "sympozium.ai/component", b_.String("lifecycle"));
    else
      labels.Set(a, kSkillLabel, b_.String(g.skill));
    labels.Set(a, kManagedByLabel, b_.String("sympozium"));
    metadata->Set(a, "labels", labels);
    // Cluster objects cannot be owned by a namespaced run; they are deleted
    // by the cleanup selector instead.
    if (!g.cluster && !run_.metadata.uid.empty())
      metadata->Set(a, "ownerReferences",
                    b_.ListOf({b_.Map({{"apiVersion", b_.String("sympozium.ai/v1alpha1")},
                                       {"kind", b_.String("AgentRun")},
                                       {"name", b_.String(run_name_)},
                                       {"uid", b_.String(run_.metadata.uid)},
                                       {"controller", Value::Bool(true)},
                                       {"blockOwnerDeletion", Value::Bool(true)}})}));
    return obj;
  }

  void AddObjects(const Grant& g) {
    Arena& a = b_.arena();
    std::string_view role_kind = g.cluster ? "ClusterRole" : "Role";
    Value role = Envelope(g, role_kind);
    Value rules = Value::EmptyList();
    for (const RbacRule& rule : *g.rules)
      rules.Push(a, b_.Map({{"apiGroups", b_.Strings(rule.api_groups)},
                            {"resources", b_.Strings(rule.resources)},
                            {"verbs", b_.Strings(rule.verbs)}}));
    role.Set(a, "rules", rules);

    Value binding = Envelope(g, g.cluster ? "ClusterRoleBinding" : "RoleBinding");
    binding.Set(a, "roleRef",
                b_.Map({{"apiGroup", b_.String(kRbacGroup)},
                        {"kind", b_.String(role_kind)},
                        {"name", b_.String(g.name)}}));
    // One service account for every agent pod in the namespace (docs/rbac.md): the binding reaches
    // all of them.
    Value subject =
        b_.Map({{"kind", b_.String("ServiceAccount")}, {"name", b_.String("sympozium-agent")}});
    if (!ns_.empty()) subject.Set(a, "namespace", b_.String(ns_));
    binding.Set(a, "subjects", b_.ListOf({subject}));

    result_.objects.push_back(MakeDocument(memory_, role, "rbacFor"));
    result_.objects.push_back(MakeDocument(memory_, binding, "rbacFor"));
  }

  const AgentRun& run_;
  Str run_name_;
  Str ns_;
  const RbacOptions& options_;
  RbacResult& result_;
  std::shared_ptr<Arena> memory_;  // the objects' (shared by their documents)
  ObjectBuilder b_;
  std::vector<Grant> grants_;  // in the controller's order
};

}  // namespace

Document RbacResult::AsList() const {
  Document list;
  Arena& arena = list.arena();
  Value items = Value::EmptyList();
  for (const Document& object : objects) items.Push(arena, CopyValue(arena, object.root()));
  Value& root = list.mutable_root();
  root.Set(arena, "apiVersion", Value::StringView("v1"));
  root.Set(arena, "kind", Value::StringView("List"));
  root.Set(arena, "items", items);
  return list;
}

RbacResult RbacFor(const std::vector<const SkillPack*>& packs, const AgentRun& run,
                   const RbacOptions& options) {
  RbacResult result;
  RbacGenerator(run, options, result).Generate(packs);
  return result;
}

absl::StatusOr<RbacResult> RbacFor(const std::vector<Document>& packs, const Document& run,
                                   const RbacOptions& options) {
  absl::StatusOr<Decoded<AgentRun>> typed_run =
      DecodeAgentRun(run.Subtree(run.root(), run.Describe()));
  if (!typed_run.ok()) return typed_run.status();
  std::vector<Decoded<SkillPack>> typed_packs;
  typed_packs.reserve(packs.size());
  for (const Document& pack : packs) {
    absl::StatusOr<Decoded<SkillPack>> typed =
        DecodeSkillPack(pack.Subtree(pack.root(), pack.Describe()));
    if (!typed.ok()) return typed.status();
    typed_packs.push_back(*std::move(typed));
  }
  std::vector<const SkillPack*> pointers;
  for (const Decoded<SkillPack>& pack : typed_packs) pointers.push_back(&pack.get());
  return RbacFor(pointers, typed_run->get(), options);
}

}  // namespace sympozium
