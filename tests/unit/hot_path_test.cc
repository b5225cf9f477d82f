// The admission hot path's machinery: the arena, the JSON reader's
// views into its input copy, ReadInto and Evaluate(bytes) against their
// general forms, the indexed registry allowlist, and Cluster::MemoryUsage.
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "doctest/doctest.h"
#include "lib/base/arena.h"
#include "lib/base/image_ref.h"
#include "lib/read/document.h"
#include "lib/write/write.h"
#include "sympozium/cluster.h"
#include "sympozium/evaluate.h"
#include "sympozium/policy.h"
#include "tests/unit/test_util.h"

namespace sympozium {
namespace {

using testing::ReadData;

TEST_CASE("arena: allocations are aligned and keep their contents across blocks") {
  Arena arena;
  std::vector<std::pair<unsigned char*, size_t>> blocks;
  for (size_t i = 0; i < 2000; ++i) {
    size_t size = 1 + (i * 37) % 300;
    size_t align = size_t{1} << (i % 5);  // 1..16
    auto* p = static_cast<unsigned char*>(arena.Allocate(size, align));
    REQUIRE(reinterpret_cast<uintptr_t>(p) % align == 0);
    std::memset(p, static_cast<int>(i & 0xff), size);
    blocks.emplace_back(p, size);
  }
  for (size_t i = 0; i < blocks.size(); ++i)
    for (size_t k = 0; k < blocks[i].second; ++k)
      REQUIRE(blocks[i].first[k] == static_cast<unsigned char>(i & 0xff));
  CHECK(arena.MemoryUsage() > sizeof(Arena));
}

TEST_CASE("arena: Reset keeps one block, so a reused arena stops growing") {
  Arena arena;
  auto fill = [&] {
    for (int i = 0; i < 400; ++i) arena.Allocate(100, 8);  // 40 KB
    size_t used = arena.MemoryUsage();
    arena.Reset();
    return used;
  };
  size_t first = fill();
  CHECK(arena.MemoryUsage() < first);  // all but the largest block freed
  CHECK(arena.MemoryUsage() > sizeof(Arena));
  fill();  // may need one more block beside the kept one
  size_t third = fill();
  CHECK(fill() == third);
  CHECK(fill() == third);

  // A block too big to keep is freed.
  arena.Allocate(1 << 20, 16);
  arena.Reset();
  CHECK(arena.MemoryUsage() == sizeof(Arena));
}

TEST_CASE("JSON: plain strings view the input, escaped ones are unescaped") {
  auto doc = ReadDocument(
      R"({"plain":"v","a\u0062":"x\ny","list":["p","q\"r",""],"n":-1.5e3,"t":true,"z":null,)"
      R"("deep":{"k":"w"}})");
  REQUIRE(doc.ok());
  const Value& r = doc->root();
  CHECK(r.Find("plain")->text == "v");
  REQUIRE(r.Find("ab") != nullptr);
  CHECK(r.Find("ab")->text == "x\ny");
  const Value& list = *r.Find("list");
  REQUIRE(list.items.size() == 3);
  CHECK(list.items[0].text == "p");
  CHECK(list.items[1].text == "q\"r");
  CHECK(list.items[2].is_string());
  CHECK(list.items[2].text.empty());
  CHECK(r.Find("n")->text == "-1.5e3");
  CHECK(r.Find("t")->boolean);
  CHECK(r.Find("z")->is_null());
  CHECK(r.Find("deep")->Find("k")->text == "w");
  // The tree outlives the caller's bytes: it views the arena's copy.
  std::string bytes = R"({"kind":"X","s":"kept"})";
  auto copy = ReadDocument(bytes);
  bytes.assign(bytes.size(), '#');
  REQUIRE(copy.ok());
  CHECK(copy->root().Find("s")->text == "kept");
}

TEST_CASE("JSON: a raw control character in a string or key is an error") {
  CHECK(!ReadDocument("{\"a\":\"x\ty\"}").ok());
  CHECK(!ReadDocument("{\"a\":[\"x\ny\"]}").ok());
  CHECK(!ReadDocument("{\"a\tb\":1}").ok());
  CHECK(!ReadDocument("{\"a\":\"bad \\q escape\"}").ok());
  CHECK(!ReadDocument("{\"a\\q\":1}").ok());
}

