#include "sympozium/rbac.h"
#include "lib/rbac/rbac_for.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "lib/decode/decode.h"
#include "lib/read/document.h"
#include "lib/write/write.h"
#include "tests/unit/test_util.h"

namespace sympozium {
namespace testing {

// A structural validator for Kubernetes objects, shared with
// network_policy_test.cc. A schema is a tree read from YAML: a scalar names
// a type (string, bool, int, int-or-string), a one-item list is a list of
// that item, and a map lists the allowed keys (a trailing `!` marks a
// required key; the key `*` allows any key, as in `labels`).
void CheckShape(const Value& v, const Value& schema, const std::string& path,
                std::vector<std::string>* errors) {
  if (schema.is_string()) {
    std::string_view type = schema.text;
    bool ok = (type == "string" && v.is_string()) ||
              (type == "bool" && v.kind == Value::Kind::kBool) ||
              (type == "int" && v.kind == Value::Kind::kInt) ||
              (type == "int-or-string" && (v.kind == Value::Kind::kInt || v.is_string()));
    if (!ok) errors->push_back(path + ": not a " + std::string(type));
    return;
  }
  if (schema.is_list()) {
    if (!v.is_list()) {
      errors->push_back(path + ": not a list");
      return;
    }
    for (size_t i = 0; i < v.items.size(); ++i)
      CheckShape(v.items[i], schema.items[0], path + "[" + std::to_string(i) + "]", errors);
    return;
  }
  if (!v.is_map()) {
    errors->push_back(path + ": not a map");
    return;
  }
  for (const Member& m : v.members) {
    const Value* field = schema.Find(m.key);
    if (field == nullptr) field = schema.Find(std::string(m.key) + "!");
    if (field == nullptr) field = schema.Find("*");
    if (field == nullptr)
      errors->push_back(path + "." + std::string(m.key) + ": unknown field");
    else
      CheckShape(m.value, *field, path + "." + std::string(m.key), errors);
  }
  for (const Member& s : schema.members)
    if (!s.key.empty() && s.key.back() == '!' &&
        v.Find(s.key.substr(0, s.key.size() - 1)) == nullptr)
      errors->push_back(path + "." + std::string(s.key.substr(0, s.key.size() - 1)) + ": missing");
}

// The errors of `object` against the schema `schemas[kind]`; an unknown
// kind is an error.
std::vector<std::string> ShapeErrors(const Value& object, std::string_view schemas_yaml) {
  auto schemas = ReadDocument(schemas_yaml, {Format::kYaml, "schema"});
  REQUIRE_MESSAGE(schemas.ok(), schemas.status().ToString());
  std::vector<std::string> errors;
  const Value* kind = object.Find("kind");
  const Value* schema =
      kind != nullptr && kind->is_string() ? schemas->root().Find(kind->text) : nullptr;
  if (schema == nullptr)
    errors.push_back("no schema for this kind");
  else
    CheckShape(object, *schema, "", &errors);
  return errors;
}

}  // namespace testing

namespace {

// The objects' trees (each kept alive by its document in the result).
std::vector<Value> Roots(const std::vector<Document>& docs) {
  std::vector<Value> roots;
  for (const Document& doc : docs) roots.push_back(doc.root());
  return roots;
}

using testing::DataPath;
using testing::ShapeErrors;

// rbac.authorization.k8s.io/v1 (k8s.io/api/rbac/v1 types.go), every field.
// Cluster-scoped kinds get metadata without a namespace.
constexpr std::string_view kRbacSchemas = R"(
defs:
  ownerReferences: &owners
  - apiVersion!: string
    kind!: string
    name!: string
    uid!: string
    controller: bool
    blockOwnerDeletion: bool
  metadata: &metadata
    name!: string
    namespace!: string
    labels: {"*": string}
    annotations: {"*": string}
    ownerReferences: *owners
  clusterMetadata: &clusterMetadata
    name!: string
    labels: {"*": string}
    annotations: {"*": string}
    ownerReferences: *owners
  rules: &rules
  - apiGroups: [string]
    resources: [string]
    resourceNames: [string]
    nonResourceURLs: [string]
    verbs!: [string]
  roleRef: &roleRef
    apiGroup!: string
    kind!: string
    name!: string
  subjects: &subjects
  - kind!: string
    apiGroup: string
    name!: string
    namespace: string
Role:
  apiVersion!: string
  kind!: string
  metadata!: *metadata
  rules: *rules
ClusterRole:
  apiVersion!: string
  kind!: string
  metadata!: *clusterMetadata
  rules: *rules
  aggregationRule:
    clusterRoleSelectors:
    - matchLabels: {"*": string}
RoleBinding:
  apiVersion!: string
  kind!: string
  metadata!: *metadata
  subjects: *subjects
  roleRef!: *roleRef
ClusterRoleBinding:
  apiVersion!: string
  kind!: string
  metadata!: *clusterMetadata
  subjects: *subjects
  roleRef!: *roleRef
)";

Document Read(std::string_view text, const std::string& name = "test") {
  auto doc = ReadDocument(text, {Format::kYaml, name});
  REQUIRE_MESSAGE(doc.ok(), doc.status().ToString());
  return std::move(*doc);
}

Decoded<AgentRun> Run(std::string_view yaml) {
  auto run = DecodeAgentRun(Read(yaml, "run.yaml"));
  REQUIRE_MESSAGE(run.ok(), run.status().ToString());
  return std::move(*run);
}

Decoded<SkillPack> Pack(std::string_view yaml) {
  auto pack = DecodeSkillPack(Read(yaml, "pack.yaml"));
  REQUIRE_MESSAGE(pack.ok(), pack.status().ToString());
  return std::move(*pack);
}

Decoded<SkillPack> FixturePack(const std::string& name) {
  std::string text = testing::ReadData("fixtures/sympozium/skills/" + name + ".yaml");
  REQUIRE(!text.empty());
  return Pack(text);
}

std::string Text(const Value* v) { return v != nullptr ? std::string(v->text) : std::string(); }

std::string KindName(const Value& object) {
  const Value* metadata = object.Find("metadata");
  return Text(object.Find("kind")) + "/" + Text(metadata ? metadata->Find("name") : nullptr);
}

std::vector<std::string> KindNames(const RbacResult& r) {
  std::vector<std::string> out;
  for (const Value& o : Roots(r.objects)) out.push_back(KindName(o));
  return out;
}

// `code path` of each warning, in order.
std::vector<std::string> Findings(const RbacResult& r) {
  std::vector<std::string> out;
  for (const Diagnostic& d : r.warnings) {
    CHECK(d.severity == Diagnostic::Severity::kWarning);
    CHECK(!d.message.empty());
    out.push_back(d.code + " " + d.path);
  }
  return out;
}

void CheckShapes(const RbacResult& r) {
  for (const Value& o : Roots(r.objects)) {
    std::vector<std::string> errors = ShapeErrors(o, kRbacSchemas);
    CHECK_MESSAGE(errors.empty(), KindName(o), ": ", (errors.empty() ? "" : errors[0]), "\n",
                  ToYaml(o));
    CHECK(Text(o.Find("apiVersion")) == "rbac.authorization.k8s.io/v1");
  }
}

// The fields the conformance README compares for `objects`.
Value Compared(Arena& arena, const Value& object) {
  Value out = Value::EmptyMap();
  for (std::string_view key : {"apiVersion", "kind", "rules", "roleRef", "subjects"})
    if (const Value* v = object.Find(key)) out.Set(arena, key, *v);
  Value metadata = Value::EmptyMap();
  if (const Value* m = object.Find("metadata"))
    for (std::string_view key : {"name", "namespace", "labels"})
      if (const Value* v = m->Find(key)) metadata.Set(arena, key, *v);
  out.Set(arena, "metadata", metadata);
  return out;
}

constexpr char kRunHeader[] =
    "apiVersion: sympozium.ai/v1alpha1\n"
    "kind: AgentRun\n"
    "metadata:\n"
    "  name: run-1\n"
    "  namespace: team\n";

constexpr char kPackHeader[] =
    "apiVersion: sympozium.ai/v1alpha1\n"
    "kind: SkillPack\n"
    "metadata:\n";

TEST_CASE("rbacFor conformance cases") {
  std::vector<std::filesystem::path> files;
  for (const auto& entry :
       std::filesystem::directory_iterator(DataPath("conformance/cases/rbacFor")))
    files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  REQUIRE(files.size() >= 12);
  for (const auto& file : files) {
    CAPTURE(file.filename().string());
    auto text = ReadFile(file.string());
    REQUIRE(text.ok());
    Document c = Read(*text, file.filename().string());
    const Value& root = c.root();
    REQUIRE(Text(root.Find("operation")) == "rbacFor");
    auto run = DecodeAgentRun(c.Subtree(*root.Find("agentRun"), "agentRun"));
    auto pack = DecodeSkillPack(c.Subtree(*root.Find("skillPack"), "skillPack"));
    REQUIRE_MESSAGE(run.ok(), run.status().ToString());
    REQUIRE_MESSAGE(pack.ok(), pack.status().ToString());
    RbacOptions options;
    options.mode = Text(root.Find("mode")) == "strict" ? Mode::kStrict : Mode::kCompat;
    RbacResult r = RbacFor({&pack->get()}, run->get(), options);

    const Value* expected = root.Find("expect")->Find("objects");
    REQUIRE(expected != nullptr);
    CHECK(r.violations.empty());
    REQUIRE(r.objects.size() == expected->items.size());
    Arena arena;
    for (const Value& want : expected->items) {
      std::vector<Value> got = Roots(r.objects);
      auto match = std::find_if(got.begin(), got.end(),
                                [&](const Value& o) { return KindName(o) == KindName(want); });
      REQUIRE_MESSAGE(match != got.end(), KindName(want));
      CHECK_MESSAGE(ValueEquals(Compared(arena, *match), Compared(arena, want)), KindName(want),
                    "\ngot:\n", ToYaml(*match), "\nwant:\n", ToYaml(want));
    }
    CheckShapes(r);
  }
}

TEST_CASE("rbacFor objects follow the controller's order and shape") {
  auto run = Run(std::string(kRunHeader) +
                 "  uid: 0b9f5a4e-1111-2222-3333-444455556666\n"
                 "spec:\n"
                 "  agentRef: a\n"
                 "  lifecycle:\n"
                 "    rbac:\n"
                 "    - {apiGroups: [''], resources: [configmaps], verbs: [get]}\n");
  auto both = Pack(std::string(kPackHeader) +
                   "  name: skillpack-both\n"
                   "spec:\n"
                   "  sidecar:\n"
                   "    image: ghcr.io/x/both:1\n"
                   "    rbac:\n"
                   "    - {apiGroups: [''], resources: [pods, pods], verbs: [get, get]}\n"
                   "    clusterRBAC:\n"
                   "    - {apiGroups: [''], resources: [nodes], verbs: [list]}\n");
  auto ns_only = Pack(std::string(kPackHeader) +
                      "  name: ns-only\n"
                      "spec:\n"
                      "  sidecar:\n"
                      "    image: ghcr.io/x/ns:1\n"
                      "    rbac:\n"
                      "    - {apiGroups: [apps], resources: [deployments], verbs: [list]}\n");
  RbacResult r = RbacFor({&both.get(), &ns_only.get()}, run.get());
  CHECK(r.violations.empty());
  CHECK(r.warnings.empty());
  CHECK(KindNames(r) == std::vector<std::string>{
                            "Role/sympozium-skill-both-run-1",
                            "RoleBinding/sympozium-skill-both-run-1",
                            "ClusterRole/sympozium-skill-both-run-1",
                            "ClusterRoleBinding/sympozium-skill-both-run-1",
                            "Role/sympozium-skill-ns-only-run-1",
                            "RoleBinding/sympozium-skill-ns-only-run-1",
                            "Role/sympozium-lifecycle-run-1",
                            "RoleBinding/sympozium-lifecycle-run-1",
                        });
  CheckShapes(r);
  CHECK(r.cleanup_selectors ==
        std::vector<std::string>{"sympozium.ai/agent-run=run-1,sympozium.ai/managed-by=sympozium"});

  // The Role in full: rules verbatim (duplicates kept), owner reference.
  auto want_role = Read(R"(
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: sympozium-skill-both-run-1
  namespace: team
  labels:
    sympozium.ai/agent-run: run-1
    sympozium.ai/skill: both
    sympozium.ai/managed-by: sympozium
  ownerReferences:
  - apiVersion: sympozium.ai/v1alpha1
    kind: AgentRun
    name: run-1
    uid: 0b9f5a4e-1111-2222-3333-444455556666
    controller: true
    blockOwnerDeletion: true
rules:
- apiGroups: ['']
  resources: [pods, pods]
  verbs: [get, get]
)");
  CHECK_MESSAGE(ValueEquals(r.objects[0].root(), want_role.root()), ToYaml(r.objects[0].root()));
  // Cluster objects: no namespace and no owner (a namespaced run cannot own them).
  for (size_t i : {2, 3}) {
    const Value* metadata = r.objects[i].root().Find("metadata");
    CHECK(metadata->Find("namespace") == nullptr);
    CHECK(metadata->Find("ownerReferences") == nullptr);
  }
  auto want_binding = Read(R"(
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: sympozium-skill-both-run-1}
subjects:
- {kind: ServiceAccount, name: sympozium-agent, namespace: team}
)");
  CHECK(ValueEquals(*r.objects[3].root().Find("roleRef"), *want_binding.root().Find("roleRef")));
  CHECK(ValueEquals(*r.objects[3].root().Find("subjects"), *want_binding.root().Find("subjects")));
  // Lifecycle labels name the component, not a skill.
  auto want_labels = Read(R"(
sympozium.ai/agent-run: run-1
sympozium.ai/component: lifecycle
sympozium.ai/managed-by: sympozium
)");
  for (size_t i : {6, 7}) {
    const Value* metadata = r.objects[i].root().Find("metadata");
    CHECK(ValueEquals(*metadata->Find("labels"), want_labels.root()));
    CHECK(metadata->Find("ownerReferences") != nullptr);
  }

