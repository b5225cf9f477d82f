// Helpers shared by the unit tests.
#ifndef SYMPOZIUM_TESTS_UNIT_TEST_UTIL_H_
#define SYMPOZIUM_TESTS_UNIT_TEST_UTIL_H_

#include <string>

#include "lib/read/document.h"

namespace sympozium::testing {

// Path of a file under tests/shared (fixtures/..., conformance/...).
inline std::string DataPath(const std::string& rel) {
  return std::string(SYMPOZIUM_TEST_DATA) + "/" + rel;
}

inline std::string ReadData(const std::string& rel) {
  auto text = ReadFile(DataPath(rel));
  return text.ok() ? *text : std::string();
}

}  // namespace sympozium::testing

#endif  // SYMPOZIUM_TESTS_UNIT_TEST_UTIL_H_
