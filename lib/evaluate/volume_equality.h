// Semantic equality of two volume sources (docs/checks.md, check 3), as Go's
// equality.Semantic.DeepEqual sees two decoded corev1.VolumeSource values:
// nil and empty lists/maps are equal, and quantities compare by value.
#ifndef SYMPOZIUM_LIB_EVALUATE_VOLUME_EQUALITY_H_
#define SYMPOZIUM_LIB_EVALUATE_VOLUME_EQUALITY_H_

#include "lib/base/value.h"

namespace sympozium::evaluate_internal {

bool VolumeSourcesEqual(const Value& a, const Value& b);

}  // namespace sympozium::evaluate_internal

#endif  // SYMPOZIUM_LIB_EVALUATE_VOLUME_EQUALITY_H_
