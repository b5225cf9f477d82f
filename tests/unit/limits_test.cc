// Every Limit (document.h) has a default and an override, and exceeding it is
// an error naming it: through ReadDocument(s), Evaluate, CompilePolicy, the
// Cluster and LoadPolicySet. Never a crash and never "allowed".
#include <doctest/doctest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>

#include "lib/compile/compile.h"
#include "lib/decode/decode.h"
#include "sympozium/cluster.h"
#include "sympozium/evaluate.h"
#include "sympozium/policy.h"
#include "sympozium/policy_store.h"
#include "sympozium/strings.h"

namespace sympozium {
namespace {

// An AgentRun that is allowed with no policy. Its status, which no check
// reads, carries the bulk under test, so only the limit can refuse it.
std::string Run(std::string_view status) {
  return StrCat(
      R"({"apiVersion":"sympozium.ai/v1alpha1","kind":"AgentRun",)"
      R"("metadata":{"name":"r","namespace":"ns"},"spec":{"agentRef":"alice","task":"t"},)"
      R"("status":)",
      status, "}");
}

// `depth` nested lists: [[[]]] is 3.
std::string Nested(uint32_t depth) { return std::string(depth, '[') + std::string(depth, ']'); }

// A list of `n` zeros.
std::string Zeros(size_t n) {
  std::string out = "[";
  for (size_t i = 0; i < n; ++i) out += i ? ",0" : "0";
  return out + "]";
}

// A map of `n` members.
std::string Members(size_t n) {
  std::string out = "{";
  for (size_t i = 0; i < n; ++i) StrAppend(&out, i ? "," : "", "\"k", i, "\":0");
  return out + "}";
}

// `levels` lists of ten aliases to the level below: 10^(levels+1) leaves.
std::string AliasBomb(int levels) {
  std::string out = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n";
  for (int i = 1; i <= levels; ++i) {
    StrAppend(&out, "a", i, ": &a", i, " [");
    for (int k = 0; k < 10; ++k) StrAppend(&out, k ? ", " : "", "*a", i - 1);
    out += "]\n";
  }
  return out;
}

std::string RunYaml(std::string_view status_block) {
  std::string out =
      "apiVersion: sympozium.ai/v1alpha1\nkind: AgentRun\n"
      "metadata: {name: r, namespace: ns}\nspec: {agentRef: alice, task: t}\nstatus:\n";
  // Indent the block under status.
  size_t start = 0;
  while (start < status_block.size()) {
    size_t end = status_block.find('\n', start);
    if (end == std::string_view::npos) end = status_block.size();
    StrAppend(&out, "  ", status_block.substr(start, end - start), "\n");
    start = end + 1;
  }
  return out;
}

bool Names(const absl::Status& s, std::string_view limit) {
  return std::string(s.message()).find(StrCat("limit.", limit)) != std::string::npos;
}

// Evaluates `bytes` with `limits`, as YAML and as JSON where the text is
// JSON (JSON is also YAML flow style, so both readers see the same input).
Decision EvalWith(const std::string& bytes, const Limits& limits, Format format) {
  EvaluateOptions options;
  options.read.limits = limits;
  options.read.format = format;
  return Evaluate(bytes, Binding::None(), options);
}

void CheckAllowed(const std::string& bytes, const Limits& limits, Format format) {
  Decision d = EvalWith(bytes, limits, format);
  CHECK_MESSAGE(d.allowed, d.message);
}

void CheckRefused(const std::string& bytes, const Limits& limits, Format format,
                  std::string_view limit) {
  Decision d = EvalWith(bytes, limits, format);
  CHECK(!d.allowed);
  CHECK(d.result == Result::kError);
  CHECK(d.status == 400);
  CHECK_MESSAGE(d.message.find(StrCat("limit.", limit)) != std::string::npos, d.message);
}

constexpr Format kBothReaders[] = {Format::kJson, Format::kYaml};

TEST_CASE("limits: defaults") {
  const Limits& l = DefaultLimits();
  CHECK(l.max_bytes == 8u << 20);
  CHECK(l.max_depth == 64);
  CHECK(l.max_documents == 100000);
  CHECK(l.max_nodes == 1000000);
  CHECK(l.max_list_length == 100000);
  CHECK(l.max_tool_rules == 100000);
  CHECK(l.max_registries == 100000);
  // Every options struct starts from them.
  CHECK(ReadOptions().limits.max_depth == l.max_depth);
  CHECK(CompileOptions().limits.max_tool_rules == l.max_tool_rules);
  CHECK(EvaluateOptions().read.limits.max_nodes == l.max_nodes);
}

TEST_CASE("limits: max_bytes") {
  std::string run = Run("{}");
  Limits tight;
  tight.max_bytes = run.size();
  for (Format f : kBothReaders) CheckAllowed(run, tight, f);
  tight.max_bytes = run.size() - 1;
  for (Format f : kBothReaders) CheckRefused(run, tight, f, "max_bytes");
  // The default, with a run padded by a comment past 8 MiB.
  std::string big = RunYaml("{}") + "# " + std::string(DefaultLimits().max_bytes, 'x') + "\n";
  CheckRefused(big, DefaultLimits(), Format::kAuto, "max_bytes");
  // A policy too.
  CompileOptions compile;
  compile.limits.max_bytes = 10;
  absl::StatusOr<PolicyPtr> p =
      CompilePolicy("apiVersion: sympozium.ai/v1alpha1\nkind: SympoziumPolicy\n", compile);
  REQUIRE(!p.ok());
  CHECK(Names(p.status(), "max_bytes"));
  // And a file.
  std::string path =
      (std::filesystem::temp_directory_path() / "sympozium_limits_test.yaml").string();
  std::ofstream(path) << run;
  Limits file_limits;
  file_limits.max_bytes = run.size() - 1;
  absl::StatusOr<std::string> text = ReadFile(path, file_limits);
  std::remove(path.c_str());
  REQUIRE(!text.ok());
  CHECK(Names(text.status(), "max_bytes"));
}

TEST_CASE("limits: max_depth") {
  // The root is depth 1 and status depth 2, so status may nest 63 lists.
  uint32_t max = DefaultLimits().max_depth;
  for (Format f : kBothReaders) {
    CheckAllowed(Run(Nested(max - 1)), DefaultLimits(), f);
    CheckRefused(Run(Nested(max)), DefaultLimits(), f, "max_depth");
  }
  Limits tight;
  tight.max_depth = 4;
  for (Format f : kBothReaders) {
    CheckAllowed(Run(Nested(3)), tight, f);
    CheckRefused(Run(Nested(4)), tight, f, "max_depth");
  }
  // Far deeper than any stack would survive in a recursive reader.
  for (Format f : kBothReaders) {
    Decision d = EvalWith(Run(Nested(200000)), DefaultLimits(), f);
    CHECK(!d.allowed);
    CHECK(d.result == Result::kError);
  }
  CompileOptions compile;
  compile.limits.max_depth = 3;
  absl::StatusOr<PolicyPtr> p = CompilePolicy(
      "apiVersion: sympozium.ai/v1alpha1\nkind: SympoziumPolicy\nmetadata: {name: p}\n"
      "spec: {toolGating: {rules: [{tool: a, action: deny}]}}\n",
      compile);
  REQUIRE(!p.ok());
  CHECK(Names(p.status(), "max_depth"));
}

TEST_CASE("limits: max_nodes, including YAML alias bombs") {
  Limits tight;
  tight.max_nodes = 1000;
  // The run without status has 9 nodes; status adds the list and its items.
  for (Format f : kBothReaders) {
    CheckAllowed(Run(Zeros(1000 - 10)), tight, f);
    CheckRefused(Run(Zeros(1000 - 9)), tight, f, "max_nodes");
  }
  // A billion laughs: 10^10 leaves through aliases, refused at the default.
  CheckRefused(RunYaml(AliasBomb(9)), DefaultLimits(), Format::kAuto, "max_nodes");
  // The same bomb as a policy.
  absl::StatusOr<PolicyPtr> p = CompilePolicy(
      "apiVersion: sympozium.ai/v1alpha1\nkind: SympoziumPolicy\nmetadata: {name: p}\n" +
      AliasBomb(9));
  REQUIRE(!p.ok());
  CHECK(Names(p.status(), "max_nodes"));
  // An alias inside the node it names (a cycle) is refused outright.
  Decision cycle = EvalWith(RunYaml("&s [*s]"), DefaultLimits(), Format::kAuto);
  CHECK(cycle.result == Result::kError);
  CHECK_MESSAGE(cycle.message.find("an alias inside the node it refers to") != std::string::npos,
                cycle.message);
}

TEST_CASE("limits: max_nodes counts the whole stream") {
  // Each document stays under the limit (~1.1e5 nodes from 200 bytes);
  // together they are over it.
  std::string stream;
  for (int i = 0; i < 20; ++i)
    StrAppend(&stream, "---\nkind: Agent\nmetadata: {name: a", i, "}\n", AliasBomb(4));
  absl::StatusOr<std::vector<Document>> docs = ReadDocuments(stream);
  REQUIRE(!docs.ok());
  CHECK(Names(docs.status(), "max_nodes"));
  Cluster cluster;
  absl::Status s = cluster.AddDocuments(stream);
  CHECK(Names(s, "max_nodes"));
  CHECK(cluster.agent_count() == 0);
}

TEST_CASE("limits: max_list_length, for lists and maps") {
  size_t max = DefaultLimits().max_list_length;
  CheckAllowed(Run(Zeros(max)), DefaultLimits(), Format::kJson);
  CheckRefused(Run(Zeros(max + 1)), DefaultLimits(), Format::kJson, "max_list_length");
  CheckRefused(Run(Members(max + 1)), DefaultLimits(), Format::kJson, "max_list_length");
  Limits tight;
  tight.max_list_length = 10;
  for (Format f : kBothReaders) {
    CheckAllowed(Run(Zeros(10)), tight, f);
    CheckRefused(Run(Zeros(11)), tight, f, "max_list_length");
    CheckAllowed(Run(Members(10)), tight, f);
    CheckRefused(Run(Members(11)), tight, f, "max_list_length");
  }
}

TEST_CASE("limits: duplicate keys are found in maps of any size") {
  for (size_t n : {3, 40, 5000}) {
    std::string map = Members(n);
    map.insert(map.size() - 1, R"(,"k2":1)");
    for (Format f : kBothReaders) {
      Decision d = EvalWith(Run(map), DefaultLimits(), f);
      CHECK(!d.allowed);
      CHECK_MESSAGE(d.message.find("duplicate key \"k2\"") != std::string::npos, d.message);
    }
  }
}

TEST_CASE("limits: max_documents, in a stream and through kind: List") {
  Limits tight;
  tight.max_documents = 3;
  ReadOptions options;
  options.limits = tight;
  CHECK(ReadDocuments("a: 1\n---\nb: 1\n---\nc: 1\n", options).ok());
  absl::StatusOr<std::vector<Document>> four =
      ReadDocuments("a: 1\n---\nb: 1\n---\nc: 1\n---\nd: 1\n", options);
  REQUIRE(!four.ok());
  CHECK(Names(four.status(), "max_documents"));
  absl::StatusOr<std::vector<Document>> list =
      ReadDocuments(R"({"kind":"List","items":[{},{},{},{}]})", options);
  REQUIRE(!list.ok());
  CHECK(Names(list.status(), "max_documents"));
  // The default.
  std::string stream;
  for (uint32_t i = 0; i <= DefaultLimits().max_documents; ++i) stream += "--- {}\n";
  absl::StatusOr<std::vector<Document>> many = ReadDocuments(stream);
  REQUIRE(!many.ok());
  CHECK(Names(many.status(), "max_documents"));
}

// A policy with `n` items in `list` ("rules" or "registries").
std::string PolicyWith(std::string_view list, size_t n) {
  std::string items;
  for (size_t i = 0; i < n; ++i)
    StrAppend(&items, i ? "," : "",
              list == "rules" ? StrCat(R"({"tool":"t)", i, R"(","action":"deny"})")
                              : StrCat(R"("r)", i, R"(.example.com/")"));
  std::string spec = list == "rules"
                         ? StrCat(R"({"toolGating":{"rules":[)", items, "]}}")
                         : StrCat(R"({"imagePolicy":{"allowedRegistries":[)", items, "]}}");
  return StrCat(R"({"apiVersion":"sympozium.ai/v1alpha1","kind":"SympoziumPolicy",)",
                R"("metadata":{"name":"p","namespace":"ns"},"spec":)", spec, "}");
}

void CheckCompileLimit(std::string_view list, std::string_view limit, uint32_t Limits::*field) {
  CompileOptions options;
  options.limits.*field = 3;
  CHECK(CompilePolicy(PolicyWith(list, 3), options).ok());
  absl::StatusOr<PolicyPtr> p = CompilePolicy(PolicyWith(list, 4), options);
  REQUIRE(!p.ok());
  CHECK_MESSAGE(Names(p.status(), limit), p.status().message());

  // The default: read with a longer list allowed, then compiled.
  size_t n = DefaultLimits().*field + 1;
  ReadOptions read;
  read.limits.max_list_length = static_cast<uint32_t>(n);
  read.limits.max_nodes = 10 * static_cast<uint32_t>(n);
  absl::StatusOr<Document> doc = ReadDocument(PolicyWith(list, n), read);
  REQUIRE(doc.ok());
  absl::StatusOr<Decoded<Policy>> decoded = DecodePolicy(std::move(*doc));
  REQUIRE(decoded.ok());
  p = Compile(*decoded);
  REQUIRE(!p.ok());
  CHECK(Names(p.status(), limit));
}

TEST_CASE("limits: max_tool_rules and max_registries") {
  CheckCompileLimit("rules", "max_tool_rules", &Limits::max_tool_rules);
  CheckCompileLimit("registries", "max_registries", &Limits::max_registries);
}

TEST_CASE("limits: a policy over a limit leaves its runs unadmitted") {
  // The cluster refuses the policy; the run bound to it then has none and
  // is refused as a lookup error, never allowed.
  ReadOptions read;
  read.limits.max_nodes = 40;
  Cluster cluster;
  CHECK(cluster
            .AddDocuments("apiVersion: sympozium.ai/v1alpha1\nkind: Agent\n"
                          "metadata: {name: alice, namespace: ns}\nspec: {policyRef: p}\n",
                          read)
            .ok());
  absl::Status s = cluster.AddDocuments(PolicyWith("registries", 50), read);
  CHECK(Names(s, "max_nodes"));
  Decision d = Evaluate(Run("{}"), Binding::Lookup(&cluster));
  CHECK(!d.allowed);
  CHECK(d.result == Result::kError);
}

TEST_CASE("limits: a cluster compiles its policies under the limits it reads with") {
  ReadOptions read;
  read.limits.max_tool_rules = 3;
  Cluster cluster;
  CHECK(cluster.AddDocuments(PolicyWith("rules", 3), read).ok());
  CHECK(Names(cluster.AddDocuments(PolicyWith("rules", 4), read), "max_tool_rules"));
  CHECK(cluster.AddDocuments(PolicyWith("rules", 4)).ok());  // the defaults
}

TEST_CASE("limits: LoadPolicySet fails whole on a file over a limit") {
  namespace fs = std::filesystem;
  fs::path dir = fs::temp_directory_path() / "sympozium_limits_load";
  fs::remove_all(dir);
  fs::create_directories(dir);
  std::ofstream(dir / "a.yaml") << "apiVersion: sympozium.ai/v1alpha1\nkind: Agent\n"
                                   "metadata: {name: alice, namespace: ns}\n";
  std::ofstream(dir / "b.yaml") << "apiVersion: sympozium.ai/v1alpha1\nkind: Agent\n"
                                   "metadata: {name: bob, namespace: ns}\n"
                                << AliasBomb(9);
  absl::StatusOr<std::shared_ptr<PolicySet>> set = LoadPolicySet({dir.string()});
  fs::remove_all(dir);
  REQUIRE(!set.ok());
  CHECK(Names(set.status(), "max_nodes"));
  CHECK(std::string(set.status().message()).find("b.yaml") != std::string::npos);
}

}  // namespace
}  // namespace sympozium
