"""Builds sympozium._sympozium with CMake for setuptools (see pyproject.toml).

Only the extension's target is built, in Release, by the Python running the
build, into a directory under build/ so the source tree stays clean.
SYMPOZIUM_CMAKE_BUILD_DIR names an already configured build directory to
build the target in instead (the test suite's own, so its pip test does not
compile the library a second time).
"""

import os
import pathlib
import shutil
import subprocess
import sys

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

ROOT = pathlib.Path(__file__).resolve().parent
BUILD = ROOT / "build" / "setuptools"


class CMakeExtension(Extension):
    def __init__(self, name):
        super().__init__(name, sources=[])


class CMakeBuild(build_ext):
    def build_extension(self, ext):
        configured = os.environ.get("SYMPOZIUM_CMAKE_BUILD_DIR")
        cmake_dir = pathlib.Path(configured) if configured else BUILD / "cmake"
        if not configured:
            generator = ["-G", "Ninja"] if shutil.which("ninja") else []
            subprocess.run(
                ["cmake", "-S", str(ROOT), "-B", str(cmake_dir), *generator,
                 "-DCMAKE_BUILD_TYPE=Release", "-DPython_EXECUTABLE=" + sys.executable,
                 "-DSYMPOZIUM_PYTHON=ON", "-DSYMPOZIUM_TESTS=OFF", "-DSYMPOZIUM_BENCH=OFF",
                 "-DSYMPOZIUM_WEBHOOK=OFF"], check=True)
        subprocess.run(["cmake", "--build", str(cmake_dir), "--target", "_sympozium",
                        "-j", str(os.cpu_count() or 1)], check=True)
        built = next((cmake_dir / "python" / "sympozium").glob("_sympozium*.so"))
        target = pathlib.Path(self.get_ext_fullpath(ext.name))
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(built, target)


BUILD.mkdir(parents=True, exist_ok=True)
setup(
    ext_modules=[CMakeExtension("sympozium._sympozium")],
    cmdclass={"build_ext": CMakeBuild},
    options={"build": {"build_base": str(BUILD)},
             "egg_info": {"egg_base": str(BUILD)}},
)
