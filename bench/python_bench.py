#!/usr/bin/env python3
"""What a Python call costs over the C++ one (<= 3 us over C++).

Times sympozium's Python module on the inputs sympozium_bench uses and sets
each median beside the matching C++ median from sympozium_bench's JSON
output:

  PYTHONPATH=build-bench/python /usr/bin/python3 bench/python_bench.py \
      --ours sympozium_bench.json [--out python.json]

Times are CPU time (time.process_time_ns), the median of 7 repeats, as the
C++ side reports CPU time medians.
"""
import argparse
import json
import os
import statistics
import sys
import time
import timeit

import sympozium

DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data")


def per_call_ns(fn, min_seconds=0.2, repeats=7):
    timer = timeit.Timer(fn, timer=time.process_time)
    number, _ = timer.autorange()
    number = max(number, int(number * min_seconds / 0.2))
    return statistics.median(t / number * 1e9 for t in timer.repeat(repeats, number))


def cxx_medians(path):
    with open(path) as f:
        report = json.load(f)
    medians = {}
    scale = {"ns": 1, "us": 1e3, "ms": 1e6, "s": 1e9}
    for b in report["benchmarks"]:
        if b.get("aggregate_name", "median") == "median":
            medians[b.get("run_name", b["name"])] = b["cpu_time"] * scale[b["time_unit"]]
    return medians


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ours", help="sympozium_bench --benchmark_format=json output")
    parser.add_argument("--out", help="write the results here as JSON")
    args = parser.parse_args()

    policy = sympozium.Policy.preset("restrictive")
    with open(os.path.join(DATA, "agentrun.json"), "rb") as f:
        run = f.read()
    with open(os.path.join(DATA, "pod.json"), "rb") as f:
        pod = f.read()
    if not policy.evaluate(run).allowed or not policy.evaluate(pod).allowed:
        sys.exit("python_bench: the bench inputs are not admitted")

    # (name, Python call, the C++ benchmark it is set against)
    cases = [
        ("evaluate(AgentRun JSON bytes)", lambda: policy.evaluate(run), "BM_AdmitAgentRunJson"),
        ("evaluate(Pod JSON bytes)", lambda: policy.evaluate(pod), "BM_PodEvalJson"),
        ("tool_decision(tool)", lambda: policy.tool_decision("execute_command"), "BM_ToolDecision"),
    ]
    cxx = cxx_medians(args.ours) if args.ours else {}
    results = []
    print("Python (%s) over C++, median CPU time per call" % sys.version.split()[0])
    for name, fn, cxx_name in cases:
        py_ns = per_call_ns(fn)
        cxx_ns = cxx.get(cxx_name)
        over = None if cxx_ns is None else py_ns - cxx_ns
        results.append({"call": name, "python_ns": py_ns, "cxx_benchmark": cxx_name,
                        "cxx_ns": cxx_ns, "overhead_ns": over})
        shown = "" if over is None else "   C++ %8.0f ns   overhead %+7.0f ns" % (cxx_ns, over)
        print("  %-32s %9.0f ns%s" % (name, py_ns, shown))
    if args.out:
        with open(args.out, "w") as f:
            json.dump({"python": sys.version.split()[0], "calls": results}, f, indent=2)
            f.write("\n")


if __name__ == "__main__":
    main()
