#!/usr/bin/python3
"""CLI tests for lint, diff, replay, the report formats, every verb's help, the
output and binding of netpol, rbac, mutate and tool, and the limit flags.

Usage: cli_test.py PATH/TO/sympozium-policy FIXTURES_DIR GROUP
GROUP is one of the functions named in GROUPS below; each is one ctest test.
"""
import json
import os
import re
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

BIN = sys.argv[1]
FIXTURES = sys.argv[2]
POLICY_DIRS = [os.path.join(FIXTURES, d) for d in ("policies", "samples", "examples")]
FAILURES = []

# file:line:col: severity[code] path: message
FINDING = re.compile(r"^(?P<file>[^:]+):(?P<line>\d+):(?P<col>\d+): "
                     r"(?P<severity>error|warning)\[(?P<code>[a-z_.]+)\] (?P<rest>.+)$")


def run(*args, stdin=None):
    p = subprocess.run([BIN, *args], input=stdin, capture_output=True, text=True)
    return p.returncode, p.stdout, p.stderr


def check(cond, what, detail=""):
    if not cond:
        FAILURES.append(what)
        print(f"FAIL: {what}", file=sys.stderr)
        if detail:
            print("  " + detail.replace("\n", "\n  "), file=sys.stderr)


def expect(code, args, what, stdin=None):
    got, out, err = run(*args, stdin=stdin)
    check(got == code, f"{what}: exit {got}, want {code}", f"stdout: {out}\nstderr: {err}")
    return out, err


def write(directory, name, text):
    path = os.path.join(directory, name)
    with open(path, "w") as f:
        f.write(text)
    return path


def findings(text):
    return [m.groupdict() for m in map(FINDING.match, text.splitlines()) if m]


def junit(text, what):
    """Parses JUnit XML and checks the counts against the test cases."""
    try:
        root = ET.fromstring(text)
    except ET.ParseError as e:
        check(False, f"{what}: JUnit does not parse: {e}", text[:2000])
        return []
    check(root.tag == "testsuites", f"{what}: root is {root.tag}")
    cases = []
    for suite in root.findall("testsuite"):
        tc = suite.findall("testcase")
        cases += tc
        for attr, tag in (("failures", "failure"), ("errors", "error"), ("skipped", "skipped")):
            n = sum(1 for c in tc if c.find(tag) is not None)
            check(int(suite.get(attr)) == n, f"{what}: {attr}={suite.get(attr)} but {n} cases")
        check(int(suite.get("tests")) == len(tc), f"{what}: tests={suite.get('tests')}")
        for c in tc:
            check(c.get("name") and c.get("classname"), f"{what}: test case without name")
    return cases


POLICY = """apiVersion: sympozium.ai/v1alpha1
kind: SympoziumPolicy
metadata: {name: %s, namespace: agents}
spec:
%s"""


def policy(name, spec):
    return POLICY % (name, spec)


# --- lint ------------------------------------------------------------------

def lint_fixtures():
    """Every fixture policy lints without errors and with what a reviewer
    should see, in every format."""
    out, _ = expect(0, ["lint", *POLICY_DIRS], "lint fixtures")
    lines = out.splitlines()
    found = findings(out)
    check(len(found) == len(lines) - 1, "every line but the summary is a finding", out)
    check(re.match(r"linted 8 policies \(strict mode\): 0 errors, \d+ warnings", lines[-1]),
          "lint summary counts the 8 fixture policies", lines[-1])
    by = {(os.path.basename(f["file"]), f["code"]) for f in found}
    for want in [("restrictive.yaml", "lint.file_access_conflict"),
                 ("chart-restrictive.yaml", "lint.file_access_conflict"),
                 ("sympoziumpolicy_sample.yaml", "lint.redundant_rule")]:
        check(want in by, f"lint fixtures reports {want}", out)
    for f in found:
        check(int(f["line"]) > 0 and int(f["col"]) > 0, "finding has a position", str(f))
    # The sample's allow rules under defaultAction allow, at their lines.
    sample = [f for f in found if f["code"] == "lint.redundant_rule"]
    check([f["line"] for f in sample] == ["15", "17"], "redundant rules at lines 15, 17",
          str(sample))
    # compat mode adds what Sympozium itself never enforces.
    out, _ = expect(0, ["lint", "--mode", "compat", os.path.join(FIXTURES, "examples")],
                    "lint compat")
    codes = [f["code"] for f in findings(out)]
    check(codes.count("lint.not_enforced") == 3, "compat: defaultAction and two ask rules", out)

    out, _ = expect(0, ["lint", "--output", "json", *POLICY_DIRS], "lint json")
    doc = json.loads(out)
    check(len(doc["policies"]) == 8 and doc["errors"] == 0, "lint json: 8 policies, 0 errors")
    check(doc["skipped"] == 5, "lint json skips the 5 non-policy sample documents")
    for p in doc["policies"]:
        check(p["warnings"] == len(p["findings"]), "lint json warnings count")
        for f in p["findings"]:
            check(set(f) == {"severity", "code", "path", "message", "line", "column"},
                  "lint json finding fields", str(f))

    out, _ = expect(0, ["lint", "--output", "junit", *POLICY_DIRS], "lint junit")
    cases = junit(out, "lint junit")
    check(len(cases) == 8, f"lint junit: one test case per policy, got {len(cases)}")


