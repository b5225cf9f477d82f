// The test-suite runner's Python functions (suite.cc).
#ifndef SYMPOZIUM_BINDINGS_PYTHON_SUITE_H_
#define SYMPOZIUM_BINDINGS_PYTHON_SUITE_H_

#include <pybind11/pybind11.h>

namespace sympozium::python {

void BindTestSuite(pybind11::module_& m);

}  // namespace sympozium::python

#endif  // SYMPOZIUM_BINDINGS_PYTHON_SUITE_H_
