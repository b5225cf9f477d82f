// VisitJson (sympozium/json.h): a Document's tree told as the events of
// its JSON text, so a front end builds its own objects without a text round
// trip and still sees exactly what ToJson would write.
#include <string>

#include "lib/read/document.h"
#include "lib/write/write.h"
#include "sympozium/json.h"

namespace sympozium {
namespace {

void VisitNumber(std::string_view text, JsonVisitor& visitor) {
  std::string json;
  AppendJsonNumber(&json, text);
  if (json == "null") {
    visitor.Null();
    return;
  }
  visitor.Number(json, json.find_first_of(".eE") == std::string::npos);
}

void Visit(const Value& v, JsonVisitor& visitor) {
  switch (v.kind) {
    case Value::Kind::kNull:
      visitor.Null();
      return;
    case Value::Kind::kBool:
      visitor.Bool(v.boolean);
      return;
    case Value::Kind::kInt:
    case Value::Kind::kFloat:
      VisitNumber(v.text, visitor);
      return;
    case Value::Kind::kString:
      visitor.String(v.text);
      return;
    case Value::Kind::kList:
      visitor.BeginList(v.items.size());
      for (const Value& item : v.items) Visit(item, visitor);
      visitor.EndList();
      return;
    case Value::Kind::kMap:
      visitor.BeginMap(v.members.size());
      for (const Member& m : v.members) {
        visitor.Key(m.key);
        Visit(m.value, visitor);
      }
      visitor.EndMap();
      return;
  }
}

}  // namespace

void VisitJson(const Document& doc, JsonVisitor& visitor) { Visit(doc.root(), visitor); }

}  // namespace sympozium