  // Without a uid there is nothing to own the objects by.
  auto no_uid = Run(std::string(kRunHeader) + "spec:\n  agentRef: a\n");
  RbacResult plain = RbacFor({&ns_only.get()}, no_uid.get());
  REQUIRE(plain.objects.size() == 2);
  for (const Value& o : Roots(plain.objects))
    CHECK(o.Find("metadata")->Find("ownerReferences") == nullptr);
  CHECK(plain.cleanup_selectors.empty());  // nothing cluster-scoped
  CheckShapes(plain);
}

TEST_CASE("rbacFor eligibility: image, requiresServer, mode, duplicates") {
  const std::string rules =
      "    rbac:\n"
      "    - {apiGroups: [''], resources: [configmaps], verbs: [get]}\n";
  auto no_image = Pack(std::string(kPackHeader) + "  name: no-image\nspec:\n  sidecar:\n" + rules);
  auto no_sidecar = Pack(std::string(kPackHeader) + "  name: no-sidecar\nspec: {}\n");
  auto server =
      Pack(std::string(kPackHeader) +
           "  name: server\nspec:\n  sidecar:\n    image: x:1\n    requiresServer: true\n" + rules);
  auto plain =
      Pack(std::string(kPackHeader) + "  name: plain\nspec:\n  sidecar:\n    image: x:1\n" + rules);
  auto prefixed = Pack(std::string(kPackHeader) +
                       "  name: skillpack-plain\nspec:\n  sidecar:\n    image: y:1\n" + rules);
  const std::string lifecycle =
      "  lifecycle:\n"
      "    rbac:\n"
      "    - {apiGroups: [''], resources: [configmaps], verbs: [create]}\n";
  auto task = Run(std::string(kRunHeader) + "spec:\n  agentRef: a\n" + lifecycle);
  auto server_run =
      Run(std::string(kRunHeader) + "spec:\n  agentRef: a\n  mode: server\n" + lifecycle);
  std::vector<const SkillPack*> packs = {&no_image.get(), &no_sidecar.get(), nullptr,
                                         &server.get(),   &plain.get(),      &prefixed.get()};

  // Task mode: the server-only sidecar is dropped, the lifecycle Role is made;
  // `skillpack-plain` is the same pack name as `plain`, so the first wins.
  RbacResult t = RbacFor(packs, task.get());
  CHECK(KindNames(t) == std::vector<std::string>{
                            "Role/sympozium-skill-plain-run-1",
                            "RoleBinding/sympozium-skill-plain-run-1",
                            "Role/sympozium-lifecycle-run-1",
                            "RoleBinding/sympozium-lifecycle-run-1",
                        });
  // Server mode: every resolved sidecar, never lifecycle RBAC.
  RbacResult s = RbacFor(packs, server_run.get());
  CHECK(KindNames(s) == std::vector<std::string>{
                            "Role/sympozium-skill-server-run-1",
                            "RoleBinding/sympozium-skill-server-run-1",
                            "Role/sympozium-skill-plain-run-1",
                            "RoleBinding/sympozium-skill-plain-run-1",
                        });
  CHECK(RbacFor({}, Run(std::string(kRunHeader) + "spec:\n  agentRef: a\n").get()).objects.empty());
}

