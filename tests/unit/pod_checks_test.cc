// Pod evaluation (docs/pods.md): the evaluatePod conformance cases, then each
// rule with its exact code, message and path.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "lib/compile/compile.h"
#include "lib/decode/decode.h"
#include "lib/evaluate/checks.h"
#include "sympozium/evaluate.h"
#include "sympozium/pod_security.h"
#include "sympozium/policy.h"
#include "sympozium/strings.h"
#include "test_util.h"

namespace sympozium {
namespace {

// ---------------------------------------------------------------------------
// Conformance cases

struct PodCase {
  std::string name;
  Document root;
};

std::vector<PodCase> LoadPodCases() {
  std::vector<PodCase> cases;
  std::string dir = testing::DataPath("conformance/cases/evaluatePod");
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(dir))
    if (entry.path().extension() == ".yaml") files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  for (const auto& file : files) {
    absl::StatusOr<std::string> bytes = ReadFile(file.string());
    REQUIRE(bytes.ok());
    ReadOptions options;
    options.source_name = file.filename().string();
    absl::StatusOr<Document> doc = ReadDocument(*bytes, options);
    REQUIRE_MESSAGE(doc.ok(), doc.status().ToString());
    cases.push_back({file.stem().string(), std::move(*doc)});
  }
  return cases;
}

bool HasPathWithPrefix(const Decision& d, std::string_view prefix) {
  return std::any_of(d.violations.begin(), d.violations.end(), [&](const Violation& v) {
    return v.path.compare(0, prefix.size(), prefix) == 0;
  });
}

std::vector<std::string> Paths(const Decision& d) {
  std::vector<std::string> out;
  for (const Violation& v : d.violations) out.push_back(v.path);
  return out;
}

TEST_CASE("pod conformance: every evaluatePod case through the library") {
  std::vector<PodCase> cases = LoadPodCases();
  CHECK(cases.size() >= 32);
  for (const PodCase& c : cases) {
    INFO("case ", c.name);
    const Value& root = c.root.root();
    const Value* object = root.Find("object");
    const Value* expect = root.Find("expect");
    REQUIRE(object != nullptr);
    REQUIRE(expect != nullptr);

    PolicyPtr policy;
    if (const Value* p = root.Find("policy"); p != nullptr && !p->is_null()) {
      absl::StatusOr<Decoded<Policy>> decoded = DecodePolicy(c.root.Subtree(*p, "policy"));
      REQUIRE_MESSAGE(decoded.ok(), decoded.status().ToString());
      absl::StatusOr<PolicyPtr> compiled = Compile(*decoded);
      REQUIRE_MESSAGE(compiled.ok(), compiled.status().ToString());
      policy = *compiled;
    }
    absl::StatusOr<Decoded<PodObject>> pod = DecodePodObject(c.root.Subtree(*object, "object"));
    REQUIRE_MESSAGE(pod.ok(), pod.status().ToString());

    Decision d = EvaluatePod(**pod, policy.get());
    INFO(d.ToJson());
    const Value* allowed = expect->Find("allowed");
    REQUIRE(allowed != nullptr);
    CHECK(d.allowed == (allowed->text == "true"));
    CHECK(d.allowed == d.violations.empty());
    if (const Value* paths = expect->Find("violationPaths"))
      for (const Value& want : paths->items)
        CHECK_MESSAGE(HasPathWithPrefix(d, want.text), want.text);

    // The rules do not depend on the mode, and Evaluate() routes here.
    EvaluateOptions compat;
    compat.mode = Mode::kCompat;
    CHECK(Paths(EvaluatePod(**pod, policy.get(), compat)) == Paths(d));
    Decision routed = Evaluate(c.root.Subtree(*object, "object"), Binding::Direct(policy.get()));
    CHECK(Paths(routed) == Paths(d));
  }
}

// ---------------------------------------------------------------------------
// Builders: objects are written as JSON (which the YAML reader also takes).

constexpr std::string_view kHardened =
    R"({"readOnlyRootFilesystem":true,"allowPrivilegeEscalation":false,"capabilities":{"drop":["ALL"]}})";
constexpr std::string_view kPodSc =
    R"({"runAsNonRoot":true,"runAsUser":1000,"fsGroup":1000,"seccompProfile":{"type":"RuntimeDefault"}})";

// A container named `name` with securityContext `sc` ("" for none), further
// JSON members `extra` and `image` (default ghcr.io/sympozium-ai/sympozium/<name>:v1).
std::string Ctr(std::string_view name, std::string_view sc = kHardened, std::string_view extra = "",
                std::string_view image = "") {
  std::string out = image.empty()
                        ? StrCat(R"({"name":")", name,
                                 R"(","image":"ghcr.io/sympozium-ai/sympozium/)", name, R"(:v1")")
                        : StrCat(R"({"name":")", name, R"(","image":")", image, "\"");
  if (!sc.empty()) StrAppend(&out, R"(,"securityContext":)", sc);
  if (!extra.empty()) StrAppend(&out, ",", extra);
  return out + "}";
}

std::string Items(std::string_view key, std::initializer_list<std::string> items) {
  std::string out = StrCat("\"", key, "\":[");
  for (const std::string& item : items) StrAppend(&out, out.back() == '[' ? "" : ",", item);
  return out + "]";
}

// A pod spec: the pod securityContext `pod_sc` ("" for none) and `members`.
std::string Spec(std::string_view members, std::string_view pod_sc = kPodSc) {
  if (pod_sc.empty()) return StrCat("{", members, "}");
  return StrCat(R"({"securityContext":)", pod_sc, ",", members, "}");
}

// `spec` placed where `kind` keeps its pod spec.
std::string Wrap(std::string_view kind, const std::string& spec) {
  std::string_view api = kind == "Pod" ? "v1" : kind == "Deployment" ? "apps/v1" : "batch/v1";
  std::string body = kind == "Pod" ? spec
                     : kind == "CronJob"
                         ? StrCat(R"({"jobTemplate":{"spec":{"template":{"spec":)", spec, "}}}}")
                         : StrCat(R"({"template":{"spec":)", spec, "}}");
  return StrCat(R"({"apiVersion":")", api, R"(","kind":")", kind,
                R"(","metadata":{"name":"r","namespace":"default"},"spec":)", body, "}");
}

