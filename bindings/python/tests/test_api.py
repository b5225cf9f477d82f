"""Unit tests of every function of the sympozium module and its errors."""

import json
from concurrent.futures import ThreadPoolExecutor

import pytest

import sympozium
from conftest import AGENT, DATA, POLICY, gil_free_share, run_doc

SAMPLES = DATA / "fixtures" / "sympozium" / "samples"

PRIVILEGED_POD = {
    "apiVersion": "v1",
    "kind": "Pod",
    "metadata": {"name": "p", "namespace": "default"},
    "spec": {
        "containers": [
            {"name": "c", "image": "busybox", "securityContext": {"privileged": True}}
        ]
    },
}

SKILLPACK = {
    "apiVersion": "sympozium.ai/v1alpha1",
    "kind": "SkillPack",
    "metadata": {"name": "skillpack-ops", "namespace": "default"},
    "spec": {
        "skills": [{"name": "s", "content": "x"}],
        "sidecar": {
            "image": "ghcr.io/example/ops:v1",
            "rbac": [{"apiGroups": [""], "resources": ["pods"], "verbs": ["get"]}],
        },
    },
}

SECRETS_SKILLPACK = {
    "apiVersion": "sympozium.ai/v1alpha1",
    "kind": "SkillPack",
    "metadata": {"name": "vault", "namespace": "default"},
    "spec": {
        "sidecar": {
            "image": "ghcr.io/example/vault:v1",
            "rbac": [{"apiGroups": [""], "resources": ["secrets"], "verbs": ["get"]}],
        }
    },
}


# ---- module


def test_version_and_presets():
    assert sympozium.__version__ == "0.1.0"
    assert sympozium.presets() == ["permissive", "default", "restrictive", "network-isolated"]


def test_policy_error_is_a_value_error_with_path_and_code():
    assert issubclass(sympozium.PolicyError, ValueError)
    e = sympozium.PolicyError("bad", path="spec.x", code="c")
    assert (str(e), e.path, e.code) == ("bad", "spec.x", "c")
    assert sympozium.PolicyError("bad").path == ""


def test_everything_has_a_docstring():
    public = [getattr(sympozium, name) for name in sympozium.__all__ if name != "__version__"]
    for obj in public:
        assert obj.__doc__, obj
        for attr, member in vars(obj).items() if isinstance(obj, type) else []:
            if not attr.startswith("_"):
                assert member.__doc__, f"{obj.__name__}.{attr}"


# ---- Policy


def test_preset():
    p = sympozium.Policy.preset("restrictive")
    assert p.name == "restrictive"
    assert p.preset_version == "restrictive@v1"
    assert "restrictive@v1" in repr(p)
    assert sympozium.Policy.preset("restrictive@v1", mode="compat").name == "restrictive"


def test_preset_errors():
    with pytest.raises(sympozium.PolicyError, match="unknown preset"):
        sympozium.Policy.preset("lenient")
    with pytest.raises(sympozium.PolicyError, match="no version v9"):
        sympozium.Policy.preset("restrictive@v9")
    with pytest.raises(ValueError, match="mode must be"):
        sympozium.Policy.preset("restrictive", mode="lenient")


def test_from_yaml_str_and_bytes():
    for text in (POLICY, POLICY.encode()):
        p = sympozium.Policy.from_yaml(text)
        assert (p.name, p.namespace, p.preset_version) == ("team-policy", "default", "")


def test_from_yaml_takes_text_only():
    with pytest.raises(TypeError):
        sympozium.Policy.from_yaml({"kind": "SympoziumPolicy"})


def test_from_yaml_strict_error_names_the_field():
    bad = POLICY.replace("action: ask", "action: maybe")
    with pytest.raises(sympozium.PolicyError) as e:
        sympozium.Policy.from_yaml(bad, source="team.yaml")
    assert e.value.path == "spec.toolGating.rules[1].action"
    assert e.value.code == "compile.unknown_action"
    assert "team.yaml" in str(e.value)
    # compat compiles it; lint shows the strict error first.
    p = sympozium.Policy.from_yaml(bad, mode="compat")
    first = p.lint()[0]
    assert first["severity"] == "error"
    assert first["path"] == "spec.toolGating.rules[1].action"


def test_from_yaml_syntax_and_kind_errors():
    with pytest.raises(sympozium.PolicyError, match="YAML"):
        sympozium.Policy.from_yaml("spec: [")
    with pytest.raises(sympozium.PolicyError, match="SympoziumPolicy"):
        sympozium.Policy.from_yaml(AGENT)


