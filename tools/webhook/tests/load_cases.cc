#include "tools/webhook/tests/load_cases.h"

#include <cstdlib>
#include <optional>
#include <string_view>
#include <utility>

#include "sympozium/json.h"
#include "sympozium/read.h"

namespace sympozium::webhook_load {
namespace {

// What a case's review carries as its request.uid, replaced per request.
constexpr std::string_view kUidMarker = "@@UID@@";

std::string Indexed(std::string_view list, size_t i) {
  return std::string(list) + "[" + std::to_string(i) + "]";
}

}  // namespace

bool LoadCases(const std::string& file, std::vector<Case>* cases, std::string* error) {
  absl::StatusOr<std::string> text = ReadFile(file);
  if (!text.ok()) {
    *error = std::string(text.status().message());
    return false;
  }
  ReadOptions read;
  read.source_name = file;
  absl::StatusOr<Document> doc = ReadDocument(*text, read);
  if (!doc.ok()) {
    *error = std::string(doc.status().message());
    return false;
  }
  for (size_t i = 0;; ++i) {
    std::optional<Document> item = doc->MapAt(Indexed("cases", i), file);
    if (!item) break;
    Case c;
    c.name = std::string(item->TextAt("name"));
    c.path = std::string(item->TextAt("path"));
    std::optional<Document> review = item->MapAt("review", file);
    std::string json = review ? ToJson(*review) : "";
    size_t marker = json.find(kUidMarker);
    if (marker == std::string::npos || json.find(kUidMarker, marker + 1) != std::string::npos) {
      *error = "case " + c.name + ": review.request.uid must be \"" + std::string(kUidMarker) +
               "\" (once)";
      return false;
    }
    c.before_uid = json.substr(0, marker);
    c.after_uid = json.substr(marker + kUidMarker.size());
    for (size_t j = 0;; ++j) {
      std::optional<Document> e = item->MapAt(Indexed("expect", j), file);
      if (!e) break;
      Expect x;
      if (std::string_view v = e->TextAt("allowed"); !v.empty()) x.allowed = v == "true";
      for (auto [field, out] : {std::pair{"code", &x.code}, std::pair{"message", &x.message},
                                std::pair{"patch", &x.patch}})
        if (e->Has(field)) *out = std::string(e->TextAt(field));
      c.expect.push_back(x);
    }
    cases->push_back(std::move(c));
  }
  if (cases->empty()) {
    *error = file + ": no \"cases\"";
    return false;
  }
  return true;
}

int Match(const Case& c, const std::string& uid, const std::string& body, std::string* why) {
  ReadOptions read;
  read.format = Format::kJson;
  absl::StatusOr<Document> doc = ReadDocument(body, read);
  if (!doc.ok()) {
    *why = "not JSON: " + body.substr(0, 200);
    return -1;
  }
  if (doc->TextAt("response.uid") != uid) {
    *why = "uid not echoed: " + body.substr(0, 200);
    return -1;
  }
  std::string_view allowed = doc->TextAt("response.allowed");
  std::string_view code = doc->TextAt("response.status.code");
  std::string_view message = doc->TextAt("response.status.message");
  std::string_view patch = doc->TextAt("response.patch");
  for (size_t i = 0; i < c.expect.size(); ++i) {
    const Expect& e = c.expect[i];
    if (e.allowed && allowed != (*e.allowed ? "true" : "false")) continue;
    if (e.code && code != *e.code) continue;
    if (e.message && message != *e.message) continue;
    if (e.patch && patch != *e.patch) continue;
    return static_cast<int>(i);
  }
  *why = "no expected answer matches: " + body.substr(0, 300);
  return -1;
}

bool ParseClientFlags(
    int argc, char** argv, ClientFlags* flags,
    const std::function<bool(const std::string& name, const std::string& value)>& more) {
  if (argc % 2 != 1) return false;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string name = argv[i], value = argv[i + 1];
    if (name == "--host")
      flags->host = value;
    else if (name == "--port")
      flags->port = std::atoi(value.c_str());
    else if (name == "--ca")
      flags->ca = value;
    else if (name == "--cases")
      flags->cases = value;
    else if (name == "--connections")
      flags->connections = std::atoi(value.c_str());
    else if (!more(name, value))
      return false;
  }
  return flags->port > 0 && !flags->ca.empty() && !flags->cases.empty() && flags->connections > 0;
}

}  // namespace sympozium::webhook_load