std::string Pod(const std::string& spec) { return Wrap("Pod", spec); }

PolicyPtr PolicyFrom(std::string_view spec) {
  absl::StatusOr<PolicyPtr> p =
      CompilePolicy(StrCat(R"({"apiVersion":"sympozium.ai/v1alpha1","kind":"SympoziumPolicy",)"
                           R"("metadata":{"name":"p","namespace":"default"},"spec":)",
                           spec, "}"));
  REQUIRE_MESSAGE(p.ok(), p.status().ToString());
  return *p;
}

PolicyPtr Restrictive() {
  absl::StatusOr<PolicyPtr> p = Preset("restrictive");
  REQUIRE(p.ok());
  return *p;
}

Decision Eval(const std::string& object, const CompiledPolicy* policy = nullptr) {
  absl::StatusOr<Document> doc = ReadDocument(object);
  REQUIRE_MESSAGE(doc.ok(), doc.status().ToString());
  absl::StatusOr<Decoded<PodObject>> pod = DecodePodObject(std::move(*doc));
  REQUIRE_MESSAGE(pod.ok(), pod.status().ToString());
  return EvaluatePod(**pod, policy);
}

struct Want {
  std::string_view code;
  std::string message;
  std::string path;
};

void Expect(const Decision& d, const std::vector<Want>& want) {
  INFO(d.ToJson());
  REQUIRE(d.violations.size() == want.size());
  CHECK_FALSE(d.allowed);
  CHECK(d.result == Result::kDenied);
  CHECK(d.status == 403);
  CHECK(d.code == want[0].code);
  CHECK(d.message == want[0].message);
  for (size_t i = 0; i < want.size(); ++i) {
    CHECK(d.violations[i].code == want[i].code);
    CHECK(d.violations[i].message == want[i].message);
    CHECK(d.violations[i].path == want[i].path);
  }
}

void ExpectAllowed(const Decision& d, std::string_view message) {
  INFO(d.ToJson());
  CHECK(d.allowed);
  CHECK(d.result == Result::kAllowed);
  CHECK(d.violations.empty());
  CHECK(d.message == message);
}

// The controller's agent pod with every container hardened (docs/pods.md plus R).
std::string HardenedSpec() {
  return Spec(Items("containers", {Ctr("agent"), Ctr("ipc-bridge"),
                                   Ctr("sandbox", kHardened,
                                       R"("resources":{"requests":{"cpu":"100m","memory":"256Mi"},)"
                                       R"("limits":{"cpu":"500m","memory":"512Mi"}})")}));
}

// ---------------------------------------------------------------------------
// Whole pods

TEST_CASE("pod: a hardened agent pod passes as Pod, Job, CronJob and Deployment") {
  PolicyPtr restrictive = Restrictive();
  for (std::string_view kind : {"Pod", "Job", "CronJob", "Deployment"}) {
    INFO(kind);
    ExpectAllowed(Eval(Wrap(kind, HardenedSpec()), restrictive.get()), "pod satisfies policy");
    ExpectAllowed(Eval(Wrap(kind, HardenedSpec())), "pod satisfies the pod security rules");
  }
}

TEST_CASE("pod: paths follow the object's pod spec for Job, CronJob and Deployment") {
  std::string spec =
      Spec(Items("containers", {Ctr("agent", R"({"allowPrivilegeEscalation":false,)"
                                             R"("capabilities":{"drop":["ALL"]}})")}));
  const std::pair<std::string_view, std::string_view> kinds[] = {
      {"Pod", "spec"},
      {"Job", "spec.template.spec"},
      {"CronJob", "spec.jobTemplate.spec.template.spec"},
      {"Deployment", "spec.template.spec"}};
  for (auto [kind, prefix] : kinds) {
    INFO(kind);
    Expect(Eval(Wrap(kind, spec)),
           {{"pod.writable_root_fs", R"(container "agent" must set readOnlyRootFilesystem: true)",
             StrCat(prefix, ".containers[0].securityContext.readOnlyRootFilesystem")}});
  }
}

TEST_CASE(
    "pod: the controller's agent Job (docs/pods.md) fails P2 for skills and P3 for the sandbox") {
  // sandbox: readOnlyRootFilesystem + drop ALL, allowPrivilegeEscalation unset;
  // skill-<pack> without hostAccess: allowPrivilegeEscalation false + drop ALL.
  std::string spec = Spec(
      Items("initContainers", {Ctr("mcp-discover")}) + "," +
      Items("containers",
            {Ctr("agent"), Ctr("ipc-bridge"),
             Ctr("sandbox", R"({"readOnlyRootFilesystem":true,"capabilities":{"drop":["ALL"]}})",
                 R"("resources":{"requests":{"cpu":"100m","memory":"256Mi"},)"
                 R"("limits":{"cpu":"500m","memory":"512Mi"}})"),
             Ctr("skill-k8s-ops",
                 R"({"allowPrivilegeEscalation":false,"capabilities":{"drop":["ALL"]}})")}) +
      R"(,"volumes":[{"name":"workspace","emptyDir":{}},{"name":"skill-secret-k8s-ops",)"
      R"("secret":{"secretName":"s","optional":true}}])");
  PolicyPtr restrictive = Restrictive();
  Expect(Eval(Wrap("Job", spec), restrictive.get()),
         {{"pod.writable_root_fs",
           R"(container "skill-k8s-ops" must set readOnlyRootFilesystem: true)",
           "spec.template.spec.containers[3].securityContext.readOnlyRootFilesystem"},
          {"pod.privilege_escalation",
           R"(container "sandbox" must set allowPrivilegeEscalation: false)",
           "spec.template.spec.containers[2].securityContext.allowPrivilegeEscalation"}});
}