def test_from_file(tmp_path):
    path = tmp_path / "policy.yaml"
    path.write_text(POLICY)
    assert sympozium.Policy.from_file(str(path)).name == "team-policy"
    path.write_text(POLICY.replace("action: ask", "action: maybe"))
    with pytest.raises(sympozium.PolicyError, match="policy.yaml"):
        sympozium.Policy.from_file(str(path))
    with pytest.raises(OSError):
        sympozium.Policy.from_file(str(tmp_path / "missing.yaml"))


def test_from_dict_takes_yaml_typing():
    import yaml

    p = sympozium.Policy.from_dict(yaml.safe_load(POLICY))  # maxCPU: 2 is an int here
    assert p.name == "team-policy"
    with pytest.raises(TypeError):
        sympozium.Policy.from_dict(POLICY)


def test_lint(policy):
    findings = policy.lint()
    duplicate = [f for f in findings if f["code"] == "lint.duplicate_rule"]
    assert duplicate and duplicate[0]["severity"] == "warning"
    assert duplicate[0]["path"].startswith("spec.toolGating.rules[2]")
    assert duplicate[0]["line"] > 0 and duplicate[0]["column"] > 0
    assert all(f["severity"] == "warning" for f in sympozium.Policy.preset("restrictive").lint())


def test_tool_decision(policy):
    assert policy.tool_decision("read_file") == "allow"
    assert policy.tool_decision("execute_command") == "ask"
    assert policy.tool_decision("write_file") == "deny"
    run = run_doc(toolPolicy={"allow": ["read_file", "fetch_url"], "deny": ["fetch_url"]})
    assert policy.tool_decision("read_file", run=run) == "allow"
    assert policy.tool_decision("fetch_url", run=json.dumps(run)) == "deny"
    assert policy.tool_decision("execute_command", run=run) == "deny"  # not on the allow list


def test_tool_decision_without_policy():
    run = run_doc(toolPolicy={"deny": ["write_file"]})
    assert sympozium.tool_decision("write_file") == "allow"
    assert sympozium.tool_decision("write_file", run=run) == "deny"
    restrictive = sympozium.Policy.preset("restrictive")
    assert sympozium.tool_decision("execute_command", policy=restrictive) == "ask"


def test_tool_decision_errors(policy):
    with pytest.raises(sympozium.PolicyError, match="AgentRun"):
        policy.tool_decision("read_file", run=SKILLPACK)
    with pytest.raises(TypeError):
        policy.tool_decision("read_file", run=42)


def test_explain_tool(policy):
    explained = policy.explain_tool("execute_command")
    assert explained["tool"] == "execute_command"
    assert explained["decision"] == "ask"
    assert "execute_command" in explained["reason"]
    assert sympozium.explain_tool("x")["decision"] == "allow"


# ---- evaluate and Decision


def test_evaluate_allowed(policy):
    d = policy.evaluate(run_doc(sandbox={"enabled": True}))
    assert d.allowed and d.result == "allowed" and d.status == 200
    assert d.code == "" and d.violations == [] and d.mode == "strict"
    assert "allowed 200" in repr(d)


def test_evaluate_lists_every_violation(policy):
    d = policy.evaluate(run_doc(env={"PATH": "/evil"}))
    assert not d.allowed and d.result == "denied" and d.status == 403
    assert d.code == "sandbox.required"
    assert [v["code"] for v in d.violations] == ["sandbox.required", "env.denied"]
    assert d.violations[1]["path"] == "spec.env.PATH"
    assert d.message == d.violations[0]["message"]
    assert "sandbox.required" in repr(d) and "2 violations" in repr(d)


def test_evaluate_input_types_agree(policy):
    import yaml

    doc = run_doc(env={"PATH": "/evil"})
    text = yaml.safe_dump(doc)
    answers = {
        policy.evaluate(d).to_json()
        for d in (doc, text, text.encode(), bytearray(text.encode()), memoryview(text.encode()))
    }
    assert len(answers) == 1


def test_evaluate_modes():
    doc = run_doc(env={"PATH": "/evil"})
    assert not sympozium.evaluate(doc).allowed  # strict refuses PATH even without a policy
    compat = sympozium.evaluate(doc, mode="compat")
    assert compat.allowed and compat.mode == "compat"
    with pytest.raises(ValueError, match="mode"):
        sympozium.evaluate(doc, mode="loose")


def test_evaluate_mutate_first(policy):
    # The mutating defaults enable the sandbox the policy requires.
    d = policy.evaluate(run_doc(env={"PATH": "/evil"}), mutate=True)
    assert [v["code"] for v in d.violations] == ["env.denied"]


