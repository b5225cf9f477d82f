// Quantity::Parse: accepts or fails with one of Go's messages; what it
// accepts renders as a decimal that parses back to the same value, and
// compares consistently.
#include <cstddef>
#include <cstdint>
#include <string>

#include "lib/base/quantity.h"
#include "tests/fuzz/fuzz_util.h"

namespace sympozium::fuzz {
namespace {

void Run(std::string_view text) {
  absl::StatusOr<Quantity> q = Quantity::Parse(text);
  if (!q.ok()) {
    std::string message(q.status().message());
    FUZZ_CHECK(message.rfind("quantities must match the regular expression", 0) == 0 ||
               message == "unable to parse numeric part of quantity" ||
               message == "unable to parse quantity's suffix");
    return;
  }
  std::string decimal = q->ToDecimalString();
  absl::StatusOr<Quantity> back = Quantity::Parse(decimal);
  FUZZ_CHECK(back.ok());
  FUZZ_CHECK(*back == *q);
  FUZZ_CHECK(q->IsZero() == (q->nanos() == 0));
  FUZZ_CHECK(q->IsNegative() == (q->nanos() < 0));
  static const Quantity kOthers[] = {*Quantity::Parse("0"), *Quantity::Parse("2"),
                                     *Quantity::Parse("-500m"), *Quantity::Parse("4Gi"),
                                     *Quantity::Parse("1e30")};
  for (const Quantity& other : kOthers) {
    int a = q->Compare(other), b = other.Compare(*q);
    FUZZ_CHECK((a < 0) == (b > 0) && (a == 0) == (b == 0));
    FUZZ_CHECK((a < 0) == (q->nanos() < other.nanos()));
  }
}

}  // namespace
}  // namespace sympozium::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  sympozium::fuzz::Run(std::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}
