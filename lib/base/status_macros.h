// Early-return on error, the one macro the library uses.
#ifndef SYMPOZIUM_LIB_BASE_STATUS_MACROS_H_
#define SYMPOZIUM_LIB_BASE_STATUS_MACROS_H_

#include "absl/status/status.h"

#define SYM_RETURN_IF_ERROR(expr)              \
  do {                                         \
    ::absl::Status sym_status_ = (expr);       \
    if (!sym_status_.ok()) return sym_status_; \
  } while (0)

#endif  // SYMPOZIUM_LIB_BASE_STATUS_MACROS_H_
