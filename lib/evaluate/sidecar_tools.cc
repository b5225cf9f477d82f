#include "lib/evaluate/sidecar_tools.h"

#include <algorithm>

#include "sympozium/policy.h"
#include "sympozium/strings.h"

namespace sympozium::evaluate_internal {
namespace {

bool IsSnakeCase(std::string_view name) {
  if (name.empty() || name[0] < 'a' || name[0] > 'z') return false;
  for (char c : name)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
  return true;
}

const char* JsonKind(const Value& v) {
  switch (v.kind) {
    case Value::Kind::kBool:
      return "bool";
    case Value::Kind::kInt:
    case Value::Kind::kFloat:
      return "number";
    case Value::Kind::kString:
      return "string";
    case Value::Kind::kList:
      return "array";
    default:
      return "object";
  }
}

// What Go learns from json.Unmarshal(parameters, &struct{Properties
// map[string]json.RawMessage; Required []string}), or the error it reports.
struct ToolSchema {
  bool declared = false;  // `properties` present and not null
  std::vector<std::string_view> properties;
  std::vector<std::string_view> required;
  std::string error;
};

ToolSchema ReadSchema(const Value& params) {
  ToolSchema schema;
  if (!params.is_map()) {
    schema.error = StrCat("json: cannot unmarshal ", JsonKind(params),
                          " into Go value of type webhook.toolSchema");
    return schema;
  }
  if (const Value* props = params.Find("properties"); props != nullptr && !props->is_null()) {
    if (!props->is_map()) {
      schema.error = StrCat("json: cannot unmarshal ", JsonKind(*props),
                            " into Go struct field toolSchema.properties of type "
                            "map[string]json.RawMessage");
      return schema;
    }
    schema.declared = true;
    for (const Member& m : props->members) schema.properties.push_back(m.key);
  }
  if (const Value* req = params.Find("required"); req != nullptr && !req->is_null()) {
    if (!req->is_list()) {
      schema.error = StrCat("json: cannot unmarshal ", JsonKind(*req),
                            " into Go struct field toolSchema.required of type []string");
      return schema;
    }
    for (const Value& item : req->items) {
      if (!item.is_null() && !item.is_string()) {
        schema.error = StrCat("json: cannot unmarshal ", JsonKind(item),
                              " into Go struct field toolSchema.required of type string");
        return schema;
      }
      schema.required.push_back(item.text);
    }
  }
  return schema;
}

bool Contains(const std::vector<std::string_view>& v, std::string_view s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

bool Contains(const List<Str>& v, std::string_view s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

}  // namespace

std::vector<ToolProblem> CheckToolStructure(const SidecarTool& tool, std::string_view pack) {
  std::vector<ToolProblem> problems;
  std::string prefix = StrCat("SkillPack ", Quote(pack), " sidecar tool ", Quote(tool.name), ": ");
  auto add = [&](std::string_view field, std::string message) {
    problems.push_back({StrCat(prefix, message), std::string(field)});
  };
  if (!IsSnakeCase(tool.name)) add("name", "name must be snake_case matching ^[a-z][a-z0-9_]*$");
  if (IsBuiltinTool(tool.name)) add("name", "name collides with a built-in Sympozium tool");
  if (tool.exec.empty()) add("exec", "exec must declare at least the executable");

  ToolSchema schema;
  if (!tool.parameters.is_null()) {
    schema = ReadSchema(tool.parameters);
    if (!schema.error.empty()) {
      add("parameters", StrCat("parameters is not a valid JSON Schema object: ", schema.error));
      return problems;
    }
  }
  if (!tool.positional_args.empty() && !schema.declared) {
    add("positionalArgs", "positionalArgs is set but no parameters are declared");
    return problems;
  }
  for (Str arg : tool.positional_args) {
    if (!Contains(schema.properties, arg)) {
      add("positionalArgs",
          StrCat("positionalArgs references ", Quote(arg), " which is not a declared parameter"));
    } else if (!Contains(schema.required, arg)) {
      add("positionalArgs",
          StrCat("positional arg ", Quote(arg),
                 " must be listed in parameters.required (optional positionals would shift later "
                 "arguments)"));
    }
  }
  bool args_mode = tool.input_mode.empty() || tool.input_mode == "args";
  if (args_mode && schema.declared) {
    // Go names whichever property its map iteration meets first; sort so the
    // answer does not change from run to run.
    std::vector<std::string_view> extra;
    for (std::string_view p : schema.properties)
      if (!Contains(tool.positional_args, p)) extra.push_back(p);
    std::sort(extra.begin(), extra.end());
    for (std::string_view p : extra)
      add("parameters",
          StrCat("inputMode=args declares parameter ", Quote(p),
                 " that is not in positionalArgs; in args mode non-positional parameters are "
                 "dropped \xE2\x80\x94 add it to positionalArgs or use inputMode=stdin"));
  }
  return problems;
}

}  // namespace sympozium::evaluate_internal
