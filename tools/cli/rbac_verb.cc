// rbac: the RBAC objects for SkillPack sidecars and a run, as a v1 List.
#include <iostream>

#include "sympozium/json.h"
#include "sympozium/rbac.h"
#include "tools/cli/cli.h"
#include "tools/cli/report.h"
#include "tools/cli/verbs.h"

namespace sympozium::cli {

int Rbac(const std::vector<std::string>& argv) {
  auto parsed =
      ParseReaderArgs(argv, {{"policy", true}, {"preset", true}, {"run", true}}, {"yaml", "json"});
  if (!parsed.ok()) return Fail(parsed.status());
  const auto& [args, mode, output, limits] = *parsed;
  if (!args.Has("run")) return Fail("rbac needs --run RUN");
  auto holder = LoadBinding(args, mode, limits);
  if (!holder.ok()) return Fail(holder.status());
  auto run_docs = LoadDocuments({args.Get("run")}, limits);
  if (!run_docs.ok()) return Fail(run_docs.status());
  if (run_docs->size() != 1) return Fail("--run needs a file with one AgentRun");
  auto packs = LoadDocuments(args.positional(), limits);
  if (!packs.ok()) return Fail(packs.status());

  RbacOptions options;
  options.mode = mode;
  options.policy = (*holder)->policy.get();
  absl::StatusOr<RbacResult> rbac = RbacFor(*packs, run_docs->front(), options);
  if (!rbac.ok()) return Fail(rbac.status());
  const RbacResult& result = *rbac;
  // stdout is the List alone (it pipes into kubectl); the rest is for people.
  for (const Diagnostic& w : result.warnings) std::cerr << WarningLine(w) << "\n";
  for (const Violation& v : result.violations)
    std::cerr << "denied[" << v.code << "] " << v.path << ": " << v.message << "\n";
  for (const std::string& selector : result.cleanup_selectors)
    std::cerr << "cleanup selector: " << selector
              << " (kubectl delete clusterroles,clusterrolebindings -l " << selector << ")\n";
  Document list = result.AsList();
  std::cout << (output == "json" ? ToJson(list, 2) + "\n" : ToYaml(list));
  return result.violations.empty() ? kExitOk : kExitDenied;
}

}  // namespace sympozium::cli
