// lint: everything the compiler knows about SympoziumPolicies, as errors and
// warnings with codes, document paths and line:column.
//
// Errors (exit 1): schema violations the API server rejects, a document that
// does not decode, and in strict mode what strict compilation refuses (an
// unknown action, a cap that is not a quantity). Warnings: the compiler's
// lint.* findings (docs/checks.md#compile-time-warnings and rule hygiene), plus
// the checks below that need the whole policy: rules that decide nothing,
// defaults the policy itself forbids, caps and limits that block everything,
// NetworkPolicy entries the generator cannot express, and in compat mode the
// settings Sympozium itself never enforces. Across files: two documents of
// one policy (namespace and name).
#include <algorithm>
#include <chrono>
#include <iostream>

#include "absl/strings/ascii.h"
#include "absl/strings/str_split.h"
#include "lib/base/image_ref.h"
#include "lib/compile/compile.h"
#include "lib/compile/policy_table.h"
#include "sympozium/cluster.h"
#include "sympozium/network_policy.h"
#include "sympozium/strings.h"
#include "tools/cli/ci_report.h"
#include "tools/cli/cli.h"
#include "tools/cli/report.h"
#include "tools/cli/verbs.h"

namespace sympozium::cli {
namespace {

using Severity = Diagnostic::Severity;

struct PolicyLint {
  std::string file;      // the file, for file:line:col
  std::string document;  // "file#2"
  std::string object;    // "SympoziumPolicy ns/name"
  Diagnostics findings;  // in source order
  size_t errors = 0;
  size_t warnings = 0;
  size_t suppressed = 0;  // warnings --ignore or the policy's annotation hid
};

// Collects findings for one policy document, positioned in its tree.
class Findings {
 public:
  Findings(const Document& doc, Diagnostics* out) : doc_(doc), out_(out) {}

  void Add(Severity severity, std::string code, std::string path, std::string message) {
    Diagnostic d;
    d.severity = severity;
    d.code = std::move(code);
    d.message = std::move(message);
    d.source = doc_.Describe();
    d.mark = doc_.MarkAt(path);
    d.path = std::move(path);
    out_->push_back(std::move(d));
  }
  void Warn(std::string code, std::string path, std::string message) {
    Add(Severity::kWarning, std::move(code), std::move(path), std::move(message));
  }

  // A decode or compile failure: its code and path, and the message without
  // the "path: " prefix and " (source:line:col)" suffix ToStatus added.
  void AddStatus(const absl::Status& status) {
    std::string path = PathOf(status);
    std::string code = CodeOf(status);
    std::string message(status.message());
    if (!path.empty() && message.compare(0, path.size() + 2, path + ": ") == 0)
      message.erase(0, path.size() + 2);
    // The suffix is the last parenthesis: decode's own texts may hold one
    // ("got a number (5)") but always before it.
    if (size_t at = message.rfind(" ("); at != std::string::npos && message.back() == ')')
      message.erase(at);
    Add(Severity::kError, code.empty() ? "decode.error" : code, path, message);
  }

  // A diagnostic from the library, positioned here when it has no mark.
  void Adopt(Diagnostic d, Severity severity) {
    d.severity = severity;
    if (d.mark.line == 0) d.mark = doc_.MarkAt(d.path);
    d.source = doc_.Describe();
    out_->push_back(std::move(d));
  }

