// Inputs that once crashed or misbehaved, found by the property test
// (property_test.cc) and the fuzz targets (tests/fuzz/). Each is kept with
// what it did, and must now be an error or a decision like any other input.
#include <doctest/doctest.h>

#include <string>

#include "lib/base/image_ref.h"
#include "sympozium/cluster.h"
#include "sympozium/evaluate.h"
#include "sympozium/policy.h"

namespace sympozium {
namespace {

// Every entry point that reads bytes refuses `bytes` with an error naming
// `what`, and Evaluate does not allow it.
void CheckRefusedEverywhere(const std::string& bytes, const std::string& what) {
  absl::StatusOr<Document> doc = ReadDocument(bytes);
  REQUIRE(!doc.ok());
  CHECK_MESSAGE(std::string(doc.status().message()).find(what) != std::string::npos,
                doc.status().message());
  CHECK(!ReadDocuments(bytes).ok());
  Decision d = Evaluate(bytes, Binding::None());
  CHECK(!d.allowed);
  CHECK(d.result == Result::kError);
  CHECK(!CompilePolicy(bytes).ok());
  Cluster cluster;
  CHECK(!cluster.AddDocuments(bytes).ok());
}

TEST_CASE("regression: a JSON key with an invalid escape") {
  // The reader called simdjson's field::key() after unescaped_key() had
  // consumed it; simdjson assumes a live key there, so the release build
  // dropped the error branch and copied a key of ~2^64 bytes: std::bad_alloc
  // and an abort (the CLI: `{"a\c":1}`, exit 134). Found by the property test.
  CheckRefusedEverywhere(R"({"a\c":1})", "1:3: JSON syntax error: Problem while parsing a string");
  CheckRefusedEverywhere(
      R"({"apiVersion":"sympozium.ai/v1alpha1","kind":"AgentRun","metadata":{"name":"r"},)"
      R"("spec":{"model":{"provider":"openai","authS\cretRef":"k"}}})",
      "JSON syntax error");
}

TEST_CASE("regression: a stray ',' where a YAML document starts") {
  // yaml-cpp 0.7 reads it as an empty document without moving on: the node
  // graph reader hung (and grew) forever; the event reader stopped only at
  // max_nodes, seconds later under sanitizers. Found by fuzz_agent_run_yaml.
  CheckRefusedEverywhere(",", "1:1: YAML syntax error: cannot read past ','");
  CheckRefusedEverywhere("kind: AgentRun\n---\n,\n",
                         "3:1: YAML syntax error: cannot read past ','");
  // Empty documents that do move on are still skipped.
  absl::StatusOr<std::vector<Document>> docs = ReadDocuments("---\n---\nkind: A\n---\n");
  REQUIRE(docs.ok());
  CHECK(docs->size() == 1);
}

TEST_CASE("regression: a malformed image reference that starts with '/'") {
  // Cut at its first '/', it kept an empty registry and lost the '/', so
  // ToString() was not the text as written and normalising that again gave
  // another reference. Found by fuzz_image_ref.
  for (std::string image : {"/[4ilo.x:/orunAsUserKxsndPolicy", "/ghcr.io/acme/x", "/"}) {
    CAPTURE(image);
    ImageRef ref = NormalizeImage(image);
    CHECK(ref.registry.empty());
    CHECK(ref.ToString() == image);
    ImageRef again = NormalizeImage(ref.ToString());
    CHECK(again.registry == ref.registry);
    CHECK(again.repository == ref.repository);
    for (const char* entry : {"ghcr.io/acme/", "ghcr.io", "docker.io/library/", "/"})
      CHECK(!ImageMatchesEntry(ref, NormalizeRegistryEntry(entry)));
  }
}

}  // namespace
}  // namespace sympozium

namespace sympozium {
namespace {

// Thousands of hooks against a long allowlist: the decision keeps at most
// kMaxViolations, counts the rest, and still reports the first.
TEST_CASE("regression: violations per decision are capped") {
  std::string policy =
      "apiVersion: sympozium.ai/v1alpha1\nkind: SympoziumPolicy\nmetadata: {name: p}\n"
      "spec:\n  imagePolicy:\n    allowedRegistries:\n";
  for (int i = 0; i < 200; ++i) policy += "    - registry" + std::to_string(i) + ".io/\n";
  auto compiled = CompilePolicy(policy);
  REQUIRE(compiled.ok());
  std::string run =
      R"({"apiVersion":"sympozium.ai/v1alpha1","kind":"AgentRun","metadata":{"name":"r"},)"
      R"("spec":{"agentRef":"a","lifecycle":{"preRun":[)";
  for (int i = 0; i < 3000; ++i)
    run += std::string(i ? "," : "") + R"({"name":"h","image":"evil.io/x"})";
  run += "]}}}";
  Decision d = Evaluate(run, Binding::Direct(compiled->get()));
  CHECK(!d.allowed);
  CHECK(d.code == "image.registry");
  CHECK(d.violations.size() == Decision::kMaxViolations);
  CHECK(d.omitted_violations == 3000 - Decision::kMaxViolations);
  CHECK(d.ToJson().find("\"omittedViolations\":2000") != std::string::npos);
}

}  // namespace
}  // namespace sympozium
