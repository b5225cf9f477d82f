"""The CLI as a CI gate: SARIF and GitHub output, lint suppression, folders
as people have them, the empty selection, and the flag parser.

Usage: ci_test.py SYMPOZIUM_POLICY FIXTURES GROUP
  sarif        lint/admit/replay/test --output sarif hold SARIF 2.1.0's
               required structure, with rules, levels and locations
  github       --output github prints one workflow command per finding,
               with file, line and column, escaped as GitHub documents
  suppression  lint --fail-on-warn, --ignore and the ignore annotation;
               errors are never suppressed
  folders      a manifests folder (Service skipped), typed lists, a whole
               dump as --cluster, identifying JSON, the empty selection
  flags        -o, values that are not numbers, flags that take no value,
               help limits, completion
"""

import json
import os
import re
import subprocess
import sys
import tempfile

BINARY, FIXTURES, GROUP = sys.argv[1], sys.argv[2], sys.argv[3]
POLICIES = os.path.join(FIXTURES, "policies")

RUN = """apiVersion: sympozium.ai/v1alpha1
kind: AgentRun
metadata: {name: NAME, namespace: team-a}
spec: {agentRef: alice, task: t}
"""
SERVICE = """apiVersion: v1
kind: Service
metadata: {name: web, namespace: team-a}
spec: {ports: [{port: 80}]}
"""
CLUSTER_DUMP = """apiVersion: v1
kind: List
items:
- {apiVersion: sympozium.ai/v1alpha1, kind: Agent, metadata: {name: alice, namespace: team-a},
   spec: {policyRef: team}}
- {apiVersion: sympozium.ai/v1alpha1, kind: SympoziumPolicy,
   metadata: {name: team, namespace: team-a}, spec: {sandboxPolicy: {required: true}}}
- {apiVersion: v1, kind: ConfigMap, metadata: {name: cm, namespace: team-a}, data: {a: b}}
- {apiVersion: sympozium.ai/v1alpha1, kind: AgentRun, metadata: {name: in-dump, namespace: team-a},
   spec: {agentRef: alice, task: t}}
"""
# A policy with one lint warning (lint.redundant_rule) and, separately, one
# with a schema error (an unknown action is an error in strict mode).
WARNED = """apiVersion: sympozium.ai/v1alpha1
kind: SympoziumPolicy
metadata: {name: warned, namespace: team-a ANNOTATIONS}
spec:
  toolGating:
    defaultAction: allow
    rules:
      - {tool: read_file, action: allow}
      - {tool: write_file, action: deny}
"""
BROKEN = """apiVersion: sympozium.ai/v1alpha1
kind: SympoziumPolicy
metadata: {name: broken, namespace: team-a}
spec:
  toolGating:
    defaultAction: deny
    rules:
      - {tool: read_file, action: maybe}
"""


def run(*args, stdin=None):
    return subprocess.run([BINARY, *args], capture_output=True, text=True, timeout=120,
                          input=stdin)


def check(condition, what, result=None):
    if not condition:
        detail = "" if result is None else f"\nexit {result.returncode}\nstdout:\n" \
            f"{result.stdout[-3000:]}\nstderr:\n{result.stderr[-3000:]}"
        sys.exit(f"FAIL: {what}{detail}")


def write(directory, name, text):
    path = os.path.join(directory, name)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)
    return path


def check_sarif(log, what):
    """SARIF 2.1.0's required structure (sarif-schema-2.1.0: sarifLog,
    run, tool, toolComponent, reportingDescriptor, result, message,
    location, physicalLocation, artifactLocation, region)."""
    check(log.get("version") == "2.1.0", f"{what}: version 2.1.0")
    check(isinstance(log.get("runs"), list) and len(log["runs"]) == 1, f"{what}: one run")
    run_ = log["runs"][0]
    driver = run_["tool"]["driver"]
    check(isinstance(driver.get("name"), str) and driver["name"], f"{what}: tool.driver.name")
    rules = driver.get("rules", [])
    ids = [r["id"] for r in rules]
    check(len(ids) == len(set(ids)), f"{what}: one rule per code")
    for r in rules:
        check(isinstance(r["shortDescription"]["text"], str) and r["shortDescription"]["text"],
              f"{what}: rule {r['id']} has a description")
    check(isinstance(run_.get("results"), list), f"{what}: results is an array")
    for res in run_["results"]:
        check(isinstance(res["message"]["text"], str) and res["message"]["text"],
              f"{what}: result message.text")
        check(res.get("level") in ("none", "note", "warning", "error"), f"{what}: level")
        check(res["ruleId"] in ids and ids[res["ruleIndex"]] == res["ruleId"],
              f"{what}: ruleId/ruleIndex name a rule")
        for loc in res.get("locations", []):
            physical = loc["physicalLocation"]
            check(isinstance(physical["artifactLocation"]["uri"], str), f"{what}: uri")
            region = physical.get("region", {})
            for key in ("startLine", "startColumn"):
                check(key not in region or (isinstance(region[key], int) and region[key] >= 1),
                      f"{what}: region.{key} >= 1")
    return run_


