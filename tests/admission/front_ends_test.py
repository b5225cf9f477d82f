#!/usr/bin/python3
"""Every front end answers an AdmissionReview alike.

Each sample AgentRun, SkillPack, Model, Pod and workload of the fixtures and
of the conformance cases is wrapped in an AdmissionReview and answered by
  - the CLI:      sympozium-policy review --cluster CLUSTER --mode M [--endpoint mutate]
  - the C API:    sym_admission_review, through ctypes over libsympozium_c.so
  - Python:       sympozium.admission_review
  - the webhook:  POST /validate or /mutate over HTTPS (one server per mode)
and the four answers must be the same JSON (allowed, status code and
message, every warning, the patch). The cluster all of them use (one per
mode: what a --config load in that mode accepts, since strict refuses a policy
that compiles only in compat form) holds each conformance case's Agent, policy and SkillPacks in a namespace of the case's
own, so the lookups find what the case meant; pods named by a case's policy
carry an instance label naming an Agent bound to it. The strict webhook also
writes a decision log, read back at the end: one JSON line per review.

  front_ends_test.py --cli BIN --capi LIB --webhook BIN --data DIR --labelled-job DIR
"""
import argparse
import copy
import ctypes
import glob
import http.client
import json
import os
import re
import select
import signal
import ssl
import subprocess
import sys
import tempfile

import yaml

import sympozium

FAILURES = []
# The CLI answers every CLI_STRIDE-th review (one process each, the slow
# part under a sanitizer); C, Python and the webhook answer all of them.
CLI_STRIDE = int(os.environ.get("SYMPOZIUM_FRONT_ENDS_CLI_STRIDE", "1"))
WORKLOAD_KINDS = {"Pod", "Job", "CronJob", "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet"}
MODES = ("strict", "compat")
LOG_FIELDS = {"time", "uid", "operation", "kind", "namespace", "name", "user", "allowed", "result",
              "code", "violations", "mode", "enforcement", "policy", "generation", "latencyMicros"}


def check(cond, what):
    if not cond:
        FAILURES.append(what)
        print("FAIL: " + what, file=sys.stderr)


def review(obj, uid, namespace):
    kind = obj.get("kind", "")
    group, _, version = obj.get("apiVersion", "").rpartition("/")
    return {"apiVersion": "admission.k8s.io/v1", "kind": "AdmissionReview",
            "request": {"uid": uid, "operation": "CREATE", "namespace": namespace,
                        "kind": {"group": group, "version": version, "kind": kind},
                        "name": obj.get("metadata", {}).get("name", ""),
                        "userInfo": {"username": "front-ends-test"}, "object": obj}}


def agent(name, namespace, policy_ref):
    spec = {"policyRef": policy_ref} if policy_ref else {}
    return {"apiVersion": "sympozium.ai/v1alpha1", "kind": "Agent",
            "metadata": {"name": name, "namespace": namespace}, "spec": spec}


def in_namespace(doc, namespace):
    doc = copy.deepcopy(doc)
    doc.setdefault("metadata", {})["namespace"] = namespace
    return doc


def key_of(doc):
    meta = doc.get("metadata") or {}
    return doc.get("kind"), meta.get("namespace"), meta.get("name")


class Samples:
    """The reviews to send and the clusters (one per mode) they are answered against."""

    def __init__(self):
        self.clusters = {mode: [] for mode in MODES}   # documents
        self.reviews = []   # (mode, endpoint, review)

    def add(self, obj, mode="strict", endpoint="validate", namespace="default"):
        if not isinstance(obj, dict):
            return
        uid = "sample-%d" % len(self.reviews)
        self.reviews.append((mode, endpoint, review(obj, uid, namespace)))

    def add_cluster(self, docs):
        """Adds docs to the cluster of each mode whose store accepts all of them
        unbroken, as a --config load in that mode does (a case whose policy does
        not compile still has its object reviewed)."""
        keys = {key_of(d) for d in docs}
        for mode, cluster in self.clusters.items():
            store = sympozium.ClusterStore(mode=mode)
            try:
                if store.upsert([yaml.safe_dump(d) for d in docs]) is not None:
                    continue
            except sympozium.PolicyError:
                continue
            # One object per kind, namespace and name (a --config load refuses
            # two): a later sample's object replaces an earlier one.
            cluster[:] = [d for d in cluster if key_of(d) not in keys] + list(docs)


