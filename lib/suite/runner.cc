// Running a test file: load what it names once, then evaluate each listed
// item with the library's own evaluation (Evaluate, the Cluster lookups,
// DecideTool) and compare with what the file expects.
#include <algorithm>
#include <optional>

#include "absl/strings/str_join.h"
#include "lib/base/status_macros.h"
#include "lib/cluster/lookup.h"
#include "lib/compile/compile.h"
#include "lib/decode/decode.h"
#include "lib/evaluate/tool_lists.h"
#include "lib/suite/test_file.h"
#include "sympozium/cluster.h"
#include "sympozium/evaluate.h"
#include "sympozium/strings.h"
#include "sympozium/test_suite.h"
#include "sympozium/tool_gate.h"

namespace sympozium {
namespace {

using suite_internal::ErrorAt;
using suite_internal::ExpectedItem;
using suite_internal::TestFile;

// A policy a result can bind, with the label results show.
struct NamedPolicy {
  PolicyPtr policy;
  std::string label;  // "team-a", "preset restrictive@v1"
};

NamedPolicy Named(PolicyPtr policy) {
  std::string label =
      policy->preset().empty() ? policy->name() : StrCat("preset ", policy->preset());
  return {std::move(policy), std::move(label)};
}

// `name` as a result's `policy:` writes it: metadata.name, NAMESPACE/NAME,
// or a preset's name with or without its version.
bool IsNamed(const CompiledPolicy& p, const std::string& name) {
  return name == p.name() || (!p.preset().empty() && name == p.preset()) ||
         (!p.namespace_().empty() && name == StrCat(p.namespace_(), "/", p.name()));
}

// The documents of `paths` (directories recursively), leaving test files out
// so a suite may keep its resources next to itself.
absl::StatusOr<std::vector<Document>> ReadInputs(const std::vector<std::string>& paths) {
  absl::StatusOr<std::vector<std::string>> files = ExpandDocumentPaths(paths);
  if (!files.ok()) return files.status();
  files->erase(std::remove_if(files->begin(), files->end(), suite_internal::IsTestFileName),
               files->end());
  return ReadDocumentFiles(*files);
}

std::vector<std::string> SortedCodes(const Decision& d) {
  std::vector<std::string> codes;
  for (const Violation& v : d.violations) codes.emplace_back(v.code);
  std::sort(codes.begin(), codes.end());
  codes.erase(std::unique(codes.begin(), codes.end()), codes.end());
  return codes;
}

bool Matches(const TestOutcome& expected, const TestOutcome& actual) {
  if (expected.result != actual.result || expected.decision != actual.decision) return false;
  if (!expected.code.empty() && expected.code != actual.code) return false;
  return !expected.check_violations || expected.violations == actual.violations;
}

// Fills in the verdict of a result that was evaluated; `detail` is the
// decision's own explanation.
void Judge(TestResult* r, const std::string& detail) {
  r->passed = Matches(r->expected, r->actual);
  r->message = r->passed ? detail
                         : StrCat("expected ", r->expected.ToString(), ", got ",
                                  r->actual.ToString(), detail.empty() ? "" : ": ", detail);
}

class SuiteRunner {
 public:
  explicit SuiteRunner(TestFile file) : file_(std::move(file)) { options_.mode = file_.mode; }

  absl::Status Load() {
    SYM_RETURN_IF_ERROR(LoadCluster());
    SYM_RETURN_IF_ERROR(LoadPolicies());
    for (const std::string& name : file_.presets) {
      absl::StatusOr<PolicyPtr> p = Preset(name, file_.mode);
      if (!p.ok()) return ErrorAt(file_.path, {}, StrCat("presets: ", p.status().message()));
      policies_.push_back(Named(*p));
    }
    absl::StatusOr<std::vector<Document>> docs = ReadInputs(file_.resources);
    if (!docs.ok()) return docs.status();
    resources_ = std::move(*docs);
    for (const ExpectedItem& item : file_.results) {
      absl::StatusOr<NamedPolicy> named = PolicyNamed(item);
      if (!named.ok()) return named.status();
      bound_.push_back(std::move(*named));
    }
    return absl::OkStatus();
  }

  TestSuiteReport RunAll() const {
    TestSuiteReport report{file_.path, file_.name, {}, 0};
    for (const Document& doc : resources_) report.skipped += !EvaluatesKind(doc.kind());
    for (size_t i = 0; i < file_.results.size(); ++i) {
      const ExpectedItem& item = file_.results[i];
      TestResult r;
      r.file = file_.path;
      r.suite = file_.name;
      r.line = static_cast<int>(item.mark.line);
      r.expected = item.expected;
      if (item.is_tool()) {
        RunTool(item, bound_[i], &r);
      } else {
        RunResource(item, bound_[i], &r);
      }
      report.results.push_back(std::move(r));
    }
    return report;
  }