def lint_findings():
    """Crafted policies: errors exit 1, warnings alone exit 0, and every
    check the compiler and lint know, with its line."""
    with tempfile.TemporaryDirectory() as d:
        bad = write(d, "bad.yaml", policy("bad", """  sandboxPolicy:
    required: true
    maxCPU: lots
    maxMemory: "0"
    seccompProfile: {type: Unconfined}
    allowHostMounts: true
    defaultImage: quay.io/x/sandbox:1
    agentSandboxPolicy:
      required: true
      defaultRuntimeClass: runc
      allowedRuntimeClasses: [gvisor, kata]
  toolGating:
    defaultAction: allow
    rules:
      - {tool: execute_command, action: deny}
      - {tool: execute_command, action: allow}
      - {tool: read_file, action: maybe}
      - {tool: my_tool, action: ask}
      - {tool: fetch_url, action: allow}
      - {tool: fetch_url, action: allow}
  subagentPolicy: {maxDepth: 0, maxConcurrent: 0}
  featureGates: {file-access: false, teleport: true}
  imagePolicy:
    allowedRegistries: [ghcr.io/acme, docker.io/library/]
  networkPolicy:
    denyAll: true
    allowedEgress: [{host: api.example.com, port: 443}]
  bogusField: 1
"""))
        out, _ = expect(1, ["lint", bad], "lint bad policy")
        got = {(f["code"], f["line"], f["severity"]) for f in findings(out)}
        want = {
            ("compile.invalid_quantity", "7", "error"),
            ("lint.cap_not_positive", "8", "warning"),
            ("lint.seccomp_profile", "9", "warning"),
            ("lint.allow_host_mounts", "10", "warning"),
            ("lint.default_image_registry", "11", "warning"),
            ("lint.unsatisfiable_sandbox", "13", "warning"),
            ("lint.default_runtime_class", "14", "warning"),
            ("lint.conflicting_rule", "20", "warning"),
            ("compile.unknown_action", "21", "error"),
            ("lint.unknown_tool", "22", "warning"),
            ("lint.redundant_rule", "23", "warning"),
            ("lint.duplicate_rule", "24", "warning"),
            ("lint.max_depth_zero", "25", "warning"),
            ("lint.max_concurrent_zero", "25", "warning"),
            ("lint.file_access_conflict", "26", "warning"),
            ("lint.unknown_feature_gate", "26", "warning"),
            ("lint.registry_without_slash", "28", "warning"),
            ("netpol.unsupported_host", "31", "warning"),
            ("schema.unknown_field", "32", "warning"),
        }
        check(got == want, "lint bad policy findings",
              f"missing: {sorted(want - got)}\nunexpected: {sorted(got - want)}\n{out}")
        # compat: what only strict refuses becomes a warning.
        out, _ = expect(0, ["lint", "--mode", "compat", bad], "lint bad policy, compat")
        check("error[" not in out, "compat lint has no errors", out)

        # A schema error stays an error in compat mode; a decode error too.
        schema = write(d, "schema.yaml", policy("s", "  toolGating:\n    rules:\n"
                                                     "      - {tool: x_tool}\n"))
        out, _ = expect(1, ["lint", "--mode", "compat", schema], "lint schema error, compat")
        check(any(f["code"] == "schema.required" and f["line"] == "7" for f in findings(out)),
              "schema.required at line 7", out)
        decode = write(d, "decode.yaml", policy("d", "  toolGating:\n    rules: 5\n"))
        out, _ = expect(1, ["lint", decode], "lint decode error")
        check(f"{decode}:6:12: error[decode.error] spec.toolGating.rules: expected a list" in out,
              "decode error with file:line:col and path", out)

        # Warnings alone exit 0.
        warn = write(d, "warn.yaml", policy("w", "  featureGates: {teleport: true}\n"))
        out, _ = expect(0, ["lint", warn], "lint warnings only")
        check("warning[lint.unknown_feature_gate]" in out, "unknown gate warned", out)

        # SkillPack tools, from --cluster or among the inputs, are not unknown.
        tool = write(d, "tool.yaml", policy("t", "  toolGating:\n    rules:\n"
                                                 "      - {tool: kubectl_get, action: ask}\n"))
        pack = write(d, "pack.yaml", """apiVersion: sympozium.ai/v1alpha1
kind: SkillPack
metadata: {name: k8s, namespace: sympozium-system}
spec:
  sidecar:
    image: ghcr.io/acme/k8s:1
    tools:
      - {name: kubectl_get, description: get, exec: [kubectl, get]}
""")
        out, _ = expect(0, ["lint", tool], "lint unknown tool")
        check("lint.unknown_tool" in out, "tool unknown without its SkillPack", out)
        out, _ = expect(0, ["lint", "--cluster", pack, tool], "lint with --cluster")
        check("lint.unknown_tool" not in out, "tool known through --cluster", out)
        out, _ = expect(0, ["lint", pack, tool], "lint with the SkillPack as input")
        check("lint.unknown_tool" not in out and "skipped 1 other document" in out,
              "tool known through an input SkillPack", out)

        # junit: the bad policy fails, the clean one passes.
        clean = write(d, "clean.yaml", policy("c", "  sandboxPolicy: {required: false}\n"))
        out, _ = expect(1, ["lint", "--output", "junit", bad, clean], "lint junit")
        cases = junit(out, "lint junit with errors")
        check([c.find("failure") is not None for c in cases] == [True, False],
              "lint junit: bad fails, clean passes")

        # No policy at all is a usage error.
        expect(2, ["lint", pack], "lint without policies")

        # One policy in two files: a warning on the second, naming the first.
        again = write(d, "again.yaml", policy("c", "  sandboxPolicy: {required: true}\n"))
        out, _ = expect(0, ["lint", clean, again], "lint duplicate policies")
        dup = [f for f in findings(out) if f["code"] == "lint.duplicate_object"]
        check(len(dup) == 1 and dup[0]["file"] == again and dup[0]["severity"] == "warning",
              "duplicate reported once, on again.yaml", out)
        check("also defined by " + clean in out, "the duplicate names the first file", out)


# --- diff ------------------------------------------------------------------

def diff_presets():
    out, _ = expect(0, ["diff", "preset:permissive", "preset:restrictive"], "diff presets")
    for line in ["execute_command           allow -> ask    tighter",
                 "write_file                allow -> deny   tighter",
                 "(any other tool)          allow -> deny   tighter"]:
        check(line in out, f"diff shows: {line}", out)
    for pattern in [r"spec\.sandboxPolicy\.required\s+false -> true\s+tighter",
                    r"spec\.sandboxPolicy\.maxCPU\s+8 -> 2\s+tighter",
                    r"spec\.subagentPolicy\.maxDepth\s+5 -> 2\s+tighter",
                    r"spec\.featureGates\.browser-automation\s+true -> false\s+tighter",
                    r"spec\.imagePolicy\.allowedRegistries\s+any -> \[ghcr.io/sympozium-ai/",
                    r"spec\.lifecyclePolicy\.deniedResources\s+\+ secrets\s+tighter",
                    r"spec\.networkPolicy\.denyAll\s+false -> true\s+tighter"]:
        check(re.search(pattern, out), f"diff shows /{pattern}/", out)
    check("read_file" not in out, "read_file stays allowed: not in the diff", out)

    out, _ = expect(0, ["diff", "--output", "json", "preset:restrictive", "preset:permissive"],
                    "diff json")
    doc = json.loads(out)
    tools = {t["tool"]: t for t in doc["tools"]}
    check(tools["execute_command"] == {"tool": "execute_command", "old": "ask", "new": "allow",
                                       "direction": "looser"}, "diff json tool entry",
          str(tools.get("execute_command")))
    check(doc["tighter"] == 0 and doc["looser"] == len(doc["tools"]) + len(doc["settings"]),
          "restrictive -> permissive only loosens", out)
    removed = [s for s in doc["settings"] if s["field"] == "spec.lifecyclePolicy.deniedResources"]
    check({s["old"] for s in removed} == {"secrets", "clusterroles", "clusterrolebindings"}
          and all(s["new"] is None for s in removed), "removed denied resources", str(removed))
    expect(1, ["diff", "--fail-on-looser", "preset:restrictive", "preset:permissive"],
           "diff --fail-on-looser when loosening")
    expect(0, ["diff", "--fail-on-looser", "preset:permissive", "preset:restrictive"],
           "diff --fail-on-looser when tightening")
    out, _ = expect(0, ["diff", "preset:default", "preset:default"], "diff same")
    check("no changes for users" in out, "diff of a policy with itself", out)

    with tempfile.TemporaryDirectory() as d:
        # Caps compare as quantities; a named non-built-in tool is listed.
        a = write(d, "a.yaml", policy("a", """  sandboxPolicy: {required: false, maxCPU: "2", maxMemory: 1Gi}
  toolGating:
    rules: [{tool: kubectl_get, action: allow}]
  imagePolicy: {allowedRegistries: [ghcr.io/acme/]}
"""))
        b = write(d, "b.yaml", policy("b", """  sandboxPolicy: {required: false, maxCPU: 2000m, maxMemory: 1G}
  toolGating:
    rules: [{tool: kubectl_get, action: deny}]
  imagePolicy: {allowedRegistries: [ghcr.io/acme/, quay.io/acme/]}
"""))
        out, _ = expect(0, ["diff", "--output", "json", a, b], "diff files")
        doc = json.loads(out)
        fields = {(s["field"], s["old"], s["new"], s["direction"]) for s in doc["settings"]}
        check(fields == {("spec.sandboxPolicy.maxMemory", "1Gi", "1G", "tighter"),
                         ("spec.imagePolicy.allowedRegistries", None, "quay.io/acme/", "looser")},
              "diff: 2000m == 2, 1G < 1Gi, one registry added", str(fields))
        check(doc["tools"] == [{"tool": "kubectl_get", "old": "allow", "new": "deny",
                                "direction": "tighter"}], "diff: named tool", str(doc["tools"]))


def namespaced(name, namespace, spec):
    return (POLICY % (name, spec)).replace("namespace: agents", f"namespace: {namespace}")


