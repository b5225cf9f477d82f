"""pytest plugin: sympozium test files (docs/testing.md) as pytest items.

    pytest -p sympozium.pytest_plugin policy-tests/

collects every `sympozium-test.yaml` and `*.sympozium-test.yaml`, one item
per expected result, named FILE::TESTNAME::KIND/NAMESPACE/NAME (or
FILE::TESTNAME::tool/NAME); a result listed twice in one suite gets its
line appended ("...::tool/NAME[line 40]"). A failed item shows expected
against actual. Installed with the package, the plugin loads by itself
(a `pytest11` entry point).

Fixtures for hand-written tests: `sympozium_policy(path_or_preset)` and
`sympozium_cluster(paths)`, paths relative to the test's own file; see
sympozium.testing for assertions that print the violations.
"""

import os
import pathlib

import pytest

import sympozium

_DOCUMENT_SUFFIXES = (".yaml", ".yml", ".json")


def _is_test_file(path: pathlib.Path) -> bool:
    return path.name == "sympozium-test.yaml" or path.name.endswith(".sympozium-test.yaml")


def pytest_collect_file(file_path, parent):
    if _is_test_file(file_path):
        return SuiteFile.from_parent(parent, path=file_path)
    return None


class ResultFailed(Exception):
    """A result that is not as its test file expects."""


class SuiteFile(pytest.File):
    """One test file; its suite is the only child."""

    def collect(self):
        try:
            report = sympozium.run_test_file(str(self.path))
        except sympozium.PolicyError as e:
            raise self.CollectError(str(e)) from e
        yield Suite.from_parent(self, name=report["name"], report=report)


class Suite(pytest.Collector):
    """The suite of a test file (metadata.name): one item per result."""

    def __init__(self, *, report, **kwargs):
        super().__init__(**kwargs)
        self.report = report

    def collect(self):
        seen = set()
        for result in self.report["results"]:
            name = result["id"]
            if name in seen:
                name = f"{name}[line {result['line']}]"
            seen.add(name)
            yield ResultItem.from_parent(self, name=name, result=result)


class ResultItem(pytest.Item):
    """One expected result; passes when evaluation gave what it expects."""

    def __init__(self, *, result, **kwargs):
        super().__init__(**kwargs)
        self.result = result

    def runtest(self):
        if not self.result["passed"]:
            raise ResultFailed(self.result["message"])

    def repr_failure(self, excinfo, style=None):
        if not isinstance(excinfo.value, ResultFailed):
            return super().repr_failure(excinfo, style)
        r = self.result
        return "\n".join([
            f"{r['file']}:{r['line']}: {r['id']} under {r['policy']}",
            f"  expected: {r['expected']['text']}",
            f"  actual:   {r['actual']['text']}",
            f"  {r['message']}",
        ])

    def reportinfo(self):
        return self.path, self.result["line"] - 1, f"{self.parent.name}::{self.name}"


def _resolver(request):
    base = pathlib.Path(str(request.node.path)).parent

    def resolve(path):
        p = pathlib.Path(os.fspath(path))
        return p if p.is_absolute() else base / p

    return resolve


@pytest.fixture
def sympozium_policy(request):
    """A function: sympozium_policy("policy.yaml") compiles that file
    (relative to the test file); sympozium_policy("restrictive") is the
    built-in preset. `mode` is "strict" (default) or "compat"."""
    resolve = _resolver(request)

    def load(path_or_preset, mode="strict"):
        text = os.fspath(path_or_preset)
        if text.endswith(_DOCUMENT_SUFFIXES) or os.sep in text or resolve(text).exists():
            return sympozium.Policy.from_file(str(resolve(text)), mode=mode)
        return sympozium.Policy.preset(text, mode=mode)

    return load


@pytest.fixture
def sympozium_cluster(request):
    """A function: sympozium_cluster(["cluster/", "agents.yaml"]) is a
    sympozium.Cluster of every Agent, SympoziumPolicy and SkillPack in those
    files (directories searched recursively for *.yaml, *.yml, *.json),
    relative to the test file. One path may be given without a list."""
    resolve = _resolver(request)

    def load(paths):
        if isinstance(paths, (str, os.PathLike)):
            paths = [paths]
        cluster = sympozium.Cluster()
        for path in paths:
            for file in _document_files(resolve(path)):
                cluster.add_file(str(file))
        return cluster

    return load


def _document_files(path: pathlib.Path):
    if not path.is_dir():
        return [path]
    found = []
    for root, dirs, files in os.walk(path):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        found.extend(pathlib.Path(root) / f for f in files
                     if f.endswith(_DOCUMENT_SUFFIXES) and not f.startswith("."))
    return sorted(found)
