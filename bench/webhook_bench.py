#!/usr/bin/env python3
"""The webhook under fixed-rate load: starts sympozium-webhook over TLS and
runs webhook_open_loop against it at each rate.

  webhook_bench.py --server BIN --load BIN --fixtures DIR --data DIR
                   [--rates 1000,5000] [--seconds 10] [--warmup-seconds 2]
                   [--connections 16] [--io-threads N] [--work DIR] [--out FILE]

The server gets only the flags a deployment needs (--cert, --key, --listen,
--config, and --io-threads when given; everything else at its default), a self-signed certificate made
with openssl into the work directory, and a config of the Agent sample
(default/alice), the SkillPacks the run names and the restrictive preset as
its policy. The reviews alternate between bench/data/agentrun.json (1.9 KB,
allowed) and the same run without its sandbox (denied: the preset requires
one), so half are allowed and half denied; every answer's `allowed` and
status code is checked. Prints one line per rate (with the server's CPU
from /proc and the generator's own), writes the figures as JSON
to --out, and exits 1 when any request failed or got a wrong answer (the
ctest webhook.open_loop runs it for one second at a low rate).
"""
import argparse
import copy
import json
import os
import re
import select
import shlex
import shutil
import signal
import ssl
import subprocess
import sys
import tempfile
import time
import urllib.request

import yaml

SKILLS = ("code-review", "github-gitops")
MIX = ("AgentRun AdmissionReviews to /validate, alternating: bench/data/agentrun.json "
       "(allowed) and the same run without spec.sandbox (denied by the restrictive preset)")


def review(obj):
    return {"apiVersion": "admission.k8s.io/v1", "kind": "AdmissionReview",
            "request": {"uid": "@@UID@@", "operation": "CREATE", "namespace": "default",
                        "kind": {"group": "sympozium.ai", "version": "v1alpha1",
                                 "kind": "AgentRun"},
                        "object": obj}}


def write_config(fixtures, config):
    """The cluster view: the Agent sample, its SkillPacks, restrictive as its policy."""
    os.makedirs(config)

    def copy_fixture(rel):
        with open(os.path.join(fixtures, rel)) as f, \
                open(os.path.join(config, os.path.basename(rel)), "w") as out:
            out.write(f.read())
    copy_fixture("samples/agent_sample.yaml")
    for skill in SKILLS:
        copy_fixture("skills/%s.yaml" % skill)
    with open(os.path.join(fixtures, "policies/restrictive.yaml")) as f:
        policy = yaml.safe_load(f)
    policy["metadata"] = {"name": "default-policy", "namespace": "default"}
    with open(os.path.join(config, "policy.yaml"), "w") as f:
        yaml.safe_dump(policy, f)


def write_cases(data, path):
    with open(os.path.join(data, "agentrun.json")) as f:
        run = json.load(f)
    bare = copy.deepcopy(run)
    del bare["spec"]["sandbox"]
    cases = [{"name": "allowed", "path": "/validate", "review": review(run),
              "expect": [{"allowed": True, "code": 200}]},
             {"name": "denied", "path": "/validate", "review": review(bare),
              "expect": [{"allowed": False, "code": 403}]}]
    with open(path, "w") as f:
        json.dump({"cases": cases}, f)


def make_certificate(work):
    cert, key = os.path.join(work, "tls.crt"), os.path.join(work, "tls.key")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key,
                    "-out", cert, "-days", "1", "-subj", "/CN=localhost",
                    "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"],
                   check=True, capture_output=True)
    return cert, key


