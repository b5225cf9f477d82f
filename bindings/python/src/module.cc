// sympozium._sympozium: the Python API of docs/python.md over the
// C++ library. The package's __init__.py re-exports it. The GIL is let go
// while the library reads, decodes, compiles or evaluates.
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <utility>
#include <vector>

#include "convert.h"
#include "suite.h"
#include "sympozium/admission.h"
#include "sympozium/cluster.h"
#include "sympozium/cluster_store.h"
#include "sympozium/evaluate.h"
#include "sympozium/lint.h"
#include "sympozium/model_integrity.h"
#include "sympozium/mutate.h"
#include "sympozium/network_policy.h"
#include "sympozium/pod_security.h"
#include "sympozium/policy_store.h"
#include "sympozium/rbac.h"
#include "sympozium/start.h"
#include "sympozium/strings.h"
#include "sympozium/tool_gate.h"
#include "sympozium/version.h"

namespace sympozium::python {
namespace {

using namespace pybind11::literals;  // NOLINT: "name"_a keyword arguments

// ---- The Python-side objects

struct PyPolicy {
  PolicyPtr policy;
  // The document it was compiled from, for lint()'s positions and the
  // ignore annotation; null for presets and a Cluster's policies.
  std::shared_ptr<const Document> source = nullptr;
};

// A Cluster that may be filled while other threads evaluate against it:
// evaluations share the lock, additions take it alone. A ClusterStore
// snapshot is one too, read-only: `snapshot` holds it and `cluster` stays
// empty.
struct PyCluster {
  Cluster cluster;
  PolicySetPtr snapshot;
  mutable std::shared_mutex mu;
  const Cluster& view() const { return snapshot != nullptr ? snapshot->cluster : cluster; }
};

// ---- Cluster store (begin)
struct PyClusterStore {
  std::unique_ptr<ClusterStore> store;
};
// ---- Cluster store (end)

struct PyDecision {
  Decision decision;
  // The codes of an unpickled decision, which its Decision holds as views
  // (a deque never moves what it holds; shared so copies stay valid).
  std::shared_ptr<const std::deque<std::string>> codes = nullptr;
};

struct PyMutation {
  MutateResult result;
};

struct PyNetworkPolicy {
  NetworkPolicyResult result;
};

struct PyRbac {
  // Move-only, as its documents are: said here, since std::vector claims to
  // be copyable whatever it holds and pybind11 goes by that claim.
  explicit PyRbac(RbacResult r) : result(std::move(r)) {}
  PyRbac(PyRbac&&) = default;
  PyRbac(const PyRbac&) = delete;

