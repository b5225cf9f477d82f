/* The C API test: every function of <sympozium/sympozium.h>, its error
 * paths and NULL arguments, and several threads evaluating through one
 * policy. Plain C99: it is compiled as C, in-tree and against an installed
 * prefix through pkg-config (tests/c/install_test.sh). */
#define _POSIX_C_SOURCE 200809L /* mkstemp, for model files made here */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sympozium/sympozium.h>
#include <unistd.h>

static int failures = 0;

static void check(int ok, const char* what, int line) {
  if (!ok) {
    fprintf(stderr, "c_api_test.c:%d: CHECK failed: %s\n", line, what);
    ++failures;
  }
}
#define CHECK(cond) check((cond) ? 1 : 0, #cond, __LINE__)

static int streq(const char* a, const char* b) { return a != NULL && strcmp(a, b) == 0; }
static int contains(const char* s, const char* part) {
  return s != NULL && strstr(s, part) != NULL;
}

/* A document argument: pointer and length. */
#define DOC(s) (s), strlen(s)

static const char kPolicy[] =
    "apiVersion: sympozium.ai/v1alpha1\n"
    "kind: SympoziumPolicy\n"
    "metadata: {name: team-policy, namespace: default}\n"
    "spec:\n"
    "  sandboxPolicy: {required: true}\n"
    "  toolGating:\n"
    "    defaultAction: deny\n"
    "    rules:\n"
    "      - {tool: read_file, action: allow}\n"
    "      - {tool: execute_command, action: ask}\n"
    "      - {tool: read_file, action: allow}\n"
    "  lifecyclePolicy: {deniedResources: [secrets]}\n";

/* An unknown action: refused in strict mode, a lint error in compat. */
static const char kCompatOnlyPolicy[] =
    "apiVersion: sympozium.ai/v1alpha1\n"
    "kind: SympoziumPolicy\n"
    "metadata: {name: loose, namespace: default}\n"
    "spec:\n"
    "  toolGating:\n"
    "    rules: [{tool: read_file, action: maybe}]\n";

static const char kAgent[] =
    "apiVersion: sympozium.ai/v1alpha1\n"
    "kind: Agent\n"
    "metadata: {name: alice, namespace: default}\n"
    "spec: {policyRef: team-policy}\n";

static const char kRunOk[] =
    "apiVersion: sympozium.ai/v1alpha1\n"
    "kind: AgentRun\n"
    "metadata: {name: r1, namespace: default}\n"
    "spec:\n"
    "  agentRef: alice\n"
    "  task: review the pull request\n"
    "  sandbox: {enabled: true}\n";

/* No sandbox under a policy that requires one, and PATH overridden. */
static const char kRunBad[] =
    "apiVersion: sympozium.ai/v1alpha1\n"
    "kind: AgentRun\n"
    "metadata: {name: r2, namespace: default}\n"
    "spec:\n"
    "  agentRef: alice\n"
    "  task: x\n"
    "  env: {PATH: /evil/bin}\n";

static const char kRunMissingAgent[] =
    "apiVersion: sympozium.ai/v1alpha1\n"
    "kind: AgentRun\n"
    "metadata: {name: r3, namespace: default}\n"
    "spec: {agentRef: bob, task: x}\n";

static const char kRunTools[] =
    "apiVersion: sympozium.ai/v1alpha1\n"
    "kind: AgentRun\n"
    "metadata: {name: r4, namespace: default}\n"
    "spec:\n"
    "  agentRef: alice\n"
    "  task: x\n"
    "  toolPolicy:\n"
    "    allow: [read_file, execute_command, fetch_url]\n"
    "    deny: [fetch_url]\n";

static const char kRunHooks[] =
    "apiVersion: sympozium.ai/v1alpha1\n"
    "kind: AgentRun\n"
    "metadata: {name: hooked, namespace: ci}\n"
    "spec:\n"
    "  agentRef: alice\n"
    "  task: x\n"
    "  lifecycle:\n"
    "    preRun: [{name: seed, image: busybox}]\n"
    "    rbac: [{apiGroups: [''], resources: [configmaps], verbs: [get]}]\n";

/* A run whose fields have the wrong types: an error decision. */
static const char kRunWrongType[] =
    "apiVersion: sympozium.ai/v1alpha1\n"
    "kind: AgentRun\n"
    "metadata: {name: r5, namespace: default}\n"
    "spec: {agentRef: [not, a, string], task: x}\n";

static const char kSkillPack[] =
    "apiVersion: sympozium.ai/v1alpha1\n"
    "kind: SkillPack\n"
    "metadata: {name: skillpack-ops, namespace: default}\n"
    "spec:\n"
    "  skills: [{name: s, content: x}]\n"
    "  sidecar:\n"
    "    image: ghcr.io/example/ops:v1\n"
    "    rbac: [{apiGroups: [''], resources: [pods], verbs: [get]}]\n";

static const char kSecretsSkillPack[] =
    "apiVersion: sympozium.ai/v1alpha1\n"
    "kind: SkillPack\n"
    "metadata: {name: vault, namespace: default}\n"
    "spec:\n"
    "  sidecar:\n"
    "    image: ghcr.io/example/vault:v1\n"
    "    rbac: [{apiGroups: [''], resources: [secrets], verbs: [get]}]\n";

/* Cluster-scoped rules: a ClusterRole and ClusterRoleBinding, cleaned up
 * by label. */
static const char kClusterSkillPack[] =
    "apiVersion: sympozium.ai/v1alpha1\n"
    "kind: SkillPack\n"
    "metadata: {name: skillpack-nodes, namespace: default}\n"
    "spec:\n"
    "  sidecar:\n"
    "    image: ghcr.io/example/nodes:v1\n"
    "    rbac: [{apiGroups: [''], resources: [pods], verbs: [get]}]\n"
    "    clusterRBAC: [{apiGroups: [''], resources: [nodes], verbs: [list]}]\n";

static const char kTwoSkillPacks[] =
    "apiVersion: sympozium.ai/v1alpha1\nkind: SkillPack\nmetadata: {name: a}\nspec: {}\n"
    "---\n"
    "apiVersion: sympozium.ai/v1alpha1\nkind: SkillPack\nmetadata: {name: b}\nspec: {}\n";

/* One egress CIDR and one hostname, which a NetworkPolicy cannot name. */
static const char kEgressPolicy[] =
    "apiVersion: sympozium.ai/v1alpha1\n"
    "kind: SympoziumPolicy\n"
    "metadata: {name: egress, namespace: team-b}\n"
    "spec:\n"
    "  networkPolicy:\n"
    "    denyAll: true\n"
    "    allowedEgress:\n"
    "      - {host: 10.0.0.0/8, port: 443}\n"
    "      - {host: api.openai.com, port: 443}\n";

static const char kSubagentPolicy[] =
    "apiVersion: sympozium.ai/v1alpha1\n"
    "kind: SympoziumPolicy\n"
    "metadata: {name: subagents, namespace: default}\n"
    "spec:\n"
    "  subagentPolicy: {maxDepth: 3, maxConcurrent: 2}\n";

#define CHILD_RUN(depth)                          \
  "apiVersion: sympozium.ai/v1alpha1\n"           \
  "kind: AgentRun\n"                              \
  "metadata: {name: child, namespace: default}\n" \
  "spec:\n"                                       \
  "  agentRef: alice\n"                           \
  "  task: x\n"                                   \
  "  parent: {runName: boss, sessionKey: s, spawnDepth: " depth "}\n"
static const char kChildDepth1[] = CHILD_RUN("1");
static const char kChildDepth3[] = CHILD_RUN("3");
static const char kChildDepth4[] = CHILD_RUN("4");

static const char kRunNoTask[] =
    "apiVersion: sympozium.ai/v1alpha1\n"
    "kind: AgentRun\n"
    "metadata: {name: r6, namespace: default}\n"
    "spec: {agentRef: alice}\n";

static const char kRunPreGate[] =
    "apiVersion: sympozium.ai/v1alpha1\n"
    "kind: AgentRun\n"
    "metadata: {name: r7, namespace: default}\n"
    "spec:\n"
    "  agentRef: alice\n"
    "  task: x\n"
    "  lifecycle:\n"
    "    preRun: [{name: fetch, image: busybox, gate: true}]\n";

/* Plain http to an outside host (strict refuses it) and a short sha256. */
static const char kInsecureModel[] =
    "apiVersion: sympozium.ai/v1alpha1\n"
    "kind: Model\n"
    "metadata: {name: llama, namespace: ai}\n"
    "spec:\n"
    "  source: {url: 'http://files.example.com/llama.gguf', sha256: abc}\n";

static const char kModelNoSource[] =
    "apiVersion: sympozium.ai/v1alpha1\nkind: Model\nmetadata: {name: m}\nspec: {}\n";

static const char kModelWrongType[] =
    "apiVersion: sympozium.ai/v1alpha1\nkind: Model\nmetadata: {name: m}\n"
    "spec: {source: [1]}\n";

static const char kPrivilegedPod[] =
    "{\"apiVersion\": \"v1\", \"kind\": \"Pod\",\n"
    " \"metadata\": {\"name\": \"p\", \"namespace\": \"default\"},\n"
    " \"spec\": {\"containers\": [{\"name\": \"c\", \"image\": \"busybox\",\n"
    "   \"securityContext\": {\"privileged\": true}}]}}\n";

static const char kConfigMap[] = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n";
static const char kBadYaml[] = "kind: AgentRun\nspec: [unclosed\n";

