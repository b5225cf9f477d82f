// An operator-style admission loop on the C++ API: load the cluster's
// policies once, evaluate many runs from worker threads, and hot-swap the
// configuration while they run, as an operator does when a SympoziumPolicy
// changes.
//
//   operator_loop CONFIG_V1 CONFIG_V2 BROKEN_CONFIG RUN...
//
// CONFIG_*: files or directories of Agent, SympoziumPolicy and SkillPack
// objects (examples/cpp/config). Workers evaluate every document of the RUN
// files repeatedly, finding each run's policy as the webhook does (its
// Agent's policyRef). Meanwhile the main thread loads BROKEN_CONFIG (refused:
// the last good set keeps serving) and then CONFIG_V2 (swapped in). A worker
// holds the set it took until its evaluation ends, so a swap never waits for
// an evaluation nor pulls a policy out from under one. Prints, per set
// generation and run, the decision; exits 1 if the same set and run ever
// gave two different answers.
#include <atomic>
#include <condition_variable>
#include <cstdio>
#include <deque>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "sympozium/evaluate.h"
#include "sympozium/json.h"
#include "sympozium/policy_store.h"

namespace {

// Admission requests waiting for a worker: indexes into the runs.
class Queue {
 public:
  void Push(size_t run) {
    std::lock_guard<std::mutex> lock(mu_);
    items_.push_back(run);
    ready_.notify_one();
  }
  void Close() {
    std::lock_guard<std::mutex> lock(mu_);
    closed_ = true;
    ready_.notify_all();
  }
  // False once closed and drained.
  bool Pop(size_t* run) {
    std::unique_lock<std::mutex> lock(mu_);
    ready_.wait(lock, [&] { return closed_ || !items_.empty(); });
    if (items_.empty()) return false;
    *run = items_.front();
    items_.pop_front();
    return true;
  }

 private:
  std::mutex mu_;
  std::condition_variable ready_;
  std::deque<size_t> items_;
  bool closed_ = false;
};

std::string Verdict(const sympozium::Decision& d) {
  if (d.allowed) return "ALLOWED";
  return std::string(d.result == sympozium::Result::kDenied ? "DENIED " : "ERROR ") +
         std::string(d.code);
}

int Fail(const absl::Status& status) {
  std::fprintf(stderr, "operator_loop: %s\n", std::string(status.message()).c_str());
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 5) {
    std::fprintf(stderr, "usage: operator_loop CONFIG_V1 CONFIG_V2 BROKEN_CONFIG RUN...\n");
    return 2;
  }
  // The admission requests: every document of the RUN files, as the JSON
  // body an API server would send.
  std::vector<std::string> names;
  std::vector<std::string> runs;
  for (int i = 4; i < argc; ++i) {
    absl::StatusOr<std::string> text = sympozium::ReadFile(argv[i]);
    if (!text.ok()) return Fail(text.status());
    auto docs = sympozium::ReadDocuments(*text, {sympozium::Format::kAuto, argv[i]});
    if (!docs.ok()) return Fail(docs.status());
    for (const sympozium::Document& doc : *docs) {
      names.push_back(std::string(doc.kind()) + " " + std::string(doc.namespace_()) + "/" +
                      std::string(doc.name()));
      runs.push_back(sympozium::ToJson(doc));
    }
  }

  // Loaded and compiled once; every evaluation reads the current set.
  auto initial = sympozium::LoadPolicySet({argv[1]});
  if (!initial.ok()) return Fail(initial.status());
  sympozium::PolicyStore store(*std::move(initial));

  // (generation, run) -> every verdict seen for it.
  std::mutex results_mu;
  std::map<std::pair<uint64_t, size_t>, std::map<std::string, int>> results;
  std::atomic<size_t> done{0};
  Queue queue;
  std::vector<std::thread> workers;
  for (int w = 0; w < 4; ++w) {
    workers.emplace_back([&] {
      size_t run;
      while (queue.Pop(&run)) {
        sympozium::PolicySetPtr set = store.Current();
        sympozium::Decision d =
            sympozium::Evaluate(runs[run], sympozium::Binding::Lookup(&set->cluster));
        std::lock_guard<std::mutex> lock(results_mu);
        ++results[{set->generation, run}][Verdict(d)];
        ++done;
      }
    });
  }

  constexpr int kRounds = 100;
  auto enqueue = [&] {
    for (int round = 0; round < kRounds; ++round)
      for (size_t run = 0; run < runs.size(); ++run) queue.Push(run);
  };
  enqueue();
  // Let the first set serve a few requests.
  while (done < runs.size()) std::this_thread::yield();
  // A configuration that does not load is refused as a whole.
  if (auto broken = sympozium::LoadPolicySet({argv[3]}); !broken.ok())
    std::printf("rejected update: %s\n", std::string(broken.status().message()).c_str());
  // The real update, swapped in while the workers are busy.
  auto next = sympozium::LoadPolicySet({argv[2]});
  if (!next.ok()) return Fail(next.status());
  store.Swap(*std::move(next));
  enqueue();
  queue.Close();
  for (std::thread& t : workers) t.join();

  std::printf("now serving generation %llu (%s)\n",
              static_cast<unsigned long long>(store.generation()),
              store.Current()->sources.front().c_str());
  bool consistent = true;
  int evaluated = 0;
  for (const auto& [key, verdicts] : results) {
    for (const auto& [verdict, count] : verdicts) {
      evaluated += count;
      std::printf("generation %llu  %-40s %s\n", static_cast<unsigned long long>(key.first),
                  names[key.second].c_str(), verdict.c_str());
    }
    consistent = consistent && verdicts.size() == 1;
  }
  std::printf("%d evaluations on %zu workers: %s\n", evaluated, workers.size(),
              consistent ? "consistent" : "INCONSISTENT");
  return consistent && evaluated == 2 * kRounds * static_cast<int>(runs.size()) ? 0 : 1;
}