 private:
  // The cluster files' Agents, policies and SkillPacks (other kinds are
  // skipped: a whole dump may be given).
  absl::Status LoadCluster() {
    if (file_.cluster.empty()) return absl::OkStatus();
    have_cluster_ = true;
    absl::StatusOr<std::vector<Document>> docs = ReadInputs(file_.cluster);
    if (!docs.ok()) return docs.status();
    for (Document& doc : *docs)
      if (IsClusterKind(doc.kind())) SYM_RETURN_IF_ERROR(cluster_.Add(std::move(doc)));
    return absl::OkStatus();
  }

  // The test's own policies, compiled in the test's mode; with a cluster,
  // also added to it, so its Agents' policyRefs find them.
  absl::Status LoadPolicies() {
    absl::StatusOr<std::vector<Document>> docs = ReadInputs(file_.policies);
    if (!docs.ok()) return docs.status();
    CompileOptions options;
    options.mode = file_.mode;
    options.known_tools = cluster_.SkillPackToolNames();
    for (Document& doc : *docs) {
      if (doc.kind() != "SympoziumPolicy")
        return ErrorAt(
            doc.Describe(), {},
            StrCat("policies: expected a SympoziumPolicy, got kind ", Quote(doc.kind())));
      if (have_cluster_)
        SYM_RETURN_IF_ERROR(cluster_.Add(Document::Copy(doc.root(), doc.source_name())));
      absl::StatusOr<Decoded<Policy>> decoded = DecodePolicy(std::move(doc));
      if (!decoded.ok()) return decoded.status();
      absl::StatusOr<PolicyPtr> compiled = Compile(*decoded, options);
      if (!compiled.ok()) return compiled.status();
      policies_.push_back(Named(*compiled));
    }
    return absl::OkStatus();
  }

  // What `policy:` names: one of the test's policies or presets, else a
  // built-in preset; empty when the item names none. An unknown or
  // ambiguous name is an error in the test file.
  absl::StatusOr<NamedPolicy> PolicyNamed(const ExpectedItem& item) const {
    if (item.policy.empty()) return NamedPolicy{};
    std::vector<const NamedPolicy*> found;
    for (const NamedPolicy& p : policies_)
      if (IsNamed(*p.policy, item.policy)) found.push_back(&p);
    if (found.size() == 1) return *found.front();
    if (found.size() > 1)
      return ErrorAt(file_.path, item.policy_mark,
                     StrCat("policy: ", found.size(), " policies are named ", Quote(item.policy),
                            ": write NAMESPACE/NAME"));
    absl::StatusOr<PolicyPtr> preset = Preset(item.policy, file_.mode);
    if (preset.ok()) return Named(*preset);
    return ErrorAt(file_.path, item.policy_mark,
                   StrCat("policy: no policy or preset named ", Quote(item.policy)));
  }

  // The policy of an item without `policy:` and without a cluster lookup:
  // the test's only policy, or none; several is a failure of the item.
  absl::StatusOr<NamedPolicy> OnlyPolicy() const {
    if (policies_.empty()) return NamedPolicy{nullptr, "no policy"};
    if (policies_.size() == 1) return policies_.front();
    return absl::FailedPreconditionError(
        StrCat("the test has ", policies_.size(), " policies: name one with policy:"));
  }

  // The one resource `kind`/`ns`/`name` names, or the failure saying why not.
  absl::StatusOr<const Document*> FindResource(const std::string& kind, const std::string& name,
                                               const std::string& ns) const {
    std::vector<const Document*> found;
    for (const Document& doc : resources_)
      if (doc.kind() == kind && doc.name() == name && (ns.empty() || doc.namespace_() == ns))
        found.push_back(&doc);
    std::string what = StrCat(kind, " ", ns.empty() ? "" : StrCat(ns, "/"), name);
    if (found.empty()) return absl::NotFoundError(StrCat("no ", what, " among the resources"));
    if (found.size() > 1) {
      std::vector<std::string> where;
      for (const Document* d : found) where.push_back(d->Describe());
      return absl::FailedPreconditionError(
          StrCat(found.size(), " resources are ", what, " (", absl::StrJoin(where, ", "), ")",
                 ns.empty() ? ": give namespace to pick one" : ""));
    }
    return found.front();
  }