TEST_CASE("pod: a hostAccess skill (docs/pods.md) with and without allowHostMounts") {
  // skill-<pack> with hostAccess + privileged + runAsRoot, hostNetwork and a
  // hostPath mount, as the controller builds it.
  std::string spec = Spec(
      Items(
          "containers",
          {Ctr("agent"),
           Ctr("skill-llmfit",
               R"({"privileged":true,"allowPrivilegeEscalation":true,)"
               R"("seccompProfile":{"type":"Unconfined"},"runAsUser":0,"runAsNonRoot":false})")}) +
      R"(,"hostNetwork":true,"volumes":[{"name":"host-llmfit-0","hostPath":{"path":"/proc"}}])");
  const std::string c = "spec.containers[1].securityContext.";
  std::vector<Want> always = {
      {"pod.run_as_root",
       R"(container "skill-llmfit" must run as non-root (runAsNonRoot: true, runAsUser not 0))",
       c + "runAsNonRoot"},
      {"pod.writable_root_fs", R"(container "skill-llmfit" must set readOnlyRootFilesystem: true)",
       c + "readOnlyRootFilesystem"},
      {"pod.privilege_escalation",
       R"(container "skill-llmfit" must set allowPrivilegeEscalation: false)",
       c + "allowPrivilegeEscalation"},
      {"pod.capabilities", R"(container "skill-llmfit" must drop ALL capabilities)",
       c + "capabilities.drop"},
  };
  Want seccomp = {"pod.seccomp",
                  R"(container "skill-llmfit" seccomp profile "Unconfined" is not allowed )"
                  R"((RuntimeDefault or Localhost with a profile))",
                  c + "seccompProfile"};

  SUBCASE("host access permitted: P5, P7 and P8 pass") {
    PolicyPtr policy = PolicyFrom(R"({"sandboxPolicy":{"required":false,"allowHostMounts":true}})");
    std::vector<Want> want = always;
    want.push_back(seccomp);
    Expect(Eval(Pod(spec), policy.get()), want);
  }
  SUBCASE("no policy: host access is never permitted") {
    std::vector<Want> want = always;
    want.push_back(
        {"pod.privileged", R"(container "skill-llmfit" must not be privileged)", c + "privileged"});
    want.push_back(seccomp);
    want.push_back({"pod.host_namespace", "pod must not use hostNetwork", "spec.hostNetwork"});
    want.push_back({"pod.host_path", R"(volume "host-llmfit-0" must not be a hostPath)",
                    "spec.volumes[0].hostPath"});
    Expect(Eval(Pod(spec)), want);
  }
}

TEST_CASE("pod: the server-mode Deployment's web-proxy (docs/pods.md) lacks a drop and seccomp") {
  std::string spec = Spec(
      Items("containers", {Ctr("web-proxy", R"({"runAsNonRoot":true,"readOnlyRootFilesystem":true,)"
                                            R"("allowPrivilegeEscalation":false})")}),
      "");
  const std::string c = "spec.template.spec.containers[0].securityContext.";
  Expect(Eval(Wrap("Deployment", spec)),
         {{"pod.capabilities", R"(container "web-proxy" must drop ALL capabilities)",
           c + "capabilities.drop"},
          {"pod.seccomp",
           R"(container "web-proxy" seccomp profile "" is not allowed )"
           R"((RuntimeDefault or Localhost with a profile))",
           c + "seccompProfile"}});
}

TEST_CASE("pod: violations come rule by rule, then init, regular, ephemeral containers") {
  std::string spec = Spec(Items("initContainers", {Ctr("init", "")}) + "," +
                          Items("containers", {Ctr("main", "")}) + "," +
                          Items("ephemeralContainers", {Ctr("debug", "")}));
  Decision d = Eval(Pod(spec));
  std::vector<std::string> got;
  for (const Violation& v : d.violations) got.push_back(StrCat(v.code, " ", v.path));
  std::vector<std::string> want;
  for (std::string_view rule : {"pod.writable_root_fs securityContext.readOnlyRootFilesystem",
                                "pod.privilege_escalation securityContext.allowPrivilegeEscalation",
                                "pod.capabilities securityContext.capabilities.drop"}) {
    size_t space = rule.find(' ');
    for (std::string_view c : {"initContainers[0]", "containers[0]", "ephemeralContainers[0]"})
      want.push_back(StrCat(rule.substr(0, space), " spec.", c, ".", rule.substr(space + 1)));
  }
  CHECK(got == want);
}

// ---------------------------------------------------------------------------
// One rule at a time

