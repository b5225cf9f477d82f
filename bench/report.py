#!/usr/bin/env python3
"""Merges one scripts/bench run into bench/results.json and draws bench/chart.png.

  report.py --bench sympozium_bench.json [--python python.json] [--go go_bench.txt]
            [--peers compare.json] [--replay replay.json] --results bench/results.json --chart bench/chart.png

Prints the performance targets with the measured medians (CPU time) and whether
each is met.
"""
import argparse
import json
import os
import platform
import subprocess

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402  (after choosing the backend)

SCALE = {"ns": 1, "us": 1e3, "ms": 1e6, "s": 1e9}


def load_bench(path):
    """{name: {cpu_ns, real_ns, counters...}} from the medians of each benchmark."""
    with open(path) as f:
        report = json.load(f)
    out = {}
    for b in report["benchmarks"]:
        if b.get("aggregate_name", "median") != "median":
            continue
        name = b.get("run_name", b["name"]).replace("/iterations:1", "")
        entry = {"cpu_ns": b["cpu_time"] * SCALE[b["time_unit"]],
                 "real_ns": b["real_time"] * SCALE[b["time_unit"]]}
        for key in ("allocs", "memory_usage_bytes", "heap_bytes", "heap_bytes_per_namespace",
                    "values", "objects"):
            if key in b:
                entry[key] = b[key]
        out[name] = entry
    return report["context"], out


def machine(context):
    cpu = platform.processor()
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next(l.split(":", 1)[1].strip() for l in f if l.startswith("model name"))
    except (OSError, StopIteration):
        pass
    compiler = subprocess.run(["c++", "--version"], capture_output=True, text=True).stdout
    return {
        "cpu": cpu,
        "cores": context.get("num_cpus"),
        "mhz": context.get("mhz_per_cpu"),
        "os": platform.platform(),
        "compiler": compiler.splitlines()[0] if compiler else "",
        "simdjson_implementation": context.get("simdjson_implementation", ""),
        "date": context.get("date"),
    }


