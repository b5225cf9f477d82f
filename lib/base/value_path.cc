#include "lib/base/value_path.h"

namespace sympozium {

std::string_view StringAt(const Value* v, std::initializer_list<std::string_view> path) {
  for (std::string_view key : path) {
    if (v == nullptr) return {};
    v = v->Find(key);
  }
  return v != nullptr && v->is_string() ? v->text : std::string_view();
}

}  // namespace sympozium
