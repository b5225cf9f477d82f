#!/usr/bin/env python3
"""Times `sympozium-policy replay` over generated runs, one worker against one per core.

  replay_bench.py --cli build-bench/tools/sympozium-policy --out replay.json [--runs 100000]

Writes the runs as JSON (`kind: List` files) and as YAML (multi-document
streams), 1,000 runs a file, so reading spreads over the workers too. Under
`restrictive` a quarter of them are admitted; the other three quarters are
denied for three different reasons. Before any time is compared, the JSON
output of `--jobs 1` and of the default must be byte for byte equal (the same
work, the same decisions). Reports the median of 5 wall-clock runs and
runs/s, the one-worker and parallel runs interleaved.
"""
import argparse
import json
import os
import statistics
import subprocess
import tempfile
import time

PER_FILE = 1000


def run_object(i):
    k = i % 4
    return {"apiVersion": "sympozium.ai/v1alpha1", "kind": "AgentRun",
            "metadata": {"name": "run-%d" % i, "namespace": "agents"},
            "spec": {"agentRef": "alice", "task": "summarise",
                     "sandbox": {"enabled": k != 0,
                                 "image": "ghcr.io/sympozium-ai/sympozium/sandbox:latest",
                                 "resources": {"limits": {"cpu": "3" if k == 2 else "1",
                                                          "memory": "1Gi"}}},
                     "toolPolicy": {"allow": ["write_file" if k == 1 else "read_file"]}}}


def write_runs(directory, runs, fmt):
    os.makedirs(directory)
    for first in range(0, runs, PER_FILE):
        objs = [run_object(i) for i in range(first, min(first + PER_FILE, runs))]
        path = os.path.join(directory, "runs-%06d.%s" % (first, fmt))
        with open(path, "w") as f:
            if fmt == "json":
                json.dump({"apiVersion": "v1", "kind": "List", "items": objs}, f)
            else:  # JSON is YAML: one flow-style document per run
                f.write("".join("---\n%s\n" % json.dumps(o) for o in objs))


def replay(cli, directory, jobs):
    # The report goes to a file, not a pipe: a reader of a pipe would take
    # one of the cores replay is measured on.
    with tempfile.TemporaryFile() as report:
        start = time.monotonic()
        out = subprocess.run([cli, "replay", "--preset", "restrictive", "--jobs", str(jobs),
                              "--output", "json", directory], stdout=report,
                             stderr=subprocess.PIPE)
        took = time.monotonic() - start
        if out.returncode != 1:  # 1: some runs are denied, as generated
            raise SystemExit("replay exited %d: %s" % (out.returncode, out.stderr[:400]))
        report.seek(0)
        return took, report.read()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cli", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--runs", type=int, default=100000)
    args = parser.parse_args()
    results = {"runs": args.runs, "cores": os.cpu_count()}
    with tempfile.TemporaryDirectory() as tmp:
        for fmt in ("json", "yaml"):
            directory = os.path.join(tmp, fmt)
            write_runs(directory, args.runs, fmt)
            _, serial_out = replay(args.cli, directory, 1)
            _, parallel_out = replay(args.cli, directory, 0)
            if serial_out != parallel_out:
                raise SystemExit("replay --jobs 1 and the default disagree on %s" % fmt)
            summary = json.loads(serial_out)
            if summary["documents"] != args.runs:
                raise SystemExit("replay saw %d of %d runs" % (summary["documents"], args.runs))
            entry = {"allowed": summary["allowed"], "denied": summary["denied"]}
            # Interleaved, so a change in the machine's load hits both alike.
            times = {"one_core": [], "parallel": []}
            for _ in range(5):
                for label, jobs in (("one_core", 1), ("parallel", 0)):
                    times[label].append(replay(args.cli, directory, jobs)[0])
            for label, seconds in times.items():
                entry[label] = {"seconds": statistics.median(seconds),
                                "runs_per_s": args.runs / statistics.median(seconds)}
            entry["speedup"] = entry["one_core"]["seconds"] / entry["parallel"]["seconds"]
            results[fmt] = entry
            print("replay %d %s runs: one core %.0f runs/s, parallel %.0f runs/s (%.2fx)" % (
                args.runs, fmt, entry["one_core"]["runs_per_s"], entry["parallel"]["runs_per_s"],
                entry["speedup"]))
    with open(args.out, "w") as f:
        json.dump(results, f, indent=2)
        f.write("\n")


if __name__ == "__main__":
    main()
