// Sharing compiled tables between policies of identical specs: a cluster
// often holds one policy copied into every namespace, and its table (the
// bulk of a compiled policy) need then be held only once.
#ifndef SYMPOZIUM_LIB_COMPILE_SHARED_TABLE_H_
#define SYMPOZIUM_LIB_COMPILE_SHARED_TABLE_H_

#include <memory>

#include "lib/base/value.h"
#include "lib/compile/policy_table.h"

namespace sympozium {

// The live table compiled from a spec identical to `spec` (null: the
// document had none), else `built`, which becomes that table. `built` must
// be what `spec` compiles to: a table is a function of the spec alone.
// Specs are identical when their trees are (kinds, scalars as written, keys
// in order; not positions), compared by a SHA-256 digest. Tables are
// immutable once shared; a table is forgotten when its last policy goes.
// Thread-safe.
std::shared_ptr<const PolicyTable> ShareTable(std::unique_ptr<PolicyTable> built,
                                              const Value* spec);

}  // namespace sympozium

#endif  // SYMPOZIUM_LIB_COMPILE_SHARED_TABLE_H_
