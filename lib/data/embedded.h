// Data files compiled into the library (presets, CRD schemas); see
// cmake/embed.cmake.
#ifndef SYMPOZIUM_LIB_DATA_EMBEDDED_H_
#define SYMPOZIUM_LIB_DATA_EMBEDDED_H_

#include <string_view>
#include <vector>

namespace sympozium::data {

struct EmbeddedFile {
  std::string_view name;  // path under lib/data, e.g. "presets/restrictive.yaml"
  std::string_view text;
};

const std::vector<EmbeddedFile>& EmbeddedFiles();

// The text of an embedded file, or "" when there is none.
inline std::string_view Embedded(std::string_view name) {
  for (const EmbeddedFile& f : EmbeddedFiles())
    if (f.name == name) return f.text;
  return {};
}

}  // namespace sympozium::data

#endif  // SYMPOZIUM_LIB_DATA_EMBEDDED_H_