TEST_CASE("rbacFor least-privilege warnings on the shipped k8s-ops pack") {
  auto pack = FixturePack("k8s-ops");
  auto run = Run(std::string(kRunHeader) + "spec:\n  agentRef: a\n");
  RbacResult r = RbacFor({&pack.get()}, run.get());
  REQUIRE(r.objects.size() == 4);
  CheckShapes(r);
  const std::string ns = "SkillPack/k8s-ops spec.sidecar.rbac";
  const std::string cl = "SkillPack/k8s-ops spec.sidecar.clusterRBAC";
  std::vector<std::string> want = {
      "rbac.exec " + ns + "[0].resources[2]",          // pods/exec
      "rbac.exec " + ns + "[0].resources[3]",          // pods/portforward
      "rbac.secrets " + ns + "[0].resources[6]",       //
      "rbac.rbac_objects " + ns + "[6].resources[0]",  // roles
      "rbac.rbac_objects " + ns + "[6].resources[1]",  // rolebindings
      "rbac.secrets " + cl + "[0].resources[7]",       // every Secret in the cluster
      "rbac.rbac_objects " + cl + "[4].resources[0]",
      "rbac.rbac_objects " + cl + "[4].resources[1]",
      "rbac.rbac_objects " + cl + "[4].resources[2]",
      "rbac.rbac_objects " + cl + "[4].resources[3]",
  };
  CHECK(Findings(r) == want);
  // Messages say who, what and where.
  CHECK(r.warnings[0].message ==
        "SkillPack \"k8s-ops\" sidecar RBAC requests \"pods/exec\": it can run commands in any "
        "pod in namespace \"team\", as that pod's service account and with its Secrets");
  CHECK(r.warnings[1].message.find("bypassing NetworkPolicy") != std::string::npos);
  CHECK(r.warnings[2].message.find("every Secret (credentials, tokens) in namespace \"team\"") !=
        std::string::npos);
  CHECK(r.warnings[5].message.find("SkillPack \"k8s-ops\" sidecar cluster RBAC") == 0);
  CHECK(r.warnings[5].message.find("in every namespace") != std::string::npos);
}

