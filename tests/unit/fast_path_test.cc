// The JSON admission fast path (lib/decode/fast_json.h) against the slow
// path it stands in for (ReadInto + DecodeInto): every AgentRun and pod of
// the fixtures and conformance cases, written as JSON, and mutants of them
// aimed at where a simdjson DOM and the reader differ (duplicate keys,
// numbers the DOM cannot spell back, limits, nesting, trailing bytes,
// truncation, wrong types), evaluated both ways in both modes under several
// bindings. Where the fast path answers, its Decision must be the slow
// path's, field for field; Evaluate(bytes) must always be.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "lib/base/image_ref.h"
#include "lib/decode/decode.h"
#include "lib/evaluate/evaluate_internal.h"
#include "lib/write/write.h"
#include "sympozium/cluster.h"
#include "sympozium/evaluate.h"
#include "sympozium/strings.h"
#include "tests/unit/test_util.h"

namespace sympozium {
namespace {

namespace fs = std::filesystem;
using evaluate_internal::EvaluateBytes;
using evaluate_internal::Route;

// Everything a Decision says (ToJson has all but the warnings' sources).
std::string Canonical(const Decision& d) {
  std::string out = d.ToJson();
  for (const Diagnostic& w : d.warnings) out += "\n" + w.ToString();
  return out;
}

// A document with the bindings it is evaluated under.
struct Subject {
  std::string name;
  std::shared_ptr<Document> doc;
  std::vector<Binding> bindings;
};

// What is kept alive for the subjects' bindings.
struct Contexts {
  PolicyPtr restrictive_strict;
  PolicyPtr restrictive_compat;
  std::vector<PolicyPtr> policies;
  std::vector<std::shared_ptr<Cluster>> clusters;
};

class Harness {
 public:
  // Evaluates `bytes` slow, fast and automatically under every binding in
  // both modes; reports any difference.
  void Check(const std::string& what, std::string_view bytes, const std::vector<Binding>& bindings,
             const ReadOptions& read = {}) {
    for (const Binding& binding : bindings) {
      for (Mode mode : {Mode::kCompat, Mode::kStrict}) {
        EvaluateOptions options;
        options.mode = mode;
        options.read = read;
        std::optional<Decision> slow = EvaluateBytes(bytes, binding, options, Route::kSlow);
        std::optional<Decision> fast = EvaluateBytes(bytes, binding, options, Route::kFast);
        Decision automatic = Evaluate(bytes, binding, options);
        ++evaluations_;
        REQUIRE(slow.has_value());
        std::string want = Canonical(*slow);
        if (fast) {
          ++fast_;
          if (Canonical(*fast) != want) Fail(what, bytes, "fast", Canonical(*fast), want);
        }
        if (Canonical(automatic) != want)
          Fail(what, bytes, "Evaluate(bytes)", Canonical(automatic), want);
      }
    }
  }

  long evaluations() const { return evaluations_; }
  long fast() const { return fast_; }
  int failures() const { return failures_; }

 private:
  void Fail(const std::string& what, std::string_view bytes, const std::string& route,
            const std::string& got, const std::string& want) {
    if (++failures_ > 10) return;
    std::string shown(bytes.substr(0, 400));
    FAIL_CHECK(what << ": " << route << " differs from the slow path\n got: " << got
                    << "\nwant: " << want << "\n--- input ---\n"
                    << shown);
  }

