// Names shared by compile and evaluate: modes, tool actions, built-in tools.
#include "absl/container/flat_hash_set.h"
#include "sympozium/policy.h"

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

const std::vector<std::string_view>& BuiltinTools() {
  static const std::vector<std::string_view> tools = {"execute_command",
                                                      "read_file",
                                                      "write_file",
                                                      "edit_file",
                                                      "list_directory",
                                                      "send_channel_message",
                                                      "fetch_url",
                                                      "schedule_task",
                                                      "delegate_to_persona",
                                                      "spawn_subagents",
                                                      "memory_search",
                                                      "memory_store",
                                                      "memory_list",
                                                      "workflow_memory_search",
                                                      "workflow_memory_store",
                                                      "workflow_memory_list"};
  return tools;
}

bool IsBuiltinTool(std::string_view name) {
  static const absl::flat_hash_set<absl::string_view> set = [] {
    absl::flat_hash_set<absl::string_view> s;
    for (std::string_view t : BuiltinTools()) s.insert(absl::string_view(t.data(), t.size()));
    return s;
  }();
  return set.contains(absl::string_view(name.data(), name.size()));
}

}  // namespace sympozium
