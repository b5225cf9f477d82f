#!/usr/bin/env python3
"""Runs every conformance case through the `sympozium-policy` CLI.

Usage: cli_runner.py PATH_TO_SYMPOZIUM_POLICY [OPERATION]

Each case's documents are written to temporary files and handed to the CLI
exactly as a user would (--cluster, --policy, --run, --mode, --output json);
the JSON output and the exit code are checked against the case.

SYMPOZIUM_CONFORMANCE_CLI_STRIDE=N sends only every N-th case through the
CLI (one process each): scripts/test sets it for the sanitizer build, where
process start-up dominates and every case already runs in-process
(conformance.library); the normal build sends every case.
"""

import json
import os
import subprocess
import sys
import tempfile

import conformance_cases as cc


def run_cli(cli, args):
    proc = subprocess.run([cli, *args], capture_output=True, text=True, check=False)
    if proc.returncode == 2:
        raise RuntimeError(f"exit 2: {proc.stderr.strip()}")
    return proc.returncode, proc.stdout


def admit(cli, case, tmp, args, doc_name, doc):
    path = cc.write_yaml(tmp, doc_name, [doc])
    code, out = run_cli(cli, ["admit", "--mode", case.mode, "--output", "json", *args, path])
    decision = json.loads(out)
    if code != (0 if decision["allowed"] else 1):
        return decision, f"exit code {code} does not match allowed={decision['allowed']}"
    return decision, ""


def admit_agent_run(cli, case, tmp):
    cluster = cc.write_yaml(tmp, "cluster.yaml", case.cluster_objects())
    decision, problem = admit(cli, case, tmp, ["--cluster", cluster], "run.yaml", case.data["agentRun"])
    return problem or cc.check_decision(case.expect, decision["allowed"], decision["message"])


def admit_skill_pack(cli, case, tmp):
    decision, problem = admit(cli, case, tmp, [], "skillpack.yaml", case.data["skillPack"])
    return problem or cc.check_decision(case.expect, decision["allowed"], decision["message"])


def evaluate_pod(cli, case, tmp):
    args = []
    if case.data.get("podSecurity"):
        args = ["--pod-security", case.data["podSecurity"]]
    elif case.data.get("policy"):
        args = ["--policy", cc.write_yaml(tmp, "policy.yaml", [case.data["policy"]])]
    decision, problem = admit(cli, case, tmp, args, "object.yaml", case.data["object"])
    problems = [problem, cc.check_decision(case.expect, decision["allowed"], decision["message"]),
                cc.violation_paths_mismatch(case.expect, decision["violations"]),
                cc.violation_codes_mismatch(case.expect, decision["violations"])]
    return "; ".join(p for p in problems if p)


def mutate_agent_run(cli, case, tmp):
    cluster = cc.write_yaml(tmp, "cluster.yaml", case.cluster_objects())
    run = cc.write_yaml(tmp, "run.yaml", [case.data["agentRun"]])
    _, out = run_cli(cli, ["mutate", "--mode", case.mode, "--output", "json", "--cluster", cluster, run])
    return cc.subset_mismatch(case.expect["patch"], json.loads(out)["object"])


def tool_decision(cli, case, tmp):
    args = ["tool", "--mode", case.mode, "--output", "json"]
    if case.data.get("policy"):
        args += ["--policy", cc.write_yaml(tmp, "policy.yaml", [case.data["policy"]])]
    if case.data.get("agentRun"):
        args += ["--run", cc.write_yaml(tmp, "run.yaml", [case.data["agentRun"]])]
    code, out = run_cli(cli, [*args, str(case.data["tool"])])
    got = json.loads(out)[0]["decision"]
    if code != (1 if got == "deny" else 0):
        return f"exit code {code} for decision {got}"
    want = case.expect["decision"]
    return "" if got == want else f"decision: want {want}, got {got}"


def rbac_for(cli, case, tmp):
    run = cc.write_yaml(tmp, "run.yaml", [case.data["agentRun"]])
    pack = cc.write_yaml(tmp, "skillpack.yaml", [case.data["skillPack"]])
    _, out = run_cli(cli, ["rbac", "--mode", case.mode, "--output", "json", "--run", run, pack])
    return cc.objects_mismatch(case.expect["objects"], json.loads(out)["items"])


RUNNERS = {
    "admitAgentRun": admit_agent_run,
    "admitSkillPack": admit_skill_pack,
    "mutateAgentRun": mutate_agent_run,
    "toolDecision": tool_decision,
    "rbacFor": rbac_for,
    "evaluatePod": evaluate_pod,
}


def main():
    if len(sys.argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    cli = sys.argv[1]
    only = sys.argv[2] if len(sys.argv) > 2 else None
    stride = int(os.environ.get("SYMPOZIUM_CONFORMANCE_CLI_STRIDE", "1"))
    passed = failed = 0
    for case in cc.load_cases(only)[::stride]:
        runner = RUNNERS.get(case.operation)
        with tempfile.TemporaryDirectory() as tmp:
            try:
                problem = runner(cli, case, tmp) if runner else f"unknown operation {case.operation!r}"
            except (RuntimeError, ValueError, KeyError, IndexError) as e:
                problem = f"{type(e).__name__}: {e}"
        if problem:
            failed += 1
            print(f"FAIL {case.name}: {problem}")
        else:
            passed += 1
    sample = f" (every {stride}th case)" if stride > 1 else ""
    print(f"conformance (CLI){' ' + only if only else ''}{sample}: {passed} passed, {failed} failed")
    return 0 if failed == 0 and passed > 0 else 1


if __name__ == "__main__":
    sys.exit(main())
