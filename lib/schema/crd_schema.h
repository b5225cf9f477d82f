// CrdSchema: a CRD's OpenAPI v3 schema compiled once into a tree the checker
// walks without allocating: properties in hash maps, patterns as RE2, bounds
// as numbers. Only the keywords the Sympozium CRDs use are compiled; the
// rest (description, format, x-kubernetes-list-type...) do not affect
// validity here.
#ifndef SYMPOZIUM_LIB_SCHEMA_CRD_SCHEMA_H_
#define SYMPOZIUM_LIB_SCHEMA_CRD_SCHEMA_H_

#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "lib/base/value.h"
#include "re2/re2.h"

namespace sympozium::schema_internal {

// The JSON types a schema accepts, as bits. No bits: a schemaless field
// (no `type`), which accepts anything.
enum TypeBits : uint8_t {
  kBoolean = 1,
  kInteger = 2,
  kNumber = 4,
  kString = 8,
  kArray = 16,
  kObject = 32,
};

struct Bound {
  double value = 0;
  std::string text;  // as written in the CRD, for messages
};

struct EnumValue {
  uint8_t type = 0;  // one TypeBits bit
  std::string text;
};

struct Schema {
  uint8_t types = 0;
  bool nullable = false;
  bool has_default = false;
  bool preserve_unknown_fields = false;
  bool any_additional = false;  // `additionalProperties: true`
  const Schema* additional = nullptr;
  const Schema* items = nullptr;
  absl::flat_hash_map<std::string, const Schema*> properties;
  std::vector<std::string> required;
  std::vector<EnumValue> enum_values;
  std::unique_ptr<RE2> pattern;
  std::optional<uint64_t> min_length, max_length, min_items, max_items;
  std::optional<Bound> minimum, maximum;

  const Schema* Property(std::string_view name) const;
};

struct CrdVersion {
  std::string name;
  const Schema* root = nullptr;
};

struct Crd {
  std::string group;
  std::string kind;
  std::vector<CrdVersion> versions;  // in CRD order; never empty
  std::deque<Schema> nodes;          // owns every Schema above (stable addresses)
};

// The TypeBits bit `v` counts as under a schema accepting `types`, or 0 when
// it is of none of them. A YAML plain scalar counts as a string where one is
// accepted and its own type is not (sigs.k8s.io/yaml: `maxCPU: 2` is "2");
// an integral float counts as an integer (as go-openapi does).
uint8_t TypeOf(const Value& v, uint8_t types);

// The compiled CRD for `kind` (SympoziumPolicy, AgentRun, SkillPack), or
// nullptr for other kinds. Each is read from the embedded data and compiled
// on first use, once per process, and lives until exit.
const Crd* CrdForKind(std::string_view kind);

}  // namespace sympozium::schema_internal

#endif  // SYMPOZIUM_LIB_SCHEMA_CRD_SCHEMA_H_
