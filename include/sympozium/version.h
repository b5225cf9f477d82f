// The library's version ("0.1.0").
#ifndef SYMPOZIUM_VERSION_H_
#define SYMPOZIUM_VERSION_H_

namespace sympozium {

const char* Version();

}  // namespace sympozium

#endif  // SYMPOZIUM_VERSION_H_
