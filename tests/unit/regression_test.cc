// Inputs that once crashed or misbehaved, found by the property test
// (property_test.cc) and the fuzz targets (tests/fuzz/). Each is kept with
// what it did, and must now be an error or a decision like any other input.
#include <doctest/doctest.h>

#include <string>

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

}  // namespace
}  // namespace sympozium