def conformance(samples, cases_dir):
    for i, path in enumerate(sorted(glob.glob(os.path.join(cases_dir, "*", "*.yaml")))):
        with open(path) as f:
            case = yaml.safe_load(f)
        mode = case.get("mode", "compat")
        ns = "case-%d" % i
        policy = case.get("policy")
        docs = []
        if isinstance(policy, dict):
            docs.append(in_namespace(policy, ns))
        policy_name = policy.get("metadata", {}).get("name", "") if isinstance(policy, dict) else ""
        run = case.get("agentRun")
        if isinstance(run, dict):
            run = copy.deepcopy(run)
            original_ns = run.get("metadata", {}).get("namespace", "default")
            run = in_namespace(run, ns)
            if "agent" not in case:
                docs.append(agent(run.get("spec", {}).get("agentRef", ""), ns, policy_name))
            elif isinstance(case["agent"], dict):
                docs.append(in_namespace(case["agent"], ns))
            for pack in case.get("skillPacks") or []:
                pack_ns = pack.get("metadata", {}).get("namespace", "default")
                docs.append(in_namespace(pack, ns) if pack_ns == original_ns else pack)
        obj = case.get("object")
        if isinstance(obj, dict) and policy_name:
            # The pod's policy comes from the Agent its instance label names.
            obj = in_namespace(obj, ns)
            obj["metadata"].setdefault("labels", {})["sympozium.ai/instance"] = "pod-agent"
            docs.append(agent("pod-agent", ns, policy_name))
        samples.add_cluster(docs)
        endpoint = "mutate" if case["operation"] == "mutateAgentRun" else "validate"
        samples.add(run, mode, endpoint, ns)
        if case["operation"] == "admitAgentRun":
            samples.add(run, mode, "mutate", ns)
        samples.add(case.get("skillPack"), mode, "validate", ns)
        samples.add(obj, mode, "validate", ns)


