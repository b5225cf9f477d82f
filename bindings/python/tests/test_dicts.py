"""The dicts the module returns are those of the library's JSON, exactly.

to_dict() and the typed lists are built from the results themselves, not
by parsing to_json(); these tests hold them to json.loads(to_json()): the
same keys in the same order, the same types, all the way down.
"""

import json

import pytest

import sympozium
from conftest import POLICY, run_doc


def plain(value):
    """`value` with every dict as an ordered item list and every scalar
    tagged with its exact type, so == also compares order and types."""
    if isinstance(value, dict):
        return ("dict", [(k, plain(v)) for k, v in value.items()])
    if isinstance(value, list):
        return ("list", [plain(v) for v in value])
    return (type(value).__name__, value)


def assert_same(got, want):
    assert plain(got) == plain(want)


RUN_WITH_WARNINGS = """\
apiVersion: sympozium.ai/v1alpha1
kind: AgentRun
metadata: {name: r1, namespace: default}
spec:
  agentRef: alice
  task: review the pull request
  sandbox: {enabled: true, colour: red}
"""


@pytest.fixture(scope="module")
def decisions():
    policy = sympozium.Policy.from_yaml(POLICY)
    broken = run_doc()
    broken["spec"]["agentRef"] = ["not", "a", "string"]
    return {
        "allowed": policy.evaluate(run_doc(sandbox={"enabled": True})),
        "denied": policy.evaluate(run_doc(env={"PATH": "/evil", "LD_PRELOAD": "x"})),
        "error": policy.evaluate(broken),
        "warnings": policy.evaluate(RUN_WITH_WARNINGS, schema_warnings=True),
        "no policy": sympozium.evaluate(run_doc()),
    }


@pytest.mark.parametrize(
    "name", ["allowed", "denied", "error", "warnings", "no policy"])
def test_decision_dicts_are_its_json(decisions, name):
    d = decisions[name]
    want = json.loads(d.to_json())
    assert_same(d.to_dict(), want)
    # The typed lists compare as their plain dicts, in the same order.
    assert d.violations == want["violations"]
    assert d.warnings == want["warnings"]
    assert [type(v).__name__ for v in d.violations] == ["Violation"] * len(d.violations)
    assert [type(w).__name__ for w in d.warnings] == ["Finding"] * len(d.warnings)


def test_the_cases_cover_each_result(decisions):
    assert decisions["allowed"].result == "allowed"
    assert decisions["denied"].result == "denied" and len(decisions["denied"].violations) > 1
    assert decisions["error"].result == "error"
    warnings = decisions["warnings"].warnings
    assert warnings and warnings[0]["line"] > 0  # read from YAML, so positioned


def test_mutation_dict_is_its_json():
    policy = sympozium.Policy.from_yaml(POLICY)
    m = sympozium.mutate(run_doc(), policy=policy)
    assert m.patch
    assert_same(m.to_dict(), json.loads(m.to_json()))
    assert_same(m.to_dict()["object"], m.object)


def test_numbers_come_back_as_json_reads_them():
    # YAML spellings JSON does not have: ToJson rewrites them, and the dicts
    # hold what json.loads makes of that (.inf has no JSON form: None).
    run = RUN_WITH_WARNINGS + "  extra: {a: 007, b: +1.5, c: .inf, d: 1e3, e: 0x10, f: 1.}\n"
    m = sympozium.mutate(run)
    want = json.loads(m.to_json())
    assert_same(m.to_dict(), want)
    assert_same(m.object["spec"]["extra"],
                {"a": 7, "b": 1.5, "c": None, "d": 1000.0, "e": 16, "f": 1.0})


def test_dict_numbers_keep_their_python_types():
    big = 2**80
    run = run_doc(extra={"i": 3, "big": big, "f": 2.0, "tiny": 1e-7, "t": True, "n": None})
    m = sympozium.mutate(run)
    assert_same(m.object["spec"]["extra"],
                {"i": 3, "big": big, "f": 2.0, "tiny": 1e-7, "t": True, "n": None})
    assert_same(m.to_dict(), json.loads(m.to_json()))


def test_rbac_dicts_are_plain_json():
    pack = {
        "apiVersion": "sympozium.ai/v1alpha1", "kind": "SkillPack",
        "metadata": {"name": "skillpack-ops", "namespace": "default"},
        "spec": {"sidecar": {"image": "ghcr.io/example/ops:v1", "rbac": [
            {"apiGroups": [""], "resources": ["pods", "secrets"], "verbs": ["get"]}]}},
    }
    r = sympozium.rbac_for_result(pack, run_doc(name="run-1"))
    d = r.to_dict()
    assert list(d) == ["objects", "warnings", "violations", "cleanup_selectors"]
    assert d["objects"] and d["warnings"]
    assert_same(json.loads(json.dumps(d)), d)
    assert_same(d["objects"], sympozium.rbac_for(pack, run_doc(name="run-1")))
    assert list(d["warnings"][0]) == ["severity", "code", "path", "message"]


def test_dict_limits_are_the_readers():
    run = run_doc(extra={"items": list(range(20))})
    with pytest.raises(sympozium.PolicyError, match="limit.max_list_length") as e:
        sympozium.evaluate(run, limits={"max_list_length": 10})
    assert e.value.code == "limit.max_list_length"
    with pytest.raises(sympozium.PolicyError, match="limit.max_bytes"):
        sympozium.evaluate(run_doc(task="x" * 200), limits={"max_bytes": 100})
    with pytest.raises(sympozium.PolicyError, match="limit.max_nodes"):
        sympozium.evaluate(run, limits={"max_nodes": 10})
