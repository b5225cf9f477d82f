"""sympozium.ClusterStore: upsert, remove, immutable snapshots, broken objects."""

import threading

import pytest

import sympozium

AGENT = {
    "apiVersion": "sympozium.ai/v1alpha1",
    "kind": "Agent",
    "metadata": {"name": "alice", "namespace": "default"},
    "spec": {"policyRef": "team"},
}

POLICY = """\
apiVersion: sympozium.ai/v1alpha1
kind: SympoziumPolicy
metadata: {name: team, namespace: default}
spec:
  sandboxPolicy: {required: true}
"""

BROKEN_POLICY = """\
apiVersion: sympozium.ai/v1alpha1
kind: SympoziumPolicy
metadata: {name: team, namespace: default}
spec: {sandboxPolicy: {required: [not, a, bool]}}
"""

SANDBOXED_RUN = {
    "apiVersion": "sympozium.ai/v1alpha1",
    "kind": "AgentRun",
    "metadata": {"name": "r", "namespace": "default"},
    "spec": {"agentRef": "alice", "task": "t", "sandbox": {"enabled": True}},
}

BARE_RUN = {
    "apiVersion": "sympozium.ai/v1alpha1",
    "kind": "AgentRun",
    "metadata": {"name": "r", "namespace": "default"},
    "spec": {"agentRef": "alice", "task": "t"},
}


def decide(cluster, run=SANDBOXED_RUN):
    return sympozium.evaluate(run, cluster=cluster)


def test_upsert_then_runs_are_decided_by_the_policy():
    store = sympozium.ClusterStore()
    assert decide(store.snapshot()).code == "agent.not_found"
    assert store.upsert(AGENT) is None
    assert store.upsert(POLICY) is None
    snap = store.snapshot()
    assert decide(snap).allowed
    assert decide(snap, BARE_RUN).code == "sandbox.required"
    assert snap.agent_count == 1 and snap.policy_count == 1


def test_snapshots_are_immutable_and_numbered():
    store = sympozium.ClusterStore()
    empty = store.snapshot()
    store.upsert([AGENT, POLICY])
    full = store.snapshot()
    assert full.generation > empty.generation >= 1
    assert store.generation == full.generation
    assert decide(empty).code == "agent.not_found"
    assert store.remove("SympoziumPolicy", "default", "team")
    assert not store.remove("SympoziumPolicy", "default", "team")
    assert decide(full).allowed  # the snapshot taken before the removal
    assert decide(store.snapshot()).code == "policy.not_found"
    with pytest.raises(ValueError):
        full.add(AGENT)
    assert sympozium.Cluster().generation == 0


def test_broken_policy_is_an_error_naming_it():
    store = sympozium.ClusterStore()
    store.upsert([AGENT, POLICY])
    error = store.upsert(BROKEN_POLICY)
    assert error is not None and "required" in error
    assert [b["name"] for b in store.broken] == ["team"]
    assert store.broken[0]["kind"] == "SympoziumPolicy"
    d = decide(store.snapshot())
    assert not d.allowed
    assert d.result == "error"
    assert d.code == "policy.invalid"
    assert "SympoziumPolicy default/team" in d.message
    assert store.snapshot().broken == store.broken
    # Fixed again: usable, no longer reported.
    assert store.upsert(POLICY) is None
    assert store.broken == []
    assert decide(store.snapshot()).allowed


def test_broken_agent_is_an_error():
    store = sympozium.ClusterStore()
    store.upsert(POLICY)
    bad = dict(AGENT, spec={"policyRef": ["not", "a", "string"]})
    assert store.upsert(bad) is not None
    d = decide(store.snapshot())
    assert d.result == "error" and d.code == "agent.invalid"


def test_nothing_stored_on_duplicate_or_other_kind():
    store = sympozium.ClusterStore()
    before = store.generation
    with pytest.raises(sympozium.PolicyError, match="also defined"):
        store.upsert([AGENT, AGENT])
    with pytest.raises(sympozium.PolicyError, match="ConfigMap"):
        store.upsert({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "x"}})
    with pytest.raises(sympozium.PolicyError):
        store.upsert("kind: Agent\nspec: [unclosed\n")
    assert store.generation == before
    assert store.snapshot().agent_count == 0


def test_strict_store_reports_compat_only_policy():
    loose = POLICY.replace("sandboxPolicy: {required: true}",
                           "toolGating: {rules: [{tool: x, action: maybe}]}")
    assert "strict" in sympozium.ClusterStore().upsert(loose)
    assert sympozium.ClusterStore(mode="compat").upsert(loose) is None


def test_readers_and_a_writer():
    # Each snapshot is either with or without the policy, never half of it.
    store = sympozium.ClusterStore()
    store.upsert(AGENT)
    stop = threading.Event()
    bad = []

    def read():
        while not stop.is_set():
            code = decide(store.snapshot(), BARE_RUN).code
            if code not in ("sandbox.required", "policy.not_found"):
                bad.append(code)

    readers = [threading.Thread(target=read) for _ in range(3)]
    for r in readers:
        r.start()
    for _ in range(200):
        store.upsert(POLICY)
        store.remove("SympoziumPolicy", "default", "team")
    stop.set()
    for r in readers:
        r.join()
    assert bad == []