def test_decision_to_dict_and_json(policy):
    d = policy.evaluate(run_doc())
    as_dict = d.to_dict()
    assert as_dict == json.loads(d.to_json())
    assert set(as_dict) == {
        "allowed", "result", "status", "code", "message", "violations", "warnings", "mode"
    }
    assert as_dict["violations"] == d.violations


def test_decode_error_is_an_error_decision(policy):
    doc = run_doc()
    doc["spec"]["agentRef"] = ["not", "a", "string"]
    d = policy.evaluate(doc)
    assert (d.allowed, d.result, d.status, d.code) == (False, "error", 400, "decode.error")
    assert d.violations[0]["path"] == "spec.agentRef"
    assert sympozium.evaluate({"apiVersion": "v1", "kind": "ConfigMap"}).result == "error"


def test_unreadable_input_raises(policy):
    with pytest.raises(sympozium.PolicyError, match="YAML"):
        policy.evaluate("kind: AgentRun\nspec: [")
    with pytest.raises(sympozium.PolicyError):
        policy.evaluate("")  # no document
    with pytest.raises(sympozium.PolicyError):
        policy.evaluate("kind: A\n---\nkind: B\n")  # two documents
    with pytest.raises(TypeError, match="str, bytes or dict"):
        policy.evaluate(42)


def test_schema_warnings_for_unknown_fields(policy):
    doc = run_doc(sandbox={"enabled": True, "colour": "red"})
    assert policy.evaluate(doc).warnings == []
    d = policy.evaluate(doc, schema_warnings=True)
    assert d.allowed  # warnings never change the result
    assert ("schema.unknown_field", "spec.sandbox.colour") in [
        (w["code"], w["path"]) for w in d.warnings
    ]
    assert sympozium.evaluate(doc, schema_warnings=True).warnings == d.warnings


def test_dict_conversion():
    # Numbers and booleans are plain scalars; str keys only; dates as text.
    import datetime

    doc = run_doc(sandbox={"enabled": True, "resources": {"limits": {"cpu": 1, "memory": "1Gi"}}})
    doc["metadata"]["creationTimestamp"] = datetime.datetime(2024, 1, 2, 3, 4, 5)
    assert sympozium.evaluate(doc).allowed
    with pytest.raises(TypeError, match="keys must be str"):
        sympozium.evaluate({1: "x"})
    with pytest.raises(TypeError, match="cannot put a set"):
        sympozium.evaluate(run_doc(task={"a"}))
    loop = run_doc()
    loop["spec"]["model"] = loop
    with pytest.raises(sympozium.PolicyError, match="limit.max_depth"):
        sympozium.evaluate(loop)


def test_mutate_result_round_trips(policy):
    m = sympozium.mutate(run_doc(), policy=policy)
    assert m.allowed and m.message.startswith(f"{len(m.patch)} changes")
    assert m.object["metadata"]["labels"]["sympozium.ai/role"] == "agent"
    assert m.object["spec"]["sandbox"]["enabled"] is True
    assert all({"op", "path"} <= set(op) for op in m.patch)
    assert m.to_dict() == json.loads(m.to_json())
    assert m.to_dict()["patch"] == m.patch
    assert "changes" in repr(m)


def test_mutate_lookups_and_errors(cluster):
    assert sympozium.mutate(run_doc()).message == "no policy"
    assert sympozium.mutate(run_doc(), cluster=cluster).patch  # alice -> team-policy
    assert "not found" in sympozium.mutate(run_doc(), cluster=sympozium.Cluster()).message
    with pytest.raises(sympozium.PolicyError, match="AgentRun"):
        sympozium.mutate(SKILLPACK)


def test_evaluate_pod():
    d = sympozium.evaluate_pod(PRIVILEGED_POD)
    assert not d.allowed
    privileged = [v for v in d.violations if v["code"] == "pod.privileged"]
    assert privileged[0]["path"] == "spec.containers[0].securityContext.privileged"
    job = (DATA.parent.parent / "examples" / "data" / "agent-pod.yaml").read_bytes()
    d = sympozium.evaluate_pod(job, policy=sympozium.Policy.preset("restrictive"))
    assert d.code == "pod.privilege_escalation"
    with pytest.raises(sympozium.PolicyError, match="evaluate_pod takes"):
        sympozium.evaluate_pod(run_doc())


