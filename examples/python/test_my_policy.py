"""How a platform team tests its own SympoziumPolicy with pytest.

The policy lives next to this file (team-policy.yaml). Each test states a
promise the policy makes: a kind of run it must refuse, with the reason code
the webhook will give, or a run it must let through. Run it with

    PYTHONPATH=build/python python3 -m pytest examples/python

(`scripts/test` runs it as the ctest test examples.python.test_my_policy).
"""

import pathlib

import pytest

import sympozium

POLICY_FILE = pathlib.Path(__file__).with_name("team-policy.yaml")


@pytest.fixture(scope="module")
def policy():
    # Compiled once, in strict mode: a typo in the policy (an unknown tool
    # action, a field in the wrong place) fails here, naming the field.
    return sympozium.Policy.from_file(str(POLICY_FILE))


def agent_run(**spec):
    """A compliant AgentRun in the team's namespace, with `spec` changes on top."""
    body = {
        "agentRef": "reviewer",
        "task": "review the open pull requests",
        "sandbox": {
            "enabled": True,
            "image": "ghcr.io/sympozium-ai/sympozium/sandbox:v0.10.46",
            "resources": {"limits": {"cpu": "1", "memory": "2Gi"}},
        },
        "toolPolicy": {"allow": ["read_file", "list_directory"]},
    }
    body.update(spec)
    return {
        "apiVersion": "sympozium.ai/v1alpha1",
        "kind": "AgentRun",
        "metadata": {"name": "review-1", "namespace": "agents"},
        "spec": body,
    }


def test_policy_compiles_without_findings(policy):
    assert policy.lint() == []


def test_compliant_run_is_allowed(policy):
    decision = policy.evaluate(agent_run())
    assert decision.allowed, decision.violations


@pytest.mark.parametrize(
    "change, code",
    [
        pytest.param({"sandbox": None}, "sandbox.required", id="no-sandbox"),
        pytest.param({"env": {"LD_PRELOAD": "/tmp/evil.so"}}, "env.denied", id="ld-preload"),
        pytest.param(
            {"sandbox": {"enabled": True, "image": "docker.io/attacker/sandbox:latest"}},
            "image.registry",
            id="foreign-image",
        ),
        pytest.param(
            {"sandbox": {"enabled": True, "resources": {"limits": {"cpu": "8"}}}},
            "resources.exceeds",
            id="too-much-cpu",
        ),
        pytest.param({"toolPolicy": {"allow": ["write_file"]}}, "tool.denied", id="write-file"),
        pytest.param(
            {"lifecycle": {"rbac": [{"apiGroups": [""], "resources": ["secrets"], "verbs": ["get"]}]}},
            "rbac.denied_resource",
            id="hook-reads-secrets",
        ),
    ],
)
def test_run_is_denied(policy, change, code):
    decision = policy.evaluate(agent_run(**change))
    assert not decision.allowed
    assert decision.result == "denied"
    # Every reason is listed; check ours is among them, and where it points.
    assert code in [v["code"] for v in decision.violations], decision.violations


@pytest.mark.parametrize(
    "tool, expected",
    [
        ("read_file", "allow"),
        ("execute_command", "ask"),
        ("write_file", "deny"),
        ("fetch_url", "deny"),  # not listed: defaultAction
    ],
)
def test_tool_gating(policy, tool, expected):
    assert policy.tool_decision(tool) == expected


def test_the_run_can_only_narrow_tools(policy):
    run = agent_run(toolPolicy={"allow": ["read_file"], "deny": ["read_file"]})
    assert policy.tool_decision("read_file", run=run) == "deny"


def test_privileged_pods_are_refused(policy):
    pod = {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": "debug", "namespace": "agents"},
        "spec": {
            "containers": [
                {
                    "name": "shell",
                    "image": "ghcr.io/sympozium-ai/tools:v1",
                    "securityContext": {"privileged": True},
                }
            ]
        },
    }
    decision = sympozium.evaluate_pod(pod, policy=policy)
    assert "pod.privileged" in [v["code"] for v in decision.violations]
