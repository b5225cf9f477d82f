// Writes the fuzz targets' seed corpora into the build tree, from the
// fixtures and conformance cases (as YAML and JSON), plus a few hand seeds,
// so no corpus of generated files is committed.
// Usage: fuzz_make_seeds TEST_DATA_DIR OUT_DIR
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "lib/base/quantity.h"
#include "lib/read/document.h"
#include "lib/write/write.h"

namespace sympozium::fuzz {
namespace {

namespace fs = std::filesystem;

// Seeds by target, deduplicated.
using Corpus = std::map<std::string, std::set<std::string>>;

constexpr const char* kQuantities[] = {"0",     "1",           "500m", "2",   "4Gi",
                                       "1e3",   "1E3",         "0.5",  "-1",  "+.5e-3",
                                       "1.5Ki", "100n",        "12Mi", "1Ei", "9223372036854775807",
                                       "1e100", "0.000000001", "1.",   ".1",  "1u",
                                       "5Pi"};
constexpr const char* kImages[] = {
    "busybox",
    "busybox:1.36",
    "library/busybox",
    "docker.io/library/busybox",
    "index.docker.io/library/busybox:latest",
    "ghcr.io/sympozium-ai/sympozium/agent:v1",
    "ghcr.io/acme-evil/x",
    "localhost:5000/a/b:tag",
    "localhost/a",
    "Registry.Example.COM/x/y",
    "ghcr.io/acme/x@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
    "a/b/c/d:1@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
    "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
    "UPPER/case",
    "ghcr.io/acme/x\nghcr.io/acme/",
    "ghcr.io/acme-evil/x\nghcr.io/acme",
    "busybox\nbusybox",
    "user/app\nuser/",
    "quay.io/x:1\n/",
};

constexpr std::string_view kSeparator = "\n=====\n";  // fuzz_capi's part separator

void Walk(const Value& v, std::string_view key,
          const std::function<void(std::string_view, const Value&)>& fn) {
  fn(key, v);
  for (const Value& item : v.items) Walk(item, key, fn);
  for (const Member& m : v.members) Walk(m.value, m.key, fn);
}

// Quantities and images found anywhere in a document.
void Scalars(const Value& root, Corpus* corpus) {
  Walk(root, "", [&](std::string_view key, const Value& v) {
    if (!v.is_scalar() || v.text.size() > 200) return;
    std::string text(v.text);
    if (key == "image" || key == "allowedRegistries" || key == "defaultImage")
      (*corpus)["image_ref"].insert(text);
    if (text.size() < 40 && Quantity::Parse(text).ok()) (*corpus)["quantity"].insert(text);
  });
}

void AddDocument(const Value& doc, Corpus* corpus) {
  const Value* kind_value = doc.Find("kind");
  std::string kind = kind_value != nullptr ? std::string(kind_value->text) : "";
  Scalars(doc, corpus);
  if (kind == "SympoziumPolicy") {
    (*corpus)["policy_compile"].insert(ToYaml(doc));
    (*corpus)["policy_compile"].insert(ToJson(doc));
  } else if (kind == "AgentRun") {
    (*corpus)["agent_run_json"].insert(ToJson(doc, {2}));
    (*corpus)["agent_run_yaml"].insert(ToYaml(doc));
    (*corpus)["fast_path"].insert(ToJson(doc));
  } else if (kind == "SkillPack") {
    (*corpus)["skill_pack"].insert(ToYaml(doc));
  } else if (kind == "Pod" || kind == "Job" || kind == "Deployment" || kind == "CronJob") {
    (*corpus)["pod"].insert(ToYaml(doc));
    (*corpus)["pod"].insert(ToJson(doc));
    (*corpus)["fast_path"].insert(ToJson(doc));
  }
}

std::string Part(const Value* v) { return v != nullptr && !v->is_null() ? ToYaml(*v) : ""; }

// A conformance case: its documents, and one C API input that replays it.
void AddCase(const Value& c, Corpus* corpus) {
  for (const char* part : {"policy", "agentRun", "skillPack", "object", "agent"})
    if (const Value* v = c.Find(part); v != nullptr && v->is_map()) AddDocument(*v, corpus);
  std::string cluster;
  if (const Value* packs = c.Find("skillPacks"); packs != nullptr)
    for (const Value& pack : packs->items) {
      AddDocument(pack, corpus);
      cluster += "---\n" + ToYaml(pack);
    }
  const Value* doc = c.Find("agentRun");
  if (const Value* op = c.Find("operation"); op != nullptr && op->text == "evaluatePod")
    doc = c.Find("object");
  if (const Value* op = c.Find("operation"); op != nullptr && op->text == "admitSkillPack")
    doc = c.Find("skillPack");
  if (const Value* pack = c.Find("skillPack"); pack != nullptr && pack->is_map())
    cluster = ToYaml(*pack);  // rbacFor reads the pack from the last part
  const Value* mode = c.Find("mode");
  const Value* tool = c.Find("tool");
  // Flags: compat unless strict, the cluster on, the policy compiled with options.
  char flags =
      static_cast<char>((mode != nullptr && mode->text == "strict" ? 0 : 1) | (1 << 4) | (3 << 5));
  std::string input(1, flags);
  input += Part(c.Find("policy"));
  input += kSeparator;
  input += Part(doc);
  input += kSeparator;
  input += tool != nullptr ? std::string(tool->text) : "execute_command";
  input += kSeparator;
  input += cluster;
  (*corpus)["capi"].insert(input);
}

int Main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: %s TEST_DATA_DIR OUT_DIR\n", argv[0]);
    return 2;
  }
  fs::path data = argv[1], out = argv[2];
  Corpus corpus;
  for (const char* q : kQuantities) corpus["quantity"].insert(q);
  for (const char* i : kImages) corpus["image_ref"].insert(i);
  // A preset by name, for the C API.
  corpus["capi"].insert(std::string(1, static_cast<char>(2 << 5)) + "restrictive@v1" +
                        std::string(kSeparator) + "kind: AgentRun\n" + std::string(kSeparator) +
                        "write_file");
  std::vector<fs::path> files;
  for (const auto& e : fs::recursive_directory_iterator(data))
    if (e.is_regular_file() && e.path().extension() == ".yaml") files.push_back(e.path());
  std::sort(files.begin(), files.end());
  for (const fs::path& file : files) {
    absl::StatusOr<std::string> text = ReadFile(file.string());
    if (!text.ok()) continue;
    absl::StatusOr<std::vector<Document>> docs = ReadDocuments(*text);
    if (!docs.ok()) continue;
    bool is_case = file.string().find("conformance") != std::string::npos;
    for (const Document& doc : *docs)
      is_case ? AddCase(doc.root(), &corpus) : AddDocument(doc.root(), &corpus);
    if (!is_case && docs->size() == 1) {
      // The fixture as written (comments, layout), besides its rewrites.
      std::string kind(docs->front().kind());
      if (kind == "SympoziumPolicy") corpus["policy_compile"].insert(*text);
      if (kind == "AgentRun") corpus["agent_run_yaml"].insert(*text);
      if (kind == "SkillPack") corpus["skill_pack"].insert(*text);
    }
  }
  size_t total = 0;
  for (const auto& [target, seeds] : corpus) {
    fs::path dir = out / target;
    fs::remove_all(dir);
    fs::create_directories(dir);
    size_t n = 0;
    for (const std::string& seed : seeds) {
      std::ofstream(dir / ("seed-" + std::to_string(n++)), std::ios::binary) << seed;
    }
    std::printf("%-16s %zu seeds\n", target.c_str(), seeds.size());
    total += seeds.size();
  }
  return total > 0 ? 0 : 1;
}

}  // namespace
}  // namespace sympozium::fuzz

int main(int argc, char** argv) { return sympozium::fuzz::Main(argc, argv); }