static void test_library(void) {
  size_t i;
  int found_restrictive = 0;
  CHECK(streq(sym_version(), "0.1.0"));
  CHECK(sym_preset_count() == 4);
  for (i = 0; i < sym_preset_count(); ++i)
    if (streq(sym_preset_name(i), "restrictive")) found_restrictive = 1;
  CHECK(found_restrictive);
  CHECK(sym_preset_name(sym_preset_count()) == NULL);
  sym_free(NULL);
  CHECK(sym_mode_parse("strict") == SYM_MODE_STRICT);
  CHECK(sym_mode_parse("compat") == SYM_MODE_COMPAT);
  CHECK(sym_mode_parse("lenient") == -1);
  CHECK(sym_mode_parse(NULL) == -1);
}

static void test_options(void) {
  sym_options_t* o = sym_options_create();
  CHECK(o != NULL);
  CHECK(sym_options_set_mode(o, SYM_MODE_COMPAT) == 0);
  CHECK(sym_options_set_mode(o, 7) == -1);
  CHECK(sym_options_set_mode(NULL, SYM_MODE_STRICT) == -1);
  CHECK(sym_options_set_mutate(o, 1) == 0);
  CHECK(sym_options_set_mutate(o, 2) == -1);
  CHECK(sym_options_set_mutate(NULL, 0) == -1);
  CHECK(sym_options_set_schema_warnings(o, 1) == 0);
  CHECK(sym_options_set_schema_warnings(o, -1) == -1);
  CHECK(sym_options_set_schema_warnings(NULL, 1) == -1);
  CHECK(sym_options_set_source_name(o, "run.yaml") == 0);
  CHECK(sym_options_set_source_name(o, NULL) == -1);
  CHECK(sym_options_set_source_name(NULL, "x") == -1);
  CHECK(sym_options_set_output(o, SYM_FORMAT_YAML) == 0);
  CHECK(sym_options_set_output(o, 3) == -1);
  CHECK(sym_options_set_output(NULL, SYM_FORMAT_JSON) == -1);
  sym_options_free(o);
  sym_options_free(NULL);
}

static void test_policies(void) {
  char* err = NULL;
  sym_options_t* compat = sym_options_create();
  sym_policy_t* p = sym_policy_compile(DOC(kPolicy), &err);
  sym_policy_t* loose;
  sym_policy_t* preset;
  size_t i;
  int found_duplicate = 0;

  CHECK(p != NULL);
  CHECK(err == NULL);
  CHECK(streq(sym_policy_name(p), "team-policy"));
  /* The repeated read_file rule is a warning. */
  for (i = 0; i < sym_policy_lint_count(p); ++i) {
    CHECK(sym_policy_lint_severity(p, i) == SYM_SEVERITY_WARNING);
    if (streq(sym_policy_lint_code(p, i), "lint.duplicate_rule")) {
      found_duplicate = 1;
      CHECK(contains(sym_policy_lint_path(p, i), "spec.toolGating.rules[2]"));
      CHECK(strlen(sym_policy_lint_message(p, i)) > 0);
    }
  }
  CHECK(found_duplicate);
  CHECK(contains(sym_policy_lint_json(p), "\"code\":\"lint.duplicate_rule\""));
  CHECK(sym_policy_lint_severity(p, 999) == -1);
  CHECK(sym_policy_lint_code(p, 999) == NULL);
  CHECK(sym_policy_lint_path(p, 999) == NULL);
  CHECK(sym_policy_lint_message(p, 999) == NULL);
  sym_policy_free(p);

  /* Strict refuses the unknown action, naming the field. */
  CHECK(sym_policy_compile(DOC(kCompatOnlyPolicy), &err) == NULL);
  CHECK(contains(err, "spec.toolGating.rules[0].action"));
  /* ... with its code and path apart from the message. */
  CHECK(streq(sym_error_code(err), "compile.unknown_action"));
  CHECK(streq(sym_error_path(err), "spec.toolGating.rules[0].action"));
  CHECK(sym_error_code(NULL) == NULL);
  CHECK(sym_error_path(NULL) == NULL);
  /* A second failure replaces the first message (LevelDB's contract). */
  CHECK(sym_policy_compile(DOC(kBadYaml), &err) == NULL);
  CHECK(err != NULL && !contains(err, "rules[0]"));
  sym_free(err);
  err = NULL;

  /* Compat compiles it; the strict error becomes a lint error. */
  sym_options_set_mode(compat, SYM_MODE_COMPAT);
  sym_options_set_source_name(compat, "loose.yaml");
  loose = sym_policy_compile_opts(DOC(kCompatOnlyPolicy), compat, NULL, &err);
  CHECK(loose != NULL && err == NULL);
  CHECK(sym_policy_lint_count(loose) >= 1);
  CHECK(sym_policy_lint_severity(loose, 0) == SYM_SEVERITY_ERROR);
  CHECK(streq(sym_policy_lint_path(loose, 0), "spec.toolGating.rules[0].action"));
  CHECK(contains(sym_policy_lint_json(loose), "\"severity\":\"error\""));
  sym_policy_free(loose);

  CHECK(sym_policy_compile(NULL, 0, &err) == NULL);
  CHECK(contains(err, "NULL"));
  CHECK(streq(sym_error_code(err), "") && streq(sym_error_path(err), ""));
  CHECK(sym_policy_compile_opts(NULL, 0, compat, NULL, NULL) == NULL); /* errptr may be NULL */
  CHECK(sym_policy_compile(DOC(kAgent), &err) == NULL);                /* wrong kind */
  CHECK(contains(err, "SympoziumPolicy"));

  preset = sym_policy_preset("restrictive", &err);
  CHECK(preset != NULL);
  CHECK(streq(sym_policy_name(preset), "restrictive"));
  sym_policy_free(preset);
  preset = sym_policy_preset_opts("permissive@v1", compat, &err);
  CHECK(preset != NULL);
  sym_policy_free(preset);
  CHECK(sym_policy_preset("lenient", &err) == NULL);
  CHECK(contains(err, "unknown preset"));
  CHECK(sym_policy_preset_opts("restrictive@v99", NULL, &err) == NULL);
  CHECK(sym_policy_preset(NULL, &err) == NULL);
  sym_free(err);

  CHECK(sym_policy_name(NULL) == NULL);
  CHECK(sym_policy_lint_count(NULL) == 0);
  CHECK(sym_policy_lint_severity(NULL, 0) == -1);
  CHECK(sym_policy_lint_code(NULL, 0) == NULL);
  CHECK(sym_policy_lint_path(NULL, 0) == NULL);
  CHECK(sym_policy_lint_message(NULL, 0) == NULL);
  CHECK(sym_policy_lint_json(NULL) == NULL);
  sym_policy_free(NULL);
  sym_options_free(compat);
}

