// The C API (include/sympozium/sympozium.h): every entry point on fuzzed
// documents and options. Nothing may crash or leak, accessors agree with
// each other, out-of-range indexes give NULL, and JSON out is JSON.
//
// Input: one flags byte, then parts separated by "\n=====\n": a policy (or
// a preset name), a document (run, pod or SkillPack), a tool name, cluster
// documents.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "sympozium/sympozium.h"
#include "tests/fuzz/fuzz_util.h"

namespace sympozium::fuzz {
namespace {

constexpr std::string_view kSeparator = "\n=====\n";

// Four parts; missing ones are empty, the last takes the rest.
std::vector<std::string> Split(std::string_view text) {
  std::vector<std::string> parts;
  while (parts.size() < 3) {
    size_t at = text.find(kSeparator);
    if (at == std::string_view::npos) break;
    parts.emplace_back(text.substr(0, at));
    text.remove_prefix(at + kSeparator.size());
  }
  parts.emplace_back(text);
  parts.resize(4);
  return parts;
}

// Frees an error message; true when there was one.
bool Error(char** err) {
  if (*err == nullptr) return false;
  FUZZ_CHECK(**err != '\0');
  sym_free(*err);
  *err = nullptr;
  return true;
}

void CheckPolicy(const sym_policy_t* p) {
  FUZZ_CHECK(sym_policy_name(p) != nullptr);
  size_t n = sym_policy_lint_count(p);
  for (size_t i = 0; i <= n; ++i) {
    bool in = i < n;
    int severity = sym_policy_lint_severity(p, i);
    FUZZ_CHECK(in ? (severity == SYM_SEVERITY_ERROR || severity == SYM_SEVERITY_WARNING)
                  : severity == -1);
    FUZZ_CHECK((sym_policy_lint_code(p, i) != nullptr) == in);
    FUZZ_CHECK((sym_policy_lint_path(p, i) != nullptr) == in);
    FUZZ_CHECK((sym_policy_lint_message(p, i) != nullptr) == in);
  }
  const char* lint = sym_policy_lint_json(p);
  FUZZ_CHECK(lint != nullptr && lint[0] == '[');
}

void CheckDecisionHandle(const sym_decision_t* d) {
  int allowed = sym_decision_allowed(d);
  int result = sym_decision_result(d);
  int status = sym_decision_status(d);
  FUZZ_CHECK(allowed == (result == SYM_RESULT_ALLOWED));
  FUZZ_CHECK(result == SYM_RESULT_ALLOWED || result == SYM_RESULT_DENIED ||
             result == SYM_RESULT_ERROR);
  FUZZ_CHECK(allowed ? status == 200 : status >= 400);
  FUZZ_CHECK(sym_decision_code(d) != nullptr && sym_decision_message(d) != nullptr);
  size_t n = sym_decision_violation_count(d);
  FUZZ_CHECK(allowed ? n == 0 : n > 0);
  for (size_t i = 0; i <= n; ++i) {
    bool in = i < n;
    FUZZ_CHECK((sym_decision_violation_code(d, i) != nullptr) == in);
    FUZZ_CHECK((sym_decision_violation_message(d, i) != nullptr) == in);
    FUZZ_CHECK((sym_decision_violation_path(d, i) != nullptr) == in);
  }
  if (n > 0) FUZZ_CHECK(std::string(sym_decision_code(d)) == sym_decision_violation_code(d, 0));
  size_t w = sym_decision_warning_count(d);
  for (size_t i = 0; i <= w; ++i) {
    bool in = i < w;
    FUZZ_CHECK((sym_decision_warning_code(d, i) != nullptr) == in);
    FUZZ_CHECK((sym_decision_warning_message(d, i) != nullptr) == in);
    FUZZ_CHECK((sym_decision_warning_path(d, i) != nullptr) == in);
  }
  FUZZ_CHECK(IsJson(sym_decision_json(d)));
}

void Run(const uint8_t* data, size_t size) {
  if (size == 0) return;
  uint8_t flags = data[0];
  std::vector<std::string> part =
      Split(std::string_view(reinterpret_cast<const char*>(data + 1), size - 1));
  const std::string& policy_text = part[0];
  const std::string& doc = part[1];
  const std::string& tool = part[2];
  const std::string& cluster_docs = part[3];
  char* err = nullptr;

  sym_options_t* o = sym_options_create();
  FUZZ_CHECK(o != nullptr);
  FUZZ_CHECK(sym_options_set_mode(o, flags & 1 ? SYM_MODE_COMPAT : SYM_MODE_STRICT) == 0);
  FUZZ_CHECK(sym_options_set_mutate(o, (flags >> 1) & 1) == 0);
  FUZZ_CHECK(sym_options_set_schema_warnings(o, (flags >> 2) & 1) == 0);
  FUZZ_CHECK(sym_options_set_output(o, (flags >> 3) & 1 ? SYM_FORMAT_YAML : SYM_FORMAT_JSON) == 0);
  FUZZ_CHECK(sym_options_set_source_name(o, tool.c_str()) == 0);
  FUZZ_CHECK(sym_options_set_mode(o, 7) == -1 && sym_options_set_output(o, -1) == -1);
  int mode = sym_mode_parse(tool.c_str());
  FUZZ_CHECK(mode == -1 || mode == SYM_MODE_STRICT || mode == SYM_MODE_COMPAT);

  sym_cluster_t* c = nullptr;
  if ((flags >> 4) & 1) {
    c = sym_cluster_create();
    if (sym_cluster_add(c, "cluster.yaml", cluster_docs.data(), cluster_docs.size(), &err) != 0)
      FUZZ_CHECK(Error(&err));
  }

  sym_policy_t* p = nullptr;
  switch ((flags >> 5) & 3) {
    case 0:
      break;
    case 1:
      p = sym_policy_compile(policy_text.data(), policy_text.size(), &err);
      break;
    case 2:
      p = sym_policy_preset_opts(policy_text.c_str(), o, &err);
      break;
    default:
      p = sym_policy_compile_opts(policy_text.data(), policy_text.size(), o, c, &err);
  }
  if (((flags >> 5) & 3) != 0) FUZZ_CHECK((p == nullptr) == Error(&err));
  if (p != nullptr) CheckPolicy(p);

  sym_decision_t* d = sym_evaluate_opts(p, c, o, doc.data(), doc.size(), &err);
  FUZZ_CHECK((d == nullptr) == Error(&err));
  // Bytes that are not one document are an error, never a decision.
  if (!ReadDocument(doc).ok()) FUZZ_CHECK(d == nullptr);
  if (d != nullptr) CheckDecisionHandle(d);
  sym_decision_free(d);
  if ((flags >> 7) & 1) {
    d = sym_evaluate(p, doc.data(), doc.size(), &err);
    FUZZ_CHECK((d == nullptr) == Error(&err));
    if (d != nullptr) CheckDecisionHandle(d);
    sym_decision_free(d);
  }

  int action = sym_tool_decision(p, tool.data(), tool.size());
  FUZZ_CHECK(action == SYM_ALLOW || action == SYM_DENY || action == SYM_ASK);
  int narrowed = sym_tool_decision_run(p, doc.data(), doc.size(), tool.data(), tool.size());
  FUZZ_CHECK(narrowed >= -1 && narrowed <= SYM_ASK);
  if (action == SYM_DENY) FUZZ_CHECK(narrowed == SYM_DENY || narrowed == -1);

  sym_mutation_t* m = sym_mutate(p, c, o, doc.data(), doc.size(), &err);
  FUZZ_CHECK((m == nullptr) == Error(&err));
  if (m != nullptr) {
    FUZZ_CHECK(sym_mutation_message(m) != nullptr);
    const char* patch = sym_mutation_patch_json(m);
    FUZZ_CHECK(patch != nullptr && patch[0] == '[');
    FUZZ_CHECK(IsJson(sym_mutation_object_json(m)) && IsJson(sym_mutation_json(m)));
    FUZZ_CHECK((sym_mutation_patch_count(m) == 0) == (std::string(patch) == "[]"));
  }
  sym_mutation_free(m);

  char* rbac = sym_rbac_for_opts(p, o, cluster_docs.data(), cluster_docs.size(), doc.data(),
                                 doc.size(), &err);
  FUZZ_CHECK((rbac == nullptr) == Error(&err));
  sym_free(rbac);

  sym_policy_free(p);
  sym_cluster_free(c);
  sym_options_free(o);
}

}  // namespace
}  // namespace sympozium::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  sympozium::fuzz::Run(data, size);
  return 0;
}
