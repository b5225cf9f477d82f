#include "sympozium/diagnostic.h"

#include "absl/strings/cord.h"
#include "absl/strings/str_cat.h"

namespace sympozium {
namespace {
constexpr char kPathPayload[] = "sympozium.ai/path";
constexpr char kCodePayload[] = "sympozium.ai/code";

std::string Payload(const absl::Status& status, const char* url) {
  auto p = status.GetPayload(url);  // absl::optional on Debian's Abseil
  return p ? std::string(*p) : std::string();
}
}  // namespace

std::string Diagnostic::ToString() const {
  std::string out = path.empty() ? message : absl::StrCat(path, ": ", message);
  if (!source.empty() || mark.line != 0) {
    absl::StrAppend(&out, " (", source.empty() ? "<input>" : source);
    if (mark.line != 0) absl::StrAppend(&out, ":", mark.line, ":", mark.column);
    absl::StrAppend(&out, ")");
  }
  return out;
}

absl::Status ToStatus(const Diagnostic& d) {
  absl::Status status = absl::InvalidArgumentError(d.ToString());
  if (!d.path.empty()) status.SetPayload(kPathPayload, absl::Cord(d.path));
  if (!d.code.empty()) status.SetPayload(kCodePayload, absl::Cord(d.code));
  return status;
}

std::string PathOf(const absl::Status& status) { return Payload(status, kPathPayload); }
std::string CodeOf(const absl::Status& status) { return Payload(status, kCodePayload); }

absl::Status WithCode(absl::Status status, std::string_view code) {
  status.SetPayload(kCodePayload, absl::Cord(absl::string_view(code.data(), code.size())));
  return status;
}

}  // namespace sympozium
