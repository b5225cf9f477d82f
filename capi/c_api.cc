// The C API (include/sympozium/sympozium.h) over the C++ library. Every
// entry point catches everything: no exception may unwind into C.
#include "sympozium/sympozium.h"

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "sympozium/admission.h"
#include "sympozium/cluster.h"
#include "sympozium/cluster_store.h"
#include "sympozium/evaluate.h"
#include "sympozium/json.h"
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

static_assert(static_cast<int>(sympozium::ToolAction::kAllow) == SYM_ALLOW &&
                  static_cast<int>(sympozium::ToolAction::kDeny) == SYM_DENY &&
                  static_cast<int>(sympozium::ToolAction::kAsk) == SYM_ASK,
              "SYM_ALLOW/DENY/ASK are the ToolAction values");

struct sym_options_t {
  sympozium::EvaluateOptions evaluate;  // mode, mutate_first, schema_warnings, source name
  int output = SYM_FORMAT_JSON;
  // Admission reviews only (the mode and limits are evaluate's).
  sympozium::Enforcement enforcement = sympozium::Enforcement::kDeny;
  std::optional<sympozium::Mode> shadow_mode;
};

struct sym_policy_t {
  sympozium::PolicyPtr policy;
  sympozium::Diagnostics lint;  // strict errors, then warnings
  std::string lint_json;
};

// A hand-built cluster owns the set sym_cluster_add fills; a store snapshot
// shares the store's immutable set and owns none (`owned` is null).
struct sym_cluster_t {
  std::shared_ptr<sympozium::PolicySet> owned = std::make_shared<sympozium::PolicySet>();
  sympozium::PolicySetPtr set = owned;
  std::vector<std::string> broken;  // Describe() of each broken object, for a snapshot
  const sympozium::Cluster& cluster() const { return set->cluster; }
};

// ---- Cluster store (begin)
struct sym_store_t {
  sympozium::ClusterStore store;
};
// ---- Cluster store (end)

// Derived strings (NUL-terminated copies of the codes, which the Decision
// holds as views, and the JSON) are built on first request: most callers
// read only the verdict. That is why even the const accessors of one handle
// must not run on two threads at once (sympozium.h).
struct sym_decision_t {
  sympozium::Decision decision;
  mutable std::optional<std::string> code;
  mutable std::optional<std::vector<std::string>> violation_codes;
  mutable std::optional<std::string> json;
};

struct sym_mutation_t {
  sympozium::MutateResult result;
  mutable std::optional<std::string> patch_json;
  mutable std::optional<std::string> object_json;
  mutable std::optional<std::string> json;
};

struct sym_objects_t {
  std::optional<std::string> text;  // none when no object was asked for
  size_t count = 0;
  sympozium::Diagnostics warnings;
  std::vector<std::string> selectors;
};

