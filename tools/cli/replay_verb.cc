// replay: evaluate many AgentRuns and pods (a cluster dump, a directory of
// manifests) under a new policy and count what would be admitted or denied;
// with --baseline, which decisions change. The policies are compiled once and
// the documents are evaluated on one worker per core (--jobs), each result in
// its own slot, then counted and printed in input order, so the output does
// not depend on the number of workers.
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <functional>
#include <iostream>
#include <map>
#include <optional>
#include <thread>

#include "sympozium/strings.h"
#include "tools/cli/ci_report.h"
#include "tools/cli/cli.h"
#include "tools/cli/report.h"
#include "tools/cli/verbs.h"

namespace sympozium::cli {
namespace {

// Text output lists this many documents per group; JSON lists them all.
constexpr size_t kTextExamples = 20;
// A progress bar appears on a terminal above this many documents.
constexpr size_t kProgressThreshold = 300;

// What replay keeps of a decision.
struct Outcome {
  Result result = Result::kError;
  std::string_view code;  // static storage
  std::string message;

  static Outcome Of(const Decision& d) { return {d.result, d.code, d.message}; }
  bool allowed() const { return result == Result::kAllowed; }
};

enum class Change { kNone, kNewlyDenied, kNewlyAllowed, kReasonChanged };

std::string_view ChangeName(Change c) {
  switch (c) {
    case Change::kNewlyDenied:
      return "newly_denied";
    case Change::kNewlyAllowed:
      return "newly_allowed";
    case Change::kReasonChanged:
      return "reason_changed";
    case Change::kNone:
      break;
  }
  return "";
}

Change Classify(const Outcome& baseline, const Outcome& now) {
  if (baseline.allowed() != now.allowed())
    return now.allowed() ? Change::kNewlyAllowed : Change::kNewlyDenied;
  if (!now.allowed() && (baseline.result != now.result || baseline.code != now.code))
    return Change::kReasonChanged;
  return Change::kNone;
}

struct Replayed {
  const Document* doc;
  Outcome now;
  std::optional<Outcome> baseline;
  Change change = Change::kNone;
};

// Counts by result and by reason code.
struct Tally {
  size_t allowed = 0, denied = 0, errors = 0;
  std::map<std::string_view, size_t> codes;

  void Add(const Outcome& o) {
    ++(o.allowed() ? allowed : o.result == Result::kDenied ? denied : errors);
    if (!o.allowed()) ++codes[o.code];
  }
  // "tool.denied 12, sandbox.required 3", most frequent first.
  std::string Codes() const {
    std::vector<std::pair<std::string_view, size_t>> sorted(codes.begin(), codes.end());
    std::stable_sort(sorted.begin(), sorted.end(),
                     [](const auto& a, const auto& b) { return a.second > b.second; });
    std::string out;
    for (const auto& [code, n] : sorted) StrAppend(&out, out.empty() ? "" : ", ", code, " ", n);
    return out;
  }
  void ToJson(Json& json) const {
    json.Field("allowed", allowed).Field("denied", denied).Field("errors", errors);
    json.Key("codes").BeginObject();
    for (const auto& [code, n] : codes) json.Field(code, n);
    json.EndObject();
  }
};

// A bar on stderr, redrawn when it grows; cleared when done.
class ProgressBar {
 public:
  static constexpr int kWidth = 40;
  explicit ProgressBar(size_t total)
      : total_(total), enabled_(total > kProgressThreshold && isatty(STDERR_FILENO)) {}
  ~ProgressBar() {
    if (enabled_) std::fprintf(stderr, "\r%*s\r", kWidth + 40, "");
  }
  void Update(size_t done) {
    if (!enabled_) return;
    int filled = static_cast<int>(done * kWidth / total_);
    if (filled == drawn_ && done != total_) return;
    drawn_ = filled;
    std::string bar(filled, '#');
    bar.resize(kWidth, '.');
    std::fprintf(stderr, "\rreplay [%s] %zu/%zu", bar.c_str(), done, total_);
    std::fflush(stderr);
  }

