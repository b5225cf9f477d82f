#!/usr/bin/env python3
"""End-to-end test of sympozium-webhook over real HTTPS.

Makes a self-signed certificate, starts the server on 127.0.0.1 (port 0: the
server picks a free one and prints it) with a ConfigMap-shaped --config
directory, then:
  1. sends AdmissionReviews with curl: allowed and denied AgentRuns,
     SkillPacks, Models and pods, errors, malformed bodies, mutate (the
     patch decoded and compared op by op), metrics;
  2. runs 20,000 requests (SYMPOZIUM_WEBHOOK_LOAD_REQUESTS) over 8
     keep-alive connections (webhook_load) and checks every answer and that
     none is lost;
  3. swaps the config between two policy sets under load (by polling and by
     SIGHUP, and once to a broken file that must keep the old set), checking
     every answer matches one set or the other;
  4. stops the server with SIGTERM by its PID;
  5. starts servers with --enforcement warn and audit, --shadow-mode and
     --decision-log (a file and standard error), and reads the log back.

  webhook_test.py --server BIN --load BIN --fixtures DIR
"""
import argparse
import base64
import copy
import json
import os
import re
import select
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import time

import yaml

# The steady load's size; a sanitizer build runs fewer (each request costs
# several times more there, and 5,000 pass through the same code).
LOAD_REQUESTS = int(os.environ.get("SYMPOZIUM_WEBHOOK_LOAD_REQUESTS", "20000"))
UID = "705ab4f5-6393-11e8-b7cc-42010a800002"
TIMEOUT = 2  # the server's --timeout-seconds


class Failure(Exception):
    pass


def check(cond, what):
    if not cond:
        raise Failure(what)


def review(obj, uid=UID, operation="CREATE", namespace="default"):
    request = {"uid": uid, "operation": operation, "namespace": namespace,
               "kind": {"group": "sympozium.ai", "version": "v1alpha1",
                        "kind": obj.get("kind", "") if obj else ""}}
    if obj is not None:
        request["object"] = obj
    return {"apiVersion": "admission.k8s.io/v1", "kind": "AdmissionReview",
            "request": request}


class ConfigMapDir:
    """A directory shaped like a mounted ConfigMap: visible names are
    symlinks through `..data`, which each update repoints at a new hidden
    directory with one atomic rename (what the kubelet does)."""

    def __init__(self, path):
        self.path = path
        self.version = 0
        os.makedirs(path)

    def publish(self, files):
        self.version += 1
        target = "..v%d" % self.version
        os.makedirs(os.path.join(self.path, target))
        for name, text in files.items():
            with open(os.path.join(self.path, target, name), "w") as f:
                f.write(text)
        tmp = os.path.join(self.path, "..data_tmp")
        os.symlink(target, tmp)
        os.rename(tmp, os.path.join(self.path, "..data"))
        for name in os.listdir(self.path):
            if not name.startswith(".") and name not in files:
                os.remove(os.path.join(self.path, name))
        for name in files:
            link = os.path.join(self.path, name)
            if not os.path.islink(link):
                os.symlink(os.path.join("..data", name), link)