def diff_paired():
    """Directories and multi-document files: one policy a side diffs as a
    single file does; several pair by namespace/name, with added and removed
    policies, and an added policy counts as looser."""
    with tempfile.TemporaryDirectory() as d:
        old, new = os.path.join(d, "old"), os.path.join(d, "new")
        os.mkdir(old)
        os.mkdir(new)
        # One policy a side (a directory, a file also holding an Agent):
        # compared whatever the names, exactly as the single files.
        a = write(old, "a.yaml", policy("a", "  toolGating: {defaultAction: deny}\n"))
        b = write(d, "b.yaml", policy("b", "  toolGating: {defaultAction: allow}\n"))
        with_agent = write(d, "b-agent.yaml", open(b).read() + """---
apiVersion: sympozium.ai/v1alpha1
kind: Agent
metadata: {name: alice, namespace: agents}
spec: {policyRef: b}
""")
        single, _ = expect(0, ["diff", "--output", "json", a, b], "diff single files")
        for args in ([old, b], [a, with_agent]):
            out, _ = expect(0, ["diff", "--output", "json", *args], f"diff {args}")
            got, want = json.loads(out), json.loads(single)
            check(got["tools"] == want["tools"] and got["looser"] == want["looser"] == 17
                  and "pairs" not in got, "one policy a side: the single-pair object", out)
        out, _ = expect(0, ["diff", old, with_agent], "diff dir, file with an Agent, text")
        check(out.startswith(f"diff policy a ({a}) -> policy b ({with_agent}#1) (strict mode)"),
              "single pair text names the documents", out)

        # Several a side: a multi-document file against a directory.
        os.remove(a)
        write(old, "all.yaml", "---\n".join([
            policy("team", "  toolGating: {defaultAction: deny}\n"),
            policy("ops", "  sandboxPolicy: {required: true}\n"),
            namespaced("gone", "other", "  sandboxPolicy: {required: true}\n")]))
        write(new, "team.yaml", policy("team", "  toolGating: {defaultAction: allow}\n"))
        write(new, "more.yaml", "---\n".join([
            policy("ops", "  sandboxPolicy: {required: true}\n"),
            namespaced("fresh", "more", "  sandboxPolicy: {required: true}\n")]))
        out, _ = expect(0, ["diff", "--output", "json", old, new], "diff paired json")
        doc = json.loads(out)
        check([p["policy"] for p in doc["pairs"]] == ["agents/ops", "agents/team"],
              "pairs by namespace/name, sorted", out)
        ops, team = doc["pairs"]
        check(ops["tools"] == [] and ops["settings"] == [] and ops["looser"] == 0,
              "identical pair: no changes", str(ops))
        check(team["old"] == f"policy team ({old}/all.yaml#1)"
              and team["new"] == f"policy team ({new}/team.yaml)" and team["looser"] == 17
              and team["mode"] == "strict", "team pair labels and counts", str(team))
        check(doc["added"] == [{"policy": "more/fresh", "new": f"policy fresh ({new}/more.yaml#2)",
                                "direction": "looser"}], "added policy", str(doc["added"]))
        check(doc["removed"] == [{"policy": "other/gone", "old": f"policy gone ({old}/all.yaml#3)"}],
              "removed policy", str(doc["removed"]))
        check((doc["old"], doc["new"], doc["tighter"], doc["looser"], doc["changed"])
              == (old, new, 0, 18, 0), "totals: 17 looser tools + 1 added policy", out)

        text, _ = expect(0, ["diff", old, new], "diff paired text")
        for line in ["== agents/ops", "== agents/team", "no changes for users",
                     "17 changes: 0 tighter, 17 looser, 0 changed",
                     f"added    more/fresh: policy fresh ({new}/more.yaml#2)  looser",
                     f"removed  other/gone: policy gone ({old}/all.yaml#3)",
                     "2 pairs, 1 added, 1 removed: 0 tighter, 18 looser, 0 changed"]:
            check(line in text, f"paired text shows: {line}", text)
        check(text.index("== agents/ops") < text.index("== agents/team") < text.index("added"),
              "pairs, then added and removed", text)

        # --fail-on-looser: a looser pair fails; so does a policy only on the
        # new side, even when every pair tightens; a removed one does not.
        expect(1, ["diff", "--fail-on-looser", old, new], "fail-on-looser, looser pair")
        out, _ = expect(1, ["diff", "--fail-on-looser", new, old],
                        "fail-on-looser, reversed: pairs tighten, other/gone is added")
        check("17 tighter, 1 looser" in out, "reversed: the added policy is the looser one", out)
        write(new, "team.yaml", policy("team", "  toolGating: {defaultAction: deny}\n"))
        out, _ = expect(1, ["diff", "--fail-on-looser", "--output", "json", old, new],
                        "fail-on-looser, only an added policy")
        doc = json.loads(out)
        check(all(p["looser"] == 0 for p in doc["pairs"]) and doc["looser"] == 1,
              "only the added policy is looser", out)
        os.remove(os.path.join(new, "more.yaml"))
        write(new, "ops.yaml", policy("ops", "  sandboxPolicy: {required: true}\n"))
        out, _ = expect(0, ["diff", "--fail-on-looser", old, new], "fail-on-looser, removed only")
        check("1 removed" in out and "0 looser" in out, "a removed policy is not looser", out)

        # A preset pairs by its name.
        out, _ = expect(0, ["diff", "--output", "json", "preset:restrictive", new],
                        "diff preset against a directory")
        doc = json.loads(out)
        check(doc["pairs"] == [] and [p["policy"] for p in doc["removed"]] == ["restrictive"]
              and len(doc["added"]) == 2, "preset keyed by its name", out)

        # The same namespace/name twice on a side is a usage error.
        write(new, "dup.yaml", policy("ops", "  sandboxPolicy: {required: false}\n"))
        got, out, err = run("diff", old, new)
        check(got == 2 and out == "" and len(err.splitlines()) == 1
              and "agents/ops appears twice" in err and "dup.yaml" in err and "ops.yaml" in err,
              f"duplicate namespace/name: exit {got}, one line naming both", err)
        got, _, err = run("diff", os.path.join(FIXTURES, "policies"), "preset:default")
        check(got == 2 and "appears twice" in err and "chart-" in err,
              "fixture policies (chart and plain copies) are duplicates", err)
        empty = os.path.join(d, "empty")
        os.mkdir(empty)
        got, _, err = run("diff", empty, new)
        check(got == 2 and "no SympoziumPolicy documents" in err, "an empty directory", err)


# --- replay ----------------------------------------------------------------

RUN = """apiVersion: sympozium.ai/v1alpha1
kind: AgentRun
metadata: {name: run-%(i)d, namespace: agents}
spec:
  agentRef: alice
  task: summarise
  sandbox:
    enabled: %(sandbox)s
    image: ghcr.io/sympozium-ai/sympozium/sandbox:latest
    resources: {limits: {cpu: "%(cpu)s", memory: 1Gi}}
  toolPolicy: {allow: [%(tool)s]}
"""


def generate_runs(directory, n, as_json=False):
    """n runs; under restrictive, i%4==0 lacks the sandbox, i%4==1 asks for a
    denied tool, i%4==2 exceeds the CPU cap, i%4==3 is admitted. Under
    permissive every run is admitted."""
    for i in range(n):
        kind = i % 4
        fields = {"i": i, "sandbox": "false" if kind == 0 else "true",
                  "cpu": "3" if kind == 2 else "1",
                  "tool": "write_file" if kind == 1 else "read_file"}
        if not as_json:
            write(directory, f"run-{i:05d}.yaml", RUN % fields)
            continue
        run = {"apiVersion": "sympozium.ai/v1alpha1", "kind": "AgentRun",
               "metadata": {"name": f"run-{i}", "namespace": "agents"},
               "spec": {"agentRef": "alice", "task": "summarise",
                        "sandbox": {"enabled": kind != 0,
                                    "image": "ghcr.io/sympozium-ai/sympozium/sandbox:latest",
                                    "resources": {"limits": {"cpu": fields["cpu"],
                                                             "memory": "1Gi"}}},
                        "toolPolicy": {"allow": [fields["tool"]]}}}
        write(directory, f"run-{i:05d}.json", json.dumps(run))


