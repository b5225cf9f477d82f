#include "sympozium/network_policy.h"

#include <doctest/doctest.h>

#include <string>
#include <utility>
#include <vector>

#include "lib/read/document.h"
#include "lib/write/write.h"
#include "sympozium/policy.h"

namespace sympozium {
namespace testing {
// The structural validator, defined in rbac_test.cc.
std::vector<std::string> ShapeErrors(const Value& object, std::string_view schemas_yaml);
}  // namespace testing

namespace {

using testing::ShapeErrors;

// networking.k8s.io/v1 NetworkPolicy (k8s.io/api/networking/v1 types.go),
// every field.
constexpr std::string_view kNetworkPolicySchema = R"(
defs:
  selector: &selector
    matchLabels: {"*": string}
    matchExpressions:
    - key!: string
      operator!: string
      values: [string]
  peer: &peer
    podSelector: *selector
    namespaceSelector: *selector
    ipBlock:
      cidr!: string
      except: [string]
  port: &port
    protocol: string
    port: int-or-string
    endPort: int
NetworkPolicy:
  apiVersion!: string
  kind!: string
  metadata!:
    name!: string
    namespace: string
    labels: {"*": string}
    annotations: {"*": string}
  spec:
    podSelector!: *selector
    policyTypes: [string]
    ingress:
    - from: [*peer]
      ports: [*port]
    egress:
    - to: [*peer]
      ports: [*port]
)";

Document Yaml(std::string_view text) {
  auto doc = ReadDocument(text, {Format::kYaml, "want"});
  REQUIRE_MESSAGE(doc.ok(), doc.status().ToString());
  return std::move(*doc);
}

PolicyPtr Compile(const std::string& network_policy, const std::string& ns = "",
                  const std::string& name = "egress") {
  std::string text =
      "apiVersion: sympozium.ai/v1alpha1\nkind: SympoziumPolicy\nmetadata:\n  name: " + name +
      "\n" + (ns.empty() ? "" : "  namespace: " + ns + "\n") + "spec:\n" + network_policy;
  CompileOptions options;
  options.mode = Mode::kCompat;  // out-of-range ports are the point of some cases
  auto policy = CompilePolicy(text, options, "egress.yaml");
  REQUIRE_MESSAGE(policy.ok(), policy.status().ToString());
  return *policy;
}

void CheckShape(const Value& object) {
  std::vector<std::string> errors = ShapeErrors(object, kNetworkPolicySchema);
  CHECK_MESSAGE(errors.empty(), (errors.empty() ? "" : errors[0]), "\n", ToYaml(object));
  CHECK(object.Find("apiVersion")->text == "networking.k8s.io/v1");
}

// `code path` of each warning.
std::vector<std::string> Findings(const NetworkPolicyResult& r) {
  std::vector<std::string> out;
  for (const Diagnostic& d : r.warnings) {
    CHECK(d.severity == Diagnostic::Severity::kWarning);
    out.push_back(d.code + " " + d.path);
  }
  return out;
}

// Indented to sit under `egress:` in `spec`.
constexpr std::string_view kDnsAndEventBus = R"(
  - to:
    - namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: kube-system}}
      podSelector: {matchLabels: {k8s-app: kube-dns}}
    ports:
    - {protocol: UDP, port: 53}
    - {protocol: TCP, port: 53}
  - to:
    - namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: sympozium-system}}
      podSelector: {matchLabels: {app.kubernetes.io/component: nats}}
    ports:
    - {protocol: TCP, port: 4222}
)";

TEST_CASE("networkPolicy from the presets") {
  for (std::string name : {"restrictive", "network-isolated"}) {
    CAPTURE(name);
    auto preset = Preset(name);
    REQUIRE(preset.ok());
    NetworkPolicyResult r = GenerateNetworkPolicy(**preset, "agents");
    REQUIRE(r.object.has_value());
    CHECK(r.warnings.empty());
    CheckShape(r.object->root());
    Document want = Yaml(R"(
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: sympozium-policy-)" +
                         name + R"(, namespace: agents}
spec:
  podSelector: {matchLabels: {sympozium.ai/role: agent}}
  policyTypes: [Ingress, Egress]
  egress:)" + std::string(kDnsAndEventBus));
    CHECK_MESSAGE(ValueEquals(r.object->root(), want.root()), ToYaml(r.object->root()));
    // Presets have no namespace: without an argument the object has none.
    CHECK(GenerateNetworkPolicy(**preset).object->root().Find("metadata")->Find("namespace") ==
          nullptr);
  }
  // permissive says denyAll: false, default has no networkPolicy: nothing.
  for (std::string name : {"permissive", "default"}) {
    CAPTURE(name);
    auto preset = Preset(name);
    REQUIRE(preset.ok());
    NetworkPolicyResult r = GenerateNetworkPolicy(**preset, "agents");
    CHECK(!r.object.has_value());
    CHECK(r.warnings.empty());
  }
}