class Server:
    def __init__(self, binary, tmp, config, extra=()):
        self.tmp = tmp
        self.cert = os.path.join(tmp, "tls.crt")
        key = os.path.join(tmp, "tls.key")
        subprocess.run(
            ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key,
             "-out", self.cert, "-days", "1", "-subj", "/CN=localhost",
             "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"],
            check=True, capture_output=True)
        self.log_path = os.path.join(tmp, "server.log")
        self.log = open(self.log_path, "w")
        self.proc = subprocess.Popen(
            [binary, "--cert", self.cert, "--key", key, "--listen", "127.0.0.1:0",
             "--config", config, "--poll-interval-ms", "200", "--max-body-bytes", "65536",
             "--timeout-seconds", str(TIMEOUT), *extra],
            stdout=subprocess.PIPE, stderr=self.log, text=True)
        ready, _, _ = select.select([self.proc.stdout], [], [], 10)
        check(ready, "the server printed no address within 10 s")
        line = self.proc.stdout.readline()
        m = re.fullmatch(r"sympozium-webhook listening on https://127\.0\.0\.1:(\d+)\n", line)
        check(m, "unexpected first line: %r" % line)
        self.port = int(m.group(1))
        self.url = "https://127.0.0.1:%d" % self.port
        for _ in range(100):
            if self.curl("/healthz", method="GET")[0] == 200:
                return
            time.sleep(0.1)
        raise Failure("/healthz never answered")

    def curl(self, path, body=None, content_type="application/json", method="POST"):
        """(HTTP status, body text) from a real curl."""
        args = ["curl", "-sS", "--cacert", self.cert, "-X", method, "-w", "\n%{http_code}"]
        if body is not None:
            data = os.path.join(self.tmp, "body")
            with open(data, "wb") as f:
                f.write(body if isinstance(body, bytes) else json.dumps(body).encode())
            args += ["-H", "Content-Type: " + content_type, "--data-binary", "@" + data]
        out = subprocess.run(args + [self.url + path], capture_output=True, text=True, timeout=20)
        check(out.returncode == 0, "curl %s failed: %s" % (path, out.stderr))
        text, _, status = out.stdout.rpartition("\n")
        return int(status), text

    def admit(self, path, obj, **kw):
        """The AdmissionResponse for one review, after checking the envelope."""
        status, text = self.curl(path, review(obj, **kw))
        check(status == 200, "%s: HTTP %d %s" % (path, status, text))
        answer = json.loads(text)
        check(answer["apiVersion"] == "admission.k8s.io/v1" and
              answer["kind"] == "AdmissionReview", "bad envelope: " + text)
        check(answer["response"]["uid"] == kw.get("uid", UID), "uid not echoed: " + text)
        return answer["response"]

    def metrics(self):
        status, text = self.curl("/metrics", method="GET")
        check(status == 200, "/metrics: HTTP %d" % status)
        return text

    def metric(self, name, text=None):
        m = re.search(r"^%s (\d+)$" % re.escape(name), text or self.metrics(), re.M)
        check(m, "no metric " + name)
        return int(m.group(1))

    def wait_metric(self, name, least, what):
        """Waits until the metric reaches `least`; returns its value."""
        for _ in range(100):
            value = self.metric(name)
            if value >= least:
                return value
            time.sleep(0.05)
        raise Failure("%s: %s stayed at %d, wanted %d" % (what, name, value, least))

    def stop(self):
        self.proc.send_signal(signal.SIGTERM)
        try:
            return self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            raise Failure("the server ignored SIGTERM")
        finally:
            self.log.close()


def kill_and_show_log(server):
    """After a failure: the server killed, its log on standard error."""
    server.proc.kill()
    server.proc.wait()
    with open(server.log_path) as f:
        sys.stderr.write("--- server log ---\n" + f.read())


def expect_answer(resp, allowed, code, message=None):
    check(resp["allowed"] is allowed and resp["status"]["code"] == code and
          (message is None or resp["status"].get("message") == message),
          "wanted allowed=%s code=%d message=%r, got %s" % (allowed, code, message,
                                                            json.dumps(resp)))


def decoded_patch(resp):
    check(resp.get("patchType") == "JSONPatch", "no JSONPatch: " + json.dumps(resp))
    return json.loads(base64.b64decode(resp["patch"]))


