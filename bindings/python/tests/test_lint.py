"""lint() in Python lists exactly what `sympozium-policy lint` lists: the
rules live in the library (sympozium/lint.h), both front ends only print."""

import json
import os
import subprocess

import pytest

import sympozium

# Findings of many rules: a strict error, conflicting rules, a zero cap, a
# default image from no allowed registry, a registry without a slash, a
# hostname the NetworkPolicy cannot express, and an ignored code.
POLICY = """\
apiVersion: sympozium.ai/v1alpha1
kind: SympoziumPolicy
metadata:
  name: loose
  namespace: team
  annotations: {lint.sympozium.ai/ignore: "lint.allow_host_mounts"}
spec:
  sandboxPolicy:
    required: true
    maxCPU: "0"
    defaultImage: docker.io/library/busybox:1
    allowHostMounts: true
  imagePolicy: {allowedRegistries: [ghcr.io/team]}
  toolGating:
    defaultAction: allow
    rules:
      - {tool: read_file, action: allow}
      - {tool: execute_command, action: maybe}
      - {tool: read_file, action: deny}
  networkPolicy:
    denyAll: true
    allowedEgress: [{host: api.openai.com, port: 443}]
"""

CLI = os.environ.get("SYMPOZIUM_CLI")


def cli_findings(path, *args):
    out = subprocess.run([CLI, "lint", "--output", "json", *args, str(path)],
                         capture_output=True, text=True, check=False)
    assert out.returncode in (0, 1), out.stderr
    (policy,) = json.loads(out.stdout)["policies"]
    return policy["findings"]


def as_cli(findings):
    """Python's Finding dicts as plain dicts: the CLI prints the same fields."""
    return [dict(f) for f in findings]


@pytest.mark.skipif(not CLI, reason="SYMPOZIUM_CLI (sympozium-policy) is not set; ctest sets it")
@pytest.mark.parametrize("mode", ["strict", "compat"])
def test_lint_equals_the_cli(tmp_path, mode):
    path = tmp_path / "policy.yaml"
    path.write_text(POLICY)
    expected = cli_findings(path, "--mode", mode, "--ignore", "lint.registry_without_slash")
    assert len({f["code"] for f in expected}) >= 4  # several rules, not one
    ignore = ["lint.registry_without_slash"]
    assert as_cli(sympozium.lint(path, mode=mode, ignore=ignore)) == expected
    policy = sympozium.Policy.from_file(str(path), mode="compat")
    assert as_cli(policy.lint(mode=mode, ignore=ignore)) == expected


def test_ignore_and_annotation_hide_warnings_only():
    codes = [f.code for f in sympozium.lint(POLICY)]
    assert "lint.allow_host_mounts" not in codes  # the annotation
    assert "lint.registry_without_slash" in codes
    ignore = "lint.registry_without_slash,compile.unknown_action"
    hidden = [f.code for f in sympozium.lint(POLICY, ignore=ignore)]
    assert "lint.registry_without_slash" not in hidden
    assert "compile.unknown_action" in hidden  # an error stays


def test_compat_mode_demotes_strict_errors_and_adds_gaps():
    strict = {f.code: f.severity for f in sympozium.lint(POLICY)}
    compat = {f.code: f.severity for f in sympozium.lint(POLICY, mode="compat")}
    assert strict["compile.unknown_action"] == "error"
    assert compat["compile.unknown_action"] == "warning"
    assert "lint.not_enforced" in compat and "lint.not_enforced" not in strict


def test_a_policy_without_its_document_is_linted_too():
    p = sympozium.Policy.from_yaml(POLICY, mode="compat")
    with_doc = [f.code for f in p.lint()]
    cluster = sympozium.Cluster()
    cluster.add(POLICY)
    held = cluster.policy("team", "loose")
    without = [f.code for f in held.lint()]
    # The same rules; only the annotation (read from the document) is missing.
    assert sorted(without) == sorted(with_doc + ["lint.allow_host_mounts"])
    with pytest.raises(ValueError):
        p.lint(mode="lenient")
