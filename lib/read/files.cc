// Reading many files: directory expansion and parallel reads (the CLI's
// inputs, a webhook's config directory).
#include <algorithm>
#include <atomic>
#include <filesystem>
#include <thread>

#include "lib/read/document.h"
#include "sympozium/strings.h"

namespace sympozium {
namespace {

bool IsDocumentFile(const std::filesystem::path& p) {
  std::string ext = p.extension().string();
  return ext == ".yaml" || ext == ".yml" || ext == ".json";
}

bool IsHidden(const std::filesystem::path& p) { return p.filename().string().rfind('.', 0) == 0; }

}  // namespace

absl::StatusOr<std::vector<std::string>> ExpandDocumentPaths(
    const std::vector<std::string>& paths) {
  namespace fs = std::filesystem;
  std::vector<std::string> files;
  for (const std::string& path : paths) {
    std::error_code ec;
    if (path == "-" || !fs::is_directory(path, ec)) {
      files.push_back(path);
      continue;
    }
    std::vector<std::string> found;
    for (auto it = fs::recursive_directory_iterator(path, ec); !ec && it != fs::end(it);
         it.increment(ec)) {
      if (IsHidden(it->path())) {
        if (it->is_directory(ec)) it.disable_recursion_pending();
        continue;
      }
      if (it->is_regular_file(ec) && IsDocumentFile(it->path()))
        found.push_back(it->path().string());
    }
    if (ec) return absl::NotFoundError(StrCat(path, ": ", ec.message()));
    std::sort(found.begin(), found.end());
    files.insert(files.end(), found.begin(), found.end());
  }
  return files;
}

std::vector<absl::StatusOr<std::vector<Document>>> ReadEachDocumentFile(
    const std::vector<std::string>& files, const ReadOptions& options, unsigned threads) {
  std::vector<absl::StatusOr<std::vector<Document>>> results(files.size());
  auto read_one = [&](size_t i) {
    absl::StatusOr<std::string> text = ReadFile(files[i], options.limits);
    if (!text.ok()) {
      results[i] = text.status();
      return;
    }
    ReadOptions file_options = options;
    file_options.source_name = files[i] == "-" ? "<stdin>" : files[i];
    results[i] = ReadDocuments(*text, file_options);
  };
  if (threads == 0) threads = std::max(1u, std::thread::hardware_concurrency());
  threads = static_cast<unsigned>(std::min<size_t>(threads, files.size()));
  if (threads <= 1) {
    for (size_t i = 0; i < files.size(); ++i) read_one(i);
  } else {
    std::atomic<size_t> next{0};
    std::vector<std::thread> workers;
    for (unsigned t = 0; t < threads; ++t)
      workers.emplace_back([&] {
        for (size_t i = next++; i < files.size(); i = next++) read_one(i);
      });
    for (std::thread& w : workers) w.join();
  }
  return results;
}

absl::StatusOr<std::vector<Document>> ReadDocumentFiles(const std::vector<std::string>& files,
                                                        const ReadOptions& options,
                                                        unsigned threads) {
  std::vector<Document> docs;
  for (auto& result : ReadEachDocumentFile(files, options, threads)) {
    if (!result.ok()) return result.status();
    for (Document& d : *result) docs.push_back(std::move(d));
  }
  return docs;
}

}  // namespace sympozium
