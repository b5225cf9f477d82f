// docs/rbac.md#networkpolicy: default-deny for agent pods, opened only
// for DNS, the event bus and the IP blocks the policy lists.
#include "sympozium/network_policy.h"

#include <arpa/inet.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "lib/compile/policy_table.h"
#include "lib/rbac/object_builder.h"
#include "lib/read/document.h"
#include "sympozium/strings.h"

namespace sympozium {
namespace {

using rbac_internal::ObjectBuilder;

// NetworkPolicy names are DNS subdomains, which the API server caps.
constexpr size_t kMaxNameLength = 253;

// `host` as a canonical CIDR (a bare address becomes /32 or /128, host bits
// are cleared as the API server's own parsing does), or "" when it is not
// an IP address or CIDR.
std::string CanonicalCidr(std::string_view host) {
  std::string_view address = host;
  int prefix = -1;
  if (size_t slash = host.find('/'); slash != std::string_view::npos) {
    std::string_view digits = host.substr(slash + 1);
    if (digits.empty() || digits.size() > 3) return "";
    prefix = 0;
    for (char c : digits) {
      if (c < '0' || c > '9') return "";
      prefix = prefix * 10 + (c - '0');
    }
    address = host.substr(0, slash);
  }
  std::string text(address);  // inet_pton wants a terminated string
  unsigned char bytes[16];
  int family = AF_INET;
  int bits = 32;
  if (inet_pton(AF_INET, text.c_str(), bytes) != 1) {
    if (inet_pton(AF_INET6, text.c_str(), bytes) != 1) return "";
    family = AF_INET6;
    bits = 128;
  }
  if (prefix < 0) prefix = bits;
  if (prefix > bits) return "";
  for (int i = 0; i < bits / 8; ++i) {
    int keep = prefix - 8 * i;
    if (keep < 8) bytes[i] &= static_cast<unsigned char>(keep <= 0 ? 0 : 0xFF << (8 - keep));
  }
  char out[INET6_ADDRSTRLEN];
  if (inet_ntop(family, bytes, out, sizeof(out)) == nullptr) return "";
  return StrCat(out, "/", prefix);
}

class NetworkPolicyGenerator {
 public:
  NetworkPolicyGenerator(const CompiledPolicy& policy, NetworkPolicyResult& result, Arena& arena)
      : policy_(policy), result_(result), b_(arena) {}

  Value Generate(std::string_view namespace_) {
    const PolicyTable& t = TableOf(policy_);
    Arena& a = b_.arena();
    std::string name = StrCat("sympozium-policy-", policy_.name());
    if (name.size() > kMaxNameLength)
      Warn("netpol.name_too_long",
           StrCat("NetworkPolicy name ", Quote(name), " is ", name.size(), " characters, over ",
                  kMaxNameLength, ": the API server rejects it; shorten the policy name"),
           "metadata.name");
    Value object = b_.Object("networking.k8s.io/v1", "NetworkPolicy", name, namespace_);
    Value egress = Value::EmptyList();
    if (t.allow_dns)
      egress.Push(a, Rule(Peer("kube-system", "k8s-app", "kube-dns"),
                          b_.ListOf({Port("UDP", 53), Port("TCP", 53)})));
    if (t.allow_event_bus)
      egress.Push(a, Rule(Peer("sympozium-system", "app.kubernetes.io/component", "nats"),
                          b_.ListOf({Port("TCP", 4222)})));
    for (size_t i = 0; i < t.allowed_egress.size(); ++i) {
      const auto& [host, port] = t.allowed_egress[i];
      if (std::optional<Value> rule = AllowedEgressRule(i, host, port)) egress.Push(a, *rule);
    }
    // No ingress rules: with Ingress in policyTypes, all ingress is denied.
    Value spec = b_.Map({{"podSelector", MatchLabels("sympozium.ai/role", "agent")},
                         {"policyTypes", b_.ListOf({b_.String("Ingress"), b_.String("Egress")})}});
    if (!egress.items.empty()) spec.Set(a, "egress", egress);
    object.Set(a, "spec", spec);
    return object;
  }

 private:
  void Warn(std::string_view code, std::string message, std::string path) {
    result_.warnings.push_back(Diagnostic::Warning(std::string(code), std::move(path),
                                                   std::move(message), policy_.source()));
  }

  Value MatchLabels(std::string_view key, std::string_view value) const {
    return b_.Map({{"matchLabels", b_.Map({{key, b_.String(value)}})}});
  }

  // Pods labelled key=value in namespace `ns`.
  Value Peer(std::string_view ns, std::string_view key, std::string_view value) const {
    return b_.Map({{"namespaceSelector", MatchLabels("kubernetes.io/metadata.name", ns)},
                   {"podSelector", MatchLabels(key, value)}});
  }

  Value Port(std::string_view protocol, int64_t port) const {
    return b_.Map({{"protocol", b_.String(protocol)}, {"port", b_.Int(port)}});
  }

  Value Rule(const Value& peer, const Value& ports) const {
    return b_.Map({{"to", b_.ListOf({peer})}, {"ports", ports}});
  }

  // An ipBlock rule for allowedEgress[i], or nothing (with a warning) when
  // the entry cannot be expressed; an entry is never widened or dropped
  // silently.
  std::optional<Value> AllowedEgressRule(size_t i, std::string_view host, int64_t port) {
    std::string at = StrCat("spec.networkPolicy.allowedEgress[", i, "]");
    std::string cidr = CanonicalCidr(host);
    if (cidr.empty()) {
      bool looks_like_cidr = host.find('/') != std::string_view::npos;
      Warn("netpol.unsupported_host",
           StrCat("allowedEgress host ", Quote(host),
                  looks_like_cidr ? " is not a valid CIDR"
                                  : " is not an IP address or CIDR, and a NetworkPolicy cannot "
                                    "select hostnames",
                  "; no egress rule was generated for it, so this traffic stays blocked: use an "
                  "IP block (CIDR) or route it through an egress proxy"),
           at + ".host");
      return std::nullopt;
    }
    // Port 0 means unset (every port); a negative or too large port would
    // otherwise become "every port" or be rejected by the API server.
    if (port < 0 || port > 65535) {
      Warn("netpol.invalid_port",
           StrCat("allowedEgress port ", port, " for host ", Quote(host),
                  " is outside 1-65535; no egress rule was generated for it"),
           at + ".port");
      return std::nullopt;
    }
    Value rule =
        b_.Map({{"to", b_.ListOf({b_.Map({{"ipBlock", b_.Map({{"cidr", b_.String(cidr)}})}})})}});
    if (port > 0) rule.Set(b_.arena(), "ports", b_.ListOf({Port("TCP", port)}));
    return rule;
  }

  const CompiledPolicy& policy_;
  NetworkPolicyResult& result_;
  ObjectBuilder b_;
};

}  // namespace

NetworkPolicyResult GenerateNetworkPolicy(const CompiledPolicy& policy,
                                          const std::string& namespace_) {
  NetworkPolicyResult result;
  const PolicyTable& t = TableOf(policy);
  if (!t.has_network_policy || !t.deny_all) return result;
  auto memory = std::make_shared<Arena>();
  Value object = NetworkPolicyGenerator(policy, result, *memory)
                     .Generate(namespace_.empty() ? policy.namespace_() : namespace_);
  result.object = MakeDocument(std::move(memory), object, "networkPolicy");
  return result;
}

}  // namespace sympozium