namespace {

using sympozium::Binding;
using sympozium::Decision;
using sympozium::Diagnostic;
using sympozium::Document;
using sympozium::Mode;
using sympozium::ReadOptions;

// Stores a malloc'd a+b in *errptr as LevelDB does, without C++ allocation
// so it is safe inside a catch block. The error's reason code and document
// path follow the message's NUL, each NUL-terminated (sym_error_code,
// sym_error_path).
void StoreError(char** errptr, std::string_view a, std::string_view b, std::string_view code,
                std::string_view path) {
  if (errptr == nullptr) return;
  std::free(*errptr);
  const size_t size = a.size() + b.size() + 1 + code.size() + 1 + path.size() + 1;
  *errptr = static_cast<char*>(std::malloc(size));
  if (*errptr == nullptr) return;
  char* out = *errptr;
  for (std::string_view part : {a, b, std::string_view("\0", 1), code, std::string_view("\0", 1),
                                path, std::string_view("\0", 1)}) {
    // memcpy from an empty view's null data() is undefined.
    if (!part.empty()) std::memcpy(out, part.data(), part.size());
    out += part.size();
  }
}

void SaveError(char** errptr, std::string_view a, std::string_view b = {}) {
  StoreError(errptr, a, b, {}, {});
}

void SaveError(char** errptr, const absl::Status& status) {
  StoreError(errptr, std::string_view(status.message().data(), status.message().size()), {},
             sympozium::CodeOf(status), sympozium::PathOf(status));
}

// A malloc'd copy of `s` for the caller to sym_free.
char* MallocCopy(const std::string& s) {
  char* out = static_cast<char*>(std::malloc(s.size() + 1));
  if (out == nullptr) throw std::bad_alloc();
  std::memcpy(out, s.c_str(), s.size() + 1);
  return out;
}

// Runs `fn`, turning any exception into an error and `fallback`.
template <class T, class Fn>
T Guard(char** errptr, T fallback, Fn&& fn) noexcept {
  try {
    return fn();
  } catch (const std::exception& e) {
    SaveError(errptr, "sympozium: internal error: ", e.what());
  } catch (...) {
    SaveError(errptr, "sympozium: internal error");
  }
  return fallback;
}

const sym_options_t& OptionsOr(const sym_options_t* o) {
  static const sym_options_t defaults;
  return o != nullptr ? *o : defaults;
}

Binding BindingFor(const sym_policy_t* p, const sym_cluster_t* c) {
  const sympozium::Cluster* cluster = c != nullptr ? &c->cluster() : nullptr;
  if (p != nullptr) return Binding::Direct(p->policy.get(), cluster);
  if (cluster != nullptr) return Binding::Lookup(cluster);
  return Binding::None();
}

// Handles are built in a unique_ptr and released at the end, so a throw
// half-way (bad_alloc) leaks nothing.
sym_policy_t* NewPolicy(sympozium::PolicyPtr policy) {
  auto p = std::make_unique<sym_policy_t>();
  p->policy = std::move(policy);
  p->lint = p->policy->strict_errors();
  p->lint.insert(p->lint.end(), p->policy->warnings().begin(), p->policy->warnings().end());
  p->lint_json = sympozium::DiagnosticsJson(p->lint);
  return p.release();
}

sym_policy_t* PolicyOrError(absl::StatusOr<sympozium::PolicyPtr> policy, char** errptr) {
  if (!policy.ok()) {
    SaveError(errptr, policy.status());
    return nullptr;
  }
  return NewPolicy(*std::move(policy));
}

const Diagnostic* LintAt(const sym_policy_t* p, size_t i) {
  return p != nullptr && i < p->lint.size() ? &p->lint[i] : nullptr;
}

const sympozium::Violation* ViolationAt(const sym_decision_t* d, size_t i) {
  return d != nullptr && i < d->decision.violations.size() ? &d->decision.violations[i] : nullptr;
}

const Diagnostic* WarningAt(const sym_decision_t* d, size_t i) {
  return d != nullptr && i < d->decision.warnings.size() ? &d->decision.warnings[i] : nullptr;
}

const Diagnostic* WarningAt(const sym_objects_t* g, size_t i) {
  return g != nullptr && i < g->warnings.size() ? &g->warnings[i] : nullptr;
}

sym_decision_t* NewDecision(Decision decision) {
  auto d = std::make_unique<sym_decision_t>();
  d->decision = std::move(decision);
  return d.release();
}

// `*cache`, built by `build` the first time it is asked for. A throw
// (bad_alloc) leaves it unbuilt and returns NULL.
template <class Build>
const char* Lazily(std::optional<std::string>* cache, Build&& build) {
  return Guard<const char*>(nullptr, nullptr, [&] {
    if (!*cache) *cache = build();
    return (*cache)->c_str();
  });
}

const char* ViolationCode(const sym_decision_t* d, size_t i) {
  return Guard<const char*>(nullptr, nullptr, [&] {
    if (!d->violation_codes) {
      std::vector<std::string> codes;
      codes.reserve(d->decision.violations.size());
      for (const sympozium::Violation& v : d->decision.violations) codes.emplace_back(v.code);
      d->violation_codes = std::move(codes);
    }
    return (*d->violation_codes)[i].c_str();
  });
}

// Calls `fn` with a pointer to the field of `limits` called `name`
// ("max_depth"), typed as the field is; false when there is no such field.
template <class L, class Fn>
bool WithLimit(L& limits, const char* name, Fn&& fn) {
  if (name == nullptr) return false;
  bool found = false;
  bool result = false;
  sympozium::ForEachLimit(limits, [&](const char* field_name, auto& field) {
    if (found || std::string_view(name) != field_name) return;
    found = true;
    result = fn(&field);
  });
  return result;
}

// The options' limits with a fixed name for one input of several.
ReadOptions ReadAs(const sym_options_t& opts, std::string source_name) {
  ReadOptions read = opts.evaluate.read;
  read.source_name = std::move(source_name);
  return read;
}

// The one document a call takes (`what` names the argument in errors):
// nullopt, with *errptr set, when `bytes` is NULL or does not read.
std::optional<Document> ReadInput(const char* fn, const char* what, const char* bytes, size_t len,
                                  const sym_options_t& opts, char** errptr) {
  if (bytes == nullptr) {
    SaveError(errptr, sympozium::StrCat(fn, ": ", what, " is NULL"));
    return std::nullopt;
  }
  absl::StatusOr<Document> doc =
      sympozium::ReadDocument(std::string_view(bytes, len), opts.evaluate.read);
  if (!doc.ok()) {
    SaveError(errptr, doc.status());
    return std::nullopt;
  }
  return *std::move(doc);
}

// rbacFor on document bytes; a violation (strict, a denied resource) is an
// error, so nothing is created.
absl::StatusOr<sympozium::RbacResult> RbacFor(const sym_policy_t* p, const sym_options_t& opts,
                                              std::string_view skillpack, std::string_view run) {
  absl::StatusOr<Document> run_doc = sympozium::ReadDocument(run, ReadAs(opts, "<run>"));
  if (!run_doc.ok()) return run_doc.status();
  auto packs = sympozium::ReadDocuments(skillpack, ReadAs(opts, "<skillpack>"));
  if (!packs.ok()) return packs.status();
  sympozium::RbacOptions options;
  options.mode = opts.evaluate.mode;
  options.policy = p != nullptr ? p->policy.get() : nullptr;
  absl::StatusOr<sympozium::RbacResult> result = sympozium::RbacFor(*packs, *run_doc, options);
  if (!result.ok() || result->violations.empty()) return result;
  const sympozium::Violation& v = result->violations.front();
  return absl::PermissionDeniedError(sympozium::StrCat("denied: ", v.message, " (", v.path, ")"));
}

std::string Render(const sym_options_t& opts, const Document& doc) {
  return opts.output == SYM_FORMAT_YAML ? sympozium::ToYaml(doc) : sympozium::ToJson(doc);
}

int AddToCluster(sym_cluster_t* c, const ReadOptions& read, const char* docs, size_t len,
                 char** errptr) {
  if (c == nullptr || docs == nullptr) {
    SaveError(errptr, "sym_cluster_add: ", c == nullptr ? "c is NULL" : "docs is NULL");
    return -1;
  }
  if (c->owned == nullptr) {
    SaveError(errptr, "sym_cluster_add: c is a store snapshot, which cannot change");
    return -1;
  }
  absl::Status s = c->owned->cluster.AddDocuments(std::string_view(docs, len), read);
  if (!s.ok()) {
    SaveError(errptr, s);
    return -1;
  }
  return 0;
}

// The verdict of sym_verify_model*: 1, 0, or -1 with *errptr set.
int VerificationResult(const sympozium::ModelVerification& v, char** actual_out, char** errptr) {
  if (v.status == sympozium::ModelVerification::Status::kError) {
    SaveError(errptr, "verify model: ", v.error);
    return -1;
  }
  if (actual_out != nullptr) *actual_out = MallocCopy(v.actual);
  return v.match() ? 1 : 0;
}

// Reads the one Model document of sym_verify_model*.
absl::StatusOr<Document> ReadModel(const char* model, size_t len) {
  if (model == nullptr) return absl::InvalidArgumentError("sym_verify_model: model is NULL");
  ReadOptions read;
  read.source_name = "<model>";
  return sympozium::ReadDocument(std::string_view(model, len), read);
}

}  // namespace

