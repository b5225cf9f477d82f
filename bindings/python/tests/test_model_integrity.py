"""Model integrity: Model admission through evaluate, and verify_model on
files written here."""

import hashlib
import json

import pytest

import sympozium
from conftest import gil_free_share

ABC = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"


def model(url="https://models.example.com/llama.gguf", sha256=None):
    source = {"url": url}
    if sha256 is not None:
        source["sha256"] = sha256
    return {"apiVersion": "sympozium.ai/v1alpha1", "kind": "Model",
            "metadata": {"name": "llama", "namespace": "ai"}, "spec": {"source": source}}


@pytest.fixture
def abc_file(tmp_path):
    path = tmp_path / "model.bin"
    path.write_bytes(b"abc")
    return str(path)


def test_match_with_a_bare_digest(abc_file):
    v = sympozium.verify_model(abc_file, ABC.upper())
    assert v.match and v.status == "match"
    assert (v.expected, v.actual, v.bytes) == (ABC, ABC, 3)
    assert v.to_dict() == json.loads(v.to_json()) == {
        "status": "match", "match": True, "expected": ABC, "actual": ABC, "bytes": 3,
        "error": ""}
    assert "match" in repr(v)


def test_match_with_a_model_document(abc_file):
    for doc in (model(sha256=ABC), json.dumps(model(sha256=ABC))):
        assert sympozium.verify_model(abc_file, model=doc).match


def test_mismatch_reports_both_digests(tmp_path):
    data = bytes(range(256)) * 5000  # more than one read buffer
    path = tmp_path / "big.bin"
    path.write_bytes(data)
    v = sympozium.verify_model(str(path), ABC)
    assert not v.match and v.status == "mismatch"
    assert v.expected == ABC
    assert v.actual == hashlib.sha256(data).hexdigest()
    assert v.bytes == len(data)
    assert sympozium.verify_model(str(path), hashlib.sha256(data).hexdigest()).match


def test_missing_file_raises(tmp_path):
    with pytest.raises(sympozium.PolicyError, match="missing.bin") as e:
        sympozium.verify_model(str(tmp_path / "missing.bin"), ABC)
    assert e.value.code == "model.read_error"


def test_bad_digest_raises_before_reading(tmp_path):
    missing = str(tmp_path / "missing.bin")
    with pytest.raises(sympozium.PolicyError, match="64 hex characters, got 3") as e:
        sympozium.verify_model(missing, "abc")
    assert (e.value.code, e.value.path) == ("model.sha256_invalid", "spec.source.sha256")
    with pytest.raises(sympozium.PolicyError, match="no spec.source.sha256"):
        sympozium.verify_model(missing, model=model())


def test_arguments(abc_file):
    with pytest.raises(ValueError, match="exactly one"):
        sympozium.verify_model(abc_file)
    with pytest.raises(ValueError, match="exactly one"):
        sympozium.verify_model(abc_file, ABC, model=model(sha256=ABC))
    with pytest.raises(sympozium.PolicyError, match="Model"):
        sympozium.verify_model(abc_file, model={"apiVersion": "v1", "kind": "Pod"})


def test_model_admission_through_evaluate():
    d = sympozium.evaluate(model(url="http://files.example.com/llama.gguf", sha256="abc"))
    assert [v["code"] for v in d.violations] == ["model.url_insecure", "model.sha256_invalid"]
    assert d.violations[1]["path"] == "spec.source.sha256"
    compat = sympozium.evaluate(model(url="http://files.example.com/x", sha256=ABC),
                                mode="compat")
    assert compat.allowed and compat.message == "model validated"


def test_gil_is_released_while_hashing(tmp_path):
    path = tmp_path / "sparse.bin"
    with open(path, "wb") as f:
        f.truncate(64 << 20)  # sparse: no disk used, still hashed byte by byte
    share, v = gil_free_share(lambda: sympozium.verify_model(str(path), "0" * 64))
    assert v.bytes == 64 << 20 and not v.match
    assert share > 0.2, share