def test_evaluate_pod_security():
    d = sympozium.evaluate_pod_security(PRIVILEGED_POD, "baseline@v1.30")
    assert not d.allowed and d.code == "pod.privileged"
    assert d.violations[0]["path"] == "spec.containers[0].securityContext.privileged"
    pod = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"},
           "spec": {"securityContext": {"runAsNonRoot": True,
                                        "seccompProfile": {"type": "RuntimeDefault"}},
                    "containers": [{"name": "c", "image": "nginx", "securityContext": {
                        "allowPrivilegeEscalation": False, "capabilities": {"drop": ["ALL"]}}}]}}
    d = sympozium.evaluate_pod_security(pod)
    assert d.allowed, d.message
    assert "restricted@latest" in d.message
    pod["spec"]["containers"][0]["ports"] = [{"containerPort": 80, "hostPort": 80}]
    d = sympozium.evaluate_pod_security(pod, standard="restricted@v1.37")
    assert d.code == "pod.host_port" and "host port 80" in d.message
    with pytest.raises(sympozium.PolicyError, match="baseline or restricted"):
        sympozium.evaluate_pod_security(pod, "privileged")
    with pytest.raises(sympozium.PolicyError, match="evaluate_pod_security takes"):
        sympozium.evaluate_pod_security(run_doc())


# ---- Cluster


def test_cluster_lookup(cluster):
    assert (cluster.agent_count, cluster.policy_count, cluster.skill_pack_count) == (1, 1, 0)
    assert "1 agents" in repr(cluster)
    assert sympozium.evaluate(run_doc(), cluster=cluster).code == "sandbox.required"
    missing = sympozium.evaluate(run_doc(name="r2") | {"spec": {"agentRef": "bob", "task": "x"}},
                                 cluster=cluster)
    assert (missing.result, missing.code, missing.status) == ("error", "agent.not_found", 400)
    assert cluster.policy("default", "team-policy").name == "team-policy"
    assert cluster.policy("default", "nope") is None


def test_cluster_add_forms(tmp_path):
    c = sympozium.Cluster()
    c.add(AGENT + "---\n" + POLICY)  # a stream
    c.add([SKILLPACK, SECRETS_SKILLPACK])  # a list of dicts
    assert (c.agent_count, c.policy_count, c.skill_pack_count) == (1, 1, 2)
    path = tmp_path / "more.yaml"
    path.write_text(AGENT.replace("alice", "bob"))
    c.add_file(str(path))
    assert c.agent_count == 2
    with pytest.raises(OSError):
        c.add_file(str(tmp_path / "missing.yaml"))


def test_cluster_add_errors():
    c = sympozium.Cluster()
    with pytest.raises(sympozium.PolicyError, match="ConfigMap"):
        c.add({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "x"}})
    with pytest.raises(sympozium.PolicyError, match="bad.yaml"):
        c.add("kind: Agent\nspec: [", source="bad.yaml")
    with pytest.raises(TypeError):
        sympozium.Cluster(42)


def test_policy_evaluate_resolves_skill_packs_in_cluster(policy):
    # With a direct policy the cluster only serves SkillPacks.
    c = sympozium.Cluster(SKILLPACK)
    d = policy.evaluate(run_doc(sandbox={"enabled": True}, skills=[{"skillPackRef": "ops"}]),
                        cluster=c)
    assert d.result != "error"


# ---- rbac_for


def test_rbac_for():
    run = run_doc(name="hooked", lifecycle={
        "preRun": [{"name": "seed", "image": "busybox"}],
        "rbac": [{"apiGroups": [""], "resources": ["configmaps"], "verbs": ["get"]}],
    })
    objects = sympozium.rbac_for(SKILLPACK, run)
    names = {(o["kind"], o["metadata"]["name"]) for o in objects}
    assert ("Role", "sympozium-skill-ops-hooked") in names
    assert ("RoleBinding", "sympozium-lifecycle-hooked") in names
    both = sympozium.rbac_for([SKILLPACK, SECRETS_SKILLPACK], run)
    assert len(both) == len(objects) + 2
    import yaml

    stream = yaml.safe_dump_all([SKILLPACK, SECRETS_SKILLPACK])
    assert sympozium.rbac_for(stream, yaml.safe_dump(run)) == both


def test_rbac_for_denied_resources_fail_closed(policy):
    run = run_doc(name="hooked")
    with pytest.raises(sympozium.PolicyError) as e:
        sympozium.rbac_for(SECRETS_SKILLPACK, run, policy=policy)
    assert e.value.code == "rbac.denied_resource"
    assert "secrets" in str(e.value) and e.value.path
    assert sympozium.rbac_for(SECRETS_SKILLPACK, run, policy=policy, mode="compat")


