// The built-in tool names, shared by compile and evaluate.
#include "absl/container/flat_hash_set.h"
#include "sympozium/policy.h"

namespace sympozium {

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