def run_load(load, server, cases, tmp, name, **flags):
    path = os.path.join(tmp, name + ".json")
    with open(path, "w") as f:
        json.dump({"cases": cases}, f)
    args = [load, "--port", str(server.port), "--ca", server.cert, "--cases", path]
    for k, v in flags.items():
        args += ["--" + k, str(v)]
    return subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def finish_load(proc, what):
    out, err = proc.communicate(timeout=120)
    check(proc.returncode == 0, "%s: the load client failed:\n%s%s" % (what, out, err))
    return json.loads(out)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--server", required=True)
    ap.add_argument("--load", required=True)
    ap.add_argument("--fixtures", required=True)
    args = ap.parse_args()

    def fixture(rel):
        with open(os.path.join(args.fixtures, rel)) as f:
            return f.read()

    # Set A: the samples (Agent default/alice -> default-policy, maxCPU 4,
    # sandbox optional). Set B: the restrictive preset as default-policy
    # (sandbox required, fetch_url denied).
    base = {"agent.yaml": fixture("samples/agent_sample.yaml"),
            "code-review.yaml": fixture("skills/code-review.yaml")}
    set_a = dict(base, **{"policy.yaml": fixture("samples/sympoziumpolicy_sample.yaml")})
    restrictive = yaml.safe_load(fixture("policies/restrictive.yaml"))
    restrictive["metadata"] = {"name": "default-policy", "namespace": "default"}
    set_b = dict(base, **{"policy.yaml": yaml.safe_dump(restrictive)})
    broken = dict(base, **{"policy.yaml": "apiVersion: sympozium.ai/v1alpha1\n"
                                          "kind: SympoziumPolicy\nmetadata:\n"
                                          "  name: default-policy\n  namespace: default\n"
                                          "spec:\n  toolGating: [\n"})
    run = yaml.safe_load(fixture("samples/agentrun_sample.yaml"))

    with tempfile.TemporaryDirectory(prefix="webhook-test-") as tmp:
        config = ConfigMapDir(os.path.join(tmp, "config"))
        config.publish(set_a)
        server = Server(args.server, tmp, config.path)
        try:
            functional(server, run)
            load_and_reload(server, config, run, set_a, set_b, broken, args.load, tmp)
        except BaseException:
            kill_and_show_log(server)
            raise
        rc = server.stop()
        with open(server.log_path) as f:
            log = f.read()
        check(rc == 0, "the server exited %d after SIGTERM:\n%s" % (rc, log))
        check(log.rstrip().endswith("sympozium-webhook: stopped"), "no clean stop:\n" + log)
        rollout_modes(args.server, os.path.join(tmp, "rollout"), set_a, run)
    print("webhook test: all checks passed")