  long evaluations_ = 0;
  long fast_ = 0;
  int failures_ = 0;
};

std::string Scalar(const Value* v) {
  return v != nullptr && v->is_scalar() ? std::string(v->text) : std::string();
}
std::string NameOf(const Value& doc, const char* field) {
  const Value* meta = doc.Find("metadata");
  return Scalar(meta ? meta->Find(field) : nullptr);
}

bool Evaluated(std::string_view kind) { return kind == "AgentRun" || IsPodKind(kind); }

// The AgentRuns and pods of every fixture: the restrictive preset in both
// forms, none, and a lookup in a cluster of the fixture SkillPacks.
void AddFixtures(Contexts& contexts, std::vector<Subject>* out) {
  std::vector<fs::path> files;
  for (const auto& e : fs::recursive_directory_iterator(testing::DataPath("fixtures")))
    if (e.is_regular_file() && e.path().extension() == ".yaml") files.push_back(e.path());
  std::sort(files.begin(), files.end());
  auto packs = std::make_shared<Cluster>();
  contexts.clusters.push_back(packs);
  std::vector<std::shared_ptr<Document>> docs;
  for (const fs::path& file : files) {
    absl::StatusOr<std::vector<Document>> read = ReadDocuments(*ReadFile(file.string()));
    REQUIRE_MESSAGE(read.ok(), file.string());
    for (Document& doc : *read) {
      if (doc.kind() == "SkillPack") REQUIRE(packs->Add(Document::Copy(doc.root(), "")).ok());
      if (Evaluated(doc.kind()))
        out->push_back(
            {file.filename().string(),
             std::make_shared<Document>(std::move(doc)),
             {Binding::None(), Binding::Direct(contexts.restrictive_strict.get(), packs.get()),
              Binding::Direct(contexts.restrictive_compat.get()), Binding::Lookup(packs.get())}});
    }
  }
}

// The AgentRun or pod of every conformance case, with the case's policy
// bound directly and (for runs) looked up as the case's cluster model says.
void AddCases(Contexts& contexts, std::vector<Subject>* out) {
  std::vector<fs::path> files;
  for (const auto& e : fs::recursive_directory_iterator(testing::DataPath("conformance/cases")))
    if (e.is_regular_file() && e.path().extension() == ".yaml") files.push_back(e.path());
  std::sort(files.begin(), files.end());
  REQUIRE(files.size() > 100);
  for (const fs::path& file : files) {
    absl::StatusOr<Document> c = ReadDocument(*ReadFile(file.string()));
    REQUIRE_MESSAGE(c.ok(), file.string());
    const Value& root = c->root();
    auto cluster = std::make_shared<Cluster>();
    contexts.clusters.push_back(cluster);
    if (const Value* packs = root.Find("skillPacks"); packs != nullptr && packs->is_list())
      for (const Value& pack : packs->items) REQUIRE(cluster->Add(Document::Copy(pack, "")).ok());
    const Value* policy = root.Find("policy");
    PolicyPtr compiled;
    if (policy != nullptr && policy->is_map()) {
      CompileOptions options;
      options.mode = Mode::kCompat;
      absl::StatusOr<PolicyPtr> p = CompilePolicy(ToJson(*policy), options);
      REQUIRE_MESSAGE(p.ok(), file.string());
      compiled = *p;
      contexts.policies.push_back(compiled);
      REQUIRE(cluster->Add(Document::Copy(*policy, "")).ok());
    }
    for (const char* part : {"agentRun", "object"}) {
      const Value* v = root.Find(part);
      if (v == nullptr || !v->is_map()) continue;
      if (const Value* agent = root.Find("agent"); agent == nullptr) {
        const Value* spec = v->Find("spec");
        std::string name = Scalar(spec ? spec->Find("agentRef") : nullptr);
        std::string bound = policy != nullptr && policy->is_map() ? NameOf(*policy, "name") : "";
        std::string text =
            StrCat("apiVersion: sympozium.ai/v1alpha1\nkind: Agent\nmetadata:\n", "  name: '", name,
                   "'\n  namespace: '", NameOf(*v, "namespace"), "'\nspec: {",
                   bound.empty() ? "" : "policyRef: '" + bound + "'", "}\n");
        if (!name.empty()) (void)cluster->AddDocuments(text);  // a quoted name may not read
      } else if (agent->is_map()) {
        REQUIRE(cluster->Add(Document::Copy(*agent, "")).ok());
      }
      out->push_back(
          {file.filename().string() + ":" + part,
           std::make_shared<Document>(Document::Copy(*v, "")),
           {Binding::Direct(compiled.get(), cluster.get()), Binding::Lookup(cluster.get()),
            Binding::Direct(contexts.restrictive_strict.get())}});
    }
  }
}

std::vector<Subject> Subjects(Contexts& contexts) {
  contexts.restrictive_strict = *Preset("restrictive", Mode::kStrict);
  contexts.restrictive_compat = *Preset("restrictive", Mode::kCompat);
  std::vector<Subject> subjects;
  AddFixtures(contexts, &subjects);
  AddCases(contexts, &subjects);
  return subjects;
}

// ---- Mutants -----------------------------------------------------------------

// A copy of `doc` changed by `edit`, as compact JSON.
std::string Edited(const Document& doc, const std::function<void(Arena&, Value&)>& edit) {
  Document copy = Document::Copy(doc.root(), "");
  edit(copy.arena(), copy.mutable_root());
  return ToJson(copy.root());
}

Value Number(Arena& arena, std::string_view text, bool is_float) {
  Value v = Value::String(arena, text);
  v.kind = is_float ? Value::Kind::kFloat : Value::Kind::kInt;
  return v;
}

// The maps of a tree, parents first.
void Maps(Value& v, std::vector<Value*>* out) {
  if (v.is_map()) out->push_back(&v);
  for (Value& item : v.items) Maps(item, out);
  for (Member& m : v.members) Maps(m.value, out);
}

// Nested lists (or maps) `depth` levels deep around `leaf`.
Value Nest(Arena& arena, size_t depth, bool maps, const Value& leaf) {
  Value v = leaf;
  for (size_t i = 0; i < depth; ++i) {
    Value outer = maps ? Value::EmptyMap() : Value::EmptyList();
    if (maps)
      outer.Set(arena, "k", v);
    else
      outer.Push(arena, v);
    v = outer;
  }
  return v;
}

// Where the fast path's object must be kept by value (volumes, quantities):
// numbers of every spelling, including those the DOM cannot give back.
const std::pair<const char*, bool> kNumbers[] = {{"1", false},
                                                 {"0", false},
                                                 {"-0", false},
                                                 {"-7", false},
                                                 {"1.5", true},
                                                 {"-0.0", true},
                                                 {"1e3", true},
                                                 {"1E-2", true},
                                                 {"9223372036854775807", false},
                                                 {"9223372036854775808", false},
                                                 {"18446744073709551615", false},
                                                 {"18446744073709551616", false},
                                                 {"123456789012345678901234567890", false},
                                                 {"1e400", true},
                                                 {"4.9e-324", true}};

// Mutants of one document: (what, bytes, read options).
struct Mutant {
  std::string what;
  std::string bytes;
  ReadOptions read;
};

std::vector<Mutant> Mutants(const Document& doc) {
  std::vector<Mutant> out;
  auto add = [&](std::string what, std::string bytes, ReadOptions read = {}) {
    out.push_back({std::move(what), std::move(bytes), std::move(read)});
  };
  const std::string json = ToJson(doc.root());
  const bool run = doc.kind() == "AgentRun";

  // Layout and framing.
  add("pretty", ToJson(doc.root(), {2}));
  add("leading space", " \n\t" + json);
  add("trailing space", json + " \r\n");
  add("BOM", "\xEF\xBB\xBF" + json);
  add("YAML", ToYaml(doc.root()));
  for (const char* tail : {" x", "}", ",", "{}", "\n{}"}) add("trailing", json + tail);
  add("trailing NUL", json + std::string(1, '\0'));
  for (size_t cut = 0; cut < json.size(); cut += 1 + json.size() / 40)
    add("truncated", json.substr(0, cut));
  add("kind: List", StrCat(R"({"apiVersion":"v1","kind":"List","items":[)", json, "]}"));
  add("a list", "[" + json + "]");
  if (size_t at = json.find("\"kind\":"); at != std::string::npos) {
    std::string escaped = json;
    escaped.replace(at, 7, R"("\u006bind":)");
    add("escaped key", escaped);
    add("escaped duplicate key", R"({"\u006bind":"x",)" + json.substr(1));
  }
  ReadOptions as_json, as_yaml;
  as_json.format = Format::kJson;
  as_yaml.format = Format::kYaml;
  add("format json", json, as_json);
  add("format json, YAML text", ToYaml(doc.root()), as_json);
  add("format yaml", json, as_yaml);

  // Limits the reader enforces, just met and just missed.
  uint32_t nodes = 0, depth = 0, longest = 0;
  std::function<void(const Value&, uint32_t)> count = [&](const Value& v, uint32_t d) {
    ++nodes;
    depth = std::max(depth, d);
    longest = std::max<uint32_t>(longest, std::max(v.items.size(), v.members.size()));
    for (const Value& item : v.items) count(item, d + 1);
    for (const Member& m : v.members) count(m.value, d + 1);
  };
  count(doc.root(), 1);
  for (uint32_t delta : {0u, 1u}) {
    ReadOptions read;
    read.limits.max_nodes = nodes - delta;
    add(StrCat("max_nodes ", read.limits.max_nodes), json, read);
    read = {};
    read.limits.max_depth = depth - delta;
    add(StrCat("max_depth ", read.limits.max_depth), json, read);
    read = {};
    read.limits.max_list_length = longest - delta;
    add(StrCat("max_list_length ", read.limits.max_list_length), json, read);
    read = {};
    read.limits.max_bytes = json.size() - delta;
    add(StrCat("max_bytes ", read.limits.max_bytes), json, read);
  }
  ReadOptions zero;
  zero.limits.max_documents = 0;
  add("max_documents 0", json, zero);
  zero = {};
  zero.limits.max_depth = 0;
  add("max_depth 0", json, zero);
  zero = {};
  zero.limits.max_nodes = 0;
  add("max_nodes 0", json, zero);
  zero = {};
  zero.limits.max_list_length = 0;
  add("max_list_length 0", json, zero);

  // Nesting around the default max_depth (64), under an unknown field.
  for (size_t levels : {60, 61, 62, 63, 64, 70}) {
    for (bool maps : {false, true}) {
      for (const Value& leaf : {Value::StringView("x"), Value::EmptyList()}) {
        add(StrCat("nested ", levels, maps ? " maps" : " lists"),
            Edited(doc, [&](Arena& a, Value& root) {
              root.Set(a, "deep", Nest(a, levels, maps, leaf));
            }));
      }
    }
  }

  // Duplicate keys, in each map (the first few), at its start and end.
  std::vector<Value*> maps;
  Document probe = Document::Copy(doc.root(), "");
  Maps(probe.mutable_root(), &maps);
  for (size_t m = 0; m < maps.size() && m < 12; ++m) {
    if (maps[m]->members.empty()) continue;
    add(StrCat("duplicate key in map ", m), Edited(doc, [&](Arena& a, Value& root) {
          std::vector<Value*> targets;
          Maps(root, &targets);
          Value& target = *targets[m];
          Member dup = target.members[0];
          target.members.Append(a, dup);
        }));
  }
  add("duplicate in a big map", Edited(doc, [](Arena& a, Value& root) {
        Value big = Value::EmptyMap();
        for (int i = 0; i < 40; ++i) big.Set(a, StrCat("k", i), Value::Int(a, i));
        big.members.Append(a, big.members[7]);
        root.Set(a, "big", big);
      }));
  add("a big map", Edited(doc, [](Arena& a, Value& root) {
        Value big = Value::EmptyMap();
        for (int i = 0; i < 40; ++i) big.Set(a, StrCat("k", i), Value::Int(a, i + 1));
        root.Set(a, "big", big);
      }));

  // Numbers where the object keeps their text: volume sources (runs) and
  // resource quantities (pods); and numbers where a string or an int goes.
  for (const auto& [text, is_float] : kNumbers) {
    std::string number = text;
    bool flt = is_float;
    if (run) {
      // Two volumes of one name: their sources are compared as written.
      for (const auto& [other, other_is_float] :
           {std::pair<std::string, bool>{number, flt}, {"0", false}, {"-0", false}}) {
        add(StrCat("volume numbers ", number, ", ", other), Edited(doc, [&](Arena& a, Value& root) {
              Value* spec = root.FindMutable("spec");
              if (spec == nullptr || !spec->is_map()) return;
              Value volumes = Value::EmptyList();
              for (const Value& n : {Number(a, number, flt), Number(a, other, other_is_float)}) {
                Value volume = Value::EmptyMap();
                volume.Set(a, "name", Value::String(a, "v"));
                Value source = Value::EmptyMap();
                source.Set(a, "defaultMode", n);
                source.Set(a, "items", Nest(a, 2, false, n));
                volume.Set(a, "secret", source);
                volumes.Push(a, volume);
              }
              spec->Set(a, "volumes", volumes);
            }));
      }
    }
    add(StrCat("numbers ", number), Edited(doc, [&](Arena& a, Value& root) {
          std::vector<Value*> targets;
          Maps(root, &targets);
          for (Value* map : targets)
            for (Member& m : map->members) {
              if (m.key == "cpu" || m.key == "memory" || m.key == "spawnDepth" ||
                  m.key == "runAsUser" || m.key == "agentRef")
                m.value = Number(a, number, flt);
            }
        }));
  }

  // Each of the first maps' members swapped for each type.
  const std::vector<std::function<Value(Arena&)>> replacements = {
      [](Arena&) { return Value::Null(); },
      [](Arena&) { return Value::Bool(true); },
      [](Arena& a) { return Value::Int(a, 7); },
      [](Arena& a) { return Number(a, "2.5", true); },
      [](Arena& a) { return Value::String(a, "x"); },
      [](Arena&) { return Value::EmptyList(); },
      [](Arena& a) {
        Value v = Value::EmptyMap();
        v.Set(a, "x", Value::String(a, "y"));
        return v;
      }};
  size_t member = 0;
  for (size_t m = 0; m < maps.size(); ++m) {
    for (size_t k = 0; k < maps[m]->members.size(); ++k, ++member) {
      if (member % 3 != 0) continue;  // a third of them, spread out
      for (size_t r = 0; r < replacements.size(); ++r)
        add(StrCat("swap ", maps[m]->members[k].key, " #", r),
            Edited(doc, [&](Arena& a, Value& root) {
              std::vector<Value*> targets;
              Maps(root, &targets);
              targets[m]->members[k].value = replacements[r](a);
            }));
    }
  }
  return out;
}

TEST_CASE("fast path: the fixtures and conformance documents decide as the slow path") {
  Contexts contexts;
  std::vector<Subject> subjects = Subjects(contexts);
  REQUIRE(subjects.size() > 100);
  Harness harness;
  for (const Subject& s : subjects) {
    harness.Check(s.name, ToJson(s.doc->root()), s.bindings);
    if (harness.failures() > 10) break;
  }
  MESSAGE(subjects.size(), " documents, ", harness.evaluations(), " evaluations, ", harness.fast(),
          " on the fast path");
  CHECK(harness.failures() == 0);
  // Unmutated documents take the fast path, but for the few that hold a
  // number it cannot spell back.
  CHECK(harness.fast() * 10 > harness.evaluations() * 9);
}

TEST_CASE("fast path: mutants decide as the slow path") {
  Contexts contexts;
  std::vector<Subject> subjects = Subjects(contexts);
  Harness harness;
  size_t mutants = 0;
  // Every fifth subject, each with every mutant, under its first binding
  // and the restrictive preset.
  for (size_t i = 0; i < subjects.size() && harness.failures() <= 10; i += 5) {
    const Subject& s = subjects[i];
    std::vector<Binding> bindings = {s.bindings.front(),
                                     Binding::Direct(contexts.restrictive_strict.get())};
    for (const Mutant& m : Mutants(*s.doc)) {
      ++mutants;
      harness.Check(s.name + " [" + m.what + "]", m.bytes, bindings, m.read);
    }
  }
  MESSAGE(mutants, " mutants, ", harness.evaluations(), " evaluations, ", harness.fast(),
          " on the fast path");
  CHECK(harness.failures() == 0);
  // Not vacuous: the fast path answers for many mutants and declines many.
  CHECK(harness.fast() * 5 > harness.evaluations());
  CHECK(harness.fast() * 2 < harness.evaluations());
}

TEST_CASE("fast path: what it declines") {
  Contexts contexts;
  contexts.restrictive_strict = *Preset("restrictive", Mode::kStrict);
  Binding binding = Binding::Direct(contexts.restrictive_strict.get());
  auto fast = [&](std::string_view bytes, const EvaluateOptions& options = {}) {
    return EvaluateBytes(bytes, binding, options, Route::kFast).has_value();
  };
  const std::string run = R"({"apiVersion":"sympozium.ai/v1alpha1","kind":"AgentRun",)"
                          R"("metadata":{"name":"r","namespace":"ns"},"spec":{"agentRef":"a"})";
  CHECK(fast(run + "}"));
  CHECK(fast(R"({"apiVersion":"v1","kind":"Pod","metadata":{"name":"p"},"spec":{}})"));
  // Not JSON, not an object, not a kind it decodes, or a List.
  CHECK_FALSE(fast("kind: AgentRun\n"));
  CHECK_FALSE(fast("[" + run + "}]"));
  CHECK_FALSE(fast(R"({"apiVersion":"sympozium.ai/v1alpha1","kind":"SkillPack"})"));
  CHECK_FALSE(fast(R"({"kind":"List","items":[]})"));
  // What the reader refuses and the DOM takes.
  CHECK_FALSE(fast(run + R"(,"kind":"AgentRun"})"));
  CHECK_FALSE(fast(run + R"(,"status":{"a":1,"b":{"c":2,"c":3}}})"));
  // Numbers whose text the DOM does not keep, where the object keeps it.
  std::string volume = R"(,"volumes":[{"name":"v","secret":{"defaultMode":%}}]})";
  auto with_volume_number = [&](std::string_view number) {
    std::string v = volume;
    v.replace(v.find('%'), 1, number);
    return run.substr(0, run.size() - 1) + v + "}";
  };
  CHECK(fast(with_volume_number("420")));
  CHECK_FALSE(fast(with_volume_number("0")));
  CHECK_FALSE(fast(with_volume_number("-0")));
  CHECK_FALSE(fast(with_volume_number("0.5")));
  // A number nothing keeps is fine anywhere.
  CHECK(fast(run + R"(,"status":{"cost":0.25,"n":0}})"));
  // A decode error is reported by the slow path, with its position.
  CHECK_FALSE(fast(R"({"apiVersion":"sympozium.ai/v1alpha1","kind":"AgentRun","spec":[]})"));
  Decision d =
      Evaluate(R"({"apiVersion":"sympozium.ai/v1alpha1","kind":"AgentRun","spec":[]})", binding);
  CHECK(d.result == Result::kError);
  CHECK(d.message.find("<input>:1:64") != std::string::npos);
  // Options that need a Document.
  EvaluateOptions mutate;
  mutate.mutate_first = true;
  CHECK_FALSE(fast(run + "}", mutate));
}

TEST_CASE("fast path: a pod bound by lookup finds its Agent's policy through its label") {
  Cluster cluster;
  REQUIRE(cluster
              .AddDocuments(R"({"apiVersion":"sympozium.ai/v1alpha1","kind":"Agent",)"
                            R"("metadata":{"name":"alice","namespace":"ns"},)"
                            R"("spec":{"policyRef":"restrictive"}})")
              .ok());
  // Only ghcr.io images: alice's pod is denied, an unbound one is not.
  REQUIRE(cluster
              .AddDocuments(R"({"apiVersion":"sympozium.ai/v1alpha1","kind":"SympoziumPolicy",)"
                            R"("metadata":{"name":"restrictive","namespace":"ns"},)"
                            R"("spec":{"imagePolicy":{"allowedRegistries":["ghcr.io/"]}}})")
              .ok());
  Binding binding = Binding::Lookup(&cluster);
  auto decide = [&](std::string_view labels, Route route) {
    std::string pod =
        StrCat(R"({"apiVersion":"batch/v1","kind":"Job","metadata":{"name":"j",)",
               R"("namespace":"ns"},"spec":{"template":{"metadata":{"labels":)", labels,
               R"(},"spec":{"containers":[{"name":"c","image":"busybox"}]}}}})");
    return EvaluateBytes(pod, binding, {}, route);
  };
  for (std::string_view labels :
       {R"({"sympozium.ai/instance":"alice"})", R"({"sympozium.ai/instance":"bob"})",
        R"({"sympozium.ai/instance":7})", R"({})"}) {
    std::optional<Decision> fast = decide(labels, Route::kFast);
    REQUIRE_MESSAGE(fast.has_value(), labels);
    CHECK_MESSAGE(Canonical(*fast) == Canonical(*decide(labels, Route::kSlow)), labels);
  }
}

TEST_CASE("fast path: strict matching of an image as written answers as of its ImageRef") {
  std::vector<std::string> images = {"busybox",
                                     "busybox:1.36",
                                     "library/busybox",
                                     "docker.io/busybox",
                                     "docker.io/library/x",
                                     "index.docker.io/user/app:v1",
                                     "ghcr.io/acme",
                                     "ghcr.io/acme/x:1",
                                     "ghcr.io/acme-evil/x",
                                     "localhost/a",
                                     "localhost:5000/team/a@sha256:" + std::string(64, 'a'),
                                     "UPPER/Case",
                                     "Registry.Example.COM/x/y",
                                     std::string(64, 'f'),
                                     "",
                                     "/",
                                     "/x",
                                     "a/",
                                     "x/y/",
                                     "a b",
                                     "ghcr.io/" + std::string(300, 'a'),
                                     "ghcr.io/acme/" + std::string(250, 'b') + ":t",
                                     std::string(270, 'c'),
                                     "quay.io/x:bad tag",
                                     "ghcr.io/x@sha256:short"};
  // And every image of the fixtures and cases.
  for (const auto& e : fs::recursive_directory_iterator(testing::DataPath("")))
    if (e.is_regular_file() && e.path().extension() == ".yaml")
      if (absl::StatusOr<std::vector<Document>> docs = ReadDocuments(*ReadFile(e.path().string()));
          docs.ok())
        for (const Document& doc : *docs) {
          std::function<void(const Value&, std::string_view)> walk = [&](const Value& v,
                                                                         std::string_view key) {
            if (v.is_scalar() && (key == "image" || key == "defaultImage"))
              images.emplace_back(v.text);
            for (const Value& item : v.items) walk(item, key);
            for (const Member& m : v.members) walk(m.value, m.key);
          };
          walk(doc.root(), "");
        }
  REQUIRE(images.size() > 50);
  const std::vector<std::string> entries = {"ghcr.io/sympozium-ai/",
                                            "docker.io/library/",
                                            "busybox",
                                            "ghcr.io/acme",
                                            "acme/",
                                            "",
                                            "localhost:5000/team",
                                            "registry.example.com",
                                            "Registry.Example.COM/x",
                                            "quay.io"};
  for (size_t n = 0; n <= entries.size(); ++n) {
    RegistryAllowlist allowlist(std::vector<std::string>(entries.begin(), entries.begin() + n));
    for (const std::string& image : images) {
      CAPTURE(image);
      CHECK(allowlist.MatchesStrict(std::string_view(image)) ==
            allowlist.MatchesStrict(NormalizeImage(image)));
    }
  }
}

}  // namespace
}  // namespace sympozium
