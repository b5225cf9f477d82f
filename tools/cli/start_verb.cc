// start: the controller's re-check when a Pending AgentRun starts (docs/start.md), given how many
// runs are already Running.
#include <charconv>
#include <iostream>

#include "sympozium/start.h"
#include "sympozium/strings.h"
#include "tools/cli/cli.h"
#include "tools/cli/report.h"
#include "tools/cli/verbs.h"

namespace sympozium::cli {
namespace {

// A count flag: absent means unknown (the controller's list failed).
absl::Status CountFlag(const Args& args, const std::string& flag, int64_t* count, bool* known) {
  *known = args.Has(flag);
  if (!*known) return absl::OkStatus();
  std::string text = args.Get(flag);
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), *count);
  if (error != std::errc() || end != text.data() + text.size() || *count < 0)
    return absl::InvalidArgumentError(
        StrCat("--", flag, " ", text, ": want a count of Running runs (0 or more)"));
  return absl::OkStatus();
}

constexpr Verdicts kStartVerdicts = {"MAY START", "REFUSED",
                                     "The controller reports only the first as status.error"};

}  // namespace

int Start(const std::vector<std::string>& argv) {
  auto parsed = ParseReaderArgs(argv,
                                {{"policy", true},
                                 {"preset", true},
                                 {"cluster", true, true},
                                 {"running", true},
                                 {"children", true}},
                                {"text", "json"});
  if (!parsed.ok()) return Fail(parsed.status());
  const auto& [args, mode, output, limits] = *parsed;
  StartContext context;
  if (absl::Status s =
          CountFlag(args, "running", &context.running_for_agent, &context.running_for_agent_known);
      !s.ok())
    return Fail(s);
  if (absl::Status s = CountFlag(args, "children", &context.running_children_of_parent,
                                 &context.running_children_known);
      !s.ok())
    return Fail(s);
  if (args.positional().size() != 1)
    return Fail("start needs one AgentRun file (see start --help)");
  auto holder = LoadBinding(args, mode, limits);
  if (!holder.ok()) return Fail(holder.status());
  auto docs = LoadDocuments(args.positional(), limits);
  if (!docs.ok()) return Fail(docs.status());
  if (docs->size() != 1)
    return Fail(
        StrCat(args.positional().front(), ": want one AgentRun document, found ", docs->size()));
  const Document& doc = docs->front();
  if (doc.kind() != "AgentRun")
    return Fail(StrCat(
        doc.Describe(), ": start checks an AgentRun, not ",
        doc.kind().empty() ? std::string("a document without kind") : std::string(doc.kind())));

  EvaluateOptions options;
  options.mode = mode;
  Decision d = AdmitStart(doc, (*holder)->binding, context, options);
  if (output == "json") {
    std::cout << d.ToJson() << "\n";
  } else {
    PrintDecision(std::cout, DescribeDocument(doc), d, (*holder)->label, kStartVerdicts);
  }
  return d.allowed ? kExitOk : kExitDenied;
}

}  // namespace sympozium::cli
