/* Evaluates one document (an AgentRun, SkillPack or pod) from a file
 * against a policy through the C API and prints the decision.
 *
 *   evaluate_file [--preset NAME | --policy FILE] [--mode strict|compat] DOC
 *
 * Exit code: 0 allowed, 1 denied or an admission error, 2 the file or the
 * policy could not be read. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sympozium/sympozium.h>

/* Reads a whole file into a malloc'd buffer; NULL on failure. */
static char* read_file(const char* path, size_t* len) {
  FILE* f = fopen(path, "rb");
  char* data = NULL;
  size_t cap = 0;
  *len = 0;
  if (f == NULL) return NULL;
  for (;;) {
    size_t n;
    if (*len == cap) {
      char* grown;
      cap = cap == 0 ? 4096 : cap * 2;
      grown = realloc(data, cap);
      if (grown == NULL) break;
      data = grown;
    }
    n = fread(data + *len, 1, cap - *len, f);
    *len += n;
    if (n == 0) {
      if (ferror(f)) break;
      fclose(f);
      return data;
    }
  }
  free(data);
  fclose(f);
  return NULL;
}

static int usage(void) {
  fprintf(stderr,
          "usage: evaluate_file [--preset NAME | --policy FILE] [--mode strict|compat] DOC\n");
  return 2;
}

int main(int argc, char** argv) {
  const char* preset = NULL;
  const char* policy_file = NULL;
  const char* doc_file = NULL;
  int mode = SYM_MODE_STRICT;
  int i;
  char* err = NULL;
  char* doc;
  size_t len;
  sym_options_t* options;
  sym_policy_t* policy = NULL;
  sym_decision_t* decision;
  size_t v;
  int exit_code;

  for (i = 1; i < argc; ++i) {
    if (strcmp(argv[i], "--preset") == 0 && i + 1 < argc) {
      preset = argv[++i];
    } else if (strcmp(argv[i], "--policy") == 0 && i + 1 < argc) {
      policy_file = argv[++i];
    } else if (strcmp(argv[i], "--mode") == 0 && i + 1 < argc) {
      mode = sym_mode_parse(argv[++i]);
      if (mode < 0) return usage();
    } else if (doc_file == NULL && argv[i][0] != '-') {
      doc_file = argv[i];
    } else {
      return usage();
    }
  }
  if (doc_file == NULL || (preset != NULL && policy_file != NULL)) return usage();

  options = sym_options_create();
  sym_options_set_mode(options, mode);
  if (preset != NULL) {
    policy = sym_policy_preset_opts(preset, options, &err);
  } else if (policy_file != NULL) {
    char* text = read_file(policy_file, &len);
    if (text == NULL) {
      fprintf(stderr, "evaluate_file: cannot read %s\n", policy_file);
      return 2;
    }
    sym_options_set_source_name(options, policy_file);
    policy = sym_policy_compile_opts(text, len, options, NULL, &err);
    free(text);
  }
  if (err != NULL) {
    fprintf(stderr, "evaluate_file: %s\n", err);
    sym_free(err);
    return 2;
  }

  doc = read_file(doc_file, &len);
  if (doc == NULL) {
    fprintf(stderr, "evaluate_file: cannot read %s\n", doc_file);
    return 2;
  }
  sym_options_set_source_name(options, doc_file);
  decision = sym_evaluate_opts(policy, NULL, options, doc, len, &err);
  free(doc);
  if (decision == NULL) {
    fprintf(stderr, "evaluate_file: %s\n", err);
    sym_free(err);
    return 2;
  }

  printf("%s: %s (status %d, %s)\n", doc_file,
         sym_decision_allowed(decision)                       ? "ALLOWED"
         : sym_decision_result(decision) == SYM_RESULT_DENIED ? "DENIED"
                                                              : "ERROR",
         sym_decision_status(decision), policy != NULL ? sym_policy_name(policy) : "no policy");
  for (v = 0; v < sym_decision_violation_count(decision); ++v)
    printf("  %s at %s: %s\n", sym_decision_violation_code(decision, v),
           sym_decision_violation_path(decision, v), sym_decision_violation_message(decision, v));
  printf("%s\n", sym_decision_json(decision));

  exit_code = sym_decision_allowed(decision) ? 0 : 1;
  sym_decision_free(decision);
  sym_policy_free(policy);
  sym_options_free(options);
  return exit_code;
}