static void test_evaluate(void) {
  char* err = NULL;
  sym_policy_t* p = sym_policy_compile(DOC(kPolicy), &err);
  sym_options_t* o = sym_options_create();
  sym_decision_t* d;

  d = sym_evaluate(p, DOC(kRunOk), &err);
  CHECK(d != NULL && err == NULL);
  CHECK(sym_decision_allowed(d) == 1);
  CHECK(sym_decision_result(d) == SYM_RESULT_ALLOWED);
  CHECK(sym_decision_status(d) == 200);
  CHECK(streq(sym_decision_code(d), ""));
  CHECK(sym_decision_message(d) != NULL);
  CHECK(sym_decision_violation_count(d) == 0);
  CHECK(contains(sym_decision_json(d), "\"allowed\":true"));
  sym_decision_free(d);

  /* Every violation is listed, with its path; the first decides. */
  d = sym_evaluate(p, DOC(kRunBad), &err);
  CHECK(d != NULL);
  CHECK(sym_decision_allowed(d) == 0);
  CHECK(sym_decision_result(d) == SYM_RESULT_DENIED);
  CHECK(sym_decision_status(d) == 403);
  CHECK(streq(sym_decision_code(d), "sandbox.required"));
  CHECK(sym_decision_violation_count(d) == 2);
  CHECK(streq(sym_decision_violation_code(d, 0), "sandbox.required"));
  CHECK(streq(sym_decision_violation_code(d, 1), "env.denied"));
  CHECK(streq(sym_decision_violation_path(d, 1), "spec.env.PATH"));
  CHECK(contains(sym_decision_violation_message(d, 1), "\"PATH\""));
  CHECK(streq(sym_decision_message(d), sym_decision_violation_message(d, 0)));
  CHECK(sym_decision_violation_code(d, 2) == NULL);
  CHECK(sym_decision_violation_message(d, 2) == NULL);
  CHECK(sym_decision_violation_path(d, 2) == NULL);
  CHECK(contains(sym_decision_json(d), "\"result\":\"denied\""));
  /* Built on the first request, then the same string. */
  CHECK(sym_decision_json(d) == sym_decision_json(d));
  CHECK(sym_decision_violation_code(d, 1) == sym_decision_violation_code(d, 1));
  sym_decision_free(d);

  /* No policy: the policy's sandbox rule is gone; strict mode still
   * refuses PATH. */
  d = sym_evaluate(NULL, DOC(kRunBad), &err);
  CHECK(streq(sym_decision_code(d), "env.denied"));
  CHECK(sym_decision_violation_count(d) == 1);
  sym_decision_free(d);

  /* Pods, by kind, JSON input. */
  d = sym_evaluate(p, DOC(kPrivilegedPod), &err);
  CHECK(sym_decision_allowed(d) == 0);
  CHECK(sym_decision_violation_count(d) >= 1);
  CHECK(contains(sym_decision_json(d), "pod.privileged"));
  sym_decision_free(d);

  /* A document that does not decode is an error decision, never allowed. */
  d = sym_evaluate(p, DOC(kRunWrongType), &err);
  CHECK(d != NULL && err == NULL);
  CHECK(sym_decision_result(d) == SYM_RESULT_ERROR);
  CHECK(sym_decision_allowed(d) == 0);
  CHECK(sym_decision_status(d) == 400);
  CHECK(streq(sym_decision_code(d), "decode.error"));
  CHECK(streq(sym_decision_violation_path(d, 0), "spec.agentRef"));
  sym_decision_free(d);
  d = sym_evaluate(p, DOC(kConfigMap), &err);
  CHECK(sym_decision_result(d) == SYM_RESULT_ERROR);
  sym_decision_free(d);

  /* Bytes that are not one document fail the call. */
  CHECK(sym_evaluate(p, DOC(kBadYaml), &err) == NULL);
  CHECK(err != NULL);
  sym_free(err);
  err = NULL;
  CHECK(sym_evaluate(p, "", 0, &err) == NULL);
  sym_free(err);
  err = NULL;
  CHECK(sym_evaluate(p, NULL, 0, &err) == NULL);
  CHECK(contains(err, "NULL"));
  sym_free(err);
  err = NULL;
  CHECK(sym_evaluate(p, DOC(kBadYaml), NULL) == NULL);

  /* Options: compat mode, source name in messages, schema warnings. */
  sym_options_set_mode(o, SYM_MODE_COMPAT);
  sym_options_set_source_name(o, "bad-run.yaml");
  sym_options_set_schema_warnings(o, 1);
  d = sym_evaluate_opts(p, NULL, o, DOC(kRunWrongType), &err);
  CHECK(contains(sym_decision_message(d), "bad-run.yaml"));
  CHECK(contains(sym_decision_json(d), "\"mode\":\"compat\""));
  CHECK(sym_decision_warning_count(d) >= 1);
  CHECK(sym_decision_warning_code(d, 0) != NULL);
  CHECK(sym_decision_warning_message(d, 0) != NULL);
  CHECK(sym_decision_warning_path(d, 0) != NULL);
  CHECK(sym_decision_warning_code(d, 999) == NULL);
  CHECK(sym_decision_warning_message(d, 999) == NULL);
  CHECK(sym_decision_warning_path(d, 999) == NULL);
  sym_decision_free(d);

  /* mutate first: the mutation enables the required sandbox. */
  sym_options_set_mode(o, SYM_MODE_STRICT);
  sym_options_set_schema_warnings(o, 0);
  sym_options_set_mutate(o, 1);
  d = sym_evaluate_opts(p, NULL, o, DOC(kRunBad), &err);
  CHECK(streq(sym_decision_code(d), "env.denied"));
  sym_decision_free(d);

  CHECK(sym_decision_allowed(NULL) == 0);
  CHECK(sym_decision_result(NULL) == -1);
  CHECK(sym_decision_status(NULL) == -1);
  CHECK(sym_decision_code(NULL) == NULL);
  CHECK(sym_decision_message(NULL) == NULL);
  CHECK(sym_decision_json(NULL) == NULL);
  CHECK(sym_decision_violation_count(NULL) == 0);
  CHECK(sym_decision_violation_code(NULL, 0) == NULL);
  CHECK(sym_decision_violation_message(NULL, 0) == NULL);
  CHECK(sym_decision_violation_path(NULL, 0) == NULL);
  CHECK(sym_decision_warning_count(NULL) == 0);
  CHECK(sym_decision_warning_code(NULL, 0) == NULL);
  CHECK(sym_decision_warning_message(NULL, 0) == NULL);
  CHECK(sym_decision_warning_path(NULL, 0) == NULL);
  sym_decision_free(NULL);
  sym_options_free(o);
  sym_policy_free(p);
}

static void test_cluster(void) {
  char* err = NULL;
  sym_cluster_t* c = sym_cluster_create();
  sym_cluster_t* empty = sym_cluster_create();
  sym_policy_t* p;
  sym_decision_t* d;

  CHECK(c != NULL);
  CHECK(sym_cluster_add(c, "agents.yaml", DOC(kAgent), &err) == 0);
  CHECK(sym_cluster_add(c, NULL, DOC(kPolicy), &err) == 0);
  CHECK(sym_cluster_add(c, NULL, DOC(kSkillPack), &err) == 0);
  CHECK(err == NULL);
  CHECK(sym_cluster_add(c, "cm.yaml", DOC(kConfigMap), &err) == -1);
  CHECK(contains(err, "ConfigMap"));
  CHECK(sym_cluster_add(c, "bad.yaml", DOC(kBadYaml), &err) == -1);
  CHECK(contains(err, "bad.yaml"));
  CHECK(sym_cluster_add(NULL, NULL, DOC(kAgent), &err) == -1);
  CHECK(sym_cluster_add(c, NULL, NULL, 0, &err) == -1);
  sym_free(err);
  err = NULL;

  /* The webhook's lookup: the run's Agent, then its policyRef. */
  d = sym_evaluate_opts(NULL, c, NULL, DOC(kRunBad), &err);
  CHECK(streq(sym_decision_code(d), "sandbox.required"));
  sym_decision_free(d);
  d = sym_evaluate_opts(NULL, c, NULL, DOC(kRunOk), &err);
  CHECK(sym_decision_allowed(d) == 1);
  sym_decision_free(d);
  d = sym_evaluate_opts(NULL, c, NULL, DOC(kRunMissingAgent), &err);
  CHECK(sym_decision_result(d) == SYM_RESULT_ERROR);
  CHECK(streq(sym_decision_code(d), "agent.not_found"));
  sym_decision_free(d);
  d = sym_evaluate_opts(NULL, empty, NULL, DOC(kRunOk), &err);
  CHECK(sym_decision_allowed(d) == 0);
  sym_decision_free(d);

  /* SkillPack tools count as known for the unknown-tool warning. */
  p = sym_policy_compile_opts(DOC(kPolicy), NULL, c, &err);
  CHECK(p != NULL);
  sym_policy_free(p);

  sym_cluster_free(empty);
  sym_cluster_free(c);
  sym_cluster_free(NULL);
}

static void test_tools(void) {
  char* err = NULL;
  sym_policy_t* p = sym_policy_compile(DOC(kPolicy), &err);
  sym_policy_t* restrictive = sym_policy_preset("restrictive", &err);

  CHECK(sym_tool_decision(p, DOC("read_file")) == SYM_ALLOW);
  CHECK(sym_tool_decision(p, DOC("execute_command")) == SYM_ASK);
  CHECK(sym_tool_decision(p, DOC("write_file")) == SYM_DENY); /* defaultAction */
  CHECK(sym_tool_decision(restrictive, DOC("execute_command")) == SYM_ASK);
  CHECK(sym_tool_decision(NULL, DOC("anything")) == SYM_ALLOW);
  CHECK(sym_tool_decision(p, NULL, 0) == -1);
  /* The length counts, not a NUL. */
  CHECK(sym_tool_decision(p, "read_file_extra", 9) == SYM_ALLOW);

  CHECK(sym_tool_decision_run(p, DOC(kRunTools), DOC("read_file")) == SYM_ALLOW);
  CHECK(sym_tool_decision_run(p, DOC(kRunTools), DOC("execute_command")) == SYM_ASK);
  CHECK(sym_tool_decision_run(p, DOC(kRunTools), DOC("fetch_url")) == SYM_DENY);
  CHECK(sym_tool_decision_run(NULL, DOC(kRunTools), DOC("write_file")) == SYM_DENY);
  CHECK(sym_tool_decision_run(NULL, DOC(kRunTools), DOC("read_file")) == SYM_ALLOW);
  CHECK(sym_tool_decision_run(p, NULL, 0, DOC("execute_command")) == SYM_ASK);
  CHECK(sym_tool_decision_run(p, DOC(kBadYaml), DOC("read_file")) == -1);
  CHECK(sym_tool_decision_run(p, DOC(kSkillPack), DOC("read_file")) == -1);
  CHECK(sym_tool_decision_run(p, DOC(kRunTools), NULL, 0) == -1);
  sym_policy_free(restrictive);
  sym_policy_free(p);
}

