#include "tools/cli/cli.h"

#include <algorithm>
#include <charconv>
#include <filesystem>
#include <iostream>
#include <limits>

#include "CLI/CLI.hpp"
#include "absl/strings/str_join.h"
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
  CLI::App app;
  app.set_help_flag();  // --help is a verb's own flag: it prints the verb's help
  Args args;
  std::vector<std::pair<const FlagSpec*, CLI::Option*>> options;
  for (const FlagSpec& spec : specs) {
    std::string names = "--" + spec.name + (spec.name == "output" ? ",-o" : "");
    CLI::Option* option = spec.takes_value ? app.add_option(names) : app.add_flag(names);
    if (spec.takes_value) option->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
    options.emplace_back(&spec, option);
  }
  app.add_option("inputs", args.positional_);  // "-" (standard input) included
  // What CLI11 reads otherwise: `--mutate=x` as a flag's value, `--max-depth=`
  // as taking the next argument. An empty value is kept for the verb to refuse.
  std::vector<std::string> kept;
  std::map<std::string, size_t> empty_values;
  for (size_t i = 0; i < argv.size(); ++i) {
    const std::string& arg = argv[i];
    size_t eq = arg.find('=');
    auto spec = arg.compare(0, 2, "--") != 0 || eq == std::string::npos
                    ? specs.end()
                    : std::find_if(specs.begin(), specs.end(), [&](const FlagSpec& s) {
                        return arg.compare(2, eq - 2, s.name) == 0 && s.name.size() == eq - 2;
                      });
    if (arg == "--") {
      kept.insert(kept.end(), argv.begin() + i, argv.end());
      break;
    }
    if (spec != specs.end() && !spec->takes_value)
      return absl::InvalidArgumentError(StrCat("flag --", spec->name, " takes no value"));
    if (spec != specs.end() && eq + 1 == arg.size()) {
      ++empty_values[spec->name];
      continue;
    }
    kept.push_back(arg);
  }
  std::vector<std::string> reversed(kept.rbegin(), kept.rend());  // as CLI::App::parse takes them
  try {
    app.parse(reversed);
  } catch (const CLI::ExtrasError&) {
    return absl::InvalidArgumentError(StrCat("unknown flag ", app.remaining().front()));
  } catch (const CLI::ArgumentMismatch& e) {  // what(): "--preset: 1 required ..."
    std::string what = e.what();
    return absl::InvalidArgumentError(
        StrCat("flag ", what.substr(0, what.find(':')), " needs a value"));
  } catch (const CLI::ParseError& e) {
    return absl::InvalidArgumentError(e.what());
  }
  for (const auto& [spec, option] : options) {
    size_t count = option->count() + empty_values[spec->name];
    if (count == 0) continue;
    if (count > 1 && !spec->repeatable)
      return absl::InvalidArgumentError(StrCat("flag --", spec->name, " given twice"));
    std::vector<std::string>& slot = args.values_[spec->name];
    if (spec->takes_value) {
      slot = option->results();
      slot.resize(count);  // the empty values last
    } else {
      slot.assign(count, "");
    }
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

std::string EmptySelection(const std::vector<std::string>& paths, size_t skipped) {
  return StrCat("no documents to evaluate in ", absl::StrJoin(paths, ", "), " (", skipped,
                " skipped); --allow-empty accepts that");
}

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
  std::string problem;
  if (error == std::errc::result_out_of_range) {
    problem = StrCat("must be at most ", max);
  } else if (text.empty() || error != std::errc() || end != text.data() + text.size()) {
    problem = StrCat("not a whole number (1 to ", max, ")");
  } else if (value < 1) {
    problem = "must be at least 1";
  } else if (value > max) {
    problem = StrCat("must be at most ", max);
  }
  if (!problem.empty())
    return absl::InvalidArgumentError(StrCat("--", flag, " ", text, ": ", problem));
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
    // A whole dump or a manifests folder: the kinds a cluster view holds,
    // the rest (runs, ConfigMaps, Deployments) is not the cluster's state.
    for (Document& doc : *docs)
      if (IsClusterKind(doc.kind()))
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
