// Kubernetes quantity parsing, following k8s.io/apimachinery's ParseQuantity
// (quantity.go, suffix.go) step for step where a step decides an error or a
// value, including Go's int32 exponent arithmetic. The value is kept exactly
// in nanos, which is all the precision Kubernetes keeps.
#include "lib/base/quantity.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <limits>
#include <optional>

#include "absl/status/status.h"
#include "absl/strings/numbers.h"
#include "absl/strings/string_view.h"

namespace sympozium {
namespace {

using U128 = unsigned __int128;

constexpr char kErrFormatWrong[] =
    "quantities must match the regular expression "
    "'^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";
constexpr char kErrNumeric[] = "unable to parse numeric part of quantity";
constexpr char kErrSuffix[] = "unable to parse quantity's suffix";

constexpr std::string_view kDigits = "0123456789";

// Magnitudes saturate here so that negating one never overflows.
constexpr U128 kMaxNanos = static_cast<U128>(std::numeric_limits<__int128>::max());
// Go caps BinarySI quantities (only those) at maxAllowed = 2^63-1.
constexpr U128 kBinaryCapNanos =
    static_cast<U128>(std::numeric_limits<int64_t>::max()) * 1000000000u;

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// [eEinumkKMGTP], without a memchr per character.
bool IsSuffixChar(char c) {
  switch (c) {
    case 'e':
    case 'E':
    case 'i':
    case 'n':
    case 'u':
    case 'm':
    case 'k':
    case 'K':
    case 'M':
    case 'G':
    case 'T':
    case 'P':
      return true;
    default:
      return false;
  }
}

// Go's int32(x) conversion: keep the low 32 bits, two's complement.
int32_t WrapInt32(int64_t x) {
  const uint32_t low = static_cast<uint32_t>(static_cast<uint64_t>(x));
  return low <= static_cast<uint32_t>(std::numeric_limits<int32_t>::max())
             ? static_cast<int32_t>(low)
             : static_cast<int32_t>(static_cast<int64_t>(low) - (int64_t{1} << 32));
}

// The pieces Go's parseQuantityString returns: value is the signed number as
// written (what inf.Dec parses on the slow path), num has its leading zeros
// stripped and is "0" when nothing is left.
struct Scanned {
  bool positive = true;
  std::string_view value;
  std::string_view num;
  std::string_view denom;
  std::string_view suffix;
};

std::string_view SkipDigits(std::string_view str, size_t* pos) {
  const size_t start = *pos;
  while (*pos < str.size() && IsDigit(str[*pos])) ++*pos;
  return str.substr(start, *pos - start);
}

absl::StatusOr<Scanned> Scan(std::string_view str) {
  Scanned s;
  size_t pos = 0;
  if (!str.empty() && (str[0] == '-' || str[0] == '+')) {
    s.positive = str[0] == '+';
    ++pos;
  }
  while (pos < str.size() && str[pos] == '0') ++pos;
  if (pos == str.size()) {  // "", "+", "-0", "000": zero
    s.value = s.num = "0";
    return s;
  }
  s.num = SkipDigits(str, &pos);
  if (pos == str.size()) {
    s.value = str;
    return s;
  }
  if (s.num.empty()) s.num = "0";
  if (str[pos] == '.') {  // "1." and "." are accepted, as in Go
    ++pos;
    s.denom = SkipDigits(str, &pos);
    if (pos == str.size()) {
      s.value = str;
      return s;
    }
  }
  s.value = str.substr(0, pos);
  const size_t suffix_start = pos;
  while (pos < str.size() && IsSuffixChar(str[pos])) ++pos;
  if (pos < str.size() && (str[pos] == '-' || str[pos] == '+')) ++pos;
  SkipDigits(str, &pos);
  if (pos < str.size()) return absl::InvalidArgumentError(kErrFormatWrong);
  s.suffix = str.substr(suffix_start);
  return s;
}

struct Suffix {
  bool binary;       // BinarySI (Ki..Ei), the only format Go caps
  int32_t exponent;  // of 2 when binary, else of 10
};

// The decimal exponent of a one-letter SI suffix, or nullopt.
std::optional<int32_t> DecimalSuffixExponent(char c) {
  switch (c) {
    case 'n':
      return -9;
    case 'u':
      return -6;
    case 'm':
      return -3;
    case 'k':
      return 3;
    case 'M':
      return 6;
    case 'G':
      return 9;
    case 'T':
      return 12;
    case 'P':
      return 15;
    case 'E':
      return 18;
    default:
      return std::nullopt;
  }
}

std::optional<Suffix> InterpretSuffix(std::string_view s) {
  // "", n u m k M G T P E, and Ki Mi Gi Ti Pi Ei (2^10 per step from K):
  // a switch, not a table of string compares, as this runs per quantity.
  if (s.empty()) return Suffix{false, 0};
  if (s.size() == 1)
    if (std::optional<int32_t> e = DecimalSuffixExponent(s[0])) return Suffix{false, *e};
  if (s.size() == 2 && s[1] == 'i') {
    if (s[0] == 'K') return Suffix{true, 10};
    std::optional<int32_t> e = DecimalSuffixExponent(s[0]);
    if (e && *e >= 6) return Suffix{true, *e / 3 * 10};  // M=6 -> 20 ... E=18 -> 60
  }
  // Go: strconv.ParseInt(s[1:], 10, 64) then int32(parsed), so the exponent
  // must fit int64 and is then silently truncated ("1e4294967296" is 1).
  // SimpleAtoi agrees with ParseInt on this alphabet ([eEinumkKMGTP+-0-9]).
  int64_t parsed = 0;
  if (s.size() > 1 && (s[0] == 'e' || s[0] == 'E') &&
      absl::SimpleAtoi(absl::string_view(s.data() + 1, s.size() - 1), &parsed)) {
    return Suffix{false, WrapInt32(parsed)};
  }
  return std::nullopt;
}

// The overflow check, not a 128-bit division: quantities are parsed on the
// admission hot path.
U128 SatMul(U128 a, U128 b) {
  U128 product;
  return __builtin_mul_overflow(a, b, &product) || product > kMaxNanos ? kMaxNanos : product;
}
U128 SatAdd(U128 a, U128 b) { return a > kMaxNanos - b ? kMaxNanos : a + b; }

// 10^0 .. 10^38, every power of ten a U128 holds.
constexpr auto kPow10 = [] {
  std::array<U128, 39> p{};
  p[0] = 1;
  for (size_t i = 1; i < p.size(); ++i) p[i] = p[i - 1] * 10;
  return p;
}();

U128 SatParse(std::string_view digits) {
  if (digits.size() <= 19) {  // 10^19 - 1 fits 64 bits: no saturation to check
    uint64_t v = 0;
    for (char c : digits) v = v * 10 + static_cast<uint64_t>(c - '0');
    return v;
  }
  U128 v = 0;
  for (char c : digits) v = SatAdd(SatMul(v, 10), static_cast<U128>(c - '0'));
  return v;
}

// digits * 10^exp10 * 2^exp2 in nanos, rounded up (Go's inf.RoundUp on the
// magnitude) and saturated at kMaxNanos.
U128 MagnitudeNanos(std::string_view digits, int64_t exp10, int exp2) {
  if (exp10 + 9 < 0) {
    // Digits below a nano: without its zeros at either end, the number's
    // last digit is not 0, which the fraction's rounding below relies on.
    digits.remove_prefix(std::min(digits.find_first_not_of('0'), digits.size()));
    if (digits.empty()) return 0;
    const size_t last = digits.find_last_not_of('0');
    exp10 += static_cast<int64_t>(digits.size() - 1 - last);
    digits = digits.substr(0, last + 1);
  }

  const U128 pow2 = U128{1} << exp2;
  const int64_t shift = exp10 + 9;  // decimal exponent of digits in nanos
  if (shift >= 0) {
    const U128 v = SatParse(digits);
    if (v == 0) return 0;
    if (shift > 38) return kMaxNanos;  // 10^39 > 2^127
    return SatMul(SatMul(v, kPow10[static_cast<size_t>(shift)]), pow2);
  }
  // The last -shift digits lie below a nano. The whole nanos above them scale
  // exactly; the fraction (never zero: its last digit is not) times 2^exp2 is
  // done by long multiplication from the right, whose carry out of the top is
  // its whole part and whose non-zero digits left behind make it round up.
  const uint64_t frac_len = static_cast<uint64_t>(-shift);
  const size_t whole_len = digits.size() > frac_len ? digits.size() - frac_len : 0;
  const U128 whole = SatMul(SatParse(digits.substr(0, whole_len)), pow2);
  const std::string_view frac = digits.substr(whole_len);
  uint64_t leading_zeros = frac_len - frac.size();
  U128 carry = 0;
  bool inexact = false;
  for (auto it = frac.rbegin(); it != frac.rend(); ++it) {
    carry += static_cast<U128>(*it - '0') * pow2;
    inexact |= carry % 10 != 0;
    carry /= 10;
  }
  for (; carry != 0 && leading_zeros > 0; --leading_zeros) {
    inexact |= carry % 10 != 0;
    carry /= 10;
  }
  return SatAdd(whole, carry + (inexact ? 1 : 0));
}

// digits * 10^exp10 scaled by a binary suffix (or not), in nanos; BinarySI
// values capped as Go caps them.
U128 SuffixedNanos(std::string_view digits, int64_t exp10, const Suffix& suffix) {
  const U128 magnitude = MagnitudeNanos(digits, exp10, suffix.binary ? suffix.exponent : 0);
  return suffix.binary ? std::min(magnitude, kBinaryCapNanos) : magnitude;
}

// Nearly every quantity is whole digits and a unit ("250m", "1Gi", "2").
// For those the scan and the exponent bookkeeping in Parse come to the
// unit's own exponent, so they go straight to the magnitude. nullopt for
// anything else (a sign, a fraction, an exponent, more digits than an int64
// holds).
std::optional<U128> PlainMagnitudeNanos(std::string_view text) {
  size_t digits = 0;
  while (digits < text.size() && IsDigit(text[digits])) ++digits;
  if (digits == 0 || digits > 18) return std::nullopt;
  const std::string_view unit = text.substr(digits);
  if (unit.size() > 2 || (unit.size() == 2 && unit[1] != 'i')) return std::nullopt;
  const std::optional<Suffix> suffix = InterpretSuffix(unit);
  if (!suffix) return std::nullopt;
  return SuffixedNanos(text.substr(0, digits), suffix->binary ? 0 : suffix->exponent, *suffix);
}

}  // namespace

absl::StatusOr<Quantity> Quantity::Parse(std::string_view text) {
  if (std::optional<U128> plain = PlainMagnitudeNanos(text))
    return Quantity(static_cast<__int128>(*plain));
  if (text.empty()) return absl::InvalidArgumentError(kErrFormatWrong);
  absl::StatusOr<Scanned> scanned = Scan(text);
  if (!scanned.ok()) return scanned.status();
  const Scanned& s = *scanned;
  const std::optional<Suffix> suffix = InterpretSuffix(s.suffix);
  if (!suffix) return absl::InvalidArgumentError(kErrSuffix);

  // Go tries an int64 fast path first and falls back to inf.Dec, which cannot
  // parse a value without digits ("." or "-"): that is the only numeric
  // error. The paths agree on the value except where Go's int32 scale
  // arithmetic wraps, so the exponent is computed as the chosen path does.
  const auto num_len = static_cast<int64_t>(s.num.size());
  const auto denom_len = static_cast<int64_t>(s.denom.size());
  bool fast_path;
  int64_t exp10;
  if (suffix->binary) {
    // Go: 15 - len(num) - int32(float32(exponent)*3/10) - 1; exact for 10..60.
    // An int64 overflow also leaves the fast path, but needs digits.
    fast_path = denom_len == 0 && 14 - num_len - suffix->exponent * 3 / 10 >= 0;
    exp10 = -denom_len;
  } else {
    const int32_t fast_scale = WrapInt32(suffix->exponent - denom_len);
    fast_path = 18 - (num_len + denom_len) >= 0 && fast_scale >= -9;
    // inf.Dec scale is len(denom) + (-exponent), both steps in int32.
    exp10 = fast_path ? fast_scale
                      : -int64_t{WrapInt32(denom_len + WrapInt32(-int64_t{suffix->exponent}))};
  }
  if (!fast_path && s.value.find_first_of(kDigits) == std::string_view::npos) {
    return absl::InvalidArgumentError(kErrNumeric);
  }

  const std::string digits = std::string(s.num) + std::string(s.denom);
  const auto nanos = static_cast<__int128>(SuffixedNanos(digits, exp10, *suffix));
  return Quantity(s.positive ? nanos : -nanos);
}

int Quantity::Compare(const Quantity& other) const {
  return nanos_ < other.nanos_ ? -1 : nanos_ > other.nanos_ ? 1 : 0;
}

std::string Quantity::ToDecimalString() const {
  U128 magnitude = nanos_ < 0 ? -static_cast<U128>(nanos_) : static_cast<U128>(nanos_);
  std::string frac(9, '0');
  for (int i = 8; i >= 0; --i, magnitude /= 10) frac[i] = static_cast<char>('0' + magnitude % 10);
  frac.resize(frac.find_last_not_of('0') + 1);  // npos + 1 == 0: no fraction
  std::string whole;
  do {
    whole.insert(whole.begin(), static_cast<char>('0' + magnitude % 10));
    magnitude /= 10;
  } while (magnitude != 0);
  std::string out = nanos_ < 0 ? "-" + whole : whole;
  if (!frac.empty()) out += "." + frac;
  return out;
}

}  // namespace sympozium