static void test_mutate(void) {
  char* err = NULL;
  sym_policy_t* p = sym_policy_preset("restrictive", &err);
  sym_cluster_t* c = sym_cluster_create();
  sym_options_t* compat = sym_options_create();
  sym_mutation_t* m;

  m = sym_mutate(p, NULL, NULL, DOC(kRunBad), &err);
  CHECK(m != NULL && err == NULL);
  CHECK(sym_mutation_patch_count(m) > 0);
  CHECK(contains(sym_mutation_message(m), "changes"));
  CHECK(contains(sym_mutation_patch_json(m), "\"op\":\"add\""));
  CHECK(contains(sym_mutation_object_json(m), "\"sympozium.ai/role\":\"agent\""));
  CHECK(contains(sym_mutation_json(m), "\"patch\":["));
  sym_mutation_free(m);

  /* No policy: nothing to apply. */
  m = sym_mutate(NULL, NULL, NULL, DOC(kRunOk), &err);
  CHECK(sym_mutation_patch_count(m) == 0);
  CHECK(streq(sym_mutation_patch_json(m), "[]"));
  sym_mutation_free(m);

  /* Through a cluster without the Agent: skipped. */
  sym_options_set_mode(compat, SYM_MODE_COMPAT);
  m = sym_mutate(NULL, c, compat, DOC(kRunOk), &err);
  CHECK(sym_mutation_patch_count(m) == 0);
  CHECK(contains(sym_mutation_message(m), "not found"));
  sym_mutation_free(m);

  CHECK(sym_mutate(p, NULL, NULL, DOC(kSkillPack), &err) == NULL);
  CHECK(contains(err, "AgentRun"));
  CHECK(sym_mutate(p, NULL, NULL, DOC(kBadYaml), &err) == NULL);
  CHECK(sym_mutate(p, NULL, NULL, NULL, 0, &err) == NULL);
  sym_free(err);

  CHECK(sym_mutation_message(NULL) == NULL);
  CHECK(sym_mutation_patch_count(NULL) == 0);
  CHECK(sym_mutation_patch_json(NULL) == NULL);
  CHECK(sym_mutation_object_json(NULL) == NULL);
  CHECK(sym_mutation_json(NULL) == NULL);
  sym_mutation_free(NULL);
  sym_options_free(compat);
  sym_cluster_free(c);
  sym_policy_free(p);
}

static void test_rbac(void) {
  char* err = NULL;
  char* out;
  char packs[1024];
  sym_policy_t* p = sym_policy_compile(DOC(kPolicy), &err);
  sym_options_t* o = sym_options_create();

  out = sym_rbac_for(DOC(kSkillPack), DOC(kRunHooks), &err);
  CHECK(out != NULL && err == NULL);
  CHECK(contains(out, "\"kind\":\"List\""));
  CHECK(contains(out, "sympozium-skill-ops-hooked")); /* "skillpack-" is dropped */
  CHECK(contains(out, "sympozium-lifecycle-hooked"));
  sym_free(out);

  /* Several packs in one stream. */
  snprintf(packs, sizeof packs, "%s---\n%s", kSkillPack, kSecretsSkillPack);
  out = sym_rbac_for(DOC(packs), DOC(kRunHooks), &err);
  CHECK(contains(out, "sympozium-skill-vault-hooked"));
  sym_free(out);

  /* A policy's deniedResources bound the rules in strict mode... */
  CHECK(sym_rbac_for_opts(p, NULL, DOC(packs), DOC(kRunHooks), &err) == NULL);
  CHECK(contains(err, "secrets"));
  sym_free(err);
  err = NULL;
  /* ...but not in compat mode, here as YAML. */
  sym_options_set_mode(o, SYM_MODE_COMPAT);
  sym_options_set_output(o, SYM_FORMAT_YAML);
  out = sym_rbac_for_opts(p, o, DOC(packs), DOC(kRunHooks), &err);
  CHECK(contains(out, "kind: List"));
  sym_free(out);

  CHECK(sym_rbac_for(DOC(kRunHooks), DOC(kRunHooks), &err) == NULL);   /* not a SkillPack */
  CHECK(sym_rbac_for(DOC(kSkillPack), DOC(kSkillPack), &err) == NULL); /* not an AgentRun */
  CHECK(sym_rbac_for(DOC(kBadYaml), DOC(kRunHooks), &err) == NULL);
  CHECK(sym_rbac_for(NULL, 0, DOC(kRunHooks), &err) == NULL);
  CHECK(sym_rbac_for(DOC(kSkillPack), NULL, 0, &err) == NULL);
  CHECK(contains(err, "NULL"));
  sym_free(err);
  sym_options_free(o);
  sym_policy_free(p);
}

static void test_rbac_result(void) {
  char* err = NULL;
  char packs[1024];
  sym_objects_t* g;
  sym_policy_t* p = sym_policy_compile(DOC(kPolicy), &err);
  sym_options_t* o = sym_options_create();
  size_t i;
  int found_secrets = 0;

  g = sym_rbac_result(NULL, NULL, DOC(kSkillPack), DOC(kRunHooks), &err);
  CHECK(g != NULL && err == NULL);
  CHECK(contains(sym_objects_text(g), "\"kind\":\"List\""));
  CHECK(sym_objects_count(g) == 4); /* the pack's and the lifecycle's Role + RoleBinding */
  CHECK(sym_objects_warning_count(g) == 0);
  CHECK(sym_objects_selector_count(g) == 0); /* nothing cluster-scoped */
  CHECK(sym_objects_selector(g, 0) == NULL);
  sym_objects_free(g);

  /* Cluster-scoped rules give a cleanup selector; secrets a warning. */
  snprintf(packs, sizeof packs, "%s---\n%s", kClusterSkillPack, kSecretsSkillPack);
  g = sym_rbac_result(NULL, NULL, DOC(packs), DOC(kRunHooks), &err);
  CHECK(g != NULL);
  CHECK(sym_objects_count(g) == 8);
  CHECK(contains(sym_objects_text(g), "\"kind\":\"ClusterRoleBinding\""));
  CHECK(sym_objects_selector_count(g) == 1);
  CHECK(streq(sym_objects_selector(g, 0),
              "sympozium.ai/agent-run=hooked,sympozium.ai/managed-by=sympozium"));
  CHECK(sym_objects_selector(g, 1) == NULL);
  CHECK(sym_objects_warning_count(g) >= 1);
  for (i = 0; i < sym_objects_warning_count(g); ++i) {
    if (!streq(sym_objects_warning_code(g, i), "rbac.secrets")) continue;
    found_secrets = 1;
    CHECK(
        streq(sym_objects_warning_path(g, i), "SkillPack/vault spec.sidecar.rbac[0].resources[0]"));
    CHECK(contains(sym_objects_warning_message(g, i), "secrets"));
  }
  CHECK(found_secrets);
  i = sym_objects_warning_count(g);
  CHECK(sym_objects_warning_code(g, i) == NULL);
  CHECK(sym_objects_warning_path(g, i) == NULL);
  CHECK(sym_objects_warning_message(g, i) == NULL);
  sym_objects_free(g);

  /* No pack and no lifecycle: an empty List, still text. */
  g = sym_rbac_result(NULL, NULL, "", 0, DOC(kRunOk), &err);
  CHECK(g != NULL && err == NULL);
  CHECK(sym_objects_count(g) == 0);
  CHECK(contains(sym_objects_text(g), "\"items\":[]"));
  sym_objects_free(g);

  /* YAML, and the errors of sym_rbac_for_opts. */
  sym_options_set_output(o, SYM_FORMAT_YAML);
  g = sym_rbac_result(p, o, DOC(kSkillPack), DOC(kRunHooks), &err);
  CHECK(contains(sym_objects_text(g), "kind: List"));
  sym_objects_free(g);
  CHECK(sym_rbac_result(p, o, DOC(packs), DOC(kRunHooks), &err) == NULL); /* denied secrets */
  CHECK(contains(err, "secrets"));
  CHECK(sym_rbac_result(NULL, NULL, DOC(kRunHooks), DOC(kRunHooks), &err) == NULL);
  CHECK(contains(err, "SkillPack"));
  CHECK(sym_rbac_result(NULL, NULL, DOC(kSkillPack), DOC(kBadYaml), &err) == NULL);
  CHECK(sym_rbac_result(NULL, NULL, NULL, 0, DOC(kRunHooks), &err) == NULL);
  CHECK(contains(err, "skillpack is NULL"));
  CHECK(sym_rbac_result(NULL, NULL, DOC(kSkillPack), NULL, 0, &err) == NULL);
  CHECK(contains(err, "run is NULL"));
  CHECK(sym_rbac_result(NULL, NULL, DOC(kSkillPack), NULL, 0, NULL) == NULL);
  sym_free(err);

  CHECK(sym_objects_text(NULL) == NULL);
  CHECK(sym_objects_count(NULL) == 0);
  CHECK(sym_objects_warning_count(NULL) == 0);
  CHECK(sym_objects_warning_code(NULL, 0) == NULL);
  CHECK(sym_objects_warning_path(NULL, 0) == NULL);
  CHECK(sym_objects_warning_message(NULL, 0) == NULL);
  CHECK(sym_objects_selector_count(NULL) == 0);
  CHECK(sym_objects_selector(NULL, 0) == NULL);
  sym_objects_free(NULL);
  sym_options_free(o);
  sym_policy_free(p);
}

