#include "sympozium/version.h"

namespace sympozium {

const char* Version() { return SYMPOZIUM_VERSION_STRING; }

}  // namespace sympozium