def sarif():
    r = run("lint", "--output", "sarif", POLICIES)
    check(r.returncode == 0, "lint --output sarif exits as lint does", r)
    run_ = check_sarif(json.loads(r.stdout), "lint")
    check(run_["results"], "lint reports the fixtures' warnings", r)
    check(all(x["level"] == "warning" for x in run_["results"]), "warnings are warnings", r)
    located = [x for x in run_["results"] if x.get("locations")]
    check(located and all("region" in x["locations"][0]["physicalLocation"] for x in located),
          "findings carry their line", r)
    rule = next(x for x in run_["tool"]["driver"]["rules"] if x["id"] == "lint.duplicate_object")
    check("same kind, namespace and name" in rule["shortDescription"]["text"],
          "a rule is described from the catalogue of codes", r)
    with tempfile.TemporaryDirectory() as d:
        run_file = write(d, "run.yaml", RUN.replace("NAME", "r1"))
        r = run("admit", "--preset", "restrictive", "-o", "sarif", run_file)
        check(r.returncode == 1, "admit -o sarif exits 1 for a denied run", r)
        res = check_sarif(json.loads(r.stdout), "admit")["results"]
        check([x["ruleId"] for x in res] == ["sandbox.required"], "one result per violation", r)
        region = res[0]["locations"][0]["physicalLocation"]["region"]
        check(region["startLine"] == 4, "at the violated field's line (spec)", r)
        r = run("replay", "--preset", "restrictive", "--output", "sarif", run_file)
        check(r.returncode == 1 and check_sarif(json.loads(r.stdout), "replay")["results"],
              "replay -o sarif", r)
        broken = write(d, "broken.yaml", BROKEN)
        r = run("lint", "-o", "sarif", broken)
        res = check_sarif(json.loads(r.stdout), "lint error")["results"]
        check(r.returncode == 1 and any(x["level"] == "error" for x in res), "errors are errors", r)


GITHUB_LINE = re.compile(r"^::(error|warning) file=([^,:]+),line=(\d+),col=(\d+),title=([^:,]+)::(.+)$")


def github():
    r = run("lint", "--output", "github", POLICIES)
    lines = r.stdout.splitlines()
    check(r.returncode == 0 and lines, "lint --output github prints annotations", r)
    for line in lines:
        m = GITHUB_LINE.match(line)
        check(m is not None, f"an annotation with file, line and col: {line!r}", r)
        check(os.path.exists(m.group(2)), "file names the policy file", r)
    with tempfile.TemporaryDirectory() as d:
        # A comma in a file name is escaped in the property (%2C).
        odd = write(d, "team,a.yaml", WARNED.replace(" ANNOTATIONS", ""))
        r = run("lint", "-o", "github", odd)
        check("file=" + odd.replace(",", "%2C") + ",line=" in r.stdout, "properties escaped", r)
        run_file = write(d, "run.yaml", RUN.replace("NAME", "r1"))
        r = run("admit", "--preset", "restrictive", "-o", "github", run_file)
        check(r.returncode == 1 and r.stdout.startswith(f"::error file={run_file},line=4,col=")
              and "title=sandbox.required::AgentRun team-a/r1: sandbox is required" in r.stdout,
              "admit -o github", r)


