// The library's version ("0.1.0").
#ifndef SYMPOZIUM_VERSION_H_
#define SYMPOZIUM_VERSION_H_

#include "sympozium/export.h"

SYMPOZIUM_API_BEGIN
namespace sympozium {

const char* Version();

}  // namespace sympozium
SYMPOZIUM_API_END

#endif  // SYMPOZIUM_VERSION_H_