def start_server(command, cert, log):
    """The server process and its port, once /readyz answers 200."""
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=log, text=True)
    ready, _, _ = select.select([proc.stdout], [], [], 30)
    line = proc.stdout.readline() if ready else ""
    m = re.fullmatch(r"sympozium-webhook listening on https://127\.0\.0\.1:(\d+)\n", line)
    if not m:
        proc.kill()
        raise SystemExit("webhook_bench: the server did not start: %r" % line)
    port = int(m.group(1))
    tls = ssl.create_default_context(cafile=cert)
    for _ in range(300):
        try:
            with urllib.request.urlopen("https://127.0.0.1:%d/readyz" % port, context=tls,
                                        timeout=5) as answer:
                if answer.status == 200:
                    return proc, port
        except OSError:
            pass
        time.sleep(0.1)
    proc.kill()
    raise SystemExit("webhook_bench: /readyz never answered 200")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--server", required=True)
    ap.add_argument("--load", required=True)
    ap.add_argument("--fixtures", required=True)
    ap.add_argument("--data", required=True)
    ap.add_argument("--rates", default="1000,5000")
    ap.add_argument("--seconds", type=float, default=10)
    ap.add_argument("--warmup-seconds", type=float, default=2)
    ap.add_argument("--connections", type=int, default=16)
    ap.add_argument("--io-threads", type=int)
    ap.add_argument("--work")
    ap.add_argument("--out")
    args = ap.parse_args()

    with tempfile.TemporaryDirectory(prefix="webhook-bench-") as scratch:
        work = args.work or scratch
        os.makedirs(work, exist_ok=True)
        config = os.path.join(work, "config")
        shutil.rmtree(config, ignore_errors=True)
        write_config(args.fixtures, config)
        cases = os.path.join(work, "cases.json")
        write_cases(args.data, cases)
        cert, key = make_certificate(work)
        server = [args.server, "--cert", cert, "--key", key, "--listen", "127.0.0.1:0",
                  "--config", config]
        if args.io_threads:
            server += ["--io-threads", str(args.io_threads)]
        with open(os.path.join(work, "server.log"), "w") as log:
            proc, port = start_server(server, cert, log)
            try:
                runs = [run_rate(args, port, cert, cases, float(rate), proc.pid)
                        for rate in args.rates.split(",")]
            finally:
                proc.send_signal(signal.SIGTERM)
                proc.wait(timeout=30)
    result = {"command": " ".join(["bench/webhook_bench.py"] + sys.argv[1:]),
              "connections": args.connections, "mix": MIX,
              "server": "sympozium-webhook --cert tls.crt --key tls.key --listen 127.0.0.1:0 "
                        "--config DIR" + (" --io-threads %d" % args.io_threads
                                          if args.io_threads else " (one io thread per core)"),
              "certificate": "self-signed RSA 2048, openssl req -x509",
              "runs": runs}
    if args.out:
        os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
        with open(args.out, "w") as f:
            json.dump(result, f, indent=2)
            f.write("\n")
    if any(r["errors"]["total"] or not plausible(r) for r in runs):
        sys.exit("webhook_bench: errors or implausible figures: " + json.dumps(runs))


def cpu_seconds(pid):
    """User plus system CPU time of process `pid`, all its threads."""
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def run_rate(args, port, cert, cases, rate, server_pid):
    command = [args.load, "--port", str(port), "--ca", cert, "--cases", cases,
               "--rate", "%g" % rate, "--seconds", "%g" % args.seconds,
               "--warmup-seconds", "%g" % args.warmup_seconds,
               "--connections", str(args.connections)]
    cpu_before, wall_before = cpu_seconds(server_pid), time.monotonic()
    out = subprocess.run(command, capture_output=True, text=True,
                         timeout=args.seconds + args.warmup_seconds + 60)
    cpu = cpu_seconds(server_pid) - cpu_before
    wall = time.monotonic() - wall_before
    sys.stderr.write(out.stderr)
    if not out.stdout.strip():
        sys.exit("webhook_bench: webhook_open_loop printed nothing (exit %d)" % out.returncode)
    run = json.loads(out.stdout)
    run["command"] = " ".join(shlex.quote(os.path.basename(c) if i == 0 else c)
                              for i, c in enumerate(command))
    # The server's CPU over the client's whole run (connecting, warm-up and
    # timed requests), per request answered.
    run["server_cpu"] = {"seconds": round(cpu, 3), "percent": round(100 * cpu / wall, 1),
                         "us_per_request": round(1e6 * cpu / max(run["requests"], 1), 1)}
    lat, client, server = run["latency_ms"], run["client_cpu"], run["server_cpu"]
    print("open loop at %.0f req/s over %d connections for %g s: achieved %.0f req/s, "
          "p50 %.3f ms, p99 %.3f ms, p99.9 %.3f ms, max %.3f ms, errors %d; "
          "CPU: server %.0f%% (%.0f us/request), client %.0f%% (%.0f us/request)"
          % (rate, run["connections"], run["seconds"], run["achieved_per_second"], lat["p50"],
             lat["p99"], lat["p999"], lat["max"], run["errors"]["total"], server["percent"],
             server["us_per_request"], client["percent"], client["us_per_request"]))
    return run


def plausible(run):
    """Every timed request answered and counted, the percentiles in order, and
    no more than the rate asked: no bounds on the time taken."""
    lat = run["latency_ms"]
    return (run["timed"] == round(run["rate"] * run["seconds"]) and
            0 < lat["p50"] <= lat["p99"] <= lat["p999"] <= lat["max"] and
            0 < run["achieved_per_second"] <= run["rate"] * 1.01 and
            sum(run["answers"].values()) == run["requests"] and len(run["answers"]) == 2)


if __name__ == "__main__":
    main()
