// verify-model: the download job's check that a fetched model file has the
// SHA-256 its Model names.
#include <iostream>
#include <limits>

#include "sympozium/model_integrity.h"
#include "sympozium/strings.h"
#include "tools/cli/cli.h"
#include "tools/cli/verbs.h"

namespace sympozium::cli {

int VerifyModelVerb(const std::vector<std::string>& argv) {
  auto parsed = ParseReaderArgs(argv, {{"max-model-bytes", true}}, {"text", "json"});
  if (!parsed.ok()) return Fail(parsed.status());
  const auto& [args, mode, output, limits] = *parsed;
  if (args.positional().size() != 2)
    return Fail("verify-model needs MODEL.yaml and FILE (see verify-model --help)");
  const std::string& model_path = args.positional()[0];
  const std::string& file = args.positional()[1];
  if (model_path == "-" && file == "-") return Fail("MODEL.yaml and FILE cannot both be stdin");
  auto docs = LoadDocuments({model_path}, limits);
  if (!docs.ok()) return Fail(docs.status());
  if (docs->size() != 1)
    return Fail(StrCat(model_path, ": want one Model document, found ", docs->size()));
  const Document& model = docs->front();

  VerifyFileOptions verify;
  if (args.Has("max-model-bytes")) {
    absl::StatusOr<uint64_t> max =
        WholeNumberFlag(args, "max-model-bytes", std::numeric_limits<uint64_t>::max());
    if (!max.ok()) return Fail(max.status());
    verify.max_bytes = *max;
  }
  absl::StatusOr<ModelVerification> verified = VerifyModelFile(model, file, verify);
  if (!verified.ok()) return Fail(verified.status());
  const ModelVerification& v = *verified;
  std::string name =
      StrCat(model.namespace_(), model.namespace_().empty() ? "" : "/", model.name());
  if (output == "json") std::cout << v.ToJson() << "\n";
  switch (v.status) {
    case ModelVerification::Status::kMatch:
      if (output == "text")
        std::cout << file << ": OK, sha256 " << v.actual << " (" << v.bytes
                  << " bytes) matches Model " << name << "\n";
      return kExitOk;
    case ModelVerification::Status::kMismatch:
      if (output == "text")
        std::cout << file << ": MISMATCH for Model " << name << " (" << v.bytes << " bytes)\n"
                  << "  expected sha256 " << v.expected << "\n"
                  << "  actual   sha256 " << v.actual << "\n";
      return kExitDenied;
    case ModelVerification::Status::kError:
      break;
  }
  return Fail(StrCat("verify-model ", name, ": ", v.error));
}

}  // namespace sympozium::cli