TEST_CASE("pod P1: effective runAsNonRoot and runAsUser, and the path that decides") {
  const std::string msg =
      R"(container "a" must run as non-root (runAsNonRoot: true, runAsUser not 0))";
  SUBCASE("the container's runAsNonRoot false overrides the pod") {
    std::string sc = R"({"runAsNonRoot":false,"readOnlyRootFilesystem":true,)"
                     R"("allowPrivilegeEscalation":false,"capabilities":{"drop":["ALL"]}})";
    Expect(Eval(Pod(Spec(Items("containers", {Ctr("a", sc)}))), nullptr),
           {{"pod.run_as_root", msg, "spec.containers[0].securityContext.runAsNonRoot"}});
  }
  SUBCASE("runAsUser 0 inherited from the pod is reported at the pod, once per container") {
    std::string pod_sc =
        R"({"runAsNonRoot":true,"runAsUser":0,"seccompProfile":{"type":"RuntimeDefault"}})";
    Decision d = Eval(Pod(Spec(Items("containers", {Ctr("a"), Ctr("b")}), pod_sc)));
    Expect(d, {{"pod.run_as_root", msg, "spec.securityContext.runAsUser"},
               {"pod.run_as_root",
                R"(container "b" must run as non-root (runAsNonRoot: true, runAsUser not 0))",
                "spec.securityContext.runAsUser"}});
  }
  SUBCASE("set nowhere: the container's path") {
    std::string pod_sc = R"({"seccompProfile":{"type":"RuntimeDefault"}})";
    Expect(Eval(Pod(Spec(Items("containers", {Ctr("a")}), pod_sc))),
           {{"pod.run_as_root", msg, "spec.containers[0].securityContext.runAsNonRoot"}});
  }
  SUBCASE("runAsNonRoot false at pod level, inherited") {
    std::string pod_sc = R"({"runAsNonRoot":false,"seccompProfile":{"type":"RuntimeDefault"}})";
    Expect(Eval(Pod(Spec(Items("containers", {Ctr("a")}), pod_sc))),
           {{"pod.run_as_root", msg, "spec.securityContext.runAsNonRoot"}});
  }
  SUBCASE("the container's own runAsUser 0") {
    std::string sc = R"({"runAsUser":0,"readOnlyRootFilesystem":true,)"
                     R"("allowPrivilegeEscalation":false,"capabilities":{"drop":["ALL"]}})";
    Expect(Eval(Pod(Spec(Items("containers", {Ctr("a", sc)})))),
           {{"pod.run_as_root", msg, "spec.containers[0].securityContext.runAsUser"}});
  }
  SUBCASE("containers that override a root pod pass") {
    std::string sc = R"({"runAsNonRoot":true,"runAsUser":1000,"readOnlyRootFilesystem":true,)"
                     R"("allowPrivilegeEscalation":false,"capabilities":{"drop":["ALL"]}})";
    std::string pod_sc =
        R"({"runAsNonRoot":false,"runAsUser":0,"seccompProfile":{"type":"RuntimeDefault"}})";
    ExpectAllowed(Eval(Pod(Spec(Items("containers", {Ctr("a", sc)}), pod_sc))),
                  "pod satisfies the pod security rules");
  }
}

TEST_CASE("pod P2/P3: only the container's own readOnlyRootFilesystem and escalation count") {
  // Kubernetes has no pod-level readOnlyRootFilesystem or
  // allowPrivilegeEscalation, so setting them there satisfies nothing.
  std::string pod_sc =
      R"({"runAsNonRoot":true,"readOnlyRootFilesystem":true,)"
      R"("allowPrivilegeEscalation":false,"seccompProfile":{"type":"RuntimeDefault"}})";
  std::string sc = R"({"readOnlyRootFilesystem":false,"capabilities":{"drop":["ALL"]}})";
  Expect(Eval(Pod(Spec(Items("containers", {Ctr("a", sc)}), pod_sc))),
         {{"pod.writable_root_fs", R"(container "a" must set readOnlyRootFilesystem: true)",
           "spec.containers[0].securityContext.readOnlyRootFilesystem"},
          {"pod.privilege_escalation", R"(container "a" must set allowPrivilegeEscalation: false)",
           "spec.containers[0].securityContext.allowPrivilegeEscalation"}});
}

TEST_CASE("pod P4: drop ALL, add nothing but NET_BIND_SERVICE") {
  auto with_caps = [](std::string_view caps) {
    return Pod(Spec(Items("containers", {Ctr("a", StrCat(R"({"readOnlyRootFilesystem":true,)"
                                                         R"("allowPrivilegeEscalation":false,)"
                                                         R"("capabilities":)",
                                                         caps, "}"))})));
  };
  Want drop = {"pod.capabilities", R"(container "a" must drop ALL capabilities)",
               "spec.containers[0].securityContext.capabilities.drop"};
  auto added = [](std::string_view cap, size_t j) {
    return Want{"pod.capabilities",
                StrCat(R"(container "a" must not add capability ")", cap,
                       R"(" (allowed: NET_BIND_SERVICE))"),
                StrCat("spec.containers[0].securityContext.capabilities.add[", j, "]")};
  };
  Expect(Eval(with_caps(R"({"drop":["NET_RAW"]})")), {drop});
  Expect(Eval(with_caps(R"({"drop":["all"]})")), {drop});  // exact case, as PSA
  // An added capability is named, apart from a missing drop.
  Expect(Eval(with_caps(R"({"drop":["ALL"],"add":["NET_BIND_SERVICE","SYS_ADMIN"]})")),
         {added("SYS_ADMIN", 1)});
  Expect(Eval(with_caps(R"({"add":["NET_RAW"]})")), {drop, added("NET_RAW", 0)});
  Expect(Eval(with_caps("{}")), {drop});
  ExpectAllowed(Eval(with_caps(R"({"drop":["NET_RAW","ALL"],"add":["NET_BIND_SERVICE"]})")),
                "pod satisfies the pod security rules");
}

TEST_CASE("pod P5: privileged, unless allowHostMounts permits host access") {
  std::string sc = R"({"privileged":true,"readOnlyRootFilesystem":true,)"
                   R"("allowPrivilegeEscalation":false,"capabilities":{"drop":["ALL"]}})";
  std::string pod = Pod(Spec(Items("containers", {Ctr("a", sc)})));
  PolicyPtr no_host = PolicyFrom(R"({"sandboxPolicy":{"required":false,"allowHostMounts":false}})");
  Expect(Eval(pod, no_host.get()), {{"pod.privileged", R"(container "a" must not be privileged)",
                                     "spec.containers[0].securityContext.privileged"}});
  PolicyPtr host = PolicyFrom(R"({"sandboxPolicy":{"required":false,"allowHostMounts":true}})");
  ExpectAllowed(Eval(pod, host.get()), "pod satisfies policy");
}

