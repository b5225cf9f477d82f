// Evaluate(bytes) with its route chosen, so tests can hold the JSON fast
// path (lib/decode/fast_json.h) to the slow one.
#ifndef SYMPOZIUM_LIB_EVALUATE_EVALUATE_INTERNAL_H_
#define SYMPOZIUM_LIB_EVALUATE_EVALUATE_INTERNAL_H_

#include <optional>
#include <string_view>

#include "sympozium/evaluate.h"

namespace sympozium::evaluate_internal {

enum class Route {
  kAuto,  // Evaluate(bytes): the fast path where it applies, else the slow one
  kFast,  // the fast path alone: nullopt where it declines
  kSlow,  // ReadInto + DecodeInto, always
};

std::optional<Decision> EvaluateBytes(std::string_view bytes, const Binding& binding,
                                      const EvaluateOptions& options, Route route);

}  // namespace sympozium::evaluate_internal

#endif  // SYMPOZIUM_LIB_EVALUATE_EVALUATE_INTERNAL_H_
