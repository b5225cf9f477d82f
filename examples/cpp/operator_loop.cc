// An operator-style admission loop on the C++ API: compile the policy once,
// evaluate many runs from worker threads, and hot-swap the policy while they
// run, as an operator does when its SympoziumPolicy changes.
//
//   operator_loop POLICY_V1 POLICY_V2 RUN...
//
// Workers evaluate every RUN repeatedly under the current policy. Meanwhile
// the main thread offers a broken update (rejected: the old policy keeps
// serving) and then POLICY_V2 (swapped in). Each evaluation holds its own
// reference to the policy it started with, so a swap never waits for, or
// pulls the policy out from under, an evaluation in flight. Prints, per
// policy generation and run, the decision; exits 1 if the same policy and run
// ever gave two different answers.
#include <atomic>
#include <condition_variable>
#include <cstdio>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <tuple>
#include <utility>
#include <vector>

#include "sympozium/evaluate.h"
#include "sympozium/policy.h"
#include "sympozium/write.h"

namespace {

// The policy every worker reads. Readers copy the shared_ptr under the lock
// (a few nanoseconds) and evaluate without it.
class PolicyStore {
 public:
  struct Snapshot {
    sympozium::PolicyPtr policy;
    int generation = 0;
    std::string source;
  };

  std::shared_ptr<const Snapshot> Current() const {
    std::lock_guard<std::mutex> lock(mu_);
    return current_;
  }

  // Compiles `yaml` and swaps it in; a policy that does not compile is
  // reported and the current one keeps serving.
  absl::Status Update(const std::string& yaml, const std::string& source) {
    absl::StatusOr<sympozium::PolicyPtr> compiled = sympozium::CompilePolicy(yaml, {}, source);
    if (!compiled.ok()) return compiled.status();
    std::lock_guard<std::mutex> lock(mu_);
    int generation = current_ ? current_->generation + 1 : 1;
    current_ = std::make_shared<const Snapshot>(Snapshot{*compiled, generation, source});
    return absl::OkStatus();
  }

 private:
  mutable std::mutex mu_;
  std::shared_ptr<const Snapshot> current_;
};

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

}  // namespace

int main(int argc, char** argv) {
  if (argc < 4) {
    std::fprintf(stderr, "usage: operator_loop POLICY_V1 POLICY_V2 RUN...\n");
    return 2;
  }
  // The admission requests: every document of the RUN files, as the JSON
  // body an API server would send.
  std::vector<std::string> names;
  std::vector<std::string> runs;
  for (int i = 3; i < argc; ++i) {
    absl::StatusOr<std::string> text = sympozium::ReadFile(argv[i]);
    absl::StatusOr<std::vector<sympozium::Document>> docs =
        text.ok() ? sympozium::ReadDocuments(*text, {sympozium::Format::kAuto, argv[i]})
                  : text.status();
    if (!docs.ok()) {
      std::fprintf(stderr, "operator_loop: %s\n", std::string(docs.status().message()).c_str());
      return 2;
    }
    for (const sympozium::Document& doc : *docs) {
      names.push_back(std::string(doc.kind()) + " " + std::string(doc.namespace_()) + "/" +
                      std::string(doc.name()));
      runs.push_back(sympozium::ToJson(doc.root()));
    }
  }
  auto load = [](const char* path) { return sympozium::ReadFile(path); };
  absl::StatusOr<std::string> v1 = load(argv[1]);
  absl::StatusOr<std::string> v2 = load(argv[2]);
  if (!v1.ok() || !v2.ok()) {
    std::fprintf(stderr, "operator_loop: cannot read the policies\n");
    return 2;
  }

  PolicyStore store;
  if (absl::Status s = store.Update(*v1, argv[1]); !s.ok()) {
    std::fprintf(stderr, "operator_loop: %s\n", std::string(s.message()).c_str());
    return 2;
  }

  // (generation, run) -> every verdict seen for it.
  std::mutex results_mu;
  std::map<std::pair<int, size_t>, std::map<std::string, int>> results;
  std::atomic<size_t> done{0};
  Queue queue;
  std::vector<std::thread> workers;
  for (int w = 0; w < 4; ++w) {
    workers.emplace_back([&] {
      size_t run;
      while (queue.Pop(&run)) {
        std::shared_ptr<const PolicyStore::Snapshot> snapshot = store.Current();
        sympozium::Decision d =
            sympozium::Evaluate(runs[run], sympozium::Binding::Direct(snapshot->policy.get()));
        std::lock_guard<std::mutex> lock(results_mu);
        ++results[{snapshot->generation, run}][Verdict(d)];
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
  // Let generation 1 serve a few requests first.
  while (done < runs.size()) std::this_thread::yield();
  // An update that does not compile: rejected, generation 1 keeps serving.
  if (absl::Status s = store.Update("kind: SympoziumPolicy\nspec: [", "broken-update.yaml");
      !s.ok())
    std::printf("rejected update: %s\n", std::string(s.message()).c_str());
  // The real update, swapped in while workers are busy.
  if (absl::Status s = store.Update(*v2, argv[2]); !s.ok()) {
    std::fprintf(stderr, "operator_loop: %s\n", std::string(s.message()).c_str());
    return 2;
  }
  enqueue();
  queue.Close();
  for (std::thread& t : workers) t.join();

  std::printf("now serving generation %d (%s)\n", store.Current()->generation,
              store.Current()->source.c_str());
  bool consistent = true;
  int evaluated = 0;
  for (const auto& [key, verdicts] : results) {
    for (const auto& [verdict, count] : verdicts) {
      evaluated += count;
      std::printf("generation %d  %-40s %s\n", key.first, names[key.second].c_str(),
                  verdict.c_str());
    }
    consistent = consistent && verdicts.size() == 1;
  }
  std::printf("%d evaluations on %zu workers: %s\n", evaluated, workers.size(),
              consistent ? "consistent" : "INCONSISTENT");
  return consistent && evaluated == 2 * kRounds * static_cast<int>(runs.size()) ? 0 : 1;
}