TEST_CASE("pod P6: seccomp profile, inherited as a whole, and the policy's type") {
  auto pod_with = [](std::string_view container_seccomp, std::string_view pod_seccomp) {
    std::string sc =
        StrCat(R"({"readOnlyRootFilesystem":true,"allowPrivilegeEscalation":false,)"
               R"("capabilities":{"drop":["ALL"]})",
               container_seccomp.empty() ? "" : ",\"seccompProfile\":", container_seccomp, "}");
    std::string pod_sc =
        StrCat(R"({"runAsNonRoot":true)",
               pod_seccomp.empty() ? "" : ",\"seccompProfile\":", pod_seccomp, "}");
    return Pod(Spec(Items("containers", {Ctr("a", sc), Ctr("b")}), pod_sc));
  };
  auto msg = [](std::string_view name, std::string_view type) {
    return StrCat("container ", Quote(name), " seccomp profile ", Quote(type),
                  " is not allowed (RuntimeDefault or Localhost with a profile)");
  };
  SUBCASE("Unconfined on the container overrides the pod's RuntimeDefault") {
    Expect(Eval(pod_with(R"({"type":"Unconfined"})", R"({"type":"RuntimeDefault"})")),
           {{"pod.seccomp", msg("a", "Unconfined"),
             "spec.containers[0].securityContext.seccompProfile"}});
  }
  SUBCASE("a pod-level Unconfined is reported at the pod for each inheriting container") {
    Expect(Eval(pod_with(R"({"type":"RuntimeDefault"})", R"({"type":"Unconfined"})")),
           {{"pod.seccomp", msg("b", "Unconfined"), "spec.securityContext.seccompProfile"}});
  }
  SUBCASE("unset everywhere") {
    Expect(Eval(pod_with("", "")),
           {{"pod.seccomp", msg("a", ""), "spec.containers[0].securityContext.seccompProfile"},
            {"pod.seccomp", msg("b", ""), "spec.containers[1].securityContext.seccompProfile"}});
  }
  SUBCASE("Localhost needs a localhostProfile; the container's profile is not merged") {
    Expect(Eval(pod_with(R"({"type":"Localhost"})",
                         R"({"type":"Localhost","localhostProfile":"p.json"})")),
           {{"pod.seccomp", msg("a", "Localhost"),
             "spec.containers[0].securityContext.seccompProfile"}});
    ExpectAllowed(Eval(pod_with(R"({"type":"Localhost","localhostProfile":"p.json"})",
                                R"({"type":"RuntimeDefault"})")),
                  "pod satisfies the pod security rules");
  }
  SUBCASE("a policy seccomp type must be met") {
    std::string pod = pod_with(R"({"type":"Localhost","localhostProfile":"p.json"})",
                               R"({"type":"RuntimeDefault"})");
    PolicyPtr runtime_default = PolicyFrom(
        R"({"sandboxPolicy":{"required":false,"seccompProfile":{"type":"RuntimeDefault"}}})");
    Expect(
        Eval(pod, runtime_default.get()),
        {{"pod.seccomp",
          R"(container "a" seccomp profile "Localhost" is not allowed by policy (required: "RuntimeDefault"))",
          "spec.containers[0].securityContext.seccompProfile"}});
    PolicyPtr localhost =
        PolicyFrom(R"({"sandboxPolicy":{"required":false,"seccompProfile":{"type":"Localhost"}}})");
    Expect(
        Eval(pod, localhost.get()),
        {{"pod.seccomp",
          R"(container "b" seccomp profile "RuntimeDefault" is not allowed by policy (required: "Localhost"))",
          "spec.securityContext.seccompProfile"}});
  }
}

TEST_CASE("pod P7/P8: host namespaces and hostPath volumes") {
  std::string spec = Spec(Items("containers", {Ctr("a")}) +
                          R"(,"hostNetwork":true,"hostPID":true,"hostIPC":true,"volumes":[)"
                          R"({"name":"w","emptyDir":{}},{"name":"h","hostPath":{"path":"/"}}])");
  Want net = {"pod.host_namespace", "pod must not use hostNetwork",
              "spec.template.spec.hostNetwork"};
  Want pid = {"pod.host_namespace", "pod must not use hostPID", "spec.template.spec.hostPID"};
  Want ipc = {"pod.host_namespace", "pod must not use hostIPC", "spec.template.spec.hostIPC"};
  Want path = {"pod.host_path", R"(volume "h" must not be a hostPath)",
               "spec.template.spec.volumes[1].hostPath"};
  Expect(Eval(Wrap("Job", spec)), {net, pid, ipc, path});
  PolicyPtr no_host = PolicyFrom(R"({"sandboxPolicy":{"required":false,"allowHostMounts":false}})");
  Expect(Eval(Wrap("Job", spec), no_host.get()), {net, pid, ipc, path});
  PolicyPtr host = PolicyFrom(R"({"sandboxPolicy":{"required":false,"allowHostMounts":true}})");
  ExpectAllowed(Eval(Wrap("Job", spec), host.get()), "pod satisfies policy");
}

TEST_CASE("pod P9: every container image against allowedRegistries, strict matching") {
  std::string object = Pod(
      Spec(Items("initContainers", {Ctr("init", kHardened, "", "busybox:1.36")}) + "," +
           Items("containers",
                 {Ctr("agent"), Ctr("evil", kHardened, "", "ghcr.io/sympozium-ai-evil/agent:v1")}) +
           "," + Items("ephemeralContainers", {Ctr("debug", kHardened, "", "quay.io/x/y")})));
  PolicyPtr registries = PolicyFrom(
      R"({"imagePolicy":{"allowedRegistries":["ghcr.io/sympozium-ai/","docker.io/library/"]}})");
  const char* allowed = "(allowed: [ghcr.io/sympozium-ai/ docker.io/library/])";
  Expect(Eval(object, registries.get()),
         {{"image.registry",
           StrCat(R"(image "ghcr.io/sympozium-ai-evil/agent:v1" is not from an allowed registry )",
                  allowed),
           "spec.containers[1].image"},
          {"image.registry",
           StrCat(R"(image "quay.io/x/y" is not from an allowed registry )", allowed),
           "spec.ephemeralContainers[0].image"}});
  ExpectAllowed(Eval(object), "pod satisfies the pod security rules");  // no policy: no P9
  PolicyPtr no_list = PolicyFrom(R"({"imagePolicy":{"allowedRegistries":[]}})");
  ExpectAllowed(Eval(object, no_list.get()), "pod satisfies policy");
}