TEST_CASE("rbacFor warns on wildcards, escalation verbs and cluster-wide writes") {
  auto pack = Pack(std::string(kPackHeader) + R"(  name: wild
spec:
  sidecar:
    image: x:1
    rbac:
    - apiGroups: ['*', apps]
      resources: ['*', pods/*, pods/attach]
      verbs: ['*', escalate, bind, impersonate, get]
    clusterRBAC:
    - apiGroups: ['']
      resources: [nodes]
      verbs: [get, create, update, patch, delete, deletecollection, '*']
)");
  auto run = Run(std::string(kRunHeader) + R"(spec:
  agentRef: a
  lifecycle:
    rbac:
    - apiGroups: [rbac.authorization.k8s.io]
      resources: [clusterrolebindings]
      verbs: [bind]
)");
  RbacResult r = RbacFor({&pack.get()}, run.get());
  const std::string ns = "SkillPack/wild spec.sidecar.rbac[0]";
  const std::string cl = "SkillPack/wild spec.sidecar.clusterRBAC[0]";
  const std::string lc = "AgentRun/run-1 spec.lifecycle.rbac[0]";
  std::vector<std::string> want = {
      "rbac.wildcard " + ns + ".apiGroups[0]",  "rbac.wildcard " + ns + ".resources[0]",
      "rbac.wildcard " + ns + ".resources[1]",  "rbac.exec " + ns + ".resources[2]",
      "rbac.wildcard " + ns + ".verbs[0]",      "rbac.escalation " + ns + ".verbs[1]",
      "rbac.escalation " + ns + ".verbs[2]",    "rbac.escalation " + ns + ".verbs[3]",
      "rbac.cluster_write " + cl + ".verbs[1]", "rbac.cluster_write " + cl + ".verbs[2]",
      "rbac.cluster_write " + cl + ".verbs[3]", "rbac.cluster_write " + cl + ".verbs[4]",
      "rbac.cluster_write " + cl + ".verbs[5]", "rbac.wildcard " + cl + ".verbs[6]",
      "rbac.cluster_write " + cl + ".verbs[6]", "rbac.rbac_objects " + lc + ".resources[0]",
      "rbac.escalation " + lc + ".verbs[0]",
  };
  CHECK(Findings(r) == want);
  CHECK(r.warnings[4].message ==
        "SkillPack \"wild\" sidecar RBAC requests wildcard verb \"*\", which also matches every "
        "verb added later; list the verbs it needs");
  CHECK(r.warnings[16].message.find("lifecycle RBAC requests the \"bind\" verb") == 0);
  CHECK(r.objects.size() == 6);  // warnings never withhold objects
  CheckShapes(r);
}

TEST_CASE("rbacFor warns when names are too long for Kubernetes") {
  std::string long_run(240, 'r');
  std::string long_pack(70, 'p');
  auto run =
      Run("apiVersion: sympozium.ai/v1alpha1\nkind: AgentRun\nmetadata:\n  name: " + long_run +
          "\n  namespace: team\nspec:\n  agentRef: a\n  lifecycle:\n    rbac:\n"
          "    - {apiGroups: [''], resources: [configmaps], verbs: [get]}\n");
  auto pack = Pack(std::string(kPackHeader) + "  name: " + long_pack +
                   "\nspec:\n  sidecar:\n    image: x:1\n    rbac:\n"
                   "    - {apiGroups: [''], resources: [configmaps], verbs: [get]}\n"
                   "    clusterRBAC:\n"
                   "    - {apiGroups: [''], resources: [nodes], verbs: [get]}\n");
  RbacResult r = RbacFor({&pack.get()}, run.get());
  // The run label once, then each object name once (a pack's Role and
  // ClusterRole share theirs) and the pack label.
  CHECK(Findings(r) == std::vector<std::string>{
                           "rbac.label_too_long AgentRun/" + long_run + " metadata.name",
                           "rbac.name_too_long SkillPack/" + long_pack + " metadata.name",
                           "rbac.label_too_long SkillPack/" + long_pack + " metadata.name",
                           "rbac.name_too_long AgentRun/" + long_run + " metadata.name",
                       });
  CHECK(r.warnings[0].message.find("240 characters, over the 63 allowed") != std::string::npos);
  CHECK(r.warnings[1].message.find(" is 327 characters, over 253") != std::string::npos);
  CHECK(r.objects.size() == 6);  // names are never shortened (docs/rbac.md)

  // Limits are inclusive: 63-character labels and a 253-character name pass.
  auto run63 = Run("apiVersion: sympozium.ai/v1alpha1\nkind: AgentRun\nmetadata:\n  name: " +
                   std::string(63, 'r') + "\n  namespace: team\nspec:\n  agentRef: a\n");
  auto pack_with_name = [&](size_t length) {
    return Pack(std::string(kPackHeader) + "  name: " + std::string(length, 'p') +
                "\nspec:\n  sidecar:\n    image: x:1\n    rbac:\n"
                "    - {apiGroups: [''], resources: [configmaps], verbs: [get]}\n");
  };
  CHECK(Findings(RbacFor({&pack_with_name(63).get()}, run63.get())).empty());
  // sympozium-skill-<173>-<63> is 253 characters: only the pack label is too long.
  std::string at = "SkillPack/" + std::string(173, 'p') + " metadata.name";
  CHECK(Findings(RbacFor({&pack_with_name(173).get()}, run63.get())) ==
        std::vector<std::string>{"rbac.label_too_long " + at});
  at = "SkillPack/" + std::string(174, 'p') + " metadata.name";
  CHECK(Findings(RbacFor({&pack_with_name(174).get()}, run63.get())) ==
        std::vector<std::string>{"rbac.name_too_long " + at, "rbac.label_too_long " + at});
}

TEST_CASE("rbacFor strict mode bounds SkillPack RBAC by deniedResources (S4)") {
  auto restrictive = Preset("restrictive");  // denies secrets, clusterroles, clusterrolebindings
  REQUIRE(restrictive.ok());
  auto pack = FixturePack("k8s-ops");
  auto run = Run(std::string(kRunHeader) + R"(spec:
  agentRef: a
  lifecycle:
    rbac:
    - apiGroups: ['']
      resources: [configmaps, secrets/x, '*']
      verbs: [get]
)");
  RbacOptions strict;
  strict.policy = restrictive->get();
  RbacResult r = RbacFor({&pack.get()}, run.get(), strict);
  // Fail closed: no objects at all.
  CHECK(r.objects.empty());
  CHECK(r.cleanup_selectors.empty());
  std::vector<std::string> got;
  for (const Violation& v : r.violations) {
    CHECK(v.code == "rbac.denied_resource");
    got.push_back(v.path + " | " + v.message);
  }
  const std::string lc = "AgentRun/run-1 spec.lifecycle.rbac[0]";
  const std::string pk = "SkillPack/k8s-ops spec.sidecar.";
  const std::string msg = "SkillPack \"k8s-ops\" sidecar RBAC requests access to denied resource ";
  CHECK(got == std::vector<std::string>{
                   // Lifecycle first, with strict matching (`res/sub`, `*`).
                   lc + ".resources[1] | lifecycle RBAC requests access to denied resource "
                        "\"secrets/x\"",
                   lc + ".resources[2] | lifecycle RBAC requests access to denied resource \"*\"",
                   pk + "rbac[0].resources[6] | " + msg + "\"secrets\"",
                   pk + "clusterRBAC[0].resources[7] | " + msg + "\"secrets\"",
                   pk + "clusterRBAC[4].resources[0] | " + msg + "\"clusterroles\"",
                   pk + "clusterRBAC[4].resources[1] | " + msg + "\"clusterrolebindings\"",
               });
  CHECK(!r.warnings.empty());  // the least-privilege reading still runs

  // compat: the controller creates whatever the pack asks for.
  RbacOptions compat = strict;
  compat.mode = Mode::kCompat;
  RbacResult c = RbacFor({&pack.get()}, run.get(), compat);
  CHECK(c.violations.empty());
  CHECK(c.objects.size() == 6);

  // A policy without deniedResources bounds nothing.
  auto permissive = Preset("permissive");
  REQUIRE(permissive.ok());
  strict.policy = permissive->get();
  CHECK(RbacFor({&pack.get()}, run.get(), strict).objects.size() == 6);

  // Rules that stay clear of the denied set pass in strict mode.
  auto clean = FixturePack("sre-observability");
  strict.policy = restrictive->get();
  RbacResult ok = RbacFor({&clean.get()},
                          Run(std::string(kRunHeader) + "spec:\n  agentRef: a\n").get(), strict);
  CHECK(ok.violations.empty());
  CHECK(ok.objects.size() == 4);
}

TEST_CASE("rbacFor renders every SkillPack in the fixtures") {
  auto task = Run(std::string(kRunHeader) + "  uid: u-1\nspec:\n  agentRef: a\n");
  auto server = Run(std::string(kRunHeader) + "  uid: u-1\nspec:\n  agentRef: a\n  mode: server\n");
  size_t packs = 0, with_rbac = 0;
  for (const auto& entry :
       std::filesystem::directory_iterator(testing::DataPath("fixtures/sympozium/skills"))) {
    const std::string name = entry.path().stem().string();
    CAPTURE(name);
    auto pack = FixturePack(name);
    ++packs;
    const Sidecar* sidecar = pack->spec.sidecar ? &*pack->spec.sidecar : nullptr;
    // A Role and a RoleBinding per namespaced rule set, a ClusterRole and a
    // ClusterRoleBinding per cluster-wide one, for a sidecar with an image.
    const size_t expected = sidecar == nullptr || sidecar->image.empty()
                                ? 0
                                : 2 * !sidecar->rbac.empty() + 2 * !sidecar->cluster_rbac.empty();
    with_rbac += expected != 0;
    for (const auto* run : {&server, &task}) {
      const bool skipped = run == &task && sidecar != nullptr && sidecar->requires_server;
      RbacResult r = RbacFor({&pack.get()}, run->get());
      CHECK(r.violations.empty());
      CHECK(r.objects.size() == (skipped ? 0 : expected));
      CheckShapes(r);
      for (const Value& o : Roots(r.objects))
        CHECK(Text(o.Find("metadata")->Find("name")).size() <= 253);
    }
  }
  CHECK(packs == 10);
  CHECK(with_rbac >= 3);  // k8s-ops, llmfit and sre-observability ask for RBAC
}

TEST_CASE("rbacFor output is a List kubectl reads back") {
  auto pack = FixturePack("llmfit");
  auto run = Run(std::string(kRunHeader) + "  uid: u-1\nspec:\n  agentRef: a\n");
  std::string yaml;
  std::vector<std::string> objects_yaml;
  {
    RbacResult r = RbacFor({&pack.get()}, run.get());
    REQUIRE(r.objects.size() == 4);
    for (const Value& o : Roots(r.objects)) objects_yaml.push_back(ToYaml(o));
    Document list = r.AsList();
    r = RbacResult();  // the list is a copy: it outlives the result
    CHECK(list.api_version() == "v1");
    CHECK(list.kind() == "List");
    yaml = ToYaml(list);
  }
  // Reading a List expands its items, as kubectl does.
  auto docs = ReadDocuments(yaml, {Format::kYaml, "list.yaml"});
  REQUIRE_MESSAGE(docs.ok(), docs.status().ToString());
  REQUIRE(docs->size() == objects_yaml.size());
  for (size_t i = 0; i < docs->size(); ++i) {
    CHECK(ToYaml((*docs)[i].root()) == objects_yaml[i]);
    CHECK(ShapeErrors((*docs)[i].root(), kRbacSchemas).empty());
  }
  // And as JSON: the empty core API group stays a string.
  auto json = ReadDocument(ToJson((*docs)[0].root()), {Format::kJson, "role.json"});
  REQUIRE(json.ok());
  const Value* groups = json->root().Find("rules")->items[0].Find("apiGroups");
  CHECK(groups->items[0].is_string());
  CHECK(groups->items[0].text.empty());
}

TEST_CASE("rbacFor shape validator catches malformed objects") {
  // The validator itself must be able to fail.
  auto bad = Read(R"(
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: x, namespace: ns}
rules:
- apiGroups: ['']
  resources: pods
  verb: [get]
)");
  std::vector<std::string> errors = ShapeErrors(bad.root(), kRbacSchemas);
  CHECK(errors == std::vector<std::string>{
                      ".metadata.namespace: unknown field", ".rules[0].resources: not a list",
                      ".rules[0].verb: unknown field", ".rules[0].verbs: missing"});
  auto binding = Read(R"(
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: x, namespace: ns, labels: {a: 1}}
subjects: [{kind: ServiceAccount, name: sa}]
)");
  CHECK(ShapeErrors(binding.root(), kRbacSchemas) ==
        std::vector<std::string>{".metadata.labels.a: not a string", ".roleRef: missing"});
}

}  // namespace
}  // namespace sympozium
