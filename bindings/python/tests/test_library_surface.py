"""The rest of the library from Python: NetworkPolicy, rbacFor's warnings,
limits, the pod kinds, and the byte fast path deciding as a dict does."""

import json
import re

import pytest
import yaml

import sympozium
from conftest import DATA, POLICY, run_doc

CASES = sorted((DATA / "conformance" / "cases").glob("*/*.yaml"))


def policy_with(spec, namespace="team"):
    return sympozium.Policy.from_dict({
        "apiVersion": "sympozium.ai/v1alpha1", "kind": "SympoziumPolicy",
        "metadata": {"name": "egress", "namespace": namespace}, "spec": spec})


# ---- NetworkPolicy


def test_network_policy_from_a_preset():
    np = sympozium.Policy.preset("restrictive").network_policy("agents")
    obj = np.object
    assert (obj["apiVersion"], obj["kind"]) == ("networking.k8s.io/v1", "NetworkPolicy")
    assert obj["metadata"] == {"name": "sympozium-policy-restrictive", "namespace": "agents"}
    assert obj["spec"]["policyTypes"] == ["Ingress", "Egress"]
    assert obj["spec"]["egress"][0]["ports"] == [{"protocol": "UDP", "port": 53},
                                                 {"protocol": "TCP", "port": 53}]
    assert np.warnings == []
    assert np.to_dict() == {"object": obj, "warnings": []}
    assert "sympozium-policy-restrictive" in repr(np)
    # Presets have no namespace: without one the object has none.
    assert "namespace" not in sympozium.Policy.preset("restrictive").network_policy().object[
        "metadata"]


def test_network_policy_none_when_not_asked_for():
    for name in ("permissive", "default"):
        np = sympozium.Policy.preset(name).network_policy("agents")
        assert np.object is None and np.warnings == []
    assert policy_with({"networkPolicy": {"denyAll": False}}).network_policy().object is None


def test_network_policy_warnings_and_namespace():
    p = policy_with({"networkPolicy": {
        "allowDNS": False, "allowEventBus": False,
        "allowedEgress": [{"host": "10.0.0.0/8", "port": 443}, {"host": "api.openai.com"},
                          {"host": "10.0.0.1", "port": 70000}]}})
    np = p.network_policy()
    assert np.object["metadata"]["namespace"] == "team"
    assert np.object["spec"]["egress"] == [
        {"to": [{"ipBlock": {"cidr": "10.0.0.0/8"}}], "ports": [{"protocol": "TCP", "port": 443}]}]
    assert [(w["code"], w["path"]) for w in np.warnings] == [
        ("netpol.unsupported_host", "spec.networkPolicy.allowedEgress[1].host"),
        ("netpol.invalid_port", "spec.networkPolicy.allowedEgress[2].port")]
    assert all(w["severity"] == "warning" and w["message"] for w in np.warnings)
    assert p.network_policy(namespace="elsewhere").object["metadata"]["namespace"] == "elsewhere"


# ---- rbacFor warnings


WILD_PACK = {
    "apiVersion": "sympozium.ai/v1alpha1", "kind": "SkillPack",
    "metadata": {"name": "skillpack-ops", "namespace": "default"},
    "spec": {"sidecar": {
        "image": "ghcr.io/example/ops:v1",
        "rbac": [{"apiGroups": [""], "resources": ["pods", "secrets"], "verbs": ["get"]}],
        "clusterRBAC": [{"apiGroups": ["*"], "resources": ["nodes"], "verbs": ["list"]}],
    }},
}


def test_rbac_for_result_warnings_and_cleanup():
    run = run_doc(name="run-1")
    r = sympozium.rbac_for_result(WILD_PACK, run)
    assert r.objects == sympozium.rbac_for(WILD_PACK, run)
    assert r.violations == []
    assert [(w["code"], w["path"]) for w in r.warnings] == [
        ("rbac.secrets", "SkillPack/skillpack-ops spec.sidecar.rbac[0].resources[1]"),
        ("rbac.wildcard", "SkillPack/skillpack-ops spec.sidecar.clusterRBAC[0].apiGroups[0]"),
    ]
    assert all(w["message"] for w in r.warnings)
    assert r.cleanup_selectors == [
        "sympozium.ai/agent-run=run-1,sympozium.ai/managed-by=sympozium"]
    d = r.to_dict()
    assert d["objects"] == r.objects and d["cleanup_selectors"] == r.cleanup_selectors
    assert "warnings" in repr(r)