def functional(server, run):
    status, text = server.curl("/readyz", method="GET")
    check(status == 200 and text == "ready: generation 1\n", "readyz: %d %r" % (status, text))

    # Allowed, denied, error: the message is what kubectl shows.
    expect_answer(server.admit("/validate", run), True, 200, "policy validated")
    big = copy.deepcopy(run)
    big["spec"]["sandbox"]["resources"] = {"limits": {"cpu": "8"}}
    resp = server.admit("/validate", big)
    expect_answer(resp, False, 403, "sandbox CPU 8 exceeds policy limit 4")
    check(resp["status"]["reason"] == "Forbidden", "no reason: " + json.dumps(resp))
    stranger = copy.deepcopy(run)
    stranger["spec"]["agentRef"] = "bob"
    expect_answer(server.admit("/validate", stranger), False, 400,
                  'failed to find Agent bob: agents.sympozium.ai "bob" not found')
    unnamespaced = copy.deepcopy(run)
    del unnamespaced["metadata"]["namespace"]  # taken from request.namespace
    expect_answer(server.admit("/validate", unnamespaced), True, 200, "policy validated")
    expect_answer(server.admit("/validate", run, operation="DELETE"), True, 200)

    pack = {"apiVersion": "sympozium.ai/v1alpha1", "kind": "SkillPack",
            "metadata": {"name": "svc", "namespace": "default"},
            "spec": {"sidecar": {"image": "ghcr.io/x/svc:1", "tools": [
                {"name": "Bad-Name", "description": "d", "exec": ["svc"]}]}}}
    expect_answer(server.admit("/validate", pack), False, 403,
                  'SkillPack "svc" sidecar tool "Bad-Name": name must be snake_case matching '
                  '^[a-z][a-z0-9_]*$')
    pack["spec"]["sidecar"]["tools"][0]["name"] = "svc_eval"
    expect_answer(server.admit("/validate", pack), True, 200, "sidecar tools validated")

    # Models: strict wants https unless the host is in-cluster.
    model = {"apiVersion": "sympozium.ai/v1alpha1", "kind": "Model",
             "metadata": {"name": "llama", "namespace": "default"},
             "spec": {"source": {"url": "http://files.example.com/llama.gguf",
                                 "sha256": "ab" * 32}}}
    expect_answer(server.admit("/validate", model), False, 403,
                  "model source URL must use https:// scheme unless the host is in-cluster "
                  '(host "files.example.com")')
    model["spec"]["source"]["url"] = "http://model-store.ai.svc/llama.gguf"
    expect_answer(server.admit("/validate", model), True, 200, "model validated")

    secure = {"readOnlyRootFilesystem": True, "allowPrivilegeEscalation": False,
              "capabilities": {"drop": ["ALL"]}}
    pod = {"apiVersion": "v1", "kind": "Pod",
           "metadata": {"name": "alice-run-001", "namespace": "default",
                        "labels": {"sympozium.ai/instance": "alice"}},
           "spec": {"securityContext": {"runAsNonRoot": True, "runAsUser": 1000,
                                        "seccompProfile": {"type": "RuntimeDefault"}},
                    "containers": [{"name": "agent", "image": "ghcr.io/sympozium-ai/agent:1",
                                    "securityContext": secure}]}}
    resp = server.admit("/validate", pod)
    expect_answer(resp, True, 200)
    check("warnings" not in resp, "the pod's policy was not bound: " + json.dumps(resp))
    pod["spec"]["containers"][0]["securityContext"] = dict(secure, privileged=True)
    expect_answer(server.admit("/validate", pod), False, 403,
                  'container "agent" must not be privileged')
    # The webhook's own Deployment meets the pod rules it enforces.
    with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "deploy",
                           "deployment.yaml")) as f:
        deployment = next(yaml.safe_load_all(f))
    expect_answer(server.admit("/validate", deployment, namespace="sympozium-system"), True, 200,
                  "pod satisfies the pod security rules")

    # Mutate: the patch decodes to the docs/mutation.md defaults, op by op.
    resp = server.admit("/mutate", run)
    expect_answer(resp, True, 200)
    check(decoded_patch(resp) == [
        {"op": "add", "path": "/metadata/labels", "value": {"sympozium.ai/role": "agent"}},
        {"op": "add", "path": "/metadata/labels/sympozium.ai~1sandbox", "value": "true"},
        {"op": "add", "path": "/metadata/annotations",
         "value": {"sympozium.ai/disable-sa-token": "true"}}], "patch: " + json.dumps(resp))
    done = copy.deepcopy(run)
    done["metadata"]["labels"] = {"sympozium.ai/role": "agent", "sympozium.ai/sandbox": "true"}
    done["metadata"]["annotations"] = {"sympozium.ai/disable-sa-token": "true"}
    resp = server.admit("/mutate", done)
    expect_answer(resp, True, 200, "no mutations needed")
    check("patch" not in resp and "patchType" not in resp, "a patch for nothing: " +
          json.dumps(resp))

    # Malformed requests: never a crash, always JSON. With a uid to echo,
    # an AdmissionReview that is not allowed; without, an HTTP error.
    def status_error(status_want, path, body, **kw):
        status, text = server.curl(path, body, **kw)
        check(status == status_want, "%s: HTTP %d, wanted %d: %s" % (path, status,
                                                                       status_want, text))
        doc = json.loads(text)
        check(doc["kind"] == "Status" and doc["code"] == status_want and doc["message"],
              "not a Status: " + text)
        return doc["message"]

    status_error(400, "/validate", b"this is not json")
    status_error(400, "/validate", b'{"unterminated": ')
    status_error(400, "/validate", {"apiVersion": "v1", "kind": "Pod"})
    no_uid = review(run)
    del no_uid["request"]["uid"]
    status_error(400, "/validate", no_uid)
    status_error(400, "/mutate", b"[" * 10000 + b"]" * 10000)  # deeper than the limit
    check("larger than" in status_error(413, "/validate", b" " * 70000), "413 message")
    status_error(415, "/validate", review(run), content_type="text/plain")
    status_error(404, "/nowhere", review(run))
    status_error(404, "/validate", None, method="GET")
    expect_answer(server.admit("/validate", None), False, 400)  # no request.object
    expect_answer(server.admit("/validate", {"apiVersion": "v1", "kind": "ConfigMap",
                                             "metadata": {"name": "c"}}), False, 400)
    expect_answer(server.admit("/mutate", pack), False, 400)
    bad_type = copy.deepcopy(run)
    bad_type["spec"]["sandbox"] = ["not", "a", "map"]
    expect_answer(server.admit("/validate", bad_type), False, 400)

    # A client that stops sending mid-body gets a 400 after the timeout.
    context = ssl.create_default_context(cafile=server.cert)
    with socket.create_connection(("127.0.0.1", server.port)) as raw:
        with context.wrap_socket(raw, server_hostname="127.0.0.1") as tls:
            tls.sendall(b"POST /validate HTTP/1.1\r\nHost: x\r\nContent-Type: application/json"
                        b"\r\nContent-Length: 1000\r\n\r\n{\"apiVersion\":")
            start = time.monotonic()
            tls.settimeout(TIMEOUT + 60)  # generous: a busy machine answers late
            first = tls.recv(4096)
            waited = time.monotonic() - start
    check(first.startswith(b"HTTP/1.1 400 "), "a stalled request got %r" % first)
    # Held until the deadline, not answered early; how late the answer comes
    # on a busy machine is not this test's business.
    check(waited > TIMEOUT - 1, "a stalled request was answered after %.1f s" % waited)
    check(server.curl("/healthz", method="GET")[0] == 200, "unhealthy after a stalled client")

    text = server.metrics()
    for line in [
            'sympozium_webhook_requests_total{endpoint="/validate",status="200"} 15',
            'sympozium_webhook_requests_total{endpoint="/validate",status="400"} 5',
            'sympozium_webhook_requests_total{endpoint="/validate",status="413"} 1',
            'sympozium_webhook_requests_total{endpoint="/validate",status="415"} 1',
            'sympozium_webhook_requests_total{endpoint="other",status="404"} 1',
            'sympozium_webhook_decisions_total{endpoint="/validate",result="denied",'
            'code="resources.exceeds"} 1',
            'sympozium_webhook_decisions_total{endpoint="/validate",result="error",'
            'code="agent.not_found"} 1',
            'sympozium_webhook_decisions_total{endpoint="/validate",result="denied",'
            'code="model.url_insecure"} 1',
            'sympozium_webhook_decisions_total{endpoint="/mutate",result="allowed",code=""} 2',
            '# TYPE sympozium_webhook_request_duration_seconds histogram',
            'sympozium_webhook_config_reloads_total 1',
            'sympozium_webhook_policy_generation 1']:
        check(line + "\n" in text, "metrics lack %r:\n%s" % (line, text))
    # Every /validate request was timed: 15 answered, 4 unparsable, 413, 415,
    # 404 and the stalled one.
    for series in ('sympozium_webhook_request_duration_seconds_bucket{endpoint="/validate",'
                   'le="+Inf"} 23', 'sympozium_webhook_request_duration_seconds_count'
                   '{endpoint="/validate"} 23'):
        check(series + "\n" in text, "metrics lack %r:\n%s" % (series, text))
    print("functional: curl requests answered as expected")