def replay_baseline():
    with tempfile.TemporaryDirectory() as d:
        runs = os.path.join(d, "runs")
        os.mkdir(runs)
        generate_runs(runs, 400)
        # Documents that are not runs are skipped, not errors.
        write(runs, "agent.yaml", """apiVersion: sympozium.ai/v1alpha1
kind: Agent
metadata: {name: alice, namespace: agents}
spec: {policyRef: strict-team}
""")
        out, _ = expect(1, ["replay", "--preset", "restrictive", "--baseline",
                            "preset:permissive", "--output", "json", runs], "replay json")
        doc = json.loads(out)
        check((doc["documents"], doc["allowed"], doc["denied"], doc["errors"], doc["skipped"])
              == (400, 100, 300, 0, 1), "replay counts", out[:400])
        check(doc["codes"] == {"sandbox.required": 100, "tool.denied": 100,
                               "resources.exceeds": 100}, "replay codes", str(doc["codes"]))
        check(doc["baseline_counts"]["allowed"] == 400, "baseline admits all")
        check(doc["changes"] == {"newly_denied": 300, "newly_allowed": 0, "reason_changed": 0},
              "replay changes", str(doc["changes"]))
        r1 = next(r for r in doc["results"] if r["object"] == "AgentRun agents/run-1")
        check(r1["code"] == "tool.denied" and r1["baseline"]["result"] == "allowed"
              and r1["change"] == "newly_denied", "run-1 newly denied for write_file", str(r1))

        # One worker or one per core: the same output, byte for byte (the
        # text summary differs only in its seconds).
        for fmt in ("json", "text"):
            outs = [expect(1, ["replay", "--preset", "restrictive", "--baseline",
                               "preset:permissive", "--output", fmt] + jobs + [runs],
                           f"replay {fmt} {jobs}")[0] for jobs in (["--jobs", "1"], [])]
            outs = [re.sub(r" in [0-9.]+ s ", " in N s ", o) for o in outs]
            check(outs[0] == outs[1], f"replay --jobs 1 and default {fmt} output are equal",
                  outs[0][:300] + " | " + outs[1][:300])
        expect(2, ["replay", "--preset", "restrictive", "--jobs", "x", runs], "replay --jobs x")

        # The other way round nothing is newly denied: exit 0.
        out, _ = expect(0, ["replay", "--preset", "permissive", "--baseline",
                            "preset:restrictive", runs], "replay loosening")
        check("0 newly denied, 300 newly allowed" in out, "replay text changes", out)
        check("Newly allowed (300):" in out and "... and 280 more" in out,
              "replay text lists examples", out)

        # The same policy through --cluster lookup (Agent -> policyRef).
        with open(os.path.join(FIXTURES, "policies", "restrictive.yaml")) as f:
            text = f.read().replace("name: restrictive", "name: strict-team\n  namespace: agents")
        with open(os.path.join(runs, "agent.yaml")) as f:
            cluster = write(d, "cluster.yaml", text + "\n---\n" + f.read())
        out, _ = expect(1, ["replay", "--cluster", cluster, "--output", "json", runs],
                        "replay --cluster")
        doc = json.loads(out)
        check((doc["allowed"], doc["denied"]) == (100, 300), "replay through the cluster",
              out[:300])

        # junit: one case per document; with a baseline only newly denied fail
        # and documents the baseline denies too are skipped.
        out, _ = expect(1, ["replay", "--preset", "restrictive", "--output", "junit", runs],
                        "replay junit")
        cases = junit(out, "replay junit")
        check(len(cases) == 400, f"replay junit has 400 cases, got {len(cases)}")
        check(sum(c.find("failure") is not None for c in cases) == 300, "300 failures")
        out, _ = expect(0, ["replay", "--preset", "restrictive", "--baseline",
                            "preset:restrictive", "--output", "junit", runs], "replay junit same")
        cases = junit(out, "replay junit with baseline")
        check(sum(c.find("skipped") is not None for c in cases) == 300, "300 skipped")

        # No policy at all is a usage error.
        expect(2, ["replay", runs], "replay without a policy")


def replay_volume():
    """10,000 generated runs, JSON and YAML, with a baseline: every one is
    evaluated and counted. How fast this goes is measured by scripts/bench,
    not here: a time bound would fail on a busy machine."""
    for as_json in (True, False):
        with tempfile.TemporaryDirectory() as d:
            generate_runs(d, 10000, as_json=as_json)
            out, _ = expect(1, ["replay", "--preset", "restrictive", "--baseline",
                                "preset:permissive", d], "replay 10000")
            check("replayed 10000 documents" in out, "replay saw 10000 documents", out[:300])


# --- admit junit, help, errors -----------------------------------------------

def junit_escaping():
    """Names and messages with XML's special characters stay well-formed."""
    with tempfile.TemporaryDirectory() as d:
        run = write(d, "run.yaml", """apiVersion: sympozium.ai/v1alpha1
kind: AgentRun
metadata: {name: "a<b>&'c\\"", namespace: agents}
spec:
  agentRef: alice
  task: t
  toolPolicy: {allow: ["<tool>&\\"'"]}
---
apiVersion: sympozium.ai/v1alpha1
kind: AgentRun
metadata: {name: "fi\\u0001ne", namespace: agents}
spec: {agentRef: alice, task: t, toolPolicy: {allow: ["\\u00e9\\u0001\\u007f"]}}
---
apiVersion: v1
kind: Pod
metadata: {name: p}
spec: {containers: [{name: c, image: busybox}]}
""")
        pol = write(d, "p.yaml", policy("p", """  toolGating:
    rules:
      - {tool: "<tool>&\\"'", action: deny}
      - {tool: "\\u00e9\\u0001\\u007f", action: deny}
"""))
        out, _ = expect(1, ["admit", "--policy", pol, "--output", "junit", run], "admit junit")
        cases = junit(out, "admit junit")
        check(len(cases) == 3, "admit junit: one case per document")
        if len(cases) == 3:
            check(cases[0].get("name") == "AgentRun agents/a<b>&'c\"", "name round-trips",
                  cases[0].get("name"))
            failure = cases[0].find("failure")
            check(failure is not None and failure.get("type") == "tool.denied"
                  and "<tool>&\\\"'" in failure.get("message"), "failure message round-trips",
                  out)
            # Control characters have no XML form; the message still parses.
            failure = cases[1].find("failure")
            check(failure is not None and "\u00e9" in failure.get("message"),
                  "a tool name with control characters is denied", out)
            check(cases[1].get("name") == "AgentRun agents/fi\ufffdne",
                  "a control character in a name becomes U+FFFD", cases[1].get("name"))
            check(cases[2].find("failure").get("type", "").startswith("pod."), "pod fails")
        # Allowed documents pass.
        ok = write(d, "ok.yaml", "apiVersion: sympozium.ai/v1alpha1\nkind: AgentRun\n"
                                 "metadata: {name: ok, namespace: agents}\n"
                                 "spec: {agentRef: alice, task: t}\n")
        out, _ = expect(0, ["admit", "--preset", "permissive", "--output", "junit", ok],
                        "admit junit allowed")
        cases = junit(out, "admit junit allowed")
        check(len(cases) == 1 and cases[0].find("failure") is None, "allowed case passes")


