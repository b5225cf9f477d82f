// The toolPolicy lists of a decoded run (sympozium/tool_gate.h takes
// documents).
#ifndef SYMPOZIUM_LIB_EVALUATE_TOOL_LISTS_H_
#define SYMPOZIUM_LIB_EVALUATE_TOOL_LISTS_H_

#include "lib/decode/model.h"
#include "sympozium/tool_gate.h"

namespace sympozium {

RunToolLists ToolListsOf(const AgentRun& run);

}  // namespace sympozium

#endif  // SYMPOZIUM_LIB_EVALUATE_TOOL_LISTS_H_
