// admit: evaluate documents by kind and explain the decision; with
// --pod-security, evaluate pods and workloads against one Pod Security
// Standard alone.
#include <chrono>
#include <iostream>
#include <optional>

#include "sympozium/decision.h"
#include "sympozium/evaluate.h"
#include "sympozium/pod_security.h"
#include "tools/cli/ci_report.h"
#include "tools/cli/cli.h"
#include "tools/cli/report.h"
#include "tools/cli/verbs.h"

namespace sympozium::cli {
namespace {

constexpr char kNotEvaluated[] =
    "skipped: admit evaluates AgentRuns, SkillPacks, Models and pods (Pod, Job, CronJob, "
    "Deployment, StatefulSet, DaemonSet, ReplicaSet)";

// Where the decisions go, in the chosen format, and what was counted.
class AdmitReport {
 public:
  AdmitReport(std::string output, std::string label)
      : output_(std::move(output)), label_(std::move(label)) {}

  void Add(const Document& doc, const Decision& d) {
    ++(d.allowed ? allowed_ : d.result == Result::kDenied ? denied_ : errors_);
    if (ci()) {
      for (CiFinding& f : DecisionFindings(doc, d)) findings_.push_back(std::move(f));
    } else if (output_ == "json") {
      entries_.push_back(DecisionJson(doc, d));
    } else if (output_ == "junit") {
      cases_.push_back(DecisionTestCase(doc, d));
    } else {
      PrintDecision(std::cout, DescribeDocument(doc), d, label_, kAdmissionVerdicts);
    }
  }

  // A document of a kind admit does not evaluate (a Service of a manifests
  // folder, an Agent of a dump): reported and counted, not an error.
  void AddSkipped(const Document& doc) {
    ++skipped_;
    if (ci()) return;  // nothing to point at
    if (output_ == "json") {
      entries_.push_back(SkippedJson(doc));
    } else if (output_ == "junit") {
      cases_.push_back(SkippedTestCase(doc, kNotEvaluated));
    } else {
      std::cout << DescribeDocument(doc) << "\n  " << kNotEvaluated << "\n";
    }
  }

  // A file that could not be read or parsed: an error entry under its name.
  void AddUnreadable(const absl::Status& status) {
    ++errors_;
    std::string message(status.message());
    if (ci()) {
      findings_.push_back(UnreadableFinding(message));
    } else if (output_ == "json") {
      entries_.push_back(Decision::Error(400, "decode.error", message, "", Mode::kStrict).ToJson());
    } else if (output_ == "junit") {
      cases_.push_back(UnreadableTestCase(message));
    } else {
      std::cerr << "sympozium-policy: " << message << "\n";
    }
  }

  size_t evaluated() const { return allowed_ + denied_ + errors_; }
  size_t skipped() const { return skipped_; }

  // JSON: one object for one entry (as it always was), else an array. Text:
  // the counts, when there is more than one document to count.
  void Finish(double seconds) const {
    if (ci()) {
      std::cout << CiReport(output_, findings_);
    } else if (output_ == "json") {
      Json json;
      if (entries_.size() != 1) json.BeginArray();
      for (const std::string& entry : entries_) json.Raw(entry);
      if (entries_.size() != 1) json.EndArray();
      std::cout << json.str() << "\n";
    } else if (output_ == "junit") {
      std::cout << JUnitXml("sympozium-policy admit", cases_, seconds);
    } else if (evaluated() + skipped_ > 1) {
      std::cout << "admitted " << evaluated() << " documents: allowed " << allowed_ << ", denied "
                << denied_ << ", errors " << errors_ << "; skipped " << skipped_ << "\n";
    }
  }

 private:
  bool ci() const { return output_ == "sarif" || output_ == "github"; }

  std::string output_;
  std::string label_;
  std::vector<CiFinding> findings_;  // --output sarif|github
  std::vector<std::string> entries_;
  std::vector<TestCase> cases_;
  size_t allowed_ = 0, denied_ = 0, errors_ = 0, skipped_ = 0;
};

}  // namespace

int Admit(const std::vector<std::string>& argv) {
  auto start = std::chrono::steady_clock::now();
  auto parsed = ParseReaderArgs(argv,
                                {{"policy", true},
                                 {"preset", true},
                                 {"cluster", true, true},
                                 {"mutate", false},
                                 {"pod-security", true},
                                 {"allow-empty", false}},
                                {"text", "json", "junit", "sarif", "github"});
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
  for (const auto& file : *files) {
    if (!file.ok()) {
      report.AddUnreadable(file.status());
      exit_code = kExitUsage;
      continue;
    }
    for (const Document& doc : *file) {
      if (!EvaluatesKind(doc.kind())) {
        report.AddSkipped(doc);
        continue;
      }
      Decision d = standard ? EvaluatePodSecurity(doc, *standard)
                            : Evaluate(doc, (*holder)->binding, options);
      if (!d.allowed && exit_code == kExitOk) exit_code = kExitDenied;
      report.Add(doc, d);
    }
  }
  std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
  report.Finish(took.count());
  if (report.evaluated() == 0 && !args.Has("allow-empty"))
    return Fail(EmptySelection(args.positional(), report.skipped()));
  return exit_code;
}

}  // namespace sympozium::cli
