// admit: evaluate documents by kind and explain the decision; with
// --pod-security, evaluate pods and workloads against one Pod Security
// Standard alone.
#include <chrono>
#include <iostream>
#include <optional>

#include "sympozium/decision.h"
#include "sympozium/pod_security.h"
#include "tools/cli/cli.h"
#include "tools/cli/report.h"
#include "tools/cli/verbs.h"

namespace sympozium::cli {
namespace {

// Where the decisions go, in the chosen format.
class AdmitReport {
 public:
  AdmitReport(std::string output, std::string label)
      : output_(std::move(output)), label_(std::move(label)) {}

  void Add(const Document& doc, const Decision& d) {
    if (output_ == "json") {
      decisions_.push_back(d.ToJson());
    } else if (output_ == "junit") {
      cases_.push_back(DecisionTestCase(doc, d));
    } else {
      PrintDecision(std::cout, DescribeDocument(doc), d, label_, kAdmissionVerdicts);
    }
  }

  // A file that could not be read or parsed: an error entry under its name.
  void AddUnreadable(const absl::Status& status) {
    std::string message(status.message());
    if (output_ == "json") {
      decisions_.push_back(
          Decision::Error(400, "decode.error", message, "", Mode::kStrict).ToJson());
    } else if (output_ == "junit") {
      cases_.push_back(UnreadableTestCase(message));
    } else {
      std::cerr << "sympozium-policy: " << message << "\n";
    }
  }

  void Finish(double seconds) const {
    if (output_ == "json") {
      Json json;
      if (decisions_.size() != 1) json.BeginArray();
      for (const std::string& d : decisions_) json.Raw(d);
      if (decisions_.size() != 1) json.EndArray();
      std::cout << json.str() << "\n";
    } else if (output_ == "junit") {
      std::cout << JUnitXml("sympozium-policy admit", cases_, seconds);
    }
  }

 private:
  std::string output_;
  std::string label_;
  std::vector<std::string> decisions_;
  std::vector<TestCase> cases_;
};

}  // namespace

int Admit(const std::vector<std::string>& argv) {
  auto start = std::chrono::steady_clock::now();
  auto parsed = ParseReaderArgs(argv,
                                {{"policy", true},
                                 {"preset", true},
                                 {"cluster", true, true},
                                 {"mutate", false},
                                 {"pod-security", true}},
                                {"text", "json", "junit"});
  if (!parsed.ok()) return Fail(parsed.status());
  const auto& [args, mode, output, limits] = *parsed;
  if (args.positional().empty()) return Fail("admit needs a document (see admit --help)");
  std::optional<PodSecurityStandard> standard;
  if (args.Has("pod-security")) {
    if (args.Has("policy") || args.Has("preset") || args.Has("cluster") || args.Has("mutate"))
      return Fail(
          "--pod-security evaluates the standard alone: give no --policy, --preset, "
          "--cluster or --mutate with it");
    auto s = ParsePodSecurityStandard(args.Get("pod-security"));
    if (!s.ok()) return Fail(s.status());
    standard = *s;
  }
  auto holder = LoadBinding(args, mode, limits);
  if (!holder.ok()) return Fail(holder.status());
  auto files = LoadEachFile(args.positional(), limits);
  if (!files.ok()) return Fail(files.status());

  EvaluateOptions options;
  options.mode = mode;
  options.mutate_first = args.Has("mutate");
  options.schema_warnings = true;
  AdmitReport report(output,
                     standard ? "pod security standard " + standard->ToString() : (*holder)->label);
  // The exit code is the worst of all: a file that cannot be read (2) over
  // a document not allowed (1) over allowed (0).
  int exit_code = kExitOk;
  size_t entries = 0;
  for (const auto& file : *files) {
    entries += file.ok() ? file->size() : 1;
    if (!file.ok()) {
      report.AddUnreadable(file.status());
      exit_code = kExitUsage;
      continue;
    }
    for (const Document& doc : *file) {
      Decision d = standard ? EvaluatePodSecurity(doc, *standard)
                            : Evaluate(doc, (*holder)->binding, options);
      if (!d.allowed && exit_code == kExitOk) exit_code = kExitDenied;
      report.Add(doc, d);
    }
  }
  if (entries == 0) return Fail("no documents to admit");
  std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
  report.Finish(took.count());
  return exit_code;
}

}  // namespace sympozium::cli
