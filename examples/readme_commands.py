#!/usr/bin/env python3
"""Runs the commands the README shows, so they cannot rot.

Every ```sh block of the README follows a marker line that says how it is
checked; a block without one fails the test:

  <!-- readme-test -->              run here
  <!-- readme-test GROUP -->        run when GROUP is enabled with --group
                                    (`install`: needs an installable,
                                    unsanitized build; `python`: the Python
                                    module; `go`: the Go toolchain)
  <!-- readme-test covered-by T... --> not run here (it needs a cluster, a
                                    fresh machine or a long build); each T
                                    does the same thing and is a ctest test
                                    registered in a CMakeLists.txt of the
                                    repository, or a script of the
                                    repository that CI runs (scripts/test
                                    runs scripts/demo; .ci/run runs
                                    scripts/test)

Each line of a run block is one command, run from the repository root by
bash, with the CLI's directory first on PATH and every `build` path word
(also `$PWD/build`, `$PWD/../../build`) standing for the build directory
being tested. A command must exit 0, or with the N of a trailing comment
that says `exit N` (`# denied: exit 1`). A line `NAME=value` or
`export NAME=value` sets a variable for the block's later commands.

  readme_commands.py --readme README.md --root SRC --build BUILD --cli-dir DIR
                     [--group G]...
"""
import argparse
import os
import re
import subprocess
import sys

MARKER = re.compile(r"^<!-- readme-test(?: ([\w-]+))?((?: [\w./]+)*) -->\s*$")
ASSIGNMENT = re.compile(r"^(?:export )?[A-Za-z_][A-Za-z0-9_]*=\S*$")
EXPECTED_EXIT = re.compile(r"#.*\bexit (\d+)\s*$")
# `build` as a path word: `build`, `build/x`, `=build/x`, `:build/x`.
BUILD_WORD = re.compile(r"(?<![\w./-])build(?=/|\s|$)")
# `$PWD/build` and `$PWD/../../build` (after a `cd`): the same directory.
PWD_BUILD = re.compile(r"\$PWD/(?:\.\./)*build(?=/|\s|$)")


def registered_tests(root):
    """The ctest tests the repository's CMakeLists.txt files add."""
    names = set()
    for folder, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if not d.startswith(("build", "."))]
        if "CMakeLists.txt" in files:
            with open(os.path.join(folder, "CMakeLists.txt"), encoding="utf-8") as f:
                names.update(re.findall(r"add_test\(NAME ([\w.]+)", f.read()))
    return names


def ci_scripts(root):
    """The scripts CI runs: .ci/run, and what those scripts run in turn."""
    found, queue = set(), [".ci/run"]
    while queue:
        script = queue.pop()
        path = os.path.join(root, script)
        if script in found or not os.access(path, os.X_OK):
            continue
        found.add(script)
        with open(path, encoding="utf-8") as f:
            queue += re.findall(r"\b(scripts/[\w-]+)", f.read())
    return found


def check_covered(line, tests, registered):
    missing = [t for t in tests if t not in registered]
    if not tests or missing:
        sys.exit("README line %d: covered-by names no registered test (%s)" %
                 (line, " ".join(missing) or "none given"))
    print("covered block at README line %d (by %s)" % (line, " ".join(tests)))


def runnable_blocks(readme, groups, registered):
    """(line number, group, [command lines]) of each enabled block to run."""
    lines = readme.splitlines()
    blocks = []
    previous = ""
    i = 0
    while i < len(lines):
        line = lines[i]
        i += 1
        if line.strip() != "```sh":
            if line.strip():
                previous = line
            continue
        start = i
        body = []
        while i < len(lines) and lines[i].strip() != "```":
            body.append(lines[i])
            i += 1
        i += 1
        marker = MARKER.match(previous)
        previous = ""
        if not marker:
            sys.exit("README line %d: a ```sh block needs a readme-test marker before it" % start)
        group, tests = marker.group(1) or "", marker.group(2).split()
        if group == "covered-by":
            check_covered(start, tests, registered)
        elif group and group not in groups:
            print("skipped block at README line %d (group %s not enabled)" % (start, group))
        else:
            blocks.append((start, group, body))
    return blocks


def run_block(start, body, root, build, env):
    failures = 0
    preamble = []
    for offset, line in enumerate(body):
        command = line.strip()
        if not command or command.startswith("#"):
            continue
        command = PWD_BUILD.sub(build.replace("\\", "\\\\"), command)
        command = BUILD_WORD.sub(build.replace("\\", "\\\\"), command)
        if ASSIGNMENT.match(command):
            preamble.append(command)
            continue
        expected = EXPECTED_EXIT.search(command)
        want = int(expected.group(1)) if expected else 0
        script = "\n".join(preamble + [command])
        proc = subprocess.run(["bash", "-c", script], cwd=root, env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              universal_newlines=True, timeout=600)
        where = "README line %d" % (start + offset + 1)
        if proc.returncode != want:
            failures += 1
            print("FAIL %s: exit %d, want %d: %s" % (where, proc.returncode, want, line.strip()))
            print(proc.stdout[-2000:] + proc.stderr[-2000:])
        else:
            print("ok   %s: %s" % (where, line.strip()))
    return failures


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--readme", required=True)
    parser.add_argument("--root", required=True, help="the repository root")
    parser.add_argument("--build", required=True, help="the build directory")
    parser.add_argument("--cli-dir", required=True, help="where sympozium-policy is")
    parser.add_argument("--group", action="append", default=[])
    args = parser.parse_args()
    build = os.path.abspath(args.build)
    env = dict(os.environ)
    env["PATH"] = os.path.abspath(args.cli_dir) + os.pathsep + env.get("PATH", "")
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    env["PYTEST_ADDOPTS"] = "-p no:cacheprovider"  # leave no .pytest_cache in the tree
    # The Go group shares the go.test build cache; no module proxy is reachable.
    env.setdefault("GOCACHE", os.path.join(build, "go-cache"))
    env.setdefault("GOFLAGS", "-mod=mod")
    env.setdefault("GOPROXY", "off")
    with open(args.readme, encoding="utf-8") as f:
        registered = registered_tests(args.root) | ci_scripts(args.root)
        blocks = runnable_blocks(f.read(), set(args.group), registered)
    if not blocks:
        sys.exit("no runnable block in %s" % args.readme)
    failures = sum(run_block(start, body, args.root, build, env) for start, _, body in blocks)
    if failures:
        sys.exit("%d README command(s) failed" % failures)


if __name__ == "__main__":
    main()