  void RunResource(const ExpectedItem& item, const NamedPolicy& named, TestResult* r) const {
    absl::StatusOr<const Document*> doc = FindResource(item.kind, item.name, item.namespace_);
    std::string ns = doc.ok() ? std::string((*doc)->namespace_()) : item.namespace_;
    r->id =
        ns.empty() ? StrCat(item.kind, "/", item.name) : StrCat(item.kind, "/", ns, "/", item.name);
    r->kind = item.kind;
    r->namespace_ = ns;
    r->name = item.name;
    if (doc.ok()) {
      r->resource = (*doc)->Describe();
      r->resource_line = (*doc)->root().mark.line;
    }
    const Cluster* cluster = have_cluster_ ? &cluster_ : nullptr;
    Binding binding;
    if (named.policy) {
      binding = Binding::Direct(named.policy.get(), cluster);
      r->policy = named.label;
    } else if (cluster != nullptr) {
      binding = Binding::Lookup(cluster);
      r->policy = "the cluster's policy";
    } else {
      absl::StatusOr<NamedPolicy> only = OnlyPolicy();
      if (!only.ok()) return Unevaluated(r, only.status());
      binding = only->policy ? Binding::Direct(only->policy.get()) : Binding::None();
      r->policy = only->label;
    }
    if (!doc.ok()) return Unevaluated(r, doc.status());
    Decision d = Evaluate(**doc, binding, options_);
    r->actual.result = std::string(ResultName(d.result));
    r->actual.code = std::string(d.code);
    r->actual.violations = SortedCodes(d);
    Judge(r, d.message);
  }

  void RunTool(const ExpectedItem& item, const NamedPolicy& named, TestResult* r) const {
    r->id = StrCat("tool/", item.tool);
    r->kind = "tool";
    r->name = item.tool;
    std::optional<Decoded<AgentRun>> run;
    if (!item.run.empty()) {
      absl::StatusOr<const Document*> doc = FindResource("AgentRun", item.run, item.namespace_);
      if (!doc.ok()) return Unevaluated(r, doc.status());
      absl::StatusOr<Decoded<AgentRun>> decoded =
          DecodeAgentRun((*doc)->Subtree((*doc)->root(), (*doc)->source_name()));
      if (!decoded.ok()) return Unevaluated(r, decoded.status());
      run = std::move(*decoded);
    }
    absl::StatusOr<NamedPolicy> policy = ToolPolicy(named, run ? &run->get() : nullptr);
    if (!policy.ok()) return Unevaluated(r, policy.status());
    r->policy = policy->label;
    std::optional<RunToolLists> lists;
    if (run) lists = ToolListsOf(run->get());
    ToolDecision d = DecideTool(policy->policy.get(), lists ? &*lists : nullptr, item.tool);
    r->actual.decision = std::string(ToolActionName(d.action));
    Judge(r, d.Reason(item.tool, policy->policy.get()));
  }

  // A tool's policy: the one named; with a cluster and a run, the one its
  // Agent binds (as admission finds it); else the test's only policy.
  absl::StatusOr<NamedPolicy> ToolPolicy(const NamedPolicy& named, const AgentRun* run) const {
    if (named.policy) return named;
    if (!have_cluster_ || run == nullptr) return OnlyPolicy();
    std::string_view ns = run->metadata.namespace_;
    PolicyLookup found = LookupPolicy(cluster_, ns, run->spec.agent_ref);
    if (found.broken != nullptr) return absl::FailedPreconditionError(found.broken->Describe());
    if (found.agent == nullptr)
      return absl::NotFoundError(
          StrCat("no Agent ", run->spec.agent_ref, " in namespace ", ns, " (agent.not_found)"));
    if (found.policy_ref.empty()) return NamedPolicy{nullptr, "no policy"};
    if (found.policy == nullptr)
      return absl::NotFoundError(StrCat("no SympoziumPolicy ", found.policy_ref, " in namespace ",
                                        ns, " (policy.not_found)"));
    if (file_.mode == Mode::kStrict && !found.policy->strict_errors().empty())
      return absl::FailedPreconditionError(
          StrCat("SympoziumPolicy ", found.policy->name(), " does not compile in strict mode: ",
                 found.policy->strict_errors().front().ToString(), " (policy.invalid)"));
    return NamedPolicy{cluster_.FindPolicyShared(ns, found.policy_ref), found.policy->name()};
  }

  // An item that could not be evaluated: a failure, never a pass.
  static void Unevaluated(TestResult* r, const absl::Status& why) {
    r->passed = false;
    r->message = std::string(why.message());
  }

  TestFile file_;
  EvaluateOptions options_;
  Cluster cluster_;
  bool have_cluster_ = false;
  std::vector<NamedPolicy> policies_;  // the test's policies, then its presets
  std::vector<Document> resources_;
  std::vector<NamedPolicy> bound_;  // per result: what its `policy:` names, or empty
};

}  // namespace

absl::StatusOr<TestSuiteReport> RunTestFile(const std::string& path) {
  absl::StatusOr<TestFile> file = suite_internal::ReadTestFile(path);
  if (!file.ok()) return file.status();
  SuiteRunner runner(std::move(*file));
  SYM_RETURN_IF_ERROR(runner.Load());
  return runner.RunAll();
}

}  // namespace sympozium
