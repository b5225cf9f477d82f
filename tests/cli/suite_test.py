"""`sympozium-policy test` end to end on examples/policy-tests.

Usage: suite_test.py SYMPOZIUM_POLICY EXAMPLE_DIR GROUP
  passing   the example suite exits 0
  changed   one expected result changed: exit 1, text shows expected vs
            actual, the JUnit XML has exactly one failed testcase
  malformed a test file with an unknown field: exit 2 naming file:line:col
"""

import pathlib
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

BINARY, EXAMPLE, GROUP = sys.argv[1], pathlib.Path(sys.argv[2]), sys.argv[3]


def run(*args):
    return subprocess.run([BINARY, "test", *args], capture_output=True, text=True, timeout=120)


def check(condition, what, result):
    if not condition:
        sys.exit(f"FAIL: {what}\nstdout:\n{result.stdout}\nstderr:\n{result.stderr}")


def copy_with(test_text):
    tmp = pathlib.Path(tempfile.mkdtemp(prefix="sympozium-suite-"))
    dest = tmp / "suite"
    shutil.copytree(EXAMPLE, dest)
    (dest / "sympozium-test.yaml").write_text(test_text)
    return tmp, dest


def passing():
    r = run(str(EXAMPLE))
    check(r.returncode == 0, "the example suite passes", r)
    check("Test summary: 8 passed, 0 failed" in r.stdout, "summary line", r)


def changed():
    text = (EXAMPLE / "sympozium-test.yaml").read_text()
    wrong = text.replace("decision: deny", "decision: allow", 1)
    assert wrong != text
    tmp, suite = copy_with(wrong)
    try:
        r = run(str(suite))
        check(r.returncode == 1, "a wrong expectation exits 1", r)
        check("Fail   tool/fetch_url" in r.stdout, "the failed row is in the table", r)
        check("expected allow, got deny" in r.stdout, "expected vs actual", r)
        check("7 passed, 1 failed" in r.stdout, "summary line", r)
        r = run("-o", "junit", str(suite))
        check(r.returncode == 1, "junit exits 1 too", r)
        cases = ET.fromstring(r.stdout).findall(".//testcase")
        failed = [c for c in cases if c.find("failure") is not None]
        check(len(cases) == 8, "one testcase per result", r)
        check([c.get("name") for c in failed] == ["tool/fetch_url"], "exactly one failure", r)
        r = run("--fail-only", str(suite))
        check("Pass" not in r.stdout and "Fail" in r.stdout, "--fail-only", r)
    finally:
        shutil.rmtree(tmp)


def malformed():
    text = (EXAMPLE / "sympozium-test.yaml").read_text()
    tmp, suite = copy_with(text.replace("    result: allowed", "    reslt: allowed", 1))
    try:
        r = run(str(suite))
        check(r.returncode == 2, "a malformed test file exits 2", r)
        check(f"{suite}/sympozium-test.yaml:15:5: results[0].reslt: unknown field" in r.stderr,
              "file:line:col and the field", r)
    finally:
        shutil.rmtree(tmp)


{"passing": passing, "changed": changed, "malformed": malformed}[GROUP]()