  RbacResult result;
};

struct PyVerification {
  ModelVerification result;
};

// ---- Helpers

Mode ModeArg(const std::string& name) {
  Mode mode;
  if (!ParseMode(name, &mode))
    throw py::value_error("mode must be \"strict\" or \"compat\", not \"" + name + "\"");
  return mode;
}

// `limits`: None or a dict of Limits names (LimitsArg).
ReadOptions Source(const std::string& name, const py::object& limits = py::none()) {
  ReadOptions options;
  options.source_name = name;
  if (!limits.is_none()) options.limits = LimitsArg(limits);
  return options;
}

EvaluateOptions EvalOptions(const std::string& mode, const py::object& limits) {
  EvaluateOptions options;
  options.mode = ModeArg(mode);
  if (!limits.is_none()) options.read.limits = LimitsArg(limits);
  return options;
}

// JSON text the library wrote (an AdmissionReview, a pickled Decision) as
// Python objects.
py::object JsonToPython(const std::string& json) {
  ReadOptions options;
  options.format = Format::kJson;
  return ToPython(Unwrap(ReadDocument(json, options)));
}

py::list DocumentList(const std::vector<Document>& docs) {
  py::list out;
  for (const Document& doc : docs) out.append(ToPython(doc));
  return out;
}

// A dict that also has attributes (sympozium._types): Violation, Finding.
py::object Typed(const char* type, py::object dict) {
  return py::module_::import("sympozium._types").attr(type)(std::move(dict));
}

// The fields of Diagnostic::ToJson, in its order.
py::dict FindingFields(const Diagnostic& d) {
  py::dict out("severity"_a = d.severity == Diagnostic::Severity::kError ? "error" : "warning",
               "code"_a = d.code, "path"_a = d.path, "message"_a = d.message);
  if (d.mark.line != 0) {
    out["line"] = d.mark.line;
    out["column"] = d.mark.column;
  }
  return out;
}

py::object DiagnosticDict(const Diagnostic& d) { return Typed("Finding", FindingFields(d)); }

py::list DiagnosticList(const Diagnostics& diagnostics) {
  py::list out;
  for (const Diagnostic& d : diagnostics) out.append(DiagnosticDict(d));
  return out;
}

Binding BindingFor(const PyPolicy* policy, const PyCluster* cluster) {
  const Cluster* c = cluster != nullptr ? &cluster->view() : nullptr;
  if (policy != nullptr) return Binding::Direct(policy->policy.get(), c);
  if (c != nullptr) return Binding::Lookup(c);
  return Binding::None();
}

// A shared lock on `cluster` (may be null), taken without the GIL.
std::shared_lock<std::shared_mutex> ReadLock(const PyCluster* cluster) {
  return cluster != nullptr ? std::shared_lock<std::shared_mutex>(cluster->mu)
                            : std::shared_lock<std::shared_mutex>();
}

PyPolicy CompileDoc(DocArg doc, Mode mode, const py::object& limits) {
  CompileOptions options;
  options.mode = mode;
  if (!limits.is_none()) options.limits = LimitsArg(limits);
  py::gil_scoped_release release;
  auto source = std::make_shared<const Document>(Unwrap(std::move(doc).ReadOne()));
  return PyPolicy{Unwrap(Compile(*source, options)), std::move(source)};
}

// lint()'s `mode` and `ignore` (codes, or comma-separated lists of them).
LintOptions LintArgs(const std::string& mode, const std::vector<std::string>& ignore) {
  LintOptions options;
  options.mode = ModeArg(mode);
  for (const std::string& list : ignore) AddLintCodes(list, &options.ignore);
  return options;
}

Diagnostics LintDoc(const py::object& doc, LintOptions options, const ReadOptions& read) {
  options.limits = read.limits;
  DocArg arg(doc, "doc", read);
  py::gil_scoped_release release;
  return LintPolicy(Unwrap(std::move(arg).ReadOne()), options).findings;
}

std::optional<RunToolLists> RunLists(const py::object& run) {
  if (run.is_none()) return std::nullopt;
  DocArg arg(run, "run", Source("<run>"));
  py::gil_scoped_release release;
  return Unwrap(RunToolLists::FromDocument(Unwrap(std::move(arg).ReadOne())));
}

ToolDecision DecideToolFor(const PyPolicy* policy, const std::string& tool, const py::object& run) {
  std::optional<RunToolLists> lists = RunLists(run);
  return DecideTool(policy != nullptr ? policy->policy.get() : nullptr, lists ? &*lists : nullptr,
                    tool);
}

std::string ToolDecisionName(const PyPolicy* policy, const std::string& tool,
                             const py::object& run) {
  return std::string(ToolActionName(DecideToolFor(policy, tool, run).action));
}

py::dict ExplainTool(const PyPolicy* policy, const std::string& tool, const py::object& run) {
  ToolDecision d = DecideToolFor(policy, tool, run);
  return py::dict("tool"_a = tool, "decision"_a = std::string(ToolActionName(d.action)),
                  "reason"_a = d.Reason(tool, policy != nullptr ? policy->policy.get() : nullptr));
}

// What every evaluate entry point does. `pods_only` refuses other kinds.
PyDecision EvaluateDoc(const py::object& doc, const PyPolicy* policy, const PyCluster* cluster,
                       const EvaluateOptions& options, bool pods_only) {
  DocArg arg(doc, "doc", options.read);
  Binding binding = BindingFor(policy, cluster);
  py::gil_scoped_release release;
  std::shared_lock<std::shared_mutex> lock = ReadLock(cluster);
  if (arg.is_text() && !pods_only) {
    // The library's byte entry point, with its JSON fast path.
    Decision decision = Evaluate(arg.text(), binding, options);
    if (decision.code != "decode.error") return PyDecision{std::move(decision)};
    // Text that is not one YAML/JSON document raises, as documented; a
    // document that reads but does not decode keeps its error decision.
    if (absl::StatusOr<Document> read = std::move(arg).ReadOne(); !read.ok()) Raise(read.status());
    return PyDecision{std::move(decision)};
  }
  Document read = Unwrap(std::move(arg).ReadOne());
  if (pods_only && !IsPodKind(read.kind()))
    Raise(absl::InvalidArgumentError(StrCat(
        read.Describe(),
        ": evaluate_pod takes a Pod, Job, Deployment, CronJob, StatefulSet, DaemonSet or "
        "ReplicaSet, not ",
        read.kind().empty() ? std::string("a document without kind") : std::string(read.kind()))));
  return PyDecision{Evaluate(read, binding, options)};
}

// evaluate_pod_security: one Pod Security Standard alone, no policy.
PyDecision PodSecurityDoc(const py::object& obj, const std::string& standard,
                          const py::object& limits) {
  PodSecurityStandard parsed = Unwrap(ParsePodSecurityStandard(standard));
  DocArg arg(obj, "obj", Source("", limits));
  py::gil_scoped_release release;
  Document read = Unwrap(std::move(arg).ReadOne());
  if (!IsPodKind(read.kind()))
    Raise(absl::InvalidArgumentError(StrCat(
        read.Describe(),
        ": evaluate_pod_security takes a Pod, Job, Deployment, CronJob, StatefulSet, DaemonSet "
        "or ReplicaSet, not ",
        read.kind().empty() ? std::string("a document without kind") : std::string(read.kind()))));
  return PyDecision{EvaluatePodSecurity(read, parsed)};
}

// Python's form of StartContext: a count, or None when the list failed.
StartContext StartContextArg(std::optional<int64_t> running_for_agent,
                             std::optional<int64_t> running_children_of_parent) {
  if (running_for_agent.value_or(0) < 0 || running_children_of_parent.value_or(0) < 0)
    throw py::value_error("running counts must be >= 0 (or None when unknown)");
  StartContext context;
  context.running_for_agent_known = running_for_agent.has_value();
  context.running_for_agent = running_for_agent.value_or(0);
  context.running_children_known = running_children_of_parent.has_value();
  context.running_children_of_parent = running_children_of_parent.value_or(0);
  return context;
}

PyDecision StartDoc(const py::object& run, const PyPolicy* policy, const PyCluster* cluster,
                    const StartContext& context, const EvaluateOptions& options) {
  DocArg arg(run, "run", options.read);
  Binding binding = BindingFor(policy, cluster);
  py::gil_scoped_release release;
  // Read first so unreadable text raises, as in evaluate.
  Document read = Unwrap(std::move(arg).ReadOne());
  std::shared_lock<std::shared_mutex> lock = ReadLock(cluster);
  return PyDecision{AdmitStart(read, binding, context, options)};
}

RbacResult ComputeRbac(const py::object& skillpack, const py::object& run, const PyPolicy* policy,
                       const std::string& mode, const py::object& limits) {
  RbacOptions options;
  options.mode = ModeArg(mode);
  options.policy = policy != nullptr ? policy->policy.get() : nullptr;
  std::vector<DocArg> pack_args = DocArgs(skillpack, "skillpack", Source("<skillpack>", limits));
  DocArg run_arg(run, "run", Source("<run>", limits));
  py::gil_scoped_release release;
  Document run_doc = Unwrap(std::move(run_arg).ReadOne());
  std::vector<Document> packs;
  for (DocArg& arg : pack_args)
    for (Document& doc : Unwrap(std::move(arg).ReadAll())) packs.push_back(std::move(doc));
  return Unwrap(RbacFor(packs, run_doc, options));
}

// The dicts below have the keys, key order and types of the library's JSON
// (Decision::ToJson and the others), built without it.

py::dict ViolationDict(const Violation& v) {
  return py::dict("code"_a = Str(v.code), "message"_a = Str(v.message), "path"_a = Str(v.path));
}

py::list ViolationList(const std::vector<Violation>& violations) {
  py::list out;
  for (const Violation& v : violations) out.append(Typed("Violation", ViolationDict(v)));
  return out;
}

// A Decision's warning: a Diagnostic without its severity (always warning).
py::dict DecisionDict(const Decision& x) {
  py::list violations;
  for (const Violation& v : x.violations) violations.append(ViolationDict(v));
  py::dict out("allowed"_a = x.allowed, "result"_a = Str(ResultName(x.result)),
               "status"_a = x.status, "code"_a = Str(x.code), "message"_a = Str(x.message),
               "violations"_a = violations);
  if (x.omitted_violations > 0) out["omittedViolations"] = x.omitted_violations;
  py::list warnings;
  for (const Diagnostic& w : x.warnings) warnings.append(FindingFields(w));
  out["warnings"] = warnings;
  out["mode"] = Str(ModeName(x.mode));
  return out;
}

py::dict MutationDict(const MutateResult& x) {
  return py::dict("allowed"_a = x.allowed, "message"_a = Str(x.message),
                  "patch"_a = ToPython(x.patch), "object"_a = ToPython(x.object));
}

py::dict VerificationDict(const ModelVerification& x) {
  return py::dict("status"_a = Str(VerificationStatusName(x.status)), "match"_a = x.match(),
                  "expected"_a = Str(x.expected), "actual"_a = Str(x.actual), "bytes"_a = x.bytes,
                  "error"_a = Str(x.error));
}

// The Model whose spec.source.sha256 a file is checked against: `model` (a
// Model document) or a bare `sha256`, exactly one of them.
PyVerification VerifyModelArgs(const std::string& path, const std::optional<std::string>& sha256,
                               const py::object& model) {
  if (sha256.has_value() == !model.is_none())
    throw py::value_error("verify_model takes exactly one of sha256 and model");
  std::optional<DocArg> model_arg;
  if (!model.is_none()) model_arg.emplace(model, "model", Source("<model>"));
  ModelVerification v;
  // Ctrl-C between chunks: the signal handler only flags it, so check the
  // flag with the GIL held for a moment; the KeyboardInterrupt it sets is
  // raised once the GIL is back for good.
  bool interrupted = false;
  VerifyFileOptions check_signals;
  check_signals.between_reads = [&interrupted]() -> absl::Status {
    py::gil_scoped_acquire acquire;
    if (PyErr_CheckSignals() == 0) return absl::OkStatus();
    interrupted = true;
    return absl::CancelledError("interrupted");
  };
  {
    py::gil_scoped_release release;  // hashing a large file takes seconds
    v = model_arg
            ? Unwrap(VerifyModelFile(Unwrap(std::move(*model_arg).ReadOne()), path, check_signals))
            : VerifySha256File(*sha256, path, check_signals);
  }
  if (interrupted) throw py::error_already_set();
  if (v.status == ModelVerification::Status::kError) {
    // No expected digest means the model was at fault, not the file.
    if (v.expected.empty())
      throw PolicyErrorException(v.error, "spec.source.sha256", "model.sha256_invalid");
    throw PolicyErrorException(v.error, "", "model.read_error");
  }
  return PyVerification{std::move(v)};
}

void AddToCluster(PyCluster& c, const py::object& docs, const std::string& source,
                  const py::object& limits) {
  const ReadOptions options = Source(source, limits);
  std::vector<DocArg> args = DocArgs(docs, "docs", options);
  if (c.snapshot != nullptr) throw py::value_error("a ClusterStore snapshot cannot change");
  py::gil_scoped_release release;
  std::unique_lock<std::shared_mutex> lock(c.mu);
  for (DocArg& arg : args)
    for (Document& doc : Unwrap(std::move(arg).ReadAll())) {
      if (absl::Status s = c.cluster.Add(std::move(doc), options.limits); !s.ok()) Raise(s);
    }
}

// ---- Cluster store (begin)

py::list BrokenList(const Cluster& cluster) {
  py::list out;
  for (const BrokenObject* b : cluster.Broken())
    out.append(py::dict("kind"_a = b->kind, "namespace"_a = b->namespace_, "name"_a = b->name,
                        "error"_a = b->error));
  return out;
}

// None when stored usable, the error when stored broken; raises PolicyError
// when nothing was stored.
std::optional<std::string> UpsertToStore(PyClusterStore& s, const py::object& docs) {
  ReadOptions options;
  std::vector<DocArg> args = DocArgs(docs, "doc", options);
  py::gil_scoped_release release;
  std::vector<Document> all;
  for (DocArg& arg : args)
    for (Document& doc : Unwrap(std::move(arg).ReadAll())) all.push_back(std::move(doc));
  absl::Status status = s.store->Upsert(std::move(all));
  if (status.ok()) return std::nullopt;
  if (!IsStoredBroken(status)) Raise(status);
  return std::string(status.message());
}

// ---- Cluster store (end)

// A Decision from the dict of its JSON, for unpickling.
PyDecision DecisionFromDict(const py::dict& d) {
  auto codes = std::make_shared<std::deque<std::string>>();
  auto keep = [&codes](py::handle code) -> std::string_view {
    return codes->emplace_back(code.cast<std::string>());
  };
  PyDecision out;
  Decision& x = out.decision;
  x.allowed = d["allowed"].cast<bool>();
  const std::string result = d["result"].cast<std::string>();
  x.result = result == "allowed"  ? Result::kAllowed
             : result == "denied" ? Result::kDenied
                                  : Result::kError;
  x.status = d["status"].cast<int>();
  x.code = keep(d["code"]);
  x.message = d["message"].cast<std::string>();
  for (py::handle v : d["violations"])
    x.violations.push_back(
        {keep(v["code"]), v["message"].cast<std::string>(), v["path"].cast<std::string>()});
  if (d.contains("omittedViolations")) x.omitted_violations = d["omittedViolations"].cast<size_t>();
  for (py::handle w : d["warnings"]) {
    Diagnostic warning =
        Diagnostic::Warning(w["code"].cast<std::string>(), w["path"].cast<std::string>(),
                            w["message"].cast<std::string>());
    if (w.contains("line"))
      warning.mark = {w["line"].cast<uint32_t>(), w["column"].cast<uint32_t>()};
    x.warnings.push_back(std::move(warning));
  }
  if (!ParseMode(d["mode"].cast<std::string>(), &x.mode))
    throw py::value_error("bad Decision state");
  out.codes = std::move(codes);
  return out;
}

std::string ReadFileOrRaise(const std::string& path) {
  absl::StatusOr<std::string> text = ReadFile(path);
  if (!text.ok()) {
    PyErr_SetString(PyExc_OSError, std::string(text.status().message()).c_str());
    throw py::error_already_set();
  }
  return *std::move(text);
}

std::string PolicyRepr(const PyPolicy& p) {
  const CompiledPolicy& c = *p.policy;
  std::string out = "<sympozium.Policy " + Quote(c.name());
  if (!c.preset().empty()) out += " preset " + c.preset();
  if (!c.namespace_().empty()) out += " in " + c.namespace_();
  return out + ">";
}

// ---- Docstrings

constexpr char kModuleDoc[] =
    R"(Compile SympoziumPolicy documents and decide on AgentRuns, SkillPacks and pods.

Documents are given as ``str`` or ``bytes`` (YAML or JSON; bytes are read
without a copy) or as a ``dict``. A dict follows YAML's typing: numbers and
booleans are plain scalars, as if the dict had been written as a YAML file.

Errors about policies and documents raise :class:`PolicyError`, a
``ValueError`` with the document ``path`` and reason ``code``.)";

constexpr char kPolicyEvaluateDoc[] =
    R"(Decides on a document under this policy, by its kind: an AgentRun,
SkillPack or Model (docs/checks.md), or a Pod, Job, Deployment, CronJob,
StatefulSet, DaemonSet or ReplicaSet (docs/pods.md).

doc: str or bytes (YAML or JSON, one document) or dict.
mode: "strict" (the default: the Security page's promises, docs/checks.md#strict-mode) or
    "compat" (bug-for-bug the Go webhook of Sympozium v0.10.46).
cluster: a Cluster in which the run's SkillPacks are resolved (the policy is
    this one, not looked up).
mutate: apply mutate()'s defaults first, as `admit --mutate`.
schema_warnings: add the CRD schema findings (unknown fields) to warnings.
limits: a dict changing read limits by name ({"max_depth": 8}, see
    default_limits()); an exceeded limit raises PolicyError naming it.
Returns a Decision. A document that does not decode gives result "error";
text that is not one YAML/JSON document raises PolicyError. JSON text takes
the library's fast path; its decisions are the same as for a dict.)";

constexpr char kEvaluateDoc[] =
    R"(Decides on a document by its kind, finding the policy as the webhook does.

doc: str or bytes (YAML or JSON, one document) or dict.
policy: bind this Policy directly (the same as policy.evaluate).
cluster: without a policy, the run's policy is looked up here (its Agent,
    then the Agent's policyRef); SkillPacks resolve here. With neither, no
    policy applies and only the policy-independent checks run.
mode: "strict" (default) or "compat".
mutate: apply mutate()'s defaults first.
schema_warnings: add the CRD schema findings (unknown fields) to warnings.
limits: a dict changing read limits by name ({"max_depth": 8}).
Returns a Decision; a missing Agent or policy is a decision with result
"error". Text that is not one YAML/JSON document raises PolicyError.)";

