#include <doctest/doctest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "lib/read/document.h"
#include "lib/write/write.h"
#include "tests/unit/test_util.h"

namespace sympozium {
namespace {

Document Read(std::string_view text, Format format = Format::kAuto) {
  auto doc = ReadDocument(text, {format, "test"});
  REQUIRE_MESSAGE(doc.ok(), doc.status().ToString(), "\n", text);
  return std::move(*doc);
}

// Writes `v` in every form, reads each back and checks it is the same tree.
void CheckRoundTrip(const Value& v, const std::string& what) {
  for (int indent : {0, 2}) {
    std::string json = ToJson(v, {indent});
    auto back = ReadDocument(json, {Format::kJson, what + ".json"});
    REQUIRE_MESSAGE(back.ok(), back.status().ToString());
    CHECK_MESSAGE(ValueEquals(v, back->root()), what, " as JSON:\n", json);
  }
  std::string yaml = ToYaml(v);
  auto back = ReadDocument(yaml, {Format::kYaml, what + ".yaml"});
  REQUIRE_MESSAGE(back.ok(), back.status().ToString(), "\n", yaml);
  CHECK_MESSAGE(ValueEquals(v, back->root()), what, " as YAML:\n", yaml);
  // Writing is stable: what was read back is written the same way.
  CHECK(ToYaml(back->root()) == yaml);
}

std::string JsonString(std::string_view s) {
  std::string out;
  AppendJsonString(&out, s);
  return out;
}

TEST_CASE("write JSON strings are escaped per RFC 8259") {
  CHECK(JsonString("") == R"("")");
  CHECK(JsonString("plain /text/") == R"("plain /text/")");
  CHECK(JsonString("q\"b\\") == R"("q\"b\\")");
  CHECK(JsonString("\b\f\n\r\t") == R"("\b\f\n\r\t")");
  CHECK(JsonString(std::string_view("\0\x01\x1f", 3)) == R"("\u0000\u0001\u001f")");
  CHECK(JsonString("\x7f") == "\"\x7f\"");  // DEL needs no escape
  CHECK(JsonString("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80") ==
        "\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\"");
  // Invalid UTF-8 (only trees built in memory can hold it) is replaced, one
  // U+FFFD per bad byte, so the output stays valid.
  CHECK(JsonString("a\xff"
                   "b") == R"("a\ufffdb")");
  CHECK(JsonString("\xc0\xaf") == R"("\ufffd\ufffd")");                      // overlong '/'
  CHECK(JsonString("\xed\xa0\x80") == R"("\ufffd\ufffd\ufffd")");            // surrogate
  CHECK(JsonString("\xf4\x90\x80\x80") == R"("\ufffd\ufffd\ufffd\ufffd")");  // > U+10FFFF
  CHECK(JsonString("x\xe2\x82") == R"("x\ufffd\ufffd")");                    // truncated

  std::string out = "prefix:";
  AppendJsonString(&out, "v");
  CHECK(out == R"(prefix:"v")");

  // Every byte value survives a trip through the JSON reader.
  std::string all;
  for (int c = 1; c < 0x80; ++c) all.push_back(static_cast<char>(c));
  all += "\xc3\xa9\xe2\x80\xa8\xf0\x9f\x98\x80";
  Arena arena;
  Value map = Value::EmptyMap();
  map.Set(arena, all, Value::String(arena, all));
  Document back = Read(ToJson(map), Format::kJson);
  REQUIRE(back.root().members.size() == 1);
  CHECK(back.root().members[0].key == all);
  CHECK(back.root().Find(all)->text == all);
}

TEST_CASE("write JSON compact and pretty") {
  Document doc = Read(
      "kind: X\n"
      "spec:\n"
      "  z: 1\n"
      "  a: [true, no, ~, 1.5, -3, 'x']\n"
      "  empty: {}\n"
      "  none: []\n"
      "  nested: [[], {k: v}]\n");
  CHECK(ToJson(doc.root()) ==
        R"({"kind":"X","spec":{"z":1,"a":[true,false,null,1.5,-3,"x"],"empty":{},"none":[],)"
        R"("nested":[[],{"k":"v"}]}})");
  CHECK(ToJson(doc.root(), {2}) ==
        R"({
  "kind": "X",
  "spec": {
    "z": 1,
    "a": [
      true,
      false,
      null,
      1.5,
      -3,
      "x"
    ],
    "empty": {},
    "none": [],
    "nested": [
      [],
      {
        "k": "v"
      }
    ]
  }
})");
  CHECK(ToJson(doc.root(), {-1}) == ToJson(doc.root()));
  CHECK(ToJson(*doc.root().Find("spec")->Find("z"), {4}) == "1");
  CHECK(ToJson(Value::EmptyMap(), {4}) == "{}");

