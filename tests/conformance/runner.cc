// Conformance runner: executes the cases of tests/shared/conformance/cases
// (a copy of the shared cases) and of tests/conformance/cases (the
// project's own) against the library and fails on any mismatch.
// Usage: sympozium_conformance CASES_DIR [OPERATION]
//
// The case format and matching rules are in conformance/README.md. Nothing
// is skipped: a case of an operation this runner does not know fails.
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "absl/strings/str_format.h"
#include "lib/compile/compile.h"
#include "lib/decode/decode.h"
#include "lib/evaluate/tool_lists.h"
#include "lib/rbac/rbac_for.h"
#include "lib/write/write.h"
#include "sympozium/cluster.h"
#include "sympozium/evaluate.h"
#include "sympozium/mutate.h"
#include "sympozium/pod_security.h"
#include "sympozium/rbac.h"
#include "sympozium/strings.h"
#include "sympozium/tool_gate.h"
#include "tests/conformance/matchers.h"

namespace sympozium::conformance {
namespace {

namespace fs = std::filesystem;
using absl::StrFormat;

// One case file, read, with its parts as documents.
class Case {
 public:
  explicit Case(Document doc) : doc_(std::move(doc)) {}

  const Value* Get(std::string_view key) const { return doc_.root().Find(key); }
  bool Has(std::string_view key) const { return Get(key) != nullptr; }
  std::string Text(std::string_view key) const {
    const Value* v = Get(key);
    return v != nullptr && v->is_scalar() ? std::string(v->text) : std::string();
  }
  Document Part(const Value& node, std::string_view what) const {
    return doc_.Subtree(node, doc_.source_name() + ":" + std::string(what));
  }
  Mode mode() const { return Text("mode") == "strict" ? Mode::kStrict : Mode::kCompat; }
  const Value& expect() const {
    static const Value empty = Value::EmptyMap();
    const Value* e = Get("expect");
    return e != nullptr ? *e : empty;
  }