def load_and_reload(server, config, run, set_a, set_b, broken, load, tmp):
    # The answers of each set, for the cases whose answer depends on it.
    lean = copy.deepcopy(run)
    del lean["spec"]["sandbox"]  # restrictive requires a sandbox; the sample does not
    # SIGHUP reloads even when no file changed.
    generation = server.metric("sympozium_webhook_policy_generation")
    server.proc.send_signal(signal.SIGHUP)
    server.wait_metric("sympozium_webhook_policy_generation", generation + 1, "SIGHUP")
    answers = {}
    for name, files in (("B", set_b), ("A", set_a)):
        generation = server.metric("sympozium_webhook_policy_generation")
        config.publish(files)
        server.wait_metric("sympozium_webhook_policy_generation", generation + 1,
                           "reload to set " + name)
        answers[name] = {"validate": server.admit("/validate", run),
                         "lean": server.admit("/validate", lean),
                         "mutate": server.admit("/mutate", lean)}
    expect_answer(answers["A"]["validate"], True, 200, "policy validated")
    expect_answer(answers["B"]["validate"], False, 403, 'tool "fetch_url" is denied by policy')
    expect_answer(answers["A"]["lean"], True, 200, "policy validated")
    expect_answer(answers["B"]["lean"], False, 403, "sandbox is required by policy")
    check(decoded_patch(answers["A"]["mutate"])[0]["path"] == "/metadata/labels", "A patch")
    check({"op": "add", "path": "/spec/sandbox", "value": {"enabled": True}}
          in decoded_patch(answers["B"]["mutate"]), "B patch: " + json.dumps(answers["B"]))

    def case(name, path, obj, *sets):
        expect = []
        for resp in sets:
            e = {"allowed": resp["allowed"], "code": resp["status"]["code"],
                 "message": resp["status"].get("message", ""), "patch": resp.get("patch", "")}
            expect.append(e)
        # The load client puts each request's own uid where the marker is.
        return {"name": name, "path": path, "review": review(obj, uid="@@UID@@"),
                "expect": expect}

    # Under set A, LOAD_REQUESTS requests from 8 keep-alive connections.
    big = copy.deepcopy(run)
    big["spec"]["sandbox"]["resources"] = {"limits": {"cpu": "8"}}
    steady = [case("allowed", "/validate", run, answers["A"]["validate"]),
              case("denied", "/validate", big, server.admit("/validate", big)),
              case("mutate", "/mutate", lean, answers["A"]["mutate"]),
              case("lean", "/validate", lean, answers["A"]["lean"])]
    before = server.metrics()
    summary = finish_load(run_load(load, server, steady, tmp, "steady", requests=LOAD_REQUESTS,
                                   connections=8), "steady load")
    check(summary["requests"] == LOAD_REQUESTS and summary["ok"] == LOAD_REQUESTS,
          "load: " + json.dumps(summary))
    after = server.metrics()

    def answered(text):
        return sum(int(n) for n in re.findall(
            r'^sympozium_webhook_requests_total\{endpoint="/(?:validate|mutate)",status="200"\} '
            r'(\d+)$', text, re.M))
    check(answered(after) - answered(before) == LOAD_REQUESTS,
          "the server did not count %d answers" % LOAD_REQUESTS)
    lat = summary["latency_ms"]
    print("load: %d requests over %d keep-alive connections in %.2f s: %.0f requests/s; "
          "latency p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, max %.2f ms; all correct, none lost"
          % (summary["requests"], summary["connections"], summary["seconds"],
             summary["per_second"], lat["p50"], lat["p90"], lat["p99"], lat["max"]))

    # Under load, swap A -> B (poll), B -> A (SIGHUP), A -> broken (kept A),
    # broken -> B. Every answer must be set A's or set B's.
    swapping = [case("validate", "/validate", run, answers["A"]["validate"],
                     answers["B"]["validate"]),
                case("lean", "/validate", lean, answers["A"]["lean"], answers["B"]["lean"]),
                case("mutate", "/mutate", lean, answers["A"]["mutate"], answers["B"]["mutate"])]
    proc = run_load(load, server, swapping, tmp, "swapping", seconds=6, requests=0,
                    connections=8)
    time.sleep(0.5)
    gen = server.metric("sympozium_webhook_policy_generation")
    failures = server.metric("sympozium_webhook_config_reload_failures_total")
    config.publish(set_b)
    gen = server.wait_metric("sympozium_webhook_policy_generation", gen + 1, "poll reload to B")
    time.sleep(0.5)
    config.publish(set_a)
    server.proc.send_signal(signal.SIGHUP)  # races the poll: one or two reloads
    server.wait_metric("sympozium_webhook_policy_generation", gen + 1, "SIGHUP reload to A")
    time.sleep(0.5)
    kept = server.metric("sympozium_webhook_policy_generation")
    config.publish(broken)
    server.wait_metric("sympozium_webhook_config_reload_failures_total", failures + 1,
                       "broken config")
    time.sleep(0.3)
    check(server.metric("sympozium_webhook_policy_generation") == kept,
          "a broken config replaced the set")
    expect_answer(server.admit("/validate", run), True, 200, "policy validated")  # still A
    check(server.curl("/readyz", method="GET")[0] == 200, "not ready after a broken config")
    time.sleep(0.5)
    config.publish(set_b)
    server.wait_metric("sympozium_webhook_policy_generation", kept + 1, "reload after the fix")
    summary = finish_load(proc, "load while reloading")
    check(summary["ok"] == summary["requests"] > 0, "reload load: " + json.dumps(summary))
    for name, counts in summary["matched"].items():
        check(len(counts) == 2 and min(counts) > 0,
              "%s: answers by set %s; both sets should have served" % (name, counts))
    expect_answer(server.admit("/validate", run), False, 403,
                  'tool "fetch_url" is denied by policy')

    with open(server.log_path) as f:
        failed = [l for l in f if "config load failed" in l]
    check(len(failed) == 1, "wanted one log line for the broken config: %r" % failed)
    check(re.search(r"still serving generation %d: \S*policy\.yaml:\d+:\d+: " % kept,
                    failed[0]), "the log line names no file and line: " + failed[0])
    print("reload under load: %d requests in %.1f s, answers by set (A, B): %s; broken config "
          "kept generation %d" % (summary["requests"], summary["seconds"],
                                  json.dumps(summary["matched"]), kept))


