/* The C API of libsympozium (link -lsympozium_c, pkg-config sympozium_c).
 *
 * C99, following LevelDB's c.h conventions:
 *  - Objects are opaque handles made by a function of this header and freed
 *    by the matching *_free function (each accepts NULL).
 *  - A function that can fail takes `char** errptr`. On failure it stores a
 *    malloc'd message in *errptr (freeing what was there: *errptr must be
 *    NULL or an earlier message) and returns NULL / -1; free the message
 *    with sym_free. errptr itself may be NULL when the message is not
 *    wanted. On success *errptr is left alone.
 *  - Every `const char*` returned is owned by the handle it came from (valid
 *    until that handle is freed) or is static, as documented per function;
 *    every `char*` returned is malloc'd and freed by the caller with
 *    sym_free.
 *  - No C++ exception or abort crosses this API: bad input, NULL arguments
 *    and out-of-range indexes are errors (NULL, -1 or 0 as documented),
 *    never crashes.
 *
 * Documents (`doc`, `len`) are YAML or JSON bytes, not NUL-terminated; the
 * bytes are only read during the call.
 *
 * Thread safety: a sym_policy_t is immutable and may be shared by any number
 * of threads. A sym_cluster_t may be shared once built: sym_cluster_add must
 * not run while another thread uses the cluster (a store snapshot never
 * changes). Options may be read by several threads at once (passed as
 * const), set by one when none reads. Decisions, mutations and generated
 * objects are values for one thread at a time, freeing and every accessor
 * included: a decision builds its JSON and code copies on first request, so
 * two threads reading one decision at once race (the cost of an evaluation
 * that is only asked for its verdict is the evaluation). Hand a handle
 * between threads with the usual synchronisation. */
#ifndef SYMPOZIUM_SYMPOZIUM_H_
#define SYMPOZIUM_SYMPOZIUM_H_

#include <stddef.h>
#include <stdint.h>

#if defined(__GNUC__)
#define SYM_EXPORT __attribute__((visibility("default")))
#else
#define SYM_EXPORT
#endif