TEST_CASE("pod P10/P11: the strict env denylist and envFrom secretRef") {
  std::string spec = Spec(
      Items("initContainers",
            {Ctr("init", kHardened,
                 R"("env":[{"name":"OK","value":"1"},{"name":"LD_AUDIT","value":"x"}])")}) +
      "," +
      Items(
          "containers",
          {Ctr("agent", kHardened,
               R"("env":[{"name":"PYTHONPATH","value":"/w"},{"name":"path","value":"x"}],)"
               R"("envFrom":[{"configMapRef":{"name":"c"}},{"secretRef":{"name":"all-keys"}}])")}));
  auto denied = [](std::string_view c, std::string_view var) {
    return StrCat("container ", Quote(c), ": environment variable ", Quote(var),
                  " is not allowed: overriding system variables is denied");
  };
  Expect(Eval(Pod(spec)),
         {{"env.denied", denied("init", "LD_AUDIT"), "spec.initContainers[0].env[1]"},
          {"env.denied", denied("agent", "PYTHONPATH"), "spec.containers[0].env[0]"},
          {"pod.env_from_secret",
           R"(container "agent" must not load a whole Secret through envFrom (use secretKeyRef))",
           "spec.containers[0].envFrom[1].secretRef"}});
}

TEST_CASE(
    "pod P12: resource caps on the sandbox container, or every container with a runtime class") {
  auto res = [](std::string_view req_cpu, std::string_view lim_cpu, std::string_view lim_mem) {
    return StrCat(R"("resources":{"requests":{"cpu":")", req_cpu, R"("},"limits":{"cpu":")",
                  lim_cpu, R"(","memory":")", lim_mem, R"("}})");
  };
  PolicyPtr restrictive = Restrictive();  // maxCPU 2, maxMemory 4Gi
  SUBCASE("over the cap, CPU before memory, requests before limits") {
    std::string spec =
        Spec(Items("containers", {Ctr("agent", kHardened, res("8", "8", "8Gi")),
                                  Ctr("sandbox", kHardened, res("3", "2000m", "5Gi"))}));
    Expect(Eval(Pod(spec), restrictive.get()),
           {{"resources.exceeds", R"(container "sandbox" CPU 3 exceeds policy limit 2)",
             "spec.containers[1].resources.requests.cpu"},
            {"resources.exceeds", R"(container "sandbox" Memory 5Gi exceeds policy limit 4Gi)",
             "spec.containers[1].resources.limits.memory"}});
  }
  SUBCASE("with a runtimeClassName every container is capped") {
    std::string spec = Spec(Items("containers", {Ctr("agent", kHardened, res("1", "3", "4Gi"))}) +
                            R"(,"runtimeClassName":"gvisor")");
    Expect(Eval(Pod(spec), restrictive.get()),
           {{"resources.exceeds", R"(container "agent" CPU 3 exceeds policy limit 2)",
             "spec.containers[0].resources.limits.cpu"}});
  }
  SUBCASE("a value that is not a quantity does not decode, in any container") {
    for (std::string_view name : {"sandbox", "agent"}) {
      std::string spec = Spec(Items("containers", {Ctr(name, kHardened, res("lots", "1", "1Gi"))}));
      Decision d = Evaluate(Pod(spec), Binding::Direct(restrictive.get()));
      CHECK(d.result == Result::kError);
      CHECK(d.code == "decode.error");
      CHECK(d.message.find(R"(invalid quantity "lots": quantities must match the regular )") !=
            std::string::npos);
      CHECK(d.violations[0].path == "spec.containers[0].resources.requests.cpu");
    }
  }
  SUBCASE("no caps without a policy") {
    std::string spec =
        Spec(Items("containers", {Ctr("sandbox", kHardened, res("64", "64", "1Ti"))}));
    ExpectAllowed(Eval(Pod(spec)), "pod satisfies the pod security rules");
  }
  SUBCASE("a cap that is not a quantity (compat-compiled policy)") {
    CompileOptions compat;
    compat.mode = Mode::kCompat;
    absl::StatusOr<PolicyPtr> policy = CompilePolicy(
        R"({"apiVersion":"sympozium.ai/v1alpha1","kind":"SympoziumPolicy",)"
        R"("metadata":{"name":"p"},"spec":{"sandboxPolicy":{"required":false,"maxCPU":"two"}}})",
        compat);
    REQUIRE(policy.ok());
    std::string spec = Spec(Items("containers", {Ctr("sandbox", kHardened, res("1", "1", "1Gi"))}));
    Decision d = Eval(Pod(spec), policy->get());
    REQUIRE(d.violations.size() == 1);
    CHECK(d.code == "resources.invalid_cap");
    CHECK(d.message.rfind(R"(policy sandboxPolicy.maxCPU "two" is not a valid quantity: )", 0) ==
          0);
    CHECK(d.violations[0].path == "spec.containers[0].resources");
  }
}

TEST_CASE("pod P13/P14: sandbox and runtime class under the policy") {
  PolicyPtr restrictive = Restrictive();  // sandbox required; runtime classes [gvisor kata]
  std::string two = Items("containers", {Ctr("agent"), Ctr("ipc-bridge")});
  Expect(Eval(Wrap("Job", Spec(two)), restrictive.get()),
         {{"sandbox.required", "sandbox is required by policy", "spec.template.spec.containers"}});
  ExpectAllowed(Eval(Wrap("Job", Spec(two + R"(,"runtimeClassName":"kata")")), restrictive.get()),
                "pod satisfies policy");
  // An init container named sandbox is not a sandbox.
  Expect(Eval(Pod(Spec(Items("initContainers", {Ctr("sandbox")}) + "," + two)), restrictive.get()),
         {{"sandbox.required", "sandbox is required by policy", "spec.containers"}});
  Expect(Eval(Pod(Spec(two + R"(,"runtimeClassName":"runc")")), restrictive.get()),
         {{"agent_sandbox.runtime_class",
           R"(runtime class "runc" is not allowed by policy (allowed: [gvisor kata]))",
           "spec.runtimeClassName"}});
  PolicyPtr required = PolicyFrom(
      R"({"sandboxPolicy":{"required":false,"agentSandboxPolicy":{"required":true,"allowedRuntimeClasses":["gvisor"]}}})");
  Expect(Eval(Pod(Spec(two)), required.get()),
         {{"agent_sandbox.runtime_class", "runtime class is required by policy (allowed: [gvisor])",
           "spec.runtimeClassName"}});
  ExpectAllowed(Eval(Pod(Spec(two + R"(,"runtimeClassName":"gvisor")")), required.get()),
                "pod satisfies policy");
  ExpectAllowed(Eval(Pod(Spec(two + R"(,"runtimeClassName":"runc")"))),
                "pod satisfies the pod security rules");
}

