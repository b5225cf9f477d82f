#ifndef SYMPOZIUM_EXPORT_H_
#define SYMPOZIUM_EXPORT_H_

// What libsympozium.so exports. The library is compiled with hidden
// visibility (-fvisibility=hidden), so only what a public header declares
// between SYMPOZIUM_API_BEGIN and SYMPOZIUM_API_END (every installed C++
// header wraps its namespace so) is visible to a program linking the shared
// library; the stages inside lib/ and the Abseil, yaml-cpp and simdjson code
// they instantiate stay private to it. SYMPOZIUM_EXPORT marks a single
// declaration outside such a region.
#if defined(__GNUC__) || defined(__clang__)
#define SYMPOZIUM_EXPORT __attribute__((visibility("default")))
#define SYMPOZIUM_API_BEGIN _Pragma("GCC visibility push(default)")
#define SYMPOZIUM_API_END _Pragma("GCC visibility pop")
#else
#define SYMPOZIUM_EXPORT
#define SYMPOZIUM_API_BEGIN
#define SYMPOZIUM_API_END
#endif

#endif  // SYMPOZIUM_EXPORT_H_