 private:
  const Document& doc_;
  Diagnostics* out_;
};

// A rule that repeats defaultAction decides nothing (deny rules excepted:
// compat admission check 10 reads only deny rules, so they still matter).
void CheckRedundantRules(const PolicyTable& t, Findings& f) {
  if (!t.has_tool_gating) return;
  absl::flat_hash_set<std::string> seen;
  for (size_t i = 0; i < t.rules.size(); ++i) {
    const auto& [tool, text] = t.rules[i];
    std::optional<ToolAction> action = ParseToolAction(text);
    if (!action || *action != t.default_action || *action == ToolAction::kDeny) continue;
    auto rule = t.tool_rules.find(tool);
    if (rule == t.tool_rules.end() || rule->second != *action || !seen.insert(tool).second)
      continue;  // another rule for the tool decides it (compiler warnings say so)
    std::string message = StrCat("rule ", Quote(StrCat(tool, ": ", text)),
                                 " repeats defaultAction and changes no tool decision");
    if (*action == ToolAction::kAllow)
      StrAppend(&message,
                "; mutate (docs/mutation.md, step 6) still copies allow rules into "
                "spec.toolPolicy.allow, "
                "and a non-empty allow list hides every tool it does not name");
    f.Warn("lint.redundant_rule", StrCat("spec.toolGating.rules[", i, "]"), message);
  }
}

void CheckLimits(const PolicyTable& t, Findings& f) {
  for (const auto& [cap, field, what] : {std::tuple{&t.max_cpu, "maxCPU", "CPU"},
                                         std::tuple{&t.max_memory, "maxMemory", "memory"}}) {
    if (!cap->value || cap->value->Compare(Quantity()) > 0) continue;
    f.Warn(
        "lint.cap_not_positive", StrCat("spec.sandboxPolicy.", field),
        StrCat(field, " ", Quote(cap->text), " is ", cap->value->IsNegative() ? "negative" : "zero",
               ": every run that sets any sandbox ", what, " request or limit is denied"));
  }
  if (t.has_subagent_policy && t.max_depth <= 0)
    f.Warn("lint.max_depth_zero", "spec.subagentPolicy.maxDepth",
           StrCat("maxDepth: ", t.max_depth,
                  " sets no depth limit at admission (check 9 needs maxDepth > 0), while the "
                  "controller refuses every sub-agent when it starts (spawnDepth > maxDepth)"));
}

// Defaults the policy hands out that its own allowlists refuse.
void CheckDefaults(const PolicyTable& t, Mode mode, Findings& f) {
  const std::vector<std::string>& classes = t.allowed_runtime_classes;
  if (!t.default_runtime_class.empty() && !classes.empty() &&
      std::find(classes.begin(), classes.end(), t.default_runtime_class) == classes.end())
    f.Warn("lint.default_runtime_class",
           "spec.sandboxPolicy.agentSandboxPolicy.defaultRuntimeClass",
           StrCat("defaultRuntimeClass ", Quote(t.default_runtime_class),
                  " is not in allowedRuntimeClasses ", GoList(classes),
                  ": agent-sandbox runs that take the default are denied"));
  if (!t.default_image.empty() && !t.allowed_registries.empty()) {
    bool allowed = false;
    if (mode == Mode::kStrict) {
      ImageRef image = NormalizeImage(t.default_image);
      for (const std::string& entry : t.allowed_registries_normalized)
        allowed = allowed || ImageMatchesEntry(image, entry);
    } else {
      for (const std::string& entry : t.allowed_registries)
        allowed = allowed || ImageHasPrefix(t.default_image, entry);
    }
    if (!allowed)
      f.Warn("lint.default_image_registry", "spec.sandboxPolicy.defaultImage",
             StrCat("defaultImage ", Quote(t.default_image), " is not from an allowed registry ",
                    GoList(t.allowed_registries),
                    ": sandboxed runs that take the default image are denied"));
  }
}

void CheckPodSettings(const PolicyTable& t, Findings& f) {
  if (t.has_seccomp_profile && t.seccomp_type != "RuntimeDefault" && t.seccomp_type != "Localhost")
    f.Warn("lint.seccomp_profile", "spec.sandboxPolicy.seccompProfile.type",
           t.seccomp_type == "Unconfined"
               ? std::string("seccomp profile Unconfined turns syscall filtering off, and no agent "
                             "pod can pass pod rule P6 (RuntimeDefault or Localhost)")
               : StrCat("unknown seccomp profile type ", Quote(t.seccomp_type),
                        " (RuntimeDefault, Localhost, Unconfined): no agent pod can match it "
                        "(pod rule P6)"));
  if (t.allow_host_mounts)
    f.Warn("lint.allow_host_mounts", "spec.sandboxPolicy.allowHostMounts",
           "allowHostMounts: true lets agent pods run privileged, share the host's network, PID "
           "and IPC namespaces and mount hostPath volumes (pod rules P5, P7, P8 are waived)");
}

void CheckNetwork(const CompiledPolicy& policy, Findings& f) {
  const PolicyTable& t = TableOf(policy);
  if (!t.has_network_policy) return;
  if (!t.deny_all && !t.allowed_egress.empty())
    f.Warn("lint.egress_without_deny_all", "spec.networkPolicy.allowedEgress",
           "allowedEgress has no effect: with denyAll: false no NetworkPolicy is generated and "
           "all egress stays open");
  for (Diagnostic& d : GenerateNetworkPolicy(policy).warnings)
    f.Adopt(std::move(d), Severity::kWarning);
}

// compat mode is Sympozium itself, which reads some fields nowhere (docs/model.md#lookups,
// docs/tools.md): a reviewer should know which settings are words only there.
void CheckCompatGaps(const PolicyTable& t, Findings& f) {
  if (t.has_tool_gating && t.default_action != ToolAction::kAllow)
    f.Warn("lint.not_enforced", "spec.toolGating.defaultAction",
           StrCat("Sympozium never reads defaultAction: tools no rule names stay allowed, not ",
                  ToolActionName(t.default_action)));
  bool has_allow_rule = false;
  for (const auto& [tool, action] : t.tool_rules) has_allow_rule |= action == ToolAction::kAllow;
  for (size_t i = 0; i < t.rules.size(); ++i)
    if (t.rules[i].second == "ask")
      f.Warn("lint.not_enforced", StrCat("spec.toolGating.rules[", i, "].action"),
             StrCat("Sympozium has no approval step for ask: after the toolPolicy conversion "
                    "(docs/mutation.md, step 6) ",
                    Quote(t.rules[i].first), " is ",
                    has_allow_rule ? "hidden, since the policy has allow rules"
                                   : "allowed, since the policy has no allow rules"));
  if (t.has_network_policy && t.deny_all)
    f.Warn("lint.not_enforced", "spec.networkPolicy",
           "Sympozium generates no NetworkPolicy from networkPolicy; apply the output of "
           "`sympozium-policy netpol` yourself");
  if (!t.allowed_models.empty() || !t.allowed_namespaces.empty())
    f.Warn("lint.not_enforced", "spec.modelPolicy",
           "Sympozium never enforces modelPolicy; only strict mode checks it (S8)");
  auto browser = t.feature_gates.find("browser-automation");
  if (browser != t.feature_gates.end() && !browser->second)
    f.Warn("lint.not_enforced", "spec.featureGates.browser-automation",
           "no Sympozium code enforces the browser-automation gate");
}

// Lints one SympoziumPolicy document.
PolicyLint LintPolicy(const Document& doc, const CompileOptions& compile, Mode mode) {
  PolicyLint lint;
  lint.file = doc.source_name();
  lint.document = doc.Describe();
  lint.object = ObjectName(doc);
  Findings f(doc, &lint.findings);
  absl::StatusOr<Decoded<Policy>> decoded = DecodePolicy(doc.Subtree(doc.root(), doc.Describe()));
  if (!decoded.ok()) {
    f.AddStatus(decoded.status());
  } else {
    // Compiled in compat form so that a policy strict mode refuses still
    // yields its table and warnings; the strict errors are reported below.
    CompileOptions options = compile;
    options.mode = Mode::kCompat;
    absl::StatusOr<PolicyPtr> policy = Compile(*decoded, options);
    if (!policy.ok()) {
      f.AddStatus(policy.status());
    } else {
      const CompiledPolicy& p = **policy;
      for (const Diagnostic& d : p.strict_errors()) {
        // Schema errors are the API server's; the rest only strict refuses.
        bool schema = d.code.compare(0, 7, "schema.") == 0;
        f.Adopt(d, schema || mode == Mode::kStrict ? Severity::kError : Severity::kWarning);
      }
      for (const Diagnostic& d : p.warnings()) f.Adopt(d, Severity::kWarning);
      CheckRedundantRules(TableOf(p), f);
      CheckLimits(TableOf(p), f);
      CheckDefaults(TableOf(p), mode, f);
      CheckPodSettings(TableOf(p), f);
      CheckNetwork(p, f);
      if (mode == Mode::kCompat) CheckCompatGaps(TableOf(p), f);
    }
  }
  std::stable_sort(lint.findings.begin(), lint.findings.end(),
                   [](const Diagnostic& a, const Diagnostic& b) {
                     auto key = [](const Diagnostic& d) {
                       return std::tuple(d.mark.line == 0, d.mark.line, d.mark.column);
                     };
                     return key(a) < key(b);
                   });
  for (const Diagnostic& d : lint.findings)
    ++(d.severity == Severity::kError ? lint.errors : lint.warnings);
  return lint;
}

// Policies already linted, by namespace and name: the document that came first.
using SeenPolicies = absl::flat_hash_map<std::pair<std::string, std::string>, std::string>;

// Two files defining one policy: fine for alternatives side by side, but a
// webhook loading both refuses the whole load, and which one a cluster
// holds depends on apply order.
void CheckDuplicate(const Document& doc, SeenPolicies* seen, PolicyLint* lint) {
  auto [it, inserted] = seen->emplace(
      std::make_pair(std::string(doc.namespace_()), std::string(doc.name())), doc.Describe());
  if (inserted) return;
  Findings(doc, &lint->findings)
      .Warn("lint.duplicate_object", "metadata.name",
            StrCat(lint->object, " is also defined by ", it->second,
                   ": a webhook --config load of both fails (kind, namespace and name must be "
                   "unique)"));
  ++lint->warnings;
}

// Warnings a team chose not to see: `--ignore CODE,...` (repeatable) and, on
// the policy object, the annotation `lint.sympozium.ai/ignore: "CODE,..."`.
// Errors stay: they are what the API server or strict admission refuses.
constexpr char kIgnoreAnnotation[] = "lint.sympozium.ai/ignore";

absl::flat_hash_set<std::string> CodeList(std::string_view text,
                                          absl::flat_hash_set<std::string> codes = {}) {
  for (absl::string_view code : absl::StrSplit(AsAbsl(text), ',', absl::SkipWhitespace()))
    codes.emplace(absl::StripAsciiWhitespace(code));
  return codes;
}

absl::flat_hash_set<std::string> IgnoreFlags(const Args& args) {
  absl::flat_hash_set<std::string> codes;
  for (const std::string& list : args.GetAll("ignore")) codes = CodeList(list, std::move(codes));
  return codes;
}

void Suppress(const Document& doc, absl::flat_hash_set<std::string> ignored, PolicyLint* lint) {
  const Value* annotations = doc.root().Find("metadata");
  annotations = annotations != nullptr ? annotations->Find("annotations") : nullptr;
  const Value* list = annotations != nullptr ? annotations->Find(kIgnoreAnnotation) : nullptr;
  if (list != nullptr && list->is_string()) ignored = CodeList(list->text, std::move(ignored));
  if (ignored.empty()) return;
  auto hidden = [&](const Diagnostic& d) {
    return d.severity == Severity::kWarning && ignored.contains(d.code);
  };
  auto end = std::remove_if(lint->findings.begin(), lint->findings.end(), hidden);
  lint->suppressed = static_cast<size_t>(lint->findings.end() - end);
  lint->warnings -= lint->suppressed;
  lint->findings.erase(end, lint->findings.end());
}

std::string_view SeverityName(Severity s) { return s == Severity::kError ? "error" : "warning"; }

// `file:line:col: warning[code] path: message`
std::string FindingLine(const PolicyLint& lint, const Diagnostic& d) {
  std::string out = lint.file;
  if (d.mark.line != 0) StrAppend(&out, ":", d.mark.line, ":", d.mark.column);
  StrAppend(&out, ": ", SeverityName(d.severity), "[", d.code, "] ");
  if (!d.path.empty()) StrAppend(&out, d.path, ": ");
  StrAppend(&out, d.message);
  return out;
}

std::string Count(size_t n, std::string_view one, std::string_view many) {
  return StrCat(n, " ", n == 1 ? one : many);
}

void PrintJson(const std::vector<PolicyLint>& lints, size_t errors, size_t warnings,
               size_t suppressed, size_t skipped) {
  Json json;
  json.BeginObject().Key("policies").BeginArray();
  for (const PolicyLint& lint : lints) {
    json.BeginObject()
        .Field("document", lint.document)
        .Field("file", lint.file)
        .Field("object", lint.object)
        .Field("errors", lint.errors)
        .Field("warnings", lint.warnings)
        .Field("suppressed", lint.suppressed)
        .Key("findings")
        .BeginArray();
    for (const Diagnostic& d : lint.findings)
      json.BeginObject()
          .Field("severity", SeverityName(d.severity))
          .Field("code", d.code)
          .Field("path", d.path)
          .Field("message", d.message)
          .Field("line", d.mark.line)
          .Field("column", d.mark.column)
          .EndObject();
    json.EndArray().EndObject();
  }
  json.EndArray()
      .Field("errors", errors)
      .Field("warnings", warnings)
      .Field("suppressed", suppressed)
      .Field("skipped", skipped)
      .EndObject();
  std::cout << json.str() << "\n";
}

std::vector<CiFinding> CiFindings(const std::vector<PolicyLint>& lints) {
  std::vector<CiFinding> out;
  for (const PolicyLint& lint : lints)
    for (const Diagnostic& d : lint.findings)
      out.push_back(
          {d.severity == Severity::kError ? CiFinding::Level::kError : CiFinding::Level::kWarning,
           d.code, StrCat(lint.object, ": ", d.path.empty() ? "" : d.path + ": ", d.message),
           lint.file, d.mark.line, d.mark.column});
  return out;
}

void PrintJUnit(const std::vector<PolicyLint>& lints, double seconds) {
  std::vector<TestCase> cases;
  for (const PolicyLint& lint : lints) {
    TestCase c;
    c.name = lint.object;
    c.classname = lint.document;
    std::string lines;
    for (const Diagnostic& d : lint.findings) StrAppend(&lines, FindingLine(lint, d), "\n");
    if (lint.errors > 0) {
      auto first = std::find_if(lint.findings.begin(), lint.findings.end(),
                                [](const Diagnostic& d) { return d.severity == Severity::kError; });
      c.outcome = TestCase::Outcome::kFailed;
      c.type = first->code;
      c.message =
          StrCat(Count(lint.errors, "error", "errors"), ", first: ", FindingLine(lint, *first));
      c.detail = lines;
    } else {
      c.system_out = lines;
    }
    cases.push_back(std::move(c));
  }
  std::cout << JUnitXml("sympozium-policy lint", cases, seconds);
}

}  // namespace

int Lint(const std::vector<std::string>& argv) {
  auto start = std::chrono::steady_clock::now();
  auto parsed = ParseReaderArgs(
      argv, {{"cluster", true, true}, {"ignore", true, true}, {"fail-on-warn", false}},
      {"text", "json", "junit", "sarif", "github"});
  if (!parsed.ok()) return Fail(parsed.status());
  const auto& [args, mode, output, limits] = *parsed;
  if (args.positional().empty())
    return Fail("lint needs at least one POLICY file (see lint --help)");
  auto docs = LoadDocuments(args.positional(), limits);
  if (!docs.ok()) return Fail(docs.status());

  // SkillPacks from --cluster and from the inputs declare the tool names a
  // rule may use besides the built-ins.
  Cluster packs;
  auto context = LoadDocuments(args.GetAll("cluster"), limits);
  if (!context.ok()) return Fail(context.status());
  for (Document& doc : *context)
    if (absl::Status s = packs.Add(std::move(doc)); !s.ok()) return Fail(s);
  size_t skipped = 0;
  for (const Document& doc : *docs) {
    if (doc.kind() == "SympoziumPolicy") continue;
    ++skipped;
    if (doc.kind() != "SkillPack") continue;
    if (absl::Status s = packs.Add(doc.Subtree(doc.root(), doc.Describe())); !s.ok())
      return Fail(s);
  }
  if (skipped == docs->size())
    return Fail(StrCat("no SympoziumPolicy documents in ", args.positional().front(),
                       args.positional().size() > 1 ? " ..." : ""));
  CompileOptions compile;
  compile.limits = limits;
  compile.known_tools = packs.SkillPackToolNames();

  std::vector<PolicyLint> lints;
  SeenPolicies seen;
  size_t errors = 0, warnings = 0, suppressed = 0;
  const absl::flat_hash_set<std::string> ignored = IgnoreFlags(args);
  for (const Document& doc : *docs) {
    if (doc.kind() != "SympoziumPolicy") continue;
    lints.push_back(LintPolicy(doc, compile, mode));
    CheckDuplicate(doc, &seen, &lints.back());
    Suppress(doc, ignored, &lints.back());
    errors += lints.back().errors;
    warnings += lints.back().warnings;
    suppressed += lints.back().suppressed;
  }
  if (output == "sarif" || output == "github") {
    std::cout << CiReport(output, CiFindings(lints));
  } else if (output == "json") {
    PrintJson(lints, errors, warnings, suppressed, skipped);
  } else if (output == "junit") {
    std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
    PrintJUnit(lints, took.count());
  } else {
    size_t clean = 0;
    for (const PolicyLint& lint : lints) {
      clean += lint.findings.empty();
      for (const Diagnostic& d : lint.findings) std::cout << FindingLine(lint, d) << "\n";
    }
    std::cout << "linted " << Count(lints.size(), "policy", "policies") << " (" << ModeName(mode)
              << " mode): " << Count(errors, "error", "errors") << ", "
              << Count(warnings, "warning", "warnings");
    if (clean > 0) std::cout << "; " << clean << " without findings";
    if (suppressed > 0) std::cout << "; " << suppressed << " suppressed";
    if (skipped > 0)
      std::cout << "; skipped " << Count(skipped, "other document", "other documents");
    std::cout << "\n";
  }
  return errors > 0 || (warnings > 0 && args.Has("fail-on-warn")) ? kExitDenied : kExitOk;
}

}  // namespace sympozium::cli
