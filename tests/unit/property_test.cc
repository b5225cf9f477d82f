// Fail closed under mutation: every fixture and every document of every
// conformance case is mutated (200 times each by default, ~74000 mutants in
// all: truncation, byte flips, type swaps, deleted fields, duplicated keys)
// and evaluated. Evaluation must return a well-formed decision or error, and
// never `allowed` for a document that does not read (ReadDocument fails) or
// decode, nor for a run whose bound policy does not read. Deterministic
// (fixed seeds); SYMPOZIUM_PROPERTY_ITERATIONS sets the mutations per
// document (fewer under sanitizers, more for a deep run).
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "lib/compile/compile.h"
#include "lib/decode/decode.h"
#include "lib/evaluate/tool_lists.h"
#include "lib/mutate/json_patch.h"
#include "lib/rbac/rbac_for.h"
#include "lib/write/write.h"
#include "sympozium/cluster.h"
#include "sympozium/evaluate.h"
#include "sympozium/mutate.h"
#include "sympozium/rbac.h"
#include "sympozium/strings.h"
#include "sympozium/tool_gate.h"
#include "tests/unit/test_util.h"

namespace sympozium {
namespace {

namespace fs = std::filesystem;

int Iterations() {
  const char* v = std::getenv("SYMPOZIUM_PROPERTY_ITERATIONS");
  return v != nullptr && *v != '\0' ? std::max(1, std::atoi(v)) : 200;
}

// One document to mutate, with what it is evaluated against.
struct Subject {
  std::string name;
  std::string text;
  Mode mode = Mode::kCompat;
  // Evaluation context: a cluster to look the policy up in, or a policy
  // bound directly (either may be null).
  std::shared_ptr<Cluster> cluster;
  PolicyPtr policy;
  bool lookup = false;
  // Set for a policy subject: the run evaluated against a cluster holding
  // `agent` (bound to the policy) and the mutated policy.
  std::string run;
  std::string agent;
};

// ---- Mutations -------------------------------------------------------------

class Mutator {
 public:
  explicit Mutator(uint64_t seed) : rng_(seed) {}

  // A mutant of `text` (which reads as one document), and what was done.
  std::string Mutate(const std::string& text, std::string* what) {
    switch (Below(4)) {
      case 0:
        *what = "truncate";
        return text.substr(0, Below(text.size()));
      case 1:
        *what = "flip";
        return Flip(text);
      default: {
        std::string out = TreeMutation(text, what);
        if (Below(4) == 0) {
          *what += "+flip";
          out = Flip(out);
        }
        return out;
      }
    }
  }

 private:
  size_t Below(size_t n) {
    return n == 0 ? 0 : std::uniform_int_distribution<size_t>(0, n - 1)(rng_);
  }

  std::string Flip(std::string s) {
    // Syntax of both formats, a backslash, invalid UTF-8 and a NUL.
    static constexpr char kSpecial[] = ":{}[]\"',-&*!#|>%@`\n \t\\\xff\xc3\0";
    if (s.empty()) return s;
    for (size_t n = 1 + Below(4); n > 0; --n) {
      size_t at = Below(s.size());
      if (Below(2) == 0)
        s[at] = static_cast<char>(s[at] ^ (1 << Below(8)));
      else
        s[at] = kSpecial[Below(sizeof(kSpecial) - 1)];
    }
    return s;
  }

  static void Collect(Value& v, std::vector<Value*>* nodes, std::vector<Value*>* maps) {
    if (v.is_map() && !v.members.empty()) maps->push_back(&v);
    for (Value& item : v.items) {
      nodes->push_back(&item);
      Collect(item, nodes, maps);
    }
    for (Member& m : v.members) {
      nodes->push_back(&m.value);
      Collect(m.value, nodes, maps);
    }
  }

  Value Replacement(Arena& arena, const Value& old) {
    for (;;) {
      Value v;
      switch (Below(7)) {
        case 0:
          v = Value::String(arena, Below(2) ? "x" : "");
          break;
        case 1:
          v = Value::Int(arena, Below(2) ? 7 : -1);
          break;
        case 2:
          v = Value::Bool(Below(2) == 0);
          break;
        case 3:
          v = Value::Null();
          break;
        case 4:
          v = Value::EmptyList();
          if (Below(2)) v.Push(arena, Value::String(arena, "x"));
          break;
        case 5:
          v = Value::EmptyMap();
          if (Below(2)) v.Set(arena, "x", Value::Int(arena, 1));
          break;
        default:
          v = Value::String(arena, "1.5");
          v.kind = Value::Kind::kFloat;
      }
      if (v.kind != old.kind) return v;
    }
  }