static void test_network_policy(void) {
  char* err = NULL;
  sym_policy_t* isolated = sym_policy_preset("network-isolated", &err);
  sym_policy_t* egress = sym_policy_compile(DOC(kEgressPolicy), &err);
  sym_policy_t* none = sym_policy_compile(DOC(kPolicy), &err);
  sym_options_t* yaml = sym_options_create();
  sym_objects_t* g;

  CHECK(err == NULL);
  g = sym_network_policy(isolated, NULL, "team-a", &err);
  CHECK(g != NULL && err == NULL);
  CHECK(sym_objects_count(g) == 1);
  CHECK(contains(sym_objects_text(g), "\"kind\":\"NetworkPolicy\""));
  CHECK(contains(sym_objects_text(g), "\"name\":\"sympozium-policy-network-isolated\""));
  CHECK(contains(sym_objects_text(g), "\"namespace\":\"team-a\""));
  CHECK(contains(sym_objects_text(g), "kube-dns"));
  CHECK(sym_objects_warning_count(g) == 0);
  CHECK(sym_objects_selector_count(g) == 0);
  sym_objects_free(g);

  /* A hostname gets no rule and a warning; the CIDR gets its rule. */
  sym_options_set_output(yaml, SYM_FORMAT_YAML);
  g = sym_network_policy(egress, yaml, NULL, &err);
  CHECK(g != NULL);
  CHECK(contains(sym_objects_text(g), "kind: NetworkPolicy"));
  CHECK(contains(sym_objects_text(g), "namespace: team-b")); /* the policy's own */
  CHECK(contains(sym_objects_text(g), "10.0.0.0/8"));
  CHECK(!contains(sym_objects_text(g), "api.openai.com"));
  CHECK(sym_objects_warning_count(g) == 1);
  CHECK(streq(sym_objects_warning_code(g, 0), "netpol.unsupported_host"));
  CHECK(streq(sym_objects_warning_path(g, 0), "spec.networkPolicy.allowedEgress[1].host"));
  CHECK(contains(sym_objects_warning_message(g, 0), "api.openai.com"));
  sym_objects_free(g);

  /* No networkPolicy: no object, and no error. */
  g = sym_network_policy(none, NULL, "", &err);
  CHECK(g != NULL && err == NULL);
  CHECK(sym_objects_text(g) == NULL);
  CHECK(sym_objects_count(g) == 0);
  sym_objects_free(g);

  CHECK(sym_network_policy(NULL, NULL, NULL, &err) == NULL);
  CHECK(contains(err, "NULL"));
  sym_free(err);
  CHECK(sym_network_policy(NULL, NULL, NULL, NULL) == NULL);
  sym_options_free(yaml);
  sym_policy_free(none);
  sym_policy_free(egress);
  sym_policy_free(isolated);
}

static void test_limits(void) {
  char* err = NULL;
  char deep[256];
  uint64_t value = 0;
  sym_options_t* o = sym_options_create();
  sym_cluster_t* c = sym_cluster_create();
  sym_policy_t* p;
  sym_decision_t* d;

  /* The defaults, with or without options. */
  CHECK(sym_options_get_limit(o, "max_bytes", &value) == 0 && value == 8388608);
  CHECK(sym_options_get_limit(NULL, "max_depth", &value) == 0 && value == 64);
  CHECK(sym_options_get_limit(o, "max_documents", &value) == 0 && value == 100000);
  CHECK(sym_options_get_limit(o, "max_nodes", &value) == 0 && value == 1000000);
  CHECK(sym_options_get_limit(o, "max_list_length", &value) == 0 && value == 100000);
  CHECK(sym_options_get_limit(o, "max_tool_rules", &value) == 0 && value == 100000);
  CHECK(sym_options_get_limit(o, "max_registries", &value) == 0 && value == 100000);
  CHECK(sym_options_get_limit(o, "max_widgets", &value) == -1);
  CHECK(sym_options_get_limit(o, NULL, &value) == -1);
  CHECK(sym_options_get_limit(o, "max_depth", NULL) == -1);

  /* Setting: unknown names, NULLs and values too large change nothing. */
  CHECK(sym_options_set_limit(o, "max_widgets", 1) == -1);
  CHECK(sym_options_set_limit(o, NULL, 1) == -1);
  CHECK(sym_options_set_limit(NULL, "max_depth", 1) == -1);
  CHECK(sym_options_set_limit(o, "max_depth", (uint64_t)UINT32_MAX + 1) == -1);
  CHECK(sym_options_get_limit(o, "max_depth", &value) == 0 && value == 64);
  CHECK(sym_options_set_limit(o, "max_depth", UINT32_MAX) == 0);
  CHECK(sym_options_get_limit(o, "max_depth", &value) == 0 && value == UINT32_MAX);
  CHECK(sym_options_set_limit(o, "max_bytes", (uint64_t)1 << 40) == 0 || sizeof(size_t) < 8);

  /* Reading: nesting deeper than max_depth is an error naming the limit. */
  snprintf(deep, sizeof deep, "%s  env: {A: {B: {C: x}}}\n", kRunOk);
  CHECK(sym_options_set_limit(o, "max_depth", 3) == 0);
  CHECK(sym_evaluate_opts(NULL, NULL, o, DOC(deep), &err) == NULL);
  CHECK(contains(err, "max_depth"));
  d = sym_evaluate_opts(NULL, NULL, NULL, DOC(deep), &err); /* the default allows it */
  CHECK(d != NULL);
  sym_decision_free(d);
  CHECK(sym_admit_start(NULL, NULL, o, DOC(deep), 0, 0, &err) == NULL);
  CHECK(contains(err, "max_depth"));
  CHECK(sym_options_set_limit(o, "max_depth", 64) == 0);

  /* Size, for every function the options read through. */
  CHECK(sym_options_set_limit(o, "max_bytes", 32) == 0);
  CHECK(sym_evaluate_opts(NULL, NULL, o, DOC(kRunOk), &err) == NULL);
  CHECK(contains(err, "max_bytes"));
  CHECK(sym_mutate(NULL, NULL, o, DOC(kRunOk), &err) == NULL);
  CHECK(contains(err, "max_bytes"));
  CHECK(sym_rbac_for_opts(NULL, o, DOC(kSkillPack), DOC(kRunHooks), &err) == NULL);
  CHECK(contains(err, "max_bytes"));
  CHECK(sym_rbac_result(NULL, o, DOC(kSkillPack), DOC(kRunHooks), &err) == NULL);
  CHECK(sym_policy_compile_opts(DOC(kPolicy), o, NULL, &err) == NULL);
  CHECK(contains(err, "max_bytes"));
  CHECK(sym_cluster_add_opts(c, o, DOC(kAgent), &err) == -1);
  CHECK(contains(err, "max_bytes"));
  CHECK(sym_options_set_limit(o, "max_bytes", 8388608) == 0);

  /* Documents in one stream. */
  CHECK(sym_options_set_limit(o, "max_documents", 1) == 0);
  CHECK(sym_rbac_result(NULL, o, DOC(kTwoSkillPacks), DOC(kRunHooks), &err) == NULL);
  CHECK(contains(err, "max_documents"));
  CHECK(sym_options_set_limit(o, "max_documents", 100000) == 0);

  /* Compiling: kPolicy has three tool rules. */
  CHECK(sym_options_set_limit(o, "max_tool_rules", 2) == 0);
  CHECK(sym_policy_compile_opts(DOC(kPolicy), o, NULL, &err) == NULL);
  CHECK(contains(err, "max_tool_rules"));
  CHECK(sym_cluster_add_opts(c, o, DOC(kPolicy), &err) == -1); /* a cluster's policies too */
  CHECK(contains(err, "max_tool_rules"));
  CHECK(sym_options_set_limit(o, "max_tool_rules", 3) == 0);
  p = sym_policy_compile_opts(DOC(kPolicy), o, NULL, &err);
  CHECK(p != NULL);
  sym_policy_free(p);
  sym_free(err);
  err = NULL;

  /* sym_cluster_add_opts: the options' source name in messages. */
  sym_options_set_source_name(o, "cluster.yaml");
  CHECK(sym_cluster_add_opts(c, o, DOC(kAgent), &err) == 0);
  CHECK(err == NULL);
  CHECK(sym_cluster_add_opts(c, NULL, DOC(kPolicy), &err) == 0);
  d = sym_evaluate_opts(NULL, c, NULL, DOC(kRunBad), &err);
  CHECK(streq(sym_decision_code(d), "sandbox.required"));
  sym_decision_free(d);
  CHECK(sym_cluster_add_opts(c, o, DOC(kBadYaml), &err) == -1);
  CHECK(contains(err, "cluster.yaml"));
  CHECK(sym_cluster_add_opts(NULL, o, DOC(kAgent), &err) == -1);
  CHECK(sym_cluster_add_opts(c, o, NULL, 0, &err) == -1);
  CHECK(contains(err, "NULL"));
  CHECK(sym_cluster_add_opts(c, o, NULL, 0, NULL) == -1);
  sym_free(err);
  sym_cluster_free(c);
  sym_options_free(o);
}