TEST_CASE("JSON: positions across lines") {
  auto doc = ReadDocument("{\n  \"a\": {\n    \"b\": [1,\n      \"c\"]\n  },\n\n  \"d\": \"e\"}");
  REQUIRE(doc.ok());
  const Value& r = doc->root();
  const Value& b = *r.Find("a")->Find("b");
  CHECK(b.mark.line == 3);
  CHECK(b.mark.column == 10);
  CHECK(b.items[1].mark.line == 4);
  CHECK(b.items[1].mark.column == 7);
  CHECK(r.Find("d")->mark.line == 7);
  CHECK(r.Find("d")->mark.column == 8);
  CHECK(r.members.back().key_mark.line == 7);
  CHECK(r.members.back().key_mark.column == 3);
  auto dup = ReadDocument("{\"x\":1,\n \"x\":2}", {Format::kAuto, "d.json"});
  REQUIRE(!dup.ok());
  CHECK(std::string(dup.status().message()) == "d.json:2:2: duplicate key \"x\"");
}

TEST_CASE("ReadInto reads what ReadDocument reads") {
  const std::vector<std::string> inputs = {
      "kind: AgentRun\nspec: {agentRef: a}\n",
      "{\"kind\":\"AgentRun\",\"spec\":{\"agentRef\":\"a\"}}",
      "kind: List\nitems:\n- kind: Pod\n  spec: {}\n",
      "{\"kind\":\"List\",\"items\":[{\"kind\":\"Pod\"}]}",
      "kind: List\nitems:\n- kind: Pod\n- kind: Pod\n",
      "kind: List\nitems: []\n",
      "kind: List\nitems: 3\n",
      "a: 1\n---\nb: 2\n",
      "# nothing\n",
      "{\"a\": tru}",
  };
  for (const std::string& input : inputs) {
    CAPTURE(input);
    ReadOptions options;
    options.source_name = "in.yaml";
    absl::StatusOr<Document> doc = ReadDocument(input, options);
    Arena arena;
    Value root;
    absl::Status status = ReadInto(input, options, arena, &root);
    REQUIRE(doc.ok() == status.ok());
    if (status.ok()) {
      CHECK(ToJson(root) == ToJson(doc->root()));
    } else {
      CHECK(status.message() == doc.status().message());
    }
  }
}

std::vector<std::string> EvaluationInputs() {
  std::vector<std::string> inputs;
  for (const char* rel : {"fixtures/sympozium/samples/agentrun_sample.yaml",
                          "fixtures/sympozium/samples/skillpack_sample.yaml",
                          "fixtures/sympozium/skills/k8s-ops.yaml"}) {
    std::string yaml = ReadData(rel);
    REQUIRE(!yaml.empty());
    inputs.push_back(yaml);
    inputs.push_back(ToJson(ReadDocument(yaml)->root()));
  }
  inputs.push_back(
      "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"p\"},\"spec\":"
      "{\"containers\":[{\"name\":\"c\",\"image\":\"evil.io/x\",\"env\":[{\"name\":\"PATH\"}]}]}}");
  inputs.push_back("{\"apiVersion\":\"v1\",\"kind\":\"List\",\"items\":[{\"kind\":\"Pod\"}]}");
  inputs.push_back("{\"kind\":\"AgentRun\",\"spec\":{\"sandbox\":{\"enabled\":\"yes\"}}}");
  inputs.push_back("{\"kind\": tru}");
  inputs.push_back("kind: Unknown\n");
  return inputs;
}