// ---------------------------------------------------------------------------
// Pod Security Standards alone, and decoding as Kubernetes does

Decision Standard(const std::string& object, std::string_view standard) {
  absl::StatusOr<PodSecurityStandard> s = ParsePodSecurityStandard(standard);
  REQUIRE_MESSAGE(s.ok(), s.status().ToString());
  return EvaluatePodSecurity(object, *s);
}

TEST_CASE("pod security standard: LEVEL[@VERSION] parses as PSA versions it") {
  auto parsed = [](std::string_view text) {
    absl::StatusOr<PodSecurityStandard> s = ParsePodSecurityStandard(text);
    return s.ok() ? s->ToString() : std::string(s.status().message());
  };
  CHECK(parsed("restricted") == "restricted@latest");
  CHECK(parsed("baseline@latest") == "baseline@latest");
  CHECK(parsed("restricted@v1.25") == "restricted@v1.25");
  CHECK(parsed("baseline@v1.0") == "baseline@v1.0");
  CHECK(parsed("restricted@v1.99") == "restricted@v1.37");  // clamped to the newest known
  for (std::string_view bad :
       {"privileged", "Restricted", "restricted@", "restricted@1.30", "restricted@v2.0",
        "restricted@v1.", "restricted@v1.030", "restricted@v1.3x", ""})
    CHECK_FALSE(ParsePodSecurityStandard(bad).ok());
}

TEST_CASE("pod security standard: a restricted pod passes, others name the check") {
  std::string pod = Pod(Spec(Items("containers", {Ctr("web")})));
  Decision d = Standard(pod, "restricted");
  CHECK(d.allowed);
  CHECK(d.message == "pod satisfies the pod security standard restricted@latest");
  // The minimal pod is baseline, not restricted; P2 is not part of a standard.
  std::string minimal = Pod(Spec(Items("containers", {Ctr("web", "")}), ""));
  CHECK(Standard(minimal, "baseline").allowed);
  d = Standard(minimal, "restricted");
  std::vector<std::string_view> codes;
  for (const Violation& v : d.violations) codes.push_back(v.code);
  CHECK(codes == std::vector<std::string_view>{"pod.run_as_root", "pod.privilege_escalation",
                                               "pod.capabilities", "pod.seccomp"});
  // Not a pod: an error decision.
  d = Standard(R"({"apiVersion":"v1","kind":"Service","metadata":{"name":"s"}})", "baseline");
  CHECK(d.result == Result::kError);
}

TEST_CASE("pod: host access permits host ports and HostProcess, not other volume types") {
  std::string spec =
      Spec(Items("containers",
                 {Ctr("a",
                      R"({"readOnlyRootFilesystem":true,"allowPrivilegeEscalation":false,)"
                      R"("capabilities":{"drop":["ALL"]},"windowsOptions":{"hostProcess":true}})",
                      R"("ports":[{"containerPort":80,"hostPort":80}])")}) +
           R"(,"volumes":[{"name":"n","nfs":{"server":"s","path":"/"}}])");
  Want volume = {"pod.volume_type",
                 R"(volume "n" must not use volume type "nfs" (allowed: configMap, csi, )"
                 R"(downwardAPI, emptyDir, ephemeral, image, persistentVolumeClaim, projected, )"
                 R"(secret))",
                 "spec.volumes[0].nfs"};
  PolicyPtr host = PolicyFrom(R"({"sandboxPolicy":{"required":false,"allowHostMounts":true}})");
  Expect(Eval(Pod(spec), host.get()), {volume});
  Expect(Eval(Pod(spec)),
         {{"pod.host_process", R"(container "a" must not set windowsOptions.hostProcess: true)",
           "spec.containers[0].securityContext.windowsOptions.hostProcess"},
          {"pod.host_port", R"(container "a" must not use host port 80)",
           "spec.containers[0].ports[0].hostPort"},
          volume});
}

TEST_CASE("pod: a Windows pod is exempt from P3, P4 and P6 but not from P2") {
  std::string spec = Spec(
      Items("containers", {Ctr("iis", R"({"runAsNonRoot":true})")}) + R"(,"os":{"name":"windows"})",
      "");
  Expect(Eval(Pod(spec)),
         {{"pod.writable_root_fs", R"(container "iis" must set readOnlyRootFilesystem: true)",
           "spec.containers[0].securityContext.readOnlyRootFilesystem"}});
  CHECK(Standard(Pod(spec), "restricted").allowed);
  CHECK_FALSE(Standard(Pod(spec), "restricted@v1.24").allowed);
}

