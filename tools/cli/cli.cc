#include "tools/cli/cli.h"

#include <algorithm>
#include <charconv>
#include <filesystem>
#include <iostream>
#include <limits>

#include "sympozium/strings.h"

namespace sympozium::cli {
namespace {

const std::vector<std::string> kEmpty;

// A limit flag and the Limits field it sets (one of the two pointers).
struct LimitFlag {
  const char* name;
  const char* what;  // for --help
  size_t Limits::*wide;
  uint32_t Limits::*narrow;
  uint64_t Get(const Limits& limits) const { return wide ? limits.*wide : limits.*narrow; }
};
constexpr LimitFlag kLimitFlags[] = {
    {"max-bytes", "bytes in one input file", &Limits::max_bytes, nullptr},
    {"max-depth", "nesting of maps and lists", nullptr, &Limits::max_depth},
    {"max-documents", "documents in one file", nullptr, &Limits::max_documents},
    {"max-nodes", "nodes in one file, aliases expanded", nullptr, &Limits::max_nodes},
    {"max-list-length", "items in one list or members in one map", nullptr,
     &Limits::max_list_length},
    {"max-tool-rules", "spec.toolGating.rules in one policy", nullptr, &Limits::max_tool_rules},
    {"max-registries", "spec.imagePolicy.allowedRegistries in one policy", nullptr,
     &Limits::max_registries},
};

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

std::vector<FlagSpec> ReaderFlags(std::vector<FlagSpec> more) {
  for (const LimitFlag& flag : kLimitFlags) more.push_back({flag.name, true});
  return CommonFlags(std::move(more));
}

std::string LimitFlagsHelp() {
  std::string out =
      "Limits on what is read and compiled; exceeding one is an error naming it\n"
      "(limit.max_depth, ...). Each takes a whole number from 1:\n";
  for (const LimitFlag& flag : kLimitFlags) {
    std::string name = StrCat("  --", flag.name, " N");
    name.resize(25, ' ');
    StrAppend(&out, name, flag.what, " (default ", flag.Get(DefaultLimits()), ")\n");
  }
  return out;
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

absl::StatusOr<uint64_t> WholeNumberFlag(const Args& args, const std::string& flag, uint64_t max) {
  std::string text = args.Get(flag);
  uint64_t value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || error != std::errc() || end != text.data() + text.size() || value < 1 ||
      value > max)
    return absl::InvalidArgumentError(
        StrCat("--", flag, " ", text, ": want a whole number from 1 to ", max));
  return value;
}

absl::StatusOr<Limits> LimitsFlag(const Args& args) {
  Limits limits = DefaultLimits();
  for (const LimitFlag& flag : kLimitFlags) {
    if (!args.Has(flag.name)) continue;
    uint64_t max = flag.wide != nullptr ? std::numeric_limits<size_t>::max()
                                        : std::numeric_limits<uint32_t>::max();
    absl::StatusOr<uint64_t> value = WholeNumberFlag(args, flag.name, max);
    if (!value.ok()) return value.status();
    if (flag.wide != nullptr) {
      limits.*flag.wide = *value;
    } else {
      limits.*flag.narrow = static_cast<uint32_t>(*value);
    }
  }
  return limits;
}

absl::StatusOr<ReaderArgs> ParseReaderArgs(const std::vector<std::string>& argv,
                                           std::vector<FlagSpec> more,
                                           const std::vector<std::string>& formats) {
  absl::StatusOr<Args> args = Args::Parse(argv, ReaderFlags(std::move(more)));
  if (!args.ok()) return args.status();
  absl::StatusOr<Mode> mode = ModeFlag(*args);
  if (!mode.ok()) return mode.status();
  absl::StatusOr<std::string> output = OutputFlag(*args, formats);
  if (!output.ok()) return output.status();
  absl::StatusOr<Limits> limits = LimitsFlag(*args);
  if (!limits.ok()) return limits.status();
  return ReaderArgs{*std::move(args), *mode, *std::move(output), *limits};
}

absl::StatusOr<std::vector<Document>> LoadDocuments(const std::vector<std::string>& paths,
                                                    const Limits& limits) {
  absl::StatusOr<std::vector<std::string>> files = ExpandDocumentPaths(paths);
  if (!files.ok()) return files.status();
  ReadOptions options;
  options.limits = limits;
  return ReadDocumentFiles(*files, options);
}

absl::StatusOr<std::vector<absl::StatusOr<std::vector<Document>>>> LoadEachFile(
    const std::vector<std::string>& paths, const Limits& limits, unsigned threads) {
  absl::StatusOr<std::vector<std::string>> files = ExpandDocumentPaths(paths);
  if (!files.ok()) return files.status();
  ReadOptions options;
  options.limits = limits;
  auto results = ReadEachDocumentFile(*files, options, threads);
  // A file named for evaluation that holds nothing (empty, truncated while
  // being written, only comments) is reported, so a gate that checked
  // nothing in it does not pass it silently.
  for (size_t i = 0; i < results.size(); ++i)
    if (results[i].ok() && results[i]->empty())
      results[i] = absl::InvalidArgumentError(
          StrCat((*files)[i] == "-" ? "<stdin>" : (*files)[i],
                 ": no document to evaluate (the file is empty or holds only comments)"));
  return results;
}

absl::StatusOr<std::unique_ptr<BindingHolder>> LoadBinding(const Args& args, Mode mode,
                                                           const Limits& limits) {
  auto holder = std::make_unique<BindingHolder>();
  if (args.Has("policy") && args.Has("preset"))
    return absl::InvalidArgumentError("give --policy or --preset, not both");
  for (const std::string& file : args.GetAll("cluster")) {
    absl::StatusOr<std::vector<Document>> docs = LoadDocuments({file}, limits);
    if (!docs.ok()) return docs.status();
    for (Document& doc : *docs)
      if (absl::Status s = holder->cluster.Add(std::move(doc), limits); !s.ok()) return s;
    holder->have_cluster = true;
  }
  const Cluster* cluster = holder->have_cluster ? &holder->cluster : nullptr;
  CompileOptions options;
  options.mode = mode;
  options.limits = limits;
  if (cluster != nullptr) options.known_tools = cluster->SkillPackToolNames();
  if (args.Has("preset")) {
    absl::StatusOr<PolicyPtr> p = Preset(args.Get("preset"), mode);
    if (!p.ok()) return p.status();
    holder->policy = *p;
    holder->label = StrCat("preset ", (*p)->preset());
  } else if (args.Has("policy")) {
    std::string file = args.Get("policy");
    absl::StatusOr<std::string> text = ReadFile(file, limits);
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
