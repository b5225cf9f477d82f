// The manifest corpus (tests/corpus): every file read as the CLI reads it
// (streams, Lists and typed lists expanded), every pod-bearing object
// evaluated against the baseline and restricted standards and compared with
// the reason codes its own annotations expect.
#include <doctest/doctest.h>

#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "lib/decode/decode.h"
#include "sympozium/pod_security.h"
#include "sympozium/strings.h"
#include "test_util.h"

namespace sympozium {
namespace {

// "allowed", or the sorted, comma-separated codes of `d`'s violations.
std::string Outcome(const Decision& d) {
  if (d.allowed) return "allowed";
  std::set<std::string> codes;
  for (const Violation& v : d.violations) codes.insert(std::string(v.code));
  std::string out;
  for (const std::string& c : codes) StrAppend(&out, out.empty() ? "" : ",", c);
  return out;
}

std::string Expected(const Document& doc, std::string_view key) {
  const Value* meta = doc.root().Find("metadata");
  const Value* annotations = meta != nullptr ? meta->Find("annotations") : nullptr;
  const Value* v = annotations != nullptr ? annotations->Find(key) : nullptr;
  return v != nullptr ? std::string(v->text) : std::string();
}

TEST_CASE("corpus: every manifest reads, and every pod meets what it expects") {
  absl::StatusOr<std::vector<std::string>> files =
      ExpandDocumentPaths({testing::DataPath("../corpus")});
  REQUIRE(files.ok());
  REQUIRE(files->size() >= 8);
  size_t documents = 0, pods = 0;
  for (auto& file : ReadEachDocumentFile(*files, {})) {
    REQUIRE_MESSAGE(file.ok(), file.status().ToString());
    for (const Document& doc : *file) {
      ++documents;
      if (!IsPodKind(doc.kind())) continue;
      ++pods;
      for (std::string_view level : {"baseline", "restricted"}) {
        INFO(doc.Describe(), " ", doc.name(), " ", level);
        std::string want = Expected(doc, StrCat("corpus.sympozium.test/", level));
        REQUIRE_FALSE(want.empty());
        absl::StatusOr<PodSecurityStandard> standard = ParsePodSecurityStandard(level);
        REQUIRE(standard.ok());
        Decision d = EvaluatePodSecurity(doc, *standard);
        INFO(d.ToJson());
        CHECK(Outcome(d) == want);
      }
    }
  }
  // Multi-document YAML, a JSON stream, a List and typed lists all unpacked.
  CHECK(documents == 15);
  CHECK(pods == 12);
}

}  // namespace
}  // namespace sympozium