TEST_CASE("Evaluate(bytes) answers as Evaluate(document), call after call") {
  absl::StatusOr<PolicyPtr> policy = Preset("restrictive");
  REQUIRE(policy.ok());
  std::vector<std::string> inputs = EvaluationInputs();
  // A large document between the others: the reused arena must not leak
  // anything from one call into the next.
  std::string big = "{\"kind\":\"AgentRun\",\"metadata\":{\"name\":\"big\"},\"spec\":{\"env\":{";
  for (int i = 0; i < 20000; ++i) big += (i ? ",\"" : "\"") + std::to_string(i) + "\":\"v\"";
  big += "}}}";
  inputs.insert(inputs.begin() + 2, big);
  for (Mode mode : {Mode::kStrict, Mode::kCompat}) {
    for (int round = 0; round < 2; ++round) {
      for (const std::string& input : inputs) {
        CAPTURE(input.substr(0, 80));
        EvaluateOptions options;
        options.mode = mode;
        options.read.source_name = "run.json";
        Binding binding = Binding::Direct(policy->get());
        absl::StatusOr<Document> doc = ReadDocument(input, options.read);
        std::string expected =
            doc.ok() ? Evaluate(*doc, binding, options).ToJson()
                     : Decision::Error(400, "decode.error", std::string(doc.status().message()),
                                       PathOf(doc.status()), mode)
                           .ToJson();
        CHECK(Evaluate(input, binding, options).ToJson() == expected);
      }
    }
  }
}

TEST_CASE("registry allowlist answers as trying every entry") {
  const std::vector<std::string> entries = {"ghcr.io/acme",
                                            "ghcr.io/sympozium-ai/",
                                            "docker.io/library/",
                                            "busybox",
                                            "",
                                            "/",
                                            "localhost:5000/team",
                                            "index.docker.io/x/",
                                            "quay.io",
                                            "acme/",
                                            "ghcr.io/acme//",
                                            "a"};
  const std::vector<std::string> images = {"ghcr.io/acme",
                                           "ghcr.io/acme/x:1",
                                           "ghcr.io/acme-evil/x",
                                           "ghcr.io/sympozium-ai/sympozium/agent:v1",
                                           "busybox",
                                           "busybox:1.36",
                                           "library/busybox",
                                           "docker.io/busybox@sha256:" + std::string(64, 'a'),
                                           "localhost:5000/team/a",
                                           "localhost:5000/teams",
                                           "x/y",
                                           "quay.io/a/b/c",
                                           "acme/tool",
                                           "UPPER/Case",
                                           "",
                                           "a",
                                           "ab/c",
                                           "ghcr.io/acme//x",
                                           "index.docker.io/x/y"};
  for (size_t n = 0; n <= entries.size(); ++n) {
    std::vector<std::string> raw(entries.begin(), entries.begin() + n);
    std::vector<std::string> normalized;
    for (const std::string& e : raw) normalized.push_back(NormalizeRegistryEntry(e));
    RegistryAllowlist allowlist(raw, normalized);
    for (const std::string& image : images) {
      CAPTURE(n);
      CAPTURE(image);
      ImageRef ref = NormalizeImage(image);
      bool strict = false, compat = false;
      for (const std::string& e : normalized) strict = strict || ImageMatchesEntry(ref, e);
      for (const std::string& e : raw) compat = compat || ImageHasPrefix(image, e);
      CHECK(allowlist.MatchesStrict(ref) == strict);
      CHECK(allowlist.MatchesCompat(image) == compat);
    }
  }
}

TEST_CASE("cluster memory counts the documents it keeps, a shared arena once") {
  auto object = [](const std::string& kind, const std::string& ns) {
    return "{\"apiVersion\":\"sympozium.ai/v1alpha1\",\"kind\":\"" + kind +
           "\",\"metadata\":{\"name\":\"a\",\"namespace\":\"" + ns +
           "\"},\"spec\":{\"policyRef\":\"p\"}}";
  };
  // A stored Agent keeps its looked-up fields, not its document.
  Cluster agents;
  size_t empty = agents.MemoryUsage();
  REQUIRE(agents.AddDocuments(object("Agent", "one")).ok());
  CHECK(agents.MemoryUsage() - empty < sizeof(Arena));
  // A stored SkillPack keeps its document; one stream's documents share an arena.
  Cluster separate;
  REQUIRE(separate.AddDocuments(object("SkillPack", "one")).ok());
  CHECK(separate.MemoryUsage() - empty >= sizeof(Arena));
  REQUIRE(separate.AddDocuments(object("SkillPack", "two")).ok());
  Cluster shared;
  REQUIRE(shared
              .AddDocuments("---\n" + object("SkillPack", "one") + "\n---\n" +
                            object("SkillPack", "two") + "\n")
              .ok());
  CHECK(shared.skill_pack_count() == 2);
  CHECK(shared.MemoryUsage() < separate.MemoryUsage());
}

}  // namespace
}  // namespace sympozium
