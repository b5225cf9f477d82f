// String helpers for programs that word messages around the API's answers.
//
// StrCat/StrAppend: absl::StrCat/StrAppend that also take std::string_view,
// which the API returns (Document::kind(), Violation::code). Debian's
// Abseil keeps its own absl::string_view, which absl::StrCat does not
// convert from std::string_view. Quote and GoList print strings as the
// library's messages do (Go's %q and %v).
#ifndef SYMPOZIUM_STRINGS_H_
#define SYMPOZIUM_STRINGS_H_

#include <string>
#include <string_view>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "sympozium/export.h"

SYMPOZIUM_API_BEGIN
namespace sympozium {

inline absl::string_view AsAbsl(std::string_view s) {
  return absl::string_view(s.data(), s.size());
}

namespace str_cat_detail {
template <class T>
const T& Piece(const T& t) {
  return t;
}
inline absl::string_view Piece(std::string_view s) { return AsAbsl(s); }
}  // namespace str_cat_detail

template <class... Args>
std::string StrCat(const Args&... args) {
  return absl::StrCat(str_cat_detail::Piece(args)...);
}

template <class... Args>
void StrAppend(std::string* out, const Args&... args) {
  absl::StrAppend(out, str_cat_detail::Piece(args)...);
}

// `"text"`, as Go's %q prints simple strings.
std::string Quote(std::string_view s);

// `[a b c]`, as Go's %v prints a []string.
std::string GoList(const std::vector<std::string>& items);

}  // namespace sympozium
SYMPOZIUM_API_END

#endif  // SYMPOZIUM_STRINGS_H_