  std::string out = "[";
  AppendJson(&out, *doc.root().Find("spec")->Find("nested"));
  CHECK(out == R"([[[],{"k":"v"}])");
}

TEST_CASE("write JSON numbers keep their text and get a JSON form") {
  Document doc = Read(
      "a: 12\nb: -0.25e-3\nc: .5\nd: +1.5\ne: 1.\nf: 007.50\ng: -.5E+3\nh: 0x1F\ni: 1_000\n"
      "j: .inf\nk: -.Inf\nl: .nan\nm: 1e3\nn: 0.0\n");
  CHECK(ToJson(doc.root()) ==
        R"({"a":12,"b":-0.25e-3,"c":0.5,"d":1.5,"e":1.0,"f":7.50,"g":-0.5E+3,"h":31,"i":1000,)"
        R"("j":null,"k":null,"l":null,"m":1e3,"n":0.0})");
  // Numbers read from JSON come out exactly as written.
  std::string json = R"({"a":-0,"b":1.0E+2,"c":123456789012345678,"d":-1.25e-7,"e":0.1})";
  CHECK(ToJson(Read(json, Format::kJson).root()) == json);

  Arena arena;
  Value list = Value::EmptyList();
  list.Push(arena, Value::Int(arena, -42));
  Value not_a_number;
  not_a_number.kind = Value::Kind::kFloat;
  not_a_number.text = "1e";
  list.Push(arena, not_a_number);
  not_a_number.text = "";
  list.Push(arena, not_a_number);
  CHECK(ToJson(list) == "[-42,null,null]");
}

TEST_CASE("write YAML example in block style") {
  Document doc =
      Read(R"({"apiVersion":"sympozium.ai/v1alpha1","kind":"SympoziumPolicy",)"
           R"("metadata":{"name":"p","labels":{}},)"
           R"("spec":{"rules":[{"tool":"write_file","action":"deny"},{"tool":"read_file"}],)"
           R"("maxCPU":"2","count":3,"ratio":0.5,"on":true,"note":null,"empty":[],)"
           R"("script":"line 1\nline 2\n","msg":"a: b"}})");
  CHECK(ToYaml(doc.root()) ==
        R"(apiVersion: sympozium.ai/v1alpha1
kind: SympoziumPolicy
metadata:
  name: p
  labels: {}
spec:
  rules:
    - tool: write_file
      action: deny
    - tool: read_file
  maxCPU: "2"
  count: 3
  ratio: 0.5
  "on": true
  note: null
  empty: []
  script: |
    line 1
    line 2

  msg: "a: b"
)");
  CHECK(ToYaml(Value::EmptyMap()) == "{}\n");
  CHECK(ToYaml(Value::EmptyList()) == "[]\n");
}

TEST_CASE("write YAML quotes strings that would read back as another type") {
  const std::vector<std::string> tricky = {
      "",
      " ",
      "true",
      "True",
      "FALSE",
      "yes",
      "No",
      "on",
      "OFF",
      "y",
      "n",
      "Y",
      "N",
      "null",
      "Null",
      "~",
      "1",
      "-1",
      "+1",
      "0",
      "007",
      "0x10",
      "0X1f",
      "0o17",
      "0b101",
      "1_000",
      "1e3",
      "1E-3",
      "1.5",
      "-1.5",
      ".5",
      "1.",
      "+.5e3",
      ".inf",
      "-.Inf",
      ".NaN",
      "1:30",
      "190:20:30.15",
      "2024-01-02",
      "2024-01-02T03:04:05Z",
      "2001-12-14 21:59:43.10 -5",
      "<<",
      "=",
      " lead",
      "trail ",
      "a: b",
      "a #b",
      "#c",
      "- x",
      "-",
      "---",
      "...",
      "--- x",
      "... x",
      "---x",
      "? q",
      "?",
      ":x",
      "x:",
      "&a",
      "*a",
      "!tag",
      "%d",
      "@at",
      "`bt",
      "|",
      ">",
      "'s",
      "\"d",
      "{}",
      "[]",
      "{a",
      "a,b",
      "a\tb",
      "\ttab",
      "back\\slash",
      "caf\xc3\xa9",
      "\xc2\xa0nbsp",
      "\x01"
      "ctl",
      "del\x7f",
      "nel\xc2\x85",
      "ls\xe2\x80\xa8",
      "\xef\xbb\xbf"
      "bom",
      "cr\rlf",
      "a\nb",
      "a\nb\n",
      "a\n\nb\n",
      "a\nb\n\n",
      "\n",
      "\na\n",
      " a\nb\n",
      "a\n \n",
      "a\n  b\n",
      "tab\n\tb\n",
      "# not a comment\n- x\n",
      "quote\"s\nand 'single'\n",
      "8Gi",
      "500m",
      "1.2.3",
      "v1",
      "e5",
      "0x",
      "_",
      "1e",
      "0b2",
  };
  Arena arena;
  Value map = Value::EmptyMap();
  Value list = Value::EmptyList();
  for (size_t i = 0; i < tricky.size(); ++i) {
    std::string key = "k" + std::to_string(i);
    map.Set(arena, key, Value::StringView(tricky[i]));
    list.Push(arena, Value::StringView(tricky[i]));
  }
  Value root = Value::EmptyMap();
  root.Set(arena, "map", map);
  root.Set(arena, "list", list);
  std::string yaml = ToYaml(root);
  Document back = Read(yaml, Format::kYaml);
  for (size_t i = 0; i < tricky.size(); ++i) {
    CAPTURE(tricky[i]);
    const Value* v = back.root().Find("map")->Find("k" + std::to_string(i));
    REQUIRE(v != nullptr);
    CHECK(v->kind == Value::Kind::kString);
    CHECK(v->text == tricky[i]);
    const Value& item = back.root().Find("list")->items[i];
    CHECK(item.kind == Value::Kind::kString);
    CHECK(item.text == tricky[i]);
  }

  // The same strings as keys.
  Value keys = Value::EmptyMap();
  for (const std::string& s : tricky) keys.Set(arena, s, Value::Bool(true));
  std::string keys_yaml = ToYaml(keys);
  Document keys_back = Read(keys_yaml, Format::kYaml);
  CHECK_MESSAGE(ValueEquals(keys, keys_back.root()), keys_yaml);

  // As a YAML 1.1 writer (Go's yaml.v2) would: quoted only when needed.
  Value simple = Value::EmptyMap();
  for (const char* s : {"true", "1", "1e3", "2024-01-02", "8Gi", "500m", "v1.2", "a b"})
    simple.Set(arena, s, Value::StringView(s));
  CHECK(ToYaml(simple) ==
        "\"true\": \"true\"\n\"1\": \"1\"\n\"1e3\": \"1e3\"\n\"2024-01-02\": \"2024-01-02\"\n"
        "8Gi: 8Gi\n500m: 500m\nv1.2: v1.2\na b: a b\n");
}

TEST_CASE("write YAML scalars of other kinds are plain") {
  Document doc = Read("a: 0x10\nb: -1.5e3\nc: yes\nd: ~\ne: 'text'\nf: .inf\n");
  std::string yaml = ToYaml(doc.root());
  CHECK(yaml == "a: 16\nb: -1.5e3\nc: true\nd: null\ne: text\nf: .inf\n");
  CHECK(ValueEquals(Read(yaml, Format::kYaml).root(), doc.root()));
  // JSON has no infinity, so only the rest goes both ways.
  doc.mutable_root().Remove("f");
  CheckRoundTrip(doc.root(), "scalars");
  // A root that is not a collection is still a document.
  Arena arena;
  CHECK(ToYaml(Value::Int(arena, 7)) == "7\n");
  CHECK(ToYaml(Value::StringView("true")) == "\"true\"\n");
  CHECK(ToYaml(Value::StringView("--- x")) == "\"--- x\"\n");
  // Escaping is per string: only the one with DEL has its non-ASCII escaped.
  Value escapes = Value::EmptyMap();
  escapes.Set(arena, "a", Value::StringView("\xc3\xa9\x7f"));
  escapes.Set(arena, "b", Value::StringView("\xc3\xa9\tx"));
  escapes.Set(arena, "c", Value::StringView("\xc3\xa9"));
  CHECK(ToYaml(escapes) == "a: \"\\xe9\\x7f\"\nb: \"\xc3\xa9\\tx\"\nc: \xc3\xa9\n");
}

TEST_CASE("write round-trips every fixture as JSON and YAML") {
  namespace fs = std::filesystem;
  const std::string dir = "fixtures/sympozium";
  const fs::path root = testing::DataPath(dir);
  std::vector<std::string> files;
  for (const auto& entry : fs::recursive_directory_iterator(root))
    if (entry.path().extension() == ".yaml")
      files.push_back(dir + "/" + entry.path().lexically_relative(root).string());
  REQUIRE(files.size() >= 20);
  size_t documents = 0;
  for (const std::string& file : files) {
    CAPTURE(file);
    auto docs = ReadDocuments(testing::ReadData(file), {Format::kAuto, file});
    REQUIRE_MESSAGE(docs.ok(), docs.status().ToString());
    for (const Document& doc : *docs) {
      CheckRoundTrip(doc.root(), doc.Describe());
      ++documents;
    }
  }
  CHECK(documents >= files.size());
}

TEST_CASE("write deep and large trees") {
  Arena arena;
  // As deep as the reader accepts, alternating lists and maps.
  Value deep = Value::StringView("leaf");
  for (int depth = 1; depth < static_cast<int>(DefaultLimits().max_depth); ++depth) {
    Value parent = depth % 2 ? Value::EmptyMap() : Value::EmptyList();
    if (parent.is_list()) {
      parent.Push(arena, deep);
    } else {
      parent.Set(arena, "d" + std::to_string(depth), deep);
    }
    deep = parent;
  }
  CheckRoundTrip(deep, "deep");

  // Deeper than any reader allows: writing has no depth limit of its own.
  Value very_deep = Value::EmptyList();
  for (int depth = 1; depth < 5000; ++depth) {
    Value parent = Value::EmptyList();
    parent.Push(arena, very_deep);
    very_deep = parent;
  }
  CHECK(ToJson(very_deep) == std::string(5000, '[') + std::string(5000, ']'));

  Value large = Value::EmptyList();
  for (int i = 0; i < 20000; ++i) {
    Value item = Value::EmptyMap();
    item.Set(arena, "name", Value::String(arena, "item-" + std::to_string(i)));
    item.Set(arena, "n", Value::Int(arena, i));
    item.Set(arena, "odd", Value::Bool(i % 2 == 1));
    item.Set(arena, "text", Value::StringView("a \"quoted\"\tline\n"));
    large.Push(arena, item);
  }
  Value wrapper = Value::EmptyMap();
  wrapper.Set(arena, "items", large);
  CheckRoundTrip(wrapper, "large");
  std::string json = ToJson(wrapper);
  CHECK(json.rfind(R"({"items":[{"name":"item-0","n":0,"odd":false,)", 0) == 0);
  CHECK(json.size() > 20000 * 50);
}

}  // namespace
}  // namespace sympozium