def suppression():
    with tempfile.TemporaryDirectory() as d:
        warned = write(d, "warned.yaml", WARNED.replace(" ANNOTATIONS", ""))
        r = run("lint", warned)
        check(r.returncode == 0 and "lint.redundant_rule" in r.stdout, "a warning, exit 0", r)
        r = run("lint", "--fail-on-warn", warned)
        check(r.returncode == 1, "--fail-on-warn: exit 1 on a warning", r)
        r = run("lint", "--fail-on-warn", "--ignore", "lint.unknown_tool,lint.redundant_rule",
                warned)
        check(r.returncode == 0 and "lint.redundant_rule" not in r.stdout
              and "1 suppressed" in r.stdout, "--ignore hides and counts the warning", r)
        annotated = write(d, "annotated.yaml", WARNED.replace(
            " ANNOTATIONS", ", annotations: {lint.sympozium.ai/ignore: 'lint.redundant_rule'}"))
        r = run("lint", "--fail-on-warn", "-o", "json", annotated)
        out = json.loads(r.stdout)
        check(r.returncode == 0 and out["warnings"] == 0 and out["suppressed"] == 1,
              "the policy's annotation hides its warning", r)
        broken = write(d, "broken.yaml", BROKEN)
        r = run("lint", "--ignore", "compile.unknown_action", broken)
        check(r.returncode == 1 and "compile.unknown_action" in r.stdout,
              "an error is never suppressed", r)


def folders():
    with tempfile.TemporaryDirectory() as d:
        write(d, "manifests/svc.yaml", SERVICE)
        write(d, "manifests/run.yaml", RUN.replace("NAME", "r1"))
        manifests = os.path.join(d, "manifests")
        r = run("admit", "--preset", "restrictive", manifests)
        check(r.returncode == 1, "the run is denied, the Service is no error", r)
        check("Service team-a/web\n  skipped:" in r.stdout, "the Service is reported skipped", r)
        check("admitted 1 documents: allowed 0, denied 1, errors 0; skipped 1" in r.stdout,
              "the summary counts it", r)
        r = run("admit", "--preset", "restrictive", "-o", "json", manifests)
        entries = json.loads(r.stdout)
        want = {"file", "index", "line", "kind", "namespace", "name"}
        check(all(want <= set(e) for e in entries), "every entry names its document", r)
        skipped = [e for e in entries if e.get("skipped")]
        check([e["kind"] for e in skipped] == ["Service"] and
              [e["result"] for e in entries if not e.get("skipped")] == ["denied"],
              "JSON: the Service skipped, the run denied", r)
        # A typed list, as `kubectl get agentruns -o yaml` prints it; item b
        # as the API server lists it, without kind and apiVersion.
        items = "".join("- " + RUN.replace("NAME", n).replace("\n", "\n  ").rstrip() + "\n"
                        for n in ("a", "b", "c"))
        items = items.replace("- apiVersion: sympozium.ai/v1alpha1\n  kind: AgentRun\n"
                              "  metadata: {name: b,", "- metadata: {name: b,")
        check("- metadata: {name: b," in items, "the fixture drops b's kind")
        listed = write(d, "runs.yaml", "apiVersion: sympozium.ai/v1alpha1\nkind: AgentRunList\n"
                       "metadata: {resourceVersion: '7'}\nitems:\n" + items)
        r = run("replay", "--preset", "permissive", "-o", "json", listed)
        out = json.loads(r.stdout)
        check(r.returncode == 0 and out["documents"] == 3 and
              [x["name"] for x in out["results"]] == ["a", "b", "c"] and
              [x["index"] for x in out["results"]] == [0, 1, 2], "AgentRunList items replayed", r)
        # A whole dump as --cluster: the ConfigMap and the run in it are left out.
        dump = write(d, "dump.yaml", CLUSTER_DUMP)
        r = run("replay", "--cluster", dump, dump)
        check(r.returncode == 1 and "replayed 1 documents" in r.stdout and
              "sandbox.required 1" in r.stdout, "replay --cluster DUMP DUMP", r)
        r = run("admit", "--cluster", d, os.path.join(manifests, "run.yaml"))
        check(r.returncode == 1 and "sandbox is required" in r.stdout, "--cluster DIR", r)
        # Nothing to evaluate: exit 2, unless --allow-empty.
        empty = os.path.join(d, "empty")
        os.makedirs(empty)
        write(d, "only-service/svc.yaml", SERVICE)
        for verb in (["admit"], ["replay", "--preset", "default"]):
            for path in (empty, os.path.join(d, "only-service")):
                r = run(*verb, path)
                check(r.returncode == 2 and "no documents to evaluate in" in r.stderr,
                      f"{verb[0]} on nothing to evaluate: exit 2", r)
                r = run(*verb, "--allow-empty", path)
                check(r.returncode == 0, f"{verb[0]} --allow-empty: exit 0", r)
        # test reads a manifests folder too: the Service is counted, not evaluated.
        write(d, "suite/sympozium-test.yaml",
              "apiVersion: cli.sympozium.ai/v1alpha1\nkind: Test\nmetadata: {name: t}\n"
              "presets: [restrictive]\nresources: [../manifests/]\nresults:\n"
              "  - {kind: AgentRun, name: r1, policy: restrictive, result: denied}\n")
        r = run("test", os.path.join(d, "suite"))
        check(r.returncode == 0 and "1 passed, 0 failed; 1 resources skipped" in r.stdout,
              "test counts the Service of its resources as skipped", r)
        r = run("test", empty)
        check(r.returncode == 2, "test on no test file: exit 2", r)
        r = run("test", "--allow-empty", empty)
        check(r.returncode == 0, "test --allow-empty: exit 0", r)


