// Compiling: a SympoziumPolicy document -> CompiledPolicy, and the built-in
// presets.
//
// A CompiledPolicy is immutable once built and safe to share between
// threads (hold it by shared_ptr). What evaluation reads (the tool table
// with deny > ask > allow resolved, caps as exact quantities, registries
// normalised, denied resources as a set) is the library's own, behind the
// object: a program asks for its name, warnings and strict errors only.
#ifndef SYMPOZIUM_POLICY_H_
#define SYMPOZIUM_POLICY_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "sympozium/diagnostic.h"
#include "sympozium/export.h"
#include "sympozium/options.h"
#include "sympozium/read.h"

SYMPOZIUM_API_BEGIN
namespace sympozium {

// The tools Sympozium itself provides (docs/checks.md, check 4.2).
const std::vector<std::string_view>& BuiltinTools();
bool IsBuiltinTool(std::string_view name);

// The decision table evaluation reads (lib/compile/policy_table.h).
struct PolicyTable;

class CompiledPolicy {
 public:
  CompiledPolicy(const CompiledPolicy&) = delete;
  CompiledPolicy& operator=(const CompiledPolicy&) = delete;
  ~CompiledPolicy();

  const std::string& name() const { return name_; }
  const std::string& namespace_() const { return ns_; }
  // The preset version ("restrictive@v1") for built-ins, else "".
  const std::string& preset() const { return preset_; }
  const std::string& source() const { return source_; }
  // Compile-time warnings (docs/checks.md#compile-time-warnings), with paths.
  const Diagnostics& warnings() const { return warnings_; }
  // Reasons this policy does not compile in strict mode (empty when it
  // does). A policy with such reasons compiles only in compat mode.
  const Diagnostics& strict_errors() const { return strict_errors_; }

  // Bytes held by this object (tables, strings, containers), counted; a
  // Cluster shares one table between policies of identical specs.
  size_t MemoryUsage() const;

 private:
  friend class PolicyCompiler;
  friend struct PolicyTableAccess;  // lib/compile/policy_table.h
  CompiledPolicy();

  std::string name_;
  std::string ns_;
  std::string preset_;
  std::string source_;
  std::shared_ptr<const PolicyTable> table_;  // never null once compiled; immutable
  Diagnostics warnings_;
  Diagnostics strict_errors_;
};

using PolicyPtr = std::shared_ptr<const CompiledPolicy>;

// Compiles one SympoziumPolicy document. In strict mode a policy with
// strict errors (schema violations, an unknown tool action or defaultAction,
// a cap that is not a quantity) is refused with the first of them; in compat
// mode it compiles and behaves as in Go.
absl::StatusOr<PolicyPtr> Compile(const Document& policy, const CompileOptions& options = {});
// Reads, decodes and compiles one SympoziumPolicy document (YAML or JSON).
absl::StatusOr<PolicyPtr> CompilePolicy(std::string_view bytes, const CompileOptions& options = {},
                                        std::string source_name = "");

// Built-in presets: "permissive", "default", "restrictive",
// "network-isolated", optionally with a version ("restrictive@v1").
absl::StatusOr<PolicyPtr> Preset(std::string_view name, Mode mode = Mode::kStrict);
struct PresetInfo {
  std::string name;     // "restrictive"
  std::string version;  // "v1"
  std::string_view yaml;
};
const std::vector<PresetInfo>& Presets();

}  // namespace sympozium
SYMPOZIUM_API_END

#endif  // SYMPOZIUM_POLICY_H_