constexpr char kStartArgsDoc[] =
    R"(running_for_agent: how many AgentRuns of the run's Agent are Running (compat
    counts these), or None when the controller's list failed: compat then
    skips the concurrency check and warns.
running_children_of_parent: how many Running child runs share this run's
    spec.parent.runName (strict counts these, for child runs only), or None
    when unknown: strict then refuses a child run under a subagentPolicy
    with an error (code "start.concurrency_unknown").
mode: "strict" (default: one depth rule as admission, >=; concurrency over
    the parent's children, maxConcurrent 0 meaning no children) or "compat"
    (the controller of v0.10.46: depth >, no zero guard; every Running run
    of the Agent counted; "policy validation failed: " and "gate hook
    validation failed: " message prefixes).
limits: a dict changing read limits by name.
Returns a Decision; codes start.no_task, agent.not_found, policy.not_found,
policy.invalid, start.depth, start.concurrency, start.concurrency_unknown,
start.gate_hook. A document that is not an AgentRun is a decision with code
"decode.error"; unreadable text raises PolicyError.)";

// ---- Admission reviews

// The review's bytes: str (as UTF-8), bytes, or a dict as JSON (what the
// API server would send).
std::string ReviewBytes(const py::object& review) {
  if (PyUnicode_Check(review.ptr())) return review.cast<std::string>();
  if (PyBytes_Check(review.ptr())) return std::string(review.cast<py::bytes>());
  if (PyDict_Check(review.ptr()))
    return py::module_::import("json").attr("dumps")(review).cast<std::string>();
  throw py::type_error("review must be str, bytes or dict");
}

AdmissionOptions AdmissionArgs(const std::string& mode, const std::string& enforcement,
                               const std::optional<std::string>& shadow_mode,
                               const std::string& endpoint, const py::object& limits) {
  AdmissionOptions options;
  options.mode = ModeArg(mode);
  if (!ParseEnforcement(enforcement, &options.enforcement))
    throw py::value_error("enforcement must be \"deny\", \"warn\" or \"audit\", not \"" +
                          enforcement + "\"");
  if (shadow_mode) options.shadow_mode = ModeArg(*shadow_mode);
  if (endpoint == "mutate")
    options.endpoint = AdmissionEndpoint::kMutate;
  else if (endpoint != "validate")
    throw py::value_error("endpoint must be \"validate\" or \"mutate\", not \"" + endpoint + "\"");
  if (!limits.is_none()) options.limits = LimitsArg(limits);
  return options;
}

py::dict AdmissionReviewDoc(const py::object& review, const PyCluster* cluster,
                            const AdmissionOptions& options) {
  std::string body = ReviewBytes(review);
  AdmissionResult result;
  {
    py::gil_scoped_release release;
    static const Cluster kEmpty;
    std::shared_lock<std::shared_mutex> lock = ReadLock(cluster);
    uint64_t generation =
        cluster != nullptr && cluster->snapshot != nullptr ? cluster->snapshot->generation : 0;
    result =
        ReviewAdmission(body, cluster != nullptr ? cluster->view() : kEmpty, generation, options);
  }
  py::dict out = JsonToPython(result.body);
  if (result.http_status != 200) out["httpStatus"] = result.http_status;
  return out;
}

}  // namespace

