"""sympozium.pytest_plugin on examples/policy-tests, in a pytest subprocess,
and the fixtures and assertions hand-written tests use."""

import os
import pathlib
import shutil
import subprocess
import sys

import pytest

import sympozium
from sympozium import testing

ROOT = pathlib.Path(__file__).resolve().parents[3]
EXAMPLE = ROOT / "examples" / "policy-tests"


def run_pytest(*args, cwd):
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in sys.path if p)
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "sympozium.pytest_plugin", "-p",
         "no:cacheprovider", "-rA", *args],
        capture_output=True, text=True, cwd=cwd, env=env, timeout=300)


def test_collects_one_item_per_result(tmp_path):
    suite = tmp_path / "policy-tests"
    shutil.copytree(EXAMPLE, suite)
    r = run_pytest("--collect-only", "-q", "policy-tests", cwd=tmp_path)
    assert r.returncode == 0, r.stdout + r.stderr
    items = [line for line in r.stdout.splitlines() if "::" in line]
    expected = sympozium.run_test_file(str(suite / "sympozium-test.yaml"))["results"]
    assert len(items) == len(expected) == 8
    assert "policy-tests/sympozium-test.yaml::team-a::AgentRun/team-a/review-pr" in items
    assert "policy-tests/sympozium-test.yaml::team-a::tool/execute_command" in items


def test_fails_exactly_the_wrong_result(tmp_path):
    suite = tmp_path / "policy-tests"
    shutil.copytree(EXAMPLE, suite)
    test_file = suite / "sympozium-test.yaml"
    test_file.write_text(test_file.read_text().replace("decision: deny", "decision: allow", 1))
    r = run_pytest("policy-tests", cwd=tmp_path)
    assert r.returncode == 1, r.stdout + r.stderr
    failed = [line for line in r.stdout.splitlines() if line.startswith("FAILED")]
    assert failed == ["FAILED policy-tests/sympozium-test.yaml::team-a::tool/fetch_url"], r.stdout
    assert "expected: allow" in r.stdout and "actual:   deny" in r.stdout
    assert "1 failed, 7 passed" in r.stdout


def test_unreadable_test_file_is_a_collection_error(tmp_path):
    (tmp_path / "sympozium-test.yaml").write_text(
        "apiVersion: cli.sympozium.ai/v1alpha1\nkind: Test\nmetadata: {name: x}\n"
        "results: [{kind: AgentRun, nme: x}]\n")
    r = run_pytest(".", cwd=tmp_path)
    assert r.returncode != 0
    assert "sympozium-test.yaml:4:" in r.stdout and "unknown field" in r.stdout, r.stdout


def test_run_test_file_raises_naming_the_file(tmp_path):
    with pytest.raises(sympozium.PolicyError, match="no-such.sympozium-test.yaml"):
        sympozium.run_test_file(str(tmp_path / "no-such.sympozium-test.yaml"))
    assert sympozium.find_test_files([str(EXAMPLE)]) == [str(EXAMPLE / "sympozium-test.yaml")]


def test_fixtures_and_assertions(sympozium_policy, sympozium_cluster):
    policy = sympozium_policy(EXAMPLE / "policy.yaml")
    cluster = sympozium_cluster([EXAMPLE / "cluster", EXAMPLE / "policy.yaml"])
    assert cluster.agent_count == 1 and cluster.policy_count == 1
    run = (EXAMPLE / "runs" / "runs.yaml").read_text().split("---")[1]
    denied = policy.evaluate(run)
    testing.assert_denied(denied, code="sandbox.required")
    with pytest.raises(AssertionError, match="sandbox.required at spec.sandbox"):
        testing.assert_allowed(denied)
    with pytest.raises(AssertionError, match=r"expected violations \['env.denied'\]"):
        testing.assert_denied(denied, violations=["env.denied"])
    unknown_agent = (EXAMPLE / "runs" / "runs.yaml").read_text().split("---")[3]
    testing.assert_error(sympozium.evaluate(unknown_agent, cluster=cluster), code="agent.not_found")
    assert sympozium_policy("restrictive").preset_version == "restrictive@v1"
