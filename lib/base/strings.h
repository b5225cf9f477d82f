// StrCat/StrAppend that also take std::string_view. Debian's Abseil keeps
// its own absl::string_view (TOOLCHAIN.md), which absl::StrCat does not
// convert from std::string_view; the model's Str is a std::string_view.
#ifndef SYMPOZIUM_LIB_BASE_STRINGS_H_
#define SYMPOZIUM_LIB_BASE_STRINGS_H_

#include <string>
#include <string_view>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"

namespace sympozium {

inline absl::string_view AsAbsl(std::string_view s) {
  return absl::string_view(s.data(), s.size());
}

namespace strings_internal {
template <class T>
const T& Piece(const T& t) {
  return t;
}
inline absl::string_view Piece(std::string_view s) { return AsAbsl(s); }
}  // namespace strings_internal

template <class... Args>
std::string StrCat(const Args&... args) {
  return absl::StrCat(strings_internal::Piece(args)...);
}

template <class... Args>
void StrAppend(std::string* out, const Args&... args) {
  absl::StrAppend(out, strings_internal::Piece(args)...);
}

// `"text"`, as Go's %q prints simple strings.
std::string Quote(std::string_view s);

// `[a b c]`, as Go's %v prints a []string.
std::string GoList(const std::vector<std::string>& items);

}  // namespace sympozium

#endif  // SYMPOZIUM_LIB_BASE_STRINGS_H_
