// DocumentBuilder and VisitJson (sympozium/build.h, sympozium/json.h),
// through the public API only, as an embedder uses them.
#include <doctest/doctest.h>

#include <limits>
#include <string>

#include "sympozium/build.h"
#include "sympozium/json.h"
#include "sympozium/read.h"

namespace sympozium {
namespace {

ReadOptions WithLimits(Limits limits) {
  ReadOptions options;
  options.source_name = "built";
  options.limits = limits;
  return options;
}

// {"kind": "AgentRun", "spec": {"n": 2, "f": 0.5, "on": true, "x": null, "l": ["a"]}}
void BuildRun(DocumentBuilder& b) {
  REQUIRE(b.BeginMap().ok());
  REQUIRE(b.Key("kind").ok());
  REQUIRE(b.String("AgentRun").ok());
  REQUIRE(b.Key("spec").ok());
  REQUIRE(b.BeginMap().ok());
  REQUIRE(b.Key("n").ok());
  REQUIRE(b.Integer(2).ok());
  REQUIRE(b.Key("f").ok());
  REQUIRE(b.Number(0.5).ok());
  REQUIRE(b.Key("on").ok());
  REQUIRE(b.Bool(true).ok());
  REQUIRE(b.Key("x").ok());
  REQUIRE(b.Null().ok());
  REQUIRE(b.Key("l").ok());
  REQUIRE(b.BeginList().ok());
  REQUIRE(b.String("a").ok());
  REQUIRE(b.End().ok());
  REQUIRE(b.End().ok());
  REQUIRE(b.End().ok());
}

TEST_CASE("DocumentBuilder: builds what the reader reads") {
  DocumentBuilder b;
  BuildRun(b);
  absl::StatusOr<Document> doc = b.Finish();
  REQUIRE_MESSAGE(doc.ok(), doc.status().ToString());
  CHECK(doc->kind() == "AgentRun");
  CHECK(ToJson(*doc) ==
        R"({"kind":"AgentRun","spec":{"n":2,"f":0.5,"on":true,"x":null,"l":["a"]}})");
  // Numbers and booleans are plain scalars, as in YAML: the same text
  // written by hand reads to the same JSON.
  absl::StatusOr<Document> read =
      ReadDocument("kind: AgentRun\nspec: {n: 2, f: 0.5, on: true, x: null, l: [a]}\n");
  REQUIRE(read.ok());
  CHECK(ToJson(*read) == ToJson(*doc));
}

TEST_CASE("DocumentBuilder: numbers") {
  DocumentBuilder b;
  REQUIRE(b.BeginMap().ok());
  REQUIRE(b.Key("big").ok());
  CHECK(b.Number("123456789012345678901234567890").ok());
  REQUIRE(b.Key("float").ok());
  REQUIRE(b.Number(1.0).ok());
  REQUIRE(b.Key("exp").ok());
  REQUIRE(b.Number(1e20).ok());
  REQUIRE(b.Key("text").ok());
  REQUIRE(b.Number("-0.25e-3").ok());
  REQUIRE(b.Key("inf").ok());
  REQUIRE(b.Number(std::numeric_limits<double>::infinity()).ok());
  REQUIRE(b.End().ok());
  absl::StatusOr<Document> doc = b.Finish();
  REQUIRE(doc.ok());
  // 1.0 stays a float; .inf has no JSON form.
  CHECK(ToJson(*doc) ==
        R"({"big":123456789012345678901234567890,"float":1.0,"exp":1e+20,"text":-0.25e-3,)"
        R"("inf":null})");
  for (const char* bad : {"", "1.", "01", "+1", "0x10", "1e", "inf", "1 "}) {
    DocumentBuilder c;
    REQUIRE(c.BeginList().ok());
    absl::Status s = c.Number(bad);
    CHECK_MESSAGE(!s.ok(), bad);
    CHECK(s.message().find("is not a number") != std::string_view::npos);
  }
}

void CheckLimit(const absl::Status& status, const char* limit) {
  REQUIRE(!status.ok());
  CHECK(CodeOf(status) == std::string("limit.") + limit);
  CHECK_MESSAGE(status.message().find(std::string("built: limit.") + limit) == 0, status.message());
}

TEST_CASE("DocumentBuilder: the reader's limits, by name") {
  Limits limits = DefaultLimits();
  limits.max_depth = 2;
  {
    DocumentBuilder b(WithLimits(limits));
    REQUIRE(b.BeginMap().ok());
    REQUIRE(b.Key("a").ok());
    CHECK(b.BeginMap().ok());  // depth 2
    REQUIRE(b.Key("b").ok());
    CheckLimit(b.BeginList(), "max_depth");
    // The first error stays; later calls do nothing.
    CheckLimit(b.End(), "max_depth");
    CheckLimit(b.Finish().status(), "max_depth");
  }
  limits = DefaultLimits();
  limits.max_nodes = 3;
  {
    DocumentBuilder b(WithLimits(limits));
    REQUIRE(b.BeginList().ok());
    REQUIRE(b.Null().ok());
    REQUIRE(b.Null().ok());
    CheckLimit(b.Null(), "max_nodes");
  }
  limits = DefaultLimits();
  limits.max_list_length = 2;
  {
    DocumentBuilder b(WithLimits(limits));
    REQUIRE(b.BeginMap().ok());
    REQUIRE(b.Key("l").ok());
    REQUIRE(b.BeginList().ok());
    REQUIRE(b.Integer(1).ok());
    REQUIRE(b.Integer(2).ok());
    CheckLimit(b.Integer(3), "max_list_length");
  }
  limits = DefaultLimits();
  limits.max_bytes = 10;
  {
    DocumentBuilder b(WithLimits(limits));
    REQUIRE(b.BeginMap().ok());
    REQUIRE(b.Key("key").ok());
    CheckLimit(b.String("12345678"), "max_bytes");
  }
}

TEST_CASE("DocumentBuilder: duplicate keys, in small and large maps") {
  for (int size : {3, 40}) {
    DocumentBuilder b;
    (void)b.BeginMap();
    for (int i = 0; i < size; ++i) {
      (void)b.Key("k" + std::to_string(i));
      (void)b.Integer(i);
    }
    (void)b.Key("k1");
    (void)b.Integer(0);
    absl::Status s = b.End();
    if (s.ok()) s = b.Finish().status();
    REQUIRE_MESSAGE(!s.ok(), size);
    CHECK(s.message() == "<input>: duplicate key \"k1\"");
  }
}

TEST_CASE("DocumentBuilder: misuse is an error, never a document") {
  auto error_of = [](auto&& steps) {
    DocumentBuilder b;
    steps(b);
    absl::StatusOr<Document> doc = b.Finish();
    REQUIRE(!doc.ok());
    return std::string(doc.status().message());
  };
  CHECK(error_of([](DocumentBuilder&) {}) == "<input>: the document's root is not closed");
  CHECK(error_of([](DocumentBuilder& b) {
          (void)b.BeginMap();
          (void)b.String("no key");
        }) == "<input>: a value in a map needs its Key first");
  CHECK(error_of([](DocumentBuilder& b) {
          (void)b.BeginList();
          (void)b.Key("k");
        }) == "<input>: Key outside a map");
  CHECK(error_of([](DocumentBuilder& b) {
          (void)b.BeginMap();
          (void)b.Key("k");
          (void)b.End();
        }) == "<input>: key \"k\" has no value");
  CHECK(error_of([](DocumentBuilder& b) { (void)b.End(); }) ==
        "<input>: End without an open map or list");
  CHECK(error_of([](DocumentBuilder& b) {
          (void)b.BeginList();
          (void)b.End();
        }) == "<input>: expected a Kubernetes object (a mapping), got a list");
  CHECK(error_of([](DocumentBuilder& b) {
          (void)b.BeginMap();
          (void)b.End();
          (void)b.Null();
        }) == "<input>: the document already has its root");
  CHECK(error_of([](DocumentBuilder& b) {
          (void)b.BeginMap();
          (void)b.Key("bad");
          (void)b.String("\xff");
        }) == "<input>: text is not valid UTF-8");
}

// The events as compact JSON-ish text, to compare with ToJson.
class Recorder : public JsonVisitor {
 public:
  std::string out;
  void BeginMap(size_t size) override { out += "{" + std::to_string(size) + " "; }
  void Key(std::string_view key) override { out += std::string(key) + "="; }
  void EndMap() override { out += "} "; }
  void BeginList(size_t size) override { out += "[" + std::to_string(size) + " "; }
  void EndList() override { out += "] "; }
  void String(std::string_view value) override { out += "s:" + std::string(value) + " "; }
  void Number(std::string_view text, bool integer) override {
    out += (integer ? "i:" : "f:") + std::string(text) + " ";
  }
  void Bool(bool value) override { out += value ? "true " : "false "; }
  void Null() override { out += "null "; }
};

TEST_CASE("VisitJson: the events of ToJson's text") {
  absl::StatusOr<Document> doc =
      ReadDocument("a: 007\nb: +1.5\nc: .inf\nd: '1'\ne: [yes, ~]\nf: 1e3\ng: {}\n");
  REQUIRE(doc.ok());
  Recorder r;
  VisitJson(*doc, r);
  CHECK(r.out == "{7 a=i:7 b=f:1.5 c=null d=s:1 e=[2 true null ] f=f:1e3 g={0 } } ");
  CHECK(ToJson(*doc) == R"({"a":7,"b":1.5,"c":null,"d":"1","e":[true,null],"f":1e3,"g":{}})");
}

}  // namespace
}  // namespace sympozium