def help_texts():
    out, _ = expect(0, ["--help"], "main help")
    verbs = re.findall(r"^  ([a-z-]+)\s{2,}", out, re.M)
    for verb in ("admit", "lint", "diff", "replay"):
        check(verb in verbs, f"main help lists {verb}", out)
    for verb in verbs:
        out, _ = expect(0, [verb, "--help"], f"{verb} --help")
        check(out.startswith(f"usage: sympozium-policy {verb}"), f"{verb} help has usage", out)
        examples = out.split("Examples:\n")[-1]
        check("Examples:" in out and f"sympozium-policy {verb}" in examples,
              f"{verb} help has examples", out)


def usage_errors():
    """Exit 2 with one line on stderr naming the file (and line)."""
    with tempfile.TemporaryDirectory() as d:
        broken = write(d, "broken.yaml", "apiVersion: v1\nkind: [\n")
        good = write(d, "good.yaml", policy("g", "  featureGates: {sub-agents: true}\n"))
        missing = os.path.join(d, "missing.yaml")
        cases = {
            "admit": (["--preset", "default"], []),
            "lint": ([], []),
            "diff": ([], [good]),
            "replay": (["--preset", "default"], []),
        }
        for verb, (flags, extra) in cases.items():
            for what, args, needle in [
                    ("unknown flag", [*flags, "--bogus", good, *extra], "--bogus"),
                    ("unreadable file", [*flags, missing, *extra], missing),
                    ("YAML syntax error", [*flags, broken, *extra], f"{broken}:3:")]:
                got, out, err = run(verb, *args)
                check(got == 2, f"{verb}, {what}: exit {got}, want 2", err)
                check(len(err.splitlines()) == 1 and needle in err,
                      f"{verb}, {what}: one stderr line naming {needle}", err)
        got, _, err = run("replay", "--preset", "default", "--baseline", broken, good)
        check(got == 2 and f"{broken}:3:" in err, "replay: broken baseline", err)
        got, _, err = run("lint", "--output", "yaml", good)
        check(got == 2 and "--output yaml" in err, "lint: unknown output format", err)


# --- netpol, rbac, mutate, tool and the limit flags ----------------------------

def netpol_output():
    """--output text|json (text = YAML, `yaml` an alias); a policy that asks
    for no NetworkPolicy gives an empty v1 List in JSON."""
    text, _ = expect(0, ["netpol", "--preset", "restrictive", "--namespace", "agents"],
                     "netpol text")
    check(text.startswith("apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\n"),
          "netpol text is the YAML manifest", text)
    alias, _ = expect(0, ["netpol", "--preset", "restrictive", "--namespace", "agents",
                          "--output", "yaml"], "netpol --output yaml")
    check(alias == text, "--output yaml is text", alias)
    out, _ = expect(0, ["netpol", "--preset", "restrictive", "--namespace", "agents",
                        "--output", "json"], "netpol json")
    doc = json.loads(out)
    check(doc["kind"] == "NetworkPolicy" and doc["metadata"]["namespace"] == "agents",
          "netpol json is the NetworkPolicy", out)
    # permissive has no networkPolicy.
    out, err = expect(0, ["netpol", "--preset", "permissive", "--output", "json"],
                      "netpol json, none asked for")
    check(json.loads(out or "null") == {"apiVersion": "v1", "kind": "List", "items": []},
          "no NetworkPolicy: an empty v1 List", out)
    check("asks for no NetworkPolicy" in err, "no NetworkPolicy: a note on stderr", err)
    out, err = expect(0, ["netpol", "--preset", "permissive"], "netpol text, none asked for")
    check(out == "" and "asks for no NetworkPolicy" in err, "text: empty stdout and a note",
          out + err)
    got, _, err = run("netpol", "--preset", "restrictive", "--output", "xml")
    check(got == 2 and "--output xml: want text|json|yaml" in err, "netpol bad --output", err)
    out, _ = expect(0, ["netpol", "--help"], "netpol help")
    check("[--output text|json]" in out, "netpol help names text|json", out)
    # A hostname is reported with its code and path.
    with tempfile.TemporaryDirectory() as d:
        pol = write(d, "p.yaml", policy("p", """  networkPolicy:
    denyAll: true
    allowedEgress: [{host: api.example.com, port: 443}]
"""))
        _, err = expect(0, ["netpol", "--policy", pol], "netpol with a hostname")
        check("warning[netpol.unsupported_host] spec.networkPolicy.allowedEgress[0].host: " in err,
              "netpol warning with code and path", err)


def rbac_stderr():
    """Warnings with their codes and paths, and the cleanup selectors, on
    stderr; stdout stays the v1 List."""
    run_file = os.path.join(FIXTURES, "samples", "agentrun_sample.yaml")
    pack = os.path.join(FIXTURES, "skills", "k8s-ops.yaml")
    for fmt in ("yaml", "json"):
        out, err = expect(0, ["rbac", "--run", run_file, "--output", fmt, pack], f"rbac {fmt}")
        if fmt == "json":
            doc = json.loads(out)
            check(doc["apiVersion"] == "v1" and doc["kind"] == "List" and len(doc["items"]) == 4,
                  "rbac json is the v1 List", out[:300])
        else:
            check(out.startswith("apiVersion: v1\nkind: List\n"), "rbac yaml is the List",
                  out[:300])
        lines = err.splitlines()
        warnings = [l for l in lines if l.startswith("warning[")]
        check(warnings and len(warnings) + 1 == len(lines), "stderr: warnings, then cleanup", err)
        for want in ["warning[rbac.exec] SkillPack/k8s-ops spec.sidecar.rbac[0].resources[2]: ",
                     "warning[rbac.secrets] SkillPack/k8s-ops spec.sidecar.rbac[0].resources[6]: ",
                     "warning[rbac.rbac_objects] SkillPack/k8s-ops "
                     "spec.sidecar.clusterRBAC[4].resources[0]: "]:
            check(any(l.startswith(want) for l in warnings), f"rbac warns: {want}", err)
        check(lines[-1].startswith("cleanup selector: sympozium.ai/agent-run=alice-run-001,"
                                   "sympozium.ai/managed-by=sympozium"),
              "rbac prints the cleanup selector", err)
    # A pack without cluster RBAC makes no cluster-scoped object: no selector.
    with tempfile.TemporaryDirectory() as d:
        small = write(d, "pack.yaml", """apiVersion: sympozium.ai/v1alpha1
kind: SkillPack
metadata: {name: small, namespace: sympozium-system}
spec:
  sidecar:
    image: ghcr.io/acme/small:1
    rbac: [{apiGroups: [""], resources: [configmaps], verbs: [get]}]
""")
        out, err = expect(0, ["rbac", "--run", run_file, small], "rbac without clusterRBAC")
        check(err == "", "no warnings and no cleanup selector", err)


def mutate_errors():
    """A run that does not decode: JSON as admit reports an error, exit 1."""
    with tempfile.TemporaryDirectory() as d:
        bad = write(d, "bad.yaml", "apiVersion: sympozium.ai/v1alpha1\nkind: AgentRun\n"
                                   "metadata: {name: r, namespace: agents}\n"
                                   "spec: {agentRef: [1], task: t}\n")
        out, _ = expect(1, ["mutate", "--preset", "restrictive", "--output", "json", bad],
                        "mutate json, decode error")
        doc = json.loads(out or "null") or {}
        check(doc.get("allowed") is False and doc.get("result") == "error"
              and doc.get("status") == 400 and doc.get("code") == "decode.error"
              and doc.get("violations", [{}])[0].get("path") == "spec.agentRef"
              and "bad.yaml:4:" in doc.get("message", ""), "mutate json error object", out)
        admitted, _ = expect(1, ["admit", "--preset", "restrictive", "--output", "json", bad],
                             "admit json, decode error")
        want = json.loads(admitted)
        check({k: want[k] for k in ("allowed", "result", "status", "code", "message", "mode")}
              == {k: doc.get(k) for k in ("allowed", "result", "status", "code", "message",
                                          "mode")}, "mutate reports the error as admit does",
              f"{out}\n{admitted}")
        out, err = expect(1, ["mutate", "--preset", "restrictive", bad], "mutate text, error")
        check(out == "" and "spec.agentRef" in err, "mutate text: the error on stderr", err)


