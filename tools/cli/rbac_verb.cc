// rbac: the RBAC objects for SkillPack sidecars and a run, as a v1 List.
#include <iostream>

#include "sympozium/decode.h"
#include "sympozium/rbac.h"
#include "sympozium/write.h"
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
  auto run = DecodeAgentRun(std::move(run_docs->front()));
  if (!run.ok()) return Fail(run.status());
  auto pack_docs = LoadDocuments(args.positional(), limits);
  if (!pack_docs.ok()) return Fail(pack_docs.status());
  std::vector<Decoded<SkillPack>> packs;
  for (Document& doc : *pack_docs) {
    auto pack = DecodeSkillPack(std::move(doc));
    if (!pack.ok()) return Fail(pack.status());
    packs.push_back(std::move(*pack));
  }
  std::vector<const SkillPack*> pointers;
  for (const auto& p : packs) pointers.push_back(&p.get());

  RbacOptions options;
  options.mode = mode;
  options.policy = (*holder)->policy.get();
  RbacResult result = RbacFor(pointers, **run, options);
  // stdout is the List alone (it pipes into kubectl); the rest is for people.
  for (const Diagnostic& w : result.warnings) std::cerr << WarningLine(w) << "\n";
  for (const Violation& v : result.violations)
    std::cerr << "denied[" << v.code << "] " << v.path << ": " << v.message << "\n";
  for (const std::string& selector : result.cleanup_selectors)
    std::cerr << "cleanup selector: " << selector
              << " (kubectl delete clusterroles,clusterrolebindings -l " << selector << ")\n";
  Arena arena;
  Value list = result.AsList(arena);
  std::cout << (output == "json" ? ToJson(list, {2}) + "\n" : ToYaml(list));
  return result.violations.empty() ? kExitOk : kExitDenied;
}

}  // namespace sympozium::cli
