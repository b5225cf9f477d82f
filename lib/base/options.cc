// The names of modes and tool actions, and the default limits.
#include "sympozium/options.h"

namespace sympozium {

std::string_view ModeName(Mode mode) { return mode == Mode::kStrict ? "strict" : "compat"; }

bool ParseMode(std::string_view name, Mode* mode) {
  if (name == "strict") {
    *mode = Mode::kStrict;
  } else if (name == "compat") {
    *mode = Mode::kCompat;
  } else {
    return false;
  }
  return true;
}

std::string_view ToolActionName(ToolAction action) {
  switch (action) {
    case ToolAction::kAllow:
      return "allow";
    case ToolAction::kDeny:
      return "deny";
    case ToolAction::kAsk:
      return "ask";
  }
  return "allow";
}

std::optional<ToolAction> ParseToolAction(std::string_view name) {
  if (name == "allow") return ToolAction::kAllow;
  if (name == "deny") return ToolAction::kDeny;
  if (name == "ask") return ToolAction::kAsk;
  return std::nullopt;
}

const Limits& DefaultLimits() {
  static const Limits limits;
  return limits;
}

}  // namespace sympozium