 private:
  Document doc_;
};

// The cluster of the README's "Cluster model".
absl::Status BuildCluster(const Case& c, Cluster* cluster) {
  const Value* run = c.Get("agentRun");
  const Value* policy = c.Get("policy");
  if (policy != nullptr && !policy->is_null())
    if (absl::Status s = cluster->Add(c.Part(*policy, "policy")); !s.ok()) return s;
  if (const Value* packs = c.Get("skillPacks"); packs != nullptr && packs->is_list())
    for (size_t i = 0; i < packs->items.size(); ++i)
      if (absl::Status s = cluster->Add(c.Part(packs->items[i], "skillPacks")); !s.ok()) return s;
  const Value* agent = c.Get("agent");
  if (agent == nullptr) {
    // An Agent named spec.agentRef in the run's namespace, bound to the
    // case's policy if there is one.
    Document made;
    Arena& a = made.arena();
    Value& root = made.mutable_root();
    root.Set(a, "apiVersion", Value::StringView(kSympoziumApiVersion));
    root.Set(a, "kind", Value::StringView("Agent"));
    const Value* meta = run ? run->Find("metadata") : nullptr;
    const Value* spec = run ? run->Find("spec") : nullptr;
    const Value* ref = spec ? spec->Find("agentRef") : nullptr;
    const Value* ns = meta ? meta->Find("namespace") : nullptr;
    Value m = Value::EmptyMap();
    m.Set(a, "name", Value::String(a, ref ? ref->text : ""));
    m.Set(a, "namespace", Value::String(a, ns ? ns->text : ""));
    root.Set(a, "metadata", m);
    Value s = Value::EmptyMap();
    if (policy != nullptr && !policy->is_null()) {
      const Value* pmeta = policy->Find("metadata");
      const Value* pname = pmeta ? pmeta->Find("name") : nullptr;
      s.Set(a, "policyRef", Value::String(a, pname ? pname->text : ""));
    }
    root.Set(a, "spec", s);
    return cluster->Add(std::move(made));
  }
  if (!agent->is_null()) return cluster->Add(c.Part(*agent, "agent"));
  return absl::OkStatus();
}

// Each operation returns "" on a match, else what differs.
using Runner = std::function<std::string(const Case&)>;

std::string CheckDecision(const Decision& d, const Value& expect) {
  std::string out;
  if (const Value* allowed = expect.Find("allowed")) {
    if (allowed->boolean != d.allowed)
      out += StrFormat("allowed: want %s, got %s (%s: %s)", allowed->boolean ? "true" : "false",
                       d.allowed ? "true" : "false", std::string(d.code), d.message);
  }
  if (const Value* reason = expect.Find("reasonContains")) {
    if (d.message.find(reason->text) == std::string::npos)
      out += StrFormat("%smessage %s does not contain %s", out.empty() ? "" : "; ",
                       Quote(d.message), Quote(reason->text));
  }
  return out;
}

std::string AdmitAgentRun(const Case& c) {
  Cluster cluster;
  if (absl::Status s = BuildCluster(c, &cluster); !s.ok())
    return "cluster: " + std::string(s.message());
  EvaluateOptions options;
  options.mode = c.mode();
  Decision d = Evaluate(c.Part(*c.Get("agentRun"), "agentRun"), Binding::Lookup(&cluster), options);
  return CheckDecision(d, c.expect());
}

std::string AdmitSkillPack(const Case& c) {
  EvaluateOptions options;
  options.mode = c.mode();
  Decision d = Evaluate(c.Part(*c.Get("skillPack"), "skillPack"), Binding::None(), options);
  return CheckDecision(d, c.expect());
}

std::string MutateAgentRun(const Case& c) {
  Cluster cluster;
  if (absl::Status s = BuildCluster(c, &cluster); !s.ok())
    return "cluster: " + std::string(s.message());
  absl::StatusOr<MutateResult> r =
      Mutate(c.Part(*c.Get("agentRun"), "agentRun"), Binding::Lookup(&cluster), c.mode());
  if (!r.ok()) return "mutate: " + std::string(r.status().message());
  const Value* want = c.expect().Find("patch");
  if (want == nullptr) return "case has no expect.patch";
  return SubsetMismatch(*want, r->object.root(), "");
}

absl::StatusOr<PolicyPtr> CasePolicy(const Case& c) {
  const Value* policy = c.Get("policy");
  if (policy == nullptr || policy->is_null()) return PolicyPtr();
  absl::StatusOr<Decoded<Policy>> decoded = DecodePolicy(c.Part(*policy, "policy"));
  if (!decoded.ok()) return decoded.status();
  CompileOptions options;
  options.mode = c.mode();
  return Compile(*decoded, options);
}

std::string ToolDecisionCase(const Case& c) {
  absl::StatusOr<PolicyPtr> policy = CasePolicy(c);
  if (!policy.ok()) return "policy: " + std::string(policy.status().message());
  std::optional<RunToolLists> lists;
  if (const Value* run = c.Get("agentRun"); run != nullptr && !run->is_null()) {
    absl::StatusOr<Decoded<AgentRun>> decoded = DecodeAgentRun(c.Part(*run, "agentRun"));
    if (!decoded.ok()) return "agentRun: " + std::string(decoded.status().message());
    lists = ToolListsOf(**decoded);
  }
  ToolDecision d = DecideTool(policy->get(), lists ? &*lists : nullptr, c.Text("tool"));
  std::string want =
      c.expect().Find("decision") ? std::string(c.expect().Find("decision")->text) : std::string();
  std::string got(ToolActionName(d.action));
  return got == want ? "" : StrFormat("decision: want %s, got %s", want, got);
}

std::string RbacForCase(const Case& c) {
  absl::StatusOr<Decoded<AgentRun>> run = DecodeAgentRun(c.Part(*c.Get("agentRun"), "agentRun"));
  if (!run.ok()) return "agentRun: " + std::string(run.status().message());
  absl::StatusOr<Decoded<SkillPack>> pack =
      DecodeSkillPack(c.Part(*c.Get("skillPack"), "skillPack"));
  if (!pack.ok()) return "skillPack: " + std::string(pack.status().message());
  absl::StatusOr<PolicyPtr> policy = CasePolicy(c);
  if (!policy.ok()) return "policy: " + std::string(policy.status().message());
  RbacOptions options;
  options.mode = c.mode();
  options.policy = policy->get();
  RbacResult r = RbacFor({&**pack}, **run, options);
  const Value* want = c.expect().Find("objects");
  if (want == nullptr) return "case has no expect.objects";
  return ObjectsMismatch(*want, r.objects);
}

// A case with `podSecurity` evaluates the object against that standard
// alone; otherwise under its policy (or none).
absl::StatusOr<Decision> EvaluatePodObject(const Case& c) {
  Document object = c.Part(*c.Get("object"), "object");
  if (c.Has("podSecurity")) {
    absl::StatusOr<PodSecurityStandard> standard = ParsePodSecurityStandard(c.Text("podSecurity"));
    if (!standard.ok()) return standard.status();
    return EvaluatePodSecurity(object, *standard);
  }
  absl::StatusOr<PolicyPtr> policy = CasePolicy(c);
  if (!policy.ok()) return policy.status();
  EvaluateOptions options;
  options.mode = c.mode();
  return Evaluate(object, Binding::Direct(policy->get()), options);
}

std::string EvaluatePodCase(const Case& c) {
  absl::StatusOr<Decision> evaluated = EvaluatePodObject(c);
  if (!evaluated.ok()) return "case: " + std::string(evaluated.status().message());
  const Decision& d = *evaluated;
  std::string out = CheckDecision(d, c.expect());
  if (const Value* codes = c.expect().Find("violationCodes"))
    for (const Value& want : codes->items)
      if (std::none_of(d.violations.begin(), d.violations.end(),
                       [&](const Violation& v) { return v.code == want.text; }))
        out += StrFormat("%sno violation with code %s", out.empty() ? "" : "; ",
                         std::string(want.text));
  if (const Value* paths = c.expect().Find("violationPaths"))
    for (const Value& want : paths->items) {
      bool found = std::any_of(d.violations.begin(), d.violations.end(), [&](const Violation& v) {
        return v.path.compare(0, want.text.size(), want.text) == 0;
      });
      if (!found)
        out += StrFormat("%sno violation at %s", out.empty() ? "" : "; ", std::string(want.text));
    }
  return out;
}

const std::map<std::string, Runner>& Runners() {
  static const std::map<std::string, Runner> runners = {
      {"admitAgentRun", AdmitAgentRun},   {"admitSkillPack", AdmitSkillPack},
      {"mutateAgentRun", MutateAgentRun}, {"toolDecision", ToolDecisionCase},
      {"rbacFor", RbacForCase},           {"evaluatePod", EvaluatePodCase},
  };
  return runners;
}

int Main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s CASES_DIR [OPERATION]\n", argv[0]);
    return 2;
  }
  std::string only = argc > 2 ? argv[2] : "";
  std::vector<fs::path> files;
  for (const auto& entry : fs::recursive_directory_iterator(argv[1]))
    if (entry.is_regular_file() && entry.path().extension() == ".yaml")
      files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  int passed = 0, failed = 0;
  for (const fs::path& file : files) {
    auto text = ReadFile(file.string());
    std::string name = file.parent_path().filename().string() + "/" + file.filename().string();
    std::string problem;
    std::string operation;
    if (!text.ok()) {
      problem = std::string(text.status().message());
    } else if (auto doc = ReadDocument(*text, {Format::kAuto, name}); !doc.ok()) {
      problem = std::string(doc.status().message());
    } else {
      Case c(std::move(*doc));
      operation = c.Text("operation");
      if (!only.empty() && operation != only) continue;
      auto runner = Runners().find(operation);
      problem =
          runner == Runners().end() ? "unknown operation \"" + operation + "\"" : runner->second(c);
    }
    if (problem.empty()) {
      ++passed;
    } else {
      ++failed;
      std::printf("FAIL %s: %s\n", name.c_str(), problem.c_str());
    }
  }
  std::printf("conformance%s%s: %d passed, %d failed\n", only.empty() ? "" : " ", only.c_str(),
              passed, failed);
  return failed == 0 && passed > 0 ? 0 : 1;
}

}  // namespace
}  // namespace sympozium::conformance

int main(int argc, char** argv) { return sympozium::conformance::Main(argc, argv); }
