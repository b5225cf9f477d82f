// Shared pieces of the sympozium-policy verbs: flags, inputs, outputs and
// exit codes (docs/cli.md).
#ifndef SYMPOZIUM_TOOLS_CLI_CLI_H_
#define SYMPOZIUM_TOOLS_CLI_CLI_H_

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "sympozium/cluster.h"
#include "sympozium/evaluate.h"
#include "sympozium/policy.h"
#include "sympozium/read.h"

namespace sympozium::cli {

// Exit codes: 0 allowed / success, 1 denied (including admission errors),
// 2 the command could not be carried out.
inline constexpr int kExitOk = 0;
inline constexpr int kExitDenied = 1;
inline constexpr int kExitUsage = 2;

// A verb's flags. Each verb declares what it takes; anything else is an
// unknown flag (exit 2).
struct FlagSpec {
  std::string name;  // "policy" for --policy
  bool takes_value;  // --policy FILE vs --mutate
  bool repeatable = false;
};

class Args {
 public:
  // Parses argv after the verb. `--flag=value` and `--flag value` both work.
  static absl::StatusOr<Args> Parse(const std::vector<std::string>& argv,
                                    const std::vector<FlagSpec>& specs);

  bool Has(const std::string& flag) const { return values_.count(flag) > 0; }
  std::string Get(const std::string& flag, const std::string& fallback = "") const;
  const std::vector<std::string>& GetAll(const std::string& flag) const;
  const std::vector<std::string>& positional() const { return positional_; }

 private:
  std::map<std::string, std::vector<std::string>> values_;
  std::vector<std::string> positional_;
};

// The flags every verb takes: --output, --mode, --help.
std::vector<FlagSpec> CommonFlags(std::vector<FlagSpec> more);
// CommonFlags plus the limit flags (--max-bytes, --max-depth, ...: the
// fields of Limits), for the verbs that read documents or policies.
std::vector<FlagSpec> ReaderFlags(std::vector<FlagSpec> more);
// The limit flags' --help block, with their defaults.
std::string LimitFlagsHelp();

// A failure to carry out the command: one line on stderr, exit 2.
int Fail(const std::string& message);
// Why a command that evaluated nothing fails: a CI gate that checked nothing
// must not pass (--allow-empty accepts it).
std::string EmptySelection(const std::vector<std::string>& paths, size_t skipped);
int Fail(const absl::Status& status);

// --mode (default strict); --output checked against `formats` (first is
// the default).
absl::StatusOr<Mode> ModeFlag(const Args& args);
absl::StatusOr<std::string> OutputFlag(const Args& args, const std::vector<std::string>& formats);
// --FLAG's value as a whole number from 1 to `max` (the flag must be given).
absl::StatusOr<uint64_t> WholeNumberFlag(const Args& args, const std::string& flag, uint64_t max);
// The default limits with those the limit flags change; each value must be a
// whole number from 1 to the field's maximum.
absl::StatusOr<Limits> LimitsFlag(const Args& args);

// What a verb that reads documents parses first, in this order: its flags
// (ReaderFlags plus `more`), --mode, --output (checked against `formats`)
// and the limit flags.
struct ReaderArgs {
  Args args;
  Mode mode;
  std::string output;
  Limits limits;
};
absl::StatusOr<ReaderArgs> ParseReaderArgs(const std::vector<std::string>& argv,
                                           std::vector<FlagSpec> more,
                                           const std::vector<std::string>& formats);

// Reads every document of every path ("-" is stdin; a directory means its
// *.yaml, *.yml and *.json files, recursively, sorted).
absl::StatusOr<std::vector<Document>> LoadDocuments(const std::vector<std::string>& paths,
                                                    const Limits& limits);

// Reads every file of `paths` on its own (directories expanded as above):
// one result per file, so a file that cannot be read or parsed is reported
// with its file:line and the others are still evaluated. Only a path that
// cannot be expanded fails the whole call.
// Files are read on up to `threads` threads (0: one per core).
absl::StatusOr<std::vector<absl::StatusOr<std::vector<Document>>>> LoadEachFile(
    const std::vector<std::string>& paths, const Limits& limits, unsigned threads = 0);

// The policy binding of --policy / --preset / --cluster (docs/cli.md#policy-binding), read and
// compiled under `limits`. Owns what the Binding points to.
struct BindingHolder {
  Cluster cluster;
  bool have_cluster = false;
  PolicyPtr policy;
  std::string label;  // "preset restrictive@v1", "policy restrictive (p.yaml)", ...
  Binding binding;
};
absl::StatusOr<std::unique_ptr<BindingHolder>> LoadBinding(const Args& args, Mode mode,
                                                           const Limits& limits);

}  // namespace sympozium::cli

#endif  // SYMPOZIUM_TOOLS_CLI_CLI_H_
