// YAML read the way Kubernetes reads it (merge keys, the characters a
// stream may hold), and files read under their size limit while reading.
#include <doctest/doctest.h>
#include <fcntl.h>
#include <sys/resource.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include "lib/read/document.h"
#include "sympozium/evaluate.h"
#include "sympozium/policy.h"

namespace sympozium {
namespace {

std::string Message(const absl::Status& s) { return std::string(s.message()); }

std::string_view Text(const Document& doc, std::string_view key) {
  const Value* v = doc.root().Find(key);
  return v == nullptr ? "<absent>" : v->text;
}

TEST_CASE("a merge key brings in a map's members") {
  auto doc = ReadDocument("base: &b {cpu: '1', memory: 1Gi}\nkind: X\n<<: *b\n");
  REQUIRE(doc.ok());
  CHECK(Text(*doc, "cpu") == "1");
  CHECK(Text(*doc, "memory") == "1Gi");
  CHECK(doc->root().Find("<<") == nullptr);
  // An inline map merges too.
  auto inline_map = ReadDocument("kind: X\n<<: {a: 1}\n");
  REQUIRE(inline_map.ok());
  CHECK(Text(*inline_map, "a") == "1");
}

TEST_CASE("merged and explicit keys: the later one wins, as Go's YAML decoder has it") {
  auto explicit_after = ReadDocument("b: &b {cpu: '1'}\nkind: X\n<<: *b\ncpu: '2'\n");
  REQUIRE(explicit_after.ok());
  CHECK(Text(*explicit_after, "cpu") == "2");
  auto merge_after = ReadDocument("b: &b {cpu: '1'}\nkind: X\ncpu: '2'\n<<: *b\n");
  REQUIRE(merge_after.ok());
  CHECK(Text(*merge_after, "cpu") == "1");
  // In a list, the earlier maps take precedence.
  auto list = ReadDocument("a: &a {x: a}\nb: &b {x: b, y: b}\nkind: X\n<<: [*a, *b]\n");
  REQUIRE(list.ok());
  CHECK(Text(*list, "x") == "a");
  CHECK(Text(*list, "y") == "b");
}

TEST_CASE("merge keys: what is not a merge, and what is refused") {
  // Quoted, `<<` is an ordinary key.
  auto quoted = ReadDocument("kind: X\n'<<': {a: 1}\n");
  REQUIRE(quoted.ok());
  CHECK(quoted->root().Find("<<") != nullptr);
  // Only maps merge.
  auto scalar = ReadDocument("kind: X\n<<: 3\n", {Format::kAuto, "m.yaml"});
  REQUIRE(!scalar.ok());
  CHECK(Message(scalar.status()) ==
        "m.yaml:2:1: a merge key (<<) takes a map or a list of maps as its value");
  auto list_of_scalars = ReadDocument("kind: X\n<<: [{a: 1}, 2]\n");
  CHECK(!list_of_scalars.ok());
  // Two explicit keys are still a duplicate, merge or not.
  auto duplicate = ReadDocument("b: &b {c: 1}\nkind: X\n<<: *b\nd: 1\nd: 2\n");
  REQUIRE(!duplicate.ok());
  CHECK(Message(duplicate.status()).find("duplicate key \"d\"") != std::string::npos);
}

TEST_CASE("a run whose resources come from a merge is judged on the merged values") {
  const char* run = R"(base: &base
  cpu: "64"
apiVersion: sympozium.ai/v1alpha1
kind: AgentRun
metadata: {name: r, namespace: default}
spec:
  agentRef: alice
  task: t
  sandbox:
    enabled: true
    resources:
      limits:
        <<: *base
)";
  absl::StatusOr<PolicyPtr> policy = Preset("restrictive");
  REQUIRE(policy.ok());
  Decision d = Evaluate(run, Binding::Direct(policy->get()));
  CHECK(!d.allowed);
  REQUIRE(!d.violations.empty());
  CHECK(d.violations[0].path == "spec.sandbox.resources.limits.cpu");
  CHECK(d.violations[0].code == "resources.exceeds");
}

TEST_CASE("characters YAML does not allow are refused with their position") {
  auto nul = ReadDocument(std::string("kind: X\na: x\0n\n", 14), {Format::kAuto, "n.yaml"});
  REQUIRE(!nul.ok());
  CHECK(Message(nul.status()) == "n.yaml:2:5: character U+0000 is not allowed in YAML");
  CHECK(!ReadDocument("kind: X\na: \x07\n").ok());           // BEL
  CHECK(!ReadDocument("kind: X\na: x\x7f\n").ok());          // DEL
  CHECK(!ReadDocument("kind: X\na: \xc2\x9b\n").ok());       // C1 control
  CHECK(!ReadDocument("kind: X\na: \xef\xbf\xbf\n").ok());   // U+FFFF
  CHECK(ReadDocument("kind: X\na: \"x\ty\"\r\n").ok());      // tab and CRLF
  CHECK(ReadDocument("kind: X\na: \"x\xc2\x85y\"\n").ok());  // NEL
  CHECK(ReadDocument("\xef\xbb\xbfkind: X\n").ok());         // a leading BOM
}

// Peak resident memory, in KiB.
long PeakRssKiB() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss;
}

TEST_CASE("a device or pipe is read only up to max_bytes") {
  Limits limits;
  limits.max_bytes = 4096;
  long before = PeakRssKiB();
  absl::StatusOr<std::string> zero = ReadFile("/dev/zero", limits);
  REQUIRE(!zero.ok());
  CHECK(Message(zero.status()) == "/dev/zero: limit.max_bytes: input is more than 4096 bytes");
  CHECK(PeakRssKiB() - before < 16 * 1024);  // a chunk, not the device

  int fds[2];
  REQUIRE(pipe(fds) == 0);
  std::string fifo = "/dev/fd/" + std::to_string(fds[0]);
  std::string chunk(1024, 'x');
  for (int i = 0; i < 8; ++i) REQUIRE(write(fds[1], chunk.data(), chunk.size()) == 1024);
  close(fds[1]);
  absl::StatusOr<std::string> piped = ReadFile(fifo, limits);
  close(fds[0]);
  CHECK(!piped.ok());
}

TEST_CASE("a regular file over max_bytes is refused from its size") {
  std::string path = (std::filesystem::temp_directory_path() / "sympozium_read_size.yaml").string();
  std::ofstream(path) << std::string(5000, '#');
  Limits limits;
  limits.max_bytes = 4096;
  absl::StatusOr<std::string> text = ReadFile(path, limits);
  limits.max_bytes = 5000;
  absl::StatusOr<std::string> fits = ReadFile(path, limits);
  std::remove(path.c_str());
  REQUIRE(!text.ok());
  CHECK(Message(text.status()) == path + ": limit.max_bytes: input is 5000 bytes, more than 4096");
  REQUIRE(fits.ok());
  CHECK(fits->size() == 5000);
}

}  // namespace
}  // namespace sympozium