PYBIND11_MODULE(_sympozium, m) {
  m.doc() = kModuleDoc;
  m.attr("__version__") = Version();

  // sympozium._errors.PolicyError, defined in Python so users can construct
  // and subclass it like any exception. Kept for the life of the process.
  static PyObject* policy_error =
      py::object(py::module_::import("sympozium._errors").attr("PolicyError")).release().ptr();
  m.attr("PolicyError") = py::handle(policy_error);
  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const PolicyErrorException& e) {
      py::object exc = py::handle(policy_error)(e.what(), e.path(), e.code());
      PyErr_SetObject(policy_error, exc.ptr());
    }
  });

  py::class_<PyDecision>(m, "Decision", R"(The answer to "may this start?", with every reason.

Made by Policy.evaluate, evaluate and evaluate_pod. The first violation is
the one the Go webhook reports; ``code`` and ``message`` are its.)")
      .def_property_readonly(
          "allowed", [](const PyDecision& d) { return d.decision.allowed; }, "True when admitted.")
      .def_property_readonly(
          "result", [](const PyDecision& d) { return std::string(ResultName(d.decision.result)); },
          "\"allowed\", \"denied\" or \"error\" (the document could not be decoded, or a "
          "lookup failed; never allowed).")
      .def_property_readonly(
          "status", [](const PyDecision& d) { return d.decision.status; },
          "The webhook's HTTP status: 200 allowed, 403 denied, 400 or 500 errors.")
      .def_property_readonly(
          "code", [](const PyDecision& d) { return std::string(d.decision.code); },
          "The first violation's stable reason code (\"env.denied\"), \"\" when allowed.")
      .def_property_readonly(
          "message", [](const PyDecision& d) { return d.decision.message; },
          "The first violation's message in the Go wording, or the allow reason.")
      .def_property_readonly(
          "violations", [](const PyDecision& d) { return ViolationList(d.decision.violations); },
          "Every violation as a dict {code, message, path}; path is the document path of "
          "the field that decided it (\"spec.env.PATH\").")
      .def_property_readonly(
          "warnings", [](const PyDecision& d) { return DiagnosticList(d.decision.warnings); },
          "Warnings as dicts {code, message, path, and line and column when known}.")
      .def_property_readonly(
          "mode", [](const PyDecision& d) { return std::string(ModeName(d.decision.mode)); },
          "The mode it was decided in: \"strict\" or \"compat\".")
      .def(
          "to_dict", [](const PyDecision& d) { return DecisionDict(d.decision); },
          "The decision as the dict of `sympozium-policy admit --output json`.")
      .def(
          "to_json", [](const PyDecision& d) { return d.decision.ToJson(); },
          "The decision as the JSON text of `sympozium-policy admit --output json`.")
      .def(
          "__eq__",
          [](const PyDecision& a, const PyDecision& b) {
            return a.decision.ToJson() == b.decision.ToJson();
          },
          py::is_operator(), "Equal when every field is (to_json() is the same).")
      .def("__hash__", [](const PyDecision& d) { return py::hash(py::str(d.decision.ToJson())); })
      .def(py::pickle([](const PyDecision& d) { return py::make_tuple(d.decision.ToJson()); },
                      [](const py::tuple& state) {
                        return DecisionFromDict(JsonToPython(state[0].cast<std::string>()));
                      }))
      .def("__repr__", [](const PyDecision& d) {
        const Decision& x = d.decision;
        std::string out = StrCat("<sympozium.Decision ", ResultName(x.result), " ", x.status);
        if (!x.allowed)
          StrAppend(&out, " ", x.code, ": ", Quote(x.message), " (", x.violations.size(),
                    x.violations.size() == 1 ? " violation" : " violations", ")");
        return out + ">";
      });

  py::class_<PyMutation>(
      m, "Mutation",
      R"(The defaults Sympozium's mutating webhook would apply (docs/mutation.md).

Made by mutate. Nothing is applied anywhere: ``object`` is the AgentRun after
the patch, ``patch`` the RFC 6902 operations.)")
      .def_property_readonly(
          "allowed", [](const PyMutation& x) { return x.result.allowed; },
          "Always True: the mutating webhook never denies.")
      .def_property_readonly(
          "message", [](const PyMutation& x) { return x.result.message; },
          "What was done: \"no mutations needed\", \"2 changes: add /metadata/labels, ...\", "
          "or why nothing was (\"no policy\", \"policy not found, skipping mutation\").")
      .def_property_readonly(
          "patch", [](const PyMutation& x) { return ToPython(x.result.patch); },
          "The RFC 6902 JSON Patch: a list of {op, path, value} dicts, in order.")
      .def_property_readonly(
          "object", [](const PyMutation& x) { return ToPython(x.result.object); },
          "The mutated AgentRun as a dict; every field of the input is kept.")
      .def(
          "to_dict", [](const PyMutation& x) { return MutationDict(x.result); },
          "{allowed, message, patch, object}, as `sympozium-policy mutate --output json`.")
      .def(
          "to_json", [](const PyMutation& x) { return x.result.ToJson(); },
          "The JSON text of `sympozium-policy mutate --output json`.")
      .def("__repr__", [](const PyMutation& x) {
        return StrCat("<sympozium.Mutation ", Quote(x.result.message), ">");
      });

  py::class_<PyNetworkPolicy>(
      m, "NetworkPolicy",
      R"(The NetworkPolicy a SympoziumPolicy's networkPolicy asks for (docs/rbac.md#networkpolicy).

Made by Policy.network_policy. Sympozium's controller generates none; this
is the recommended generator's output, for `kubectl apply`.)")
      .def_property_readonly(
          "object",
          [](const PyNetworkPolicy& x) {
            return x.result.object ? ToPython(*x.result.object) : py::object(py::none());
          },
          "The networking.k8s.io/v1 NetworkPolicy as a dict, or None when the policy has no "
          "networkPolicy or denyAll: false.")
      .def_property_readonly(
          "warnings", [](const PyNetworkPolicy& x) { return DiagnosticList(x.result.warnings); },
          "allowedEgress entries that got no rule, as dicts {severity, code, path, message}: "
          "netpol.unsupported_host (hostnames, invalid CIDRs), netpol.invalid_port, "
          "netpol.name_too_long. Paths are in the policy "
          "(\"spec.networkPolicy.allowedEgress[2].host\").")
      .def(
          "to_dict",
          [](const PyNetworkPolicy& x) {
            return py::dict(
                "object"_a = x.result.object ? ToPython(*x.result.object) : py::object(py::none()),
                "warnings"_a = DiagnosticList(x.result.warnings));
          },
          "{object, warnings}.")
      .def("__repr__", [](const PyNetworkPolicy& x) {
        std::string name = "none";
        if (x.result.object && !x.result.object->name().empty())
          name = Quote(x.result.object->name());
        return StrCat("<sympozium.NetworkPolicy ", name, ", ", x.result.warnings.size(),
                      x.result.warnings.size() == 1 ? " warning>" : " warnings>");
      });

  py::class_<PyRbac>(m, "RbacResult",
                     R"(rbacFor's full answer (docs/rbac.md): objects, warnings, cleanup.

Made by rbac_for_result. ``objects`` is what rbac_for returns; when
``violations`` is not empty (strict mode, a rule asking for one of the
policy's deniedResources) nothing is created: ``objects`` and
``cleanup_selectors`` are empty.)")
      .def_property_readonly(
          "objects", [](const PyRbac& x) { return DocumentList(x.result.objects); },
          "The Role, RoleBinding, ClusterRole and ClusterRoleBinding objects as dicts.")
      .def_property_readonly(
          "warnings", [](const PyRbac& x) { return DiagnosticList(x.result.warnings); },
          "Least-privilege findings as dicts {severity, code, path, message}: rbac.wildcard, "
          "rbac.secrets, rbac.escalation, rbac.exec, rbac.rbac_objects, rbac.cluster_write, "
          "rbac.name_too_long, rbac.label_too_long. A path names the document, then the field "
          "(\"SkillPack/k8s-ops spec.sidecar.rbac[0].resources[6]\").")
      .def_property_readonly(
          "violations", [](const PyRbac& x) { return ViolationList(x.result.violations); },
          "Rules asking for a denied resource, as dicts {code, message, path} (code "
          "rbac.denied_resource); empty unless strict with a policy.")
      .def_property_readonly(
          "cleanup_selectors",
          [](const PyRbac& x) { return std::vector<std::string>(x.result.cleanup_selectors); },
          "Label selectors that find the run's cluster-scoped objects for cleanup "
          "(\"sympozium.ai/agent-run=<run>,sympozium.ai/managed-by=sympozium\"); empty when "
          "no cluster-scoped object is made.")
      .def(
          "to_dict",
          [](const PyRbac& x) {
            return py::dict("objects"_a = DocumentList(x.result.objects),
                            "warnings"_a = DiagnosticList(x.result.warnings),
                            "violations"_a = ViolationList(x.result.violations),
                            "cleanup_selectors"_a = x.result.cleanup_selectors);
          },
          "{objects, warnings, violations, cleanup_selectors}.")
      .def("__repr__", [](const PyRbac& x) {
        return StrCat("<sympozium.RbacResult ", x.result.objects.size(), " objects, ",
                      x.result.warnings.size(), " warnings, ", x.result.violations.size(),
                      " violations>");
      });

  py::class_<PyVerification>(m, "ModelVerification",
                             R"(A downloaded model file checked against spec.source.sha256.

Made by verify_model. ``match`` is True only when the SHA-256 of every byte
read equals the expected digest.)")
      .def_property_readonly(
          "match", [](const PyVerification& x) { return x.result.match(); },
          "True when the digests are equal.")
      .def_property_readonly(
          "status",
          [](const PyVerification& x) {
            return std::string(VerificationStatusName(x.result.status));
          },
          "\"match\" or \"mismatch\" (an error raises PolicyError instead).")
      .def_property_readonly(
          "expected", [](const PyVerification& x) { return x.result.expected; },
          "spec.source.sha256 (or the sha256 given), lowercase hex.")
      .def_property_readonly(
          "actual", [](const PyVerification& x) { return x.result.actual; },
          "The SHA-256 of the file, lowercase hex.")
      .def_property_readonly(
          "bytes", [](const PyVerification& x) { return x.result.bytes; },
          "How many bytes were read and hashed.")
      .def(
          "to_dict", [](const PyVerification& x) { return VerificationDict(x.result); },
          "{status, match, expected, actual, bytes, error}, as `sympozium-policy verify-model "
          "--output json`.")
      .def(
          "to_json", [](const PyVerification& x) { return x.result.ToJson(); },
          "The JSON text of to_dict().")
      .def("__repr__", [](const PyVerification& x) {
        return StrCat("<sympozium.ModelVerification ", VerificationStatusName(x.result.status), " ",
                      x.result.actual.substr(0, 12), " (", x.result.bytes, " bytes)>");
      });

  py::class_<PyCluster>(m, "Cluster",
                        R"(The objects that exist in a cluster, for the lookups admission makes.

Holds Agent, SympoziumPolicy and SkillPack objects, each at its
metadata.namespace. Pass it as ``cluster=`` to evaluate or mutate: without a
policy, a run's policy is found as the webhook finds it (the run's
spec.agentRef names an Agent in the run's namespace, whose spec.policyRef
names a policy there); SkillPacks resolve as in docs/checks.md#skill-resolution. Safe to share
between threads, also while objects are added.)")
      .def(py::init([](const py::object& docs, const py::object& limits) {
             auto c = std::make_unique<PyCluster>();
             if (!docs.is_none()) AddToCluster(*c, docs, "", limits);
             return c;
           }),
           "docs"_a = py::none(), py::kw_only(), "limits"_a = py::none(),
           "Makes a cluster holding `docs` (see add); empty without them.")
      .def("add", &AddToCluster, "docs"_a, "source"_a = "", py::kw_only(), "limits"_a = py::none(),
           R"(Adds objects: a str or bytes stream of one or more documents, a dict, or a
list of these. An object named like an existing one replaces it. `source`
names the input in error messages; `limits` (a dict of limit names) changes
the read limits. Raises PolicyError for unreadable documents and other
kinds; objects before the failing one stay added.)")
      .def(
          "add_file",
          [](PyCluster& c, const std::string& path, const py::object& limits) {
            AddToCluster(c, py::bytes(ReadFileOrRaise(path)), path, limits);
          },
          "path"_a, py::kw_only(), "limits"_a = py::none(),
          "Adds every document of the YAML or JSON file at `path` (OSError if unreadable).")
      .def(
          "policy",
          [](const PyCluster& c, const std::string& ns, const std::string& name) {
            std::shared_lock<std::shared_mutex> lock(c.mu);
            PolicyPtr p = c.view().FindPolicyShared(ns, name);
            return p ? std::optional<PyPolicy>(PyPolicy{p}) : std::nullopt;
          },
          "namespace"_a, "name"_a,
          "The SympoziumPolicy `name` in `namespace` (compiled in compat form), or None.")
      .def_property_readonly(
          "agent_count",
          [](const PyCluster& c) {
            std::shared_lock<std::shared_mutex> lock(c.mu);
            return c.view().agent_count();
          },
          "How many Agents it holds.")
      .def_property_readonly(
          "policy_count",
          [](const PyCluster& c) {
            std::shared_lock<std::shared_mutex> lock(c.mu);
            return c.view().policy_count();
          },
          "How many SympoziumPolicies it holds.")
      .def_property_readonly(
          "skill_pack_count",
          [](const PyCluster& c) {
            std::shared_lock<std::shared_mutex> lock(c.mu);
            return c.view().skill_pack_count();
          },
          "How many SkillPacks it holds.")
      .def_property_readonly(
          "generation",
          [](const PyCluster& c) { return c.snapshot != nullptr ? c.snapshot->generation : 0; },
          "A ClusterStore snapshot's generation; 0 for a cluster built with add.")
      .def_property_readonly(
          "broken",
          [](const PyCluster& c) {
            std::shared_lock<std::shared_mutex> lock(c.mu);
            return BrokenList(c.view());
          },
          "The objects that exist but cannot be used (a ClusterStore snapshot's), as\n"
          "dicts of kind, namespace, name and error.")
      .def("__repr__", [](const PyCluster& c) {
        std::shared_lock<std::shared_mutex> lock(c.mu);
        return StrCat("<sympozium.Cluster ", c.view().agent_count(), " agents, ",
                      c.view().policy_count(), " policies, ", c.view().skill_pack_count(),
                      " skill packs>");
      });

  // ---- Cluster store (begin)
  py::class_<PyClusterStore>(m, "ClusterStore",
                             R"(A live cluster view, kept in step one object at a time.

upsert and remove change it; snapshot() returns an immutable Cluster (with a
generation) to pass as ``cluster=``, which later changes do not touch.
Readers never wait for writers; safe to share between threads. An object
that does not decode or compile is kept broken, with its error: runs and
pods that need it get an error decision naming it, never "allowed".)")
      .def(py::init([](const std::string& mode, const py::object& limits) {
             Limits l = limits.is_none() ? DefaultLimits() : LimitsArg(limits);
             return PyClusterStore{std::make_unique<ClusterStore>(ModeArg(mode), l)};
           }),
           "mode"_a = "strict", "limits"_a = py::none(),
           "An empty store. In strict mode a policy that compiles only in compat form\n"
           "upserts as broken (it is kept; strict evaluation refuses it).")
      .def("upsert", &UpsertToStore, "doc"_a,
           R"(Stores objects (a str or bytes stream of documents, a dict, or a list of
these), each replacing what its kind, namespace and name held, in one change.
Returns None, or the error when an object was stored broken. Raises
PolicyError, storing nothing, for unreadable documents, other kinds, or two
documents of one kind, namespace and name.)")
      .def(
          "remove",
          [](PyClusterStore& s, const std::string& kind, const std::string& ns,
             const std::string& name) { return s.store->Remove(kind, ns, name); },
          "kind"_a, "namespace"_a, "name"_a, "Removes one object; False if there was none.")
      .def(
          "snapshot",
          [](const PyClusterStore& s) {
            auto c = std::make_unique<PyCluster>();
            c->snapshot = s.store->Snapshot();
            return c;
          },
          "The current objects as an immutable Cluster (see Cluster.generation).")
      .def_property_readonly(
          "generation", [](const PyClusterStore& s) { return s.store->generation(); },
          "The current snapshot's generation: one more per change.")
      .def_property_readonly(
          "broken",
          [](const PyClusterStore& s) { return BrokenList(s.store->Snapshot()->cluster); },
          "The objects that exist but cannot be used, as dicts of kind, namespace,\n"
          "name and error.")
      .def("__repr__", [](const PyClusterStore& s) {
        PolicySetPtr set = s.store->Snapshot();
        return StrCat("<sympozium.ClusterStore generation ", set->generation, ": ",
                      set->cluster.agent_count(), " agents, ", set->cluster.policy_count(),
                      " policies, ", set->cluster.skill_pack_count(), " skill packs, ",
                      set->cluster.broken_count(), " broken>");
      });
  // ---- Cluster store (end)

  // pybind11 keeps the pointer: these live as long as the process.
  static const std::string policy_start_doc =
      std::string(
          "The run-start checks (docs/start.md) under this policy: what the controller\n"
          "re-checks when it starts a Pending AgentRun, with facts admission cannot\n"
          "know. `run` is an AgentRun (str, bytes or dict); the Agent and policy\n"
          "lookups are skipped (the policy is bound directly).\n\n") +
      kStartArgsDoc;
  static const std::string start_doc =
      std::string(
          "The run-start checks (docs/start.md) for the AgentRun `run` (str, bytes or\n"
          "dict), the policy bound as in evaluate: `policy` directly, else looked\n"
          "up in `cluster` (its Agent, then the Agent's policyRef; a failed lookup\n"
          "is an error decision, codes agent.not_found / policy.not_found), else\n"
          "none (only the gate-hook and spec.task rules apply).\n\n") +
      kStartArgsDoc;

  py::class_<PyPolicy>(m, "Policy",
                       R"(A compiled SympoziumPolicy: immutable, shareable between threads.

Make one with Policy.preset, Policy.from_yaml, Policy.from_file or
Policy.from_dict.)")
      .def_static(
          "preset",
          [](const std::string& name, const std::string& mode) {
            return PyPolicy{Unwrap(Preset(name, ModeArg(mode)))};
          },
          "name"_a, "mode"_a = "strict",
          R"(A built-in preset: "permissive", "default", "restrictive" or
"network-isolated", optionally with a version ("restrictive@v1"). Raises
PolicyError for an unknown name or version.)")
      .def_static(
          "from_yaml",
          [](const py::object& text, const std::string& mode, const std::string& source,
             const py::object& limits) {
            if (!PyUnicode_Check(text.ptr()) && !PyBytes_Check(text.ptr()))
              throw py::type_error("from_yaml takes str or bytes (use from_dict for a dict)");
            return CompileDoc(DocArg(text, "text", Source(source, limits)), ModeArg(mode), limits);
          },
          "text"_a, "mode"_a = "strict", "source"_a = "", py::kw_only(), "limits"_a = py::none(),
          R"(Compiles one SympoziumPolicy document (YAML or JSON text, str or bytes).

mode: "strict" (default) refuses a policy that breaks the CRD schema or has
    an unknown tool action, naming the field; "compat" compiles it as Go
    would and lint() lists the strict errors.
source: the name used in error messages ("policy.yaml").
limits: a dict changing read and compile limits by name ({"max_depth": 8,
    "max_tool_rules": 100}, see default_limits()); unknown names raise
    ValueError, an exceeded limit raises PolicyError naming it.
Raises PolicyError with .path set to the field at fault.)")
      .def_static(
          "from_file",
          [](const std::string& path, const std::string& mode, const py::object& limits) {
            std::string text = ReadFileOrRaise(path);
            return CompileDoc(DocArg(py::bytes(text), "text", Source(path, limits)), ModeArg(mode),
                              limits);
          },
          "path"_a, "mode"_a = "strict", py::kw_only(), "limits"_a = py::none(),
          "Compiles the SympoziumPolicy in the file at `path` (see from_yaml). OSError if "
          "the file cannot be read.")
      .def_static(
          "from_dict",
          [](const py::dict& doc, const std::string& mode, const py::object& limits) {
            return CompileDoc(DocArg(doc, "doc", Source("", limits)), ModeArg(mode), limits);
          },
          "doc"_a, "mode"_a = "strict", py::kw_only(), "limits"_a = py::none(),
          "Compiles a SympoziumPolicy given as a dict (see from_yaml).")
      .def_property_readonly(
          "name", [](const PyPolicy& p) { return p.policy->name(); }, "metadata.name.")
      .def_property_readonly(
          "namespace", [](const PyPolicy& p) { return p.policy->namespace_(); },
          "metadata.namespace (\"\" when absent).")
      .def_property_readonly(
          "preset_version", [](const PyPolicy& p) { return p.policy->preset(); },
          "\"restrictive@v1\" for a built-in preset, else \"\".")
      .def(
          "evaluate",
          [](const PyPolicy& p, const py::object& doc, const std::string& mode,
             const PyCluster* cluster, bool mutate, bool schema_warnings,
             const py::object& limits) {
            EvaluateOptions options = EvalOptions(mode, limits);
            options.mutate_first = mutate;
            options.schema_warnings = schema_warnings;
            return EvaluateDoc(doc, &p, cluster, options, false);
          },
          "doc"_a, "mode"_a = "strict", "cluster"_a = nullptr, "mutate"_a = false,
          "schema_warnings"_a = false, py::kw_only(), "limits"_a = py::none(), kPolicyEvaluateDoc)
      .def(
          "admit_start",
          [](const PyPolicy& p, const py::object& run, std::optional<int64_t> running_for_agent,
             std::optional<int64_t> running_children_of_parent, const std::string& mode,
             const py::object& limits) {
            return StartDoc(run, &p, nullptr,
                            StartContextArg(running_for_agent, running_children_of_parent),
                            EvalOptions(mode, limits));
          },
          "run"_a, py::kw_only(), "running_for_agent"_a = 0, "running_children_of_parent"_a = 0,
          "mode"_a = "strict", "limits"_a = py::none(), policy_start_doc.c_str())
      .def(
          "tool_decision",
          [](const PyPolicy& p, const std::string& tool, const py::object& run) {
            return ToolDecisionName(&p, tool, run);
          },
          "tool"_a, "run"_a = py::none(),
          R"("allow", "deny" or "ask" for `tool` under this policy (docs/tools.md). `run`
(an AgentRun document, optional) narrows it with its spec.toolPolicy lists
first. Raises PolicyError if run is not an AgentRun.)")
      .def(
          "explain_tool",
          [](const PyPolicy& p, const std::string& tool, const py::object& run) {
            return ExplainTool(&p, tool, run);
          },
          "tool"_a, "run"_a = py::none(),
          "The tool decision with its reason: {tool, decision, reason}, as `sympozium-policy "
          "tool --output json`.")
      .def(
          "network_policy",
          [](const PyPolicy& p, const std::optional<std::string>& namespace_) {
            return PyNetworkPolicy{GenerateNetworkPolicy(*p.policy, namespace_.value_or(""))};
          },
          "namespace"_a = py::none(),
          R"(The NetworkPolicy this policy's spec.networkPolicy asks for
(docs/rbac.md#networkpolicy), as a NetworkPolicy result: .object (a dict,
or None when the policy asks for
none) and .warnings. `namespace` is where the object goes (default: the
policy's own; left out of the object when both are empty).)")
      .def(
          "lint",
          [](const PyPolicy& p, const std::string& mode, const std::vector<std::string>& ignore) {
            LintOptions options = LintArgs(mode, ignore);
            LintResult result = p.source != nullptr ? LintPolicy(*p.source, options)
                                                    : LintCompiledPolicy(*p.policy, options);
            return DiagnosticList(result.findings);
          },
          "mode"_a = "strict", "ignore"_a = std::vector<std::string>(),
          R"(The findings of `sympozium-policy lint` on this policy (docs/cli.md#lint),
as Finding dicts {severity, code, path, message, and line and column when
known}, in source order. mode: "strict" (default) or "compat", as lint
--mode; a policy compiled in compat mode still shows what strict refuses.
ignore: warning codes to hide, with the policy's lint.sympozium.ai/ignore
annotation. A preset or a Cluster's policy is linted without its document
(no positions for the lint rules' own findings).)")
      .def("__repr__", &PolicyRepr);

  m.def(
      "lint",
      [](const py::object& doc, const std::string& mode, const std::vector<std::string>& ignore,
         const std::string& source, const py::object& limits) {
        return DiagnosticList(LintDoc(doc, LintArgs(mode, ignore), Source(source, limits)));
      },
      "doc"_a, "mode"_a = "strict", "ignore"_a = std::vector<std::string>(), py::kw_only(),
      "source"_a = "", "limits"_a = py::none(),
      "lint() of the package (sympozium/_lint.py) on one document: str, bytes or dict.");

  m.def(
      "evaluate",
      [](const py::object& doc, const PyPolicy* policy, const PyCluster* cluster,
         const std::string& mode, bool mutate, bool schema_warnings, const py::object& limits) {
        EvaluateOptions options = EvalOptions(mode, limits);
        options.mutate_first = mutate;
        options.schema_warnings = schema_warnings;
        return EvaluateDoc(doc, policy, cluster, options, false);
      },
      "doc"_a, "policy"_a = nullptr, "cluster"_a = nullptr, "mode"_a = "strict", "mutate"_a = false,
      "schema_warnings"_a = false, py::kw_only(), "limits"_a = py::none(), kEvaluateDoc);

  m.def(
      "admit_start",
      [](const py::object& run, const PyPolicy* policy, const PyCluster* cluster,
         std::optional<int64_t> running_for_agent,
         std::optional<int64_t> running_children_of_parent, const std::string& mode,
         const py::object& limits) {
        return StartDoc(run, policy, cluster,
                        StartContextArg(running_for_agent, running_children_of_parent),
                        EvalOptions(mode, limits));
      },
      "run"_a, "policy"_a = nullptr, "cluster"_a = nullptr, py::kw_only(),
      "running_for_agent"_a = 0, "running_children_of_parent"_a = 0, "mode"_a = "strict",
      "limits"_a = py::none(), start_doc.c_str());

  m.def(
      "evaluate_pod",
      [](const py::object& obj, const PyPolicy* policy, const std::string& mode,
         const py::object& limits) {
        return EvaluateDoc(obj, policy, nullptr, EvalOptions(mode, limits), true);
      },
      "obj"_a, "policy"_a = nullptr, "mode"_a = "strict", py::kw_only(), "limits"_a = py::none(),
      R"(The pod checks of docs/pods.md on a Pod, or the pod template of a Job,
Deployment, CronJob, StatefulSet, DaemonSet or ReplicaSet (str, bytes or
dict). `policy` (optional) is the bound policy; without it only the
policy-independent rules run. Violation paths are relative to the object
("spec.template.spec.containers[1].securityContext..."). `limits`: a dict
changing read limits by name. Raises PolicyError for other kinds.)");

  m.def("evaluate_pod_security", &PodSecurityDoc, "obj"_a, "standard"_a = "restricted",
        py::kw_only(), "limits"_a = py::none(),
        R"(A Pod or workload (str, bytes or dict) against one Pod Security Standard
alone, with no policy: `standard` is "baseline" or "restricted", optionally
"@latest" (the default) or "@v1.N", versioned as Pod Security Admission
(docs/pod-security.md). Returns a Decision whose violations carry the pod
rules' codes and paths. Raises PolicyError for an unknown standard, for
unreadable text and for other kinds.)");

  m.def(
      "mutate",
      [](const py::object& run, const PyPolicy* policy, const PyCluster* cluster,
         const std::string& mode, const py::object& limits) {
        Mode mode_value = ModeArg(mode);
        DocArg arg(run, "run", Source("", limits));
        py::gil_scoped_release release;
        Document doc = Unwrap(std::move(arg).ReadOne());
        std::shared_lock<std::shared_mutex> lock = ReadLock(cluster);
        return PyMutation{Unwrap(Mutate(doc, BindingFor(policy, cluster), mode_value))};
      },
      "run"_a, "policy"_a = nullptr, "cluster"_a = nullptr, "mode"_a = "strict", py::kw_only(),
      "limits"_a = py::none(),
      R"(The defaults the mutating webhook would apply to an AgentRun (docs/mutation.md),
with the policy bound as in evaluate (policy, else looked up in cluster, else
none). Returns a Mutation. Raises PolicyError if run is not an AgentRun.)");

  m.def(
      "rbac_for",
      [](const py::object& skillpack, const py::object& run, const PyPolicy* policy,
         const std::string& mode, const py::object& limits) {
        RbacResult result = ComputeRbac(skillpack, run, policy, mode, limits);
        if (!result.violations.empty()) {
          const Violation& v = result.violations.front();
          throw PolicyErrorException(StrCat("denied: ", v.message), v.path, std::string(v.code));
        }
        return DocumentList(result.objects);
      },
      "skillpack"_a, "run"_a, "policy"_a = nullptr, "mode"_a = "strict", py::kw_only(),
      "limits"_a = py::none(),
      R"(The Role, RoleBinding, ClusterRole and ClusterRoleBinding objects the
controller creates (docs/rbac.md) for the SkillPacks `skillpack` (a document, a
stream of several, or a list; each treated as attached) and the AgentRun
`run`, as a list of dicts ready for `kubectl apply`.
In strict mode with a policy, a rule asking for one of its
lifecyclePolicy.deniedResources raises PolicyError (code
"rbac.denied_resource", path naming the rule): nothing is created.
rbac_for_result gives the warnings and cleanup selectors too.)");

  m.def(
      "rbac_for_result",
      [](const py::object& skillpack, const py::object& run, const PyPolicy* policy,
         const std::string& mode, const py::object& limits) {
        return PyRbac(ComputeRbac(skillpack, run, policy, mode, limits));
      },
      "skillpack"_a, "run"_a, "policy"_a = nullptr, "mode"_a = "strict", py::kw_only(),
      "limits"_a = py::none(),
      R"(rbac_for's whole answer as an RbacResult: .objects (what rbac_for returns),
.warnings (least-privilege findings as dicts {severity, code, path,
message}), .violations and .cleanup_selectors. Denied resources do not
raise here: they are listed in .violations and nothing is created (.objects
empty). Unreadable or wrongly typed documents raise PolicyError.)");

  m.def(
      "tool_decision",
      [](const std::string& tool, const py::object& run, const PyPolicy* policy) {
        return ToolDecisionName(policy, tool, run);
      },
      "tool"_a, "run"_a = py::none(), "policy"_a = nullptr,
      R"("allow", "deny" or "ask" for `tool` (docs/tools.md): the run's spec.toolPolicy
lists first (run: an AgentRun document, optional), then the policy's
toolGating (policy optional; with neither, "allow").)");
  m.def(
      "explain_tool",
      [](const std::string& tool, const py::object& run, const PyPolicy* policy) {
        return ExplainTool(policy, tool, run);
      },
      "tool"_a, "run"_a = py::none(), "policy"_a = nullptr,
      "tool_decision with its reason: {tool, decision, reason}.");

  m.def(
      "presets",
      [] {
        std::vector<std::string> names;
        for (const PresetInfo& p : Presets()) names.push_back(p.name);
        return names;
      },
      "The names of the built-in presets, for Policy.preset.");

  m.def(
      "default_limits", [] { return LimitsDict(DefaultLimits()); },
      R"(The read and compile limits (sympozium/options.h) by name, with
their defaults: max_bytes, max_depth, max_documents, max_nodes,
max_list_length, max_tool_rules, max_registries. Pass a dict of some of
them as `limits=` to change them for one call.)");

  m.def("verify_model", &VerifyModelArgs, "path"_a, "sha256"_a = py::none(), py::kw_only(),
        "model"_a = py::none(),
        R"(Streams the file at `path` ("-": standard input) through SHA-256 in
bounded memory (OpenSSL; the GIL is let go meanwhile) and compares it with
the expected digest: `sha256` (64 hex characters, any case) or the
spec.source.sha256 of `model` (a Model document: str, bytes or dict),
exactly one of them. Returns a ModelVerification (.match, .expected,
.actual, .bytes); a mismatch is a result, not an error.
Raises PolicyError when the check cannot be made: a missing or malformed
digest (code "model.sha256_invalid", path "spec.source.sha256") or a file
that cannot be read (code "model.read_error"; the message names the file).)");
  m.def(
      "admission_review",
      [](const py::object& review, const PyCluster* cluster, const std::string& mode,
         const std::string& enforcement, const std::optional<std::string>& shadow_mode,
         const std::string& endpoint, const py::object& limits) {
        return AdmissionReviewDoc(review, cluster,
                                  AdmissionArgs(mode, enforcement, shadow_mode, endpoint, limits));
      },
      "review"_a, "cluster"_a = nullptr, "mode"_a = "strict", "enforcement"_a = "deny",
      "shadow_mode"_a = py::none(), "endpoint"_a = "validate", py::kw_only(),
      "limits"_a = py::none(),
      R"(Answers one admission.k8s.io/v1 AdmissionReview (str, bytes or dict) exactly
as sympozium-webhook does, and returns the answer as a dict: the
AdmissionReview with .response (uid, allowed, status, warnings, and for
endpoint="mutate" the base64 JSONPatch). A body the webhook answers with an
HTTP error (not JSON, no request.uid, past a read limit) gives the
metav1.Status dict with its HTTP status under "httpStatus"; it never raises
for bad input. `cluster` (a Cluster) holds the Agents, policies and
SkillPacks the lookups search (None: an empty one). enforcement: "deny",
"warn" (allowed, violations as warnings) or "audit" (allowed silently).
shadow_mode: also evaluate in this mode and warn where it disagrees. See
docs/admission.md.)");

  BindTestSuite(m);
}

}  // namespace sympozium::python