def mutate_documents():
    """Several documents: text reports each with its source, JSON is an array
    of the per-document objects, the exit code the worst of them."""
    run_doc = RUN % {"i": 0, "sandbox": "false", "cpu": "1", "tool": "read_file"}
    with tempfile.TemporaryDirectory() as d:
        one = write(d, "one.yaml", run_doc)
        single, _ = expect(0, ["mutate", "--preset", "restrictive", "--output", "json", one],
                           "mutate one run")
        check(json.loads(single)["allowed"] is True, "one document: one object", single)
        two = write(d, "two.yaml", run_doc + "---\n" + run_doc.replace("run-0", "run-1"))
        out, _ = expect(0, ["mutate", "--preset", "restrictive", "--output", "json", two],
                        "mutate multi-document json")
        doc = json.loads(out)
        check(isinstance(doc, list) and len(doc) == 2
              and [o["object"]["metadata"]["name"] for o in doc] == ["run-0", "run-1"]
              and doc[0]["patch"] == json.loads(single)["patch"],
              "an array of per-document objects, in order", out)
        text, _ = expect(0, ["mutate", "--preset", "restrictive", two], "mutate multi text")
        headers = [l for l in text.splitlines() if not l.startswith("  ")]
        check(len(headers) == 2 and headers[0].startswith(f"{two}#1: ")
              and headers[1].startswith(f"{two}#2: "), "text: each document under its source",
              text)

        # A directory with a document that is not a run: exit 1 (the worst),
        # the error in its place in the array, the others still mutated.
        runs = os.path.join(d, "runs")
        os.mkdir(runs)
        write(runs, "a.yaml", run_doc)
        write(runs, "b.yaml", "apiVersion: sympozium.ai/v1alpha1\nkind: AgentRun\n"
                              "metadata: {name: r, namespace: agents}\n"
                              "spec: {agentRef: [1], task: t}\n")
        write(runs, "c.yaml", run_doc.replace("run-0", "run-2"))
        out, _ = expect(1, ["mutate", "--preset", "restrictive", "--output", "json", runs],
                        "mutate directory json with an error")
        doc = json.loads(out)
        check([o.get("allowed") for o in doc] == [True, False, True]
              and doc[1]["code"] == "decode.error" and doc[1]["status"] == 400
              and doc[2]["object"]["metadata"]["name"] == "run-2",
              "error object in place, others mutated", out)
        text, err = expect(1, ["mutate", "--preset", "restrictive", runs], "mutate dir text")
        check(text.count(f"{runs}/") == 2 and "a.yaml: " in text and "c.yaml: " in text
              and "b.yaml:4:" in err, "text: results on stdout, the error on stderr", text + err)
        expect(0, ["mutate", "--preset", "restrictive", one, two], "several files, all ok")
        got, _, err = run("mutate", "--preset", "restrictive")
        check(got == 2 and "mutate needs a RUN" in err, "mutate without RUN: exit 2", err)
        empty = write(d, "empty.yaml", "# nothing\n")
        got, _, err = run("mutate", "--preset", "restrictive", empty)
        check(got == 2 and "no documents" in err, "mutate with no documents: exit 2", err)


TOOL_CLUSTER = """apiVersion: sympozium.ai/v1alpha1
kind: SympoziumPolicy
metadata: {name: team, namespace: agents}
spec:
  toolGating:
    defaultAction: allow
    rules:
      - {tool: execute_command, action: deny}
      - {tool: write_file, action: ask}
---
apiVersion: sympozium.ai/v1alpha1
kind: SympoziumPolicy
metadata: {name: broken, namespace: other}
spec:
  toolGating: {defaultAction: maybe}
---
apiVersion: sympozium.ai/v1alpha1
kind: Agent
metadata: {name: alice, namespace: agents}
spec: {policyRef: team}
---
apiVersion: sympozium.ai/v1alpha1
kind: Agent
metadata: {name: bob, namespace: agents}
spec: {policyRef: missing}
---
apiVersion: sympozium.ai/v1alpha1
kind: Agent
metadata: {name: free, namespace: agents}
spec: {}
"""


def tool_cluster():
    """tool takes --cluster like admit: the run's Agent's policy, or the one
    policy of --namespace; failed lookups exit 1, misuse exits 2."""
    with tempfile.TemporaryDirectory() as d:
        cluster = write(d, "cluster.yaml", TOOL_CLUSTER)

        def run_for(agent, extra=""):
            return write(d, f"{agent}.yaml", "apiVersion: sympozium.ai/v1alpha1\nkind: AgentRun\n"
                         "metadata: {name: r, namespace: agents}\n"
                         f"spec: {{agentRef: {agent}, task: t{extra}}}\n")

        alice = run_for("alice")
        out, _ = expect(1, ["tool", "--cluster", cluster, "--run", alice, "--output", "json",
                            "execute_command", "write_file", "read_file"], "tool --cluster --run")
        got = [(t["tool"], t["decision"]) for t in json.loads(out)]
        check(got == [("execute_command", "deny"), ("write_file", "ask"), ("read_file", "allow")],
              "decisions under the Agent's policy", out)
        check("policy team" in json.loads(out)[0]["reason"], "reason names the policy", out)
        # The run's own lists still come first.
        narrow = run_for("alice", ", toolPolicy: {deny: [read_file]}")
        out, _ = expect(1, ["tool", "--cluster", cluster, "--run", narrow, "read_file"],
                        "tool --cluster, run deny list")
        check(re.match(r"read_file\s+deny\s", out), "the run's deny list applies", out)
        out, _ = expect(0, ["tool", "--cluster", cluster, "--namespace", "agents", "write_file"],
                        "tool --cluster --namespace")
        check(re.match(r"write_file\s+ask\s+rule", out), "the namespace's policy", out)
        # An Agent without policyRef: no policy, allow.
        out, _ = expect(0, ["tool", "--cluster", cluster, "--run", run_for("free"),
                            "execute_command"], "tool --cluster, no policyRef")
        check(re.match(r"execute_command\s+allow\s", out), "no policy: allow", out)
        # A direct binding wins over the cluster.
        out, _ = expect(0, ["tool", "--cluster", cluster, "--preset", "permissive", "--run",
                            alice, "execute_command"], "tool --cluster --preset")
        # Failed lookups are admission errors.
        for what, args, needle in [
                ("missing Agent", ["--run", run_for("carol")], "agent.not_found"),
                ("missing policy", ["--run", run_for("bob")], "policy.not_found"),
                ("strict refuses the policy", ["--namespace", "other"], "policy.invalid")]:
            got, out, err = run("tool", "--cluster", cluster, *args, "read_file")
            check(got == 1 and out == "" and needle in err, f"tool --cluster, {what}: exit 1",
                  f"exit {got}\n{out}{err}")
        expect(0, ["tool", "--mode", "compat", "--cluster", cluster, "--namespace", "other",
                   "read_file"], "compat uses the policy strict refuses")
        # Misuse is exit 2.
        for what, args in [("no --run or --namespace", ["--cluster", cluster]),
                           ("empty namespace", ["--cluster", cluster, "--namespace", "none"]),
                           ("--namespace and --run", ["--cluster", cluster, "--namespace",
                                                      "agents", "--run", alice]),
                           ("--namespace without --cluster", ["--namespace", "agents"]),
                           ("--namespace with --preset", ["--cluster", cluster, "--preset",
                                                          "default", "--namespace", "agents"])]:
            got, _, err = run("tool", *args, "read_file")
            check(got == 2 and len(err.splitlines()) == 1, f"tool {what}: exit 2", err)


