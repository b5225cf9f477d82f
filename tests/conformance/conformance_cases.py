"""Conformance cases and their matching rules, for the Python-side runners.

Shared by the CLI runner (cli_runner.py) and the pytest suite of the Python
bindings, so both read cases and compare results the same way as the C++
runner (runner.cc, matchers.cc). The format is tests/shared/conformance/README.md.
"""

import datetime
import os
import pathlib

import yaml

CASES_DIR = pathlib.Path(__file__).resolve().parent.parent / "shared" / "conformance" / "cases"
# The project's own cases (cases/README.md): the same format, plus
# `podSecurity` and `expect.violationCodes`.
OWN_CASES_DIR = pathlib.Path(__file__).resolve().parent / "cases"

OPERATIONS = (
    "admitAgentRun",
    "admitSkillPack",
    "mutateAgentRun",
    "toolDecision",
    "rbacFor",
    "evaluatePod",
)


class Case:
    """One case file."""

    def __init__(self, path):
        self.path = pathlib.Path(path)
        with open(self.path, encoding="utf-8") as f:
            self.data = yaml.safe_load(f)
        self.name = f"{self.path.parent.name}/{self.path.name}"
        self.operation = self.data.get("operation")
        self.mode = self.data.get("mode", "compat")
        self.expect = self.data.get("expect") or {}

    def __repr__(self):
        return f"Case({self.name})"

    def cluster_objects(self):
        """The objects of the README's cluster model: policy, Agent, SkillPacks."""
        objects = []
        policy = self.data.get("policy")
        if policy:
            objects.append(policy)
        objects.extend(self.data.get("skillPacks") or [])
        if "agent" not in self.data:
            run = self.data.get("agentRun") or {}
            agent = {
                "apiVersion": "sympozium.ai/v1alpha1",
                "kind": "Agent",
                "metadata": {
                    "name": (run.get("spec") or {}).get("agentRef", ""),
                    "namespace": (run.get("metadata") or {}).get("namespace", ""),
                },
                "spec": {},
            }
            if policy:
                agent["spec"]["policyRef"] = policy["metadata"]["name"]
            objects.append(agent)
        elif self.data["agent"] is not None:
            objects.append(self.data["agent"])
        return objects


def load_cases(operation=None):
    """Every case, sorted by file name, optionally of one operation."""
    paths = sorted(CASES_DIR.glob("*/*.yaml")) + sorted(OWN_CASES_DIR.glob("*/*.yaml"))
    cases = [Case(p) for p in paths]
    return [c for c in cases if operation is None or c.operation == operation]


def check_decision(expect, allowed, message):
    """'' when `allowed`/`message` meet expect.allowed / expect.reasonContains."""
    problems = []
    if "allowed" in expect and expect["allowed"] != allowed:
        problems.append(f"allowed: want {expect['allowed']}, got {allowed} ({message})")
    reason = expect.get("reasonContains")
    if reason is not None and reason not in message:
        problems.append(f"message {message!r} does not contain {reason!r}")
    return "; ".join(problems)


def _normalise(value):
    """PyYAML reads unquoted timestamps as dates; the library keeps text."""
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    return value


def _scalar_class(value):
    if isinstance(value, bool):  # before int: bool is an int subclass
        return "bool"
    if isinstance(value, (int, float)):
        return "number"
    return type(value).__name__


def scalars_equal(a, b):
    a, b = _normalise(a), _normalise(b)
    return _scalar_class(a) == _scalar_class(b) and a == b


_MISSING = object()


def subset_mismatch(want, got, path=""):
    """README `patch` matching: '' when `got` matches `want` as a subset."""
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
    return "" if scalars_equal(want, got) else f"{path}: want {want!r}, got {got!r}"


def exactly_equal(a, b):
    if isinstance(a, dict) or isinstance(b, dict):
        return (isinstance(a, dict) and isinstance(b, dict) and a.keys() == b.keys()
                and all(exactly_equal(a[k], b[k]) for k in a))
    if isinstance(a, list) or isinstance(b, list):
        return (isinstance(a, list) and isinstance(b, list) and len(a) == len(b)
                and all(exactly_equal(x, y) for x, y in zip(a, b)))
    return scalars_equal(a, b)


def _project(obj):
    """The fields README's `objects` rule compares."""
    out = {k: obj[k] for k in ("apiVersion", "kind", "rules", "roleRef", "subjects") if k in obj}
    if "metadata" in obj:
        meta = obj["metadata"]
        out["metadata"] = {k: meta[k] for k in ("name", "namespace", "labels") if k in meta}
    return out


def objects_mismatch(want, got):
    """README `objects` matching: the same set of objects, in any order."""
    want = [_project(w) for w in want or []]
    used = [False] * len(want)
    problems = []
    for g in map(_project, got or []):
        for i, w in enumerate(want):
            if not used[i] and exactly_equal(w, g):
                used[i] = True
                break
        else:
            problems.append(f"unexpected object {g!r}")
    problems += [f"missing object {w!r}" for w, u in zip(want, used) if not u]
    return "; ".join(problems)


def violation_paths_mismatch(expect, violations):
    """README `violationPaths`: each entry prefixes some violation's path."""
    paths = [v.get("path", "") for v in violations]
    missing = [w for w in expect.get("violationPaths") or [] if not any(p.startswith(w) for p in paths)]
    return "; ".join(f"no violation at {m}" for m in missing)


def violation_codes_mismatch(expect, violations):
    """`violationCodes`: each entry is the code of some violation."""
    codes = {v.get("code", "") for v in violations}
    missing = [w for w in expect.get("violationCodes") or [] if w not in codes]
    return "; ".join(f"no violation with code {m}" for m in missing)


def write_yaml(directory, name, documents):
    """Writes documents as one multi-document YAML file; returns its path."""
    path = os.path.join(directory, name)
    with open(path, "w", encoding="utf-8") as f:
        yaml.safe_dump_all(documents, f, sort_keys=False)
    return path
