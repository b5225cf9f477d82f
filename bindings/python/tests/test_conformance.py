"""Every conformance case (tests/shared/conformance/cases and the project's own
tests/conformance/cases) through the Python API.

Mirrors tests/conformance/runner.cc: the cluster model, the operations and
the matching rules of conformance/README.md. Each case runs twice: its parts
given as dicts, and as YAML text.
"""

import sys

import pytest
import yaml

import sympozium
from conftest import DATA, REPO

# The case format and matching rules, shared with the CLI runner.
sys.path.insert(0, str(REPO / "tests" / "conformance"))
import conformance_cases as cc  # noqa: E402

CASES = sorted((DATA / "conformance" / "cases").glob("*/*.yaml")) + sorted(
    (REPO / "tests" / "conformance" / "cases").glob("*/*.yaml"))


def test_cases_found():
    assert len(CASES) > 200


class Case:
    def __init__(self, path, as_text):
        self.case = cc.Case(path)
        self.data = self.case.data
        self.as_text = as_text
        self.mode = self.case.mode
        self.expect = self.case.expect

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
        for obj in self.case.cluster_objects():
            cluster.add(self.part(obj))
        return cluster


def check_decision(decision, expect):
    return cc.check_decision(expect, decision.allowed, decision.message)


def admit_agent_run(c):
    decision = sympozium.evaluate(c.get("agentRun"), cluster=c.cluster(), mode=c.mode)
    return check_decision(decision, c.expect)


def admit_skill_pack(c):
    return check_decision(sympozium.evaluate(c.get("skillPack"), mode=c.mode), c.expect)


def mutate_agent_run(c):
    mutation = sympozium.mutate(c.get("agentRun"), cluster=c.cluster(), mode=c.mode)
    assert "patch" in c.expect, "case has no expect.patch"
    return cc.subset_mismatch(c.expect["patch"], mutation.object)


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
    return cc.objects_mismatch(c.expect["objects"], objects)


def evaluate_pod(c):
    if c.data.get("podSecurity"):
        decision = sympozium.evaluate_pod_security(c.get("object"), c.data["podSecurity"])
    else:
        decision = sympozium.evaluate_pod(c.get("object"), policy=c.policy(), mode=c.mode)
    problems = [check_decision(decision, c.expect),
                cc.violation_paths_mismatch(c.expect, decision.violations),
                cc.violation_codes_mismatch(c.expect, decision.violations)]
    return "; ".join(p for p in problems if p)


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