def test_rbac_for_result_lists_denied_resources_without_raising():
    policy = sympozium.Policy.from_yaml(POLICY)  # deniedResources: [secrets]
    r = sympozium.rbac_for_result(WILD_PACK, run_doc(), policy=policy)
    assert [v["code"] for v in r.violations] == ["rbac.denied_resource"]
    assert r.violations[0]["path"] == "SkillPack/skillpack-ops spec.sidecar.rbac[0].resources[1]"
    assert r.objects == [] and r.cleanup_selectors == []  # fail closed
    with pytest.raises(sympozium.PolicyError) as e:
        sympozium.rbac_for(WILD_PACK, run_doc(), policy=policy)
    assert e.value.path == r.violations[0]["path"]


# ---- limits


def test_default_limits():
    limits = sympozium.default_limits()
    assert limits["max_depth"] == 64
    assert set(limits) == {"max_bytes", "max_depth", "max_documents", "max_nodes",
                           "max_list_length", "max_tool_rules", "max_registries"}


def test_limits_on_evaluate_for_every_input_form():
    doc = run_doc()
    for given in (doc, json.dumps(doc), yaml.safe_dump(doc).encode()):
        assert sympozium.evaluate(given, limits={"max_depth": 64}).result != "error"
        with pytest.raises(sympozium.PolicyError, match="limit.max_depth"):
            sympozium.evaluate(given, limits={"max_depth": 2})
        with pytest.raises(sympozium.PolicyError, match="limit.max_depth"):
            sympozium.Policy.preset("default").evaluate(given, limits={"max_depth": 2})
    text = json.dumps(doc)
    with pytest.raises(sympozium.PolicyError, match="limit.max_bytes"):
        sympozium.evaluate(text, limits={"max_bytes": 10})
    with pytest.raises(sympozium.PolicyError, match="limit.max_depth"):
        sympozium.evaluate_pod({"kind": "Pod", "spec": {"containers": [{}]}},
                               limits={"max_depth": 1})
    with pytest.raises(sympozium.PolicyError, match="limit.max_depth"):
        sympozium.mutate(doc, limits={"max_depth": 1})


def test_limits_on_compile(tmp_path):
    many = "".join(f"      - {{tool: t{i}, action: allow}}\n" for i in range(5))
    text = ("apiVersion: sympozium.ai/v1alpha1\nkind: SympoziumPolicy\nmetadata: {name: p}\n"
            "spec:\n  toolGating:\n    rules:\n" + many)
    assert sympozium.Policy.from_yaml(text, limits={"max_tool_rules": 5}).name == "p"
    with pytest.raises(sympozium.PolicyError, match="max_tool_rules"):
        sympozium.Policy.from_yaml(text, limits={"max_tool_rules": 4})
    path = tmp_path / "p.yaml"
    path.write_text(text)
    with pytest.raises(sympozium.PolicyError, match="max_tool_rules"):
        sympozium.Policy.from_file(str(path), limits={"max_tool_rules": 4})
    with pytest.raises(sympozium.PolicyError, match="max_tool_rules"):
        sympozium.Policy.from_dict(yaml.safe_load(text), limits={"max_tool_rules": 4})
    with pytest.raises(sympozium.PolicyError, match="limit.max_depth"):
        sympozium.Policy.from_yaml(text, limits={"max_depth": 2})


def test_limits_on_cluster():
    with pytest.raises(sympozium.PolicyError, match="max_documents"):
        sympozium.Cluster("kind: Agent\n---\nkind: Agent\n", limits={"max_documents": 1})


def test_bad_limits():
    with pytest.raises(ValueError, match="unknown limit \"max_dpeth\".*max_depth"):
        sympozium.evaluate(run_doc(), limits={"max_dpeth": 8})
    with pytest.raises(ValueError, match="unknown limit"):
        sympozium.Policy.from_yaml(POLICY, limits={"depth": 8})
    with pytest.raises(ValueError, match="between 0 and"):
        sympozium.evaluate(run_doc(), limits={"max_depth": -1})
    with pytest.raises(ValueError, match="between 0 and 4294967295"):
        sympozium.evaluate(run_doc(), limits={"max_depth": 2**32})
    with pytest.raises(ValueError, match="must be an int"):
        sympozium.evaluate(run_doc(), limits={"max_depth": "8"})
    with pytest.raises(ValueError, match="must be an int"):
        sympozium.evaluate(run_doc(), limits={"max_depth": True})
    with pytest.raises(TypeError, match="dict"):
        sympozium.evaluate(run_doc(), limits=[("max_depth", 8)])


