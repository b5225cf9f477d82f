#include <doctest/doctest.h>

#include <optional>
#include <string>
#include <vector>

#include "lib/read/document.h"
#include "tests/unit/test_util.h"

namespace sympozium {
namespace {

TEST_CASE("YAML scalars resolve as Go's YAML 1.1 decoder does") {
  auto doc = ReadDocument("kind: X\na: yes\nb: 'yes'\nc: 0x10\nd: 1_000\ne: 1.5\nf: ~\ng: text\n");
  REQUIRE(doc.ok());
  const Value& r = doc->root();
  CHECK(r.Find("a")->kind == Value::Kind::kBool);
  CHECK(r.Find("a")->boolean);
  CHECK(r.Find("b")->kind == Value::Kind::kString);
  CHECK(r.Find("c")->kind == Value::Kind::kInt);
  CHECK(r.Find("c")->text == "16");
  CHECK(r.Find("d")->text == "1000");
  CHECK(r.Find("e")->kind == Value::Kind::kFloat);
  CHECK(r.Find("f")->is_null());
  CHECK(r.Find("g")->text == "text");
  CHECK(r.Find("a")->mark.line == 2);
  CHECK(r.Find("a")->mark.column == 4);
}

TEST_CASE("JSON is read with positions") {
  auto doc =
      ReadDocument("{\"kind\": \"X\",\n \"n\": 12, \"f\": 1.5e3, \"l\": [true, null, \"s\"]}");
  REQUIRE(doc.ok());
  const Value& r = doc->root();
  CHECK(r.Find("n")->kind == Value::Kind::kInt);
  CHECK(r.Find("n")->text == "12");
  CHECK(r.Find("f")->kind == Value::Kind::kFloat);
  CHECK(r.Find("l")->items.size() == 3);
  CHECK(r.Find("n")->mark.line == 2);
}

TEST_CASE("malformed input is an error naming the position") {
  auto bad_json = ReadDocument("{\"a\": tru}", {Format::kAuto, "x.json"});
  CHECK(!bad_json.ok());
  auto trailing = ReadDocument("{\"a\": 1} x", {Format::kAuto, "x.json"});
  CHECK(!trailing.ok());
  auto bad_yaml = ReadDocument("a: [1, 2\nb: c\n", {Format::kAuto, "x.yaml"});
  REQUIRE(!bad_yaml.ok());
  CHECK(std::string(bad_yaml.status().message()).rfind("x.yaml:", 0) == 0);
  auto dup = ReadDocument("a: 1\na: 2\n", {Format::kAuto, "d.yaml"});
  REQUIRE(!dup.ok());
  CHECK(std::string(dup.status().message()) == "d.yaml:2:1: duplicate key \"a\"");
  auto utf8 = ReadDocument("a: \xff\xfe\n");
  REQUIRE(!utf8.ok());
  CHECK(std::string(utf8.status().message()).find("UTF-8") != std::string::npos);
  auto scalar = ReadDocument("hello world\n");
  CHECK(!scalar.ok());
  auto none = ReadDocument("# only a comment\n");
  CHECK(!none.ok());
}

TEST_CASE("limits are enforced") {
  ReadOptions options;
  options.limits.max_depth = 5;
  auto deep = ReadDocument("a: {b: {c: {d: {e: {f: 1}}}}}\n", options);
  REQUIRE(!deep.ok());
  CHECK(std::string(deep.status().message()).find("limit.max_depth") != std::string::npos);
  std::string nested(100000, '[');
  auto very_deep = ReadDocument(nested);
  CHECK(!very_deep.ok());
  options = ReadOptions();
  options.limits.max_nodes = 100;
  auto bomb = ReadDocument(
      "a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
      "c: [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\n",
      options);
  REQUIRE(!bomb.ok());
  CHECK(std::string(bomb.status().message()).find("limit.max_nodes") != std::string::npos);
}

TEST_CASE("streams, empty documents and Lists") {
  auto docs = ReadDocuments("---\nkind: A\n---\n---\nkind: B\n");
  REQUIRE(docs.ok());
  REQUIRE(docs->size() == 2);
  CHECK((*docs)[1].kind() == "B");
  CHECK((*docs)[1].Describe() == "<input>#2");
  auto list = ReadDocuments("{\"kind\":\"List\",\"items\":[{\"kind\":\"A\"},{\"kind\":\"B\"}]}");
  REQUIRE(list.ok());
  CHECK(list->size() == 2);
}

TEST_CASE("a document's fields by path, its maps, and a list's items kept apart from it") {
  ReadOptions whole;
  whole.expand_lists = false;
  std::optional<Document> list;
  {
    auto read = ReadDocument(
        "apiVersion: sympozium.ai/v1alpha1\nkind: AgentList\nmetadata: {continue: \"c2\"}\n"
        "items:\n- metadata: {name: a, namespace: ns}\n- kind: Agent\n  apiVersion: x/v1\n"
        "  metadata: {name: b}\n  spec: {tags: [t0, t1], n: 5}\n",
        whole);
    REQUIRE(read.ok());
    list = std::move(*read);
  }
  CHECK(list->TextAt("metadata.continue") == "c2");
  CHECK(list->TextAt("items[1].spec.tags[1]") == "t1");
  CHECK(list->TextAt("items[1].spec.n") == "5");
  CHECK(list->TextAt("items[1].spec") == "");  // a map, not a scalar
  CHECK(list->TextAt("items[7].metadata.name") == "");
  CHECK(list->Has("items[1].spec"));
  CHECK(list->Has("metadata"));
  CHECK_FALSE(list->Has("metadata.name"));
  std::optional<Document> spec = list->MapAt("items[1].spec", "the spec");
  REQUIRE(spec.has_value());
  CHECK(spec->source_name() == "the spec");
  CHECK(spec->TextAt("tags[0]") == "t0");
  CHECK_FALSE(list->MapAt("items[1].spec.tags", "").has_value());
  CHECK_FALSE(list->MapAt("nowhere", "").has_value());

  std::vector<Document> items = ListItems(*list);
  list.reset();  // the items are copies: they outlive the list
  REQUIRE(items.size() == 2);
  CHECK(items[0].kind() == "Agent");  // from AgentList
  CHECK(items[0].api_version() == "sympozium.ai/v1alpha1");
  CHECK(items[0].namespace_() == "ns");
  CHECK(items[1].api_version() == "x/v1");  // its own
  CHECK(items[1].name() == "b");
}

TEST_CASE("every fixture reads") {
  for (const char* f :
       {"fixtures/sympozium/samples/agentrun_sample.yaml", "fixtures/sympozium/skills/k8s-ops.yaml",
        "fixtures/sympozium/crd/sympozium.ai_agentruns.yaml"}) {
    auto docs = ReadDocuments(testing::ReadData(f), {Format::kAuto, f});
    CHECK_MESSAGE(docs.ok(), f);
  }
}

}  // namespace
}  // namespace sympozium
