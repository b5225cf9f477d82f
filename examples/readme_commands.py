#!/usr/bin/env python3
"""Runs the commands the README shows, so they cannot rot.

A ```sh block right after the line `<!-- readme-test -->` is runnable; so is
one after `<!-- readme-test GROUP -->` when GROUP is enabled with --group
(`install`: needs an installable, unsanitized build; `python`: needs the
Python module). Each line of such a block is one command, run from the
repository root by bash, with the CLI's directory first on PATH and
every `build` path word standing for the build directory being tested. A
command must exit 0, or with the N of a trailing comment that says `exit N`
(`# denied: exit 1`). A line `NAME=value` sets a variable for the block's
later commands.

  readme_commands.py --readme README.md --root SRC --build BUILD --cli-dir DIR
                     [--group G]...
"""
import argparse
import os
import re
import subprocess
import sys

MARKER = re.compile(r"^<!-- readme-test(?: (\w+))? -->\s*$")
ASSIGNMENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*=\S*$")
EXPECTED_EXIT = re.compile(r"#.*\bexit (\d+)\s*$")
# `build` as a path word: `build`, `build/x`, `=build/x`, `:build/x`.
BUILD_WORD = re.compile(r"(?<![\w./-])build(?=/|\s|$)")


def runnable_blocks(readme, groups):
    """(line number, group, [command lines]) of each enabled marked block."""
    lines = readme.splitlines()
    blocks = []
    i = 0
    while i < len(lines):
        marker = MARKER.match(lines[i])
        i += 1
        if not marker:
            continue
        group = marker.group(1) or ""
        if i >= len(lines) or lines[i].strip() != "```sh":
            sys.exit("README line %d: a readme-test marker must be followed by a ```sh block" % i)
        start = i + 1
        i += 1
        body = []
        while i < len(lines) and lines[i].strip() != "```":
            body.append(lines[i])
            i += 1
        if group and group not in groups:
            print("skipped block at README line %d (group %s not enabled)" % (start, group))
            continue
        blocks.append((start, group, body))
    return blocks


def run_block(start, body, root, build, env):
    failures = 0
    preamble = []
    for offset, line in enumerate(body):
        command = line.strip()
        if not command or command.startswith("#"):
            continue
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
    with open(args.readme, encoding="utf-8") as f:
        blocks = runnable_blocks(f.read(), set(args.group))
    if not blocks:
        sys.exit("no runnable block in %s" % args.readme)
    failures = sum(run_block(start, body, args.root, build, env) for start, _, body in blocks)
    if failures:
        sys.exit("%d README command(s) failed" % failures)


if __name__ == "__main__":
    main()