LOG_FIELDS = {"time", "uid", "operation", "kind", "namespace", "name", "user", "allowed", "result",
              "code", "violations", "mode", "enforcement", "policy", "generation", "latencyMicros"}


def decision_lines(text):
    """The decision-log lines of a log (JSON objects, one a line), each checked."""
    lines = [json.loads(l) for l in text.splitlines() if l.startswith("{")]
    for line in lines:
        check(LOG_FIELDS <= set(line), "decision log line lacks %s: %s"
              % (LOG_FIELDS - set(line), line))
        check(re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z", line["time"]),
              "time is not RFC 3339: %r" % line["time"])
        check(isinstance(line["latencyMicros"], int) and line["latencyMicros"] >= 0,
              "latencyMicros: %r" % line["latencyMicros"])
    return lines


def rollout_modes(binary, tmp, files, run):
    """--enforcement warn and audit, --shadow-mode and --decision-log, over HTTPS,
    against the policy set `files`."""
    os.makedirs(tmp)
    config = ConfigMapDir(os.path.join(tmp, "config"))
    config.publish(files)
    config = config.path
    big = copy.deepcopy(run)
    big["spec"]["sandbox"]["resources"] = {"limits": {"cpu": "8"}}
    big["spec"]["env"] = {"PATH": "/evil"}
    user = {"userInfo": {"username": "system:serviceaccount:ci:deployer"}}

    def serve(extra):
        server = Server(binary, tmp, config, extra)
        server.extra = extra
        return server

    def finish(server):
        rc = server.stop()
        with open(server.log_path) as f:
            log = f.read()
        check(rc == 0, "%s: exit %d:\n%s" % (server.extra, rc, log))
        return log

    # warn: allowed, each violation a warning kubectl prints.
    server = serve(["--enforcement", "warn"])
    try:
        status, text = server.curl("/validate", dict(review(big), request=dict(
            review(big)["request"], **user)))
        resp = json.loads(text)["response"]
        expect_answer(resp, True, 200)
        check(resp.get("warnings", [])[:2] == [
            "[would deny] sandbox CPU 8 exceeds policy limit 4 [resources.exceeds]",
            '[would deny] environment variable "PATH" is not allowed: overriding system '
            "variables is denied [env.denied]"], "warn: the violations: " + text)
        # A malformed review is still an HTTP error.
        status, _ = server.curl("/validate", b"not json")
        check(status == 400, "warn: a malformed review got HTTP %d" % status)
        metrics = server.metrics()
        for line in ['sympozium_webhook_would_deny_total{enforcement="warn",'
                     'code="resources.exceeds"} 1', 'sympozium_webhook_build_info{version="']:
            check(line in metrics, "warn metrics lack %r:\n%s" % (line, metrics))
    finally:
        finish(server)

    # audit: allowed silently; the decision log and metrics say it.
    log_path = os.path.join(tmp, "decisions.jsonl")
    server = serve(["--enforcement", "audit", "--decision-log", log_path])
    try:
        req = review(big, uid="audit-1")
        req["request"].update(user)
        resp = server.admit("/validate", big, uid="audit-1")
        expect_answer(resp, True, 200)
        check("warnings" not in resp and "message" not in resp["status"],
              "audit: the answer says nothing: " + json.dumps(resp))
        status, text = server.curl("/validate", req)
        check(status == 200 and json.loads(text)["response"]["allowed"], "audit: " + text)
        expect_answer(server.admit("/validate", run, uid="audit-ok"), True, 200,
                      "policy validated")
        check('sympozium_webhook_would_deny_total{enforcement="audit",code="resources.exceeds"} 2'
              in server.metrics(), "audit: would-deny metric")
    finally:
        finish(server)
    with open(log_path) as f:
        lines = decision_lines(f.read())
    check([l["uid"] for l in lines] == ["audit-1", "audit-1", "audit-ok"],
          "audit: one log line per review: %s" % lines)
    first, second, ok = lines
    check(first["allowed"] is True and first["result"] == "denied" and
          first["code"] == "resources.exceeds" and
          first["violations"] == ["resources.exceeds", "env.denied"] and
          first["enforcement"] == "audit" and first["mode"] == "strict" and
          first["policy"] == "default/default-policy" and first["kind"] == "AgentRun" and
          first["operation"] == "CREATE" and first["namespace"] == "default" and
          first["generation"] == 1 and "shadow" not in first, "audit log line: %s" % first)
    check(first["user"] == "" and second["user"] == "system:serviceaccount:ci:deployer",
          "the log names request.userInfo.username: %s" % second)
    check(ok["result"] == "allowed" and ok["code"] == "" and ok["violations"] == [],
          "allowed log line: %s" % ok)

    # Shadow: compat enforced, strict beside it; a run compat allows and
    # strict denies is reported, with the log on standard error.
    strict_only = copy.deepcopy(run)
    strict_only["spec"]["env"] = {"LD_AUDIT": "x"}
    server = serve(["--mode", "compat", "--shadow-mode", "strict", "--decision-log", "-"])
    try:
        resp = server.admit("/validate", strict_only, uid="shadow-1")
        expect_answer(resp, True, 200, "policy validated")
        check(resp.get("warnings", [])[-1:] == ["[shadow strict] would deny [env.denied]"],
              "shadow: the disagreement as a warning: " + json.dumps(resp))
        resp = server.admit("/validate", run, uid="shadow-2")
        check("warnings" not in resp, "shadow: agreement adds nothing: " + json.dumps(resp))
        check('sympozium_webhook_shadow_disagreements_total{mode="strict"} 1' in server.metrics(),
              "shadow: disagreement metric")
    finally:
        log = finish(server)
    lines = decision_lines(log)
    check([l["uid"] for l in lines] == ["shadow-1", "shadow-2"], "shadow: log lines: %s" % log)
    check(lines[0]["mode"] == "compat" and lines[0]["shadow"] == {
        "mode": "strict", "allowed": False, "result": "denied", "code": "env.denied",
        "disagrees": True}, "shadow log field: %s" % lines[0])
    check(lines[1]["shadow"]["disagrees"] is False, "shadow agreement: %s" % lines[1])
    check(log.rstrip().endswith("sympozium-webhook: stopped"), "shadow: no clean stop")
    print("rollout modes: warn, audit, shadow and the decision log as expected")


if __name__ == "__main__":
    try:
        main()
    except Failure as e:
        print("webhook test FAILED: %s" % e, file=sys.stderr)
        sys.exit(1)