def limit_flags():
    """--max-* on every verb that reads inputs: each limit can be tightened
    and raised, bad values exit 2, and exceeding one names it."""
    with tempfile.TemporaryDirectory() as d:
        deep = write(d, "run.yaml", "apiVersion: sympozium.ai/v1alpha1\nkind: AgentRun\n"
                                    "metadata: {name: r, namespace: agents}\n"
                                    "spec: {agentRef: alice, task: t}\n"
                                    "status: {a: {b: {c: {d: 1}}}}\n")
        rules = "\n".join(f"      - {{tool: tool_{i}, action: deny}}" for i in range(3))
        regs = write(d, "p.yaml", policy("p", f"""  toolGating:
    rules:
{rules}
  imagePolicy:
    allowedRegistries: [ghcr.io/a/, ghcr.io/b/]
"""))
        cluster = write(d, "cluster.yaml", open(regs).read() + """---
apiVersion: sympozium.ai/v1alpha1
kind: Agent
metadata: {name: alice, namespace: agents}
spec: {policyRef: p}
""")
        pack = os.path.join(FIXTURES, "skills", "k8s-ops.yaml")
        model = write(d, "model.yaml", "apiVersion: sympozium.ai/v1alpha1\nkind: Model\n"
                                       "metadata: {name: m, namespace: agents}\n"
                                       "spec: {source: {url: 'https://x/m', sha256: '%s'}}\n"
                                       % ("0" * 64))
        blob = write(d, "blob", "")

        def refused(limit, args, what, source=""):
            got, out, err = run(*args)
            check(got == 2 and f"limit.{limit}" in err and len(err.splitlines()) == 1
                  and source in err and "ALLOWED" not in out,
                  f"{what}: exit 2 naming limit.{limit} {source}",
                  f"exit {got}\nstdout: {out[:300]}\nstderr: {err}")

        # Reading limits, on each verb that reads.
        refused("max_depth", ["admit", "--max-depth", "4", deep], "admit --max-depth")
        expect(0, ["admit", "--max-depth", "6", deep], "admit, deep enough")
        refused("max_bytes", ["mutate", "--max-bytes", "50", deep], "mutate --max-bytes")
        refused("max_nodes", ["start", "--max-nodes", "5", deep], "start --max-nodes")
        refused("max_list_length", ["lint", "--max-list-length", "2", regs],
                "lint --max-list-length")
        refused("max_documents", ["replay", "--preset", "default", "--max-documents", "1",
                                  cluster], "replay --max-documents")
        refused("max_depth", ["rbac", "--max-depth", "3", "--run", deep, pack],
                "rbac --max-depth on --run")
        refused("max_bytes", ["rbac", "--max-bytes", "1000", "--run", deep, pack],
                "rbac --max-bytes on a SkillPack", pack)
        refused("max_depth", ["tool", "--max-depth", "4", "--run", deep, "read_file"],
                "tool --max-depth")
        refused("max_bytes", ["verify-model", "--max-bytes", "20", model, blob],
                "verify-model --max-bytes")
        refused("max_bytes", ["diff", "--max-bytes", "20", "preset:default", regs],
                "diff --max-bytes")
        refused("max_bytes", ["admit", "--max-bytes", "300", "--cluster", cluster, deep],
                "admit --max-bytes on --cluster", cluster)
        # Compile limits: --policy, --cluster, diff, lint, replay --baseline, netpol.
        refused("max_tool_rules", ["admit", "--max-tool-rules", "2", "--policy", regs, deep],
                "admit --max-tool-rules")
        expect(0, ["admit", "--max-tool-rules", "3", "--policy", regs, deep],
               "admit, rules within the limit")
        refused("max_registries", ["netpol", "--max-registries", "1", "--policy", regs],
                "netpol --max-registries")
        refused("max_tool_rules", ["diff", "--max-tool-rules", "1", "preset:default", regs],
                "diff --max-tool-rules")
        refused("max_tool_rules", ["replay", "--preset", "default", "--baseline", regs,
                                   "--max-tool-rules", "1", deep], "replay --baseline limits")
        refused("max_tool_rules", ["tool", "--max-tool-rules", "2", "--cluster", cluster,
                                   "--namespace", "agents", "read_file"],
                "tool --max-tool-rules on --cluster", cluster)
        refused("max_registries", ["admit", "--max-registries", "1", "--cluster", cluster, deep],
                "admit --max-registries on --cluster", cluster)
        out, _ = expect(1, ["lint", "--max-tool-rules", "2", regs], "lint --max-tool-rules")
        check("limit.max_tool_rules" in out, "lint reports the limit as a finding", out)
        # Raising a limit lets a bigger input through.
        big = write(d, "big.yaml", open(deep).read() + "#" * (9 << 20) + "\n")
        refused("max_bytes", ["admit", big], "admit, default max_bytes")
        expect(0, ["admit", "--max-bytes", str(10 << 20), big], "admit, raised max_bytes")
        # Bad values.
        for value, problem in [("0", "must be at least 1"), ("4294967296", "must be at most 4294967295"),
                               *((v, "not a whole number (1 to 4294967295)")
                                 for v in ["-1", "abc", "1.5", "", "+3"])]:
            got, _, err = run("admit", f"--max-depth={value}", deep)
            check(got == 2 and f"--max-depth {value}: {problem}" in err
                  and len(err.splitlines()) == 1, f"--max-depth={value!r}: exit 2", err)
        got, _, err = run("admit", "--max-bytes", "18446744073709551616", deep)
        check(got == 2 and "--max-bytes" in err, "--max-bytes beyond 64 bits", err)
        # presets reads nothing: no limit flags.
        got, _, err = run("presets", "--max-depth", "3")
        check(got == 2 and "unknown flag --max-depth" in err, "presets has no limit flags", err)
        # Described once, in `help limits`; each verb's help points there.
        out, _ = expect(0, ["help", "limits"], "help limits")
        for name in ["--max-bytes", "--max-depth", "--max-documents", "--max-nodes",
                     "--max-list-length", "--max-tool-rules", "--max-registries"]:
            check(name in out, f"help limits lists {name}", out)
        out, _ = expect(0, ["admit", "--help"], "admit help")
        check("sympozium-policy help limits" in out and "--max-nodes N" not in out,
              "admit help points at help limits", out)

LABELLED_JOB = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "admission",
                            "labelled_job")


def review_of(obj, uid="u-7", operation="CREATE", namespace="default"):
    return {"apiVersion": "admission.k8s.io/v1", "kind": "AdmissionReview",
            "request": {"uid": uid, "operation": operation, "namespace": namespace,
                        "userInfo": {"username": "dev"}, "object": obj}}