TEST_CASE("networkPolicy allowedEgress: IP blocks, and hostnames reported") {
  PolicyPtr policy = Compile(R"(  networkPolicy:
    allowDNS: false
    allowEventBus: false
    allowedEgress:
    - {host: 10.0.0.0/8, port: 443}
    - {host: 192.168.1.7}
    - {host: "2001:db8::1", port: 8443}
    - {host: "2001:DB8:abcd::/48"}
    - {host: api.openai.com, port: 443}
    - {host: 10.1.2.3/8, port: 80}
    - {host: 10.0.0.0/33}
    - {host: 10.0.0.1, port: 70000}
    - {host: 10.0.0.2, port: -1}
    - {host: "fe80::1%eth0"}
    - {host: 0.0.0.0/0}
)",
                             "team");
  NetworkPolicyResult r = GenerateNetworkPolicy(*policy);
  REQUIRE(r.object.has_value());
  CheckShape(r.object->root());
  Document want = Yaml(R"(
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: sympozium-policy-egress, namespace: team}
spec:
  podSelector: {matchLabels: {sympozium.ai/role: agent}}
  policyTypes: [Ingress, Egress]
  egress:
  - to: [{ipBlock: {cidr: 10.0.0.0/8}}]
    ports: [{protocol: TCP, port: 443}]
  - to: [{ipBlock: {cidr: 192.168.1.7/32}}]
  - to: [{ipBlock: {cidr: "2001:db8::1/128"}}]
    ports: [{protocol: TCP, port: 8443}]
  - to: [{ipBlock: {cidr: "2001:db8:abcd::/48"}}]
  - to: [{ipBlock: {cidr: 10.0.0.0/8}}]
    ports: [{protocol: TCP, port: 80}]
  - to: [{ipBlock: {cidr: 0.0.0.0/0}}]
)");
  CHECK_MESSAGE(ValueEquals(r.object->root(), want.root()), ToYaml(r.object->root()));
  CHECK(Findings(r) == std::vector<std::string>{
                           "netpol.unsupported_host spec.networkPolicy.allowedEgress[4].host",
                           "netpol.unsupported_host spec.networkPolicy.allowedEgress[6].host",
                           "netpol.invalid_port spec.networkPolicy.allowedEgress[7].port",
                           "netpol.invalid_port spec.networkPolicy.allowedEgress[8].port",
                           "netpol.unsupported_host spec.networkPolicy.allowedEgress[9].host",
                       });
  CHECK(r.warnings[0].message ==
        "allowedEgress host \"api.openai.com\" is not an IP address or CIDR, and a "
        "NetworkPolicy cannot select hostnames; no egress rule was generated for it, so this "
        "traffic stays blocked: use an IP block (CIDR) or route it through an egress proxy");
  CHECK(r.warnings[1].message.find("\"10.0.0.0/33\" is not a valid CIDR") != std::string::npos);
  CHECK(r.warnings[2].message.find("port 70000") != std::string::npos);
  CHECK(r.warnings[0].source == "egress.yaml");
}

TEST_CASE("networkPolicy denyAll false, defaults and namespaces") {
  // denyAll: false asks for no policy at all, whatever else is set.
  PolicyPtr open = Compile(
      "  networkPolicy:\n    denyAll: false\n    allowedEgress:\n"
      "    - {host: example.com}\n");
  NetworkPolicyResult none = GenerateNetworkPolicy(*open, "team");
  CHECK(!none.object.has_value());
  CHECK(none.warnings.empty());

  // An empty networkPolicy takes the CRD defaults (deny all, DNS and event
  // bus open), and the policy's namespace unless one is given.
  PolicyPtr defaults = Compile("  networkPolicy: {}\n", "home");
  NetworkPolicyResult d = GenerateNetworkPolicy(*defaults);
  REQUIRE(d.object.has_value());
  CheckShape(d.object->root());
  CHECK(ValueEquals(*d.object->root().Find("spec")->Find("egress"),
                    *Yaml("egress:" + std::string(kDnsAndEventBus)).root().Find("egress")));
  CHECK(d.object->root().Find("metadata")->Find("namespace")->text == "home");
  CHECK(GenerateNetworkPolicy(*defaults, "elsewhere")
            .object->root()
            .Find("metadata")
            ->Find("namespace")
            ->text == "elsewhere");

  // Nothing allowed: all egress denied, so there is no egress list at all.
  PolicyPtr closed = Compile("  networkPolicy: {allowDNS: false, allowEventBus: false}\n");
  NetworkPolicyResult c = GenerateNetworkPolicy(*closed);
  REQUIRE(c.object.has_value());
  CheckShape(c.object->root());
  CHECK(ValueEquals(*c.object->root().Find("spec"), Yaml(R"(
podSelector: {matchLabels: {sympozium.ai/role: agent}}
policyTypes: [Ingress, Egress]
)")
                                                        .root()));

  // No networkPolicy block: nothing.
  CHECK(!GenerateNetworkPolicy(*Compile("  featureGates: {}\n")).object.has_value());
}

TEST_CASE("networkPolicy over-long names are reported") {
  PolicyPtr policy = Compile("  networkPolicy: {}\n", "", std::string(240, 'n'));
  NetworkPolicyResult r = GenerateNetworkPolicy(*policy);
  REQUIRE(r.object.has_value());
  CHECK(Findings(r) == std::vector<std::string>{"netpol.name_too_long metadata.name"});
}

TEST_CASE("networkPolicy shape validator catches malformed objects") {
  Document bad = Yaml(R"(
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: x}
spec:
  podSelector: {matchLabels: {a: b}}
  egress:
  - to: [{ipBlock: {cidr: 10.0.0.0/8}, hostname: x}]
    ports: [{protocol: TCP, port: [1]}]
)");
  CHECK(ShapeErrors(bad.root(), kNetworkPolicySchema) ==
        std::vector<std::string>{".spec.egress[0].to[0].hostname: unknown field",
                                 ".spec.egress[0].ports[0].port: not a int-or-string"});
}

}  // namespace
}  // namespace sympozium
