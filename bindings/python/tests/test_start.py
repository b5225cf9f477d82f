"""Run-start checks (docs/start.md) through admit_start.

Mirrors tests/unit/start_test.cc: each rule in compat and strict, with its
code, message and path, through Policy.admit_start and sympozium.admit_start.
"""

import json

import pytest

import sympozium

POLICY_FAILED = "policy validation failed: "
GATE_FAILED = "gate hook validation failed: "
MODES = ["compat", "strict"]


def subagent_policy(max_depth, max_concurrent):
    return sympozium.Policy.from_dict({
        "apiVersion": "sympozium.ai/v1alpha1",
        "kind": "SympoziumPolicy",
        "metadata": {"name": "p", "namespace": "ns"},
        "spec": {"subagentPolicy": {"maxDepth": max_depth, "maxConcurrent": max_concurrent}},
    })


def run(with_task=True, **spec):
    """An AgentRun of Agent alice in namespace ns."""
    body = {"agentRef": "alice"}
    if with_task:
        body["task"] = "summarise the logs"
    body.update(spec)
    return {
        "apiVersion": "sympozium.ai/v1alpha1",
        "kind": "AgentRun",
        "metadata": {"name": "r", "namespace": "ns"},
        "spec": body,
    }


def child(depth, **spec):
    return run(parent={"runName": "boss", "sessionKey": "s", "spawnDepth": depth}, **spec)


def check_denied(d, code, message, path):
    assert (d.allowed, d.result, d.status) == (False, "denied", 403)
    assert d.code == code
    assert d.message == message
    assert d.violations[0]["path"] == path


@pytest.mark.parametrize("mode", MODES)
def test_null_task_fails_first(mode):
    p = subagent_policy(3, 5)
    for doc in (run(with_task=False), run(with_task=False, task=None)):
        check_denied(p.admit_start(doc, mode=mode), "start.no_task", "spec.task is required",
                     "spec.task")
    assert p.admit_start(run(with_task=False, task={"mode": "sidecar-driven"}), mode=mode).allowed
    d = p.admit_start(
        run(with_task=False, parent={"runName": "boss", "sessionKey": "s", "spawnDepth": 9}),
        mode=mode)
    assert [v["code"] for v in d.violations] == ["start.no_task", "start.depth"]


def test_compat_depth_has_no_zero_guard():
    p = subagent_policy(3, 5)
    assert p.admit_start(child(3), mode="compat").allowed  # admission would refuse 3
    check_denied(p.admit_start(child(4), mode="compat"), "start.depth",
                 POLICY_FAILED + "sub-agent depth 4 exceeds max 3", "spec.parent.spawnDepth")
    zero = subagent_policy(0, 5)
    check_denied(zero.admit_start(child(1), mode="compat"), "start.depth",
                 POLICY_FAILED + "sub-agent depth 1 exceeds max 0", "spec.parent.spawnDepth")
    assert zero.admit_start(child(0), mode="compat").allowed


def test_strict_depth_is_admissions_rule():
    p = subagent_policy(3, 5)
    assert p.admit_start(child(2)).allowed
    check_denied(p.admit_start(child(3)), "start.depth",
                 POLICY_FAILED + "sub-agent depth 3 exceeds maximum 3", "spec.parent.spawnDepth")
    assert subagent_policy(0, 5).admit_start(child(7)).allowed  # maxDepth 0: no limit


def test_compat_concurrency_counts_every_running_run_of_the_agent():
    p = subagent_policy(3, 5)
    assert p.admit_start(run(), running_for_agent=4, mode="compat").allowed
    check_denied(p.admit_start(run(), running_for_agent=5, mode="compat"), "start.concurrency",
                 POLICY_FAILED + "concurrency limit reached: 5/5", "spec.agentRef")
    check_denied(
        p.admit_start(child(1), running_for_agent=7, running_children_of_parent=0,
                      mode="compat"),
        "start.concurrency", POLICY_FAILED + "concurrency limit reached: 7/5", "spec.agentRef")
    check_denied(subagent_policy(3, 0).admit_start(run(), mode="compat"), "start.concurrency",
                 POLICY_FAILED + "concurrency limit reached: 0/0", "spec.agentRef")


def test_compat_skips_concurrency_when_the_count_is_unknown():
    d = subagent_policy(3, 0).admit_start(run(), running_for_agent=None, mode="compat")
    assert d.allowed and d.message == "run may start"
    assert [w["code"] for w in d.warnings] == ["start.concurrency_skipped"]


