"""Shared fixtures: where the test data is, and small documents."""

import os
import pathlib

import pytest

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