 private:
  size_t total_;
  bool enabled_;
  int drawn_ = -1;
};

void PrintExamples(const std::vector<Replayed>& results, std::string_view title,
                   const std::function<bool(const Replayed&)>& pick) {
  size_t n = std::count_if(results.begin(), results.end(), pick);
  if (n == 0) return;
  std::cout << "\n" << title << " (" << n << "):\n";
  size_t shown = 0;
  for (const Replayed& r : results) {
    if (!pick(r)) continue;
    if (shown++ == kTextExamples) {
      std::cout << "  ... and " << n - kTextExamples << " more (--output json lists every one)\n";
      break;
    }
    std::cout << "  " << DescribeDocument(*r.doc) << "\n    ";
    if (r.baseline && !r.baseline->allowed()) {
      std::cout << "was [" << r.baseline->code << "] " << r.baseline->message << "\n    ";
      std::cout << (r.now.allowed() ? "now allowed: " : "now ");
    }
    if (!r.now.allowed()) std::cout << "[" << r.now.code << "] ";
    std::cout << r.now.message << "\n";
  }
}

// What the workers compute for one document, in its slot.
struct Evaluated {
  bool skipped = false;  // a kind Evaluate does not decide
  Replayed replayed{nullptr, {}, std::nullopt};
  std::optional<TestCase> test_case;  // for --output junit
  std::vector<CiFinding> findings;    // for --output sarif|github
};

Evaluated EvaluateOne(const Document& doc, const Binding& binding,
                      const std::optional<Binding>& baseline, const EvaluateOptions& options,
                      const std::string& output) {
  Evaluated e;
  if (!EvaluatesKind(doc.kind())) {  // Agents, policies, ConfigMaps of a dump
    e.skipped = true;
    return e;
  }
  Decision d = Evaluate(doc, binding, options);
  e.replayed = {&doc, Outcome::Of(d), std::nullopt};
  if (baseline) {
    e.replayed.baseline = Outcome::Of(Evaluate(doc, *baseline, options));
    e.replayed.change = Classify(*e.replayed.baseline, e.replayed.now);
  }
  if (output == "junit") e.test_case = DecisionTestCase(doc, d);
  // With a baseline only what the new policy newly denies is pointed at.
  bool newly_denied = e.replayed.change == Change::kNewlyDenied;
  if ((output == "sarif" || output == "github") && (!baseline || newly_denied))
    e.findings = DecisionFindings(doc, d);
  return e;
}

// Documents are handed out in chunks of this many: one atomic step and one
// progress update per chunk rather than per document, and neighbouring
// slots are written by the same worker, so the workers do not fight over
// counters or cache lines. Small enough that the last chunks even out the
// workers' finishing times.
constexpr size_t kChunk = 128;

size_t ChunkCount(size_t documents) { return (documents + kChunk - 1) / kChunk; }

// Runs `work(chunk, begin, end)` over the chunks of `documents` documents on
// `jobs` threads (this one among them, drawing the progress bar). Each call
// must write only what belongs to its own chunk.
void ForEachChunk(size_t documents, unsigned jobs,
                  const std::function<void(size_t, size_t, size_t)>& work) {
  const size_t chunks = ChunkCount(documents);
  std::atomic<size_t> next{0}, done{0};
  auto worker = [&](ProgressBar* progress) {
    for (size_t c = next++; c < chunks; c = next++) {
      size_t begin = c * kChunk;
      size_t end = std::min(documents, begin + kChunk);
      work(c, begin, end);
      size_t finished = done += end - begin;
      if (progress != nullptr) progress->Update(finished);
    }
  };
  ProgressBar progress(documents);
  std::vector<std::thread> workers;
  for (size_t t = 1; t < std::min<size_t>(jobs, chunks); ++t) workers.emplace_back(worker, nullptr);
  worker(&progress);
  for (std::thread& w : workers) w.join();
  progress.Update(documents);
}

void OutcomeJson(Json& json, const Outcome& o) {
  json.Field("result", ResultName(o.result)).Field("code", o.code).Field("message", o.message);
}

// One element of the JSON "results" array.
void ResultJson(Json& json, const Replayed& r) {
  json.BeginObject().Field("document", r.doc->Describe()).Field("object", ObjectName(*r.doc));
  SourceFields(json, *r.doc);
  OutcomeJson(json, r.now);
  if (r.baseline) {
    json.Key("baseline").BeginObject();
    OutcomeJson(json, *r.baseline);
    json.EndObject().Field("change", ChangeName(r.change));
  }
  json.EndObject();
}

// The JSON results of evaluated[begin, end) (skipped documents have none),
// joined by commas: a run of "results" elements the main thread splices in.
std::string ResultsJson(const std::vector<Evaluated>& evaluated, size_t begin, size_t end) {
  Json json;
  json.BeginArray();
  for (size_t i = begin; i < end; ++i)
    if (!evaluated[i].skipped) ResultJson(json, evaluated[i].replayed);
  json.EndArray();
  const std::string& array = json.str();
  return array.substr(1, array.size() - 2);
}

// --jobs N (0 or absent: one per core).
absl::StatusOr<unsigned> JobsFlag(const Args& args) {
  unsigned jobs = 0;
  if (args.Has("jobs")) {
    const std::string& text = args.Get("jobs");
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), jobs);
    if (ec != std::errc() || end != text.data() + text.size() || jobs > 1024)
      return absl::InvalidArgumentError(
          StrCat("--jobs takes a number of workers (0 to 1024), not \"", text, "\""));
  }
  return jobs != 0 ? jobs : std::max(1u, std::thread::hardware_concurrency());
}