def load_go(path):
    """{benchmark: median cpu-ns/op} from `go test -bench` output."""
    runs = {}
    with open(path) as f:
        for line in f:
            fields = line.split()
            if fields and fields[0].startswith("Benchmark") and "cpu-ns/op" in fields:
                name = fields[0].rsplit("-", 1)[0]
                runs.setdefault(name, []).append(float(fields[fields.index("cpu-ns/op") - 1]))
    return {name: sorted(v)[len(v) // 2] for name, v in runs.items()}


def targets(b, python, go=None):
    cpu = lambda name: b[name]["cpu_ns"]  # noqa: E731
    presets = sorted(n.split("/")[1] for n in b if n.startswith("BM_CompilePresetJson/"))
    rows = [
        ("tool decision", "<= 20 ns", cpu("BM_ToolDecision"), "ns", cpu("BM_ToolDecision") <= 20),
        ("AgentRun admission from ~2 KB JSON", "<= 1 us", cpu("BM_AdmitAgentRunJson") / 1e3, "us",
         cpu("BM_AdmitAgentRunJson") <= 1000),
        ("  ... over a simdjson DOM parse of the bytes", "<= 2x",
         cpu("BM_AdmitAgentRunJson") / cpu("BM_FloorSimdjsonDom"), "x",
         cpu("BM_AdmitAgentRunJson") <= 2 * cpu("BM_FloorSimdjsonDom")),
        ("Pod evaluation from JSON", "<= 1.5 us", cpu("BM_PodEvalJson") / 1e3, "us",
         cpu("BM_PodEvalJson") <= 1500),
    ]
    worst_json = max(cpu("BM_CompilePresetJson/" + p) for p in presets)
    rows.append(("compile a preset from JSON (slowest preset)", "<= 20 us", worst_json / 1e3, "us",
                 worst_json <= 20000))
    worst_yaml = max(cpu("BM_CompilePresetYaml/" + p) / cpu("BM_FloorYamlCppPreset/" + p)
                     for p in presets)
    rows.append(("compile from YAML over a bare yaml-cpp load (worst)", "<= 1.2x", worst_yaml, "x",
                 worst_yaml <= 1.2))
    rules = cpu("BM_ToolDecisionRules/10000") / cpu("BM_ToolDecisionRules/10")
    rows.append(("10,000 tool rules over 10", "<= 1.3x", rules, "x", rules <= 1.3))
    regs = cpu("BM_AdmitRegistries/1000") / cpu("BM_AdmitRegistries/1")
    rows.append(("1,000 allowed registries over 1", "<= 1.3x", regs, "x", regs <= 1.3))
    capi = cpu("BM_CApiAdmitAgentRunJson") / cpu("BM_AdmitAgentRunJson")
    rows.append(("C API evaluation over the C++ call (AgentRun JSON)", "<= 1.15x", capi, "x",
                 capi <= 1.15))
    cluster = b["BM_AdmitCluster/10000"]["heap_bytes_per_namespace"] / 1e3
    rows.append(("cluster memory per namespace (heap, 10,000 namespaces)", "<= 2.5 KB", cluster,
                 "KB", cluster <= 2.5))
    if go and "BenchmarkEvaluate" in go:
        ratio = go["BenchmarkEvaluate"] / cpu("BM_AdmitAgentRunJson")
        rows.append(("Go evaluation over the C++ call (AgentRun JSON)", "<= 1.3x", ratio, "x",
                     ratio <= 1.3))
    if python:
        over = next(c["overhead_ns"] for c in python["calls"] if c["call"].startswith("evaluate(Ag"))
        if over is not None:
            rows.append(("Python evaluate() over the C++ call", "<= 3 us", over / 1e3, "us",
                         over <= 3000))
    return [{"target": name, "bound": bound, "value": round(value, 3), "unit": unit, "met": met}
            for name, bound, value, unit, met in rows]


def chart(b, peers, path):
    fig, (scaling, paths, peer) = plt.subplots(1, 3, figsize=(17, 5.2))

    # Scaling: each curve relative to its smallest size.
    for family, label in (("BM_ToolDecisionRules", "tool decision vs tool rules"),
                          ("BM_AdmitRegistries", "admission vs allowed registries"),
                          ("BM_AdmitCluster", "admission vs namespaces (own policy each)")):
        points = sorted((int(n.split("/")[1]), v["cpu_ns"]) for n, v in b.items()
                        if n.startswith(family + "/"))
        base = points[0][1]
        scaling.plot([x for x, _ in points], [y / base for _, y in points], marker="o",
                     label="%s (%.0f ns at %d)" % (label, base, points[0][0]))
    scaling.axhline(1.3, color="grey", linestyle="--", linewidth=1, label="target: 1.3x")
    scaling.set_xscale("log")
    scaling.set_ylim(0, 2)
    scaling.set_xlabel("size")
    scaling.set_ylabel("time relative to the smallest size")
    scaling.set_title("Scaling")
    scaling.legend(fontsize=8, loc="upper left")

    # Hot paths beside the parsing floors, in microseconds.
    bars = [("DOM parse\n(floor)", "BM_FloorSimdjsonDom"),
            ("On Demand\nwalk (floor)", "BM_FloorSimdjsonOnDemandWalk"),
            ("read\nto tree", "BM_ReadAgentRunJson"),
            ("AgentRun\nadmission", "BM_AdmitAgentRunJson"),
            ("Pod\nevaluation", "BM_PodEvalJson"),
            ("compile\npreset (JSON)", "BM_CompilePresetJson/restrictive")]
    bars = [(label, b[name]["cpu_ns"] / 1e3) for label, name in bars if name in b]
    colors = ["#bbbbbb" if "floor" in label else "#4c72b0" for label, _ in bars]
    paths.bar([label for label, _ in bars], [v for _, v in bars], color=colors)
    for i, (_, v) in enumerate(bars):
        paths.text(i, v, "%.2f" % v, ha="center", va="bottom", fontsize=8)
    paths.set_ylabel("microseconds (median CPU time)")
    paths.set_title("Hot paths on ~2 KB JSON, beside the parsing floors")
    paths.tick_params(axis="x", labelsize=8)

    # Peers, log scale.
    if peers:
        engines = [("sympozium", peers["ours"]["tool_ns"], peers["ours"]["pod_ns"])]
        engines += [(e["name"], e["tool_ns"], e["pod_ns"]) for e in peers["engines"]]
        width = 0.38
        xs = range(len(engines))
        peer.bar([x - width / 2 for x in xs], [e[1] / 1e3 for e in engines], width,
                 label="tool gate", color="#55a868")
        peer.bar([x + width / 2 for x in xs], [e[2] / 1e3 for e in engines], width,
                 label="pod, ten checks", color="#c44e52")
        for x, (_, tool, pod) in zip(xs, engines):
            peer.text(x - width / 2, tool / 1e3, "%.2f" % (tool / 1e3), ha="center",
                      va="bottom", fontsize=8)
            peer.text(x + width / 2, pod / 1e3, "%.1f" % (pod / 1e3), ha="center",
                      va="bottom", fontsize=8)
        peer.set_xticks(list(xs))
        peer.set_xticklabels([e[0] for e in engines])
        peer.set_yscale("log")
        peer.set_ylabel("microseconds per decision from JSON text (log)")
        peer.set_title("Same decisions, same JSON: peers")
        peer.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=110)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bench", required=True)
    parser.add_argument("--python")
    parser.add_argument("--peers")
    parser.add_argument("--go")
    parser.add_argument("--replay")
    parser.add_argument("--results", required=True)
    parser.add_argument("--chart", required=True)
    parser.add_argument("--command", default="scripts/bench")
    args = parser.parse_args()

    context, b = load_bench(args.bench)
    load = lambda p: json.load(open(p)) if p and os.path.exists(p) else None  # noqa: E731
    python, peers, replay = load(args.python), load(args.peers), load(args.replay)
    go = load_go(args.go) if args.go and os.path.exists(args.go) else None
    rows = targets(b, python, go)
    results = {"command": args.command, "machine": machine(context), "targets": rows,
               "benchmarks": b, "go": go, "python": python, "peers": peers,
               "replay": replay and dict(replay, command="bench/replay_bench.py --runs %d"
                                         % replay["runs"])}
    with open(args.results, "w") as f:
        json.dump(results, f, indent=2, sort_keys=False)
        f.write("\n")
    chart(b, peers, args.chart)

    print("Targets, medians of CPU time:")
    for r in rows:
        print("  %-52s %-9s %10.3f %-2s  %s" % (r["target"], r["bound"], r["value"], r["unit"],
                                               "met" if r["met"] else "MISSED"))
    print("Memory: compiled presets %s bytes; 10,000-namespace cluster %.1f MB counted, "
          "%.1f MB on the heap" % (
              ", ".join("%s %d" % (n.split("/")[1], v["memory_usage_bytes"])
                        for n, v in sorted(b.items()) if n.startswith("BM_MemoryPreset/")),
              b["BM_AdmitCluster/10000"]["memory_usage_bytes"] / 1e6,
              b["BM_AdmitCluster/10000"]["heap_bytes"] / 1e6))
    for fmt in ("json", "yaml") if replay else ():
        r = replay[fmt]
        print("Replay of %d %s runs: one core %.0f runs/s, every core %.0f runs/s (%.2fx)" % (
            replay["runs"], fmt.upper(), r["one_core"]["runs_per_s"], r["parallel"]["runs_per_s"],
            r["speedup"]))
    print("Wrote %s and %s" % (args.results, args.chart))


if __name__ == "__main__":
    main()
