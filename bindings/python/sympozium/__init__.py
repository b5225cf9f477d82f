"""Compile SympoziumPolicy documents and decide on AgentRuns, SkillPacks and pods.

    >>> import sympozium
    >>> policy = sympozium.Policy.preset("restrictive")
    >>> policy.tool_decision("execute_command")
    'ask'
    >>> decision = policy.evaluate(open("run.yaml").read())
    >>> decision.allowed, decision.code, decision.violations

Documents are str or bytes (YAML or JSON) or dicts. Errors raise
PolicyError, a ValueError carrying the document path of the field at fault.
"""

from ._errors import PolicyError
from ._lint import lint
from ._sympozium import (
    Cluster,
    ClusterStore,
    Decision,
    ModelVerification,
    Mutation,
    NetworkPolicy,
    Policy,
    RbacResult,
    __version__,
    admission_review,
    admit_start,
    default_limits,
    evaluate,
    evaluate_pod,
    evaluate_pod_security,
    explain_tool,
    find_test_files,
    mutate,
    presets,
    rbac_for,
    rbac_for_result,
    run_test_file,
    tool_decision,
    verify_model,
)
from ._types import Finding, Violation

__all__ = [
    "Cluster",
    "ClusterStore",
    "Decision",
    "Finding",
    "ModelVerification",
    "Mutation",
    "NetworkPolicy",
    "Policy",
    "PolicyError",
    "RbacResult",
    "__version__",
    "admission_review",
    "admit_start",
    "default_limits",
    "evaluate",
    "evaluate_pod",
    "evaluate_pod_security",
    "explain_tool",
    "find_test_files",
    "mutate",
    "presets",
    "rbac_for",
    "rbac_for_result",
    "lint",
    "run_test_file",
    "tool_decision",
    "verify_model",
    "Violation",
]
