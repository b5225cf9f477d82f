#include "tools/webhook/kube/reflector.h"

#include <algorithm>
#include <initializer_list>
#include <utility>
#include <vector>

#include "sympozium/strings.h"

namespace sympozium::webhook::kube {
namespace {

constexpr char kApiPrefix[] = "/apis/sympozium.ai/v1alpha1/";

int64_t NowNs() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

// The message of a metav1.Status body, or the body's start.
std::string StatusMessage(const std::string& body) {
  ReadOptions read;
  read.format = Format::kJson;
  absl::StatusOr<Document> doc = ReadDocument(body, read);
  std::string_view message = doc.ok() ? doc->TextAt("message") : "";
  return std::string(message.empty() ? std::string_view(body).substr(0, 200) : message);
}

}  // namespace

Reflector::Reflector(ApiClient* client, Resource resource, ClusterStore* store,
                     ReflectorOptions options, Logger log, std::function<void()> on_change)
    : client_(client),
      resource_(std::move(resource)),
      store_(store),
      options_(options),
      log_(std::move(log)),
      on_change_(std::move(on_change)),
      jitter_(std::random_device{}()) {}

Reflector::~Reflector() { Stop(); }

void Reflector::Start() {
  thread_ = std::thread([this] { Run(); });
}

void Reflector::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

double Reflector::SecondsSinceLastEvent() const {
  int64_t last = last_event_ns_.load();
  return last == 0 ? -1 : static_cast<double>(NowNs() - last) / 1e9;
}

void Reflector::Touch() { last_event_ns_ = NowNs(); }

std::string Reflector::CollectionPath() const {
  return resource_.ns.empty()
             ? StrCat(kApiPrefix, resource_.plural)
             : StrCat(kApiPrefix, "namespaces/", resource_.ns, "/", resource_.plural);
}

std::string Reflector::Describe() const {
  return resource_.ns.empty() ? resource_.plural : StrCat(resource_.plural, " in ", resource_.ns);
}

void Reflector::Run() {
  while (!stop_) {
    if (absl::Status listed = List(); !listed.ok()) {
      log_(StrCat("list ", Describe(), ": ", listed.message()));
      if (!Backoff()) return;
      continue;
    }
    ResetBackoff();
    for (;;) {
      WatchEnd end = Watch();
      if (stop_) return;
      // A relist waits too: a server that answers every watch with 410
      // must not be relisted in a tight loop.
      if (end == WatchEnd::kRelist) {
        if (!Backoff()) return;
        break;
      }
      ++watch_restarts_;
      if (end == WatchEnd::kFailed && !Backoff()) return;
    }
  }
}

absl::Status Reflector::List() {
  std::vector<Document> docs;
  std::string next, version;
  ReadOptions read;
  read.format = Format::kJson;
  read.limits.max_bytes = options_.max_bytes;
  read.expand_lists = false;  // the list's resourceVersion and continue are needed
  do {
    std::string target = StrCat(CollectionPath(), "?limit=", options_.page_size);
    if (!next.empty()) StrAppend(&target, "&continue=", ApiClient::Escape(next));
    absl::StatusOr<ApiClient::Response> page = client_->Get(target, options_.max_bytes, stop_);
    if (!page.ok()) return page.status();
    if (page->status == 410 && !next.empty()) {  // the continue token expired: start over
      docs.clear();
      next.clear();
      continue;
    }
    if (page->status != 200)
      return absl::UnavailableError(StrCat("HTTP ", page->status, ": ", StatusMessage(page->body)));
    read.source_name = StrCat(Describe(), " list");
    absl::StatusOr<Document> list = ReadDocument(page->body, read);
    if (!list.ok()) return list.status();
    // The API server may leave the list's items without apiVersion and
    // kind, which the list implies.
    for (Document& item : ListItems(*list)) {
      item.set_source_name(StrCat(resource_.plural, " ", item.namespace_(), "/", item.name()));
      docs.push_back(std::move(item));
    }
    version = std::string(list->TextAt("metadata.resourceVersion"));
    next = std::string(list->TextAt("metadata.continue"));
  } while (!next.empty() && !stop_);
  if (stop_) return absl::CancelledError("stopping");
  absl::Status replaced = store_->Replace(resource_.kind, resource_.ns, std::move(docs));
  if (!replaced.ok() && !IsStoredBroken(replaced)) return replaced;
  if (!replaced.ok()) log_(StrCat(Describe(), ": stored broken: ", replaced.message()));
  resource_version_ = std::move(version);
  ++lists_;
  Touch();
  synced_ = true;
  on_change_();
  return absl::OkStatus();
}

Reflector::WatchEnd Reflector::Watch() {
  std::string target = StrCat(CollectionPath(), "?watch=1&allowWatchBookmarks=true",
                              "&resourceVersion=", ApiClient::Escape(resource_version_),
                              "&timeoutSeconds=", options_.watch_timeout_seconds);
  WatchEnd end = WatchEnd::kRewatch;
  bool any = false;
  std::string error_body;
  absl::StatusOr<long> status = client_->Stream(
      target, options_.stall, options_.max_bytes,
      [&](std::string_view line) {
        if (line.find_first_not_of(" \t\r") == std::string_view::npos) return true;
        any = true;
        return ApplyEvent(line, &end);
      },
      stop_, &error_body);
  if (any) ResetBackoff();  // the connection worked: a drop now is not a failing server
  if (!status.ok()) {
    log_(StrCat("watch ", Describe(), ": ", status.status().message()));
    return WatchEnd::kFailed;
  }
  if (*status == 410) {
    ++relists_410_;
    log_(StrCat("watch ", Describe(), ": resourceVersion ", resource_version_,
                " is too old (410); relisting"));
    return WatchEnd::kRelist;
  }
  if (*status != 200) {
    log_(StrCat("watch ", Describe(), ": HTTP ", *status, ": ", StatusMessage(error_body)));
    return WatchEnd::kFailed;
  }
  return end;
}

bool Reflector::ApplyEvent(std::string_view line, WatchEnd* end) {
  ReadOptions read;
  read.format = Format::kJson;
  read.limits.max_bytes = options_.max_bytes;
  read.source_name = StrCat(Describe(), " watch event");
  absl::StatusOr<Document> event = ReadDocument(line, read);
  if (!event.ok()) {
    log_(StrCat("watch ", Describe(), ": ", event.status().message()));
    *end = WatchEnd::kFailed;
    return false;
  }
  std::optional<Document> object = event->MapAt("object", "");
  std::string_view type = object ? event->TextAt("type") : "";
  if (type == "ERROR") {
    bool expired = object->TextAt("code") == "410";
    if (expired) ++relists_410_;
    log_(StrCat("watch ", Describe(), ": ERROR event: ", object->TextAt("message"),
                expired ? "; relisting" : ""));
    *end = expired ? WatchEnd::kRelist : WatchEnd::kFailed;
    return false;
  }
  if (type == "BOOKMARK") {
    resource_version_ = std::string(object->TextAt("metadata.resourceVersion"));
    Touch();
    return true;
  }
  if (type != "ADDED" && type != "MODIFIED" && type != "DELETED") {
    log_(StrCat("watch ", Describe(), ": unexpected event type \"", type, "\""));
    *end = WatchEnd::kFailed;
    return false;
  }
  std::string_view version = object->TextAt("metadata.resourceVersion");
  std::string_view ns = object->namespace_();
  std::string_view name = object->name();
  if (object->kind() != resource_.kind) {
    log_(StrCat("watch ", Describe(), ": ", type, " of a ", object->kind(), ", not a ",
                resource_.kind, "; ignored"));
  } else if (type == "DELETED") {
    store_->Remove(resource_.kind, ns, name);
  } else {
    object->set_source_name(StrCat(resource_.plural, " ", ns, "/", name));
    absl::Status stored = store_->Upsert(std::move(*object));
    if (!stored.ok())
      log_(StrCat(Describe(), ": ", type, " ", ns, "/", name, ": ", stored.message()));
  }
  resource_version_ = std::string(version);
  Touch();
  on_change_();
  return true;
}

bool Reflector::Backoff() {
  const int64_t initial = options_.backoff_initial.count();
  const int64_t cap = options_.backoff_max.count();
  int64_t delay = initial;
  for (int i = 0; i < backoff_step_ && delay < cap; ++i) delay *= 2;
  delay = std::min(delay, cap);
  backoff_step_ = std::min(backoff_step_ + 1, 30);
  // Jitter: many webhook replicas restarting together do not retry in step.
  std::uniform_int_distribution<int64_t> spread(delay / 2, delay);
  std::unique_lock<std::mutex> lock(mu_);
  wake_.wait_for(lock, std::chrono::milliseconds(spread(jitter_)), [this] { return stop_.load(); });
  return !stop_;
}

}  // namespace sympozium::webhook::kube
