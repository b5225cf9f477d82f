"""Shared fixtures: where the test data is, and small documents."""

import os
import pathlib
import sys
import threading
import time

import pytest

# The fixtures of the package's pytest plugin (test_pytest_plugin.py).
pytest_plugins = ["sympozium.pytest_plugin"]

REPO = pathlib.Path(__file__).resolve().parents[3]

# tests/shared: fixtures and conformance cases (SYMPOZIUM_TEST_DATA from ctest,
# else the in-repo copy).
DATA = pathlib.Path(os.environ.get("SYMPOZIUM_TEST_DATA", REPO / "tests" / "shared"))

POLICY = """\
apiVersion: sympozium.ai/v1alpha1
kind: SympoziumPolicy
metadata: {name: team-policy, namespace: default}
spec:
  sandboxPolicy: {required: true, maxCPU: 2}
  toolGating:
    defaultAction: deny
    rules:
      - {tool: read_file, action: allow}
      - {tool: execute_command, action: ask}
      - {tool: read_file, action: allow}
  lifecyclePolicy: {deniedResources: [secrets]}
"""

AGENT = """\
apiVersion: sympozium.ai/v1alpha1
kind: Agent
metadata: {name: alice, namespace: default}
spec: {policyRef: team-policy}
"""


def run_doc(name="r1", **spec):
    """An AgentRun dict for agent alice in namespace default."""
    body = {"agentRef": "alice", "task": "review the pull request"}
    body.update(spec)
    return {
        "apiVersion": "sympozium.ai/v1alpha1",
        "kind": "AgentRun",
        "metadata": {"name": name, "namespace": "default"},
        "spec": body,
    }


@pytest.fixture
def policy():
    import sympozium

    return sympozium.Policy.from_yaml(POLICY)


@pytest.fixture
def cluster():
    import sympozium

    return sympozium.Cluster([AGENT, POLICY])


def gil_free_share(call):
    """How much of its free pace a counting thread keeps while `call()` runs
    (near 0 if `call` holds the GIL, since a short switch interval then
    gives the counter at most one interval), and `call`'s result.

    The best of three tries, so a load spike on a shared machine does not
    fail a binding that lets the GIL go."""
    best, result = 0.0, None
    interval = sys.getswitchinterval()
    sys.setswitchinterval(0.0005)
    try:
        for _ in range(3):
            ticks, stop = 0, False

            def count():
                nonlocal ticks
                while not stop:
                    ticks += 1

            counter = threading.Thread(target=count)
            counter.start()
            try:
                # The counter's pace while this thread sleeps (GIL free)...
                start, t0 = ticks, time.perf_counter()
                time.sleep(0.05)
                free_rate = (ticks - start) / (time.perf_counter() - t0)
                # ...and while `call` runs.
                start, t0 = ticks, time.perf_counter()
                result = call()
                elapsed = time.perf_counter() - t0
                during = ticks - start
            finally:
                stop = True
                counter.join()
            assert elapsed > 0.02, "call too short to measure"
            best = max(best, during / (free_rate * elapsed))
            if best > 0.2:
                break
    finally:
        sys.setswitchinterval(interval)
    return best, result
