#include "tools/cli/cli.h"

#include <algorithm>
#include <filesystem>
#include <iostream>

#include "lib/base/strings.h"
#include "sympozium/decode.h"

namespace sympozium::cli {
namespace {

const std::vector<std::string> kEmpty;

}  // namespace

absl::StatusOr<Args> Args::Parse(const std::vector<std::string>& argv,
                                 const std::vector<FlagSpec>& specs) {
  Args args;
  for (size_t i = 0; i < argv.size(); ++i) {
    const std::string& arg = argv[i];
    if (arg.size() < 3 || arg.compare(0, 2, "--") != 0) {
      args.positional_.push_back(arg);  // includes "-" (stdin)
      continue;
    }
    std::string name = arg.substr(2);
    std::string value;
    bool inline_value = false;
    if (size_t eq = name.find('='); eq != std::string::npos) {
      value = name.substr(eq + 1);
      name = name.substr(0, eq);
      inline_value = true;
    }
    auto spec =
        std::find_if(specs.begin(), specs.end(), [&](const FlagSpec& s) { return s.name == name; });
    if (spec == specs.end()) return absl::InvalidArgumentError(StrCat("unknown flag --", name));
    if (spec->takes_value && !inline_value) {
      if (i + 1 >= argv.size())
        return absl::InvalidArgumentError(StrCat("flag --", name, " needs a value"));
      value = argv[++i];
    } else if (!spec->takes_value && inline_value) {
      return absl::InvalidArgumentError(StrCat("flag --", name, " takes no value"));
    }
    std::vector<std::string>& slot = args.values_[name];
    if (!slot.empty() && !spec->repeatable)
      return absl::InvalidArgumentError(StrCat("flag --", name, " given twice"));
    slot.push_back(value);
  }
  return args;
}

std::string Args::Get(const std::string& flag, const std::string& fallback) const {
  auto it = values_.find(flag);
  return it == values_.end() ? fallback : it->second.back();
}

const std::vector<std::string>& Args::GetAll(const std::string& flag) const {
  auto it = values_.find(flag);
  return it == values_.end() ? kEmpty : it->second;
}

std::vector<FlagSpec> CommonFlags(std::vector<FlagSpec> more) {
  more.push_back({"output", true});
  more.push_back({"mode", true});
  more.push_back({"help", false});
  return more;
}

int Fail(const std::string& message) {
  std::cerr << "sympozium-policy: " << message << "\n";
  return kExitUsage;
}

int Fail(const absl::Status& status) { return Fail(std::string(status.message())); }

absl::StatusOr<Mode> ModeFlag(const Args& args) {
  Mode mode = Mode::kStrict;
  std::string name = args.Get("mode", "strict");
  if (!ParseMode(name, &mode))
    return absl::InvalidArgumentError(StrCat("--mode ", name, ": want strict or compat"));
  return mode;
}

absl::StatusOr<std::string> OutputFlag(const Args& args, const std::vector<std::string>& formats) {
  std::string output = args.Get("output", formats.front());
  if (std::find(formats.begin(), formats.end(), output) == formats.end()) {
    std::string want;
    for (const std::string& f : formats) StrAppend(&want, want.empty() ? "" : "|", f);
    return absl::InvalidArgumentError(StrCat("--output ", output, ": want ", want));
  }
  return output;
}

absl::StatusOr<std::vector<Document>> LoadDocuments(const std::vector<std::string>& paths) {
  absl::StatusOr<std::vector<std::string>> files = ExpandDocumentPaths(paths);
  if (!files.ok()) return files.status();
  return ReadDocumentFiles(*files);
}

absl::StatusOr<std::unique_ptr<BindingHolder>> LoadBinding(const Args& args, Mode mode) {
  auto holder = std::make_unique<BindingHolder>();
  if (args.Has("policy") && args.Has("preset"))
    return absl::InvalidArgumentError("give --policy or --preset, not both");
  for (const std::string& file : args.GetAll("cluster")) {
    absl::StatusOr<std::vector<Document>> docs = LoadDocuments({file});
    if (!docs.ok()) return docs.status();
    for (Document& doc : *docs)
      if (absl::Status s = holder->cluster.Add(std::move(doc)); !s.ok()) return s;
    holder->have_cluster = true;
  }
  const Cluster* cluster = holder->have_cluster ? &holder->cluster : nullptr;
  CompileOptions options;
  options.mode = mode;
  if (cluster != nullptr) options.known_tools = cluster->SkillPackToolNames();
  if (args.Has("preset")) {
    absl::StatusOr<PolicyPtr> p = Preset(args.Get("preset"), mode);
    if (!p.ok()) return p.status();
    holder->policy = *p;
    holder->label = StrCat("preset ", (*p)->preset());
  } else if (args.Has("policy")) {
    std::string file = args.Get("policy");
    absl::StatusOr<std::string> text = ReadFile(file);
    if (!text.ok()) return text.status();
    absl::StatusOr<PolicyPtr> p = CompilePolicy(*text, options, file == "-" ? "<stdin>" : file);
    if (!p.ok()) return p.status();
    holder->policy = *p;
    holder->label = StrCat("policy ", (*p)->name(), " (", file, ")");
  }
  if (holder->policy) {
    holder->binding = Binding::Direct(holder->policy.get(), cluster);
  } else if (cluster != nullptr) {
    holder->binding = Binding::Lookup(cluster);
    holder->label = "the cluster's policy";
  } else {
    holder->binding = Binding::None();
    holder->label = "no policy";
  }
  return holder;
}

}  // namespace sympozium::cli
