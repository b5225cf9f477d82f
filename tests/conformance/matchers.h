// The matching rules of conformance/README.md "Matching", shared by the
// conformance runners and unit tests.
#ifndef SYMPOZIUM_TESTS_CONFORMANCE_MATCHERS_H_
#define SYMPOZIUM_TESTS_CONFORMANCE_MATCHERS_H_

#include <string>
#include <vector>

#include "lib/base/value.h"
#include "lib/read/document.h"

namespace sympozium::conformance {

// `patch` matching: "" when `got` matches `want` as a subset (maps: every
// expected key matches, extra keys fine; lists: same length, element by
// element; scalars equal; an expected null: absent or null), else the first
// difference with its path.
std::string SubsetMismatch(const Value& want, const Value& got, const std::string& path);
// The same where the field may be missing in `got` (nullptr).
std::string SubsetMismatch(const Value& want, const Value* got, const std::string& path);

// `objects` matching: the same set of objects, ignoring their order,
// comparing apiVersion, kind, metadata.name, metadata.namespace,
// metadata.labels, rules, roleRef and subjects exactly.
std::string ObjectsMismatch(const Value& want_list, const std::vector<Document>& got);

}  // namespace sympozium::conformance

#endif  // SYMPOZIUM_TESTS_CONFORMANCE_MATCHERS_H_
