// The mutating webhook's defaults (docs/mutation.md), applied to a deep copy of the
// run's generic tree so that every field, known to the typed model or not,
// is kept. State is read back from the tree as it is edited, because later
// steps see what earlier ones set (a sandbox injected by step 4 gets the
// label of step 7).
#include <string>
#include <vector>

#include "lib/cluster/lookup.h"
#include "lib/compile/policy_table.h"
#include "lib/decode/decode.h"
#include "lib/mutate/patch_recorder.h"
#include "lib/read/document.h"
#include "lib/write/write.h"
#include "sympozium/cluster.h"
#include "sympozium/mutate.h"
#include "sympozium/strings.h"

namespace sympozium {
namespace {

using mutate_internal::PatchRecorder;

constexpr std::string_view kRoleLabel = "sympozium.ai/role";
constexpr std::string_view kSandboxLabel = "sympozium.ai/sandbox";
constexpr std::string_view kAgentSandboxLabel = "sympozium.ai/agent-sandbox";
constexpr std::string_view kDisableSaToken = "sympozium.ai/disable-sa-token";

bool IsTrue(const Value* v) { return v != nullptr && v->kind == Value::Kind::kBool && v->boolean; }

// Go's `s == ""` on a decoded string field: absent, null and "" are empty.
bool IsEmpty(const Value* v) { return v == nullptr || v->text.empty(); }

// A sandbox or agentSandbox block as Go writes a new one: `enabled` has no
// omitempty, so it is always there.
Value Block(Arena& arena, bool enabled) {
  Value block = Value::EmptyMap();
  block.Set(arena, "enabled", Value::Bool(enabled));
  return block;
}

Value StringList(Arena& arena, const std::vector<std::string_view>& items) {
  Value list = Value::EmptyList();
  for (std::string_view item : items) list.Push(arena, Value::String(arena, item));
  return list;
}

// Step 6: toolGating rules as a run toolPolicy, in rule order. `ask` and
// unknown actions are dropped and defaultAction is ignored, as in Go;
// allow and deny are omitempty, so no rules give `{}`.
Value ToolPolicyFromRules(Arena& arena, const PolicyTable& t) {
  std::vector<std::string_view> allow, deny;
  for (const auto& [tool, action] : t.rules) {
    if (action == "allow") allow.push_back(tool);
    if (action == "deny") deny.push_back(tool);
  }
  Value policy = Value::EmptyMap();
  if (!allow.empty()) policy.Set(arena, "allow", StringList(arena, allow));
  if (!deny.empty()) policy.Set(arena, "deny", StringList(arena, deny));
  return policy;
}

// Steps 4-9 of docs/mutation.md, in order.
void ApplyDefaults(Arena& arena, const PolicyTable& t, PatchRecorder& p) {
  if (t.sandbox_required) {  // step 4: an existing enabled: false stays
    if (p.Get({"spec", "sandbox"}) == nullptr) p.Set({"spec", "sandbox"}, Block(arena, true));
    if (!t.default_image.empty() && IsEmpty(p.Get({"spec", "sandbox", "image"})))
      p.Set({"spec", "sandbox", "image"}, Value::StringView(t.default_image));
  }
  if (t.has_seccomp_profile) {  // step 5: the only way policy seccomp reaches the pod
    if (p.Get({"spec", "sandbox"}) == nullptr) p.Set({"spec", "sandbox"}, Block(arena, false));
    if (p.Get({"spec", "sandbox", "securityContext", "seccompProfile"}) == nullptr) {
      Value profile = Value::EmptyMap();
      profile.Set(arena, "type", Value::StringView(t.seccomp_type));
      p.Set({"spec", "sandbox", "securityContext", "seccompProfile"}, profile);
    }
  }
  if (t.has_tool_gating && p.Get({"spec", "toolPolicy"}) == nullptr)  // step 6
    p.Set({"spec", "toolPolicy"}, ToolPolicyFromRules(arena, t));

  // Step 7.
  if (!p.Has({"metadata", "labels", kRoleLabel}))
    p.Set({"metadata", "labels", kRoleLabel}, Value::StringView("agent"));
  if (IsTrue(p.Get({"spec", "sandbox", "enabled"})))
    p.Set({"metadata", "labels", kSandboxLabel}, Value::StringView("true"));

  if (t.has_agent_sandbox_policy) {  // step 8
    bool enabled = IsTrue(p.Get({"spec", "agentSandbox", "enabled"}));
    if (t.agent_sandbox_required && !enabled) {
      // Replaced whole: the run's runtimeClass, warmPoolRef and resources go.
      p.Set({"spec", "agentSandbox"}, Block(arena, true));
      enabled = true;
    }
    if (enabled) {
      if (!t.default_runtime_class.empty() &&
          IsEmpty(p.Get({"spec", "agentSandbox", "runtimeClass"})))
        p.Set({"spec", "agentSandbox", "runtimeClass"}, Value::StringView(t.default_runtime_class));
      p.Set({"metadata", "labels", kAgentSandboxLabel}, Value::StringView("true"));
    }
  }

  if (!p.Has({"metadata", "annotations", kDisableSaToken}))  // step 9
    p.Set({"metadata", "annotations", kDisableSaToken}, Value::StringView("true"));

  // Go writes its patch from the re-encoded typed run, where `enabled` has
  // no omitempty: once anything changed, an existing block without it
  // (schema-required, but not checked by decoding) carries `enabled: false`.
  if (p.empty()) return;
  for (std::string_view block : {"sandbox", "agentSandbox"})
    if (p.Get({"spec", block}) != nullptr && p.Get({"spec", block, "enabled"}) == nullptr)
      p.Set({"spec", block, "enabled"}, Value::Bool(false));
}

// Steps 1-3: the policy bound to the run, or nullptr with the reason the
// mutation is skipped.
const CompiledPolicy* FindPolicy(const AgentRun& run, const Binding& binding,
                                 std::string* skip_reason) {
  const CompiledPolicy* direct = binding.direct ? binding.policy : nullptr;
  if (binding.direct || binding.cluster == nullptr) {
    if (direct == nullptr) *skip_reason = "no policy";
    return direct;
  }
  PolicyLookup found = LookupPolicy(*binding.cluster, run.metadata.namespace_, run.spec.agent_ref);
  if (found.broken != nullptr)  // validation refuses the run, naming the object
    *skip_reason = found.broken->Describe() + ", skipping mutation";
  else if (found.agent == nullptr)
    *skip_reason = "instance not found, skipping mutation";
  else if (found.policy_ref.empty())
    *skip_reason = "no policy";
  else if (found.policy == nullptr)
    *skip_reason = "policy not found, skipping mutation";
  return found.policy;
}

std::string Summary(const Value& patch) {
  size_t n = patch.items.size();
  std::string out = StrCat(n, n == 1 ? " change: " : " changes: ");
  for (size_t i = 0; i < n; ++i)
    StrAppend(&out, i == 0 ? "" : ", ", patch.items[i].Find("op")->text, " ",
              patch.items[i].Find("path")->text);
  return out;
}

}  // namespace

std::vector<PatchOperation> MutateResult::Operations() const {
  std::vector<PatchOperation> out;
  for (const Value& op : patch.root().items) {
    const Value* name = op.Find("op");
    const Value* path = op.Find("path");
    const Value* value = op.Find("value");
    out.push_back({std::string(name ? name->text : ""), std::string(path ? path->text : ""),
                   value ? sympozium::ToJson(*value) : ""});
  }
  return out;
}

absl::StatusOr<MutateResult> Mutate(const Document& run, const Binding& binding, Mode mode) {
  Arena scratch;
  AgentRun typed;
  if (absl::Status s = DecodeInto(run.root(), run.Describe(), scratch, &typed); !s.ok()) return s;

  MutateResult result;
  auto memory = std::make_shared<Arena>();
  result.object = MakeDocument(memory, CopyValue(*memory, run.root()), run.source_name());
  result.patch = MakeDocument(memory, Value::EmptyList(), "patch");

  const CompiledPolicy* policy = FindPolicy(typed, binding, &result.message);
  if (policy == nullptr) return result;
  if (mode == Mode::kStrict && !policy->strict_errors().empty()) {
    result.message = StrCat("SympoziumPolicy ", policy->name(),
                            " does not compile in strict mode, skipping mutation: ",
                            policy->strict_errors().front().ToString());
    return result;
  }

  PatchRecorder recorder(*memory, &result.object.mutable_root());
  ApplyDefaults(*memory, TableOf(*policy), recorder);
  result.patch.mutable_root() = recorder.ops();
  result.patch_size = result.patch.root().items.size();
  result.message = recorder.empty() ? "no mutations needed" : Summary(result.patch.root());
  return result;
}

}  // namespace sympozium