def review_verb():
    """review answers a saved AdmissionReview as the webhook does; admit --cluster binds
    a workload's Agent through its pod template's instance label, the same way."""
    import yaml
    cluster = os.path.join(LABELLED_JOB, "cluster.yaml")
    job_file = os.path.join(LABELLED_JOB, "job.yaml")
    with open(job_file) as f:
        job = yaml.safe_load(f)
    with tempfile.TemporaryDirectory() as d:
        path = write(d, "review.json", json.dumps(review_of(job)))
        out, _ = expect(1, ["review", "--cluster", cluster, path], "review: denied job")
        resp = json.loads(out)["response"]
        check(resp["uid"] == "u-7" and resp["allowed"] is False and
              resp["status"]["code"] == 403, "review: the denial", out)
        check(len(resp.get("warnings", [])) == 3 and
              all(w.startswith("also: ") for w in resp["warnings"]),
              "review: the other three violations as warnings", out)
        # admit --cluster: the same four violations, the same order.
        out, _ = expect(1, ["admit", "--cluster", cluster, "--output", "json", job_file],
                        "admit --cluster on the labelled job")
        codes = [v["code"] for v in json.loads(out)["violations"]]
        check(codes == ["image.registry", "env.denied", "sandbox.required",
                        "agent_sandbox.runtime_class"], "admit --cluster binds alice's policy",
              out)
        out, _ = expect(1, ["admit", "--output", "json", job_file], "admit without a cluster")
        check([v["code"] for v in json.loads(out)["violations"]] == ["env.denied"],
              "admit without a cluster: the policy-independent rule only", out)

        out, _ = expect(0, ["review", "--cluster", cluster, "--enforcement", "warn", path],
                        "review --enforcement warn")
        resp = json.loads(out)["response"]
        check(resp["allowed"] is True and len(resp["warnings"]) == 4 and
              all(w.startswith("[would deny] ") for w in resp["warnings"]),
              "warn: allowed, four [would deny] warnings", out)
        out, _ = expect(0, ["review", "--cluster", cluster, "--enforcement", "audit", path],
                        "review --enforcement audit")
        resp = json.loads(out)["response"]
        check(resp["allowed"] is True and "warnings" not in resp, "audit: allowed silently", out)

        run_doc = {"apiVersion": "sympozium.ai/v1alpha1", "kind": "AgentRun",
                   "metadata": {"name": "r"},
                   "spec": {"agentRef": "alice", "task": "t", "env": {"LD_AUDIT": "x"}}}
        sample = [arg for name in ("agent_sample.yaml", "sympoziumpolicy_sample.yaml")
                  for arg in ("--cluster", os.path.join(FIXTURES, "samples", name))]
        run_path = write(d, "run.json", json.dumps(review_of(run_doc)))
        out, _ = expect(0, ["review", *sample, "--mode", "compat", "--shadow-mode", "strict",
                            run_path], "review --shadow-mode strict")
        warnings = json.loads(out)["response"].get("warnings", [])
        check(warnings[-1:] == ["[shadow strict] would deny [env.denied]"],
              "shadow: the disagreement as a warning", out)
        out, _ = expect(0, ["review", *sample, "--endpoint", "mutate", run_path],
                        "review --endpoint mutate")
        check(json.loads(out)["response"].get("patchType") == "JSONPatch", "mutate: a patch", out)

        # HTTP-level errors: a Status, exit 2, whatever the enforcement.
        for body in ["not json", json.dumps({"apiVersion": "v1", "kind": "Pod"})]:
            bad = write(d, "bad.json", body)
            out, _ = expect(2, ["review", "--enforcement", "audit", bad], "review: malformed")
            status = json.loads(out)
            check(status["kind"] == "Status" and status["code"] == 400, "a Status", out)
        out, _ = expect(2, ["review", "-"], "review from stdin", stdin="[]")
        check(json.loads(out)["code"] == 400, "stdin: a Status", out)
        # Usage errors.
        for args in (["review"], ["review", path, path], ["review", "--enforcement", "x", path],
                     ["review", "--shadow-mode", "x", path], ["review", "--endpoint", "x", path],
                     ["review", "--cluster", os.path.join(d, "missing.yaml"), path]):
            got, out, err = run(*args)
            check(got == 2 and out == "" and err, f"{args}: exit 2 with a message", err)


# --- folders, streams and --pod-security ------------------------------------

RESTRICTED_POD = """apiVersion: v1
kind: Pod
metadata: {name: NAME, namespace: shop}
spec:
  securityContext: {runAsNonRoot: true, seccompProfile: {type: RuntimeDefault}}
  containers:
  - name: web
    image: nginx:1.27
    securityContext:
      allowPrivilegeEscalation: false
      readOnlyRootFilesystem: true
      capabilities: {drop: [ALL]}
"""


def pod_json(name, privileged=False):
    sc = {"allowPrivilegeEscalation": False, "readOnlyRootFilesystem": True,
          "capabilities": {"drop": ["ALL"]}}
    if privileged:
        sc["privileged"] = True
    return json.dumps({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name},
                       "spec": {"securityContext": {"runAsNonRoot": True,
                                                    "seccompProfile": {"type": "RuntimeDefault"}},
                                "containers": [{"name": "c", "image": "nginx", "securityContext": sc}]}},
                      indent=1)


def folders_and_pod_security():
    """A bad file in a folder is reported with file:line and the rest is
    evaluated (exit code the worst); concatenated JSON objects are a stream;
    --pod-security evaluates a standard alone."""
    with tempfile.TemporaryDirectory() as d:
        write(d, "a-good.yaml", RESTRICTED_POD.replace("NAME", "good"))
        dup = write(d, "b-dup.yaml", "apiVersion: v1\nkind: Pod\nmetadata: {name: x}\nkind: Pod\n")
        write(d, "c-stream.json", pod_json("one") + "\n" + pod_json("two", privileged=True) + "\n")
        out, err = expect(2, ["admit", "--pod-security", "restricted", d], "admit DIR with a bad file")
        check(len(err.splitlines()) == 1 and f"{dup}:4:" in err, "the bad file's file:line on stderr", err)
        check(out.count("ALLOWED") == 2 and out.count("DENIED") == 1 and "c-stream.json#2" in out,
              "every other document evaluated, the stream's two", out)
        check("pod security standard restricted@latest" in out, "the standard named", out)
        out, _ = expect(2, ["admit", "--pod-security", "baseline@v1.30", "--output", "json", d],
                        "admit DIR --output json")
        decisions = json.loads(out)
        check([x["result"] for x in decisions] == ["allowed", "error", "allowed", "denied"],
              "one entry per document and per unreadable file, in file order", out)
        check(decisions[3]["violations"][0]["code"] == "pod.privileged", "the check's code", out)
        out, err = expect(2, ["replay", "--preset", "permissive", "--output", "json", d],
                          "replay DIR with a bad file")
        report = json.loads(out)
        check(report["allowed"] == 2 and report["denied"] == 1 and report["errors"] == 1,
              "replay counts the bad file as an error", out)
        # A file with nothing in it (truncated, or only comments) is reported,
        # not skipped: a gate that checked nothing must not pass it.
        empty = write(d, "b-empty.yaml", "# nothing yet\n")
        out, err = expect(2, ["replay", "--preset", "permissive", "--output", "json", d],
                          "replay DIR with an empty file")
        report = json.loads(out)
        check(report["errors"] == 2, "the empty file counts as an error", out)
        check(any(r["document"] == empty and r["result"] == "error" and
                  f"{empty}: no document to evaluate" in r["message"] for r in report["results"]),
              "the empty file named in the report", out)
        os.remove(empty)
        # Without the bad file: the worst is a denial.
        os.remove(dup)
        expect(1, ["admit", "--pod-security", "restricted", d], "admit DIR, one denied")
        expect(0, ["admit", "--pod-security", "restricted", os.path.join(d, "a-good.yaml")],
               "admit a restricted pod")
        for args, needle in [(["--pod-security", "privileged"], "baseline or restricted"),
                             (["--pod-security", "restricted@1.30"], "v1.N"),
                             (["--pod-security", "restricted", "--preset", "default"], "alone")]:
            got, _, err = run("admit", *args, d)
            check(got == 2 and needle in err, f"admit {args}: exit 2 naming {needle}", err)
    out, _ = expect(0, ["presets"], "presets")
    check("pod host access" in out and "restricted + P2,P9-14" in out, "presets lists the pod rules", out)


GROUPS = {f.__name__: f for f in (lint_fixtures, lint_findings, diff_presets, replay_baseline,
                                  replay_volume, junit_escaping, help_texts, usage_errors,
                                  netpol_output, rbac_stderr, mutate_errors, tool_cluster,
                                  limit_flags, diff_paired, mutate_documents, review_verb,
                                  folders_and_pod_security)}

if __name__ == "__main__":
    GROUPS[sys.argv[3]]()
    if FAILURES:
        print(f"{len(FAILURES)} failures", file=sys.stderr)
        sys.exit(1)
    print("ok")