extern "C" {

const char* sym_version(void) { return sympozium::Version(); }

void sym_free(void* ptr) { std::free(ptr); }

const char* sym_error_code(const char* err) {
  return err != nullptr ? err + std::strlen(err) + 1 : nullptr;
}

const char* sym_error_path(const char* err) {
  const char* code = sym_error_code(err);
  return code != nullptr ? code + std::strlen(code) + 1 : nullptr;
}

size_t sym_preset_count(void) {
  return Guard<size_t>(nullptr, 0, [] { return sympozium::Presets().size(); });
}

const char* sym_preset_name(size_t i) {
  return Guard<const char*>(nullptr, nullptr, [i]() -> const char* {
    const auto& presets = sympozium::Presets();
    return i < presets.size() ? presets[i].name.c_str() : nullptr;
  });
}

// ---- Options

sym_options_t* sym_options_create(void) {
  return Guard<sym_options_t*>(nullptr, nullptr, [] { return new sym_options_t; });
}

void sym_options_free(sym_options_t* o) { delete o; }

int sym_options_set_mode(sym_options_t* o, int mode) {
  if (o == nullptr || (mode != SYM_MODE_STRICT && mode != SYM_MODE_COMPAT)) return -1;
  o->evaluate.mode = mode == SYM_MODE_STRICT ? Mode::kStrict : Mode::kCompat;
  return 0;
}

int sym_options_set_mutate(sym_options_t* o, int on) {
  if (o == nullptr || (on != 0 && on != 1)) return -1;
  o->evaluate.mutate_first = on == 1;
  return 0;
}

int sym_options_set_schema_warnings(sym_options_t* o, int on) {
  if (o == nullptr || (on != 0 && on != 1)) return -1;
  o->evaluate.schema_warnings = on == 1;
  return 0;
}

int sym_options_set_source_name(sym_options_t* o, const char* name) {
  if (o == nullptr || name == nullptr) return -1;
  return Guard(nullptr, -1, [&] {
    o->evaluate.read.source_name = name;
    return 0;
  });
}

int sym_options_set_output(sym_options_t* o, int format) {
  if (o == nullptr || (format != SYM_FORMAT_JSON && format != SYM_FORMAT_YAML)) return -1;
  o->output = format;
  return 0;
}

int sym_options_set_limit(sym_options_t* o, const char* name, uint64_t value) {
  if (o == nullptr) return -1;
  bool set = WithLimit(o->evaluate.read.limits, name, [value](auto* field) {
    using T = std::remove_pointer_t<decltype(field)>;
    if (value > std::numeric_limits<T>::max()) return false;
    *field = static_cast<T>(value);
    return true;
  });
  return set ? 0 : -1;
}

int sym_options_get_limit(const sym_options_t* o, const char* name, uint64_t* value) {
  if (value == nullptr) return -1;
  bool found = WithLimit(OptionsOr(o).evaluate.read.limits, name, [value](const auto* field) {
    *value = *field;
    return true;
  });
  return found ? 0 : -1;
}

int sym_mode_parse(const char* name) {
  Mode mode;
  if (name == nullptr || !sympozium::ParseMode(name, &mode)) return -1;
  return mode == Mode::kStrict ? SYM_MODE_STRICT : SYM_MODE_COMPAT;
}

// ---- Policies

sym_policy_t* sym_policy_compile(const char* doc, size_t len, char** errptr) {
  return sym_policy_compile_opts(doc, len, nullptr, nullptr, errptr);
}

sym_policy_t* sym_policy_compile_opts(const char* doc, size_t len, const sym_options_t* o,
                                      const sym_cluster_t* known, char** errptr) {
  return Guard<sym_policy_t*>(errptr, nullptr, [&]() -> sym_policy_t* {
    if (doc == nullptr) {
      SaveError(errptr, "sym_policy_compile: doc is NULL");
      return nullptr;
    }
    const sym_options_t& opts = OptionsOr(o);
    sympozium::CompileOptions options;
    options.mode = opts.evaluate.mode;
    options.limits = opts.evaluate.read.limits;
    if (known != nullptr) options.known_tools = known->cluster().SkillPackToolNames();
    return PolicyOrError(sympozium::CompilePolicy(std::string_view(doc, len), options,
                                                  opts.evaluate.read.source_name),
                         errptr);
  });
}

sym_policy_t* sym_policy_preset(const char* name, char** errptr) {
  return sym_policy_preset_opts(name, nullptr, errptr);
}

sym_policy_t* sym_policy_preset_opts(const char* name, const sym_options_t* o, char** errptr) {
  return Guard<sym_policy_t*>(errptr, nullptr, [&]() -> sym_policy_t* {
    if (name == nullptr) {
      SaveError(errptr, "sym_policy_preset: name is NULL");
      return nullptr;
    }
    return PolicyOrError(sympozium::Preset(name, OptionsOr(o).evaluate.mode), errptr);
  });
}

void sym_policy_free(sym_policy_t* p) { delete p; }

const char* sym_policy_name(const sym_policy_t* p) {
  return p != nullptr ? p->policy->name().c_str() : nullptr;
}

size_t sym_policy_lint_count(const sym_policy_t* p) { return p != nullptr ? p->lint.size() : 0; }

int sym_policy_lint_severity(const sym_policy_t* p, size_t i) {
  const Diagnostic* d = LintAt(p, i);
  if (d == nullptr) return -1;
  return d->severity == Diagnostic::Severity::kError ? SYM_SEVERITY_ERROR : SYM_SEVERITY_WARNING;
}

const char* sym_policy_lint_code(const sym_policy_t* p, size_t i) {
  const Diagnostic* d = LintAt(p, i);
  return d != nullptr ? d->code.c_str() : nullptr;
}

const char* sym_policy_lint_path(const sym_policy_t* p, size_t i) {
  const Diagnostic* d = LintAt(p, i);
  return d != nullptr ? d->path.c_str() : nullptr;
}

const char* sym_policy_lint_message(const sym_policy_t* p, size_t i) {
  const Diagnostic* d = LintAt(p, i);
  return d != nullptr ? d->message.c_str() : nullptr;
}

const char* sym_policy_lint_json(const sym_policy_t* p) {
  return p != nullptr ? p->lint_json.c_str() : nullptr;
}

// ---- Clusters

sym_cluster_t* sym_cluster_create(void) {
  return Guard<sym_cluster_t*>(nullptr, nullptr, [] { return new sym_cluster_t; });
}

void sym_cluster_free(sym_cluster_t* c) { delete c; }

int sym_cluster_add(sym_cluster_t* c, const char* name, const char* docs, size_t len,
                    char** errptr) {
  return Guard(errptr, -1, [&] {
    ReadOptions read;
    if (name != nullptr) read.source_name = name;
    return AddToCluster(c, read, docs, len, errptr);
  });
}

int sym_cluster_add_opts(sym_cluster_t* c, const sym_options_t* o, const char* docs, size_t len,
                         char** errptr) {
  return Guard(errptr, -1,
               [&] { return AddToCluster(c, OptionsOr(o).evaluate.read, docs, len, errptr); });
}

// ---- Admission

sym_decision_t* sym_evaluate(const sym_policy_t* p, const char* doc, size_t len, char** errptr) {
  return sym_evaluate_opts(p, nullptr, nullptr, doc, len, errptr);
}

sym_decision_t* sym_evaluate_opts(const sym_policy_t* p, const sym_cluster_t* c,
                                  const sym_options_t* o, const char* doc, size_t len,
                                  char** errptr) {
  return Guard<sym_decision_t*>(errptr, nullptr, [&]() -> sym_decision_t* {
    const sym_options_t& opts = OptionsOr(o);
    if (doc == nullptr) {
      SaveError(errptr, "sym_evaluate: doc is NULL");
      return nullptr;
    }
    absl::StatusOr<Decision> decision =
        sympozium::EvaluateReadable(std::string_view(doc, len), BindingFor(p, c), opts.evaluate);
    if (!decision.ok()) {
      SaveError(errptr, decision.status());
      return nullptr;
    }
    return NewDecision(*std::move(decision));
  });
}

int sym_decision_allowed(const sym_decision_t* d) {
  return d != nullptr && d->decision.allowed ? 1 : 0;
}

int sym_decision_result(const sym_decision_t* d) {
  if (d == nullptr) return -1;
  switch (d->decision.result) {
    case sympozium::Result::kAllowed:
      return SYM_RESULT_ALLOWED;
    case sympozium::Result::kDenied:
      return SYM_RESULT_DENIED;
    case sympozium::Result::kError:
      break;
  }
  return SYM_RESULT_ERROR;
}

int sym_decision_status(const sym_decision_t* d) { return d != nullptr ? d->decision.status : -1; }

const char* sym_decision_code(const sym_decision_t* d) {
  if (d == nullptr) return nullptr;
  return Lazily(&d->code, [d] { return std::string(d->decision.code); });
}

const char* sym_decision_message(const sym_decision_t* d) {
  return d != nullptr ? d->decision.message.c_str() : nullptr;
}

const char* sym_decision_json(const sym_decision_t* d) {
  if (d == nullptr) return nullptr;
  return Lazily(&d->json, [d] { return d->decision.ToJson(); });
}

size_t sym_decision_violation_count(const sym_decision_t* d) {
  return d != nullptr ? d->decision.violations.size() : 0;
}

const char* sym_decision_violation_code(const sym_decision_t* d, size_t i) {
  return ViolationAt(d, i) != nullptr ? ViolationCode(d, i) : nullptr;
}

const char* sym_decision_violation_message(const sym_decision_t* d, size_t i) {
  const sympozium::Violation* v = ViolationAt(d, i);
  return v != nullptr ? v->message.c_str() : nullptr;
}

const char* sym_decision_violation_path(const sym_decision_t* d, size_t i) {
  const sympozium::Violation* v = ViolationAt(d, i);
  return v != nullptr ? v->path.c_str() : nullptr;
}

size_t sym_decision_warning_count(const sym_decision_t* d) {
  return d != nullptr ? d->decision.warnings.size() : 0;
}

const char* sym_decision_warning_code(const sym_decision_t* d, size_t i) {
  const Diagnostic* w = WarningAt(d, i);
  return w != nullptr ? w->code.c_str() : nullptr;
}

const char* sym_decision_warning_message(const sym_decision_t* d, size_t i) {
  const Diagnostic* w = WarningAt(d, i);
  return w != nullptr ? w->message.c_str() : nullptr;
}

const char* sym_decision_warning_path(const sym_decision_t* d, size_t i) {
  const Diagnostic* w = WarningAt(d, i);
  return w != nullptr ? w->path.c_str() : nullptr;
}

void sym_decision_free(sym_decision_t* d) { delete d; }

// ---- Run start

sym_decision_t* sym_admit_start(const sym_policy_t* p, const sym_cluster_t* c,
                                const sym_options_t* o, const char* run, size_t len,
                                int64_t running_for_agent, int64_t running_children,
                                char** errptr) {
  return Guard<sym_decision_t*>(errptr, nullptr, [&]() -> sym_decision_t* {
    const sym_options_t& opts = OptionsOr(o);
    std::optional<Document> doc = ReadInput("sym_admit_start", "run", run, len, opts, errptr);
    if (!doc) return nullptr;
    // As `sympozium-policy start`: only an AgentRun can start.
    if (doc->kind() != "AgentRun") {
      SaveError(errptr,
                sympozium::StrCat(doc->Describe(), ": start checks an AgentRun, not ",
                                  doc->kind().empty() ? "a document without kind" : doc->kind()));
      return nullptr;
    }
    sympozium::StartContext context;
    context.running_for_agent_known = running_for_agent >= 0;
    context.running_for_agent = context.running_for_agent_known ? running_for_agent : 0;
    context.running_children_known = running_children >= 0;
    context.running_children_of_parent = context.running_children_known ? running_children : 0;
    return NewDecision(sympozium::AdmitStart(*doc, BindingFor(p, c), context, opts.evaluate));
  });
}

// ---- Model integrity

int sym_verify_model_file(const char* model, size_t len, const char* path, char** actual_out,
                          char** errptr) {
  return Guard(errptr, -1, [&] {
    if (path == nullptr) {
      SaveError(errptr, "sym_verify_model_file: path is NULL");
      return -1;
    }
    absl::StatusOr<Document> doc = ReadModel(model, len);
    absl::StatusOr<sympozium::ModelVerification> v =
        doc.ok() ? sympozium::VerifyModelFile(*doc, path) : doc.status();
    if (!v.ok()) {
      SaveError(errptr, v.status());
      return -1;
    }
    return VerificationResult(*v, actual_out, errptr);
  });
}

int sym_verify_model(const char* model, size_t len, sym_read_fn read, void* arg, char** actual_out,
                     char** errptr) {
  return Guard(errptr, -1, [&] {
    if (read == nullptr) {
      SaveError(errptr, "sym_verify_model: read is NULL");
      return -1;
    }
    absl::StatusOr<Document> doc = ReadModel(model, len);
    if (!doc.ok()) {
      SaveError(errptr, doc.status());
      return -1;
    }
    auto callback = [read, arg](char* buffer, size_t size) -> absl::StatusOr<size_t> {
      int64_t n = read(arg, buffer, size);
      if (n < 0) return absl::DataLossError("the read callback failed");
      if (static_cast<uint64_t>(n) > size)
        return absl::OutOfRangeError(
            sympozium::StrCat("the read callback returned ", n, " for a ", size, "-byte buffer"));
      return static_cast<size_t>(n);
    };
    absl::StatusOr<sympozium::ModelVerification> v = sympozium::VerifyModel(*doc, callback);
    if (!v.ok()) {
      SaveError(errptr, v.status());
      return -1;
    }
    return VerificationResult(*v, actual_out, errptr);
  });
}

// ---- Tool gating

int sym_tool_decision(const sym_policy_t* p, const char* tool, size_t len) {
  return sym_tool_decision_run(p, nullptr, 0, tool, len);
}

int sym_tool_decision_run(const sym_policy_t* p, const char* run, size_t run_len, const char* tool,
                          size_t len) {
  return Guard(nullptr, -1, [&] {
    if (tool == nullptr) return -1;
    const sympozium::CompiledPolicy* policy = p != nullptr ? p->policy.get() : nullptr;
    std::string_view name(tool, len);
    if (run == nullptr)
      return static_cast<int>(sympozium::DecideTool(policy, nullptr, name).action);
    ReadOptions read;
    read.source_name = "<run>";
    absl::StatusOr<Document> doc = sympozium::ReadDocument(std::string_view(run, run_len), read);
    if (!doc.ok()) return -1;
    absl::StatusOr<sympozium::RunToolLists> lists = sympozium::RunToolLists::FromDocument(*doc);
    if (!lists.ok()) return -1;
    return static_cast<int>(sympozium::DecideTool(policy, &*lists, name).action);
  });
}

// ---- Mutation

sym_mutation_t* sym_mutate(const sym_policy_t* p, const sym_cluster_t* c, const sym_options_t* o,
                           const char* run, size_t len, char** errptr) {
  return Guard<sym_mutation_t*>(errptr, nullptr, [&]() -> sym_mutation_t* {
    const sym_options_t& opts = OptionsOr(o);
    std::optional<Document> doc = ReadInput("sym_mutate", "run", run, len, opts, errptr);
    if (!doc) return nullptr;
    absl::StatusOr<sympozium::MutateResult> result =
        sympozium::Mutate(*doc, BindingFor(p, c), opts.evaluate.mode);
    if (!result.ok()) {
      SaveError(errptr, result.status());
      return nullptr;
    }
    auto m = std::make_unique<sym_mutation_t>();
    m->result = *std::move(result);
    return m.release();
  });
}

const char* sym_mutation_message(const sym_mutation_t* m) {
  return m != nullptr ? m->result.message.c_str() : nullptr;
}

size_t sym_mutation_patch_count(const sym_mutation_t* m) {
  return m != nullptr ? m->result.patch_size : 0;
}

const char* sym_mutation_patch_json(const sym_mutation_t* m) {
  if (m == nullptr) return nullptr;
  return Lazily(&m->patch_json, [m] { return m->result.PatchJson(); });
}

const char* sym_mutation_object_json(const sym_mutation_t* m) {
  if (m == nullptr) return nullptr;
  return Lazily(&m->object_json, [m] { return sympozium::ToJson(m->result.object); });
}

const char* sym_mutation_json(const sym_mutation_t* m) {
  if (m == nullptr) return nullptr;
  return Lazily(&m->json, [m] { return m->result.ToJson(); });
}

void sym_mutation_free(sym_mutation_t* m) { delete m; }

// ---- RBAC

char* sym_rbac_for(const char* skillpack, size_t sp_len, const char* run, size_t run_len,
                   char** errptr) {
  return sym_rbac_for_opts(nullptr, nullptr, skillpack, sp_len, run, run_len, errptr);
}

char* sym_rbac_for_opts(const sym_policy_t* p, const sym_options_t* o, const char* skillpack,
                        size_t sp_len, const char* run, size_t run_len, char** errptr) {
  return Guard<char*>(errptr, nullptr, [&]() -> char* {
    std::unique_ptr<sym_objects_t> g(
        sym_rbac_result(p, o, skillpack, sp_len, run, run_len, errptr));
    return g != nullptr ? MallocCopy(*g->text) : nullptr;
  });
}

sym_objects_t* sym_rbac_result(const sym_policy_t* p, const sym_options_t* o, const char* skillpack,
                               size_t sp_len, const char* run, size_t run_len, char** errptr) {
  return Guard<sym_objects_t*>(errptr, nullptr, [&]() -> sym_objects_t* {
    if (skillpack == nullptr || run == nullptr) {
      SaveError(errptr,
                "sym_rbac_for: ", skillpack == nullptr ? "skillpack is NULL" : "run is NULL");
      return nullptr;
    }
    const sym_options_t& opts = OptionsOr(o);
    absl::StatusOr<sympozium::RbacResult> result =
        RbacFor(p, opts, std::string_view(skillpack, sp_len), std::string_view(run, run_len));
    if (!result.ok()) {
      SaveError(errptr, result.status());
      return nullptr;
    }
    auto g = std::make_unique<sym_objects_t>();
    g->text = Render(opts, result->AsList());
    g->count = result->objects.size();
    g->warnings = std::move(result->warnings);
    g->selectors = std::move(result->cleanup_selectors);
    return g.release();
  });
}

// ---- NetworkPolicy

sym_objects_t* sym_network_policy(const sym_policy_t* p, const sym_options_t* o, const char* ns,
                                  char** errptr) {
  return Guard<sym_objects_t*>(errptr, nullptr, [&]() -> sym_objects_t* {
    if (p == nullptr) {
      SaveError(errptr, "sym_network_policy: p is NULL");
      return nullptr;
    }
    sympozium::NetworkPolicyResult result =
        sympozium::GenerateNetworkPolicy(*p->policy, ns != nullptr ? ns : "");
    auto g = std::make_unique<sym_objects_t>();
    if (result.object) {
      g->text = Render(OptionsOr(o), *result.object);
      g->count = 1;
    }
    g->warnings = std::move(result.warnings);
    return g.release();
  });
}

// ---- Generated objects

const char* sym_objects_text(const sym_objects_t* g) {
  return g != nullptr && g->text ? g->text->c_str() : nullptr;
}

size_t sym_objects_count(const sym_objects_t* g) { return g != nullptr ? g->count : 0; }

size_t sym_objects_warning_count(const sym_objects_t* g) {
  return g != nullptr ? g->warnings.size() : 0;
}

const char* sym_objects_warning_code(const sym_objects_t* g, size_t i) {
  const Diagnostic* w = WarningAt(g, i);
  return w != nullptr ? w->code.c_str() : nullptr;
}

const char* sym_objects_warning_path(const sym_objects_t* g, size_t i) {
  const Diagnostic* w = WarningAt(g, i);
  return w != nullptr ? w->path.c_str() : nullptr;
}

const char* sym_objects_warning_message(const sym_objects_t* g, size_t i) {
  const Diagnostic* w = WarningAt(g, i);
  return w != nullptr ? w->message.c_str() : nullptr;
}

size_t sym_objects_selector_count(const sym_objects_t* g) {
  return g != nullptr ? g->selectors.size() : 0;
}

const char* sym_objects_selector(const sym_objects_t* g, size_t i) {
  return g != nullptr && i < g->selectors.size() ? g->selectors[i].c_str() : nullptr;
}

void sym_objects_free(sym_objects_t* g) { delete g; }

sym_decision_t* sym_evaluate_pod_security(const sym_options_t* o, const char* standard,
                                          const char* doc, size_t len, char** errptr) {
  return Guard<sym_decision_t*>(errptr, nullptr, [&]() -> sym_decision_t* {
    if (standard == nullptr) {
      SaveError(errptr, "sym_evaluate_pod_security: standard is NULL");
      return nullptr;
    }
    absl::StatusOr<sympozium::PodSecurityStandard> parsed =
        sympozium::ParsePodSecurityStandard(standard);
    if (!parsed.ok()) {
      SaveError(errptr, parsed.status());
      return nullptr;
    }
    std::optional<Document> read =
        ReadInput("sym_evaluate_pod_security", "doc", doc, len, OptionsOr(o), errptr);
    if (!read) return nullptr;
    return NewDecision(sympozium::EvaluatePodSecurity(*read, *parsed));
  });
}

// ---- Cluster store (begin)

sym_store_t* sym_store_create(const sym_options_t* o) {
  return Guard<sym_store_t*>(nullptr, nullptr, [o] {
    const sympozium::EvaluateOptions& opts = OptionsOr(o).evaluate;
    return new sym_store_t{sympozium::ClusterStore(opts.mode, opts.read.limits)};
  });
}

void sym_store_free(sym_store_t* s) { delete s; }

int sym_store_upsert(sym_store_t* s, const char* docs, size_t len, char** errptr) {
  return Guard(errptr, -1, [&] {
    if (s == nullptr || docs == nullptr) {
      SaveError(errptr, "sym_store_upsert: ", s == nullptr ? "s is NULL" : "docs is NULL");
      return -1;
    }
    absl::Status status = s->store.Upsert(std::string_view(docs, len));
    if (status.ok()) return 0;
    SaveError(errptr, status);
    return sympozium::IsStoredBroken(status) ? 1 : -1;
  });
}

int sym_store_remove(sym_store_t* s, const char* kind, const char* ns, const char* name) {
  return Guard(nullptr, -1, [&] {
    if (s == nullptr || kind == nullptr || ns == nullptr || name == nullptr) return -1;
    return s->store.Remove(kind, ns, name) ? 1 : 0;
  });
}

sym_cluster_t* sym_store_snapshot(const sym_store_t* s) {
  return Guard<sym_cluster_t*>(nullptr, nullptr, [s]() -> sym_cluster_t* {
    if (s == nullptr) return nullptr;
    auto c = std::make_unique<sym_cluster_t>(sym_cluster_t{nullptr, s->store.Snapshot(), {}});
    for (const sympozium::BrokenObject* b : c->cluster().Broken())
      c->broken.push_back(b->Describe());
    return c.release();
  });
}

uint64_t sym_cluster_generation(const sym_cluster_t* c) {
  return c != nullptr && c->owned == nullptr ? c->set->generation : 0;
}

size_t sym_cluster_broken_count(const sym_cluster_t* c) {
  return c != nullptr ? c->broken.size() : 0;
}

const char* sym_cluster_broken(const sym_cluster_t* c, size_t i) {
  return c != nullptr && i < c->broken.size() ? c->broken[i].c_str() : nullptr;
}

// ---- Cluster store (end)

}  // extern "C"

