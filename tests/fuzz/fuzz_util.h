// What the fuzz targets share: a fixed cluster to evaluate against and the
// invariants every result must keep. A broken invariant aborts, which
// libFuzzer reports as a crash, with the input that caused it.
#ifndef SYMPOZIUM_TESTS_FUZZ_FUZZ_UTIL_H_
#define SYMPOZIUM_TESTS_FUZZ_FUZZ_UTIL_H_

#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "lib/mutate/json_patch.h"
#include "lib/read/document.h"
#include "simdjson.h"
#include "sympozium/cluster.h"
#include "sympozium/decision.h"
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

// An RFC 8259 grammar check, independent of the reader under test (and of
// simdjson, which also refuses numbers outside 64-bit and double range).
class JsonGrammar {
 public:
  explicit JsonGrammar(std::string_view s) : s_(s) {}

  bool Valid() {
    return simdjson::validate_utf8(s_.data(), s_.size()) && Element(0) &&
           (Space(), i_ == s_.size());
  }

 private:
  void Space() {
    while (i_ < s_.size() && (s_[i_] == ' ' || s_[i_] == '\t' || s_[i_] == '\n' || s_[i_] == '\r'))
      ++i_;
  }
  bool Eat(char c) {
    Space();
    if (i_ >= s_.size() || s_[i_] != c) return false;
    ++i_;
    return true;
  }
  bool Word(std::string_view w) {
    if (s_.substr(i_, w.size()) != w) return false;
    i_ += w.size();
    return true;
  }
  size_t Digits() {
    size_t start = i_;
    while (i_ < s_.size() && s_[i_] >= '0' && s_[i_] <= '9') ++i_;
    return i_ - start;
  }
  bool Number() {
    if (i_ < s_.size() && s_[i_] == '-') ++i_;
    size_t start = i_;
    size_t n = Digits();
    if (n == 0 || (n > 1 && s_[start] == '0')) return false;
    if (i_ < s_.size() && s_[i_] == '.' && (++i_, Digits() == 0)) return false;
    if (i_ < s_.size() && (s_[i_] == 'e' || s_[i_] == 'E')) {
      ++i_;
      if (i_ < s_.size() && (s_[i_] == '+' || s_[i_] == '-')) ++i_;
      if (Digits() == 0) return false;
    }
    return true;
  }
  bool String() {
    if (!Eat('"')) return false;
    while (i_ < s_.size() && s_[i_] != '"') {
      unsigned char c = static_cast<unsigned char>(s_[i_++]);
      if (c < 0x20) return false;
      if (c != '\\') continue;
      if (i_ >= s_.size()) return false;
      char e = s_[i_++];
      if (e == 'u') {
        for (int k = 0; k < 4; ++k, ++i_)
          if (i_ >= s_.size() || !std::isxdigit(static_cast<unsigned char>(s_[i_]))) return false;
      } else if (std::string_view("\"\\/bfnrt").find(e) == std::string_view::npos) {
        return false;
      }
    }
    return Eat('"');
  }
  bool Element(int depth) {
    if (depth > 1000) return false;
    Space();
    if (i_ >= s_.size()) return false;
    switch (s_[i_]) {
      case '{':
        ++i_;
        if (Eat('}')) return true;
        do {
          if (!String() || !Eat(':') || !Element(depth + 1)) return false;
        } while (Eat(','));
        return Eat('}');
      case '[':
        ++i_;
        if (Eat(']')) return true;
        do {
          if (!Element(depth + 1)) return false;
        } while (Eat(','));
        return Eat(']');
      case '"':
        return String();
      case 't':
        return Word("true");
      case 'f':
        return Word("false");
      case 'n':
        return Word("null");
      default:
        return Number();
    }
  }

  std::string_view s_;
  size_t i_ = 0;
};

inline bool IsJson(const std::string& text) { return JsonGrammar(text).Valid(); }

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
    FUZZ_CHECK(ApplyJsonPatch(patched.arena(), &patched.mutable_root(), m->patch.root()).ok());
    FUZZ_CHECK(ValueEquals(patched.root(), m->object.root()));
    FUZZ_CHECK(IsJson(m->ToJson()));
  }
}

}  // namespace sympozium::fuzz

#endif  // SYMPOZIUM_TESTS_FUZZ_FUZZ_UTIL_H_
