#include "lib/base/path.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"

namespace sympozium {
namespace {
bool IsIdentifier(std::string_view key) {
  if (key.empty()) return false;
  for (char c : key)
    if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '-') return false;
  return true;
}
}  // namespace

void AppendPathKey(std::string* out, std::string_view key) {
  if (IsIdentifier(key)) {
    if (!out->empty()) out->push_back('.');
    out->append(key);
  } else {
    absl::StrAppend(out, "[\"", std::string(key), "\"]");
  }
}

std::string Path::ToString() const {
  std::string out;
  for (const Segment& s : segments_) {
    switch (s.kind) {
      case kKey:
        AppendPathKey(&out, s.key);
        break;
      case kIndex:
        absl::StrAppend(&out, "[", s.index, "]");
        break;
      case kRaw:
        if (!out.empty()) out.push_back('.');
        out.append(s.key);
        break;
    }
  }
  return out;
}

}  // namespace sympozium
