// Compiling a decoded policy: typed SympoziumPolicy -> CompiledPolicy. The
// third stage; sympozium/policy.h compiles from documents and bytes.
#ifndef SYMPOZIUM_LIB_COMPILE_COMPILE_H_
#define SYMPOZIUM_LIB_COMPILE_COMPILE_H_

#include "absl/status/statusor.h"
#include "lib/decode/decode.h"
#include "lib/decode/model.h"
#include "sympozium/options.h"
#include "sympozium/policy.h"

namespace sympozium {

// Compiles a decoded policy. In strict mode a policy with strict errors is
// refused with the first of them; in compat mode it compiles and behaves as
// in Go.
absl::StatusOr<PolicyPtr> Compile(const Policy& policy, const CompileOptions& options = {});
// The same, keeping the source document for schema checks and positions.
absl::StatusOr<PolicyPtr> Compile(const Decoded<Policy>& policy,
                                  const CompileOptions& options = {});
// The same, sharing the compiled table with every live policy compiled so
// from an identical spec (lib/compile/shared_table.h): what a Cluster holds.
absl::StatusOr<PolicyPtr> CompileSharingTable(const Decoded<Policy>& policy,
                                              const CompileOptions& options = {});

}  // namespace sympozium

#endif  // SYMPOZIUM_LIB_COMPILE_COMPILE_H_
