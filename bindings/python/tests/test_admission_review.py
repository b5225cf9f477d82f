"""sympozium.admission_review: AdmissionReviews answered as the webhook answers them."""

import base64
import json

import pytest

import sympozium

from conftest import AGENT, POLICY, REPO

LABELLED_JOB = REPO / "tests" / "admission" / "labelled_job"


def review(obj, uid="u-1", namespace="default", **request):
    return {"apiVersion": "admission.k8s.io/v1", "kind": "AdmissionReview",
            "request": dict({"uid": uid, "operation": "CREATE", "namespace": namespace,
                             "object": obj}, **request)}


def bad_run():
    """Denied by team-policy: no sandbox although required, and PATH overridden."""
    return {"apiVersion": "sympozium.ai/v1alpha1", "kind": "AgentRun",
            "metadata": {"name": "r2"},
            "spec": {"agentRef": "alice", "task": "x", "env": {"PATH": "/evil"}}}


@pytest.fixture
def cluster():
    return sympozium.Cluster(AGENT + "---\n" + POLICY)


def test_deny_echoes_the_uid_and_reports_every_violation(cluster):
    answer = sympozium.admission_review(review(bad_run()), cluster=cluster)
    assert answer["apiVersion"] == "admission.k8s.io/v1"
    assert "httpStatus" not in answer
    resp = answer["response"]
    assert resp["uid"] == "u-1"
    assert resp["allowed"] is False
    assert resp["status"]["code"] == 403
    assert resp["status"]["message"] == "sandbox is required by policy"
    assert [w for w in resp["warnings"] if w.startswith("also: ")] == [
        'also: environment variable "PATH" is not allowed: overriding system variables is '
        "denied [env.denied]"]


def test_str_bytes_and_dict_give_the_same_answer(cluster):
    as_dict = sympozium.admission_review(review(bad_run()), cluster=cluster)
    text = json.dumps(review(bad_run()))
    assert sympozium.admission_review(text, cluster=cluster) == as_dict
    assert sympozium.admission_review(text.encode(), cluster=cluster) == as_dict


def test_warn_and_audit_allow(cluster):
    warned = sympozium.admission_review(review(bad_run()), cluster=cluster, enforcement="warn")
    assert warned["response"]["allowed"] is True
    assert warned["response"]["warnings"][:2] == [
        "[would deny] sandbox is required by policy [sandbox.required]",
        '[would deny] environment variable "PATH" is not allowed: overriding system variables '
        "is denied [env.denied]"]
    audited = sympozium.admission_review(review(bad_run()), cluster=cluster, enforcement="audit")
    assert audited["response"] == {"uid": "u-1", "allowed": True, "status": {"code": 200}}


def test_shadow_mode_reports_a_disagreement(cluster):
    run = {"apiVersion": "sympozium.ai/v1alpha1", "kind": "AgentRun",
           "metadata": {"name": "r", "namespace": "default"},
           "spec": {"agentRef": "alice", "task": "t", "sandbox": {"enabled": True},
                    "env": {"LD_AUDIT": "x"}}}
    answer = sympozium.admission_review(review(run), cluster=cluster, mode="compat",
                                        shadow_mode="strict")
    assert answer["response"]["allowed"] is True
    assert answer["response"]["warnings"][-1] == "[shadow strict] would deny [env.denied]"


def test_mutate_answers_a_base64_patch(cluster):
    answer = sympozium.admission_review(review(bad_run()), cluster=cluster, endpoint="mutate")
    resp = answer["response"]
    assert resp["allowed"] is True and resp["patchType"] == "JSONPatch"
    ops = json.loads(base64.b64decode(resp["patch"]))
    assert {"op": "add", "path": "/spec/sandbox", "value": {"enabled": True}} in ops


def test_a_labelled_job_gets_its_agents_policy():
    cluster = sympozium.Cluster((LABELLED_JOB / "cluster.yaml").read_text())
    import yaml
    job = yaml.safe_load((LABELLED_JOB / "job.yaml").read_text())
    resp = sympozium.admission_review(review(job), cluster=cluster)["response"]
    assert resp["status"]["code"] == 403
    assert len([w for w in resp.get("warnings", []) if w.startswith("also: ")]) == 3
    # evaluate with the same cluster binds the same policy.
    decision = sympozium.evaluate(job, cluster=cluster)
    assert [v["code"] for v in decision.violations] == [
        "image.registry", "env.denied", "sandbox.required", "agent_sandbox.runtime_class"]


def test_no_cluster_is_an_empty_one():
    resp = sympozium.admission_review(review(bad_run()))["response"]
    assert resp["allowed"] is False and resp["status"]["code"] == 400


@pytest.mark.parametrize("body", ["not json", b"[]", {"apiVersion": "v1", "kind": "Pod"},
                                  {"apiVersion": "admission.k8s.io/v1",
                                   "kind": "AdmissionReview", "request": {}}])
@pytest.mark.parametrize("enforcement", ["deny", "warn", "audit"])
def test_a_malformed_review_is_an_http_error_never_an_allow(body, enforcement):
    answer = sympozium.admission_review(body, enforcement=enforcement)
    assert answer["httpStatus"] == 400
    assert answer["kind"] == "Status" and answer["code"] == 400 and answer["message"]


def test_bad_arguments_raise():
    with pytest.raises(ValueError):
        sympozium.admission_review("{}", enforcement="maybe")
    with pytest.raises(ValueError):
        sympozium.admission_review("{}", shadow_mode="lenient")
    with pytest.raises(ValueError):
        sympozium.admission_review("{}", endpoint="delete")
    with pytest.raises(TypeError):
        sympozium.admission_review(42)
