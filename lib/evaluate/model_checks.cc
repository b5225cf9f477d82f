// Model admission: the Go ModelValidator's source checks (docs/checks.md#model-admission), plus
// strict mode's https rule for hosts outside the cluster.
#include <string>

#include "absl/strings/ascii.h"
#include "lib/evaluate/model_verify.h"
#include "sympozium/model_integrity.h"
#include "sympozium/strings.h"

namespace sympozium {
namespace {

bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

bool IsHex(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

// The rune at s[i] as Go's %c prints it: invalid UTF-8 becomes U+FFFD.
std::string RuneAt(std::string_view s, size_t i) {
  unsigned char c = static_cast<unsigned char>(s[i]);
  size_t n = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
  bool valid = n > 0 && i + n <= s.size();
  for (size_t k = 1; valid && k < n; ++k)
    valid = (static_cast<unsigned char>(s[i + k]) >> 6) == 0x2;
  return valid ? std::string(s.substr(i, n)) : std::string("\xEF\xBF\xBD");
}

}  // namespace

std::string UrlHost(std::string_view url) {
  size_t scheme = url.find("://");
  if (scheme == std::string_view::npos) return "";
  std::string_view rest = url.substr(scheme + 3);
  rest = rest.substr(0, rest.find_first_of("/?#"));
  if (size_t at = rest.rfind('@'); at != std::string_view::npos) rest.remove_prefix(at + 1);
  if (StartsWith(rest, "[")) {  // an IPv6 literal keeps its colons
    size_t close = rest.find(']');
    return close == std::string_view::npos
               ? ""
               : absl::AsciiStrToLower(AsAbsl(rest.substr(1, close - 1)));
  }
  return absl::AsciiStrToLower(AsAbsl(rest.substr(0, rest.find(':'))));
}

bool IsInClusterHost(std::string_view host) {
  std::string h = absl::AsciiStrToLower(AsAbsl(host));
  if (h.empty()) return false;
  if (h == "localhost" || EndsWith(h, ".svc") || EndsWith(h, ".cluster.local")) return true;
  // A bare Service name is a DNS-1035 label, which rules out IP forms such
  // as "2130706433".
  if (h.size() > 63 || !absl::ascii_islower(h.front()) || h.back() == '-') return false;
  for (char c : h)
    if (!absl::ascii_islower(c) && !absl::ascii_isdigit(c) && c != '-') return false;
  return true;
}

Decision EvaluateModel(const Model& model, const EvaluateOptions& options) {
  Decision decision;
  decision.mode = options.mode;
  ModelSource source = model.spec.source.value_or(ModelSource{});
  if (source.url.empty() && source.model_id.empty())
    decision.Deny("model.source_missing", "model source must specify either url or modelID",
                  "spec.source");
  if (!source.url.empty()) {
    if (!StartsWith(source.url, "https://") && !StartsWith(source.url, "http://")) {
      decision.Deny("model.url_scheme", "model source URL must use http:// or https:// scheme",
                    "spec.source.url");
    } else if (options.mode == Mode::kStrict && StartsWith(source.url, "http://")) {
      std::string host = UrlHost(source.url);
      if (!IsInClusterHost(host))
        decision.Deny("model.url_insecure",
                      StrCat("model source URL must use https:// scheme unless the host is "
                             "in-cluster (host ",
                             Quote(host), ")"),
                      "spec.source.url");
    }
  }
  Str sha = source.sha256;
  if (!sha.empty()) {
    if (sha.size() != 64) {
      decision.Deny("model.sha256_invalid",
                    StrCat("sha256 checksum must be exactly 64 hex characters, got ", sha.size()),
                    "spec.source.sha256");
    } else {
      for (size_t i = 0; i < sha.size(); ++i)
        if (!IsHex(sha[i])) {
          decision.Deny("model.sha256_invalid",
                        StrCat("sha256 checksum contains invalid character: ", RuneAt(sha, i)),
                        "spec.source.sha256");
          break;
        }
    }
  }
  if (decision.violations.empty()) return Decision::Allow("model validated", options.mode);
  return decision;
}

}  // namespace sympozium
