// The JSON of mutation and model-check results.
#include "lib/write/write.h"
#include "sympozium/model_integrity.h"
#include "sympozium/mutate.h"
#include "sympozium/strings.h"

namespace sympozium {

std::string MutateResult::PatchJson() const { return sympozium::ToJson(patch.root()); }

std::string MutateResult::ToJson() const {
  std::string out = R"({"allowed":)";
  out += allowed ? "true" : "false";
  out += R"(,"message":)";
  AppendJsonString(&out, message);
  out += R"(,"patch":)";
  AppendJson(&out, patch.root());
  out += R"(,"object":)";
  AppendJson(&out, object.root());
  out += "}";
  return out;
}

std::string ModelVerification::ToJson() const {
  std::string out = "{\"status\":";
  AppendJsonString(&out, VerificationStatusName(status));
  StrAppend(&out, ",\"match\":", match() ? "true" : "false", ",\"expected\":");
  AppendJsonString(&out, expected);
  out += ",\"actual\":";
  AppendJsonString(&out, actual);
  StrAppend(&out, ",\"bytes\":", bytes, ",\"error\":");
  AppendJsonString(&out, error);
  out += "}";
  return out;
}

}  // namespace sympozium