  // Type swaps, deleted fields and duplicated keys on the tree, written back
  // as JSON or YAML.
  std::string TreeMutation(const std::string& text, std::string* what) {
    absl::StatusOr<Document> read = ReadDocument(text);
    if (!read.ok()) return Flip(text);
    Document doc = Document::Copy(read->root(), "");
    Arena& arena = doc.arena();
    what->clear();
    for (size_t n = 1 + Below(3); n > 0; --n) {
      std::vector<Value*> nodes, maps;
      Collect(doc.mutable_root(), &nodes, &maps);
      size_t op = Below(3);
      if (op == 0 && !nodes.empty()) {
        Value* v = nodes[Below(nodes.size())];
        *v = Replacement(arena, *v);
        *what += "swap,";
      } else if (op == 1 && !maps.empty()) {
        Value* m = maps[Below(maps.size())];
        m->Remove(m->members[Below(m->members.size())].key);
        *what += "delete,";
      } else if (!maps.empty()) {
        Value* m = maps[Below(maps.size())];
        Member dup = m->members[Below(m->members.size())];
        if (Below(2)) dup.value = Replacement(arena, dup.value);
        m->members.Append(arena, dup);
        *what += "duplicate,";
      }
    }
    bool json = Below(2) == 0;
    *what += json ? "json" : "yaml";
    return json ? ToJson(doc.root()) : ToYaml(doc.root());
  }

  std::mt19937_64 rng_;
};

// ---- Checks ----------------------------------------------------------------

class Checker {
 public:
  // A failure, with the input that caused it; the first few are reported.
  void Fail(const Subject& s, const std::string& what, const std::string& mutant,
            const std::string& problem) {
    if (++failures_ > 10) return;
    std::string shown = mutant.size() > 600 ? mutant.substr(0, 600) + "..." : mutant;
    FAIL_CHECK(s.name << " [" << what << "]: " << problem << "\n--- input ---\n" << shown);
  }

  // A well-formed decision: result, status, code and violations agree.
  std::string Malformed(const Decision& d) {
    if (d.allowed != (d.result == Result::kAllowed)) return "allowed disagrees with result";
    switch (d.result) {
      case Result::kAllowed:
        if (d.status != 200 || !d.violations.empty() || !d.code.empty())
          return "allowed with a status, code or violations";
        break;
      case Result::kDenied:
        if (d.status != 403) return "denied without 403";
        break;
      case Result::kError:
        if (d.status < 400 || d.status > 599) return "an error without a 4xx/5xx status";
        break;
    }
    if (d.result != Result::kAllowed &&
        (d.violations.empty() || d.code.empty() || d.code != d.violations[0].code ||
         d.message != d.violations[0].message))
      return "a refusal without a first violation matching code and message";
    ReadOptions json;
    json.format = Format::kJson;
    if (!ReadDocument(d.ToJson(), json).ok()) return "ToJson is not JSON: " + d.ToJson();
    return "";
  }

  int failures() const { return failures_; }