def flags():
    with tempfile.TemporaryDirectory() as d:
        run_file = write(d, "run.yaml", RUN.replace("NAME", "r1"))
        r = run("admit", "-o", "json", "--preset", "restrictive", run_file)
        check(r.returncode == 1 and json.loads(r.stdout)["code"] == "sandbox.required", "-o json", r)
        r = run("admit", "-ojson", "--preset=restrictive", run_file)
        check(r.returncode == 1 and json.loads(r.stdout)["result"] == "denied", "-ojson", r)
        for args, message in [
                (["--max-bytes", "abc"], "--max-bytes abc: not a whole number"),
                (["--max-nodes", "0"], "--max-nodes 0: must be at least 1"),
                (["--mutate=yes"], "flag --mutate takes no value"),
                (["--preset"], "flag --preset needs a value"),
                (["--bogus"], "unknown flag --bogus"),
                (["-x"], "unknown flag -x"),
                (["--output", "xml"], "--output xml: want text|json|junit|sarif|github")]:
            r = run("admit", *args, run_file) if args != ["--preset"] else run("admit", run_file, *args)
            check(r.returncode == 2 and message in r.stderr, f"admit {args}: {message}", r)
        r = run("admit", "--preset", "restrictive", "--", run_file)
        check(r.returncode == 1, "-- ends the flags", r)
        r = run("help", "limits")
        check(r.returncode == 0 and "--max-list-length N" in r.stdout, "help limits", r)
        r = run("help", "admit")
        check(r.returncode == 0 and r.stdout.startswith("usage: sympozium-policy admit"),
              "help VERB", r)
        r = run("test", "--help")
        check("--mode" not in r.stdout, "test --help shows no --mode (test takes none)", r)
        r = run("completion", "bash")
        check(r.returncode == 0, "completion bash", r)
        script = write(d, "completion.bash", r.stdout)
        probe = (f"source {script}; complete -p sympozium-policy >/dev/null || exit 3; "
                 "COMP_WORDS=(sympozium-policy adm); COMP_CWORD=1; _sympozium_policy; "
                 "echo \"${COMPREPLY[*]}\"; COMP_WORDS=(sympozium-policy lint --fail); "
                 "COMP_CWORD=2; _sympozium_policy; echo \"${COMPREPLY[*]}\"; "
                 "COMP_WORDS=(sympozium-policy replay -o ''); COMP_CWORD=3; _sympozium_policy; "
                 "echo \"${COMPREPLY[*]}\"")
        p = subprocess.run(["bash", "-c", probe], capture_output=True, text=True, timeout=60)
        check(p.returncode == 0 and p.stdout.splitlines() ==
              ["admit", "--fail-on-warn", "text json junit sarif github"], "bash completes", p)
        r = run("completion", "zsh")
        check(r.returncode == 0 and r.stdout.startswith("#compdef sympozium-policy"), "zsh", r)
        r = run("completion", "fish")
        check(r.returncode == 2, "an unknown shell: exit 2", r)


{"sarif": sarif, "github": github, "suppression": suppression, "folders": folders,
 "flags": flags}[GROUP]()
print(f"ok {GROUP}")