def fixtures(samples, data, labelled_job):
    base = os.path.join(data, "fixtures", "sympozium")
    for rel in ("samples/agent_sample.yaml", "samples/sympoziumpolicy_sample.yaml"):
        with open(os.path.join(base, rel)) as f:
            samples.add_cluster(list(yaml.safe_load_all(f)))
    for path in sorted(glob.glob(os.path.join(base, "skills", "*.yaml"))):
        with open(path) as f:
            packs = [d for d in yaml.safe_load_all(f) if d]
        samples.add_cluster(packs)
        for pack in packs:
            for mode in ("strict", "compat"):
                samples.add(pack, mode)
    for path in sorted(glob.glob(os.path.join(base, "samples", "*.yaml"))):
        with open(path) as f:
            for doc in yaml.safe_load_all(f):
                if doc and doc.get("kind") in {"AgentRun", "SkillPack"} | WORKLOAD_KINDS:
                    for mode in ("strict", "compat"):
                        samples.add(doc, mode)
                        if doc["kind"] == "AgentRun":
                            samples.add(doc, mode, "mutate")
    with open(os.path.join(labelled_job, "cluster.yaml")) as f:
        samples.add_cluster(list(yaml.safe_load_all(f)))
    with open(os.path.join(labelled_job, "job.yaml")) as f:
        samples.add(yaml.safe_load(f))
    sha = "ab" * 32
    for url in ("https://hf.co/llama.gguf", "http://files.example.com/m.gguf",
                "http://model-store.ai.svc/m.gguf"):
        for mode in ("strict", "compat"):
            samples.add({"apiVersion": "sympozium.ai/v1alpha1", "kind": "Model",
                         "metadata": {"name": "llama", "namespace": "ai"},
                         "spec": {"source": {"url": url, "sha256": sha}}}, mode)
    # Bad input is answered alike too.
    samples.add({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"}})
    samples.add({"apiVersion": "sympozium.ai/v1alpha1", "kind": "AgentRun", "spec": []})


class CApi:
    def __init__(self, path, cluster_text):
        lib = ctypes.CDLL(path)
        lib.sym_cluster_create.restype = ctypes.c_void_p
        lib.sym_cluster_add.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_char_p,
                                        ctypes.c_size_t, ctypes.POINTER(ctypes.c_char_p)]
        lib.sym_options_create.restype = ctypes.c_void_p
        lib.sym_options_set_mode.argtypes = [ctypes.c_void_p, ctypes.c_int]
        lib.sym_admission_review.restype = ctypes.c_void_p
        lib.sym_admission_review.argtypes = [
            ctypes.c_void_p, ctypes.c_void_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_size_t,
            ctypes.POINTER(ctypes.c_int), ctypes.POINTER(ctypes.c_char_p)]
        lib.sym_free.argtypes = [ctypes.c_void_p]
        self.lib = lib
        self.cluster = lib.sym_cluster_create()
        err = ctypes.c_char_p()
        data = cluster_text.encode()
        if lib.sym_cluster_add(self.cluster, b"cluster", data, len(data), ctypes.byref(err)) != 0:
            raise RuntimeError("sym_cluster_add: %s" % err.value)
        self.options = {}
        for name, value in (("strict", 0), ("compat", 1)):
            self.options[name] = lib.sym_options_create()
            lib.sym_options_set_mode(self.options[name], value)

    def review(self, mode, endpoint, body):
        status = ctypes.c_int()
        err = ctypes.c_char_p()
        out = self.lib.sym_admission_review(self.cluster, self.options[mode],
                                            1 if endpoint == "mutate" else 0, body, len(body),
                                            ctypes.byref(status), ctypes.byref(err))
        if not out:
            raise RuntimeError("sym_admission_review: %s" % err.value)
        text = ctypes.string_at(out).decode()
        self.lib.sym_free(out)
        return status.value, text


class Webhook:
    def __init__(self, binary, tmp, config, mode, decision_log):
        self.cert = os.path.join(tmp, "tls.crt")
        key = os.path.join(tmp, "tls.key")
        if not os.path.exists(self.cert):
            subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout",
                            key, "-out", self.cert, "-days", "1", "-subj", "/CN=localhost",
                            "-addext", "subjectAltName=IP:127.0.0.1"],
                           check=True, capture_output=True)
        args = [binary, "--cert", self.cert, "--key", key, "--listen", "127.0.0.1:0", "--config",
                config, "--mode", mode, "--poll-interval-ms", "0"]
        if decision_log:
            args += ["--decision-log", decision_log]
        self.log = open(os.path.join(tmp, "webhook-%s.log" % mode), "w")
        self.proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=self.log, text=True)
        ready, _, _ = select.select([self.proc.stdout], [], [], 30)
        if not ready:
            raise RuntimeError("the %s webhook printed no address within 30 s" % mode)
        m = re.search(r":(\d+)$", self.proc.stdout.readline().strip())
        self.port = int(m.group(1))
        self.conn = None

    def review(self, endpoint, body):
        # The server closes a keep-alive connection idle past its read
        # timeout; a closed one is opened again.
        for attempt in (1, 2):
            if self.conn is None:
                self.conn = http.client.HTTPSConnection(
                    "127.0.0.1", self.port, timeout=30,
                    context=ssl.create_default_context(cafile=self.cert))
            try:
                self.conn.request("POST", "/" + endpoint, body,
                                  {"Content-Type": "application/json"})
                res = self.conn.getresponse()
                return res.status, res.read().decode()
            except (http.client.HTTPException, OSError):
                self.conn.close()
                self.conn = None
                if attempt == 2:
                    raise

    def stop(self):
        if self.conn is not None:
            self.conn.close()
        self.proc.send_signal(signal.SIGTERM)
        rc = self.proc.wait(timeout=30)
        self.log.close()
        return rc


