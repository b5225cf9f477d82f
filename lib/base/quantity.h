// Quantity: Kubernetes resource quantities ("500m", "4Gi", "1e3"), parsed
// with the grammar and error texts of k8s.io/apimachinery's ParseQuantity
// and compared exactly (docs/checks.md, check 8): 2000m == 2, 1Gi > 1G.
#ifndef SYMPOZIUM_LIB_BASE_QUANTITY_H_
#define SYMPOZIUM_LIB_BASE_QUANTITY_H_

#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace sympozium {

class Quantity {
 public:
  // The error message on failure is Go's, verbatim:
  //   quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'
  //   unable to parse numeric part of quantity
  //   unable to parse quantity's suffix
  static absl::StatusOr<Quantity> Parse(std::string_view text);

  Quantity() = default;

  // <0, 0, >0 as this is less than, equal to, or greater than other.
  int Compare(const Quantity& other) const;
  bool operator==(const Quantity& o) const { return Compare(o) == 0; }
  bool operator<(const Quantity& o) const { return Compare(o) < 0; }
  bool operator>(const Quantity& o) const { return Compare(o) > 0; }
  bool operator<=(const Quantity& o) const { return Compare(o) <= 0; }
  bool operator>=(const Quantity& o) const { return Compare(o) >= 0; }

  bool IsNegative() const { return nanos_ < 0; }
  bool IsZero() const { return nanos_ == 0; }

  // The value in units of 10^-9 (what Kubernetes rounds up to). Go keeps
  // DecimalSI/DecimalExponent values of any size ("1e100"); here magnitudes
  // saturate at 2^127-1 nanos (~1.7e29), so such giants compare equal to each
  // other. BinarySI values are capped at 2^63-1 (whole units), as in Go.
  __int128 nanos() const { return nanos_; }

  // Canonical decimal rendering of the exact value, e.g. "2", "0.5",
  // "1073741824" (for messages and tests, not Kubernetes' canonical form).
  std::string ToDecimalString() const;

 private:
  explicit Quantity(__int128 nanos) : nanos_(nanos) {}
  __int128 nanos_ = 0;
};

}  // namespace sympozium

#endif  // SYMPOZIUM_LIB_BASE_QUANTITY_H_