# ---- pod kinds


@pytest.mark.parametrize("kind", ["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet"])
def test_evaluate_pod_takes_workload_kinds(kind):
    obj = {"apiVersion": "apps/v1", "kind": kind, "metadata": {"name": "w"},
           "spec": {"template": {"spec": {"containers": [
               {"name": "c", "image": "busybox", "securityContext": {"privileged": True}}]}}}}
    d = sympozium.evaluate_pod(obj)
    assert ("pod.privileged", "spec.template.spec.containers[0].securityContext.privileged") in [
        (v["code"], v["path"]) for v in d.violations]
    assert sympozium.evaluate(json.dumps(obj)).to_json() == d.to_json()


def test_evaluate_pod_names_every_kind_it_takes():
    with pytest.raises(sympozium.PolicyError) as e:
        sympozium.evaluate_pod({"apiVersion": "v1", "kind": "Service"})
    for kind in ("Pod", "Job", "Deployment", "CronJob", "StatefulSet", "DaemonSet", "ReplicaSet"):
        assert kind in str(e.value)


# ---- the byte fast path decides as a dict


def documents_of_cases():
    """(id, policy part, document, mode) for every evaluated document."""
    for path in CASES:
        case = yaml.safe_load(path.read_text())
        for key in ("agentRun", "skillPack", "object"):
            if isinstance(case.get(key), dict):
                yield (f"{path.parent.name}/{path.stem}", case.get("policy"), case[key],
                       case.get("mode", "strict"))


DOCS = list(documents_of_cases())


def same_decision(decision):
    """A decision as a dict, without the line:column text input adds to
    decode error messages (a dict has no positions)."""
    d = decision.to_dict()
    where = re.compile(r"\(<input>:\d+:\d+\)")
    d["message"] = where.sub("(<input>)", d["message"])
    for v in d["violations"]:
        v["message"] = where.sub("(<input>)", v["message"])
    return d


def test_fast_path_cases_found():
    assert len(DOCS) > 150


@pytest.mark.parametrize("mode", ["strict", "compat"])
def test_json_and_yaml_text_decide_as_a_dict(mode):
    differences = []
    for name, policy_doc, doc, _ in DOCS:
        policy = (sympozium.Policy.from_dict(policy_doc, mode="compat")
                  if isinstance(policy_doc, dict) else None)
        want = same_decision(sympozium.evaluate(doc, policy=policy, mode=mode))
        for text in (json.dumps(doc), json.dumps(doc).encode(), yaml.safe_dump(doc)):
            got = same_decision(sympozium.evaluate(text, policy=policy, mode=mode))
            if got != want:
                differences.append((name, text[:40], want, got))
    assert not differences, differences[:3]


def test_fast_path_on_the_samples():
    samples = DATA / "fixtures" / "sympozium" / "samples"
    policy = sympozium.Policy.preset("restrictive")
    runs = [doc for path in sorted(samples.glob("*.yaml"))
            for doc in yaml.safe_load_all(path.read_text())
            if doc and doc.get("kind") == "AgentRun"]
    assert runs
    for doc in runs:
        want = policy.evaluate(doc).to_dict()
        assert policy.evaluate(json.dumps(doc)).to_dict() == want
        assert policy.evaluate(yaml.safe_dump(doc).encode()).to_dict() == want


def test_fast_path_keeps_decode_errors_and_raises_on_unreadable_text(policy):
    doc = run_doc()
    doc["spec"]["agentRef"] = ["not", "a", "string"]
    d = policy.evaluate(json.dumps(doc))
    assert (d.result, d.code, d.violations[0]["path"]) == ("error", "decode.error",
                                                           "spec.agentRef")
    assert d.message.endswith("(<input>:1:134)")  # text has positions
    assert same_decision(d) == same_decision(policy.evaluate(doc))
    for text in ('{"kind": "AgentRun", "spec": ', "", "kind: A\n---\nkind: B\n"):
        with pytest.raises(sympozium.PolicyError):
            policy.evaluate(text)


def test_max_depth_means_the_same_for_a_dict_and_its_text():
    doc = run_doc(env={"A": "1"})  # root > spec > env > "1": depth 4
    for given in (doc, json.dumps(doc), yaml.safe_dump(doc)):
        assert sympozium.evaluate(given, limits={"max_depth": 4}).result != "error"
        with pytest.raises(sympozium.PolicyError, match="limit.max_depth"):
            sympozium.evaluate(given, limits={"max_depth": 3})