def main():
    ap = argparse.ArgumentParser()
    for flag in ("--cli", "--capi", "--webhook", "--data", "--labelled-job"):
        ap.add_argument(flag, required=True)
    args = ap.parse_args()

    samples = Samples()
    fixtures(samples, args.data, args.labelled_job)
    conformance(samples, os.path.join(args.data, "conformance", "cases"))
    cluster_texts = {mode: yaml.safe_dump_all(docs) for mode, docs in samples.clusters.items()}
    py_clusters = {mode: sympozium.Cluster(text) for mode, text in cluster_texts.items()}
    capis = {mode: CApi(args.capi, text) for mode, text in cluster_texts.items()}

    with tempfile.TemporaryDirectory(prefix="front-ends-") as tmp:
        configs = {}
        for mode, text in cluster_texts.items():
            configs[mode] = os.path.join(tmp, "cluster-%s.yaml" % mode)
            with open(configs[mode], "w") as f:
                f.write(text)
        decision_log = os.path.join(tmp, "decisions.jsonl")
        webhooks = {"strict": Webhook(args.webhook, tmp, configs["strict"], "strict", decision_log),
                    "compat": Webhook(args.webhook, tmp, configs["compat"], "compat", None)}
        counts = {}
        strict_uids = []
        try:
            for i, (mode, endpoint, rev) in enumerate(samples.reviews):
                body = json.dumps(rev)
                cli = None
                if i % CLI_STRIDE == 0:
                    path = os.path.join(tmp, "review.json")
                    with open(path, "w") as f:
                        f.write(body)
                    cli = subprocess.run([args.cli, "review", "--cluster", configs[mode], "--mode",
                                          mode, "--endpoint", endpoint, path], capture_output=True,
                                         text=True)
                c_status, c_body = capis[mode].review(mode, endpoint, body.encode())
                py = sympozium.admission_review(rev, cluster=py_clusters[mode], mode=mode,
                                                endpoint=endpoint)
                w_status, w_body = webhooks[mode].review(endpoint, body)
                if mode == "strict":
                    strict_uids.append(rev["request"]["uid"])
                what = "%s (%s %s, %s)" % (rev["request"]["uid"], rev["request"]["kind"]["kind"],
                                           mode, endpoint)
                check(w_status == 200 and c_status == 200 and "httpStatus" not in py,
                      "%s: HTTP %d / %d / %s" % (what, w_status, c_status, py.get("httpStatus")))
                want = json.loads(w_body)
                if cli is not None:
                    check(json.loads(cli.stdout) == want, "%s: the CLI answered\n  %s\nthe "
                          "webhook\n  %s" % (what, cli.stdout.strip(), w_body))
                    check(cli.returncode == (0 if want["response"]["allowed"] else 1),
                          "%s: CLI exit %d" % (what, cli.returncode))
                check(json.loads(c_body) == want, "%s: C answered\n  %s\nthe webhook\n  %s"
                      % (what, c_body, w_body))
                check(py == want, "%s: Python answered\n  %s\nthe webhook\n  %s"
                      % (what, json.dumps(py), w_body))
                resp = want["response"]
                key = (resp["allowed"], resp["status"]["code"])
                counts[key] = counts.get(key, 0) + 1
        finally:
            rcs = {mode: w.stop() for mode, w in webhooks.items()}
        check(rcs == {"strict": 0, "compat": 0}, "webhook exit codes %s" % rcs)

        with open(decision_log) as f:
            lines = [json.loads(line) for line in f]
        check([l["uid"] for l in lines] == strict_uids,
              "the decision log has one line per strict review, in order (%d lines, %d reviews)"
              % (len(lines), len(strict_uids)))
        for line in lines:
            check(LOG_FIELDS <= set(line), "log line lacks %s" % (LOG_FIELDS - set(line)))
            check(line["mode"] == "strict" and line["enforcement"] == "deny" and
                  line["user"] == "front-ends-test" and line["generation"] == 1,
                  "log line facts: %s" % line)
            check(isinstance(line["violations"], list) and
                  (line["code"] == "" or line["code"] == line["violations"][0]),
                  "log line code/violations: %s" % line)

    print("%d reviews answered alike by C, Python and the webhook over HTTPS, and %d of them "
          "by the CLI; (allowed, code): %s; %d decision-log lines read back"
          % (len(samples.reviews), len(range(0, len(samples.reviews), CLI_STRIDE)),
             json.dumps(sorted((str(k), v) for k, v in counts.items())), len(lines)))
    if FAILURES:
        print("%d failures" % len(FAILURES), file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
