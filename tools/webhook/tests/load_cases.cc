#include "tools/webhook/tests/load_cases.h"

#include <cstdlib>
#include <string_view>

#include "lib/read/document.h"
#include "lib/write/write.h"

namespace sympozium::webhook_load {
namespace {

constexpr std::string_view kUidMarker = "@@UID@@";

std::string Text(const Value* v) {
  return v != nullptr && v->is_scalar() ? std::string(v->text) : "";
}

const Value* At(const Value* v, std::initializer_list<std::string_view> path) {
  for (std::string_view key : path) v = v == nullptr ? nullptr : v->Find(key);
  return v;
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
  Value* list = doc->mutable_root().FindMutable("cases");
  if (list == nullptr || !list->is_list()) {
    *error = file + ": no \"cases\" list";
    return false;
  }
  for (Value& item : list->items) {
    Case c;
    c.name = Text(item.Find("name"));
    c.path = Text(item.Find("path"));
    Value* request =
        item.FindMutable("review") ? item.FindMutable("review")->FindMutable("request") : nullptr;
    if (request == nullptr) {
      *error = "case " + c.name + " has no review.request";
      return false;
    }
    request->Set(doc->arena(), "uid", Value::StringView(kUidMarker));
    std::string json = ToJson(*item.Find("review"));
    size_t at = json.find(kUidMarker);
    c.before_uid = json.substr(0, at);
    c.after_uid = json.substr(at + kUidMarker.size());
    const Value* expect = item.Find("expect");
    for (const Value& e : expect ? expect->items : List<Value>()) {
      Expect x;
      if (const Value* v = e.Find("allowed")) x.allowed = v->boolean;
      if (const Value* v = e.Find("code")) x.code = Text(v);
      if (const Value* v = e.Find("message")) x.message = Text(v);
      if (const Value* v = e.Find("patch")) x.patch = Text(v);
      c.expect.push_back(x);
    }
    cases->push_back(std::move(c));
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
  const Value* r = doc->root().Find("response");
  if (Text(At(r, {"uid"})) != uid) {
    *why = "uid not echoed: " + body.substr(0, 200);
    return -1;
  }
  const Value* allowed = At(r, {"allowed"});
  std::string code = Text(At(r, {"status", "code"}));
  std::string message = Text(At(r, {"status", "message"}));
  std::string patch = Text(At(r, {"patch"}));
  for (size_t i = 0; i < c.expect.size(); ++i) {
    const Expect& e = c.expect[i];
    if (e.allowed && (allowed == nullptr || allowed->boolean != *e.allowed)) continue;
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