 private:
  int failures_ = 0;
};

Binding BindingOf(const Subject& s) {
  if (s.lookup) return Binding::Lookup(s.cluster.get());
  if (s.policy || s.cluster) return Binding::Direct(s.policy.get(), s.cluster.get());
  return Binding::None();
}

// Whether `doc` decodes as what its kind says, and for the kinds that feed
// them, the tool decision and RBAC (no crash, an action in range).
bool DecodesAndFeeds(const Document& doc, const PolicyPtr& policy) {
  std::string_view kind = doc.kind();
  Document view = doc.Subtree(doc.root(), "");
  if (kind == "AgentRun") {
    absl::StatusOr<Decoded<AgentRun>> run = DecodeAgentRun(std::move(view));
    if (!run.ok()) return false;
    RunToolLists lists = ToolListsOf(**run);
    ToolAction a = DecideTool(policy.get(), &lists, "execute_command").action;
    CHECK((a == ToolAction::kAllow || a == ToolAction::kDeny || a == ToolAction::kAsk));
    RbacFor({}, **run);
    return true;
  }
  if (kind == "SkillPack") {
    absl::StatusOr<Decoded<SkillPack>> pack = DecodeSkillPack(std::move(view));
    if (!pack.ok()) return false;
    AgentRun run;
    run.metadata.name = "r";
    run.metadata.namespace_ = "ns";
    RbacFor({&**pack}, run);
    return true;
  }
  if (kind == "Model") return DecodeModel(std::move(view)).ok();
  if (IsPodKind(kind)) return DecodePodObject(std::move(view)).ok();
  return false;
}

struct Stats {
  long mutants = 0;
  long unreadable = 0;
  long allowed = 0;
};

// Mutation (docs/mutation.md) of a run that decodes: its patch applied to the input
// must give its object.
std::string CheckMutation(const Document& doc, const Binding& binding, Mode mode) {
  if (doc.kind() != "AgentRun") return "";
  absl::StatusOr<MutateResult> m = Mutate(doc, binding, mode);
  if (!m.ok()) return "";
  Document patched = Document::Copy(doc.root(), "");
  if (absl::Status s = ApplyJsonPatch(patched.arena(), &patched.mutable_root(), m->patch.root());
      !s.ok())
    return StrCat("its own patch does not apply: ", s.message());
  if (!ValueEquals(patched.root(), m->object.root())) return "patch and object disagree";
  return "";
}

void CheckDocumentSubject(const Subject& s, const std::string& what, const std::string& mutant,
                          Checker& checker, Stats& stats) {
  absl::StatusOr<Document> doc = ReadDocument(mutant);
  bool decodes = doc.ok() && DecodesAndFeeds(*doc, s.policy);
  stats.unreadable += !doc.ok();
  Binding binding = BindingOf(s);
  // From bytes, then (when it reads) from the document with mutation first.
  for (bool mutate_first : {false, true}) {
    if (mutate_first && !doc.ok()) break;
    EvaluateOptions options;
    options.mode = s.mode;
    options.mutate_first = mutate_first;
    Decision d =
        mutate_first ? Evaluate(*doc, binding, options) : Evaluate(mutant, binding, options);
    if (std::string bad = checker.Malformed(d); !bad.empty()) checker.Fail(s, what, mutant, bad);
    if (!doc.ok() && (d.allowed || d.result != Result::kError))
      checker.Fail(s, what, mutant, "does not read, yet " + d.ToJson());
    if (!decodes && d.allowed) checker.Fail(s, what, mutant, "does not decode, yet allowed");
    stats.allowed += d.allowed;
  }
  if (!doc.ok()) return;
  if (std::string bad = CheckMutation(*doc, binding, s.mode); !bad.empty())
    checker.Fail(s, what, mutant, bad);
}

void CheckPolicySubject(const Subject& s, const std::string& what, const std::string& mutant,
                        Checker& checker, Stats& stats) {
  bool reads = ReadDocument(mutant).ok();
  stats.unreadable += !reads;
  for (Mode mode : {Mode::kStrict, Mode::kCompat}) {
    CompileOptions options;
    options.mode = mode;
    absl::StatusOr<PolicyPtr> p = CompilePolicy(mutant, options);
    if (!reads && p.ok()) checker.Fail(s, what, mutant, "does not read, yet compiles");
    if (p.ok()) DecideTool(p->get(), nullptr, "execute_command");
  }
  // The run's Agent is bound to the policy: when the policy does not read,
  // the cluster lacks it and the run is refused.
  Cluster cluster;
  if (!cluster.AddDocuments(s.agent).ok()) return checker.Fail(s, what, s.agent, "agent");
  bool added = cluster.AddDocuments(mutant).ok() && cluster.policy_count() == 1;
  if (!reads && added) checker.Fail(s, what, mutant, "does not read, yet added");
  EvaluateOptions options;
  options.mode = s.mode;
  Decision d = Evaluate(s.run, Binding::Lookup(&cluster), options);
  if (std::string bad = checker.Malformed(d); !bad.empty()) checker.Fail(s, what, mutant, bad);
  if (!added && d.allowed)
    checker.Fail(s, what, mutant, "the policy was not added, yet the run is allowed");
  stats.allowed += d.allowed;
}

// ---- Subjects ---------------------------------------------------------------

// An Agent named by the run's spec.agentRef in its namespace, bound to
// `policy` ("" for none).
std::string AgentFor(const Value& run, std::string_view policy) {
  auto text = [](const Value* v) { return v != nullptr && v->is_scalar() ? v->text : ""; };
  const Value* meta = run.Find("metadata");
  const Value* spec = run.Find("spec");
  Document agent;
  Arena& a = agent.arena();
  Value& root = agent.mutable_root();
  root.Set(a, "apiVersion", Value::String(a, kSympoziumApiVersion));
  root.Set(a, "kind", Value::String(a, "Agent"));
  Value m = Value::EmptyMap();
  m.Set(a, "name", Value::String(a, text(spec ? spec->Find("agentRef") : nullptr)));
  m.Set(a, "namespace", Value::String(a, text(meta ? meta->Find("namespace") : nullptr)));
  root.Set(a, "metadata", m);
  Value s = Value::EmptyMap();
  if (!policy.empty()) s.Set(a, "policyRef", Value::String(a, policy));
  root.Set(a, "spec", s);
  return ToYaml(agent.root());
}

std::string NameOf(const Value& doc) {
  const Value* meta = doc.Find("metadata");
  const Value* name = meta ? meta->Find("name") : nullptr;
  return name != nullptr && name->is_scalar() ? std::string(name->text) : std::string();
}

// The documents of one conformance case, with the case's context.
void AddCaseSubjects(const fs::path& file, std::vector<Subject>* out) {
  absl::StatusOr<std::string> text = ReadFile(file.string());
  REQUIRE(text.ok());
  absl::StatusOr<Document> c = ReadDocument(*text);
  REQUIRE_MESSAGE(c.ok(), file.string());
  const Value& root = c->root();
  std::string name = file.parent_path().filename().string() + "/" + file.filename().string();
  const Value* op = root.Find("operation");
  const Value* mode = root.Find("mode");
  const Value* policy = root.Find("policy");
  const Value* run = root.Find("agentRun");
  if (policy != nullptr && policy->is_null()) policy = nullptr;
  if (run != nullptr && run->is_null()) run = nullptr;

  Subject base;
  base.mode = mode != nullptr && mode->text == "strict" ? Mode::kStrict : Mode::kCompat;
  base.cluster = std::make_shared<Cluster>();
  if (const Value* packs = root.Find("skillPacks"); packs != nullptr && packs->is_list())
    for (const Value& pack : packs->items)
      REQUIRE(base.cluster->Add(c->Subtree(pack, name + ":skillPacks")).ok());
  if (policy != nullptr) {
    CompileOptions options;
    options.mode = Mode::kCompat;
    absl::StatusOr<PolicyPtr> p = CompilePolicy(ToJson(*policy), options);
    REQUIRE_MESSAGE(p.ok(), name);
    base.policy = *p;
  }
  std::string operation = op != nullptr ? std::string(op->text) : "";
  bool lookup = operation == "admitAgentRun" || operation == "mutateAgentRun";
  if (lookup) {
    base.lookup = true;
    base.policy = nullptr;
    if (policy != nullptr) REQUIRE(base.cluster->Add(c->Subtree(*policy, name + ":policy")).ok());
    const Value* agent = root.Find("agent");
    if (agent == nullptr && run != nullptr)
      REQUIRE(base.cluster->AddDocuments(AgentFor(*run, policy ? NameOf(*policy) : "")).ok());
    else if (agent != nullptr && !agent->is_null())
      REQUIRE(base.cluster->Add(c->Subtree(*agent, name + ":agent")).ok());
  }
  // Alternate JSON and YAML so both readers see every kind of document.
  bool json = out->size() % 2 == 0;
  for (const char* part : {"agentRun", "skillPack", "object"}) {
    const Value* v = root.Find(part);
    if (v == nullptr || v->is_null()) continue;
    Subject s = base;
    s.name = StrCat(name, ":", part);
    s.text = json ? ToJson(*v) : ToYaml(*v);
    out->push_back(std::move(s));
  }
  if (policy != nullptr && run != nullptr) {
    Subject s;
    s.name = name + ":policy";
    s.mode = base.mode;
    s.text = json ? ToYaml(*policy) : ToJson(*policy);
    s.run = ToYaml(*run);
    s.agent = AgentFor(*run, NameOf(*policy));
    out->push_back(std::move(s));
  }
}

// Every document of every fixture, against the restrictive preset and the
// fixture SkillPacks; fixture policies bind a sample run.
void AddFixtureSubjects(std::vector<Subject>* out) {
  std::vector<fs::path> files;
  for (const auto& e : fs::recursive_directory_iterator(testing::DataPath("fixtures")))
    if (e.is_regular_file() && e.path().extension() == ".yaml") files.push_back(e.path());
  std::sort(files.begin(), files.end());
  REQUIRE(!files.empty());
  auto packs = std::make_shared<Cluster>();
  absl::StatusOr<PolicyPtr> restrictive = Preset("restrictive", Mode::kStrict);
  REQUIRE(restrictive.ok());
  std::string run_text = testing::ReadData("fixtures/sympozium/samples/agentrun_sample.yaml");
  absl::StatusOr<Document> run = ReadDocument(run_text);
  REQUIRE(run.ok());
  for (const fs::path& file : files) {
    absl::StatusOr<std::string> text = ReadFile(file.string());
    REQUIRE(text.ok());
    absl::StatusOr<std::vector<Document>> docs = ReadDocuments(*text);
    REQUIRE_MESSAGE(docs.ok(), file.string());
    for (Document& doc : *docs) {
      Subject s;
      s.name = StrCat(file.filename().string(), "#", doc.index());
      s.mode = Mode::kStrict;
      s.text = docs->size() == 1 ? *text : ToYaml(doc.root());
      if (doc.kind() == "SympoziumPolicy") {
        s.run = run_text;
        s.agent = AgentFor(run->root(), NameOf(doc.root()));
      } else {
        s.policy = *restrictive;
        s.cluster = packs;
      }
      if (doc.kind() == "SkillPack") REQUIRE(packs->Add(std::move(doc)).ok());
      out->push_back(std::move(s));
    }
  }
}

void Run(const std::vector<Subject>& subjects, uint64_t seed) {
  Checker checker;
  Stats stats;
  const int iterations = Iterations();
  for (size_t i = 0; i < subjects.size(); ++i) {
    const Subject& s = subjects[i];
    // Large documents (the CRDs) get fewer rounds: each costs its size.
    size_t rounds =
        std::max<size_t>(10, std::min<size_t>(iterations, iterations * 4000 / s.text.size()));
    Mutator mutator(seed + i);
    for (size_t r = 0; r < rounds && checker.failures() <= 10; ++r) {
      std::string what;
      std::string mutant = mutator.Mutate(s.text, &what);
      ++stats.mutants;
      if (s.agent.empty())
        CheckDocumentSubject(s, what, mutant, checker, stats);
      else
        CheckPolicySubject(s, what, mutant, checker, stats);
    }
  }
  MESSAGE(subjects.size(), " documents, ", stats.mutants, " mutants: ", stats.unreadable,
          " unreadable, ", stats.allowed, " allowed evaluations");
  CHECK(checker.failures() == 0);
  // Not vacuous: mutants both fail to read and still get through.
  CHECK(stats.unreadable > stats.mutants / 20);
  CHECK(stats.unreadable < stats.mutants);
}

TEST_CASE("property: mutated conformance documents never fail open") {
  std::vector<fs::path> files;
  for (const auto& e : fs::recursive_directory_iterator(testing::DataPath("conformance/cases")))
    if (e.is_regular_file() && e.path().extension() == ".yaml") files.push_back(e.path());
  std::sort(files.begin(), files.end());
  REQUIRE(files.size() > 100);
  std::vector<Subject> subjects;
  for (const fs::path& file : files) AddCaseSubjects(file, &subjects);
  Run(subjects, 0x5eed0001);
}

TEST_CASE("property: mutated fixtures never fail open") {
  std::vector<Subject> subjects;
  AddFixtureSubjects(&subjects);
  Run(subjects, 0x5eed0002);
}

}  // namespace
}  // namespace sympozium
