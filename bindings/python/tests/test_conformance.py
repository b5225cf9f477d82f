"""Every conformance case (tests/shared/conformance/cases) through the Python API.

Mirrors tests/conformance/runner.cc: the cluster model, the operations and
the matching rules of conformance/README.md. Each case runs twice: its parts
given as dicts, and as YAML text.
"""

import datetime

import pytest
import yaml

import sympozium
from conftest import DATA

CASES = sorted((DATA / "conformance" / "cases").glob("*/*.yaml"))


def test_cases_found():
    assert len(CASES) > 200


def _normalise(value):
    """PyYAML reads unquoted timestamps as dates; the library keeps text."""
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    return value


def _scalar_class(value):
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, (int, float)):
        return "number"
    return type(value).__name__


def _scalars_equal(a, b):
    a, b = _normalise(a), _normalise(b)
    return _scalar_class(a) == _scalar_class(b) and a == b


_MISSING = object()


def subset_mismatch(want, got, path=""):
    """README "patch": "" when got matches want as a subset, else the difference."""
    if want is None:
        return "" if got is _MISSING or got is None else f"{path}: want absent, got {got!r}"
    if got is _MISSING:
        return f"{path}: missing, want {want!r}"
    if isinstance(want, dict):
        if not isinstance(got, dict):
            return f"{path}: want an object, got {got!r}"
        for key, value in want.items():
            diff = subset_mismatch(value, got.get(key, _MISSING), f"{path}.{key}" if path else key)
            if diff:
                return diff
        return ""
    if isinstance(want, list):
        if not isinstance(got, list) or len(got) != len(want):
            return f"{path}: want {want!r}, got {got!r}"
        for i, (w, g) in enumerate(zip(want, got)):
            diff = subset_mismatch(w, g, f"{path}[{i}]")
            if diff:
                return diff
        return ""
    return "" if _scalars_equal(want, got) else f"{path}: want {want!r}, got {got!r}"


def exactly_equal(a, b):
    if isinstance(a, dict) or isinstance(b, dict):
        return (
            isinstance(a, dict)
            and isinstance(b, dict)
            and a.keys() == b.keys()
            and all(exactly_equal(a[k], b[k]) for k in a)
        )
    if isinstance(a, list) or isinstance(b, list):
        return (
            isinstance(a, list)
            and isinstance(b, list)
            and len(a) == len(b)
            and all(exactly_equal(x, y) for x, y in zip(a, b))
        )
    return _scalars_equal(a, b)


def project(obj):
    """README "objects": the compared fields."""
    out = {k: obj[k] for k in ("apiVersion", "kind", "rules", "roleRef", "subjects") if k in obj}
    if "metadata" in obj:
        out["metadata"] = {
            k: obj["metadata"][k] for k in ("name", "namespace", "labels") if k in obj["metadata"]
        }
    return out


def objects_mismatch(want, got):
    want = [project(w) for w in want]
    used = [False] * len(want)
    problems = []
    for g in map(project, got):
        for i, w in enumerate(want):
            if not used[i] and exactly_equal(w, g):
                used[i] = True
                break
        else:
            problems.append(f"unexpected object {g!r}")
    problems += [f"missing object {w!r}" for w, u in zip(want, used) if not u]
    return "; ".join(problems)