TEST_CASE("pod: the sandbox container is a regular one or a native sidecar, for P12 and P13") {
  PolicyPtr restrictive = Restrictive();  // sandbox required; maxCPU 2
  std::string big = R"("resources":{"limits":{"cpu":"3"}})";
  // An ordinary init container named sandbox neither counts nor is capped.
  std::string init = Spec(Items("initContainers", {Ctr("sandbox", kHardened, big)}) + "," +
                          Items("containers", {Ctr("agent")}));
  Expect(Eval(Pod(init), restrictive.get()),
         {{"sandbox.required", "sandbox is required by policy", "spec.containers"}});
  // A native sidecar (restartPolicy Always) is the sandbox: counted and capped.
  std::string sidecar =
      Spec(Items("initContainers",
                 {Ctr("sandbox", kHardened, StrCat(big, R"(,"restartPolicy":"Always")"))}) +
           "," + Items("containers", {Ctr("agent")}));
  Expect(Eval(Pod(sidecar), restrictive.get()),
         {{"resources.exceeds", R"(container "sandbox" CPU 3 exceeds policy limit 2)",
           "spec.initContainers[0].resources.limits.cpu"}});
}

TEST_CASE("pod: a workload without its template gets the full pod-spec paths") {
  PolicyPtr restrictive = Restrictive();
  const std::pair<std::string_view, std::string_view> cases[] = {
      {R"({"apiVersion":"batch/v1","kind":"Job","metadata":{"name":"j"}})",
       "spec.template.spec.containers"},
      {R"({"apiVersion":"batch/v1","kind":"Job","metadata":{"name":"j"},"spec":{}})",
       "spec.template.spec.containers"},
      {R"({"apiVersion":"batch/v1","kind":"CronJob","metadata":{"name":"c"},)"
       R"("spec":{"jobTemplate":{}}})",
       "spec.jobTemplate.spec.template.spec.containers"},
      {R"({"apiVersion":"batch/v1","kind":"CronJob","metadata":{"name":"c"},)"
       R"("spec":{"jobTemplate":{"spec":{"template":{}}}}})",
       "spec.jobTemplate.spec.template.spec.containers"},
      {R"({"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"d"},"spec":null})",
       "spec.template.spec.containers"},
  };
  for (auto [object, path] : cases) {
    INFO(object);
    Expect(Eval(std::string(object), restrictive.get()),
           {{"sandbox.required", "sandbox is required by policy", std::string(path)}});
  }
}

TEST_CASE("pod decoding: quantities and numbers as Kubernetes decodes them") {
  auto decode = [](std::string_view yaml) {
    absl::StatusOr<Document> doc = ReadDocument(yaml);
    REQUIRE(doc.ok());
    return DecodePodObject(std::move(*doc));
  };
  SUBCASE("a null quantity is zero") {
    auto pod = decode(
        "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n"
        "  - name: a\n    resources: {requests: {cpu: null, memory: ' 1Gi '}}\n");
    REQUIRE_MESSAGE(pod.ok(), pod.status().ToString());
    const StringMap& requests = (*pod)->pod.containers[0].resources.requests;
    REQUIRE(requests.Find("cpu") != nullptr);
    CHECK(*requests.Find("cpu") == "0");
    CHECK(*requests.Find("memory") == "1Gi");  // trimmed, as Go trims
  }
  SUBCASE("a malformed quantity is a decode error naming it") {
    auto pod = decode(
        "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n"
        "  - name: web\n    resources: {limits: {cpu: 2 cores}}\n");
    REQUIRE_FALSE(pod.ok());
    CHECK(pod.status().message().find(R"(invalid quantity "2 cores")") != std::string::npos);
    CHECK(pod.status().message().find("spec.containers[0].resources.limits.cpu") !=
          std::string::npos);
  }
  SUBCASE("a whole-number YAML float is an integer; a fraction and JSON's 1000.0 are not") {
    auto pod = decode(
        "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n"
        "  securityContext: {runAsUser: 1000.0}\n  containers:\n"
        "  - name: a\n    ports: [{containerPort: 8.08e3, hostPort: 0.0}]\n");
    REQUIRE_MESSAGE(pod.ok(), pod.status().ToString());
    CHECK((*pod)->pod.security_context->run_as_user == 1000);
    CHECK((*pod)->pod.containers[0].ports[0].container_port == 8080);
    CHECK_FALSE(decode("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n"
                       "  securityContext: {runAsUser: 1000.5}\n")
                    .ok());
    CHECK_FALSE(decode(R"({"apiVersion":"v1","kind":"Pod","metadata":{"name":"p"},)"
                       R"("spec":{"securityContext":{"runAsUser":1000.0}}})")
                    .ok());
  }
}

TEST_CASE("reading: concatenated JSON objects and typed lists are streams of documents") {
  absl::StatusOr<std::vector<Document>> docs = ReadDocuments(
      "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"a\"}}\n"
      "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"b\"}}");
  REQUIRE_MESSAGE(docs.ok(), docs.status().ToString());
  REQUIRE(docs->size() == 2);
  CHECK((*docs)[1].name() == "b");
  CHECK((*docs)[1].Describe() == "<input>#2");
  // Anything else after a document is still an error.
  absl::StatusOr<std::vector<Document>> bad = ReadDocuments("{\"kind\":\"Pod\"}\n]");
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.status().message().find("JSON syntax error") != std::string::npos);
  docs = ReadDocuments(
      "apiVersion: apps/v1\nkind: DeploymentList\nitems:\n"
      "- {apiVersion: apps/v1, kind: Deployment, metadata: {name: a}}\n"
      "- {apiVersion: apps/v1, kind: Deployment, metadata: {name: b}}\n");
  REQUIRE(docs.ok());
  REQUIRE(docs->size() == 2);
  CHECK((*docs)[0].kind() == "Deployment");
}

TEST_CASE("lint: a registry entry that pins an image says so, with no lookalike suggestion") {
  PolicyPtr p = PolicyFrom(
      R"({"imagePolicy":{"allowedRegistries":["ghcr.io/acme/app@sha256:)"
      R"(0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef","ghcr.io/acme/web:v1",)"
      R"("localhost:5000/"]}})");
  std::vector<std::string> codes;
  for (const Diagnostic& w : p->warnings()) {
    codes.push_back(w.code);
    CHECK(w.message.find("-evil") == std::string::npos);
  }
  CHECK(codes == std::vector<std::string>{"lint.registry_pins_image", "lint.registry_pins_image"});
}

}  // namespace
}  // namespace sympozium
