#!/usr/bin/env python3
"""Merges one scripts/bench run into bench/results.json and draws bench/chart.png.

  report.py [--bench sympozium_bench.json] [--python python.json] [--go go_bench.txt]
            [--peers compare.json] [--replay replay.json] [--webhook webhook.json]
            --results bench/results.json --chart bench/chart.png

A part not given keeps what bench/results.json holds from an earlier run, so
one part (say the webhook under load) can be measured again alone. Prints
the performance targets with the measured medians (CPU time) and whether
each is met; every target and figure in results.json names the command
that measured it.
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

# How scripts/bench runs each part; results.json names these beside the figures.
BENCH_COMMAND = ("build-bench/bench/sympozium_bench --benchmark_repetitions=5 "
                 "--benchmark_report_aggregates_only=true --benchmark_min_time=0.2")
REPLAY_COMMAND = "bench/replay_bench.py --cli build-bench/tools/sympozium-policy --runs 100000"
KYVERNO_ANCHOR = ("Kyverno's scaling page (https://kyverno.io/docs/installation/scaling) reports "
                  "42.7 ms average admission latency at 100 virtual users. A different setup: "
                  "requests through a Kubernetes API server to Kyverno's own policies in a "
                  "cluster, an average at a concurrency rather than percentiles at a fixed rate "
                  "on loopback, not a like-for-like comparison.")


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


def open_loop_at(webhook, rate):
    return next((r for r in webhook["runs"] if r["rate"] == rate), None) if webhook else None


def targets(b, python, go=None, webhook=None, replay=None):
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
    pod = cpu("BM_PodEvalJson") / cpu("BM_FloorSimdjsonDomPod")
    rows.append(("  ... over a simdjson DOM parse of the pod's bytes", "<= 2x", pod, "x", pod <= 2))
    denied = cpu("BM_AdmitAgentRunJsonDenied") / cpu("BM_AdmitAgentRunJson")
    rows.append(("denied AgentRun admission over an allowed one", "<= 1.3x", denied, "x",
                 denied <= 1.3))
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
    if "BM_CApiAdmitAgentRunJson" in b:  # results.json from before the C API family lacks it
        capi = cpu("BM_CApiAdmitAgentRunJson") / cpu("BM_AdmitAgentRunJson")
        rows.append(("C API evaluation over the C++ call (AgentRun JSON)", "<= 1.15x", capi, "x",
                     capi <= 1.15))
    if "BM_AdmitCluster/10000" in b and "heap_bytes_per_namespace" in b["BM_AdmitCluster/10000"]:
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
    at_5000 = open_loop_at(webhook, 5000)
    if at_5000:
        p99 = at_5000["latency_ms"]["p99"]
        rows.append(("webhook p99 at 5,000 req/s", "<= 2 ms", p99, "ms",
                     p99 <= 2 and at_5000["errors"]["total"] == 0))
    for fmt in ("json", "yaml") if replay else ():
        speedup = replay[fmt]["speedup"]
        rows.append(("replay speed-up on %d cores (%s)" % (replay["cores"], fmt.upper()), "> 1.6x",
                     speedup, "x", speedup > 1.6))
    return [{"target": name, "bound": bound, "value": round(value, 3), "unit": unit, "met": met,
             "command": command_for(name, webhook)}
            for name, bound, value, unit, met in rows]


def command_for(target, webhook):
    """The command behind a target's figure: the webhook's, replay's or sympozium_bench's."""
    if target.startswith("webhook"):
        return webhook["command"]
    if "replay" in target.lower():
        return REPLAY_COMMAND
    if target.startswith("Go "):
        return "cd bindings/go && go test -run '^$' -bench . -count 5"
    if target.startswith("Python "):
        return "bench/python_bench.py"
    return BENCH_COMMAND


def figures(b, replay, webhook):
    """The issue's figures beside their targets, each with its command."""
    cpu = lambda name: b[name]["cpu_ns"]  # noqa: E731
    rows = [
        ("AgentRun admission over a simdjson DOM parse of the same bytes",
         cpu("BM_AdmitAgentRunJson") / cpu("BM_FloorSimdjsonDom"), "x", BENCH_COMMAND),
        ("Pod evaluation over a simdjson DOM parse of the same bytes",
         cpu("BM_PodEvalJson") / cpu("BM_FloorSimdjsonDomPod"), "x", BENCH_COMMAND),
    ]
    # An admission's stages, each timed alone, over the same floor.
    stages = [("BM_FastParse", "parse alone (padded copy, DOM parse, reader rules)"),
              ("BM_FastDecode", "parse and decode (no checks)"),
              ("BM_ChecksAlone", "checks and decision alone (decoded before timing)")]
    for kind, floor in (("AgentRun", "BM_FloorSimdjsonDom"), ("Pod", "BM_FloorSimdjsonDomPod")):
        rows += [("%s %s over the DOM parse" % (kind, label), cpu(family + kind) / cpu(floor),
                  "x", BENCH_COMMAND) for family, label in stages]
    rows += [
        ("denied Pod evaluation over an allowed one",
         cpu("BM_PodEvalJsonDenied") / cpu("BM_PodEvalJson"), "x", BENCH_COMMAND),
        ("cluster memory per namespace (10,000 namespaces, one policy and one Agent each)",
         b["BM_AdmitCluster/10000"]["memory_usage_bytes"] / 10000, "bytes", BENCH_COMMAND),
    ]
    for fmt in ("json", "yaml") if replay else ():
        r = replay[fmt]
        rows += [("replay of %d %s runs, one core" % (replay["runs"], fmt.upper()),
                  r["one_core"]["runs_per_s"], "runs/s", replay["command"]),
                 ("replay of %d %s runs, one worker per core" % (replay["runs"], fmt.upper()),
                  r["parallel"]["runs_per_s"], "runs/s", replay["command"])]
    for run in webhook["runs"] if webhook else ():
        for key, label in (("p50", "p50"), ("p99", "p99"), ("p999", "p99.9"), ("max", "max")):
            rows.append(("webhook %s at %d req/s" % (label, run["rate"]),
                         run["latency_ms"][key], "ms", webhook["command"]))
        rows.append(("webhook achieved rate at %d req/s" % run["rate"],
                     run["achieved_per_second"], "req/s", webhook["command"]))
        rows.append(("webhook errors at %d req/s" % run["rate"], run["errors"]["total"],
                     "requests", webhook["command"]))
    return [{"figure": name, "value": round(value, 3), "unit": unit, "command": command}
            for name, value, unit, command in rows]