static void test_start(void) {
  char* err = NULL;
  sym_policy_t* p = sym_policy_compile(DOC(kSubagentPolicy), &err);
  sym_options_t* compat = sym_options_create();
  sym_cluster_t* c = sym_cluster_create();
  sym_decision_t* d;

  CHECK(p != NULL && err == NULL);
  sym_options_set_mode(compat, SYM_MODE_COMPAT);

  /* compat: every run is bounded by the Agent's Running runs. */
  d = sym_admit_start(p, NULL, compat, DOC(kRunOk), 1, 0, &err);
  CHECK(d != NULL && err == NULL);
  CHECK(sym_decision_allowed(d) == 1);
  CHECK(streq(sym_decision_message(d), "run may start"));
  sym_decision_free(d);
  d = sym_admit_start(p, NULL, compat, DOC(kRunOk), 2, 0, &err);
  CHECK(sym_decision_result(d) == SYM_RESULT_DENIED);
  CHECK(sym_decision_status(d) == 403);
  CHECK(streq(sym_decision_code(d), "start.concurrency"));
  CHECK(streq(sym_decision_message(d), "policy validation failed: concurrency limit reached: 2/2"));
  CHECK(streq(sym_decision_violation_path(d, 0), "spec.agentRef"));
  CHECK(contains(sym_decision_json(d), "\"code\":\"start.concurrency\""));
  sym_decision_free(d);
  /* An unknown count skips the check, with a warning. */
  d = sym_admit_start(p, NULL, compat, DOC(kRunOk), -1, -1, &err);
  CHECK(sym_decision_allowed(d) == 1);
  CHECK(sym_decision_warning_count(d) == 1);
  CHECK(streq(sym_decision_warning_code(d, 0), "start.concurrency_skipped"));
  sym_decision_free(d);
  /* compat depth: > with no zero guard. */
  d = sym_admit_start(p, NULL, compat, DOC(kChildDepth3), 0, 0, &err);
  CHECK(sym_decision_allowed(d) == 1);
  sym_decision_free(d);
  d = sym_admit_start(p, NULL, compat, DOC(kChildDepth4), 0, 0, &err);
  CHECK(
      streq(sym_decision_message(d), "policy validation failed: sub-agent depth 4 exceeds max 3"));
  CHECK(streq(sym_decision_violation_path(d, 0), "spec.parent.spawnDepth"));
  sym_decision_free(d);

  /* strict (o NULL): top-level runs are not bounded, children by the
   * parent's Running children, depth as admission. */
  d = sym_admit_start(p, NULL, NULL, DOC(kRunOk), 100, 0, &err);
  CHECK(sym_decision_allowed(d) == 1);
  sym_decision_free(d);
  d = sym_admit_start(p, NULL, NULL, DOC(kChildDepth1), 100, 1, &err);
  CHECK(sym_decision_allowed(d) == 1);
  sym_decision_free(d);
  d = sym_admit_start(p, NULL, NULL, DOC(kChildDepth1), 0, 2, &err);
  CHECK(streq(sym_decision_code(d), "start.concurrency"));
  CHECK(streq(sym_decision_violation_path(d, 0), "spec.parent.runName"));
  sym_decision_free(d);
  d = sym_admit_start(p, NULL, NULL, DOC(kChildDepth3), 0, 0, &err);
  CHECK(streq(sym_decision_message(d),
              "policy validation failed: sub-agent depth 3 exceeds maximum 3"));
  sym_decision_free(d);
  /* An unknown child count cannot be checked: an error decision. */
  d = sym_admit_start(p, NULL, NULL, DOC(kChildDepth1), 0, -1, &err);
  CHECK(sym_decision_result(d) == SYM_RESULT_ERROR);
  CHECK(sym_decision_status(d) == 500);
  CHECK(streq(sym_decision_code(d), "start.concurrency_unknown"));
  sym_decision_free(d);

  /* Rules that need no policy: a task, gate hooks. */
  d = sym_admit_start(NULL, NULL, NULL, DOC(kRunNoTask), 0, 0, &err);
  CHECK(streq(sym_decision_code(d), "start.no_task"));
  CHECK(streq(sym_decision_message(d), "spec.task is required"));
  sym_decision_free(d);
  d = sym_admit_start(NULL, NULL, compat, DOC(kRunPreGate), 0, 0, &err);
  CHECK(streq(sym_decision_code(d), "start.gate_hook"));
  CHECK(contains(sym_decision_message(d), "gate hook validation failed: "));
  CHECK(streq(sym_decision_violation_path(d, 0), "spec.lifecycle.preRun[0].gate"));
  sym_decision_free(d);
  d = sym_admit_start(NULL, NULL, NULL, DOC(kRunOk), 0, 0, &err);
  CHECK(streq(sym_decision_message(d), "no policy bound"));
  sym_decision_free(d);

  /* Through a cluster, as the controller finds the policy. */
  sym_cluster_add(c, NULL, DOC(kAgent), &err);
  sym_cluster_add(c, NULL, DOC(kPolicy), &err);
  CHECK(err == NULL);
  d = sym_admit_start(NULL, c, compat, DOC(kRunMissingAgent), 0, 0, &err);
  CHECK(streq(sym_decision_code(d), "agent.not_found"));
  sym_decision_free(d);
  d = sym_admit_start(NULL, c, compat, DOC(kRunOk), 0, 0, &err);
  CHECK(sym_decision_allowed(d) == 1);
  sym_decision_free(d);

  /* A run that does not decode is an error decision... */
  d = sym_admit_start(p, NULL, NULL, DOC(kRunWrongType), 0, 0, &err);
  CHECK(d != NULL && err == NULL);
  CHECK(sym_decision_result(d) == SYM_RESULT_ERROR);
  CHECK(streq(sym_decision_code(d), "decode.error"));
  sym_decision_free(d);
  /* ...other kinds, bad bytes and NULL fail the call. */
  CHECK(sym_admit_start(p, NULL, NULL, DOC(kSkillPack), 0, 0, &err) == NULL);
  CHECK(contains(err, "AgentRun"));
  CHECK(sym_admit_start(p, NULL, NULL, DOC(kBadYaml), 0, 0, &err) == NULL);
  CHECK(err != NULL && !contains(err, "AgentRun, not"));
  CHECK(sym_admit_start(p, NULL, NULL, NULL, 0, 0, 0, &err) == NULL);
  CHECK(contains(err, "NULL"));
  CHECK(sym_admit_start(p, NULL, NULL, NULL, 0, 0, 0, NULL) == NULL);
  sym_free(err);
  sym_cluster_free(c);
  sym_options_free(compat);
  sym_policy_free(p);
}

static const char kSha256Abc[] = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
static const char kSha256Empty[] =
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

/* A Model document whose spec.source.sha256 is `sha`. */
static void model_with_sha(char* out, size_t size, const char* sha) {
  snprintf(out, size,
           "apiVersion: sympozium.ai/v1alpha1\nkind: Model\n"
           "metadata: {name: llama, namespace: ai}\n"
           "spec:\n  source: {url: 'https://huggingface.co/x.gguf', sha256: '%s'}\n",
           sha);
}

/* sym_read_fn over a string, `step` bytes at a time; fails at `fail_at`. */
struct reader {
  const char* data;
  size_t left;
  size_t step;
  int64_t extra; /* added to each count, to return more than asked */
  int fail;
};

static int64_t read_string(void* arg, char* buffer, size_t size) {
  struct reader* r = (struct reader*)arg;
  size_t n = r->left < r->step ? r->left : r->step;
  if (r->fail) return -1;
  if (n > size) n = size;
  memcpy(buffer, r->data, n);
  r->data += n;
  r->left -= n;
  return (int64_t)n + (n > 0 ? r->extra : 0);
}

static void test_model(void) {
  char* err = NULL;
  char* actual = NULL;
  char model[512];
  char path[] = "/tmp/sym-c-api-model-XXXXXX";
  char upper[65];
  struct reader r;
  sym_options_t* compat = sym_options_create();
  sym_decision_t* d;
  size_t i;
  int fd;

  /* Admission of a Model through sym_evaluate: strict lists both
   * problems, compat allows plain http. */
  d = sym_evaluate(NULL, DOC(kInsecureModel), &err);
  CHECK(d != NULL && err == NULL);
  CHECK(sym_decision_result(d) == SYM_RESULT_DENIED);
  CHECK(sym_decision_violation_count(d) == 2);
  CHECK(streq(sym_decision_code(d), "model.url_insecure"));
  CHECK(streq(sym_decision_violation_path(d, 0), "spec.source.url"));
  CHECK(streq(sym_decision_violation_message(d, 1),
              "sha256 checksum must be exactly 64 hex characters, got 3"));
  CHECK(streq(sym_decision_violation_path(d, 1), "spec.source.sha256"));
  sym_decision_free(d);
  sym_options_set_mode(compat, SYM_MODE_COMPAT);
  d = sym_evaluate_opts(NULL, NULL, compat, DOC(kInsecureModel), &err);
  CHECK(streq(sym_decision_code(d), "model.sha256_invalid"));
  sym_decision_free(d);
  model_with_sha(model, sizeof model, kSha256Abc);
  d = sym_evaluate(NULL, DOC(model), &err);
  CHECK(sym_decision_allowed(d) == 1);
  CHECK(streq(sym_decision_message(d), "model validated"));
  sym_decision_free(d);
  d = sym_evaluate(NULL, DOC(kModelNoSource), &err);
  CHECK(streq(sym_decision_code(d), "model.source_missing"));
  sym_decision_free(d);
  d = sym_evaluate(NULL, DOC(kModelWrongType), &err);
  CHECK(sym_decision_result(d) == SYM_RESULT_ERROR);
  CHECK(streq(sym_decision_code(d), "decode.error"));
  sym_decision_free(d);

  /* A file made here holding "abc". */
  fd = mkstemp(path);
  CHECK(fd >= 0);
  CHECK(write(fd, "abc", 3) == 3);
  close(fd);

  CHECK(sym_verify_model_file(DOC(model), path, &actual, &err) == 1);
  CHECK(err == NULL);
  CHECK(streq(actual, kSha256Abc));
  sym_free(actual);
  actual = NULL;
  CHECK(sym_verify_model_file(DOC(model), path, NULL, &err) == 1);
  /* The expected digest compares case-insensitively. */
  for (i = 0; i < 64; ++i)
    upper[i] =
        kSha256Abc[i] >= 'a' && kSha256Abc[i] <= 'f' ? kSha256Abc[i] - 'a' + 'A' : kSha256Abc[i];
  upper[64] = '\0';
  model_with_sha(model, sizeof model, upper);
  CHECK(sym_verify_model_file(DOC(model), path, NULL, &err) == 1);
  /* A mismatch: 0, with the file's digest. */
  model_with_sha(model, sizeof model, kSha256Empty);
  CHECK(sym_verify_model_file(DOC(model), path, &actual, &err) == 0);
  CHECK(err == NULL);
  CHECK(streq(actual, kSha256Abc));
  sym_free(actual);
  actual = NULL;

  /* Errors leave actual_out alone. */
  CHECK(sym_verify_model_file(DOC(model), "/nonexistent/model.gguf", &actual, &err) == -1);
  CHECK(contains(err, "/nonexistent/model.gguf"));
  CHECK(actual == NULL);
  model_with_sha(model, sizeof model, "abc");
  CHECK(sym_verify_model_file(DOC(model), path, &actual, &err) == -1);
  CHECK(contains(err, "sha256"));
  CHECK(actual == NULL);
  CHECK(sym_verify_model_file(DOC(kModelNoSource), path, &actual, &err) == -1);
  CHECK(sym_verify_model_file(DOC(kSkillPack), path, &actual, &err) == -1);
  CHECK(contains(err, "Model"));
  CHECK(sym_verify_model_file(DOC(kBadYaml), path, &actual, &err) == -1);
  CHECK(sym_verify_model_file(NULL, 0, path, &actual, &err) == -1);
  CHECK(contains(err, "model is NULL"));
  model_with_sha(model, sizeof model, kSha256Abc);
  CHECK(sym_verify_model_file(DOC(model), NULL, &actual, &err) == -1);
  CHECK(contains(err, "path is NULL"));
  CHECK(sym_verify_model_file(DOC(model), NULL, NULL, NULL) == -1);
  CHECK(actual == NULL);
  sym_free(err);
  err = NULL;
  remove(path);

  /* The same through a read callback, one byte at a time. */
  r.data = "abc";
  r.left = 3;
  r.step = 1;
  r.extra = 0;
  r.fail = 0;
  CHECK(sym_verify_model(DOC(model), read_string, &r, &actual, &err) == 1);
  CHECK(streq(actual, kSha256Abc));
  sym_free(actual);
  actual = NULL;
  r.data = "";
  r.left = 0;
  model_with_sha(model, sizeof model, kSha256Empty);
  CHECK(sym_verify_model(DOC(model), read_string, &r, NULL, &err) == 1);
  CHECK(err == NULL);
  r.data = "abc";
  r.left = 3;
  r.fail = 1;
  CHECK(sym_verify_model(DOC(model), read_string, &r, &actual, &err) == -1);
  CHECK(contains(err, "read callback failed"));
  r.fail = 0;
  r.step = 3;
  r.extra = 1 << 21; /* more than the buffer holds */
  CHECK(sym_verify_model(DOC(model), read_string, &r, &actual, &err) == -1);
  CHECK(contains(err, "read callback returned"));
  CHECK(actual == NULL);
  CHECK(sym_verify_model(DOC(model), NULL, &r, &actual, &err) == -1);
  CHECK(contains(err, "read is NULL"));
  CHECK(sym_verify_model(NULL, 0, read_string, &r, &actual, &err) == -1);
  CHECK(sym_verify_model(DOC(kSkillPack), read_string, &r, NULL, NULL) == -1);
  sym_free(err);
  sym_options_free(compat);
}