#ifdef __cplusplus
extern "C" {
#endif

typedef struct sym_policy_t sym_policy_t;     /* a compiled policy: immutable, thread-safe */
typedef struct sym_decision_t sym_decision_t; /* an admission decision */
typedef struct sym_cluster_t sym_cluster_t;   /* Agents, policies, SkillPacks for lookups */
typedef struct sym_options_t sym_options_t;   /* mode and other evaluation settings */
typedef struct sym_mutation_t sym_mutation_t; /* the mutating webhook's result */
typedef struct sym_objects_t sym_objects_t;   /* generated Kubernetes objects, with warnings */

/* Tool decisions (docs/tools.md). */
enum { SYM_ALLOW = 0, SYM_DENY = 1, SYM_ASK = 2 };
/* Evaluation modes: strict (the default) adds docs/checks.md#strict-mode to the Go checks;
 * compat reproduces the Go webhook. */
enum { SYM_MODE_STRICT = 0, SYM_MODE_COMPAT = 1 };
/* sym_decision_result. */
enum { SYM_RESULT_ALLOWED = 0, SYM_RESULT_DENIED = 1, SYM_RESULT_ERROR = 2 };
/* sym_policy_lint_severity. */
enum { SYM_SEVERITY_ERROR = 0, SYM_SEVERITY_WARNING = 1 };
/* Output of sym_rbac_for_opts, sym_rbac_result and sym_network_policy. */
enum { SYM_FORMAT_JSON = 0, SYM_FORMAT_YAML = 1 };

/* ---- Library ---------------------------------------------------------- */

/* "0.1.0". Static. */
SYM_EXPORT const char* sym_version(void);
/* Frees a char* or error message from this API. NULL is fine. */
SYM_EXPORT void sym_free(void* ptr);
/* The stable reason code ("compile.unknown_action", "limit.max_depth") and
 * the document path ("spec.toolGating.rules[4].action") of an error message
 * this API stored in *errptr; "" when the error has none (a NULL argument).
 * `err` must be that message itself, not a copy. Owned by err; NULL for
 * NULL. */
SYM_EXPORT const char* sym_error_code(const char* err);
SYM_EXPORT const char* sym_error_path(const char* err);

/* The built-in presets ("permissive", "default", "restrictive",
 * "network-isolated"): how many, and the i-th name (static; NULL when i is
 * out of range). */
SYM_EXPORT size_t sym_preset_count(void);
SYM_EXPORT const char* sym_preset_name(size_t i);

/* ---- Options ---------------------------------------------------------- */

/* Defaults: strict mode, no mutation first, no schema warnings, source
 * name "<input>", JSON output, the default limits (sym_options_set_limit).
 * NULL only when out of memory. */
SYM_EXPORT sym_options_t* sym_options_create(void);
SYM_EXPORT void sym_options_free(sym_options_t* o);
/* Each setter returns 0, or -1 (changing nothing) when `o` is NULL or the
 * value is not one of those listed. */
/* SYM_MODE_STRICT or SYM_MODE_COMPAT: the mode of evaluation, mutation,
 * rbacFor and of compiling (sym_policy_compile_opts, sym_policy_preset_opts). */
SYM_EXPORT int sym_options_set_mode(sym_options_t* o, int mode);
/* 0 or 1: apply the mutating webhook's defaults before evaluating an
 * AgentRun (as `admit --mutate`). */
SYM_EXPORT int sym_options_set_mutate(sym_options_t* o, int on);
/* 0 or 1: add CRD schema findings to a decision's warnings. */
SYM_EXPORT int sym_options_set_schema_warnings(sym_options_t* o, int on);
/* The input's name in messages ("run.yaml"); copied. NULL is an error. */
SYM_EXPORT int sym_options_set_source_name(sym_options_t* o, const char* name);
/* SYM_FORMAT_JSON or SYM_FORMAT_YAML: the text sym_rbac_for_opts returns
 * and sym_objects_text holds. */
SYM_EXPORT int sym_options_set_output(sym_options_t* o, int format);
/* Limits on what reading and compiling accept, by the names of struct
 * Limits (<sympozium/options.h>), with their defaults:
 *   "max_bytes"        8388608  one input
 *   "max_depth"        64       nesting of maps and lists
 *   "max_documents"    100000   documents in one stream
 *   "max_nodes"        1000000  nodes in one input (bounds alias expansion)
 *   "max_list_length"  100000   items in one list or members in one map
 *   "max_tool_rules"   100000   spec.toolGating.rules of one policy
 *   "max_registries"   100000   spec.imagePolicy.allowedRegistries
 * Exceeding one fails the call with a message naming it
 * ("limit.max_depth"), never a crash and never an allowed decision. They
 * apply to every document the options' functions read and every policy
 * they compile: sym_policy_compile_opts, sym_cluster_add_opts,
 * sym_evaluate_opts, sym_admit_start, sym_mutate, sym_rbac_for_opts,
 * sym_rbac_result. -1 (changing nothing) when o or name
 * is NULL, the name is unknown, or the value is above UINT32_MAX (above
 * SIZE_MAX for max_bytes). */
SYM_EXPORT int sym_options_set_limit(sym_options_t* o, const char* name, uint64_t value);
/* Stores the named limit of `o` (o NULL: the default) in *value. 0, or -1
 * (storing nothing) when name or value is NULL or the name is unknown. */
SYM_EXPORT int sym_options_get_limit(const sym_options_t* o, const char* name, uint64_t* value);
/* "strict" -> SYM_MODE_STRICT, "compat" -> SYM_MODE_COMPAT, else -1. */
SYM_EXPORT int sym_mode_parse(const char* name);

/* ---- Policies --------------------------------------------------------- */

/* Reads, decodes and compiles one SympoziumPolicy document in strict mode:
 * a policy that breaks the CRD schema or has an unknown tool action is an
 * error naming the field. Free with sym_policy_free. */
SYM_EXPORT sym_policy_t* sym_policy_compile(const char* doc, size_t len, char** errptr);
/* The same with the options' mode and source name (o may be NULL:
 * defaults). In compat mode such a policy compiles and its strict errors
 * are lint findings. `known` (may be NULL) is a cluster whose SkillPacks'
 * tools count as known, so rules naming them draw no unknown-tool warning. */
SYM_EXPORT sym_policy_t* sym_policy_compile_opts(const char* doc, size_t len,
                                                 const sym_options_t* o, const sym_cluster_t* known,
                                                 char** errptr);
/* A built-in preset by name, optionally versioned ("restrictive@v1"). */
SYM_EXPORT sym_policy_t* sym_policy_preset(const char* name, char** errptr);
SYM_EXPORT sym_policy_t* sym_policy_preset_opts(const char* name, const sym_options_t* o,
                                                char** errptr);
SYM_EXPORT void sym_policy_free(sym_policy_t* p);
/* metadata.name (a preset's own name: "restrictive"). Owned by p; NULL
 * when p is NULL. */
SYM_EXPORT const char* sym_policy_name(const sym_policy_t* p);

/* Lint findings of a policy: its strict errors (severity error; present
 * only when compiled in compat mode), then its compile-time warnings
 * (docs/checks.md#strict-mode). Strings are owned by p; NULL when p is NULL or i is out of
 * range (severity: -1). */
SYM_EXPORT size_t sym_policy_lint_count(const sym_policy_t* p);
SYM_EXPORT int sym_policy_lint_severity(const sym_policy_t* p, size_t i);
SYM_EXPORT const char* sym_policy_lint_code(const sym_policy_t* p, size_t i);
SYM_EXPORT const char* sym_policy_lint_path(const sym_policy_t* p, size_t i);
SYM_EXPORT const char* sym_policy_lint_message(const sym_policy_t* p, size_t i);
/* All of them as a JSON array of {"severity", "code", "path", "message"}
 * objects (with "line" and "column" when known). Owned by p. */
SYM_EXPORT const char* sym_policy_lint_json(const sym_policy_t* p);

/* ---- Clusters --------------------------------------------------------- */

/* An empty cluster. Free with sym_cluster_free. */
SYM_EXPORT sym_cluster_t* sym_cluster_create(void);
SYM_EXPORT void sym_cluster_free(sym_cluster_t* c);
/* Adds every document of `docs` (Agent, SympoziumPolicy and SkillPack
 * objects, each at its metadata.namespace; an object with the name of an
 * existing one replaces it). `name` names the input in messages (may be
 * NULL). Returns 0, or -1 with *errptr set: bytes that do not read add
 * nothing; otherwise the documents before the failing one stay added. */
SYM_EXPORT int sym_cluster_add(sym_cluster_t* c, const char* name, const char* docs, size_t len,
                               char** errptr);
/* The same with the options' source name and limits (o may be NULL:
 * defaults). */
SYM_EXPORT int sym_cluster_add_opts(sym_cluster_t* c, const sym_options_t* o, const char* docs,
                                    size_t len, char** errptr);

/* ---- Admission -------------------------------------------------------- */

/* Evaluates one document by its kind, as `sympozium-policy admit`:
 * AgentRun (docs/checks.md), SkillPack (docs/checks.md#skillpack-admission),
 * Pod/Job/Deployment/CronJob (docs/pods.md), Model (docs/checks.md#model-admission: its
 * spec.source, codes model.*); strict mode, policy `p` bound directly (p may be NULL: no policy,
 * and no Agent lookup). A document that does not decode (wrong types, an unknown kind) gives a
 * decision with result SYM_RESULT_ERROR; bytes that are not one YAML/JSON
 * document are an error (NULL, *errptr set). JSON takes the byte fast path
 * of the C++ Evaluate(bytes), and the decision's strings (JSON, code copies)
 * are made only when asked for. Free the decision with sym_decision_free. */
SYM_EXPORT sym_decision_t* sym_evaluate(const sym_policy_t* p, const char* doc, size_t len,
                                        char** errptr);
/* The same with options (o may be NULL: defaults) and a cluster. The
 * binding: p given binds it directly (SkillPacks still resolve in c); p
 * NULL and c given finds the policy as the webhook does (the run's Agent
 * in c, its policyRef); both NULL: no policy. */
SYM_EXPORT sym_decision_t* sym_evaluate_opts(const sym_policy_t* p, const sym_cluster_t* c,
                                             const sym_options_t* o, const char* doc, size_t len,
                                             char** errptr);
/* 1 when allowed, else 0 (also for NULL). */
SYM_EXPORT int sym_decision_allowed(const sym_decision_t* d);
/* SYM_RESULT_*; -1 for NULL. */
SYM_EXPORT int sym_decision_result(const sym_decision_t* d);
/* The webhook's HTTP status: 200 allowed, 403 denied, 400/500 errors; -1
 * for NULL. */
SYM_EXPORT int sym_decision_status(const sym_decision_t* d);
/* The first violation's stable reason code ("" when allowed). Owned by d;
 * NULL for NULL. */
SYM_EXPORT const char* sym_decision_code(const sym_decision_t* d);
/* The first violation's message (Go wording), or the allow reason. Owned
 * by d; NULL for NULL. */
SYM_EXPORT const char* sym_decision_message(const sym_decision_t* d);
/* The JSON object of `sympozium-policy admit --output json`, built on the
 * first call. Owned by d; NULL for NULL (or when out of memory). */
SYM_EXPORT const char* sym_decision_json(const sym_decision_t* d);
/* Every violation (the first is the one Go reports), with the document
 * path of the field that decided it. Owned by d; NULL when d is NULL or i
 * out of range. */
SYM_EXPORT size_t sym_decision_violation_count(const sym_decision_t* d);
SYM_EXPORT const char* sym_decision_violation_code(const sym_decision_t* d, size_t i);
SYM_EXPORT const char* sym_decision_violation_message(const sym_decision_t* d, size_t i);
SYM_EXPORT const char* sym_decision_violation_path(const sym_decision_t* d, size_t i);
/* Warnings (they never change the result). Same ownership. */
SYM_EXPORT size_t sym_decision_warning_count(const sym_decision_t* d);
SYM_EXPORT const char* sym_decision_warning_code(const sym_decision_t* d, size_t i);
SYM_EXPORT const char* sym_decision_warning_message(const sym_decision_t* d, size_t i);
SYM_EXPORT const char* sym_decision_warning_path(const sym_decision_t* d, size_t i);
SYM_EXPORT void sym_decision_free(sym_decision_t* d);

/* ---- Run start (docs/start.md) ---------------------------------------- */

/* The controller's re-check when a Pending AgentRun starts, with the facts
 * admission cannot know. The binding is sym_evaluate_opts' (p, c, both may
 * be NULL); o (may be NULL) gives the mode, source name and limits.
 *  - running_for_agent: Running AgentRuns of the run's Agent
 *    (`sympozium.ai/instance=<agentRef>`); compat limits every run by it.
 *  - running_children: Running child runs of the run's parent (same
 *    spec.parent.runName); strict limits child runs by it (maxConcurrent 0:
 *    no children).
 * A negative count means unknown (the controller's list failed): compat
 * then skips its concurrency check with warning start.concurrency_skipped;
 * strict refuses a child run under a subagentPolicy with result
 * SYM_RESULT_ERROR, code start.concurrency_unknown.
 * Codes: start.no_task, agent.not_found, policy.not_found, policy.invalid,
 * start.depth, start.concurrency, start.concurrency_unknown,
 * start.gate_hook; messages carry the controller's "policy validation
 * failed: " / "gate hook validation failed: " prefixes; "run may start"
 * when allowed. An AgentRun that does not decode gives a decision with
 * result SYM_RESULT_ERROR; bytes that are not one document, or a document
 * of another kind, are an error (NULL, *errptr set). Free the decision with
 * sym_decision_free. */
SYM_EXPORT sym_decision_t* sym_admit_start(const sym_policy_t* p, const sym_cluster_t* c,
                                           const sym_options_t* o, const char* run, size_t len,
                                           int64_t running_for_agent, int64_t running_children,
                                           char** errptr);

/* ---- Model integrity -------------------------------------------------- */

/* Admission of a Model document goes through sym_evaluate (kind Model).
 *
 * Checks a downloaded model file against its Model: `model` (len bytes)
 * is one Model document whose spec.source.sha256 is the expected digest;
 * the file at `path` ("-": standard input) is streamed through SHA-256 in
 * bounded memory (one 1 MiB buffer, whatever the file size).
 * Returns 1 when the digests match (case-insensitively), 0 when they
 * differ, -1 when the check could not be made (*errptr set): model or path
 * NULL, model bytes that are not one Model document, a missing or invalid
 * sha256, an unreadable file.
 * actual_out may be NULL; on 1 or 0, *actual_out gets the file's digest as
 * 64 lowercase hex characters, malloc'd (free with sym_free); on -1 it is
 * left alone. */
SYM_EXPORT int sym_verify_model_file(const char* model, size_t len, const char* path,
                                     char** actual_out, char** errptr);
/* Reads up to `size` bytes into `buffer`: returns how many (at most size),
 * 0 at the end, or a negative number on a read error. */
typedef int64_t (*sym_read_fn)(void* arg, char* buffer, size_t size);
/* sym_verify_model_file over bytes that `read` gives (called with `arg`
 * until it returns 0 or fails; a negative or too large count is -1 with
 * *errptr set), e.g. a download streamed straight from the network. */
SYM_EXPORT int sym_verify_model(const char* model, size_t len, sym_read_fn read, void* arg,
                                char** actual_out, char** errptr);

/* ---- Tool gating (docs/tools.md) -------------------------------------- */

/* The policy's decision for `tool` (len bytes): SYM_ALLOW, SYM_DENY or
 * SYM_ASK; -1 when tool is NULL. p may be NULL (no policy: allow). */
SYM_EXPORT int sym_tool_decision(const sym_policy_t* p, const char* tool, size_t len);
/* The same with an AgentRun whose toolPolicy lists come first (run NULL:
 * none). -1 when tool is NULL or the run is not one AgentRun document. */
SYM_EXPORT int sym_tool_decision_run(const sym_policy_t* p, /* p may be NULL */
                                     const char* run, size_t run_len, const char* tool, size_t len);

/* ---- Mutation (docs/mutation.md) -------------------------------------- */

/* The defaults the mutating webhook would apply to an AgentRun, with the
 * binding of sym_evaluate_opts and the options' mode (o may be NULL). NULL
 * with *errptr set when `run` is not one AgentRun document. Free with
 * sym_mutation_free. */
SYM_EXPORT sym_mutation_t* sym_mutate(const sym_policy_t* p, const sym_cluster_t* c,
                                      const sym_options_t* o, const char* run, size_t len,
                                      char** errptr);
/* "no mutations needed", "2 changes: add /metadata/labels, ...", ...
 * Owned by m; NULL for NULL. */
SYM_EXPORT const char* sym_mutation_message(const sym_mutation_t* m);
/* How many RFC 6902 operations the patch has; 0 for NULL. */
SYM_EXPORT size_t sym_mutation_patch_count(const sym_mutation_t* m);
/* The RFC 6902 patch as a JSON array (the webhook's patch). Owned by m. */
SYM_EXPORT const char* sym_mutation_patch_json(const sym_mutation_t* m);
/* The mutated AgentRun as JSON. Owned by m. */
SYM_EXPORT const char* sym_mutation_object_json(const sym_mutation_t* m);
/* {"allowed", "message", "patch", "object"}: `sympozium-policy mutate
 * --output json`. Owned by m. */
SYM_EXPORT const char* sym_mutation_json(const sym_mutation_t* m);
SYM_EXPORT void sym_mutation_free(sym_mutation_t* m);

/* ---- RBAC (docs/rbac.md) ---------------------------------------------- */

/* The Role, RoleBinding, ClusterRole and ClusterRoleBinding objects the
 * controller creates for the SkillPacks of `skillpack` (a stream of zero or
 * more documents, each treated as attached) and the AgentRun `run`, as a JSON
 * `v1` `List` (strict mode, no policy). malloc'd: free with sym_free. NULL
 * with *errptr set when a document is not a SkillPack / one AgentRun. */
SYM_EXPORT char* sym_rbac_for(const char* skillpack, size_t sp_len, const char* run, size_t run_len,
                              char** errptr);
/* The same with the options' mode and output format (o may be NULL). In
 * strict mode with a policy, a rule asking for one of its
 * lifecyclePolicy.deniedResources is an error (NULL, *errptr names the
 * rule's path): nothing is created. p may be NULL. */
SYM_EXPORT char* sym_rbac_for_opts(const sym_policy_t* p, const sym_options_t* o,
                                   const char* skillpack, size_t sp_len, const char* run,
                                   size_t run_len, char** errptr);
/* The same arguments and errors, keeping all rbacFor finds: the List text
 * (sym_objects_text), the least-privilege warnings (rbac.wildcard,
 * rbac.secrets, rbac.escalation, rbac.exec, rbac.rbac_objects,
 * rbac.cluster_write, rbac.name_too_long, rbac.label_too_long; paths such
 * as "SkillPack/k8s-ops spec.sidecar.rbac[0].resources[6]") and the label
 * selectors that find the run's cluster-scoped objects for cleanup. Free
 * with sym_objects_free. */
SYM_EXPORT sym_objects_t* sym_rbac_result(const sym_policy_t* p, const sym_options_t* o,
                                          const char* skillpack, size_t sp_len, const char* run,
                                          size_t run_len, char** errptr);

/* ---- NetworkPolicy (docs/rbac.md#networkpolicy) ----------------------- */

/* The networking.k8s.io/v1 NetworkPolicy `sympozium-policy-<name>` that
 * p's spec.networkPolicy asks for (deny-all egress, then DNS, the event
 * bus, and one rule per allowedEgress IP/CIDR), in namespace `ns` (NULL or
 * "": the policy's own), as JSON or YAML per o (may be NULL: JSON).
 * A policy with no networkPolicy, or denyAll: false, asks for none: the
 * handle's text is NULL and its object count 0, which is not an error.
 * Warnings: netpol.unsupported_host (hostnames and invalid CIDRs get no
 * rule), netpol.invalid_port, netpol.name_too_long, with paths in the
 * policy ("spec.networkPolicy.allowedEgress[2].host"). NULL with *errptr
 * set when p is NULL. Free with sym_objects_free. */
SYM_EXPORT sym_objects_t* sym_network_policy(const sym_policy_t* p, const sym_options_t* o,
                                             const char* ns, char** errptr);

/* ---- Generated objects (sym_rbac_result, sym_network_policy) ---------- */

/* The objects as one text: a `v1` List (rbac) or the NetworkPolicy. Owned
 * by g; NULL when g is NULL or there is no object. */
SYM_EXPORT const char* sym_objects_text(const sym_objects_t* g);
/* How many Kubernetes objects the text holds; 0 for NULL. */
SYM_EXPORT size_t sym_objects_count(const sym_objects_t* g);
/* Warnings about the objects. Owned by g; NULL when g is NULL or i is out
 * of range. */
SYM_EXPORT size_t sym_objects_warning_count(const sym_objects_t* g);
SYM_EXPORT const char* sym_objects_warning_code(const sym_objects_t* g, size_t i);
SYM_EXPORT const char* sym_objects_warning_path(const sym_objects_t* g, size_t i);
SYM_EXPORT const char* sym_objects_warning_message(const sym_objects_t* g, size_t i);
/* Label selectors for cleanup ("sympozium.ai/agent-run=<run>,
 * sympozium.ai/managed-by=sympozium"; rbac only, none when no
 * cluster-scoped object is made). Owned by g; NULL when g is NULL or i is
 * out of range. */
SYM_EXPORT size_t sym_objects_selector_count(const sym_objects_t* g);
SYM_EXPORT const char* sym_objects_selector(const sym_objects_t* g, size_t i);
SYM_EXPORT void sym_objects_free(sym_objects_t* g);

/* ---- Admission reviews (see docs/admission.md) ----------------------- */

/* sym_options_set_enforcement: what a decision that is not allowed does to
 * the request. DENY refuses it (the default); WARN allows it with every
 * violation in response.warnings, prefixed "[would deny]"; AUDIT allows it
 * with nothing in the answer (a caller's log records it). */
enum { SYM_ENFORCE_DENY = 0, SYM_ENFORCE_WARN = 1, SYM_ENFORCE_AUDIT = 2 };
/* sym_admission_review's endpoint: /validate (AgentRun, SkillPack, Model,
 * Pod and workloads) or /mutate (AgentRun defaults as a JSONPatch). */
enum { SYM_ENDPOINT_VALIDATE = 0, SYM_ENDPOINT_MUTATE = 1 };

/* 0 ok, -1 for a NULL o or a value that is not a SYM_ENFORCE_*. */
SYM_EXPORT int sym_options_set_enforcement(sym_options_t* o, int enforcement);
/* Also evaluate each review in this mode (SYM_MODE_*); where it disagrees
 * with the options' mode a warning says so (under DENY and WARN). -1
 * turns it off (the default). 0 ok, -1 for a NULL o or another value. */
SYM_EXPORT int sym_options_set_shadow_mode(sym_options_t* o, int mode);

/* Answers one admission.k8s.io/v1 AdmissionReview body exactly as
 * sympozium-webhook does at `endpoint`, with o's mode, enforcement, shadow
 * mode and limits (o may be NULL: the defaults). c is the cluster the
 * lookups search (Agents, policies, SkillPacks); NULL is an empty cluster.
 * Returns a malloc'd body (sym_free): the AdmissionReview JSON when
 * *http_status is 200 (its response.allowed is the answer), else a
 * metav1.Status JSON with that HTTP status (400: not a JSON
 * AdmissionReview with a request.uid). Returns NULL with *errptr only on
 * misuse: a NULL body with len > 0, a NULL http_status, an endpoint that
 * is not a SYM_ENDPOINT_*. */
SYM_EXPORT char* sym_admission_review(const sym_cluster_t* c, const sym_options_t* o, int endpoint,
                                      const char* body, size_t len, int* http_status,
                                      char** errptr);
/* ---- Pod Security Standards ----------------------------------------
 * Evaluates one Pod or workload (Pod, Job, CronJob, Deployment,
 * StatefulSet, DaemonSet, ReplicaSet) against one Pod Security Standard
 * alone, with no policy and none of the agent-pod rules:
 * `standard` is "baseline" or "restricted", optionally followed by
 * "@latest" (the default) or "@v1.N", as Pod Security Admission versions
 * its checks (docs/pod-security.md). Codes and paths are the pod rules'.
 * Options o may be NULL (its read limits and source name are used). An
 * unknown standard, or bytes that are not one YAML/JSON document, are an
 * error (NULL, *errptr set); a document that is not a pod or workload, or
 * does not decode, gives a decision with result SYM_RESULT_ERROR. Free the
 * decision with sym_decision_free. */
SYM_EXPORT sym_decision_t* sym_evaluate_pod_security(const sym_options_t* o, const char* standard,
                                                     const char* doc, size_t len, char** errptr);

/* ---- Cluster store (begin) -------------------------------------------- */

/* A cluster kept in step one object at a time (a controller's informer, a
 * watch of the API server). Writers (upsert, remove) may run on several
 * threads at once and are serialised; each change publishes a new immutable
 * snapshot with the next generation. Readers take snapshots and never wait
 * for a writer. A policy is compiled once, when upserted. An object that
 * does not decode or compile is kept *broken*: runs and pods that need it get
 * an error decision naming it and its error (codes agent.invalid,
 * policy.invalid, skillpack.invalid), never "allowed". */
typedef struct sym_store_t sym_store_t;

/* o may be NULL (strict, default limits): its mode and limits are kept. In
 * strict mode a policy that compiles only in compat form is stored but
 * upserts as 1 (strict evaluation refuses it). Free with sym_store_free. */
SYM_EXPORT sym_store_t* sym_store_create(const sym_options_t* o);
SYM_EXPORT void sym_store_free(sym_store_t* s);
/* Upserts every document of docs (Agent, SympoziumPolicy, SkillPack), each
 * replacing what its kind, namespace and name held, in one change. 0:
 * stored; 1: stored as broken (*errptr says why); -1: nothing stored
 * (*errptr says why: bytes that do not read, another kind, two documents of
 * one kind, namespace and name). */
SYM_EXPORT int sym_store_upsert(sym_store_t* s, const char* docs, size_t len, char** errptr);
/* 1 removed, 0 not there, -1 bad arguments. */
SYM_EXPORT int sym_store_remove(sym_store_t* s, const char* kind, const char* ns, const char* name);
/* An immutable cluster view, freed with sym_cluster_free, usable from many
 * threads at once by every function that takes a const sym_cluster_t*
 * (sym_evaluate_opts, sym_mutate, sym_admit_start, ...); it outlives the
 * store if kept. sym_cluster_add on it fails with an error. */
SYM_EXPORT sym_cluster_t* sym_store_snapshot(const sym_store_t* s);
/* The snapshot's generation (1 for a new store's empty one, then one more
 * per change); 0 for a hand-built cluster. */
SYM_EXPORT uint64_t sym_cluster_generation(const sym_cluster_t* c);
/* The broken objects of a snapshot, each as "KIND NS/NAME cannot be used:
 * ERROR", sorted; owned by c, NULL when i is out of range. None for a
 * hand-built cluster. */
SYM_EXPORT size_t sym_cluster_broken_count(const sym_cluster_t* c);
SYM_EXPORT const char* sym_cluster_broken(const sym_cluster_t* c, size_t i);

/* ---- Cluster store (end) ---------------------------------------------- */

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* SYMPOZIUM_SYMPOZIUM_H_ */
