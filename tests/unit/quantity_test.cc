#include <doctest/doctest.h>

#include <limits>
#include <string>

#include "lib/base/quantity.h"

namespace sympozium {
namespace {

constexpr char kFormatWrong[] =
    "quantities must match the regular expression "
    "'^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";
constexpr char kNumeric[] = "unable to parse numeric part of quantity";
constexpr char kSuffix[] = "unable to parse quantity's suffix";

constexpr __int128 kMax = std::numeric_limits<__int128>::max();

Quantity Q(const char* text) {
  auto q = Quantity::Parse(text);
  REQUIRE_MESSAGE(q.ok(), text, ": ", q.status().ToString());
  return *q;
}

// Expected values were traced through apimachinery's ParseQuantity.
struct Valid {
  const char* text;
  const char* value;  // exact, as ToDecimalString renders it
};

constexpr Valid kValid[] = {
    {"0", "0"},
    {"2", "2"},
    {"2000m", "2"},
    {"1k", "1000"},
    {"1e3", "1000"},
    {"1E3", "1000"},
    {"1e+3", "1000"},
    {"1e03", "1000"},
    {"1e-0", "1"},
    {"1e-3", "0.001"},
    {"1E-3", "0.001"},
    {"1m", "0.001"},
    {"0.5", "0.5"},
    {"500m", "0.5"},
    {".5", "0.5"},
    {"1.", "1"},
    {"1.G", "1000000000"},
    {"007", "7"},
    {"-1", "-1"},
    {"+1", "1"},
    {"-0", "0"},
    {"000", "0"},
    {"100n", "0.0000001"},
    {"1n", "0.000000001"},
    {"1u", "0.000001"},
    {"1M", "1000000"},
    {"1G", "1000000000"},
    {"1T", "1000000000000"},
    {"1P", "1000000000000000"},
    {"1E", "1000000000000000000"},  // E alone is exa, not an exponent
    {"12E", "12000000000000000000"},
    {"10.035M", "10035000"},
    {"1.3E+6", "1300000"},
    {"0.5e-2", "0.005"},
    {"1Ki", "1024"},
    {"1Mi", "1048576"},
    {"1Gi", "1073741824"},
    {"1Ti", "1099511627776"},
    {"1Pi", "1125899906842624"},
    {"7Ei", "8070450532247928832"},
    {"1.5Gi", "1610612736"},
    {"0.5Mi", "524288"},
    {".5Ki", "512"},
    {"-.5Pi", "-562949953421312"},
    {"100.035Ki", "102435.84"},
    {".000000001Ki", "0.000001024"},
    // Rounded up to a nano, away from zero.
    {"0.1n", "0.000000001"},
    {"-0.1n", "-0.000000001"},
    {"0.9n", "0.000000001"},
    {"3.001n", "0.000000004"},
    {"1.1E-9", "0.000000002"},
    {"0.0000000001", "0.000000001"},
    {"0.00000012345", "0.000000124"},
    {"1.0000000001", "1.000000001"},
    {"0.000000000001Ki", "0.000000002"},
    {"1e-2147483647", "0.000000001"},
    // Only BinarySI is capped at 2^63-1; decimal values are kept whole.
    {"8Ei", "9223372036854775807"},
    {"9Ei", "9223372036854775807"},
    {"-8Ei", "-9223372036854775807"},
    {"9223372036854775807Ki", "9223372036854775807"},
    {"9223372036854775808", "9223372036854775808"},
    {"100E", "100000000000000000000"},
    // Go's scanner lets the number be empty or a bare point.
    {".", "0"},
    {"+", "0"},
    {"-", "0"},
    {"m", "0"},
    {"Ki", "0"},
    {"-Ki", "0"},
    {".Ki", "0"},  // int64 fast path: never reaches the inf.Dec parse
    {".Ti", "0"},
    {"e5", "0"},
    {".e19", "0"},
    // The exponent is parsed as int64, then truncated to int32.
    {"1e4294967296", "1"},
    {"1e4294967295", "0.1"},
};

TEST_CASE("quantity parses valid strings to their exact value") {
  for (const Valid& c : kValid) {
    CAPTURE(c.text);
    auto q = Quantity::Parse(c.text);
    REQUIRE_MESSAGE(q.ok(), q.status().ToString());
    CHECK(q->ToDecimalString() == c.value);
  }
}

struct Invalid {
  const char* text;
  const char* error;
};

constexpr Invalid kInvalid[] = {
    {"", kFormatWrong},
    {"abc", kFormatWrong},
    {"aoeu", kFormatWrong},
    {"1.5.5", kFormatWrong},
    {"1.1.M", kFormatWrong},
    {"1Gb", kFormatWrong},
    {"1KiB", kFormatWrong},
    {"1KI", kFormatWrong},
    {"1 Gi", kFormatWrong},
    {" 1", kFormatWrong},
    {"1 ", kFormatWrong},
    {"1x", kFormatWrong},
    {"0.1am", kFormatWrong},
    {"1+1.0M", kFormatWrong},
    {"1e3.5", kFormatWrong},
    {"1e1e1", kFormatWrong},
    {"\xd9\xa1", kFormatWrong},  // ARABIC-INDIC DIGIT ONE
    {"1e", kSuffix},
    {"1e+", kSuffix},
    {"-3.01e-", kSuffix},
    {"1ee3", kSuffix},
    {"1eE3", kSuffix},
    {"--1", kSuffix},  // the second '-' starts the suffix "-1"
    {"1.-1", kSuffix},
    {"1-", kSuffix},
    {"1i", kSuffix},
    {".5i", kSuffix},
    {"0.1mi", kSuffix},
    {"1ki", kSuffix},
    {"1k3", kSuffix},
    {"1Gi1", kSuffix},
    {"1KiKi", kSuffix},
    {"1e99999999999999999999", kSuffix},  // beyond int64
    // No digits and off the int64 fast path: inf.Dec cannot parse the value.
    {".Pi", kNumeric},
    {".Ei", kNumeric},
    {"-.Ei", kNumeric},
    {"Ei", kNumeric},
    {"e-10", kNumeric},
    {".e-10", kNumeric},
};

TEST_CASE("quantity rejects malformed strings with Go's error text") {
  for (const Invalid& c : kInvalid) {
    CAPTURE(c.text);
    auto q = Quantity::Parse(c.text);
    REQUIRE_FALSE(q.ok());
    CHECK(q.status().code() == absl::StatusCode::kInvalidArgument);
    CHECK(q.status().message() == c.error);
  }
}

TEST_CASE("quantity compares exactly") {
  CHECK(Q("2000m") == Q("2"));
  CHECK(Q("1Gi") == Q("1024Mi"));
  CHECK(Q("1Ti") == Q("1024Gi"));
  CHECK(Q("1.5Gi") == Q("1536Mi"));
  CHECK(Q("1Gi") > Q("1G"));
  CHECK(Q("1e3") == Q("1k"));
  CHECK(Q("1e-3") == Q("1m"));
  CHECK(Q("1e-9") == Q("1n"));
  CHECK(Q("0.5") == Q("500m"));
  CHECK(Q("0.1n") == Q("1n"));
  CHECK(Q("1000001n") > Q("1m"));
  CHECK(Q("999999n") < Q("1m"));
  CHECK(Q("3") > Q("2"));
  CHECK(Q("2") <= Q("2000m"));
  CHECK(Q("2") >= Q("2000m"));
  CHECK(Q("-1") < Q("0"));
  CHECK(Q("-8Ei") < Q("-7Ei"));
  CHECK(Q("100E") > Q("9223372036854775807"));
  CHECK(Q("8Ei") == Q("9223372036854775807"));
  CHECK(Q("8Ei") < Q("9223372036854775808"));
  CHECK(Q("1").Compare(Q("2")) < 0);
  CHECK(Q("2").Compare(Q("1")) > 0);
  CHECK(Q("1").Compare(Q("1000m")) == 0);
}

TEST_CASE("quantity nanos are exact and saturate for giant decimal values") {
  CHECK(Q("1").nanos() == 1000000000);
  CHECK(Q("1n").nanos() == 1);
  CHECK(Q("-1.5").nanos() == -1500000000);
  CHECK(Q("8Ei").nanos() ==
        static_cast<__int128>(std::numeric_limits<int64_t>::max()) * 1000000000);
  CHECK(Q("1e100").nanos() == kMax);
  CHECK(Q("-1e100").nanos() == -kMax);
  CHECK(Q("1e99999999999").nanos() == kMax);  // int32(99999999999) = 1215752191
  // Go's int32 scale wraps: scale = -2147483648 - len("5") becomes 2^31-1.
  CHECK(Q("1.5e-2147483648").nanos() == kMax);
  CHECK(Q("1e100") == Q("1e200"));  // documented limit of the representation
  // 2^127-1 nanos, the largest value kept, and its neighbours.
  CHECK(Q("170141183460469231731687303715.884105726").nanos() == kMax - 1);
  CHECK(Q("170141183460469231731687303715.884105727").nanos() == kMax);
  CHECK(Q("170141183460469231731687303715.884105728").nanos() == kMax);
  CHECK(Q("170141183460469231731687303715.8841057261").nanos() == kMax);
}

// Whole digits with a unit take a shorter route than the general grammar
// ("+" sends the same value down the general one): both must agree to the
// nano, at the saturation point and at the BinarySI cap too.
TEST_CASE("quantity: plain digits with a unit equal the general grammar's value") {
  const char* digits[] = {"0",
                          "1",
                          "7",
                          "250",
                          "0001",
                          "999999999",
                          "123456789012345678",
                          "999999999999999999",
                          "1000000000000000000"};
  const char* units[] = {"",  "n", "u",  "m",  "k",  "M",  "G",  "T",
                         "P", "E", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"};
  for (const char* d : digits)
    for (const char* u : units) {
      const std::string plain = std::string(d) + u;
      CAPTURE(plain);
      CHECK(Q(plain.c_str()).nanos() == Q(("+" + plain).c_str()).nanos());
    }
  for (const char* bad : {"1ni", "1Ki5", "1e", "12x", "1mi"}) {
    CAPTURE(bad);
    CHECK_FALSE(Quantity::Parse(bad).ok());
  }
}

TEST_CASE("quantity sign") {
  CHECK(Q("-1").IsNegative());
  CHECK(Q("-0.1n").IsNegative());
  CHECK(Q("-1Ki").IsNegative());
  CHECK_FALSE(Q("1").IsNegative());
  CHECK_FALSE(Q("+1").IsNegative());
  CHECK_FALSE(Q("-0").IsNegative());
  CHECK_FALSE(Q("-").IsNegative());
  CHECK_FALSE(Q("-Ki").IsNegative());
  CHECK(Q("-0").IsZero());
  CHECK(Q("0Ki").IsZero());
  CHECK_FALSE(Q("0.1n").IsZero());
  CHECK(Q("-1.5Gi").ToDecimalString() == "-1610612736");
  CHECK(Quantity().IsZero());
  CHECK(Quantity().ToDecimalString() == "0");
}

}  // namespace
}  // namespace sympozium