/* Threads sharing one policy and one cluster. */
enum { kThreads = 8, kRounds = 200 };

struct shared {
  const sym_policy_t* policy;
  const sym_cluster_t* cluster;
  int failures;
};

static void* evaluate_many(void* arg) {
  struct shared* s = (struct shared*)arg;
  int i;
  s->failures = 0;
  for (i = 0; i < kRounds; ++i) {
    sym_decision_t* ok = sym_evaluate(s->policy, DOC(kRunOk), NULL);
    sym_decision_t* bad = sym_evaluate_opts(NULL, s->cluster, NULL, DOC(kRunBad), NULL);
    if (sym_decision_allowed(ok) != 1 || !streq(sym_decision_code(bad), "sandbox.required") ||
        sym_decision_violation_count(bad) != 2 ||
        sym_tool_decision(s->policy, DOC("execute_command")) != SYM_ASK)
      ++s->failures;
    sym_decision_free(ok);
    sym_decision_free(bad);
  }
  return NULL;
}

static void test_threads(void) {
  char* err = NULL;
  sym_policy_t* p = sym_policy_compile(DOC(kPolicy), &err);
  sym_cluster_t* c = sym_cluster_create();
  pthread_t threads[kThreads];
  struct shared state[kThreads];
  int i;

  sym_cluster_add(c, NULL, DOC(kAgent), &err);
  sym_cluster_add(c, NULL, DOC(kPolicy), &err);
  CHECK(err == NULL);
  for (i = 0; i < kThreads; ++i) {
    state[i].policy = p;
    state[i].cluster = c;
    CHECK(pthread_create(&threads[i], NULL, evaluate_many, &state[i]) == 0);
  }
  for (i = 0; i < kThreads; ++i) {
    pthread_join(threads[i], NULL);
    CHECK(state[i].failures == 0);
  }
  sym_cluster_free(c);
  sym_policy_free(p);
}

/* AdmissionReview bodies answered as the webhook answers them. */
static const char kReviewBadRun[] =
    "{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\",\"request\":"
    "{\"uid\":\"u-42\",\"operation\":\"CREATE\",\"namespace\":\"default\",\"object\":"
    "{\"apiVersion\":\"sympozium.ai/v1alpha1\",\"kind\":\"AgentRun\",\"metadata\":{\"name\":"
    "\"r2\"},\"spec\":{\"agentRef\":\"alice\",\"task\":\"x\",\"env\":{\"PATH\":\"/evil\"}}}}}";

static void test_admission_review(void) {
  sym_cluster_t* c = sym_cluster_create();
  sym_options_t* o = sym_options_create();
  char* err = NULL;
  int status = 0;
  char* body;
  sym_cluster_add(c, NULL, DOC(kAgent), &err);
  sym_cluster_add(c, NULL, DOC(kPolicy), &err);
  CHECK(err == NULL);

  /* deny: the uid echoed, the first violation as the message. */
  body = sym_admission_review(c, NULL, SYM_ENDPOINT_VALIDATE, DOC(kReviewBadRun), &status, &err);
  CHECK(body != NULL && err == NULL && status == 200);
  CHECK(contains(body, "\"uid\":\"u-42\""));
  CHECK(contains(body, "\"allowed\":false"));
  CHECK(contains(body, "\"code\":403"));
  CHECK(contains(body, "sandbox is required by policy"));
  sym_free(body);

  /* warn: allowed, every violation a "[would deny]" warning. */
  CHECK(sym_options_set_enforcement(o, SYM_ENFORCE_WARN) == 0);
  body = sym_admission_review(c, o, SYM_ENDPOINT_VALIDATE, DOC(kReviewBadRun), &status, &err);
  CHECK(body != NULL && status == 200);
  CHECK(contains(body, "\"allowed\":true"));
  CHECK(contains(body, "[would deny] sandbox is required by policy [sandbox.required]"));
  CHECK(contains(body, "[env.denied]"));
  sym_free(body);

  /* audit: allowed, nothing in the answer says why. */
  CHECK(sym_options_set_enforcement(o, SYM_ENFORCE_AUDIT) == 0);
  body = sym_admission_review(c, o, SYM_ENDPOINT_VALIDATE, DOC(kReviewBadRun), &status, &err);
  CHECK(body != NULL && contains(body, "\"allowed\":true") && !contains(body, "warnings"));
  sym_free(body);
  CHECK(sym_options_set_enforcement(o, 3) == -1);
  CHECK(sym_options_set_enforcement(NULL, SYM_ENFORCE_DENY) == -1);

  /* shadow compat beside strict: the PATH override is strict-only, but the
   * sandbox denial holds in both, so they agree here. */
  CHECK(sym_options_set_enforcement(o, SYM_ENFORCE_DENY) == 0);
  CHECK(sym_options_set_shadow_mode(o, SYM_MODE_COMPAT) == 0);
  body = sym_admission_review(c, o, SYM_ENDPOINT_VALIDATE, DOC(kReviewBadRun), &status, &err);
  CHECK(body != NULL && !contains(body, "[shadow"));
  sym_free(body);
  CHECK(sym_options_set_shadow_mode(o, -1) == 0);
  CHECK(sym_options_set_shadow_mode(o, 7) == -1);

  /* mutate: a base64 JSONPatch. */
  body = sym_admission_review(c, NULL, SYM_ENDPOINT_MUTATE, DOC(kReviewBadRun), &status, &err);
  CHECK(body != NULL && contains(body, "\"patchType\":\"JSONPatch\""));
  sym_free(body);

  /* No cluster: an empty one, so the Agent is missing (an error answer). */
  body = sym_admission_review(NULL, NULL, SYM_ENDPOINT_VALIDATE, DOC(kReviewBadRun), &status, &err);
  CHECK(body != NULL && status == 200 && contains(body, "\"code\":400"));
  sym_free(body);

  /* Not an AdmissionReview: an HTTP error with a Status, never an allow. */
  CHECK(sym_options_set_enforcement(o, SYM_ENFORCE_AUDIT) == 0);
  body = sym_admission_review(c, o, SYM_ENDPOINT_VALIDATE, DOC("not json"), &status, &err);
  CHECK(body != NULL && status == 400 && contains(body, "\"kind\":\"Status\""));
  sym_free(body);
  body = sym_admission_review(c, o, SYM_ENDPOINT_VALIDATE, NULL, 0, &status, &err);
  CHECK(body != NULL && status == 400 && err == NULL);
  sym_free(body);

  /* Misuse. */
  CHECK(sym_admission_review(c, o, SYM_ENDPOINT_VALIDATE, NULL, 3, &status, &err) == NULL);
  CHECK(err != NULL);
  sym_free(err);
  err = NULL;
  CHECK(sym_admission_review(c, o, SYM_ENDPOINT_VALIDATE, DOC("{}"), NULL, &err) == NULL);
  CHECK(err != NULL);
  sym_free(err);
  err = NULL;
  CHECK(sym_admission_review(c, o, 9, DOC("{}"), &status, &err) == NULL);
  CHECK(err != NULL);
  sym_free(err);
  sym_options_free(o);
  sym_cluster_free(c);
}