class Case:
    def __init__(self, path, as_text):
        with open(path, encoding="utf-8") as f:
            self.data = yaml.safe_load(f)
        self.as_text = as_text
        self.mode = "strict" if self.data.get("mode") == "strict" else "compat"
        self.expect = self.data.get("expect") or {}

    def part(self, value):
        """A document as the API takes it: the dict, or YAML text."""
        return yaml.safe_dump(value) if self.as_text else value

    def get(self, key):
        value = self.data.get(key)
        return None if value is None else self.part(value)

    def policy(self):
        policy = self.data.get("policy")
        if policy is None:
            return None
        if self.as_text:
            return sympozium.Policy.from_yaml(self.part(policy), mode=self.mode)
        return sympozium.Policy.from_dict(policy, mode=self.mode)

    def cluster(self):
        """README "Cluster model"."""
        cluster = sympozium.Cluster()
        policy = self.data.get("policy")
        if policy is not None:
            cluster.add(self.part(policy))
        for pack in self.data.get("skillPacks") or []:
            cluster.add(self.part(pack))
        if "agent" not in self.data:
            run = self.data.get("agentRun") or {}
            spec = {}
            if policy is not None:
                spec["policyRef"] = policy.get("metadata", {}).get("name", "")
            cluster.add(
                self.part(
                    {
                        "apiVersion": "sympozium.ai/v1alpha1",
                        "kind": "Agent",
                        "metadata": {
                            "name": run.get("spec", {}).get("agentRef", ""),
                            "namespace": run.get("metadata", {}).get("namespace", ""),
                        },
                        "spec": spec,
                    }
                )
            )
        elif self.data["agent"] is not None:
            cluster.add(self.part(self.data["agent"]))
        return cluster


def check_decision(decision, expect):
    problems = []
    if "allowed" in expect and decision.allowed != expect["allowed"]:
        problems.append(
            f"allowed: want {expect['allowed']}, got {decision.allowed} "
            f"({decision.code}: {decision.message})"
        )
    if "reasonContains" in expect and expect["reasonContains"] not in decision.message:
        problems.append(
            f"message {decision.message!r} does not contain {expect['reasonContains']!r}"
        )
    return "; ".join(problems)


def admit_agent_run(c):
    decision = sympozium.evaluate(c.get("agentRun"), cluster=c.cluster(), mode=c.mode)
    return check_decision(decision, c.expect)


def admit_skill_pack(c):
    return check_decision(sympozium.evaluate(c.get("skillPack"), mode=c.mode), c.expect)


def mutate_agent_run(c):
    mutation = sympozium.mutate(c.get("agentRun"), cluster=c.cluster(), mode=c.mode)
    assert "patch" in c.expect, "case has no expect.patch"
    return subset_mismatch(c.expect["patch"], mutation.object)


def tool_decision(c):
    got = sympozium.tool_decision(c.data["tool"], run=c.get("agentRun"), policy=c.policy())
    want = c.expect.get("decision")
    return "" if got == want else f"decision: want {want}, got {got}"


def rbac_for(c):
    try:
        objects = sympozium.rbac_for(
            c.get("skillPack"), c.get("agentRun"), policy=c.policy(), mode=c.mode
        )
    except sympozium.PolicyError as e:
        if e.code != "rbac.denied_resource":
            raise
        objects = []  # fail closed: nothing is created
    assert "objects" in c.expect, "case has no expect.objects"
    return objects_mismatch(c.expect["objects"], objects)


def evaluate_pod(c):
    decision = sympozium.evaluate_pod(c.get("object"), policy=c.policy(), mode=c.mode)
    problems = [check_decision(decision, c.expect)] if check_decision(decision, c.expect) else []
    for want in c.expect.get("violationPaths") or []:
        if not any(v["path"].startswith(want) for v in decision.violations):
            problems.append(f"no violation at {want}")
    return "; ".join(problems)


OPERATIONS = {
    "admitAgentRun": admit_agent_run,
    "admitSkillPack": admit_skill_pack,
    "mutateAgentRun": mutate_agent_run,
    "toolDecision": tool_decision,
    "rbacFor": rbac_for,
    "evaluatePod": evaluate_pod,
}


@pytest.mark.parametrize("as_text", [False, True], ids=["dict", "yaml"])
@pytest.mark.parametrize(
    "path", CASES, ids=[f"{p.parent.name}/{p.stem}" for p in CASES]
)
def test_case(path, as_text):
    c = Case(path, as_text)
    operation = c.data.get("operation")
    assert operation in OPERATIONS, f"unknown operation {operation!r}"
    assert OPERATIONS[operation](c) == ""