def test_rbac_for_errors():
    with pytest.raises(sympozium.PolicyError, match="SkillPack"):
        sympozium.rbac_for(run_doc(), run_doc())
    with pytest.raises(sympozium.PolicyError, match="AgentRun"):
        sympozium.rbac_for(SKILLPACK, SKILLPACK)


# ---- threads and the GIL


def test_threads_share_a_policy_and_a_cluster(policy, cluster):
    bad = run_doc(env={"PATH": "/evil"})
    good = run_doc(sandbox={"enabled": True})

    def work(i):
        if i % 10 == 0:  # writers too: the cluster takes additions while read
            cluster.add(AGENT.replace("alice", f"agent-{i}"))
        return (
            policy.evaluate(good).allowed,
            sympozium.evaluate(bad, cluster=cluster).code,
            policy.tool_decision("execute_command"),
        )

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = set(pool.map(work, range(400)))
    assert results == {(True, "sandbox.required", "ask")}
    assert cluster.agent_count == 41


def test_gil_is_released_while_evaluating():
    skills = "".join(f"    - skillPackRef: pack-{i}\n" for i in range(20000))
    big = (
        "apiVersion: sympozium.ai/v1alpha1\nkind: AgentRun\n"
        "metadata: {name: r, namespace: d}\nspec:\n  agentRef: a\n  task: x\n  skills:\n" + skills
    ).encode()
    share, _ = gil_free_share(lambda: sympozium.Policy.preset("permissive").evaluate(big))
    assert share > 0.2, share


# ---- Equality, pickling, typed records, lint, Ctrl-C


def test_decision_equality_and_pickling():
    import pickle

    policy = sympozium.Policy.preset("restrictive")
    doc = run_doc(env={"PATH": "/evil"})
    d = policy.evaluate(doc)
    assert d == policy.evaluate(doc) and hash(d) == hash(policy.evaluate(doc))
    assert d != policy.evaluate(run_doc()) or d.allowed
    assert d != "not a decision"
    again = pickle.loads(pickle.dumps(d))
    assert again == d and again.to_json() == d.to_json()
    assert again.code == d.code and again.violations == d.violations
    warned = policy.evaluate(doc, schema_warnings=True)
    assert pickle.loads(pickle.dumps(warned)) == warned


def test_violations_are_typed_and_still_dicts():
    d = sympozium.Policy.preset("restrictive").evaluate(run_doc(env={"PATH": "/evil"}))
    v = next(v for v in d.violations if v.code == "env.denied")
    assert isinstance(v, sympozium.Violation) and isinstance(v, dict)
    assert v.path == v["path"] == "spec.env.PATH" and v.message == v["message"]
    assert v == {"code": v.code, "message": v.message, "path": v.path}
    with pytest.raises(AttributeError):
        v.nothing


def test_lint_returns_every_finding(tmp_path):
    bad = """\
apiVersion: sympozium.ai/v1alpha1
kind: SympoziumPolicy
metadata: {name: loose, namespace: default}
spec:
  toolGating:
    rules:
      - {tool: read_file, action: maybe}
      - {tool: read_file, action: allow}
      - {tool: read_file, action: allow}
"""
    findings = sympozium.lint(bad)
    assert all(isinstance(f, sympozium.Finding) for f in findings)
    codes = [f.code for f in findings]
    assert "compile.unknown_action" in codes and len(findings) >= 2
    assert findings[0].severity == "error"
    path = tmp_path / "policy.yaml"
    path.write_text(bad)
    assert [f.code for f in sympozium.lint(path)] == codes
    assert [f.code for f in sympozium.lint(str(path))] == codes
    broken = sympozium.lint("kind: [unclosed")  # never raises for the policy's sake
    assert len(broken) == 1 and broken[0].severity == "error" and broken[0].message
    assert all(f.severity == "warning" for f in sympozium.lint(POLICY))


def test_verify_model_stops_on_ctrl_c(tmp_path):
    import subprocess
    import sys

    # /dev/zero never ends: only Ctrl-C stops the check. A timer in the child
    # sends it once the main thread is hashing.
    script = (
        "import os, signal, sys, threading, sympozium\n"
        "try:\n"
        "    threading.Timer(1.0, os.kill, (os.getpid(), signal.SIGINT)).start()\n"
        "    sympozium.verify_model('/dev/zero', sha256='0' * 64)\n"
        "except KeyboardInterrupt:\n"
        "    sys.exit(3)\n")
    child = subprocess.Popen([sys.executable, "-c", script])
    try:
        assert child.wait(timeout=120) == 3
    finally:
        child.kill()
        child.wait()