void PrintCounts(std::string_view label, const Tally& t) {
  std::cout << "  " << label << ": allowed " << t.allowed << ", denied " << t.denied << ", errors "
            << t.errors << "\n";
  if (!t.codes.empty()) std::cout << "    reasons: " << t.Codes() << "\n";
}

}  // namespace

int Replay(const std::vector<std::string>& argv) {
  auto start = std::chrono::steady_clock::now();
  auto parsed = ParseReaderArgs(argv,
                                {{"policy", true},
                                 {"preset", true},
                                 {"cluster", true, true},
                                 {"baseline", true},
                                 {"jobs", true},
                                 {"allow-empty", false}},
                                {"text", "json", "junit", "sarif", "github"});
  if (!parsed.ok()) return Fail(parsed.status());
  const auto& [args, mode, output, limits] = *parsed;
  if (!args.Has("policy") && !args.Has("preset") && !args.Has("cluster"))
    return Fail("replay needs the new policy: --policy, --preset or --cluster (see replay --help)");
  if (args.positional().empty()) return Fail("replay needs RUN files or directories");
  auto holder = LoadBinding(args, mode, limits);
  if (!holder.ok()) return Fail(holder.status());
  std::optional<LoadedPolicy> baseline;
  if (args.Has("baseline")) {
    auto loaded = LoadPolicyOperand(args.Get("baseline"), mode, limits);
    if (!loaded.ok()) return Fail(loaded.status());
    baseline = std::move(*loaded);
  }
  absl::StatusOr<unsigned> jobs = JobsFlag(args);
  if (!jobs.ok()) return Fail(jobs.status());
  auto files = LoadEachFile(args.positional(), limits, *jobs);
  if (!files.ok()) return Fail(files.status());
  // A file that cannot be read or parsed is reported (file:line) and counted
  // as an error; the others are still replayed. The documents stay in
  // `files`: the workers reach them through these pointers, in input order.
  std::vector<const Document*> documents;
  std::vector<std::string> unreadable;
  for (const auto& file : *files) {
    if (!file.ok()) {
      unreadable.emplace_back(file.status().message());
      continue;
    }
    for (const Document& d : *file) documents.push_back(&d);
  }

  const Cluster* cluster = (*holder)->have_cluster ? &(*holder)->cluster : nullptr;
  std::optional<Binding> baseline_binding;
  if (baseline) baseline_binding = Binding::Direct(baseline->policy.get(), cluster);
  EvaluateOptions options;
  options.mode = mode;
  const bool junit = output == "junit";
  // The workers evaluate and, for JSON, also write each chunk's results, so
  // the main thread is left only counting and splicing them in order.
  std::vector<Evaluated> evaluated(documents.size());
  std::vector<std::string> results_json(output == "json" ? ChunkCount(documents.size()) : 0);
  ForEachChunk(documents.size(), *jobs, [&](size_t chunk, size_t begin, size_t end) {
    for (size_t i = begin; i < end; ++i)
      evaluated[i] =
          EvaluateOne(*documents[i], (*holder)->binding, baseline_binding, options, output);
    if (!results_json.empty()) results_json[chunk] = ResultsJson(evaluated, begin, end);
  });

  // Counted in input order, as one worker would.
  std::vector<Replayed> results;
  results.reserve(documents.size());
  std::vector<TestCase> cases;
  std::vector<CiFinding> findings;
  Tally now_tally, baseline_tally;
  size_t changes[4] = {0, 0, 0, 0};
  size_t skipped = 0;
  for (Evaluated& e : evaluated) {
    if (e.skipped) {
      ++skipped;
      continue;
    }
    Replayed& r = e.replayed;
    now_tally.Add(r.now);
    if (baseline) {
      baseline_tally.Add(*r.baseline);
      ++changes[static_cast<int>(r.change)];
    }
    if (junit) {
      TestCase c = std::move(*e.test_case);
      // With a baseline a test case fails only for what the new policy
      // breaks; a document the baseline denies too is skipped.
      if (baseline && !r.now.allowed() && !r.baseline->allowed()) {
        c.outcome = TestCase::Outcome::kSkipped;
        c.message =
            StrCat("denied under the baseline too [", r.baseline->code, "]: ", r.baseline->message);
      }
      cases.push_back(std::move(c));
    }
    for (CiFinding& f : e.findings) findings.push_back(std::move(f));
    results.push_back(std::move(r));
  }
  for (const std::string& message : unreadable) {
    now_tally.Add({Result::kError, "decode.error", message});
    findings.push_back(UnreadableFinding(message));
    if (junit) {
      cases.push_back(UnreadableTestCase(message));
    } else if (output == "text") {
      std::cerr << "sympozium-policy: " << message << "\n";
    }
  }
  std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;

  bool failed = baseline ? changes[static_cast<int>(Change::kNewlyDenied)] > 0
                         : now_tally.denied + now_tally.errors > 0;
  if (junit) {
    std::cout << JUnitXml("sympozium-policy replay", cases, took.count());
  } else if (output == "sarif" || output == "github") {
    std::cout << CiReport(output, findings);
  } else if (output == "json") {
    Json json;
    json.BeginObject().Field("policy", (*holder)->label).Key("baseline");
    if (baseline) {
      json.String(baseline->label);
    } else {
      json.Null();
    }
    json.Field("mode", ModeName(mode)).Field("documents", results.size());
    now_tally.ToJson(json);
    json.Field("skipped", skipped);
    if (baseline) {
      json.Key("baseline_counts").BeginObject();
      baseline_tally.ToJson(json);
      json.EndObject().Key("changes").BeginObject();
      for (Change c : {Change::kNewlyDenied, Change::kNewlyAllowed, Change::kReasonChanged})
        json.Field(ChangeName(c), changes[static_cast<int>(c)]);
      json.EndObject();
    }
    json.Key("results").BeginArray();
    // Raw() puts the comma before each run; a run without results adds none.
    // Each is written out as it is added: the report of 100,000 runs is
    // tens of MB, which one string would copy and grow again and again.
    for (const std::string& run : results_json) {
      if (run.empty()) continue;
      json.Raw(run);
      json.FlushTo(std::cout);
    }
    for (const std::string& message : unreadable) {
      json.BeginObject()
          .Field("document", message.substr(0, message.find(':')))
          .Key("object")
          .Null();
      OutcomeJson(json, {Result::kError, "decode.error", message});
      json.EndObject();
    }
    json.EndArray().EndObject();
    json.FlushTo(std::cout);
    std::cout << "\n";
  } else {
    char seconds[32];
    std::snprintf(seconds, sizeof seconds, "%.2f", took.count());
    std::cout << "replayed " << results.size() << " documents in " << seconds << " s ("
              << ModeName(mode) << " mode)";
    if (skipped > 0)
      std::cout << "; skipped " << skipped << " that are not runs, SkillPacks or pods";
    std::cout << "\n";
    PrintCounts((*holder)->label, now_tally);
    if (baseline) {
      PrintCounts(StrCat("baseline ", baseline->label), baseline_tally);
      std::cout << "  changes: " << changes[static_cast<int>(Change::kNewlyDenied)]
                << " newly denied, " << changes[static_cast<int>(Change::kNewlyAllowed)]
                << " newly allowed, " << changes[static_cast<int>(Change::kReasonChanged)]
                << " denied for another reason\n";
      for (Change c : {Change::kNewlyDenied, Change::kNewlyAllowed, Change::kReasonChanged}) {
        std::string_view title = c == Change::kNewlyDenied    ? "Newly denied"
                                 : c == Change::kNewlyAllowed ? "Newly allowed"
                                                              : "Denied for another reason";
        PrintExamples(results, title, [c](const Replayed& r) { return r.change == c; });
      }
    } else {
      PrintExamples(results, "Not admitted", [](const Replayed& r) { return !r.now.allowed(); });
    }
  }
  if (!unreadable.empty()) return kExitUsage;  // the worst: some input could not be read
  if (results.empty() && !args.Has("allow-empty"))
    return Fail(EmptySelection(args.positional(), skipped));
  return failed ? kExitDenied : kExitOk;
}

}  // namespace sympozium::cli
