// What the fuzz targets share: a fixed cluster to evaluate against and the
// invariants every result must keep. A broken invariant aborts, which
// libFuzzer reports as a crash, with the input that caused it.
#ifndef SYMPOZIUM_TESTS_FUZZ_FUZZ_UTIL_H_
#define SYMPOZIUM_TESTS_FUZZ_FUZZ_UTIL_H_

#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "simdjson.h"
#include "sympozium/cluster.h"
#include "sympozium/decision.h"
#include "sympozium/document.h"
#include "sympozium/evaluate.h"
#include "sympozium/mutate.h"
#include "sympozium/policy.h"

#define FUZZ_CHECK(cond)                                                                 \
  do {                                                                                   \
    if (!(cond)) {                                                                       \
      std::fprintf(stderr, "invariant broken: %s (%s:%d)\n", #cond, __FILE__, __LINE__); \
      std::abort();                                                                      \
    }                                                                                    \
  } while (0)

namespace sympozium::fuzz {

// A policy that exercises every check: caps, registries, runtime classes,
// tool rules, feature gates, denied resources, models.
inline constexpr std::string_view kPolicy = R"(apiVersion: sympozium.ai/v1alpha1
kind: SympoziumPolicy
metadata: {name: team, namespace: ns}
spec:
  sandboxPolicy:
    required: true
    maxCPU: "2"
    maxMemory: 4Gi
    allowHostMounts: false
    seccompProfile: {type: RuntimeDefault}
    agentSandboxPolicy: {required: false, defaultRuntimeClass: gvisor, allowedRuntimeClasses: [gvisor, kata]}
  toolGating:
    defaultAction: deny
    rules: [{tool: execute_command, action: ask}, {tool: read_file, action: allow}, {tool: write_file, action: deny}]
  subagentPolicy: {maxDepth: 2, maxConcurrent: 3}
  featureGates: {code-execution: true, sub-agents: false, file-access: false}
  imagePolicy: {allowedRegistries: [ghcr.io/sympozium-ai/, docker.io/library/]}
  modelPolicy: {allowedModels: [gpt-4o], allowedNamespaces: [ns]}
  lifecyclePolicy: {deniedResources: [secrets, clusterroles]}
)";

inline constexpr std::string_view kCluster = R"(apiVersion: sympozium.ai/v1alpha1
kind: Agent
metadata: {name: alice, namespace: ns}
spec: {policyRef: team}
---
apiVersion: sympozium.ai/v1alpha1
kind: Agent
metadata: {name: inst, namespace: default}
spec: {}
---
apiVersion: sympozium.ai/v1alpha1
kind: SkillPack
metadata: {name: k8s-ops, namespace: sympozium-system}
spec:
  skills: [{name: k, content: x}]
  sidecar:
    image: ghcr.io/sympozium-ai/skills/k8s:1
    tools: [{name: kubectl_get, exec: [kubectl, get]}]
    rbac: [{apiGroups: [""], resources: [pods, secrets], verbs: [get, list]}]
    clusterRBAC: [{apiGroups: ["*"], resources: [nodes], verbs: ["*"]}]
)";

// Built once, shared by every run of a target (never modified).
struct Context {
  Cluster cluster;
  PolicyPtr policy;       // kPolicy, strict
  PolicyPtr restrictive;  // the preset, compat

  static const Context& Get() {
    static const Context* context = [] {
      auto* c = new Context;
      FUZZ_CHECK(c->cluster.AddDocuments(kCluster).ok());
      FUZZ_CHECK(c->cluster.AddDocuments(kPolicy).ok());
      absl::StatusOr<PolicyPtr> p = CompilePolicy(kPolicy);
      FUZZ_CHECK(p.ok());
      c->policy = *p;
      absl::StatusOr<PolicyPtr> r = Preset("restrictive", Mode::kCompat);
      FUZZ_CHECK(r.ok());
      c->restrictive = *r;
      return c;
    }();
    return *context;
  }
};

// Checked by simdjson's DOM parser, not by the reader under test.
inline bool IsJson(const std::string& text) {
  static simdjson::dom::parser* parser = new simdjson::dom::parser;
  return parser->parse(text).error() == simdjson::SUCCESS;
}

// A decision is allowed, denied or an error, with the status, code and
// first violation agreeing, and its JSON is JSON.
inline void CheckDecision(const Decision& d) {
  FUZZ_CHECK(d.allowed == (d.result == Result::kAllowed));
  switch (d.result) {
    case Result::kAllowed:
      FUZZ_CHECK(d.status == 200 && d.violations.empty() && d.code.empty());
      break;
    case Result::kDenied:
      FUZZ_CHECK(d.status == 403);
      break;
    case Result::kError:
      FUZZ_CHECK(d.status >= 400 && d.status <= 599);
      break;
  }
  if (d.result != Result::kAllowed) {
    FUZZ_CHECK(!d.violations.empty());
    FUZZ_CHECK(d.code == d.violations[0].code && d.message == d.violations[0].message);
  }
  FUZZ_CHECK(IsJson(d.ToJson()));
}

// Evaluates `bytes` (read as `format`) every way the targets care about:
// a policy bound directly, the restrictive preset in compat mode and the
// cluster lookup. Input that does not read is never allowed.
inline void EvaluateAllWays(std::string_view bytes, Format format) {
  const Context& c = Context::Get();
  ReadOptions read;
  read.format = format;
  bool reads = ReadDocument(bytes, read).ok();
  struct Way {
    Binding binding;
    Mode mode;
    bool mutate_first;
  };
  for (const Way& way : {Way{Binding::Direct(c.policy.get(), &c.cluster), Mode::kStrict, false},
                         Way{Binding::Direct(c.restrictive.get()), Mode::kCompat, true},
                         Way{Binding::Lookup(&c.cluster), Mode::kStrict, true}}) {
    EvaluateOptions options;
    options.mode = way.mode;
    options.mutate_first = way.mutate_first;
    options.read = read;
    Decision d = Evaluate(bytes, way.binding, options);
    CheckDecision(d);
    if (!reads) FUZZ_CHECK(!d.allowed && d.result == Result::kError);
  }
}

// Mutation's patch applied to the input gives its object.
inline void CheckMutation(const Document& doc) {
  const Context& c = Context::Get();
  for (Mode mode : {Mode::kStrict, Mode::kCompat}) {
    absl::StatusOr<MutateResult> m = Mutate(doc, Binding::Lookup(&c.cluster), mode);
    if (!m.ok()) continue;
    FUZZ_CHECK(m->allowed);
    Document patched = Document::Copy(doc.root(), "");
    FUZZ_CHECK(ApplyJsonPatch(patched.arena(), &patched.mutable_root(), m->patch).ok());
    FUZZ_CHECK(ValueEquals(patched.root(), m->object));
    FUZZ_CHECK(IsJson(m->ToJson()));
  }
}

}  // namespace sympozium::fuzz

#endif  // SYMPOZIUM_TESTS_FUZZ_FUZZ_UTIL_H_
