"""`pip install .` into a fresh virtual environment, offline, with Debian's
setuptools and wheel (no build isolation, no index); then the API tests run
against the installed package, not the build tree.

setup.py builds the extension through CMake; here it builds it in the test
suite's own build directory (SYMPOZIUM_CMAKE_BUILD_DIR), where it is already
up to date, rather than compiling the library a second time. One test;
SYMPOZIUM_SKIP_PIP_TEST=1 skips it, and only that.
"""

import os
import subprocess
import sys

import pytest

SOURCE = os.environ.get("SYMPOZIUM_SOURCE_DIR") or os.path.abspath(
    os.path.join(os.path.dirname(__file__), "..", "..", ".."))


@pytest.mark.skipif(os.environ.get("SYMPOZIUM_SKIP_PIP_TEST") == "1",
                    reason="SYMPOZIUM_SKIP_PIP_TEST=1")
def test_pip_install_into_venv(tmp_path):
    venv = tmp_path / "venv"
    subprocess.run(["/usr/bin/python3", "-m", "venv", "--system-site-packages", str(venv)],
                   check=True)
    python = str(venv / "bin" / "python3")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env["PIP_NO_INPUT"] = "1"
    subprocess.run([python, "-m", "pip", "install", "--no-build-isolation", "--no-index",
                    "--no-cache-dir", "-q", SOURCE], check=True, env=env, cwd=str(tmp_path))
    where = subprocess.run([python, "-c", "import sympozium; print(sympozium.__file__)"],
                           check=True, env=env, cwd=str(tmp_path), capture_output=True,
                           text=True).stdout.strip()
    assert where.startswith(str(venv)), where
    tests = os.path.join(SOURCE, "bindings", "python", "tests")
    subprocess.run([python, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                    os.path.join(tests, "test_api.py")], check=True, env=env, cwd=str(tmp_path))