/* A Deployment whose pod meets the restricted standard. */
static const char kRestrictedDeployment[] =
    "apiVersion: apps/v1\n"
    "kind: Deployment\n"
    "metadata: {name: web, namespace: shop}\n"
    "spec:\n"
    "  template:\n"
    "    spec:\n"
    "      securityContext: {runAsNonRoot: true, seccompProfile: {type: RuntimeDefault}}\n"
    "      containers:\n"
    "      - name: web\n"
    "        image: nginx:1.27\n"
    "        securityContext:\n"
    "          allowPrivilegeEscalation: false\n"
    "          capabilities: {drop: [ALL]}\n";

static void test_pod_security(void) {
  char* err = NULL;
  sym_decision_t* d =
      sym_evaluate_pod_security(NULL, "restricted", DOC(kRestrictedDeployment), &err);
  CHECK(err == NULL && sym_decision_allowed(d) == 1);
  sym_decision_free(d);

  /* Privileged passes neither level; the code names the check. */
  d = sym_evaluate_pod_security(NULL, "baseline@v1.30", DOC(kPrivilegedPod), &err);
  CHECK(err == NULL && sym_decision_allowed(d) == 0);
  CHECK(streq(sym_decision_code(d), "pod.privileged"));
  CHECK(streq(sym_decision_violation_path(d, 0), "spec.containers[0].securityContext.privileged"));
  sym_decision_free(d);

  /* Not a pod: an error decision. */
  d = sym_evaluate_pod_security(NULL, "restricted@latest", DOC(kConfigMap), &err);
  CHECK(err == NULL && sym_decision_result(d) == SYM_RESULT_ERROR);
  sym_decision_free(d);

  /* An unknown level or version, or a NULL standard: an error, no decision. */
  CHECK(sym_evaluate_pod_security(NULL, "privileged", DOC(kPrivilegedPod), &err) == NULL);
  CHECK(err != NULL && contains(err, "baseline or restricted"));
  sym_free(err);
  err = NULL;
  CHECK(sym_evaluate_pod_security(NULL, "restricted@1.30", DOC(kPrivilegedPod), &err) == NULL);
  CHECK(err != NULL);
  sym_free(err);
  err = NULL;
  CHECK(sym_evaluate_pod_security(NULL, NULL, DOC(kPrivilegedPod), &err) == NULL);
  CHECK(err != NULL);
  sym_free(err);
}

/* ---- Cluster store (begin) */

/* A policy whose spec does not decode: stored broken. */
static const char kBrokenPolicy[] =
    "apiVersion: sympozium.ai/v1alpha1\n"
    "kind: SympoziumPolicy\n"
    "metadata: {name: team-policy, namespace: default}\n"
    "spec: {sandboxPolicy: {required: [not, a, bool]}}\n";

static const char kDuplicatePolicies[] =
    "apiVersion: sympozium.ai/v1alpha1\n"
    "kind: SympoziumPolicy\n"
    "metadata: {name: other, namespace: default}\n"
    "---\n"
    "apiVersion: sympozium.ai/v1alpha1\n"
    "kind: SympoziumPolicy\n"
    "metadata: {name: other, namespace: default}\n";

/* The code of a strict decision on `run` against a fresh snapshot of s. */
static int store_decides(const sym_store_t* s, const char* run, const char* code) {
  char* err = NULL;
  sym_cluster_t* c = sym_store_snapshot(s);
  sym_decision_t* d = sym_evaluate_opts(NULL, c, NULL, DOC(run), &err);
  int ok = d != NULL &&
           (code == NULL ? sym_decision_allowed(d) == 1 : streq(sym_decision_code(d), code));
  sym_decision_free(d);
  sym_cluster_free(c);
  sym_free(err);
  return ok;
}

static void test_store(void) {
  char* err = NULL;
  sym_store_t* s = sym_store_create(NULL);
  sym_cluster_t* before;
  sym_cluster_t* after;
  sym_decision_t* d;

  CHECK(s != NULL);
  before = sym_store_snapshot(s);
  CHECK(sym_cluster_generation(before) >= 1);
  CHECK(store_decides(s, kRunOk, "agent.not_found"));
  CHECK(sym_store_upsert(s, DOC(kAgent), &err) == 0);
  CHECK(store_decides(s, kRunOk, "policy.not_found"));
  CHECK(sym_store_upsert(s, DOC(kPolicy), &err) == 0);
  CHECK(err == NULL);
  CHECK(store_decides(s, kRunOk, NULL));
  CHECK(store_decides(s, kRunBad, "sandbox.required"));

  /* A snapshot is immutable: the one taken first still has nothing. */
  after = sym_store_snapshot(s);
  CHECK(sym_cluster_generation(after) > sym_cluster_generation(before));
  d = sym_evaluate_opts(NULL, before, NULL, DOC(kRunOk), &err);
  CHECK(streq(sym_decision_code(d), "agent.not_found"));
  sym_decision_free(d);
  CHECK(sym_cluster_add(after, NULL, DOC(kAgent), &err) == -1);
  CHECK(contains(err, "snapshot"));
  sym_free(err);
  err = NULL;

  /* A broken policy replaces the good one: an error naming it. */
  CHECK(sym_store_upsert(s, DOC(kBrokenPolicy), &err) == 1);
  CHECK(contains(err, "required"));
  sym_free(err);
  err = NULL;
  CHECK(store_decides(s, kRunOk, "policy.invalid"));
  {
    sym_cluster_t* c = sym_store_snapshot(s);
    CHECK(sym_cluster_broken_count(c) == 1);
    CHECK(contains(sym_cluster_broken(c, 0), "SympoziumPolicy default/team-policy"));
    CHECK(sym_cluster_broken(c, 1) == NULL);
    d = sym_evaluate_opts(NULL, c, NULL, DOC(kRunOk), &err);
    CHECK(sym_decision_result(d) == SYM_RESULT_ERROR);
    CHECK(contains(sym_decision_message(d), "team-policy"));
    sym_decision_free(d);
    sym_cluster_free(c);
  }

  /* Nothing stored: a duplicate in one batch, another kind, bad bytes. */
  CHECK(sym_store_upsert(s, DOC(kDuplicatePolicies), &err) == -1);
  CHECK(contains(err, "also defined"));
  CHECK(sym_store_upsert(s, DOC(kConfigMap), &err) == -1);
  CHECK(contains(err, "ConfigMap"));
  CHECK(sym_store_upsert(s, DOC(kBadYaml), &err) == -1);
  CHECK(sym_store_upsert(NULL, DOC(kAgent), &err) == -1);
  CHECK(sym_store_upsert(s, NULL, 0, &err) == -1);
  sym_free(err);
  err = NULL;
  CHECK(sym_store_remove(s, "SympoziumPolicy", "default", "other") == 0);

  /* Fixed, then removed. */
  CHECK(sym_store_upsert(s, DOC(kPolicy), &err) == 0);
  CHECK(store_decides(s, kRunOk, NULL));
  CHECK(sym_store_remove(s, "SympoziumPolicy", "default", "team-policy") == 1);
  CHECK(sym_store_remove(s, "SympoziumPolicy", "default", "team-policy") == 0);
  CHECK(sym_store_remove(s, NULL, "default", "x") == -1);
  CHECK(sym_store_remove(NULL, "Agent", "default", "x") == -1);
  CHECK(store_decides(s, kRunOk, "policy.not_found"));

  /* A snapshot outlives its store. */
  sym_cluster_free(after);
  after = sym_store_snapshot(s);
  sym_store_free(s);
  d = sym_evaluate_opts(NULL, after, NULL, DOC(kRunOk), &err);
  CHECK(streq(sym_decision_code(d), "policy.not_found"));
  sym_decision_free(d);
  CHECK(sym_cluster_generation(NULL) == 0);
  CHECK(sym_store_snapshot(NULL) == NULL);
  sym_cluster_free(after);
  sym_cluster_free(before);
  sym_store_free(NULL);

  /* Strict: a compat-only policy is stored, reported, and refused. */
  s = sym_store_create(NULL);
  CHECK(sym_store_upsert(s, DOC(kCompatOnlyPolicy), &err) == 1);
  CHECK(contains(err, "strict"));
  sym_free(err);
  sym_store_free(s);
}

/* ---- Cluster store (end) */

int main(void) {
  test_library();
  test_options();
  test_policies();
  test_evaluate();
  test_cluster();
  test_tools();
  test_mutate();
  test_rbac();
  test_rbac_result();
  test_network_policy();
  test_limits();
  test_start();
  test_model();
  test_threads();
  test_admission_review();
  test_pod_security();
  test_store();
  if (failures != 0) {
    fprintf(stderr, "%d check(s) failed\n", failures);
    return 1;
  }
  printf("c_api_test: all checks passed\n");
  return 0;
}