// ---- Admission reviews

int sym_options_set_enforcement(sym_options_t* o, int enforcement) {
  if (o == nullptr) return -1;
  switch (enforcement) {
    case SYM_ENFORCE_DENY:
      o->enforcement = sympozium::Enforcement::kDeny;
      return 0;
    case SYM_ENFORCE_WARN:
      o->enforcement = sympozium::Enforcement::kWarn;
      return 0;
    case SYM_ENFORCE_AUDIT:
      o->enforcement = sympozium::Enforcement::kAudit;
      return 0;
  }
  return -1;
}

int sym_options_set_shadow_mode(sym_options_t* o, int mode) {
  if (o == nullptr || (mode != -1 && mode != SYM_MODE_STRICT && mode != SYM_MODE_COMPAT)) return -1;
  if (mode == -1)
    o->shadow_mode.reset();
  else
    o->shadow_mode = mode == SYM_MODE_STRICT ? Mode::kStrict : Mode::kCompat;
  return 0;
}

char* sym_admission_review(const sym_cluster_t* c, const sym_options_t* o, int endpoint,
                           const char* body, size_t len, int* http_status, char** errptr) {
  return Guard<char*>(errptr, nullptr, [&]() -> char* {
    if ((body == nullptr && len > 0) || http_status == nullptr ||
        (endpoint != SYM_ENDPOINT_VALIDATE && endpoint != SYM_ENDPOINT_MUTATE)) {
      SaveError(errptr,
                "sym_admission_review: body is NULL with len > 0, http_status is NULL, or "
                "endpoint is not a SYM_ENDPOINT_*");
      return nullptr;
    }
    const sym_options_t& opts = OptionsOr(o);
    sympozium::AdmissionOptions options;
    options.endpoint = endpoint == SYM_ENDPOINT_MUTATE ? sympozium::AdmissionEndpoint::kMutate
                                                       : sympozium::AdmissionEndpoint::kValidate;
    options.mode = opts.evaluate.mode;
    options.enforcement = opts.enforcement;
    options.shadow_mode = opts.shadow_mode;
    options.limits = opts.evaluate.read.limits;
    static const sympozium::Cluster kEmpty;
    std::string_view bytes = body != nullptr ? std::string_view(body, len) : std::string_view();
    sympozium::AdmissionResult result =
        sympozium::ReviewAdmission(bytes, c != nullptr ? c->cluster() : kEmpty,
                                   c != nullptr ? sym_cluster_generation(c) : 0, options);
    *http_status = result.http_status;
    return MallocCopy(result.body);
  });
}