def test_strict_concurrency_bounds_only_child_runs():
    p = subagent_policy(3, 3)
    assert p.admit_start(run(), running_for_agent=100).allowed
    assert p.admit_start(child(1), running_for_agent=100, running_children_of_parent=2).allowed
    check_denied(p.admit_start(child(1), running_children_of_parent=3), "start.concurrency",
                 POLICY_FAILED + "concurrency limit reached: 3/3", "spec.parent.runName")
    none_allowed = subagent_policy(3, 0)
    check_denied(none_allowed.admit_start(child(1)), "start.concurrency",
                 POLICY_FAILED + "concurrency limit reached: 0/0", "spec.parent.runName")
    assert none_allowed.admit_start(run()).allowed


def test_strict_refuses_a_child_whose_siblings_are_unknown():
    p = subagent_policy(3, 3)
    d = p.admit_start(child(1), running_children_of_parent=None)
    assert (d.allowed, d.result, d.status, d.code) == (
        False, "error", 500, "start.concurrency_unknown")
    assert d.message == (POLICY_FAILED + 'the Running children of parent "boss" are unknown, '
                         "so the concurrency limit cannot be checked")
    assert p.admit_start(run(), running_children_of_parent=None).allowed  # not a child


@pytest.mark.parametrize("mode", MODES)
def test_gate_hook_rules_with_and_without_a_policy(mode):
    pre = {"preRun": [{"name": "fetch", "image": "busybox", "gate": True},
                      {"name": "plain", "image": "busybox"},
                      {"name": "check", "image": "busybox", "gate": True}]}
    three_post = {"postRun": [{"name": n, "image": "busybox", "gate": n != "b"}
                              for n in "abcd"]}
    one_post = {"postRun": [{"name": "a", "image": "busybox", "gate": True},
                            {"name": "b", "image": "busybox"}]}
    p = subagent_policy(3, 5)
    for start in (lambda doc: p.admit_start(doc, mode=mode),
                  lambda doc: sympozium.admit_start(doc, mode=mode)):
        d = start(run(lifecycle=pre))
        check_denied(d, "start.gate_hook",
                     GATE_FAILED + 'gate: true is only valid on postRun hooks, not preRun '
                     '(hook "fetch")', "spec.lifecycle.preRun[0].gate")
        assert d.violations[1]["path"] == "spec.lifecycle.preRun[2].gate"
        check_denied(start(run(lifecycle=three_post)), "start.gate_hook",
                     GATE_FAILED + "at most one postRun hook may set gate: true, found 3",
                     "spec.lifecycle.postRun[2].gate")
        assert start(run(lifecycle=one_post)).allowed
    assert sympozium.admit_start(run(lifecycle=one_post)).message == "no policy bound"


AGENT = {"apiVersion": "sympozium.ai/v1alpha1", "kind": "Agent",
         "metadata": {"name": "alice", "namespace": "ns"}, "spec": {"policyRef": "team"}}
TEAM = {"apiVersion": "sympozium.ai/v1alpha1", "kind": "SympoziumPolicy",
        "metadata": {"name": "team", "namespace": "ns"},
        "spec": {"subagentPolicy": {"maxDepth": 2, "maxConcurrent": 1}}}


@pytest.mark.parametrize("mode", MODES)
def test_lookups_in_a_cluster(mode):
    d = sympozium.admit_start(run(), cluster=sympozium.Cluster(), mode=mode)
    assert (d.result, d.status, d.code) == ("error", 400, "agent.not_found")
    assert d.message == (POLICY_FAILED + 'instance "alice" not found: '
                         'agents.sympozium.ai "alice" not found')
    d = sympozium.admit_start(run(), cluster=sympozium.Cluster(AGENT), mode=mode)
    assert (d.result, d.status, d.code) == ("error", 500, "policy.not_found")
    bound = sympozium.Cluster([AGENT, TEAM])
    assert sympozium.admit_start(run(), cluster=bound, mode=mode).allowed
    assert sympozium.admit_start(child(3), cluster=bound, mode=mode).code == "start.depth"
    # A direct policy skips the lookups.
    assert sympozium.admit_start(run(), policy=subagent_policy(3, 5),
                                 cluster=sympozium.Cluster(), mode=mode).allowed


def test_inputs_and_errors():
    p = subagent_policy(3, 5)
    doc = child(4)
    answers = {p.admit_start(d, mode="compat").to_json()
               for d in (doc, json.dumps(doc), json.dumps(doc).encode())}
    assert len(answers) == 1
    skill_pack = {"apiVersion": "sympozium.ai/v1alpha1", "kind": "SkillPack",
                  "metadata": {"name": "s"}}
    assert p.admit_start(skill_pack).code == "decode.error"
    with pytest.raises(sympozium.PolicyError):
        p.admit_start("{")  # unreadable text raises, as in evaluate
    with pytest.raises(ValueError, match=">= 0"):
        p.admit_start(run(), running_for_agent=-1)
    with pytest.raises(TypeError):
        p.admit_start(run(), 3)  # the counts are keyword-only
    with pytest.raises(ValueError, match="mode"):
        sympozium.admit_start(run(), mode="lenient")