def chart(b, peers, replay, webhook, path):
    fig, ((scaling, paths, peer), (load, ratios, replayed)) = plt.subplots(2, 3, figsize=(17, 10.4))
    scaling_panel(scaling, b)
    hot_paths_panel(paths, b)
    if peers:
        peers_panel(peer, peers)
    if webhook:
        open_loop_panel(load, webhook)
    ratios_panel(ratios, b)
    if replay:
        replay_panel(replayed, replay)
    fig.tight_layout()
    fig.savefig(path, dpi=110)


def scaling_panel(scaling, b):
    """Each curve relative to its smallest size."""
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


def hot_paths_panel(paths, b):
    """Hot paths beside the parsing floors, in microseconds."""
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


def peers_panel(peer, peers):
    """The same decisions from the same JSON, log scale."""
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


def open_loop_panel(ax, webhook):
    """Latency percentiles at each fixed rate, the 2 ms target and the anchor."""
    keys = (("p50", "p50"), ("p99", "p99"), ("p999", "p99.9"), ("max", "max"))
    width = 0.8 / len(webhook["runs"])
    for i, run in enumerate(webhook["runs"]):
        xs = [k + (i - (len(webhook["runs"]) - 1) / 2) * width for k in range(len(keys))]
        values = [run["latency_ms"][key] for key, _ in keys]
        ax.bar(xs, values, width, label="%d req/s (achieved %.0f, %d errors)" % (
            run["rate"], run["achieved_per_second"], run["errors"]["total"]))
        for x, v in zip(xs, values):
            ax.text(x, v, "%.2f" % v, ha="center", va="bottom", fontsize=7)
    ax.axhline(2, color="grey", linestyle="--", linewidth=1, label="target: p99 <= 2 ms at 5,000")
    ax.set_xticks(range(len(keys)))
    ax.set_xticklabels([label for _, label in keys])
    ax.set_yscale("log")
    ax.set_ylabel("ms from the scheduled send time (log)")
    ax.set_title("Webhook, open loop, %d keep-alive TLS connections" % webhook["connections"])
    ax.legend(fontsize=8, loc="upper left")
    ax.set_xlabel("anchor, a different setup: Kyverno reports 42.7 ms average at 100 virtual "
                  "users\n(kyverno.io/docs/installation/scaling)", fontsize=8, color="dimgrey")


def ratios_panel(ax, b):
    """Admission over the parsing floor, and bytes per namespace."""
    cpu = lambda name: b[name]["cpu_ns"]  # noqa: E731
    bars = [("AgentRun\n/ DOM parse", cpu("BM_AdmitAgentRunJson") / cpu("BM_FloorSimdjsonDom"), 2),
            ("Pod\n/ DOM parse", cpu("BM_PodEvalJson") / cpu("BM_FloorSimdjsonDomPod"), 2),
            ("denied AgentRun\n/ allowed",
             cpu("BM_AdmitAgentRunJsonDenied") / cpu("BM_AdmitAgentRunJson"), 1.3),
            ("denied Pod\n/ allowed", cpu("BM_PodEvalJsonDenied") / cpu("BM_PodEvalJson"), 1.3)]
    xs = range(len(bars))
    ax.bar(xs, [v for _, v, _ in bars], color="#4c72b0", width=0.6)
    for x, (_, v, bound) in zip(xs, bars):
        ax.text(x, v, "%.2fx" % v, ha="center", va="bottom", fontsize=8)
        ax.plot([x - 0.35, x + 0.35], [bound, bound], color="grey", linestyle="--", linewidth=1)
    ax.set_xticks(list(xs))
    ax.set_xticklabels([label for label, _, _ in bars], fontsize=8)
    ax.set_ylabel("ratio of median CPU times (dashed: target)")
    per_namespace = b["BM_AdmitCluster/10000"]["memory_usage_bytes"] / 10000
    ax.set_title("Admission over the floor; cluster %.0f bytes per namespace (target 2,560)"
                 % per_namespace, fontsize=10)


def replay_panel(ax, replay):
    """Runs per second, one core against one worker per core."""
    width = 0.38
    formats = ("json", "yaml")
    for i, (mode, label) in enumerate((("one_core", "one core"),
                                       ("parallel", "one worker per core"))):
        xs = [k + (i - 0.5) * width for k in range(len(formats))]
        values = [replay[fmt][mode]["runs_per_s"] for fmt in formats]
        ax.bar(xs, values, width, label=label)
        for x, v in zip(xs, values):
            ax.text(x, v, "%.0f" % v, ha="center", va="bottom", fontsize=8)
    ax.set_xticks(range(len(formats)))
    ax.set_xticklabels(["%d %s runs" % (replay["runs"], fmt.upper()) for fmt in formats])
    ax.set_yscale("log")
    ax.set_ylabel("runs per second (log)")
    ax.set_title("replay on %d cores" % replay["cores"])
    ax.legend(fontsize=8)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bench")
    parser.add_argument("--python")
    parser.add_argument("--peers")
    parser.add_argument("--go")
    parser.add_argument("--replay")
    parser.add_argument("--webhook")
    parser.add_argument("--results", required=True)
    parser.add_argument("--chart", required=True)
    parser.add_argument("--command", default="scripts/bench")
    args = parser.parse_args()

    load = lambda p: json.load(open(p)) if p and os.path.exists(p) else None  # noqa: E731
    earlier = load(args.results) or {}
    if args.bench:
        context, b = load_bench(args.bench)
        host = machine(context)
    elif "benchmarks" in earlier:
        b, host = earlier["benchmarks"], earlier["machine"]
    else:
        parser.error("--bench is needed: %s holds no earlier run" % args.results)
    python = load(args.python) or earlier.get("python")
    peers = load(args.peers) or earlier.get("peers")
    go = load_go(args.go) if args.go and os.path.exists(args.go) else earlier.get("go")
    replay = load(args.replay)
    replay = dict(replay, command=REPLAY_COMMAND) if replay else earlier.get("replay")
    webhook = load(args.webhook) or earlier.get("webhook_open_loop")
    webhook = webhook and dict(webhook, anchor=KYVERNO_ANCHOR)
    rows = targets(b, python, go, webhook, replay)
    results = {"command": args.command, "machine": host, "targets": rows,
               "figures": figures(b, replay, webhook), "benchmarks_command": BENCH_COMMAND,
               "benchmarks": b, "go": go, "python": python, "peers": peers, "replay": replay,
               "webhook_open_loop": webhook}
    with open(args.results, "w") as f:
        json.dump(results, f, indent=2, sort_keys=False)
        f.write("\n")
    chart(b, peers, replay, webhook, args.chart)

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
    for run in webhook["runs"] if webhook else ():
        lat = run["latency_ms"]
        print("Webhook at %d req/s over %d connections: p50 %.3f ms, p99 %.3f ms, p99.9 %.3f ms, "
              "max %.3f ms, achieved %.0f req/s, %d errors" % (
                  run["rate"], run["connections"], lat["p50"], lat["p99"], lat["p999"],
                  lat["max"], run["achieved_per_second"], run["errors"]["total"]))
    if webhook:
        print("Anchor: " + webhook["anchor"])
    print("Wrote %s and %s" % (args.results, args.chart))


if __name__ == "__main__":
    main()
